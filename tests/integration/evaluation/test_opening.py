"""The panel and the opening (开标): evaluators assigned before, bids opened at/after the
opening time and never before it (admin included), hashes recomputed, an unreadable bid
marked without stopping the others, the opening record with the audit head hash."""

from __future__ import annotations

import html

from tender.models import AuditRecord, OpenedBid, StoredFile, Tender
from tender.platform import audit
from tender.platform.extensions import db
from tests.integration.evaluation.conftest import VENDORS, move_times


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_buyer_assigns_an_evaluator_before_the_opening(client, auth, people, closed_tender):
    auth.login(people["buyer"])
    response = client.post(
        f"/buyer/tenders/{closed_tender.public_id}/panel/assign", data={"evaluator": people["evaluator"].public_id}
    )
    assert response.status_code == 302
    text = page(client.get(f"/buyer/tenders/{closed_tender.public_id}/panel"))
    assert "Expert Sun" in text and "Expert 1" in text and "Not yet declared" in text
    assert AuditRecord.query.filter_by(action="evaluator_assigned").count() == 4


def test_opening_before_the_opening_time_is_refused_for_the_buyer_and_the_admin(client, auth, people, closed_tender):
    auth.login(people["buyer"])
    response = client.post(f"/buyer/tenders/{closed_tender.public_id}/open")
    assert response.status_code == 302
    assert "cannot be opened before the opening time" in page(client.get(response.headers["Location"]))
    assert db.session.get(Tender, closed_tender.id).status != "opened"
    assert OpenedBid.query.count() == 0
    assert AuditRecord.query.filter_by(action="opening_refused").count() == 1
    auth.logout()
    auth.login(people["admin"])
    assert client.post(f"/buyer/tenders/{closed_tender.public_id}/open").status_code == 403
    assert client.get(f"/results/{closed_tender.public_id}/opening-record").status_code == 403
    assert OpenedBid.query.count() == 0


def test_another_buyer_cannot_open_or_see_the_tender(client, auth, people, closed_tender):
    move_times(closed_tender, 35, 5)
    auth.login(people["other_buyer"])
    assert client.post(f"/buyer/tenders/{closed_tender.public_id}/open").status_code == 404
    assert client.get(f"/buyer/tenders/{closed_tender.public_id}/panel").status_code == 404
    assert client.get(f"/results/{closed_tender.public_id}").status_code == 404


def test_opening_record_lists_every_bidder_with_receipt_time_model_and_monthly_cost(
    client, auth, people, closed_tender
):
    move_times(closed_tender, 35, 5)
    auth.login(people["buyer"])
    response = client.post(f"/buyer/tenders/{closed_tender.public_id}/open")
    assert response.status_code == 302 and "/opening-record" in response.headers["Location"]
    text = page(client.get(response.headers["Location"]))
    for company in VENDORS.values():
        assert company in text
    for cost in ("52,266.67", "18,000.00", "49,466.67", "59,976.67"):
        assert cost in text
    # pricing models by their names, never their codes (per_inquiry …)
    assert "per inquiry (with minimum)" in text and "base fee + commission" in text and "fixed fee per agent" in text
    assert "per_inquiry" not in text
    assert "UTC+8 Asia/Shanghai" in text
    opened = AuditRecord.query.filter_by(action="bids_opened").one()
    assert opened.hash in text  # the audit head hash at the opening
    assert "fewer than the 3 valid bids" not in text
    assert db.session.get(Tender, closed_tender.id).status == "opened"


def test_fewer_bids_than_min_valid_bids_are_warned_about(client, auth, people):
    from tender.services import opening
    from tests.integration.helpers import published, sample_bid, submit

    tender = published(people["buyer"])
    submit(people["yunkefu"], tender, sample_bid("yunkefu"))
    submit(people["hengxin"], tender, sample_bid("hengxin"))
    opening.assign(people["buyer"], tender.public_id, people["expert1"].public_id)
    move_times(tender, 35, 5)
    auth.login(people["buyer"])
    client.post(f"/buyer/tenders/{tender.public_id}/open")
    text = page(client.get(f"/results/{tender.public_id}/opening-record"))
    assert "Only 2 bids came in, fewer than the 3 valid bids the tender needs" in text


def test_a_tampered_file_is_flagged_and_an_undecryptable_bid_does_not_stop_the_others(
    client, auth, people, closed_tender
):
    from tender.platform import storage

    move_times(closed_tender, 35, 5)
    files = StoredFile.query.order_by(StoredFile.id).all()
    # 杭州云客服's quote: re-sealed with other content, so its hash no longer matches the receipt
    quote = next(f for f in files if f.kind == "quote" and f.bid_version.bid.vendor_id == people["yunkefu"].id)
    quote.blob = storage.seal(b"PK\x03\x04 changed", f"file:{quote.public_id}")
    # 广州金豆's sealed data: swapped onto another purpose, so it no longer decrypts
    jindou = next(f.bid_version for f in files if f.bid_version.bid.vendor_id == people["jindou"].id)
    jindou.sealed_data = storage.seal(b"{}", "somewhere else")
    db.session.commit()
    auth.login(people["buyer"])
    client.post(f"/buyer/tenders/{closed_tender.public_id}/open")
    rows = {o.vendor_name: o for o in OpenedBid.query.all()}
    assert len(rows) == 4
    assert rows["杭州云客服科技有限公司"].hash_ok is False and rows["杭州云客服科技有限公司"].status == "ok"
    unreadable = [o for o in rows.values() if o.status == "unreadable"]
    assert len(unreadable) == 1 and unreadable[0].bid.vendor_id == people["jindou"].id
    assert rows["南京恒信客服外包有限公司"].monthly_cost == "49466.67"
    text = page(client.get(f"/results/{closed_tender.public_id}/opening-record"))
    assert "hash mismatch" in text and "could not be decrypted or read" in text
    assert audit.verify().ok


def test_opening_needs_an_evaluator_on_the_panel(client, auth, people):
    from tests.integration.helpers import published, sample_bid, submit

    tender = published(people["buyer"])
    submit(people["yunkefu"], tender, sample_bid("yunkefu"))
    move_times(tender, 35, 5)
    auth.login(people["buyer"])
    client.post(f"/buyer/tenders/{tender.public_id}/open")
    assert "Assign at least one evaluator" in page(client.get(f"/buyer/tenders/{tender.public_id}/panel"))
    assert OpenedBid.query.count() == 0
