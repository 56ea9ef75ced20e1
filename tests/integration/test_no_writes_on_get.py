"""Reading a page never changes the data: every GET route of the app, as each role of the
demo, with every id the demo holds, runs no INSERT, UPDATE or DELETE — time passing moves
a tender's status by the lifecycle's rules, not by a write from whoever looks first.

The one write a GET may make is an audit record: some reads are themselves audited (a report
exported, a refused access). Signing in is a POST and happens before the watch starts.
"""

from __future__ import annotations

import itertools
import re

import pytest
from sqlalchemy import event, select

from tender.demo import seed
from tender.models import Bid, BidVersion, FinalOffer, StoredFile, Tender, User
from tender.platform.extensions import db
from tests.integration.conftest import seed_demo

ROLES = ("buyer@demo.cn", "expert1@demo.cn", "vendor1@demo.cn", "vendor2@demo.cn", "admin@demo.cn")
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)
AUDIT_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+\"?audit_record\"?", re.I)


def ids_of_the_demo() -> dict[str, list[str]]:
    """The values each URL parameter of the app can take in the demo."""

    def public_ids(model, *where):
        return list(db.session.scalars(select(model.public_id).where(*where)))

    return {
        "public_id": public_ids(Tender),
        "bid_id": public_ids(Bid),
        "version_id": public_ids(BidVersion),
        "file_id": public_ids(StoredFile),
        "evaluator_id": public_ids(User, User.role == "evaluator"),
        "job_id": ["no-such-job"],
        "offer_id": public_ids(FinalOffer) or ["no-such-offer"],
        "name": ["costs", "scores", "sensitivity", "year_costs", "stability"],
        "code": ["en"],
        "month": ["2027-01"],
    }


def get_urls(app, values: dict[str, list[str]]) -> list[str]:
    """Every GET route, once for each combination of the demo's ids for its parameters."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        names = sorted(rule.arguments)
        for combination in itertools.product(*(values[name] for name in names)):
            urls.append(rule.build(dict(zip(names, combination)))[1])
    return sorted(urls)


# One test per role: each walks the whole app on a demo of its own (a copy on SQLite), so the
# roles' walks run side by side when the suite is spread over several processes.
@pytest.mark.parametrize("email", ROLES)
def test_no_get_route_writes_anything_but_an_audit_record(app, runner, email):
    seed_demo(app, runner)
    urls = get_urls(app, ids_of_the_demo())
    assert len(urls) > 100  # the walk covers the app: ~40 routes, many with several ids
    writes: list[str] = []

    def watch(_connection, _cursor, statement, _parameters, _context, _executemany):
        if WRITE.match(statement) and not AUDIT_INSERT.match(statement):
            writes.append(f"{watching[0]} GET {watching[1]}: {' '.join(statement.split())[:100]}")

    watching = ["", ""]
    db.session.remove()
    client = app.test_client()
    assert client.post("/auth/login", data={"email": email, "password": seed.PASSWORD}).status_code == 302
    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        for url in urls:
            watching[:] = [email, url]
            assert client.get(url).status_code < 500, (email, url)
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    assert not writes, "a GET wrote to the database:\n" + "\n".join(writes)
