"""Shared fixtures: an app on a temporary instance folder and SQLite file, its clients,
and one signed-in helper per role (flaskr's pattern).

Password hashing uses a cheap method here (scrypt costs ~50 ms a user); the app's
default stays scrypt. CSRF is off for the functional tests; ``csrf_app`` turns it on
for the tests that check it.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from tender import create_app
from tender.extensions import db
from tender.i18n_catalogues import compile_catalogues
from tender.models import User, VendorProfile
from tender.storage import generate_key

PASSWORD = "correct horse 42"

# Make sure the .mo files match the .po files even when pytest runs without `make`.
compile_catalogues()


def app_config(tmp_path, **extra) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "test.sqlite"),
        "SECRET_KEY": "test",
        "TENDER_DATA_KEY": generate_key(),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **extra,
    }


@pytest.fixture
def app(tmp_path):
    app = create_app(app_config(tmp_path))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def csrf_app(tmp_path):
    app = create_app(app_config(tmp_path, WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def make_user(role: str, email: str | None = None, name: str | None = None, locale: str | None = "en",
              company: str | None = None, facts: dict | None = None) -> User:
    """A user of ``role`` (English UI by default, so assertions read in English)."""
    email = email or f"{role}{User.query.count() + 1}@example.cn"
    user = User(email=email, name=name or email.split("@")[0], role=role, locale=locale)
    user.set_password(PASSWORD)
    if role == "vendor":
        company = company or f"{email.split('@')[0]}客服有限公司"
        user.vendor_profile = VendorProfile(company_name=company)
        user.vendor_profile.facts = {"company_name": company, **(facts or {})}
    db.session.add(user)
    db.session.commit()
    return user


class Auth:
    """Sign a test client in and out."""

    def __init__(self, client):
        self.client = client

    def login(self, user: User, password: str = PASSWORD):
        return self.client.post("/auth/login", data={"email": user.email, "password": password})

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def users(app):
    """One account per role (two vendors, so one can try the other's bid)."""
    return {
        "buyer": make_user("buyer", "buyer@example.cn", "Buyer Wang"),
        "other_buyer": make_user("buyer", "buyer2@example.cn", "Buyer Li"),
        "vendor": make_user("vendor", "vendor@example.cn", "Vendor Zhao", company="杭州云客服科技有限公司"),
        "other_vendor": make_user("vendor", "vendor2@example.cn", "Vendor Qian", company="广州提成制客服服务有限公司"),
        "evaluator": make_user("evaluator", "expert@example.cn", "Expert Sun"),
        "admin": make_user("admin", "admin@example.cn", "Admin Zhou"),
    }


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.timezone.utc)
