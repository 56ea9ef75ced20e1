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
def demo(live):
    from tender.demo import seed
    from tender.platform.extensions import db
    with live.app.app_context():
        seed.seed_demo(live.clock())
        db.session.remove()
    return seed.PASSWORD


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
        except PlaywrightError:          # a download (a stored file): not a page
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


@pytest.mark.parametrize("english", [False, True], ids=["zh", "en"])
def test_every_page_of_every_role_has_no_serious_accessibility_violation(live, actor, demo, english):
    found, walked = [], set()
    for email in WALKERS:
        person = actor()
        if email:
            person.sign_in(email, demo)
        page = person.page
        if english:
            person.go("/")
            page.click(".lang-switch button:has-text('English')")
            page.wait_for_selector("html[lang=en]")
        for kind in walk(page, live.url):
            walked.add(kind)
            found += [f"{email} {kind}: {violation}" for violation in axe_violations(page)]
    # the walk saw the pages of every role: the tender form, the results, the score sheet, the notices
    assert {"/buyer/tenders/new", "/results/<id>", "/evaluator/tenders/<id>/scores", "/notices/<id>",
            "/vendor/tenders/<id>", "/admin/users"} <= walked, sorted(walked)
    assert found == [], "\n".join(found)


def test_every_page_of_the_buyer_and_a_vendor_fits_a_phone(live, actor, demo):
    from tests.e2e.test_tender_builder import PHONE, no_horizontal_scroll
    wide = []
    for email in ("buyer@demo.cn", "vendor1@demo.cn"):
        person = actor()
        person.page.set_viewport_size(PHONE)
        person.sign_in(email, demo)
        for kind in walk(person.page, live.url):
            if not no_horizontal_scroll(person.page):
                wide.append(f"{email} {kind}: {person.page.evaluate('document.documentElement.scrollWidth')} px")
    assert wide == [], "\n".join(wide)
