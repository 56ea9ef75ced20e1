"""Accounts: vendors register themselves; an administrator makes every other account."""

from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from tender.models import ROLES, User, VendorProfile
from tender.platform import audit
from tender.platform.extensions import db
from tender.services import Forbidden, Invalid, NotFound, ServiceError


class EmailTaken(ServiceError):
    pass


def find_by_email(email: str) -> User | None:
    return db.session.scalars(select(User).where(func.lower(User.email) == email.strip().lower())).first()


def _new_user(email: str, name: str, role: str, password: str, locale: str | None) -> User:
    if role not in ROLES:
        raise Invalid([], _("Unknown role."))
    if find_by_email(email):
        raise EmailTaken(_("An account with this e-mail address already exists."))
    user = User(email=email.strip().lower(), name=name.strip(), role=role, locale=locale)
    user.set_password(password)
    db.session.add(user)
    return user


def checked_credit_code(code: str | None, profile: VendorProfile | None = None) -> str:
    """The unified social credit code as stored (upper case, no spaces), or Invalid naming the
    field: missing, malformed, a wrong check character (GB 32100-2015), or another account's."""
    from scoring import Problem
    from scoring.identity import credit_code_problem, normalize

    code = normalize(code or "")
    if not code:
        raise Invalid(
            [
                Problem(
                    "credit_code",
                    "请填写统一社会信用代码（18 位，见营业执照）",
                    "enter the unified social credit code (18 characters, on the business licence)",
                )
            ]
        )
    problem = credit_code_problem(code)
    if problem is not None:
        raise Invalid([Problem("credit_code", problem.zh, problem.en)])
    holder = db.session.scalars(select(VendorProfile).where(VendorProfile.credit_code == code)).first()
    if holder is not None and holder is not profile:
        raise Invalid(
            [
                Problem(
                    "credit_code",
                    "已有供应商账户使用此统一社会信用代码：一家公司只注册一个账户",
                    "another vendor account has this unified social credit code: one company, one account",
                )
            ]
        )
    return code


def register_vendor(
    *, email: str, name: str, password: str, company_name: str, facts: dict, credit_code: str, locale: str | None = None
) -> User:
    """A vendor signs itself up with its company facts (domain §5) and its unified social credit code."""
    code = checked_credit_code(credit_code)
    user = _new_user(email, name, "vendor", password, locale)
    facts = {**facts, "company_name": company_name.strip()}
    user.vendor_profile = VendorProfile(company_name=company_name.strip(), credit_code=code)
    user.vendor_profile.facts = facts
    db.session.flush()
    audit.record(
        user.email + " (vendor)",
        "vendor_registered",
        f"user:{user.public_id}",
        company_name=company_name.strip(),
        credit_code=code,
    )
    db.session.commit()
    return user


def create_account(admin: User, *, email: str, name: str, role: str, password: str) -> User:
    """An administrator makes a buyer, evaluator or admin account."""
    if admin.role != "admin":
        raise Forbidden(_("Only an administrator can create accounts."))
    if role == "vendor":
        raise Invalid([], _("Vendors register themselves."))
    user = _new_user(email, name, role, password, None)
    db.session.flush()
    audit.record(admin, "account_created", f"user:{user.public_id}", email=user.email, role=role)
    db.session.commit()
    return user


def set_active(admin: User, public_id: str, active: bool) -> User:
    if admin.role != "admin":
        raise Forbidden(_("Only an administrator can change accounts."))
    user = db.session.scalars(select(User).where(User.public_id == public_id)).first()
    if user is None:
        raise NotFound()
    if user.id == admin.id and not active:
        raise Invalid([], _("You cannot deactivate your own account."))
    user.active = active
    user.session_token = secrets.token_urlsafe(32)  # ends the user's sessions
    audit.record(admin, "account_activated" if active else "account_deactivated", f"user:{user.public_id}")
    db.session.commit()
    return user


_DUMMY_HASH: dict[str, str] = {}


def _check_unknown_account_password(password: str) -> None:
    """Spend the time of a real password check, so timing does not tell which e-mails exist."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = generate_password_hash(secrets.token_hex(16), method=method)
    check_password_hash(_DUMMY_HASH[method], password)


def authenticate(email: str, password: str, address: str = "") -> User | None:
    """The user if the password matches an active account; every attempt is audited.

    A successful sign-in issues a new session token (the value Flask-Login keeps in the
    session cookie), so a session id known before sign-in is worthless after it (no
    session fixation) and an earlier session of the same account ends.
    """
    user = find_by_email(email)
    if user is None:
        _check_unknown_account_password(password)
    if user is None or not user.active or not user.check_password(password):
        audit.record("anonymous", "login_failed", "", email=email.strip().lower()[:254], address=address)
        db.session.commit()
        return None
    user.session_token = secrets.token_urlsafe(32)
    audit.record(user, "login", f"user:{user.public_id}", address=address)
    db.session.commit()
    return user


def end_sessions(user: User) -> None:
    """Logout: a new session token makes every cookie holding the old one worthless."""
    user.session_token = secrets.token_urlsafe(32)
    audit.record(user, "logout", f"user:{user.public_id}")
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.commit()


def update_vendor_facts(user: User, company_name: str, facts: dict, credit_code: str | None = None) -> None:
    """The vendor's company facts; the credit code too when given (it is required from then on)."""
    if user.role != "vendor" or user.vendor_profile is None:
        raise Forbidden()
    profile = user.vendor_profile
    changes = {}
    if credit_code is not None or profile.credit_code is None:
        code = checked_credit_code(credit_code, profile)
        if code != profile.credit_code:
            changes["credit_code"] = {"old": profile.credit_code, "new": code}
            profile.credit_code = code
    profile.company_name = company_name.strip()
    profile.facts = {**facts, "company_name": company_name.strip()}
    audit.record(user, "vendor_facts_updated", f"user:{user.public_id}", **changes)
    db.session.commit()


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.role, User.email)))
