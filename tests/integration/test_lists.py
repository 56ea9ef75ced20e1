"""Tender lists are paginated (25 a page) and their queries do not grow with the page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event

from tender.models import Tender, utcnow
from tender.platform.extensions import db


def _tenders(owner, count: int, now: dt.datetime) -> None:
    for n in range(count):
        deadline = now + dt.timedelta(days=n - 10)  # tenders 0–10 closed, 11 on open
        db.session.add(
            Tender(
                owner_id=owner.id,
                status="published",
                title=f"项目{n:02d}",
                definition_json="{}",
                version=1,
                bid_deadline=deadline,
                opening_time=deadline + dt.timedelta(minutes=30),
                created_at=now - dt.timedelta(minutes=n),
            )
        )
    db.session.commit()


def test_buyers_see_their_tenders_25_a_page_newest_first(client, auth, users):
    _tenders(users["buyer"], 30, utcnow())
    auth.login(users["buyer"])
    first = client.get("/buyer/tenders/").get_data(as_text=True)
    assert "项目00" in first and "项目24" in first and "项目25" not in first
    assert "Page 1 of 2 (30 in all)" in first and "?page=2" in first
    second = client.get("/buyer/tenders/?page=2").get_data(as_text=True)
    assert "项目25" in second and "项目29" in second and "项目24" not in second


def test_vendors_see_open_tenders_first_soonest_deadline_first_then_closed_ones(client, auth, users):
    _tenders(users["buyer"], 30, utcnow())
    auth.login(users["vendor"])
    first = client.get("/vendor/tenders").get_data(as_text=True)
    assert first.index("项目11") < first.index("项目29") < first.index("项目10") < first.index("项目05")
    second = client.get("/vendor/tenders?page=2").get_data(as_text=True)
    assert "项目00" in second and "Page 2 of 2" in second


def test_a_list_page_costs_the_same_number_of_queries_whatever_the_page_holds(app, client, auth, users):
    _tenders(users["buyer"], 30, utcnow())
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(1))
    for who, path in (("buyer", "/buyer/tenders/"), ("vendor", "/vendor/tenders")):
        auth.login(users[who])
        client.get(path)
        counts = []
        for page in (1, 2):
            statements.clear()
            assert client.get(f"{path}?page={page}").status_code == 200
            counts.append(len(statements))
        # 25 rows or 5: the same few statements (one of them the bell's unread count)
        assert counts[0] == counts[1] <= 6, (who, counts)
        auth.logout()
