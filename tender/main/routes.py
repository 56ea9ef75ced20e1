"""Routes: / (home, per role) and /language/<code> (switch language)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from tender.platform.redirects import safe_next
from tender.services import accounts

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    if current_user.is_authenticated:
        targets = {
            "buyer": "tenders.index",
            "vendor": "bids.tender_list",
            "admin": "admin.users",
            "evaluator": "panel.index",
        }
        if current_user.role in targets:
            return redirect(url_for(targets[current_user.role]))
    return render_template("main/index.html")


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        accounts.set_locale(current_user, code)
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))
