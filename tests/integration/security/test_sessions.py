"""Sessions (OWASP ASVS §3): a new session token at sign-in, an idle timeout and
a maximum length enforced on the server, sign-in throttling counted from the audit trail,
and passwords hashed with scrypt."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tender.models import AuditRecord, User
from tender.platform import audit, security
from tender.platform.extensions import db
from tests.integration.conftest import PASSWORD, app_config, make_user


def sign_in(client, email="buyer@example.cn", password=PASSWORD, address="203.0.113.7"):
    return client.post(
        "/auth/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def page(response) -> str:
    return response.get_data(as_text=True)


# --------------------------------------------------------------------------- fixation


def test_signing_in_issues_a_new_session_token_and_a_new_cookie(app, client, users):
    client.get("/auth/login")  # an anonymous session exists before signing in
    client.post("/language/en", data={"next": "/"})
    before_cookie = client.get_cookie("session").value
    token_before = users["buyer"].session_token
    sign_in(client)
    db.session.refresh(users["buyer"])
    assert users["buyer"].session_token != token_before
    assert client.get_cookie("session").value != before_cookie
    assert client.get("/buyer/tenders/").status_code == 200


def test_a_cookie_planted_before_sign_in_is_worthless_after_it(app, users):
    """Session fixation: the attacker's copy of the pre-sign-in cookie never becomes signed in."""
    victim, attacker = app.test_client(), app.test_client()
    victim.get("/auth/login")
    planted = victim.get_cookie("session")
    if planted is not None:
        attacker.set_cookie("session", planted.value)
    sign_in(victim)
    assert victim.get("/buyer/tenders/").status_code == 200
    assert attacker.get("/buyer/tenders/").status_code == 302


def test_signing_in_again_ends_the_earlier_session_with_a_message(app, users):
    first, second = app.test_client(), app.test_client()
    sign_in(first)
    sign_in(second)
    assert second.get("/buyer/tenders/").status_code == 200
    response = first.get("/buyer/tenders/", follow_redirects=True)
    assert "Your session has ended" in page(response) or "会话已结束" in page(response)


# --------------------------------------------------------------------------- idle timeout


def _age_session(client, idle_seconds: float, since_sign_in: float | None = None):
    with client.session_transaction() as session:
        session[security.SESSION_SEEN] = time.time() - idle_seconds
        if since_sign_in is not None:
            session[security.SESSION_STARTED] = time.time() - since_sign_in


def test_an_idle_session_expires_on_the_server_and_the_user_is_told(app, client, users):
    app.config["IDLE_TIMEOUT_MINUTES"] = 30
    sign_in(client)
    _age_session(client, 29 * 60)
    assert client.get("/buyer/tenders/").status_code == 200  # 29 minutes idle: still signed in
    _age_session(client, 31 * 60)
    response = client.get("/buyer/tenders/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert response.headers["Location"].endswith("next=/buyer/tenders/")
    text = page(client.get(response.headers["Location"]))
    assert "after 30 minutes without activity" in text
    assert client.get("/buyer/tenders/").status_code == 302
    record = AuditRecord.query.filter_by(action="session_expired").one()
    assert record.details == {"reason": "idle"}
    assert audit.verify().ok


def test_activity_keeps_the_session_alive(app, client, users):
    app.config["IDLE_TIMEOUT_MINUTES"] = 30
    sign_in(client)
    for _ in range(3):
        _age_session(client, 20 * 60)  # 20 minutes since the last request, three times over
        assert client.get("/buyer/tenders/").status_code == 200


def test_an_expired_session_cannot_be_replayed_from_a_copied_cookie(app, users):
    """The expiry rotates the token: an older copy of the cookie is dead too."""
    app.config["IDLE_TIMEOUT_MINUTES"] = 30
    browser, copy = app.test_client(), app.test_client()
    sign_in(browser)
    copy.set_cookie("session", browser.get_cookie("session").value)
    _age_session(browser, 31 * 60)
    browser.get("/buyer/tenders/")
    assert copy.get("/buyer/tenders/").status_code == 302


def test_a_session_ends_at_its_maximum_length_even_when_active(app, client, users):
    app.config["SESSION_MAX_HOURS"] = 12
    sign_in(client)
    _age_session(client, 60, since_sign_in=12 * 3600 + 60)
    response = client.get("/buyer/tenders/", follow_redirects=True)
    assert "maximum length of 12 hours" in page(response)
    assert AuditRecord.query.filter_by(action="session_expired").one().details == {"reason": "lifetime"}


def test_the_idle_timeout_is_configurable(tmp_path, monkeypatch):
    monkeypatch.setenv("TENDER_IDLE_MINUTES", "5")
    import importlib

    import tender.platform.config

    reloaded = importlib.reload(tender.platform.config)
    try:
        assert reloaded.Config.IDLE_TIMEOUT_MINUTES == 5
    finally:
        monkeypatch.delenv("TENDER_IDLE_MINUTES")
        importlib.reload(tender.platform.config)


# --------------------------------------------------------------------------- throttling


def test_failed_attempts_are_audited_with_the_client_address(client, users):
    sign_in(client, password="wrong", address="198.51.100.9")
    record = AuditRecord.query.filter_by(action="login_failed").one()
    assert record.details == {"email": "buyer@example.cn", "address": "198.51.100.9"}


def test_an_account_is_throttled_after_five_failures_even_with_the_right_password(app, client, users):
    client.post("/language/en", data={"next": "/"})
    for attempt in range(5):
        assert sign_in(client, password=f"guess {attempt}", address=f"198.51.100.{attempt}").status_code == 200
    response = sign_in(client, address="198.51.100.99")  # the right password, from a sixth address
    assert response.status_code == 429
    assert "Too many failed sign-in attempts for this account" in page(response)
    assert "Wait 15 minutes" in page(response)
    assert int(response.headers["Retry-After"]) > 14 * 60
    assert client.get("/buyer/tenders/").status_code == 302  # not signed in
    refused = AuditRecord.query.filter_by(action="login_throttled").one()
    assert refused.details["scope"] == "account" and refused.details["email"] == "buyer@example.cn"
    assert AuditRecord.query.filter_by(action="login").count() == 0
    assert audit.verify().ok


def test_an_address_is_throttled_after_twenty_failures_across_accounts(app, client, users):
    client.post("/language/en", data={"next": "/"})
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20
    for attempt in range(20):
        sign_in(client, email=f"nobody{attempt}@example.cn", password="x", address="192.0.2.1")
    response = sign_in(client, address="192.0.2.1")
    assert response.status_code == 429
    assert "from your network address" in page(response)
    assert AuditRecord.query.filter_by(action="login_throttled").one().details["scope"] == "address"
    # Another address can still sign in to the same account.
    assert sign_in(app.test_client(), address="192.0.2.2").status_code == 302


def test_the_limit_lifts_when_the_failures_leave_the_window(app, client, users):
    for _attempt in range(5):
        sign_in(client, password="wrong")
    refused = sign_in(client)
    assert refused.status_code == 429 and "此账号登录失败次数过多" in page(refused)  # Chinese by default
    # 16 minutes later (the window is 15): move the failures back in time.
    for record in AuditRecord.query.filter(AuditRecord.action.in_(["login_failed", "login_throttled"])):
        record.at = record.at - dt.timedelta(minutes=16)
    db.session.commit()  # (the chain breaks; only the throttle is under test here)
    assert sign_in(client).status_code == 302


def test_a_successful_sign_in_clears_the_account_count(app, client, users):
    for _attempt in range(4):
        sign_in(client, password="wrong")
    assert sign_in(client).status_code == 302
    client.post("/auth/logout")
    for _attempt in range(4):
        sign_in(client, password="wrong")
    assert sign_in(client).status_code == 302  # 4 + 4 failures, but never 5 since the last success


def test_e_mails_with_like_wildcards_are_counted_exactly(app, client, users):
    make_user("buyer", "a_b%c@example.cn")
    for attempt in range(5):
        sign_in(client, email="axb%c@example.cn", password="wrong", address=f"198.51.100.{attempt}")
    assert sign_in(client, email="a_b%c@example.cn", address="198.51.100.50").status_code == 302


# --------------------------------------------------------------------------- passwords


def test_passwords_are_hashed_with_scrypt_by_default_and_checked(app):
    app.config.pop("PASSWORD_HASH_METHOD")
    user = User(email="s@example.cn", name="s", role="buyer")
    user.set_password("sesame street 7")
    method, salt, digest = user.password_hash.split("$")
    assert method.startswith("scrypt:") and len(salt) >= 16 and len(digest) == 128
    assert user.check_password("sesame street 7") and not user.check_password("sesame street 8")
    other = User(email="t@example.cn", name="t", role="buyer")
    other.set_password("sesame street 7")
    assert other.password_hash != user.password_hash  # salted


def test_a_deactivated_account_cannot_sign_in(client, users):
    users["buyer"].active = False
    db.session.commit()
    assert sign_in(client).status_code == 200
    assert AuditRecord.query.filter_by(action="login_failed").count() == 1


# --------------------------------------------------------------------------- cookies


def test_the_session_cookie_is_secure_httponly_and_samesite_lax(client, users):
    response = sign_in(client)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_can_be_turned_off_for_local_http(tmp_path):
    from tender import create_app

    app = create_app(
        app_config(
            tmp_path, SESSION_COOKIE_SECURE=False, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'local.sqlite'}"
        )
    )
    with app.app_context():
        db.create_all()
        make_user("buyer", "local@example.cn")
        response = app.test_client().post("/auth/login", data={"email": "local@example.cn", "password": PASSWORD})
        assert "Secure" not in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("value, expected", [("", True), ("1", True), ("0", False), ("false", False), ("off", False)])
def test_the_cookie_secure_setting_reads_the_environment(monkeypatch, value, expected):
    from tender.platform.config import _flag

    monkeypatch.setenv("TENDER_COOKIE_SECURE", value)
    assert _flag("TENDER_COOKIE_SECURE", True) is expected
