"""Routes: /auth/login, /auth/logout, /auth/register (vendors), /auth/company (vendor facts)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tender.auth.decorators import role_required
from tender.auth.forms import CompanyFactsForm, LoginForm, RegisterVendorForm
from tender.platform import security
from tender.platform.i18n import problem_text
from tender.platform.redirects import safe_next
from tender.services import Invalid, ServiceError, accounts

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        address = security.client_address()
        throttle = security.login_throttle(form.email.data, address)
        if throttle is not None:
            security.record_throttled(form.email.data, address, throttle)
            flash(throttle.message(), "danger")
            return (
                render_template("auth/login.html", form=form),
                429,
                {"Retry-After": str(throttle.retry_after_seconds)},
            )
        user = accounts.authenticate(form.email.data, form.password.data, address=address)
        if user is None:
            flash(_("Wrong e-mail address or password."), "danger")
        else:
            lang = session.get("lang")
            session.clear()  # a fresh session at login (no fixation); authenticate issued a new token
            if lang and not user.locale:
                accounts.set_locale(user, lang)
            login_user(user)
            security.start_session()
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    accounts.end_sessions(current_user)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterVendorForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_vendor(
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                company_name=form.company_name.data,
                facts=form.facts(),
                credit_code=form.credit_code.data,
                locale=session.get("lang"),
            )
        except Invalid as error:
            _at_fields(form, error)
        except ServiceError as error:
            form.email.errors.append(error.message)
        else:
            session.clear()
            login_user(user)
            security.start_session()
            flash(_("Welcome! Your company is registered."), "success")
            return redirect(url_for("bids.tender_list"))
    return render_template("auth/register.html", form=form)


@bp.route("/company", methods=["GET", "POST"])
@role_required("vendor")
def company():
    profile = current_user.vendor_profile
    form = CompanyFactsForm()
    if request.method == "GET":
        form.fill_from(profile.company_name, profile.facts, profile.credit_code)
    if form.validate_on_submit():
        try:
            accounts.update_vendor_facts(current_user, form.company_name.data, form.facts(), form.credit_code.data)
        except Invalid as error:
            _at_fields(form, error)
        else:
            flash(_("Company facts saved."), "success")
            return redirect(url_for("auth.company"))
    return render_template("auth/company.html", form=form)


def _at_fields(form, error: Invalid) -> None:
    """Each problem of a refused profile under its field (the credit code), in the reader's language."""
    for problem in error.problems:
        field = form._fields.get(problem.path) or form.company_name
        field.errors = [*field.errors, problem_text(problem, with_path=False)]
