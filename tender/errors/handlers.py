"""Handlers for 400 (incl. a missing CSRF token), 403, 404, 413 and 500."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from tender.extensions import db

bp = Blueprint("errors", __name__)


def _page(code: int, title: str, message: str):
    return render_template("errors/error.html", code=code, title=title, message=message), code


@bp.app_errorhandler(CSRFError)
def csrf_error(error):
    return _page(400, _("The form has expired"),
                 _("The form was missing its security token or it has expired. Reload the page and try again."))


@bp.app_errorhandler(400)
def bad_request(error):
    return _page(400, _("Bad request"), _("The request could not be understood."))


@bp.app_errorhandler(403)
def forbidden(error):
    return _page(403, _("Not allowed"), _("Your account's role does not allow this page."))


@bp.app_errorhandler(404)
def not_found(error):
    return _page(404, _("Not found"), _("There is no such page, or it is not yours to see."))


@bp.app_errorhandler(405)
def method_not_allowed(error):
    return _page(405, _("Not allowed"), _("This page cannot be used that way."))


@bp.app_errorhandler(413)
def too_large(error):
    return _page(413, _("File too large"), _("The upload is larger than the allowed size."))


@bp.app_errorhandler(500)
def internal_error(error):
    db.session.rollback()
    return _page(500, _("Something went wrong"), _("The error was logged. Nothing was saved."))
