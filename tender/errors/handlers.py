"""Handlers for 400 (incl. a missing CSRF token), 403, 404, 413, 500 and a stored file whose seal is broken."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError

from tender.platform import audit
from tender.platform.extensions import db
from tender.platform.security import drain_request_body
from tender.platform.storage import SealBroken

bp = Blueprint("errors", __name__)


def _page(code: int, title: str, message: str):
    return render_template("errors/error.html", code=code, title=title, message=message), code


@bp.app_errorhandler(CSRFError)
def csrf_error(error):
    return _page(
        400,
        _("The form has expired"),
        _("The form was missing its security token or it has expired. Reload the page and try again."),
    )


@bp.app_errorhandler(400)
def bad_request(error):
    return _page(400, _("Bad request"), _("The request could not be understood."))


def _audit_refusal(code: int) -> None:
    """A signed-in user refused a page (wrong role, or an object that is missing or not
    theirs) leaves an ``access_refused`` record. Unknown URLs and static files do not."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return
    try:
        actor = audit.actor_name(current_user)  # named before the rollback expires the user (no reload)
        db.session.rollback()  # never commit what the refused view may have begun
        audit.record(actor, "access_refused", request.path[:128], status=code, method=request.method)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("could not audit a refused access")


@bp.app_errorhandler(403)
def forbidden(error):
    _audit_refusal(403)
    return _page(403, _("Not allowed"), _("Your account's role does not allow this page."))


@bp.app_errorhandler(404)
def not_found(error):
    _audit_refusal(404)
    return _page(404, _("Not found"), _("There is no such page, or it is not yours to see."))


@bp.app_errorhandler(405)
def method_not_allowed(error):
    return _page(405, _("Not allowed"), _("This page cannot be used that way."))


@bp.app_errorhandler(413)
def too_large(error):
    """Over ``MAX_CONTENT_LENGTH``: a page saying the limit, not a bare error (nothing was stored)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    drain_request_body(2 * limit + (8 << 20))
    limit_mb = f"{limit / (1024 * 1024):.0f}" if limit >= 1024 * 1024 else f"{limit / (1024 * 1024):.2f}"
    back = request.referrer if request.referrer and request.referrer.startswith(request.host_url) else None
    return render_template("errors/413.html", code=413, limit_mb=limit_mb, back=back), 413


@bp.app_errorhandler(SealBroken)
def seal_broken(error: SealBroken):
    """A stored file or bid record that no longer decrypts (damaged, altered or under another
    key): say so plainly, serve nothing, and leave a record for the administrator."""
    db.session.rollback()
    current_app.logger.error("stored data does not decrypt: %s (%s)", error.purpose, request.path)
    try:
        audit.record(
            current_user,
            "stored_file_damaged",
            error.purpose[:128] or request.path[:128],
            path=request.path[:200],
            method=request.method,
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("could not audit a damaged stored file")
    return _page(
        500,
        _("The stored file is damaged"),
        _(
            "This file is stored encrypted and sealed, and its seal no longer matches: the stored copy "
            "has been damaged or altered, so it cannot be served. Nothing was changed. The attempt is "
            "recorded in the audit trail; please tell the administrator, who can restore the file "
            "from a backup."
        ),
    )


@bp.app_errorhandler(500)
def internal_error(error):
    db.session.rollback()
    return _page(500, _("Something went wrong"), _("The error was logged. Nothing was saved."))
