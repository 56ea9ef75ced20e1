"""The whole story in a real browser: a buyer publishes a tender through the forms and
names the evaluation panel; two vendors download the price sheet, fill it with openpyxl as
a vendor would, upload it with their bid document and get receipts; a third is too late;
the deadline passes; the buyer opens the bids; three evaluators declare no conflict and
score blind, the chair closes the evaluation and the three sign the report; the buyer reads the results with their charts, downloads both reports (the
ranking in the Excel report is the ranking on the page), confirms the award, and a vendor
sees the outcome of its bid.

Each step is saved as a screenshot (see ``conftest.shot``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from scoring.times import SHANGHAI
from tender.demo.files import fill_quote, make_bid_document

pytestmark = pytest.mark.e2e

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "云裳旗舰店 2027 年度电商客服外包服务项目"
SECTIONS = ["服务方案", "人员配置", "培训体系", "质量保障", "应急预案"]
EVALUATORS = [("expert1@e2e.cn", "评标专家 孙"), ("expert2@e2e.cn", "评标专家 李"), ("expert3@e2e.cn", "评标专家 吴")]
# Subjective scores (服务方案 of 35, 团队与培训 of 15) each evaluator gives each vendor.
SCORES = {"杭州云客服科技有限公司": ("30", "12"), "苏州专席客服服务有限公司": ("33", "14")}


def sample_bid(name: str) -> dict:
    return json.loads((SAMPLES / "bids" / f"{name}.json").read_text(encoding="utf-8"))


def local_input(moment: dt.datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def files(quote: bytes, document: bytes) -> dict:
    return {
        "quote": {"name": "报价单.xlsx", "mimeType": XLSX, "buffer": quote},
        "document": {"name": "投标文件.docx", "mimeType": DOCX, "buffer": document},
    }


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
    assert posted.value.resource_type == "xhr"  # the progress-showing upload, not a page post
    monthly_cost = page.inner_text("tfoot th.num")
    wait_until_drawn(page.locator("#cost-curve"))  # its own cost against volume
    page.evaluate("document.querySelector('#cost-curve').scrollIntoView({block: 'end'})")
    shot(page, f"{steps[0]}-vendor-bid-preview")
    page.click("form [type=submit]:has-text('确认')")
    page.wait_for_url("**/receipt")
    receipt = page.inner_text("#receipt")
    assert "SHA-256" in receipt and "(UTC+8 Asia/Shanghai)" in receipt
    shot(page, f"{steps[1]}-vendor-receipt")
    return {"company": sample["facts"]["company_name"], "monthly_cost": monthly_cost, "receipt": receipt}


def assign_panel(buyer, tender_id: str) -> None:
    page = buyer.go(f"/buyer/tenders/{tender_id}/panel")
    for email, name in EVALUATORS:  # by the e-mail: another story's evaluator may share the name
        option = page.locator("#assign select[name=evaluator] option", has_text=f"({email})")
        page.select_option("#assign select[name=evaluator]", value=option.get_attribute("value"))
        page.click("#assign [type=submit]")
        page.wait_for_selector(f"#panel td:has-text('{name}')")
    assert page.locator("#panel tbody tr").count() == len(EVALUATORS)


def score(expert, shot, tender_id: str, first: bool) -> None:
    """Declare no conflict of interest, then score the technical criteria blind, then submit."""
    page = expert.go("/evaluator/")
    page.click(f"a[href$='/evaluator/tenders/{tender_id}']")
    page.check("#declaration input[name=no_conflict]")
    page.click("#declaration [type=submit]")
    page.wait_for_selector(".alert-success")
    page.click(f"a[href$='/evaluator/tenders/{tender_id}/scores']")
    sheet = page.locator("#score-sheet")
    assert "元" not in sheet.inner_text() and "," not in sheet.inner_text()  # no price before submitting
    for vendor, (plan, team) in SCORES.items():
        inputs = sheet.locator(f"tr:has-text('{vendor}') input")
        inputs.nth(0).fill(plan)
        inputs.nth(1).fill(team)
    if first:
        shot(page, "10-evaluator-scores-blind")
    page.click("#score-sheet button[value=review]")  # checked first: only a sheet that passes is confirmed
    page.wait_for_selector("#confirm-submission")
    page.click("#score-sheet button[value=submit]")
    page.wait_for_selector(".alert-success")
    assert page.locator("#score-sheet input[name^='score:']").count() == 0
    assert page.locator("#prices tbody tr").count() == len(SCORES)  # prices shown once submitted


def close_and_sign(experts, tender_id: str) -> None:
    """The chair (the first evaluator assigned) closes the evaluation; each evaluator signs
    the report with its password (§15)."""
    from tests.e2e.conftest import PASSWORD

    page = experts[0].go(f"/evaluator/tenders/{tender_id}/proposals")
    page.check("#close-form input[name=understood]")
    page.click("#close-form [type=submit]")
    page.wait_for_url("**/sign")
    for expert in experts:
        page = expert.go(f"/evaluator/tenders/{tender_id}/sign")
        page.check("#sign-form input[name=understood]")
        page.fill("#sign-form input[name=password]", PASSWORD)
        page.click("#sign-form [type=submit]")
        page.wait_for_selector(".alert-success")


def wait_until_drawn(image, seconds: float = 30) -> None:
    """An <img> has loaded and has a size (polled: the app's CSP forbids eval'd predicates)."""
    import time

    image.scroll_into_view_if_needed()
    end = time.monotonic() + seconds
    while not image.evaluate("img => img.complete && img.naturalWidth > 0"):
        assert time.monotonic() < end, f"image not drawn: {image.get_attribute('src')}"
        time.sleep(0.1)


def ranking_on_page(page) -> list[tuple[str, str, str]]:
    rows = page.locator("#ranking tbody tr")
    return [
        (
            rows.nth(i).locator("td").nth(0).inner_text().strip(),
            rows.nth(i).get_attribute("data-vendor"),
            rows.nth(i).locator("td strong").last.inner_text().strip(),
        )
        for i in range(rows.count())
    ]


def ranking_in_workbook(data: bytes) -> list[tuple[str, str, str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows, started = [], False
    for rank, vendor, *rest in sheet.iter_rows(values_only=True):
        if rank in ("排名", "名次", "Rank"):
            started, header = True, [rank, vendor, *rest]
            total_column = next(i for i, text in enumerate(header) if text in ("总分", "合计", "Total"))
            continue
        if started:
            if not isinstance(rank, int):
                break
            rows.append((str(rank), vendor, f"{[rank, vendor, *rest][total_column]:.2f}"))
    return rows


def test_a_tender_from_publication_to_the_award(live, actor, clock, shot):
    live.account("buyer", "buyer@e2e.cn", "采购人 王")
    for email, name in EVALUATORS:
        live.account("evaluator", email, name)
    for number, name in enumerate(("yunkefu", "zhuanxi", "xiaomifeng"), start=1):
        facts = sample_bid(name)["facts"]
        live.vendor(f"vendor{number}@e2e.cn", facts["company_name"], facts)

    buyer = actor("buyer@e2e.cn")
    deadline = (clock() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    tender_id = publish_tender(buyer, shot, deadline)
    assign_panel(buyer, tender_id)

    first_vendor = actor("vendor1@e2e.cn")
    first = bid(first_vendor, shot, tender_id, "yunkefu", ("03", "04"))
    second = bid(actor("vendor2@e2e.cn"), shot, tender_id, "zhuanxi", ("05", "06"))
    assert first["monthly_cost"] == "52,266.67"  # per inquiry under the default scenario (800 a day)
    assert second["monthly_cost"] == "59,976.67"  # fixed fee per agent

    # A third vendor has the upload form open when the deadline passes.
    late = actor("vendor3@e2e.cn")
    page = late.go(f"/vendor/tenders/{tender_id}")
    sample = sample_bid("xiaomifeng")
    with page.expect_download() as download:
        page.click("a[href$='price-sheet.xlsx']")
    chosen = files(
        fill_quote(Path(download.value.path()).read_bytes(), sample), make_bid_document(SECTIONS, sample["facts"])
    )
    page.set_input_files("input[name=quote]", chosen["quote"])
    page.set_input_files("input[name=document]", chosen["document"])
    clock.advance(days=1, minutes=1)
    page.click("#upload-form [type=submit]")
    refusal = page.locator(".alert-danger").first
    refusal.wait_for()
    assert "投标截止时间" in refusal.inner_text() and "已过" in refusal.inner_text()
    assert page.locator("#upload-form").count() == 0
    shot(page, "07-late-bid-refused")

    # The buyer sees two bids in, sealed; at the opening time, opens them.
    page = buyer.go(f"/buyer/tenders/{tender_id}")
    assert page.inner_text("#bid-count") == "2"
    assert page.inner_text("h1 .badge") == "已截止"
    clock.advance(minutes=30)
    page = buyer.go(f"/buyer/tenders/{tender_id}/panel")
    page.click("form[action$='/open'] [type=submit]")
    page.wait_for_url("**/opening-record")
    record = page.inner_text("#opening-record")
    assert "52,266.67" in record and "59,976.67" in record and "金华小蜜蜂" not in record
    shot(page, "08-buyer-opening-record")

    experts = [actor(email) for email, _name in EVALUATORS]
    for number, expert in enumerate(experts):
        score(expert, shot, tender_id, first=number == 0)
    close_and_sign(experts, tender_id)

    # The results, their charts, both reports; the ranking in the workbook is the page's.
    page = buyer.go(f"/results/{tender_id}")
    charts = page.locator("#result-charts img")
    assert charts.count() == 3
    for index in range(3):
        wait_until_drawn(charts.nth(index))
    shown = ranking_on_page(page)
    assert [vendor for _rank, vendor, _total in shown] == ["杭州云客服科技有限公司", "苏州专席客服服务有限公司"] or [
        vendor for _rank, vendor, _total in shown
    ] == ["苏州专席客服服务有限公司", "杭州云客服科技有限公司"]
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "11-buyer-results")
    page.locator("#result-charts").scroll_into_view_if_needed()
    shot(page, "12-buyer-results-charts")
    with page.expect_download() as download:
        page.click("a[href$='/report.xlsx']")
    workbook = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.endswith(".xlsx") and "草稿" not in download.value.suggested_filename
    assert ranking_in_workbook(workbook) == shown
    with page.expect_download() as download:
        page.click("a[href$='/report.docx']")
    import docx

    report = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.text for p in report.paragraphs) + "\n".join(
        cell.text for table in report.tables for row in table.rows for cell in row.cells
    )
    assert shown[0][1] in text and "评标" in text

    # The award, and the vendor reads the outcome of its own bid.
    page.click("a[href$='/award']")
    page.click("#award-form [type=submit]")
    page.wait_for_selector("#award")
    assert shown[0][1] in page.inner_text("#award")
    shot(page, "13-buyer-award")
    page = first_vendor.go("/vendor/bids")
    page.click(f"a:has-text('{TITLE}')")
    page.click("a[href$='/outcome']")
    mine = next(rank for rank, vendor, _total in shown if vendor == first["company"])
    assert page.inner_text("#my-rank").startswith(f"{mine} / 2")
    assert ("中标" in page.inner_text("#outcome") and "未中标" not in page.inner_text("#outcome")) == (mine == "1")
    shot(page, "14-vendor-outcome")
