"""A stored file whose seal is broken (one byte of the encrypted blob flipped): nobody is
served it, the page says plainly that the stored copy is damaged, and the attempt is
audited; the opening record already flags such a bid."""

from __future__ import annotations

import hashlib
import html

from tender.models import AuditRecord, StoredFile
from tender.platform import audit
from tender.platform.extensions import db
from tender.services import opening as opening_service
from tests.integration.evaluation.conftest import bid_id, move_times
from tests.integration.evaluation.helpers import declare
from tests.integration.helpers import published, sample_bid, submit


def flip_one_byte(stored: StoredFile) -> None:
    blob = bytearray(stored.blob)
    blob[len(blob) // 2] ^= 0x01
    stored.blob = bytes(blob)
    db.session.commit()


def test_a_vendor_downloading_its_damaged_file_gets_a_clear_page_and_the_attempt_is_audited(client, auth, people):
    tender = published(people["buyer"])
    version = submit(people["yunkefu"], tender, sample_bid("yunkefu"))
    quote = next(f for f in version.files if f.kind == "quote")
    flip_one_byte(quote)
    auth.login(people["yunkefu"])

    response = client.get(f"/vendor/files/{quote.public_id}")

    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 500
    assert "The stored file is damaged" in text and "it cannot be served" in text
    assert "Something went wrong" not in text  # not the generic error page
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    record = AuditRecord.query.filter_by(action="stored_file_damaged").one()
    assert record.object == f"file:{quote.public_id}" and record.actor == "yunkefu@example.cn (vendor)"
    assert audit.verify().ok


def test_the_damaged_file_page_is_in_chinese_for_a_chinese_user(client, auth, people):
    tender = published(people["buyer"])
    version = submit(people["yunkefu"], tender, sample_bid("yunkefu"))
    document = next(f for f in version.files if f.kind == "document")
    flip_one_byte(document)
    people["yunkefu"].locale = "zh_CN"
    db.session.commit()
    auth.login(people["yunkefu"])

    text = html.unescape(client.get(f"/vendor/files/{document.public_id}").get_data(as_text=True))

    assert "存储的文件已损坏" in text and "无法提供" in text


def test_an_undamaged_file_is_still_served(client, auth, people):
    tender = published(people["buyer"])
    version = submit(people["yunkefu"], tender, sample_bid("yunkefu"))
    quote = next(f for f in version.files if f.kind == "quote")
    auth.login(people["yunkefu"])
    response = client.get(f"/vendor/files/{quote.public_id}")
    assert response.status_code == 200 and hashlib.sha256(response.data).hexdigest() == quote.sha256


def test_a_file_damaged_before_the_opening_is_flagged_in_the_opening_record(client, auth, people, closed_tender):
    document = next(
        f
        for f in StoredFile.query.all()
        if f.kind == "document" and f.bid_version.bid.vendor_id == people["hengxin"].id
    )
    flip_one_byte(document)
    move_times(closed_tender, 35, 5)
    opening_service.open_bids(people["buyer"], closed_tender.public_id)
    auth.login(people["buyer"])
    text = html.unescape(client.get(f"/results/{closed_tender.public_id}/opening-record").get_data(as_text=True))
    assert "could not be decrypted or read" in text


def test_a_file_damaged_after_the_opening_is_not_shown_to_the_evaluator_and_is_audited(
    client, auth, people, opened_tender
):
    document = next(
        f
        for f in StoredFile.query.all()
        if f.kind == "document" and f.bid_version.bid.vendor_id == people["zhuanxi"].id
    )
    flip_one_byte(document)
    auth.login(people["expert1"])
    declare(client, opened_tender)

    response = client.get(
        f"/evaluator/tenders/{opened_tender.public_id}/bids/{bid_id(opened_tender, 'zhuanxi', people)}/document"
    )

    assert response.status_code == 500
    assert "The stored file is damaged" in html.unescape(response.get_data(as_text=True))
    assert AuditRecord.query.filter_by(action="stored_file_damaged").one().object == f"file:{document.public_id}"
