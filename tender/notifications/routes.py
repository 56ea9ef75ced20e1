"""Routes under /notifications: the page of one's notifications (newest first, paginated),
opening one (it is marked read and leads to what it is about) and marking all read; and
the bell's unread count for the navigation bar, one count per page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from tender.auth.decorators import role_required
from tender.notifications import service
from tender.platform.i18n import is_english
from tender.platform.redirects import safe_next
from tender.services import NotFound

bp = Blueprint("notifications", __name__)

EVERY_ROLE = ("buyer", "vendor", "evaluator", "admin")
_UNREAD = "tender.unread_notifications"


class PostForm(FlaskForm):
    """A bare form: its CSRF token guards "mark all read"."""


def unread_notifications() -> int:
    """The signed-in user's unread count, counted once per request whatever asks for it."""
    if not current_user.is_authenticated:
        return 0
    cache = request.environ  # the request's own (``g`` may outlive a request, as in tests)
    if _UNREAD not in cache:
        cache[_UNREAD] = service.unread_count(current_user)
    return cache[_UNREAD]


def inject_bell() -> dict:
    return {"unread_notifications": unread_notifications}


@bp.route("/")
@role_required(*EVERY_ROLE)
def index():
    pager = service.page_of(current_user, request.args.get("page", 1, type=int))
    lang = "en" if is_english() else "zh"
    items = [(n, *service.rendered(n, lang)) for n in pager.items]
    return render_template("notifications/index.html", items=items, pager=pager, form=PostForm())


@bp.route("/<notification_id>", methods=["POST"])
@role_required(*EVERY_ROLE)
def show(notification_id: str):
    """Open one notification: it is marked read (a POST: reading a page never writes) and
    its link followed."""
    if not PostForm().validate_on_submit():
        abort(400)
    try:
        notification = service.open_notification(current_user, notification_id)
    except NotFound:
        abort(404)
    return redirect(safe_next(notification.link) or url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@role_required(*EVERY_ROLE)
def read_all():
    if not PostForm().validate_on_submit():
        abort(400)
    count = service.mark_all_read(current_user)
    flash(_("%(count)s notifications marked read.", count=count) if count else _("No unread notification."), "info")
    return redirect(url_for("notifications.index"))
