"""Guard rails of the buyer's consequential steps: publish, open and award ask first, naming
what follows; an amendment changing the workload or the criteria less than 15 days before
the deadline is held back with a warning that offers to extend the deadline."""

from __future__ import annotations

import copy
import datetime as dt
import html

from scoring.times import SHANGHAI
from tender.models import AuditRecord, Tender
from tender.tenders import guards
from tests.integration.browser import form_data
from tests.integration.helpers import draft, published


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def amend_form(client, tender, **changes) -> dict:
    data = form_data(page(client.get(f"/buyer/tenders/{tender.public_id}/amend")), "tender-form")
    data.update({"change_note": "日均咨询量调整为 900", "action": "save", **changes})
    return data


def test_a_late_change_of_the_workload_is_held_back_and_offers_to_extend(client, auth, users):
    auth.login(users["buyer"])
    tender = published(users["buyer"], days=10)  # deadline 10 days ahead: < 15
    text = page(
        client.post(
            f"/buyer/tenders/{tender.public_id}/amend",
            data=amend_form(client, tender, **{"scenario-daily_inquiries": "900"}),
        )
    )
    assert 'id="late-amendment"' in text and "less than 15 days before the bid deadline" in text
    assert "the workload" in text and f"/buyer/tenders/{tender.public_id}/extend" in text
    tender = Tender.query.one()
    assert tender.version == 1 and AuditRecord.query.filter_by(action="tender_amended").count() == 0
    # confirmed: the amendment is published as it is
    response = client.post(
        f"/buyer/tenders/{tender.public_id}/amend",
        data=amend_form(client, tender, **{"scenario-daily_inquiries": "900", "accept_late_amendment": "yes"}),
    )
    assert response.status_code == 302
    assert Tender.query.one().version == 2


def test_a_late_amendment_of_something_else_or_an_early_one_is_not_held_back(client, auth, users):
    auth.login(users["buyer"])
    tender = published(users["buyer"], days=10)
    response = client.post(
        f"/buyer/tenders/{tender.public_id}/amend", data=amend_form(client, tender, change_note="补充开标地点说明")
    )
    assert response.status_code == 302 and Tender.query.one().version == 2


def test_the_fifteen_day_boundary():
    from tests.integration.helpers import sample_tender

    old = sample_tender()
    now = dt.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)
    new = copy.deepcopy(old)
    new["scenario"]["daily_inquiries"] = 900
    new["bid_deadline"] = "2026-12-16T09:59:00+08:00"
    criteria = copy.deepcopy(old["criteria"])
    criteria[0]["weight"], criteria[1]["weight"] = 25, 15
    warning = guards.late_amendment(old, new, now)
    assert warning["changed"] == ["scenario"] and warning["extend_to"] == dt.datetime(
        2026, 12, 16, 10, 0, tzinfo=SHANGHAI
    )
    assert guards.late_amendment(old, {**new, "bid_deadline": "2026-12-16T10:00:00+08:00"}, now) is None
    assert guards.late_amendment(old, {**old, "bid_deadline": "2026-12-02T10:00:00+08:00"}, now) is None
    assert guards.late_amendment(old, {**old, "criteria": criteria, "bid_deadline": "2026-12-02T10:00:00+08:00"}, now)[
        "changed"
    ] == ["criteria"]


def test_publish_open_and_award_ask_first_naming_the_consequence(client, auth, users):
    auth.login(users["buyer"])
    tender = draft(users["buyer"])
    text = page(client.get(f"/buyer/tenders/{tender.public_id}"))
    assert 'data-confirm="Publish this tender? Its notice becomes public and vendors can bid' in text
    published_tender = published(users["buyer"])
    from tender.services import opening

    opening.assign(users["buyer"], published_tender.public_id, users["evaluator"].public_id)
    from tender.models import utcnow
    from tender.platform.extensions import db

    published_tender.bid_deadline = utcnow() - dt.timedelta(minutes=10)
    published_tender.opening_time = utcnow() - dt.timedelta(minutes=5)
    db.session.commit()
    text = page(client.get(f"/buyer/tenders/{published_tender.public_id}/panel"))
    assert (
        "Open the bids now? Every bid is unsealed for you and the panel, every bidder sees the opening record" in text
    )
