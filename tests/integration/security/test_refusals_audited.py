"""Refused access is part of the audit trail: a signed-in user sent away from a
page of another role, or from an object that is missing or not theirs, leaves a record."""

from __future__ import annotations

from tender.models import AuditRecord
from tender.platform import audit
from tests.integration.helpers import published, submit


def test_another_vendors_bid_is_404_and_the_attempt_is_recorded(client, auth, users):
    tender = published(users["buyer"])
    version = submit(users["other_vendor"], tender)
    auth.login(users["vendor"])
    assert client.get(f"/vendor/bids/{version.bid.public_id}").status_code == 404
    record = AuditRecord.query.filter_by(action="access_refused").one()
    assert record.actor == "vendor@example.cn (vendor)" and record.object == f"/vendor/bids/{version.bid.public_id}"
    assert record.details == {"status": 404, "method": "GET"}
    assert audit.verify().ok


def test_a_page_of_another_role_is_403_and_recorded(client, auth, users):
    auth.login(users["admin"])
    assert client.get("/buyer/tenders/").status_code == 403
    assert AuditRecord.query.filter_by(action="access_refused").one().details["status"] == 403


def test_unknown_addresses_and_anonymous_visitors_leave_no_record(client, auth, users):
    assert client.get("/vendor/bids/anything").status_code == 302  # to the sign-in page
    auth.login(users["vendor"])
    assert client.get("/no/such/page").status_code == 404
    assert AuditRecord.query.filter_by(action="access_refused").count() == 0
