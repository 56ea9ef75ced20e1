"""The vendor's pages: browse, download the price sheet, upload → preview → confirm →
receipt, replace, withdraw — and every refusal (deadline, other vendor, wrong role)."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json

from flask_babel import refresh

from tender.models import AuditRecord, Bid, BidVersion, StoredFile, utcnow
from tender.platform import audit, storage
from tender.services import tenders as tender_service
from tests.integration.helpers import (
    definition,
    document_file,
    draft,
    pass_deadline,
    published,
    quote_file,
    sample_bid,
    submit,
    upload_data,
)


def upload(client, tender, bid=None, sections=None):
    return client.post(
        f"/vendor/tenders/{tender.public_id}/bid",
        data=upload_data(tender, bid, sections),
        content_type="multipart/form-data",
    )


def test_vendor_sees_published_tenders_but_not_drafts(client, auth, users):
    open_tender = published(users["buyer"], title="公开招标项目")
    hidden = draft(users["buyer"], title="草稿项目")
    auth.login(users["vendor"])
    page = client.get("/vendor/tenders").get_data(as_text=True)
    assert "公开招标项目" in page and "草稿项目" not in page
    assert client.get(f"/vendor/tenders/{hidden.public_id}").status_code == 404
    assert client.get(f"/vendor/tenders/{open_tender.public_id}").status_code == 200


def test_price_sheet_template_downloads_as_a_workbook(client, auth, users):
    tender = published(users["buyer"])
    auth.login(users["vendor"])
    response = client.get(f"/vendor/tenders/{tender.public_id}/price-sheet.xlsx")
    assert response.status_code == 200 and response.data[:4] == b"PK\x03\x04"
    assert "attachment" in response.headers["Content-Disposition"]


def test_every_vendor_gets_the_same_price_sheet_built_once_per_tender_version(app, client, auth, users, monkeypatch):
    """Every vendor downloads the same workbook: it is built once for a tender version and
    language; an amendment (version 2, 900 inquiries a day) gets a workbook of its own."""
    from openpyxl import load_workbook

    from tender.documents import quote_template
    from tender.platform.memo import ContentMemo

    built = []
    real = quote_template.build_quote_template
    monkeypatch.setattr(quote_template, "TEMPLATES", ContentMemo(items=4, size=1 << 24, size_of=len))
    monkeypatch.setattr(quote_template, "build_quote_template", lambda *a, **k: built.append(k) or real(*a, **k))
    tender = published(users["buyer"])
    url = f"/vendor/tenders/{tender.public_id}/price-sheet.xlsx"
    sheets = []
    for vendor in ("vendor", "other_vendor"):
        auth.login(users[vendor])
        sheets.append(client.get(url).data)
        auth.logout()
    assert sheets[0] == sheets[1] and [k["version"] for k in built] == [1]
    amended = tender.definition()
    amended["scenario"]["daily_inquiries"] = 900
    tender_service.amend(users["buyer"], tender, amended, "日均咨询量调整为 900")
    auth.login(users["vendor"])
    again = client.get(url).data
    assert again != sheets[0] and [k["version"] for k in built] == [1, 2]
    title = f"（编号 {tender.public_id}，第 2 版）"  # the instructions sheet names the version
    assert any(title in str(cell.value) for row in load_workbook(io.BytesIO(again))["说明"].iter_rows() for cell in row)


def test_upload_shows_the_monthly_cost_before_anything_counts(client, auth, users):
    tender = published(users["buyer"])
    auth.login(users["vendor"])
    response = upload(client, tender)
    assert response.status_code == 302 and "/vendor/submissions/" in response.headers["Location"]
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    # 800 × 30 = 24,000 inquiries; 35 % returning: 15,600 × 2.50 + 8,400 × 1.50 = 51,600.00;
    # peak days: 200 × 4 agents × 10 days / 12 = 666.67; total 52,266.67
    assert "51,600.00" in page and "666.67" in page and "52,266.67" in page
    assert "Your declared facts meet every qualification and conformity rule" in page
    assert "Every required section is in the bid document." in page
    version = BidVersion.query.one()
    assert version.status == "preview" and version.submitted_at is None
    assert tender_service.bid_count(tender) == 0  # nothing counts until confirmed


def test_preview_shows_a_monthly_minimum_and_the_cost_it_sets(client, auth, users):
    tender = published(users["buyer"])
    bid = sample_bid()
    bid["pricing"] = {
        "model": "per_inquiry",
        "new_rate": "0.68",
        "minimum_per_month": 60000,
        "peak_rate_per_agent_day": 200,
    }
    users["vendor"].locale = "zh_CN"
    auth.login(users["vendor"])
    response = upload(client, tender, bid)
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    # (15,600 new + 8,400 returning) × 0.68 = 16,320.00 is below the monthly minimum 60,000.00;
    # + peak 200 × 4 agents × 10 days ÷ 12 = 666.67 → 60,666.67
    assert "月保底（元/月）" in page and "60,000" in page
    assert (
        "月保底 60000.00 元 = 60000.00（计件 15600 咨询 × 0.68 元 + 8400 咨询 × 0.68 元 = 16320.00，低于保底）" in page
    )
    assert "60,666.67" in page


def test_preview_names_the_rules_the_bid_would_fail_and_missing_sections(client, auth, users):
    tender = published(users["buyer"])
    bid = sample_bid()
    bid["facts"]["registered_capital"] = 500000
    auth.login(users["vendor"])
    response = upload(client, tender, bid, sections=["服务方案", "人员配置"])
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    # the rule by its English label (the vendor reads English), the required sections as the tender names them
    assert "With these facts your bid would be invalid" in page
    assert "registered capital at least 1,000,000 CNY: declared 500000, does not meet >= 1000000" in page
    assert "Required sections missing from the bid document:" in page and "培训体系" in page


def test_preview_words_each_failed_rule_in_the_readers_language_without_codes(client, auth, users):
    tender = published(users["buyer"])
    bid = sample_bid()
    bid["documents"] = []  # no business licence
    bid["facts"]["platforms"] = ["taobao", "tmall"]  # the tender asks for taobao, tmall, jd, pinduoduo
    auth.login(users["vendor"])
    location = upload(client, tender, bid).headers["Location"]
    english = html.unescape(client.get(location).get_data(as_text=True))
    assert "copy of the business licence: not provided" in english
    assert "platforms: declared Taobao, Tmall, missing JD, Pinduoduo" in english
    client.post("/language/zh_CN", data={"next": "/"})
    refresh()  # the test's app context outlives the request: let the next one choose its language
    chinese = html.unescape(client.get(location).get_data(as_text=True))
    assert "营业执照副本复印件：未提供" in chinese
    assert "服务平台：申报 淘宝、天猫，缺少 京东、拼多多" in chinese
    for page in (english, chinese):
        for code in ("business_license", "service_scope", "taobao", "pinduoduo", "per_inquiry"):
            assert code not in page, code
    # one language at a time: neither page repeats the reasons in the other language
    assert "not provided" not in chinese and "未提供" not in english


def test_confirm_gives_a_receipt_with_server_time_and_file_hashes(client, auth, users):
    tender = published(users["buyer"])
    auth.login(users["vendor"])
    quote, document = quote_file(tender), document_file(tender)
    location = client.post(
        f"/vendor/tenders/{tender.public_id}/bid",
        data={"quote": (io.BytesIO(quote), "报价单.xlsx"), "document": (io.BytesIO(document), "投标文件.docx")},
        content_type="multipart/form-data",
    ).headers["Location"]
    version_id = location.rsplit("/", 1)[1]
    before = utcnow()
    assert client.post(f"/vendor/submissions/{version_id}/confirm").status_code == 302
    receipt = json.loads(client.get(f"/vendor/submissions/{version_id}/receipt.json").get_data(as_text=True))
    assert receipt["bid"]["submission"] == version_id
    assert {f["filename"]: f["sha256"] for f in receipt["files"]} == {
        "报价单.xlsx": hashlib.sha256(quote).hexdigest(),
        "投标文件.docx": hashlib.sha256(document).hexdigest(),
    }
    assert dt.datetime.fromisoformat(receipt["received_at"]) >= before.replace(microsecond=0)
    assert receipt["audit_head"] == AuditRecord.query.filter_by(action="bid_submitted").one().hash
    assert audit.verify().ok
    assert tender_service.bid_count(tender) == 1


def test_files_are_stored_encrypted_and_the_vendor_gets_its_own_back(client, auth, users):
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    for stored in StoredFile.query.all():
        assert not stored.blob.startswith(b"PK\x03\x04") and stored.blob.startswith(storage.MAGIC)
        assert b"[Content_Types]" not in stored.blob
    assert "杭州云客服".encode() not in version.sealed_data
    auth.login(users["vendor"])
    quote = next(f for f in version.files if f.kind == "quote")
    response = client.get(f"/vendor/files/{quote.public_id}")
    assert hashlib.sha256(response.data).hexdigest() == quote.sha256
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_replacing_keeps_every_version(client, auth, users):
    tender = published(users["buyer"])
    first = submit(users["vendor"], tender)
    cheaper = sample_bid()
    cheaper["pricing"]["new_rate"] = 2.2
    second = submit(users["vendor"], tender, cheaper)
    assert [v.status for v in Bid.query.one().versions] == ["superseded", "submitted"]
    assert first.public_id != second.public_id
    assert AuditRecord.query.filter_by(action="bid_replaced").count() == 1
    assert tender_service.bid_count(tender) == 1


def test_withdraw_before_the_deadline(client, auth, users):
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    auth.login(users["vendor"])
    assert client.post(f"/vendor/bids/{version.bid.public_id}/withdraw").status_code == 302
    assert Bid.query.one().current is None
    assert tender_service.bid_count(tender) == 0
    assert AuditRecord.query.filter_by(action="bid_withdrawn").count() == 1


def test_upload_after_the_deadline_is_refused_and_audited(client, auth, users):
    tender = published(users["buyer"])
    pass_deadline(tender)
    auth.login(users["vendor"])
    response = upload(client, tender)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "has passed: bids can no longer be submitted" in page
    assert BidVersion.query.count() == 0
    assert AuditRecord.query.filter_by(action="bid_refused_late").count() == 1


def test_confirm_after_the_deadline_is_refused_even_with_a_preview_made_before(client, auth, users):
    tender = published(users["buyer"])
    auth.login(users["vendor"])
    version_id = upload(client, tender).headers["Location"].rsplit("/", 1)[1]
    pass_deadline(tender)
    client.post(f"/vendor/submissions/{version_id}/confirm")
    version = BidVersion.query.one()
    assert version.status == "preview" and version.submitted_at is None
    refused = AuditRecord.query.filter_by(action="bid_refused_late").one()
    assert refused.details["attempt"] == "confirm"
    assert tender_service.bid_count(tender) == 0


def test_withdraw_after_the_deadline_is_refused(client, auth, users):
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    pass_deadline(tender)
    auth.login(users["vendor"])
    client.post(f"/vendor/bids/{version.bid.public_id}/withdraw")
    assert Bid.query.one().current is not None


def test_another_vendors_bid_is_not_found(client, auth, users):
    tender = published(users["buyer"])
    version = submit(users["other_vendor"], tender)
    file_id = version.files[0].public_id
    auth.login(users["vendor"])
    for path in (
        f"/vendor/bids/{version.bid.public_id}",
        f"/vendor/submissions/{version.public_id}",
        f"/vendor/submissions/{version.public_id}/receipt",
        f"/vendor/submissions/{version.public_id}/receipt.json",
        f"/vendor/files/{file_id}",
        "/vendor/bids/no-such-bid",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/vendor/bids/{version.bid.public_id}/withdraw").status_code == 404
    assert client.post(f"/vendor/submissions/{version.public_id}/confirm").status_code == 404


def test_buyer_evaluator_and_admin_cannot_reach_bids(client, auth, users):
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    for role in ("buyer", "evaluator", "admin"):
        auth.login(users[role])
        assert client.get(f"/vendor/submissions/{version.public_id}").status_code == 403
        assert client.get(f"/vendor/files/{version.files[0].public_id}").status_code == 403
        auth.logout()


def test_an_amendment_flags_bids_made_against_the_older_version(client, auth, users):
    tender = published(users["buyer"])
    submit(users["vendor"], tender)
    amended = definition(days=12)
    amended["scenario"]["daily_inquiries"] = 900
    tender_service.amend(users["buyer"], tender, amended, "日均咨询量调整为 900")
    auth.login(users["vendor"])
    page = client.get(f"/vendor/tenders/{tender.public_id}").get_data(as_text=True)
    assert "your bid answers version 1, the tender is now version 2" in page
    assert "日均咨询量调整为 900" in page


def test_a_price_sheet_of_an_older_version_is_refused(client, auth, users):
    tender = published(users["buyer"])
    old_quote = quote_file(tender)
    amended = definition(days=12)
    tender_service.amend(users["buyer"], tender, amended, "修改说明")
    auth.login(users["vendor"])
    response = client.post(
        f"/vendor/tenders/{tender.public_id}/bid",
        data={
            "quote": (io.BytesIO(old_quote), "报价单.xlsx"),
            "document": (io.BytesIO(document_file(tender)), "投标文件.docx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "Nothing was stored" in response.get_data(as_text=True)
    assert BidVersion.query.count() == 0


def test_a_disguised_file_is_refused_before_any_parser(client, auth, users):
    tender = published(users["buyer"])
    auth.login(users["vendor"])
    response = client.post(
        f"/vendor/tenders/{tender.public_id}/bid",
        data={
            "quote": (io.BytesIO(quote_file(tender)), "报价单.xlsx"),
            "document": (io.BytesIO(b"MZ\x90\x00 not a document"), "bid.docx.exe"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert BidVersion.query.count() == 0 and StoredFile.query.count() == 0


def test_vendor_bid_pages_show_versions_and_receipts(client, auth, users):
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    auth.login(users["vendor"])
    assert tender.title in client.get("/vendor/bids").get_data(as_text=True)
    page = client.get(f"/vendor/bids/{version.bid.public_id}").get_data(as_text=True)
    assert f"/vendor/submissions/{version.public_id}/receipt" in page
    assert version.public_id in client.get(f"/vendor/submissions/{version.public_id}/receipt").get_data(as_text=True)
