"""Sign-in, sign-out, vendor registration, roles and the language switch."""

from __future__ import annotations

from tender.models import AuditRecord, User
from tests.integration.conftest import PASSWORD, csrf_token_from


def test_home_page_is_chinese_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert "登录" in page and "电商客服外包" in page


def test_language_switch_for_anonymous_visitor_is_kept_in_session(client):
    response = client.post("/language/en", data={"next": "/auth/login"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Sign in" in page and "登录" not in page


def test_signed_in_user_language_is_stored_on_the_user(client, auth, users):
    auth.login(users["buyer"])
    client.post("/language/zh_CN", data={"next": "/"})
    assert User.query.filter_by(email="buyer@example.cn").one().locale == "zh_CN"


def test_login_with_wrong_password_is_refused_and_audited(client, users):
    response = client.post("/auth/login", data={"email": "buyer@example.cn", "password": "nope"})
    assert "Wrong e-mail address or password" in response.get_data(
        as_text=True
    ) or "邮箱或密码错误" in response.get_data(as_text=True)
    assert AuditRecord.query.filter_by(action="login_failed").count() == 1


def test_login_and_logout(client, auth, users):
    response = auth.login(users["buyer"])
    assert response.status_code == 302
    assert AuditRecord.query.filter_by(action="login").count() == 1
    assert client.get("/buyer/tenders/").status_code == 200
    auth.logout()
    assert client.get("/buyer/tenders/").status_code == 302  # back to the sign-in page


def test_a_visitor_who_opens_many_pages_signed_out_is_asked_to_sign_in_once(client):
    """Ten pages opened before signing in (tabs, bookmarks): each is sent to the sign-in page,
    whose message is queued once, not ten times; the session cookie that carries the waiting
    messages stays small (browsers drop a cookie over 4 KB)."""
    client.post("/language/en", data={"next": "/"})
    pages = ["/buyer/tenders/", "/vendor/tenders", "/vendor/bids", "/notifications/", "/admin/users"] * 2
    for path in pages:
        assert client.get(path).status_code == 302
    assert len(client.get_cookie("session").value) < 600
    page = client.get("/auth/login").get_data(as_text=True)
    assert page.count("Please sign in to see this page.") == 1
    assert "Please sign in" not in client.get("/auth/login").get_data(as_text=True)  # shown once, then gone


def test_logout_ends_the_session_on_the_server(app, users):
    """A copy of the session cookie (say, stolen before the logout) is worthless after it."""
    browser, copy = app.test_client(), app.test_client()
    browser.post("/auth/login", data={"email": "buyer@example.cn", "password": PASSWORD})
    copy.set_cookie("session", browser.get_cookie("session").value)
    assert copy.get("/buyer/tenders/").status_code == 200
    browser.post("/auth/logout")
    assert copy.get("/buyer/tenders/").status_code == 302


def test_vendor_registers_with_company_facts(client):
    response = client.post(
        "/auth/register",
        data={
            "email": "new@vendor.cn",
            "name": "Ms Chen",
            "password": "long password",
            "password2": "long password",
            "company_name": "上海新客服有限公司",
            "credit_code": "9131 0115 ma1k 4bxq 25",
            "registered_capital": "¥1,500,000",
            "established": "2019-05-01",
            "independent_legal_person": "y",
            "staff_count": "120",
            "similar_projects": "6",
            "platforms": ["taobao", "jd"],
            "channels": ["online_chat"],
            "services": ["pre_sale", "after_sale"],
            "first_response_seconds": "20",
            "satisfaction_commitment": "0.96",
            "sme": "y",
            "other_facts": "iso9001 = yes",
        },
    )
    assert response.status_code == 302
    user = User.query.filter_by(email="new@vendor.cn").one()
    assert user.role == "vendor"
    facts = user.vendor_profile.facts
    assert facts["registered_capital"] == "1500000"
    assert facts["established"] == "2019-05-01"
    assert facts["platforms"] == ["taobao", "jd"]
    assert facts["sme"] is True and facts["sound_accounting"] is False
    assert facts["iso9001"] == "yes"
    assert facts["company_name"] == "上海新客服有限公司"
    assert user.vendor_profile.credit_code == "91310115MA1K4BXQ25"  # typed with spaces in lower case: stored normalized
    assert user.password_hash.startswith("pbkdf2:")  # the test config; the app default is scrypt


def test_registration_error_keeps_what_was_typed(client):
    response = client.post(
        "/auth/register",
        data={
            "email": "x@vendor.cn",
            "name": "Mr Xu",
            "password": "long password",
            "password2": "different",
            "company_name": "深圳客服有限公司",
            "registered_capital": "lots",
            "staff_count": "12.5",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="深圳客服有限公司"' in page and 'value="lots"' in page
    assert "Enter a number" in page or "请输入数字" in page
    assert "两次输入的密码不一致。" in page  # the default language is Chinese
    assert User.query.filter_by(email="x@vendor.cn").count() == 0


def test_default_password_hash_is_scrypt(app):
    app.config.pop("PASSWORD_HASH_METHOD")
    user = User(email="s@example.cn", name="s", role="buyer")
    user.set_password("pw")
    assert user.password_hash.startswith("scrypt:")


def test_wrong_role_gets_403(client, auth, users):
    auth.login(users["vendor"])
    assert client.get("/buyer/tenders/").status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_admin_creates_an_evaluator(client, auth, users):
    auth.login(users["admin"])
    response = client.post(
        "/admin/users",
        data={"email": "e2@example.cn", "name": "Expert Two", "role": "evaluator", "password": "a good password"},
    )
    assert response.status_code == 302
    assert User.query.filter_by(email="e2@example.cn").one().role == "evaluator"


def test_admin_sees_the_audit_trail_intact(client, auth, users):
    auth.login(users["admin"])
    page = client.get("/admin/audit").get_data(as_text=True)
    # each record's action in words (the record's code "login" is not shown)
    assert "signed in" in page and ("Hash chain intact" in page or "哈希链完整" in page)


def test_forms_carry_a_csrf_token_and_posts_without_it_are_refused(csrf_app):
    from tests.integration.conftest import make_user

    make_user("buyer", "b@example.cn")
    client = csrf_app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = csrf_token_from(page)
    refused = client.post("/auth/login", data={"email": "b@example.cn", "password": PASSWORD})
    assert refused.status_code == 400
    accepted = client.post("/auth/login", data={"email": "b@example.cn", "password": PASSWORD, "csrf_token": token})
    assert accepted.status_code == 302
