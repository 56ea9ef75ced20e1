"""In-app notifications: who is told of an amendment and of the opening, the bell's unread
count (one query per page, however many notifications), the page of notifications, and
reading them (marked read, never another user's, not audited)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from flask_babel import refresh
from sqlalchemy import event

from tender.models import AuditRecord, Notification, utcnow
from tender.notifications import notify
from tender.platform.extensions import db
from tender.services import Invalid
from tender.services import bids as bid_service
from tender.services import opening as opening_service
from tender.services import tenders as tender_service
from tests.integration.conftest import make_user
from tests.integration.helpers import definition, document_file, published, quote_file, sample_bid, submit


def notifications_of(user) -> list[Notification]:
    return Notification.query.filter_by(user_id=user.id).order_by(Notification.id).all()


def bell(client) -> str | None:
    """The unread count the bell shows ('' when it shows none), None when there is no bell."""
    page = client.get("/").get_data(as_text=True)
    if 'id="bell"' not in page:
        page = client.get("/notifications/").get_data(as_text=True)
    found = re.search(r'<a href="/notifications/" id="bell"[^>]*>(.*?)</a>', page, re.S)
    if found is None:
        return None
    count = re.search(r'id="bell-count">([^<]*)<', found.group(1))
    return count.group(1) if count else ""


def reach_opening_time(tender) -> None:
    """Published 20 days ago, deadline 35 minutes ago, opening time 5 minutes ago: as time passing would."""
    tender.published_at = utcnow() - dt.timedelta(days=20)
    tender.bid_deadline = utcnow() - dt.timedelta(minutes=35)
    tender.opening_time = utcnow() - dt.timedelta(minutes=5)
    db.session.commit()


def amend(users, tender, note="日均咨询量调整为 900"):
    amended = definition(days=12)
    amended["scenario"]["daily_inquiries"] = 900
    return tender_service.amend(users["buyer"], tender, amended, note)


def test_an_amendment_tells_the_vendors_with_a_confirmed_bid_and_nobody_else(app, users):
    tender = published(users["buyer"])
    submit(users["vendor"], tender)
    previewer = make_user("vendor", "previewer@example.cn", company="只预览客服有限公司")
    bid_service.upload(
        previewer,
        tender.public_id,
        bid_service.Upload("报价单.xlsx", quote_file(tender)),
        bid_service.Upload("投标文件.docx", document_file(tender)),
    )  # never confirmed
    amend(users, tender)
    told = notifications_of(users["vendor"])
    assert [n.kind for n in told] == ["amendment"]
    assert told[0].params["version"] == 2 and told[0].params["note"] == "日均咨询量调整为 900"
    assert told[0].link == f"/vendor/tenders/{tender.public_id}"
    assert notifications_of(users["other_vendor"]) == [] and notifications_of(previewer) == []
    assert notifications_of(users["buyer"]) == []


def test_a_vendor_whose_bid_is_withdrawn_is_still_told_of_an_amendment(app, users):
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    bid_service.withdraw(users["vendor"], version.bid.public_id)
    amend(users, tender)
    assert [n.kind for n in notifications_of(users["vendor"])] == ["amendment"]


def test_a_refused_amendment_tells_nobody(app, users):
    tender = published(users["buyer"])
    submit(users["vendor"], tender)
    with pytest.raises(Invalid):
        tender_service.amend(users["buyer"], tender, definition(days=12), "   ")  # no change note
    db.session.rollback()
    assert Notification.query.count() == 0


def test_the_opening_tells_each_bidder_with_a_link_to_its_own_bid_and_the_panel(app, client, auth, users):
    tender = published(users["buyer"])
    first, second = submit(users["vendor"], tender), submit(users["other_vendor"], tender)
    recused = make_user("evaluator", "recused@example.cn")
    for evaluator in (users["evaluator"], recused):
        opening_service.assign(users["buyer"], tender.public_id, evaluator.public_id)
    reach_opening_time(tender)
    auth.login(users["buyer"])
    assert client.post(f"/buyer/tenders/{tender.public_id}/open").status_code == 302
    assert [n.link for n in notifications_of(users["vendor"])] == [f"/vendor/bids/{first.bid.public_id}"]
    assert [n.link for n in notifications_of(users["other_vendor"])] == [f"/vendor/bids/{second.bid.public_id}"]
    assert [n.link for n in notifications_of(users["evaluator"])] == [f"/evaluator/tenders/{tender.public_id}"]
    assert len(notifications_of(recused)) == 1  # assigned and not recused: sits on the panel
    told = notifications_of(users["vendor"])[0]
    assert told.params["count"] == 2  # two bids were opened
    # a notification names the tender, the time and the count, never a price
    content = opening_service.bid_content(opening_service.opened_bids(tender)[0])
    assert content["evaluation"]["monthly_cost"] not in told.params_json


def test_a_notification_reads_in_the_readers_language_when_it_is_read(app, client, auth, users):
    tender = published(users["buyer"])
    submit(users["vendor"], tender)
    amend(users, tender)
    auth.login(users["vendor"])  # the test users read English
    page = html.unescape(client.get("/notifications/").get_data(as_text=True))
    assert f"Tender amended: {tender.title}" in page and "(version 2): 日均咨询量调整为 900" in page
    client.post("/language/zh_CN")  # the same notification, now in Chinese
    refresh()  # the test's app context outlives the request: let the next one choose its language
    page = html.unescape(client.get("/notifications/").get_data(as_text=True))
    assert f"招标项目变更：{tender.title}" in page and "（第 2 版）：日均咨询量调整为 900" in page


def test_the_bell_counts_the_unread_notifications_and_opening_one_reads_it(app, client, auth, users):
    tender = published(users["buyer"])
    notify(
        [users["vendor"]] * 2 + [None],
        "amendment",
        tender,
        link=f"/vendor/tenders/{tender.public_id}",
        version=2,
        note="a",
        deadline=tender.bid_deadline,
    )  # the same user twice: told once
    for _ in range(2):
        notify(
            [users["vendor"]], "deadline_extended", tender, deadline=tender.bid_deadline, opening=tender.opening_time
        )
    db.session.commit()
    auth.login(users["vendor"])
    assert bell(client) == "3"  # 1 amendment + 2 extensions, none read
    first = notifications_of(users["vendor"])[0]
    response = client.post(f"/notifications/{first.public_id}")
    assert response.status_code == 302 and response.headers["Location"] == f"/vendor/tenders/{tender.public_id}"
    assert bell(client) == "2"
    # a notification without a link leads back to the page of notifications
    second = notifications_of(users["vendor"])[1]
    assert client.post(f"/notifications/{second.public_id}").headers["Location"] == "/notifications/"
    assert bell(client) == "1"
    client.post("/notifications/read-all")
    assert bell(client) == ""  # nothing unread: the bell shows no number
    auth.logout()
    assert bell(client) is None  # a visitor has no bell


def test_the_bell_is_one_count_query_whatever_the_number_of_notifications(app, client, auth, users):
    tender = published(users["buyer"])
    for _ in range(30):
        notify(
            [users["vendor"]], "deadline_extended", tender, deadline=tender.bid_deadline, opening=tender.opening_time
        )
    db.session.commit()
    auth.login(users["vendor"])
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if "notification" in statement.lower():
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = client.get("/vendor/tenders").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert 'id="bell-count">30<' in page
    assert len(statements) == 1 and "count(" in statements[0].lower()


def test_the_page_lists_the_newest_first_twenty_at_a_time(app, client, auth, users):
    tender = published(users["buyer"])
    start = utcnow() - dt.timedelta(hours=30)
    for n in range(25):  # note 0 is the oldest, note 24 the newest
        made = notify([users["vendor"]], "tender_cancelled", tender, reason=f"note {n:02d}")
        made[0].created_at = start + dt.timedelta(hours=n)
    db.session.commit()
    auth.login(users["vendor"])
    first = html.unescape(client.get("/notifications/").get_data(as_text=True))
    shown = re.findall(r"Reason: note (\d\d)", first)
    assert shown == [f"{n:02d}" for n in range(24, 4, -1)]  # 24 … 5: twenty, newest first
    assert "Page 1 of 2 (25 in all)" in first
    second = html.unescape(client.get("/notifications/?page=2").get_data(as_text=True))
    assert re.findall(r"Reason: note (\d\d)", second) == ["04", "03", "02", "01", "00"]


def test_another_users_notification_is_not_found_and_stays_unread(app, client, auth, users):
    tender = published(users["buyer"])
    theirs = notify([users["other_vendor"]], "tender_cancelled", tender, reason="x")[0]
    db.session.commit()
    auth.login(users["vendor"])
    assert client.post(f"/notifications/{theirs.public_id}").status_code == 404
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_reading_is_not_a_state_change_and_is_not_audited(app, client, auth, users):
    tender = published(users["buyer"])
    made = notify([users["vendor"]], "tender_cancelled", tender, reason="x")[0]
    db.session.commit()
    auth.login(users["vendor"])
    before = AuditRecord.query.count()
    client.post(f"/notifications/{made.public_id}")
    client.post("/notifications/read-all")
    assert AuditRecord.query.count() == before


def test_mark_all_read_needs_its_csrf_token(csrf_app, users):
    from tests.integration.conftest import PASSWORD, csrf_token_from

    tender = published(users["buyer"])
    notify([users["vendor"]], "tender_cancelled", tender, reason="x")
    db.session.commit()
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    client.post("/auth/login", data={"email": users["vendor"].email, "password": PASSWORD, "csrf_token": token})
    assert client.post("/notifications/read-all").status_code == 400
    token = csrf_token_from(client.get("/notifications/").get_data(as_text=True))
    assert client.post("/notifications/read-all", data={"csrf_token": token}).status_code == 302
    assert Notification.query.filter(Notification.read_at.is_(None)).count() == 0


def test_notify_refuses_an_unknown_kind_missing_values_and_a_link_off_the_site(app, users):
    tender = published(users["buyer"])
    with pytest.raises(KeyError):
        notify([users["vendor"]], "no_such_kind", tender)
    with pytest.raises(ValueError, match="proposal"):
        notify([users["evaluator"]], "vote_waiting", tender)
    with pytest.raises(ValueError, match="path on this site"):
        notify([users["vendor"]], "tender_cancelled", tender, link="https://evil.example/", reason="x")
    assert Notification.query.count() == 0


def test_a_cancellation_tells_the_bidders_and_the_panel(app, users):
    tender = published(users["buyer"])
    submit(users["vendor"], tender, sample_bid())
    opening_service.assign(users["buyer"], tender.public_id, users["evaluator"].public_id)
    tender_service.cancel(users["buyer"], tender, "预算调整")
    assert [n.params["reason"] for n in notifications_of(users["vendor"])] == ["预算调整"]
    assert [n.link for n in notifications_of(users["evaluator"])] == ["/evaluator/"]


def test_without_a_mail_server_notifications_make_no_mail_jobs(app, users, runner):
    from tender.jobs.queue import Job

    tender = published(users["buyer"])
    notify([users["vendor"]], "tender_cancelled", tender, reason="x")
    db.session.commit()
    assert Notification.query.count() == 1 and Job.query.count() == 0
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 1 and "MAIL_SERVER is not set" in result.output
