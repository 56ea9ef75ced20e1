"""What the views share: a CSRF-only form, and service errors as answers — the one place a
missing (or not the user's) object becomes 404."""

from __future__ import annotations

from flask import abort, flash
from flask_wtf import FlaskForm

from tender.platform.i18n import problem_text
from tender.services import Forbidden, Invalid, NotFound


class PostForm(FlaskForm):
    """No fields: the CSRF token of a form whose fields the view reads itself."""


def posted() -> None:
    if not PostForm().validate_on_submit():
        abort(400)


def or_404(function, *args, **kwargs):
    """``function(*args, **kwargs)``; its NotFound is 404, its Forbidden 403."""
    try:
        return function(*args, **kwargs)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)


def flash_problems(error: Invalid) -> None:
    """Each problem in the reader's language. Its path (``scores.<evaluator>.<vendor>.<criterion>``,
    a form field's name) is data, not words: the message itself names the evaluator, vendor and
    criterion it is about."""
    if error.message:
        flash(error.message, "danger")
    for problem in error.problems:
        flash(problem_text(problem, with_path=False), "danger")
