"""A tender priced month by month, in a real browser: the buyer fills the form's month table
from last year's reception figures (an .xlsx the shop's customer-service system exported:
chosen, it is read at once), types the seats and peak days of 618, 双11 and 双12, saves and
publishes; two vendors see their year on the preview and the contract cost on the receipt;
after the opening and the panel's scores the results page shows the year month by month,
says that the year changes the winner, and shows the weight stability. A second test pastes
rows copied from a spreadsheet into a cell of the table.

Last year's totals ÷ each month's calendar days give the sample's daily figures (January
31,000 ÷ 31 = 1,000 … June 90,000 ÷ 30 = 3,000, November 135,000 ÷ 30 = 4,500, December
49,600 ÷ 31 = 1,600): 546,700 inquiries over 365 days.
- 杭州小满 (per inquiry 1.60): 546,700 × 1.60 = 874,720 + peak 200 × 6 × (3 + 11 + 2) = 19,200
  → 893,920.00 over the contract, 74,493.33 a month;
- 宁波包月通 (60,000 a month with 40,000 inquiries, 2.20 beyond, peak 200 a day): nine months at
  60,000; June 60,000 + 50,000 × 2.20 + 3,600 = 173,600; November 60,000 + 95,000 × 2.20 + 13,200
  = 282,200; December 60,000 + 9,600 × 2.20 + 2,400 = 83,520 → 1,079,320.00, 89,943.33 a month.
On the flat average month (546,700 ÷ 12 = 45,558.33 inquiries, 16 × 12 ÷ 12 peak days) 宁波包月通
costs 60,000 + 5,558.33 × 2.20 + 1,600 = 73,828.33 and 杭州小满 45,558.33 × 1.60 + 1,600 = 74,493.33.
With equal technical scores (experience 10 and 8, response 10 and 10, plan 28, team 13) the flat
month would rank 宁波包月通 first (30.00 + 20 + 41 = 91.00 against 29.73 + 18 + 41 = 88.73), the
year ranks 杭州小满 first (30.00 + 18 + 41 = 89.00 against 30 × 74,493.33 ÷ 89,943.33 = 24.85 + 20 + 41
= 85.85).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from tender.demo.files import fill_quote, make_bid_document
from tests.e2e.test_story import SECTIONS, files, local_input, wait_until_drawn

pytestmark = pytest.mark.e2e

YEAR = Path(__file__).resolve().parents[2] / "samples" / "year"
TITLE = "花溪家纺旗舰店 2027 年度客服外包（逐月计价）"
XIAOMAN, BAOYUETONG = "杭州小满客服科技有限公司", "宁波包月通客服有限公司"
LAST_YEAR = [
    ("2026-01", 31000),
    ("2026-02", 16800),
    ("2026-03", 31000),
    ("2026-04", 30000),
    ("2026-05", 37200),
    ("2026-06", 90000),
    ("2026-07", 31000),
    ("2026-08", 27900),
    ("2026-09", 30000),
    ("2026-10", 37200),
    ("2026-11", 135000),
    ("2026-12", 49600),
]
# row index → (seats per shift, peak days, CS sales) typed by the buyer
PEAKS = {5: ("10", "3", ""), 10: ("14", "11", "6000000"), 11: ("8", "2", "")}


def year_bid(key: str) -> dict:
    return json.loads((YEAR / "bids" / f"{key}.json").read_text(encoding="utf-8"))


def export() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "店铺接待统计"
    sheet.append(["花溪家纺旗舰店 2026 年接待量（客服系统导出）"])
    sheet.append(["统计月份", "咨询人数", "平均响应时长（秒）"])
    for label, total in LAST_YEAR:
        sheet.append([label, total, 18])
    sheet.append(["合计", sum(t for _l, t in LAST_YEAR), None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_the_tender(buyer, shot, deadline: dt.datetime) -> str:
    page = buyer.go("/buyer/tenders/new")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=buyer]", "嘉兴花溪家纺电子商务有限公司")
    page.fill("input[name=bid_deadline]", local_input(deadline))
    page.fill("input[name=opening_time]", local_input(deadline + dt.timedelta(minutes=30)))
    page.fill("input[name=min_valid_bids]", "2")
    page.fill("input[name=quality_requirements-satisfaction_min]", "")
    for name, value in (
        ("daily_inquiries", "1000"),
        ("returning_share", "0"),
        ("agents_per_shift", "6"),
        ("cs_sales_per_month", "1500000"),
        ("peak_days_per_year", ""),
        ("peak_extra_agents", "6"),
    ):
        page.fill(f"input[name=scenario-{name}]", value)
    # choosing the file sends it at once (static/profile_table.js); the server reads it
    page.set_input_files(
        "input[name=scenario-profile_file]",
        {
            "name": "接待统计.xlsx",
            "buffer": export(),
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        },
    )
    news = page.locator("#scenario-months .alert-success")
    news.wait_for()
    assert news.inner_text() == "已从接待统计.xlsx读取 12 个月。"
    conversions = page.locator("#scenario-months details.conversions")
    assert "135,000" in conversions.inner_text() and "4,500" in conversions.inner_text()
    daily = [page.input_value(f"input[name=scenario-monthly_profile-{i}-daily_inquiries]") for i in range(12)]
    assert daily == ["1000", "600", "1000", "1000", "1200", "3000", "1000", "900", "1000", "1200", "4500", "1600"]
    assert page.input_value("input[name=title]") == TITLE  # the rest of the form is kept
    for row, (seats, peak, sales) in PEAKS.items():
        page.fill(f"input[name=scenario-monthly_profile-{row}-agents_per_shift]", seats)
        page.fill(f"input[name=scenario-monthly_profile-{row}-peak_days]", peak)
        if sales:
            page.fill(f"input[name=scenario-monthly_profile-{row}-cs_sales]", sales)
    page.locator("#scenario-months").scroll_into_view_if_needed()
    shot(page, "31-buyer-month-table")
    page.click("button[name=action][value=save]")
    page.wait_for_url(re.compile(r"/buyer/tenders/[\w-]+$"))
    months = page.locator("table.profile-summary tbody tr")
    assert months.count() == 12 and "2026-11" in months.nth(10).inner_text()
    page.click("form.inline button:has-text('发布')")
    page.wait_for_selector(".alert-success")
    return page.url.rsplit("/", 1)[1]


def bid(vendor, shot, tender_id: str, key: str, screenshot: str | None) -> dict:
    page = vendor.go(f"/vendor/tenders/{tender_id}")
    with page.expect_download() as download:
        page.click("a[href$='price-sheet.xlsx']")
    sample = year_bid(key)
    chosen = files(
        fill_quote(Path(download.value.path()).read_bytes(), sample), make_bid_document(SECTIONS, sample["facts"])
    )
    page.set_input_files("input[name=quote]", chosen["quote"])
    page.set_input_files("input[name=document]", chosen["document"])
    page.click("#upload-form [type=submit]")
    page.wait_for_url("**/vendor/submissions/*")
    wait_until_drawn(page.locator("#own-year-chart"))
    year = {
        "contract": page.inner_text("#own-contract-cost"),
        "monthly": page.inner_text("#own-monthly-cost"),
        "rows": page.locator("#own-year-table tbody tr").count(),
    }
    if screenshot:
        page.locator("#own-year").scroll_into_view_if_needed()
        shot(page, screenshot)
    page.click("form [type=submit]:has-text('确认')")
    page.wait_for_url("**/receipt")
    year["receipt"] = page.inner_text("#receipt-contract-cost")
    return year


def test_a_tender_priced_month_by_month_from_the_form_to_the_results(live, actor, clock, shot):
    live.account("buyer", "year-buyer@e2e.cn", "采购人 沈")
    live.account("evaluator", "year-expert@e2e.cn", "评标专家 周")
    for key in ("xiaoman", "baoyuetong"):
        facts = year_bid(key)["facts"]
        live.vendor(f"{key}@e2e.cn", facts["company_name"], facts)

    buyer = actor("year-buyer@e2e.cn")
    deadline = (clock() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    tender_id = write_the_tender(buyer, shot, deadline)
    page = buyer.go(f"/buyer/tenders/{tender_id}/panel")
    option = page.locator("#assign select[name=evaluator] option", has_text="评标专家 周")
    page.select_option("#assign select[name=evaluator]", value=option.get_attribute("value"))
    page.click("#assign [type=submit]")
    page.wait_for_selector("#panel td:has-text('评标专家 周')")

    xiaoman = bid(actor("xiaoman@e2e.cn"), shot, tender_id, "xiaoman", "32-vendor-year-preview")
    assert xiaoman == {"contract": "893,920.00", "monthly": "74,493.33", "rows": 12, "receipt": "893,920.00 元"}
    baoyuetong = bid(actor("baoyuetong@e2e.cn"), shot, tender_id, "baoyuetong", None)
    assert (baoyuetong["contract"], baoyuetong["monthly"]) == ("1,079,320.00", "89,943.33")

    clock.advance(days=1, minutes=31)
    page = buyer.go(f"/buyer/tenders/{tender_id}/panel")
    page.click("form[action$='/open'] [type=submit]")
    page.wait_for_url("**/opening-record")

    expert = actor("year-expert@e2e.cn")
    page = expert.go(f"/evaluator/tenders/{tender_id}")
    page.check("#declaration input[name=no_conflict]")
    page.click("#declaration [type=submit]")
    page.wait_for_selector(".alert-success")
    page = expert.go(f"/evaluator/tenders/{tender_id}/scores")
    for vendor in (XIAOMAN, BAOYUETONG):
        inputs = page.locator(f"#score-sheet tr:has-text('{vendor}') input")
        inputs.nth(0).fill("28")
        inputs.nth(1).fill("13")
    page.click("#score-sheet button[value=review]")
    page.wait_for_selector("#confirm-submission")
    page.click("#score-sheet button[value=submit]")
    page.wait_for_selector(".alert-success")

    page = buyer.go(f"/results/{tender_id}")
    year = page.locator("section.contract-year")
    sentence = year.locator(".year-winner").inner_text()
    assert sentence.startswith(
        "逐月计价改变了第一名：按平均月（日均 1,497.81 咨询）计，宁波包月通客服有限公司排名第一，月度成本 73,828.33 元"
    )
    assert "排名第一的是杭州小满客服科技有限公司（月度成本 74,493.33 元，合同总价 893,920.00 元）" in sentence
    rows = year.locator("table.year-costs tbody tr")
    assert rows.nth(0).get_attribute("data-vendor") == XIAOMAN
    assert "893,920.00" in rows.nth(0).inner_text() and "282,200.00" in rows.nth(1).inner_text()
    wait_until_drawn(year.locator("img"))
    year.scroll_into_view_if_needed()
    shot(page, "33-buyer-results-year")
    stability = page.locator("section.weight-stability")
    wait_until_drawn(stability.locator("img"))
    price = stability.locator("tr[data-criterion=price]").inner_text()
    assert "10–30" in price and BAOYUETONG in price
    stability.scroll_into_view_if_needed()
    shot(page, "34-buyer-weight-stability")


def test_rows_pasted_into_a_cell_of_the_month_table_fill_it(live, actor):
    live.account("buyer", "paste-buyer@e2e.cn", "采购人 陆")
    buyer = actor("paste-buyer@e2e.cn")
    page = buyer.go("/buyer/tenders/new")
    page.fill("input[name=title]", "粘贴测试")
    page.click("button[name=action][value='add:scenario-monthly_profile']")
    cell = page.locator("input[name=scenario-monthly_profile-0-label]")
    cell.wait_for()
    cell.evaluate("""(input) => {
        const data = new DataTransfer();
        data.setData('text/plain', '月份\\t日均咨询量\\t坐席\\n2027-01\\t1650\\t\\n2027-06 618\\t4000\\t10\\n');
        input.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    }""")
    page.locator("#scenario-months .alert-success").wait_for()
    assert page.input_value("input[name=scenario-monthly_profile-1-label]") == "2027-06 618"
    assert page.input_value("input[name=scenario-monthly_profile-1-agents_per_shift]") == "10"
    assert page.input_value("input[name=title]") == "粘贴测试"
