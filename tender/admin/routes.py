"""Routes: /admin/users (list, create, (de)activate) and /admin/audit (the trail and its check)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tender.admin.forms import EmptyForm, NewAccountForm
from tender.auth.decorators import role_required
from tender.models import AuditRecord
from tender.platform import audit
from tender.platform.extensions import db
from tender.services import NotFound, ServiceError, accounts

bp = Blueprint("admin", __name__)

AUDIT_PAGE_SIZE = 50


@bp.route("/users", methods=["GET", "POST"])
@role_required("admin")
def users():
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            accounts.create_account(
                current_user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                password=form.password.data,
            )
        except ServiceError as error:
            form.email.errors.append(error.message)
        else:
            flash(_("Account created."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/users.html", form=form, users=accounts.list_users(), action_form=EmptyForm())


@bp.route("/users/<public_id>/<any(activate, deactivate):change>", methods=["POST"])
@role_required("admin")
def set_active(public_id: str, change: str):
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        accounts.set_active(current_user, public_id, change == "activate")
    except NotFound:
        abort(404)
    except ServiceError as error:
        flash(error.message, "danger")
    return redirect(url_for("admin.users"))


@bp.route("/audit")
@role_required("admin")
def audit_log():
    page = request.args.get("page", 1, type=int)
    records = db.paginate(
        select(AuditRecord).order_by(AuditRecord.seq.desc()), page=page, per_page=AUDIT_PAGE_SIZE, error_out=False
    )
    return render_template("admin/audit.html", records=records, check=audit.verify())
