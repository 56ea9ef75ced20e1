"""Every redirect that takes its target from the request (signing in, switching the
language) follows only a path on this site: the forms a browser would read as another
site — a tab or line break dropped, a backslash read as a slash, scheme-relative,
absolute, percent-encoded in the request — send the user home instead."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tender.platform.redirects import safe_next
from tests.integration.conftest import PASSWORD

HOSTILE = [
    "/\t/evil.example",  # the browser drops the tab: //evil.example
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\\evil.example",  # the browser reads the backslash as a slash
    "\\\\evil.example",
    "//evil.example",
    "///evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/\x00/evil.example",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_the_one_rule_refuses_every_target_off_this_site(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/auth/login", "/buyer/tenders/?page=2&q=客服", "/vendor/tenders/AB12#files"])
def test_the_one_rule_keeps_a_path_on_this_site(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_sends_a_hostile_next_home(client, target):
    # percent-encoded in the request body, as a browser would send the form
    response = client.post(
        "/language/en", data=f"next={quote(target, safe='')}", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_still_returns_to_the_page_it_came_from(client):
    response = client.post("/language/en", data={"next": "/auth/login?next=/buyer/tenders/"})
    assert response.headers["Location"] == "/auth/login?next=/buyer/tenders/"


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_sends_a_hostile_next_home(client, users, target):
    response = client.post(
        f"/auth/login?next={quote(target, safe='')}", data={"email": users["buyer"].email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_follows_a_next_on_this_site(client, users):
    response = client.post(
        "/auth/login?next=%2Fbuyer%2Ftenders%2F", data={"email": users["buyer"].email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/buyer/tenders/"
