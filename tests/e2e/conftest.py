"""The app served on loopback and driven by Chromium through Playwright.

- ``live``: the real app (``create_app`` with a temporary instance folder and SQLite
  file), served by werkzeug in a thread on 127.0.0.1 and a free port; the accounts a
  test needs are made through the services (:mod:`tender.services.accounts`).
- ``clock``: moves the server's clock (every ``utcnow`` of the app) forward, so a test
  can let the bid deadline pass without waiting for it.
- ``browser``: Debian's Chromium (``make setup`` installs it), headless; ``actor`` opens
  a fresh browser context (its own cookies: one person) and signs it in.
- ``shot``: a 1280×800 screenshot of a step, saved to ``docs/screenshots/latest/`` (or
  ``$E2E_SCREENSHOTS``); ``make screenshots`` refreshes the committed ones.

Every test module here sets ``pytestmark = pytest.mark.e2e`` (``pytest -m e2e`` runs them
alone); they are skipped with a reason when /usr/bin/chromium or Playwright is missing.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
PASSWORD = "e2e-password-42"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS") or ROOT / "docs" / "screenshots" / "latest")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


# --------------------------------------------------------------------------- the clock


class Clock:
    """The app's ``utcnow`` everywhere, shifted by ``offset`` (real time keeps running)."""

    def __init__(self, real):
        self.real = real
        self.offset = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return self.real() + self.offset

    def advance(self, **delta) -> None:
        self.offset += dt.timedelta(**delta)

    def reset(self) -> None:
        self.offset = dt.timedelta(0)


def _install_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Replace ``utcnow`` in every loaded module of the app that imported it by name."""
    from tender import models

    real = models.utcnow
    clock = Clock(real)
    for name, module in list(sys.modules.items()):
        if (name == "tender" or name.startswith("tender.")) and getattr(module, "utcnow", None) is real:
            monkeypatch.setattr(module, "utcnow", clock)
    return clock


# --------------------------------------------------------------------------- the server


class LiveServer:
    def __init__(self, app, clock: Clock):
        from werkzeug.serving import make_server

        self.app = app
        self.clock = clock
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="e2e-server", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    # accounts, made through the services ------------------------------------------
    def admin(self):
        from tender.models import User
        from tender.platform.extensions import db

        with self.app.app_context():
            admin = db.session.query(User).filter_by(role="admin").first()
            if admin is None:  # the first administrator, as the demo seed makes it
                admin = User(email="admin@e2e.cn", name="管理员 周", role="admin", locale=None)
                admin.set_password(PASSWORD)
                db.session.add(admin)
                db.session.commit()
            return admin.id

    def account(self, role: str, email: str, name: str) -> str:
        from tender.models import User
        from tender.platform.extensions import db
        from tender.services import accounts

        admin_id = self.admin()
        with self.app.app_context():
            if accounts.find_by_email(email) is None:
                accounts.create_account(
                    db.session.get(User, admin_id), email=email, name=name, role=role, password=PASSWORD
                )
        return email

    def vendor(self, email: str, company: str, facts: dict) -> str:
        from tender.services import accounts

        with self.app.app_context():
            if accounts.find_by_email(email) is None:
                accounts.register_vendor(
                    email=email,
                    name=company[:6] + " 投标联系人",
                    password=PASSWORD,
                    company_name=company,
                    facts=facts,
                    credit_code=credit_code_for(email),
                )
        return email


def credit_code_for(email: str) -> str:
    """A valid unified social credit code of its own for each test vendor (from its e-mail)."""
    import hashlib

    from scoring.identity import ALPHABET, check_character

    first17 = "91330100" + "".join(
        ALPHABET[byte % len(ALPHABET)] for byte in hashlib.sha256(email.encode()).digest()[:9]
    )
    return first17 + check_character(first17)


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: `make setup` installs Debian's chromium (as root)")
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the browser tests run once, in the SQLite run of `make test` (they test pages, not the database)")
    from tender import create_app
    from tender.platform.catalogues import compile_catalogues
    from tender.platform.extensions import db
    from tender.platform.storage import generate_key

    compile_catalogues()
    folder = tmp_path_factory.mktemp("e2e")
    app = create_app(
        {
            "INSTANCE_PATH": str(folder / "instance"),
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(folder / "e2e.sqlite"),
            "SECRET_KEY": "e2e-secret",
            "TENDER_DATA_KEY": generate_key(),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        db.create_all()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with pytest.MonkeyPatch.context() as monkeypatch:
        server = LiveServer(app, _install_clock(monkeypatch))
        server.start()
        try:
            yield server
        finally:
            server.stop()
            with app.app_context():
                db.engine.dispose()


@pytest.fixture
def clock(live):
    yield live.clock
    live.clock.reset()


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser(live):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Actor:
    """One person at one browser: a context with its own cookies, and its page."""

    def __init__(self, browser, live: LiveServer, javascript: bool = True):
        self.live = live
        self.context = browser.new_context(
            viewport=VIEWPORT,
            base_url=live.url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            java_script_enabled=javascript,
        )
        self.context.set_default_timeout(30_000)  # a loaded CI machine is slow
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: dialog.accept())  # "are you sure?" — yes

    def go(self, path: str):
        response = self.page.goto(path)
        assert response is not None and response.status < 400, (path, response and response.status)
        return self.page

    def sign_in(self, email: str, password: str = PASSWORD):
        page = self.go("/auth/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.click("form.narrow [type=submit]")
        page.wait_for_selector(".who")
        return page

    def close(self) -> None:
        assert not self.errors, f"JavaScript errors: {self.errors}"
        self.context.close()


@pytest.fixture
def actor(browser, live, request):
    """``actor(email)``: a new person at a browser, signed in. On failure, every page is saved."""
    opened: list[Actor] = []

    def open_actor(email: str | None = None, javascript: bool = True) -> Actor:
        person = Actor(browser, live, javascript)
        opened.append(person)
        if email:
            person.sign_in(email)
        return person

    yield open_actor
    if getattr(request.node, "e2e_failed", False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for number, person in enumerate(opened, start=1):
            person.page.screenshot(path=str(SCREENSHOTS / f"failed-{request.node.name}-{number}.png"))
    for person in opened:
        person.close()


@pytest.fixture
def shot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full_page: bool = False) -> Path:
        assert re.fullmatch(r"[0-9a-z-]+", name), name
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    return take
