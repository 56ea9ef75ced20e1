"""After the award, in a real browser (domain §14): the buyer writes a tender with its KPIs
and payment terms in the form, two vendors bid, the panel scores, the buyer awards 杭州云客服;
once the award is final the contract's months are settled — month 1 as the §14 worked
example (2,000 inquiries a day × 25 days, half returning: 25,000 × 2.50 + 25,000 × 1.50 =
100,000.00; KPIs 93.2 %, 91 %, 38 % → deduction 7,000.00, payable 93,000.00), confirmed by the
vendor; month 2 settled with 20 days (80,000.00 + bonus 2,400.00 = 82,400.00), disputed,
corrected to 25 days (100,000.00 + 3,000.00 = 103,000.00) and confirmed. The contract page
charts both months; the acceptance report is downloaded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest

from tender.demo.files import fill_quote, make_bid_document
from tests.e2e.test_story import (
    EVALUATORS,
    SECTIONS,
    assign_panel,
    close_and_sign,
    files,
    local_input,
    sample_bid,
    score,
    wait_until_drawn,
)

pytestmark = pytest.mark.e2e

TITLE = "云裳旗舰店 2027 年度客服外包（履约考核）"
KPIS = [
    ("reply_3min", "3分钟人工回复率", "at_least", "0.95", "0.5"),
    ("satisfaction", "满意度", "at_least", "0.90", "0.3"),
    ("conversion", "询单转化率", "at_least", "0.40", "0.2"),
]
WORKED = {
    "daily_inquiries": 2000,
    "days": 25,
    "returning_share": "50%",
    "kpi:reply_3min": "93.2%",
    "kpi:satisfaction": 0.91,
    "kpi:conversion": 0.38,
}
ALL_MET = {**WORKED, "kpi:reply_3min": 0.96, "kpi:conversion": "40%"}


@pytest.fixture
def award_final(monkeypatch):
    """The award is final once made: the result notice (its own issue) out 30 days ago."""
    from scoring import lifecycle
    from tender.models import Tender, utcnow

    original = Tender.facts

    def facts(self):
        found = original(self)
        return (
            dataclasses.replace(found, notice_at=utcnow() - dt.timedelta(days=30))
            if found.status == lifecycle.AWARDED
            else found
        )

    monkeypatch.setattr(Tender, "facts", facts)


def write_the_tender(buyer, deadline: dt.datetime) -> str:
    page = buyer.go("/buyer/tenders/new")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=buyer]", "杭州云裳服饰有限公司")
    page.fill("input[name=bid_deadline]", local_input(deadline))
    page.fill("input[name=opening_time]", local_input(deadline + dt.timedelta(minutes=30)))
    page.fill("input[name=min_valid_bids]", "2")
    page.fill("input[name=scenario-peak_days_per_year]", "0")
    for index, (kpi_id, name, direction, target, weight) in enumerate(KPIS):
        page.click("button[value='add:kpis']")
        page.wait_for_selector(f"input[name=kpis-{index}-id]")
        page.fill(f"input[name=kpis-{index}-id]", kpi_id)
        page.fill(f"input[name=kpis-{index}-name]", name)
        page.select_option(f"select[name=kpis-{index}-direction]", direction)
        page.fill(f"input[name=kpis-{index}-target]", target)
        page.fill(f"input[name=kpis-{index}-weight]", weight)
    page.fill("input[name=payment_terms-at_risk_share]", "0.10")
    page.fill("input[name=payment_terms-bonus_share]", "0.03")
    page.click("button[name=action][value=save]")
    page.wait_for_url(re.compile(r"/buyer/tenders/[\w-]+$"))
    page.click("form.inline button:has-text('发布')")
    page.wait_for_selector(".alert-success")
    return page.url.rsplit("/", 1)[1]


def bid(vendor, tender_id: str, name: str) -> None:
    page = vendor.go(f"/vendor/tenders/{tender_id}")
    with page.expect_download() as download:
        page.click("a[href$='price-sheet.xlsx']")
    sample = sample_bid(name)
    chosen = files(
        fill_quote(Path(download.value.path()).read_bytes(), sample), make_bid_document(SECTIONS, sample["facts"])
    )
    page.set_input_files("input[name=quote]", chosen["quote"])
    page.set_input_files("input[name=document]", chosen["document"])
    page.click("#upload-form [type=submit]")
    page.wait_for_url("**/vendor/submissions/*")
    page.click("form [type=submit]:has-text('确认')")
    page.wait_for_url("**/receipt")


def actuals(page, values: dict) -> dict:
    """The month's workbook downloaded from the page and filled as the buyer would."""
    with page.expect_download() as download:
        page.click("a[href*='actuals-template.xlsx']")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    for row in book.active.iter_rows(min_row=4):
        if row[1].value in values:
            row[2].value = values[row[1].value]
    out = io.BytesIO()
    book.save(out)
    return {
        "name": "本月实际.xlsx",
        "buffer": out.getvalue(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_two_contract_months_settled_one_disputed_and_corrected(live, actor, clock, shot, award_final):
    live.account("buyer", "buyer-kpi@e2e.cn", "采购人 赵")
    for email, name in EVALUATORS:
        live.account("evaluator", email, name)
    for email, key in (("kpi-vendor1@e2e.cn", "yunkefu"), ("kpi-vendor2@e2e.cn", "zhuanxi")):
        facts = sample_bid(key)["facts"]
        live.vendor(email, facts["company_name"], facts)
    buyer = actor("buyer-kpi@e2e.cn")
    tender_id = write_the_tender(buyer, (clock() + dt.timedelta(days=1)).replace(second=0, microsecond=0))
    assign_panel(buyer, tender_id)
    winner = actor("kpi-vendor1@e2e.cn")
    bid(winner, tender_id, "yunkefu")
    bid(actor("kpi-vendor2@e2e.cn"), tender_id, "zhuanxi")
    clock.advance(days=1, minutes=31)
    page = buyer.go(f"/buyer/tenders/{tender_id}/panel")
    page.click("form[action$='/open'] [type=submit]")
    page.wait_for_url("**/opening-record")
    for email, _name in EVALUATORS:
        score(actor(email), shot, tender_id, first=False)
    close_and_sign([actor(email) for email, _name in EVALUATORS], tender_id)

    # the award to 杭州云客服 (with a reason should it not rank first) makes its contract
    page = buyer.go(f"/buyer/tenders/{tender_id}/award")
    option = page.locator("select[name=share-0] option", has_text="杭州云客服科技有限公司")
    page.select_option("select[name=share-0]", value=option.get_attribute("value"))
    page.fill("textarea[name=reason]", "履约考核试点 / KPI pilot")
    page.click("#award-form [type=submit]")
    page.wait_for_selector("#tender-contracts")
    page.click("#tender-contracts a")
    page.wait_for_url("**/contracts/*")
    contract_url = page.url
    assert page.inner_text("#at-risk-share") == "0.10"
    assert page.inner_text("#predicted") == "619,200.00"  # 51,600.00 × 12

    # month 1: the worked example, confirmed by the vendor
    first = page.locator("select[name=month] option").first.get_attribute("value")
    page.set_input_files("input[name=actuals]", actuals(page, WORKED))
    page.click("form[action$='/months'] [type=submit]")
    page.wait_for_url(f"**/months/{first}")
    assert page.inner_text("#charge") == "100,000.00" and page.inner_text("#deduction") == "7,000.00"
    assert page.inner_text("#payable") == "93,000.00"
    shot(page, "15-buyer-month-settled")
    page = winner.go("/contracts/")
    page.click(f"a:has-text('{TITLE}')")
    page.click(f"a:has-text('{first}')")
    page.click("button:has-text('确认结算')")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("#month-state") == "已确认"

    # month 2: settled with 20 days, disputed, corrected to 25 days, confirmed
    page = buyer.go(contract_url)
    second = page.locator("select[name=month] option").first.get_attribute("value")
    page.set_input_files("input[name=actuals]", actuals(page, {**ALL_MET, "days": 20}))
    page.click("form[action$='/months'] [type=submit]")
    page.wait_for_url(f"**/months/{second}")
    assert page.inner_text("#payable") == "82,400.00"
    page = winner.go(f"{contract_url}/months/{second}")
    page.fill("textarea[name=reason]", "本月服务 25 天，不是 20 天")
    page.click("form[action$='/dispute'] [type=submit]")
    page.wait_for_selector(".alert-success")
    shot(page, "16-vendor-month-disputed")
    page = buyer.go(f"{contract_url}/months/{second}")
    page.set_input_files("input[name=correct-actuals]", actuals(page, ALL_MET))
    page.fill("textarea[name=correct-reason]", "按考勤记录更正为 25 天")
    page.click("form[action$='/correct'] [type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("#payable") == "103,000.00" and page.locator("#versions tbody tr").count() == 2
    page = winner.go(f"{contract_url}/months/{second}")
    page.click("button:has-text('确认结算')")
    page.wait_for_selector(".alert-success")

    # the contract page: both months, their charts, the acceptance report
    page = buyer.go(contract_url)
    assert page.inner_text("#charged") == "200,000.00" and page.inner_text("#paid") == "196,000.00"
    for chart in range(2):
        wait_until_drawn(page.locator("figure.chart img").nth(chart))
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "17-buyer-contract", full_page=True)
    page = buyer.go(f"{contract_url}/months/{second}")
    with page.expect_download() as download:
        page.click("a[href$='acceptance.docx']")
    import docx

    report = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(cell.text for table in report.tables for row in table.rows for cell in row.cells)
    assert "103,000.00" in text and "按考勤记录更正为 25 天" in text
