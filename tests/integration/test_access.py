"""Every route has an access rule: public ones are listed here, the others need a role."""

from __future__ import annotations

import re

PUBLIC = {
    "static",
    "main.index",
    "main.set_language",
    "auth.login",
    "auth.register",
    # the tender notices (招标公告): published tenders, never their bids
    "notices.index",
    "notices.show",
    "notices.price_sheet",
    "notices.document",
}
SIGNED_IN_ANY_ROLE = {"auth.logout"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        yield rule, app.view_functions[rule.endpoint]


def test_every_route_is_public_by_choice_or_needs_a_role(app):
    unguarded = [
        rule.rule
        for rule, view in _routes(app)
        if rule.endpoint not in PUBLIC | SIGNED_IN_ANY_ROLE and not getattr(view, "allowed_roles", None)
    ]
    assert not unguarded, f"routes without @role_required: {unguarded}"


def test_anonymous_visitors_are_sent_to_sign_in_and_wrong_roles_get_403(app, client, auth, users):
    for rule, _view in _routes(app):
        if rule.endpoint in PUBLIC | SIGNED_IN_ANY_ROLE:
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: "activate" if m.group(1) == "change" else "x" * 16, rule.rule)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(path, method=method)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], rule.rule
    for role in ("buyer", "vendor", "evaluator", "admin"):
        auth.login(users[role])
        for rule, view in _routes(app):
            allowed = getattr(view, "allowed_roles", None)
            if not allowed or role in allowed:
                continue
            path = re.sub(
                r"<(?:[^:>]+:)?([^>]+)>", lambda m: "activate" if m.group(1) == "change" else "x" * 16, rule.rule
            )
            method = "GET" if "GET" in rule.methods else "POST"
            assert client.open(path, method=method).status_code == 403, (role, rule.rule)
        auth.logout()
