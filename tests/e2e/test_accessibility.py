"""In a real browser: every page of the demo, for each of its roles, in Chinese and in
English, passes axe-core's WCAG 2.1 A/AA rules with no critical or serious violation
(GB/T 37668-2019 follows WCAG 2.1). The walk follows the links from the home page, as
tests/integration/test_plain_words.py does, one page per kind of address."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest

from tests.e2e.test_tender_builder import axe_violations

pytestmark = pytest.mark.e2e

WALKERS = ("buyer@demo.cn", "expert1@demo.cn", "vendor1@demo.cn", "admin@demo.cn", None)
SKIPPED = ("/static", "logout", ".xlsx", ".docx", ".pdf", ".json", ".svg", ".png", ".csv", "/download")


@pytest.fixture(scope="module")
def demo(live, tmp_path_factory):
    """The demo (``seed-demo``) on a server of its own, so its accounts and tenders never meet
    the other browser tests' (its clock is theirs)."""
    from tender import create_app
    from tender.demo import seed
    from tender.platform.extensions import db
    from tender.platform.storage import generate_key
    from tests.e2e.conftest import LiveServer

    folder = tmp_path_factory.mktemp("a11y")
    app = create_app(
        {
            "INSTANCE_PATH": str(folder / "instance"),
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(folder / "demo.sqlite"),
            "SECRET_KEY": "a11y-secret",
            "TENDER_DATA_KEY": generate_key(),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        db.create_all()
        seed.seed_demo(live.clock())
        db.session.remove()
    server = LiveServer(app, live.clock)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def person(browser, demo):
    """``person(email, english)``: someone at a browser on the demo's server, signed in."""
    from tender.demo.seed import PASSWORD
    from tests.e2e.conftest import Actor

    opened = []

    def open_person(email, english: bool, viewport=None):
        someone = Actor(browser, demo)
        opened.append(someone)
        if viewport:
            someone.page.set_viewport_size(viewport)
        if email:
            someone.sign_in(email, PASSWORD)
        someone.go("/")
        wanted = "English" if english else "中文"
        someone.page.click(f".lang-switch button:has-text('{wanted}')")
        someone.page.wait_for_selector("html[lang=en]" if english else "html[lang=zh-CN]")
        return someone

    yield open_person
    for someone in opened:
        someone.close()


def kind_of(path: str) -> str:
    return re.sub(r"/[A-Za-z0-9_-]{16}(?=/|$)", "/<id>", path)


def walk(page, base: str):
    """The pages reachable by links from the home page, one per kind of address."""
    from playwright.sync_api import Error as PlaywrightError

    todo, seen, kinds, pages = ["/"], set(), set(), []
    while todo and len(pages) < 60:
        path = todo.pop(0)
        if path in seen or kind_of(path) in kinds or any(part in path for part in SKIPPED):
            continue
        seen.add(path)
        try:
            response = page.goto(path)
        except PlaywrightError:  # a download (a stored file): not a page
            continue
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        kinds.add(kind_of(urlparse(page.url).path))
        pages.append(path)
        yield kind_of(urlparse(page.url).path)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urlparse(urljoin(base + path, href))
            if target.netloc == urlparse(base).netloc and not target.fragment:
                todo.append(target.path + (f"?{target.query}" if target.query else ""))


# The pages each walker must have reached: its own work (the tender form and the results,
# the score sheet, a tender to bid on, the accounts, a public notice).
REACHED = {
    "buyer@demo.cn": {"/buyer/tenders/new"},
    "expert1@demo.cn": {"/evaluator/tenders/<id>/scores", "/results/<id>"},
    "vendor1@demo.cn": {"/vendor/tenders/<id>"},
    "admin@demo.cn": {"/admin/users"},
    None: {"/notices/<id>"},
}


@pytest.mark.parametrize("email", WALKERS, ids=lambda email: (email or "visitor").split("@")[0])
@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
def test_every_page_of_every_role_has_no_serious_accessibility_violation(demo, person, english, email):
    """One test per role and language (a walk is up to 60 pages, each checked by axe-core)."""
    found, walked = [], set()
    page = person(email, english).page
    for kind in walk(page, demo.url):
        walked.add(kind)
        found += [f"{email} {kind}: {violation}" for violation in axe_violations(page)]
    assert REACHED[email] <= walked, sorted(walked)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
def test_every_page_of_the_buyer_and_a_vendor_fits_a_phone(demo, person, english):
    from tests.e2e.test_tender_builder import PHONE, no_horizontal_scroll

    wide = []
    for email in ("buyer@demo.cn", "vendor1@demo.cn"):
        page = person(email, english, viewport=PHONE).page
        for kind in walk(page, demo.url):
            if not no_horizontal_scroll(page):
                wide.append(f"{email} {kind}: {page.evaluate('document.documentElement.scrollWidth')} px")
    assert wide == [], "\n".join(wide)
