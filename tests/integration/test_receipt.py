"""The bid receipt (投标回执): it counts confirmed submissions only (an upload left at its
preview does not count), quotes the monthly cost, and comes as a printable page and a PDF
with each file's SHA-256, the server time (Asia/Shanghai) and the audit chain's head."""

from __future__ import annotations

import html
import io
import json

from flask_babel import refresh
from pypdf import PdfReader

from tender.models import AuditRecord
from tender.platform.extensions import db
from tender.platform.timefmt import show_time
from tender.services import bids as bid_service
from tests.integration.helpers import document_file, published, quote_file, sample_bid, submit


def preview_only(vendor, tender, bid=None):
    """An upload checked in its preview and never confirmed."""
    return bid_service.upload(
        vendor,
        tender.public_id,
        bid_service.Upload("报价单.xlsx", quote_file(tender, bid)),
        bid_service.Upload("投标文件.docx", document_file(tender, bid)),
    )


def receipt_json(client, version) -> dict:
    return json.loads(client.get(f"/vendor/submissions/{version.public_id}/receipt.json").get_data(as_text=True))


def test_the_receipt_counts_confirmed_submissions_not_uploads(client, auth, users):
    tender = published(users["buyer"])
    vendor = users["vendor"]
    preview_only(vendor, tender)  # upload 1: a preview, left
    first = submit(vendor, tender)  # upload 2: confirmed → submission 1
    preview_only(vendor, tender)  # upload 3: a preview, left
    cheaper = sample_bid()
    cheaper["pricing"]["new_rate"] = 2.2
    second = submit(vendor, tender, cheaper)  # upload 4: confirmed, replaces → submission 2
    auth.login(vendor)
    assert (first.number, second.number) == (2, 4)
    assert receipt_json(client, first)["bid"]["number"] == 1
    assert receipt_json(client, second)["bid"]["number"] == 2
    users["vendor"].locale = "zh_CN"
    db.session.commit()
    page = html.unescape(client.get(f"/vendor/submissions/{second.public_id}/receipt").get_data(as_text=True))
    assert "第 2 次提交" in page and "第 4 次提交" not in page
    tender_page = html.unescape(client.get(f"/vendor/tenders/{tender.public_id}").get_data(as_text=True))
    assert "您的投标（第 2 次提交）" in tender_page


def test_the_receipt_quotes_the_monthly_cost(client, auth, users):
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    auth.login(users["vendor"])
    # 15,600 × 2.50 + 8,400 × 1.50 = 51,600.00 + peak 200 × 4 × 10 ÷ 12 = 666.67 → 52,266.67
    assert receipt_json(client, version)["monthly_cost"] == "52266.67"
    assert "52,266.67" in client.get(f"/vendor/submissions/{version.public_id}/receipt").get_data(as_text=True)


def test_the_printable_receipt_has_cost_hashes_server_time_and_audit_head(client, auth, users):
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    auth.login(users["vendor"])
    page = html.unescape(client.get(f"/vendor/submissions/{version.public_id}/receipt/print").get_data(as_text=True))
    assert "52,266.67" in page
    for stored in version.files:
        assert stored.sha256 in page
    assert show_time(version.submitted_at, seconds=True) in page and "Asia/Shanghai" in page
    assert AuditRecord.query.filter_by(action="bid_submitted").one().hash in page
    assert 'class="navbar"' not in page  # the receipt alone, to print


def test_the_receipt_pdf_is_a_pdf_whose_text_holds_the_cost_and_the_hashes(client, auth, users):
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    users["vendor"].locale = "zh_CN"
    db.session.commit()
    auth.login(users["vendor"])

    response = client.get(f"/vendor/submissions/{version.public_id}/receipt.pdf")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-") and "attachment" in response.headers["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "投标回执" in text and "52,266.67" in text
    for stored in version.files:
        assert stored.sha256 in text
    assert version.audit_head in text
    assert show_time(version.submitted_at, seconds=True) in text


def test_a_receipt_downloaded_again_is_not_drawn_again(client, auth, users, monkeypatch):
    """A receipt never changes once issued: downloaded twice it is drawn once (~0.3 s) and
    the bytes are the same; in the other language it is another page, drawn on its own."""
    from tender.documents import receipt_pdf
    from tender.platform.memo import ContentMemo

    drawn = []
    monkeypatch.setattr(receipt_pdf, "MEMO", ContentMemo(items=4, size=1 << 24, size_of=len))
    real = receipt_pdf.draw
    monkeypatch.setattr(receipt_pdf, "draw", lambda page: drawn.append(page) or real(page))
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    auth.login(users["vendor"])
    url = f"/vendor/submissions/{version.public_id}/receipt.pdf"
    first, again = client.get(url), client.get(url)
    assert first.status_code == again.status_code == 200 and first.data == again.data and len(drawn) == 1
    client.post("/language/zh_CN", data={"next": "/"})
    refresh()  # the test's app context outlives the request: forget the locale it cached
    chinese = client.get(url)
    assert len(drawn) == 2 and "投标回执" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(chinese.data)).pages
    )


def test_no_receipt_for_a_preview_nor_for_another_vendor(client, auth, users):
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    left = preview_only(users["other_vendor"], tender)
    auth.login(users["other_vendor"])
    assert client.get(f"/vendor/submissions/{version.public_id}/receipt.pdf").status_code == 404
    assert client.get(f"/vendor/submissions/{left.public_id}/receipt.pdf").status_code == 404
    assert client.get(f"/vendor/submissions/{left.public_id}/receipt/print").status_code == 404
