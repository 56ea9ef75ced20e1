"""The whole story in a real browser: a buyer publishes a tender through the forms; two
vendors download the price sheet, fill it with openpyxl as a vendor would, upload it with
their bid document and get receipts; a third is too late; the deadline passes.

Each step is saved as a screenshot (see ``conftest.shot``).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from tender.demo_files import fill_quote, make_bid_document
from tender.timefmt import SHANGHAI

pytestmark = pytest.mark.e2e

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "云裳旗舰店 2027 年度电商客服外包服务项目"
SECTIONS = ["服务方案", "人员配置", "培训体系", "质量保障", "应急预案"]


def sample_bid(name: str) -> dict:
    return json.loads((SAMPLES / "bids" / f"{name}.json").read_text(encoding="utf-8"))


def local_input(moment: dt.datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def files(quote: bytes, document: bytes) -> dict:
    return {"quote": {"name": "报价单.xlsx", "mimeType": XLSX, "buffer": quote},
            "document": {"name": "投标文件.docx", "mimeType": DOCX, "buffer": document}}


def publish_tender(buyer, shot, deadline: dt.datetime) -> str:
    """The buyer writes the tender in the form (the defaults adapted) and publishes it."""
    page = buyer.go("/buyer/tenders/new")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=buyer]", "杭州云裳服饰有限公司")
    page.fill("input[name=project_code]", "YS-CS-2027-01")
    page.fill("input[name=opening_place]", "杭州市西湖区文三路 90 号 3 楼会议室")
    page.fill("input[name=bid_deadline]", local_input(deadline))
    page.fill("input[name=opening_time]", local_input(deadline + dt.timedelta(minutes=30)))
    page.fill("input[name=min_valid_bids]", "2")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "01-buyer-tender-form")
    page.click("button[name=action][value=save]")
    page.wait_for_url(re.compile(r"/buyer/tenders/[\w-]+$"))
    page.click("form.inline button:has-text('发布')")
    page.wait_for_selector(".alert-success")
    assert "供应商可在截止时间前投标" in page.inner_text(".alert-success")
    assert page.inner_text("h1 .badge") == "招标中"
    shot(page, "02-buyer-tender-published")
    return page.url.rsplit("/", 1)[1]


def bid(vendor, shot, tender_id: str, name: str, steps: tuple[str, str]) -> dict:
    """Download the price sheet, fill it as a vendor would, upload it, check, confirm."""
    page = vendor.go("/vendor/tenders")
    page.click(f"a:has-text('{TITLE}')")
    page.wait_for_url(f"**/vendor/tenders/{tender_id}")
    with page.expect_download() as download:
        page.click("a[href$='price-sheet.xlsx']")
    template = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.startswith("报价单-")
    sample = sample_bid(name)
    quote = fill_quote(template, sample)
    document = make_bid_document(SECTIONS, sample["facts"])
    chosen = files(quote, document)
    page.set_input_files("input[name=quote]", chosen["quote"])
    page.set_input_files("input[name=document]", chosen["document"])
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/bid")) as posted:
        page.click("#upload-form [type=submit]")
    page.wait_for_url("**/vendor/submissions/*")
    assert posted.value.resource_type == "xhr"   # the progress-showing upload, not a page post
    monthly_cost = page.inner_text("tfoot th.num")
    shot(page, f"{steps[0]}-vendor-bid-preview")
    page.click("form [type=submit]:has-text('确认')")
    page.wait_for_url("**/receipt")
    receipt = page.inner_text("#receipt")
    assert "SHA-256" in receipt and "(UTC+8 Asia/Shanghai)" in receipt
    shot(page, f"{steps[1]}-vendor-receipt")
    return {"company": sample["facts"]["company_name"], "monthly_cost": monthly_cost, "receipt": receipt}


def test_a_tender_from_publication_to_the_deadline(live, actor, clock, shot):
    live.account("buyer", "buyer@e2e.cn", "采购人 王")
    for number, name in enumerate(("yunkefu", "zhuanxi", "xiaomifeng"), start=1):
        facts = sample_bid(name)["facts"]
        live.vendor(f"vendor{number}@e2e.cn", facts["company_name"], facts)

    buyer = actor("buyer@e2e.cn")
    deadline = (clock() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    tender_id = publish_tender(buyer, shot, deadline)

    first = bid(actor("vendor1@e2e.cn"), shot, tender_id, "yunkefu", ("03", "04"))
    second = bid(actor("vendor2@e2e.cn"), shot, tender_id, "zhuanxi", ("05", "06"))
    assert first["monthly_cost"] == "52,266.67"    # per inquiry under the default scenario (800 a day)
    assert second["monthly_cost"] != first["monthly_cost"]

    # A third vendor has the upload form open when the deadline passes.
    late = actor("vendor3@e2e.cn")
    page = late.go(f"/vendor/tenders/{tender_id}")
    sample = sample_bid("xiaomifeng")
    with page.expect_download() as download:
        page.click("a[href$='price-sheet.xlsx']")
    chosen = files(fill_quote(Path(download.value.path()).read_bytes(), sample),
                   make_bid_document(SECTIONS, sample["facts"]))
    page.set_input_files("input[name=quote]", chosen["quote"])
    page.set_input_files("input[name=document]", chosen["document"])
    clock.advance(days=1, minutes=1)
    page.click("#upload-form [type=submit]")
    refusal = page.locator(".alert-danger").first
    refusal.wait_for()
    assert "投标截止时间" in refusal.inner_text() and "已过" in refusal.inner_text()
    assert page.locator("#upload-form").count() == 0
    shot(page, "07-late-bid-refused")

    # The buyer sees two bids in, sealed.
    page = buyer.go(f"/buyer/tenders/{tender_id}")
    assert page.inner_text("#bid-count") == "2"
    assert page.inner_text("h1 .badge") == "已截止"
    shot(page, "08-buyer-deadline-passed")
