"""A tender in two lots (标包, §13) with a round of final offers (最后报价, §12), in a real
browser from the form to the award (issue 15).

The buyer writes the tender in the form: two lots, each with its own scenario, at most one lot
per vendor (兼投不兼中), a final-offer round; it publishes. 杭州云客服 and 苏州专席 bid for both
lots, 南京恒信 for L1 only (its L2 sheet left empty). After the opening the three evaluators
score each lot; the buyer opens the round; 杭州云客服 lowers its L1 price, 苏州专席's dearer L2
sheet is refused (both figures) and it sends none, 南京恒信 sends none. After the round's
deadline its opening record gives each vendor's first and final cost lot by lot; the chair
closes, all sign; the results rank each lot on the final offers, and the award table gives L1
to 杭州云客服 and skips it in L2, which goes to 苏州专席; the buyer confirms both lots.

The numbers, by hand. Every bid is ``fixed_per_agent`` (monthly cost = fee per agent-shift ×
agents per shift × shifts + peak rate × extra agents × peak days ÷ 12); peak days are 12 a year,
so the peak share is rate × extra agents.
- L1 天猫 售前: 5 agents × 2 shifts = 10 agent-shifts, 2 extra agents on peak days.
  杭州云客服 5,350 × 10 + 250 × 2 = 53,500 + 500 = 54,000.00; final 4,500: 45,000 + 500 = 45,500.00
  苏州专席   5,100 × 10 + 250 × 2 = 51,500.00
  南京恒信   5,200 × 10 + 200 × 2 = 52,400.00
- L2 京东 售后: 3 agents × 2 shifts = 6 agent-shifts, 1 extra agent.
  杭州云客服 4,500 × 6 + 300 × 1 = 27,300.00
  苏州专席   4,600 × 6 + 300 × 1 = 27,900.00; its final 4,800: 28,800 + 300 = 29,100.00 > 27,900.00: refused
- Abnormally low (ratio 0.8 of the mean of the others): the lowest, 45,500.00, is above
  0.8 × (51,500 + 52,400) ÷ 2 = 41,560.00; in L2 27,300.00 > 0.8 × 27,900 = 22,320.00. None.
- Objective points (form defaults): similar projects 2 each up to 10 (云客服 6 → 10, 专席 8 → 10,
  恒信 4 → 8); first response ≤ 30 s → 10 (20 s, 15 s, 30 s). Subjective (the three evaluators
  alike): SCORES below.
- Price score = 30 × benchmark ÷ price (lowest price). L1 on the final offers, benchmark 45,500:
  云客服 30.00 + 10 + 10 + 30 + 12 = 92.00 (rank 1)
  专席   30 × 45,500 ÷ 51,500 = 26.50; 26.50 + 10 + 10 + 31 + 13 = 90.50 (rank 2)
  恒信   30 × 45,500 ÷ 52,400 = 26.05; 26.05 + 8 + 10 + 29 + 12 = 85.05 (rank 3)
  (On the first offers 专席 would lead L1: 30 + 10 + 10 + 31 + 13 = 94.00 against 云客服's
  30 × 51,500 ÷ 54,000 = 28.61 → 90.61: the final offer turns L1 over.)
- L2, benchmark 27,300: 云客服 30.00 + 10 + 10 + 31 + 13 = 94.00 (rank 1);
  专席 30 × 27,300 ÷ 27,900 = 29.35; 29.35 + 10 + 10 + 29 + 12 = 90.35 (rank 2).
- Awards lot by lot, one lot per vendor: L1 → 云客服 (rank 1); in L2 云客服 already holds a lot:
  skipped, L2 → 专席 (rank 2).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tender.demo.files import fill_quote, make_bid_document
from tests.e2e.test_story import EVALUATORS, SECTIONS, assign_panel, close_and_sign, files, local_input, sample_bid
from tests.e2e.test_tender_builder import axe_violations

pytestmark = pytest.mark.e2e

TITLE = "云裳 天猫·京东双店客服外包（分标包，竞争性磋商）"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YUNKEFU, ZHUANXI, HENGXIN = "杭州云客服科技有限公司", "苏州专席客服服务有限公司", "南京恒信客服外包有限公司"
# Each lot's scenario, as the buyer types it (the form's scenario fields of a lot).
LOTS = {
    "L1": {
        "name": "天猫旗舰店 售前咨询",
        "scenario": {
            "days_per_month": "30",
            "daily_inquiries": "800",
            "returning_share": "0.35",
            "agents_per_shift": "5",
            "shifts_per_day": "2",
            "hours_per_shift": "8",
            "cs_sales_per_month": "600000",
            "peak_days_per_year": "12",
            "peak_extra_agents": "2",
            "contract_months": "12",
        },
    },
    "L2": {
        "name": "京东自营店 售后服务",
        "scenario": {
            "days_per_month": "30",
            "daily_inquiries": "300",
            "returning_share": "0.5",
            "agents_per_shift": "3",
            "shifts_per_day": "2",
            "hours_per_shift": "8",
            "cs_sales_per_month": "300000",
            "peak_days_per_year": "12",
            "peak_extra_agents": "1",
            "contract_months": "12",
        },
    },
}
# The fee per agent-shift and the peak day rate each vendor quotes in each lot it bids for.
QUOTES = {
    "yunkefu": {"L1": (5350, 250), "L2": (4500, 300)},
    "zhuanxi": {"L1": (5100, 250), "L2": (4600, 300)},
    "hengxin": {"L1": (5200, 200)},
}
COMPANY = {"yunkefu": YUNKEFU, "zhuanxi": ZHUANXI, "hengxin": HENGXIN}
# 服务方案 (of 35) and 团队与培训 (of 15), the same from each evaluator.
SCORES = {
    ("L1", YUNKEFU): ("30", "12"),
    ("L1", ZHUANXI): ("31", "13"),
    ("L1", HENGXIN): ("29", "12"),
    ("L2", YUNKEFU): ("31", "13"),
    ("L2", ZHUANXI): ("29", "12"),
}


def fixed(fee: int, peak: int) -> dict:
    return {"model": "fixed_per_agent", "monthly_per_agent": fee, "kpi_holdback": 0.15, "peak_rate_per_agent_day": peak}


def lot_bid(name: str, quotes: dict) -> dict:
    """The sample vendor's facts and documents, priced lot by lot (a lot left out: no bid for it)."""
    sample = sample_bid(name)
    return {
        "facts": sample["facts"],
        "documents": sample.get("documents", []),
        "lots": {lot: fixed(*quote) for lot, quote in quotes.items()},
    }


def open_sections(page) -> None:
    page.evaluate("() => document.querySelectorAll('details.section').forEach(d => d.open = true)")


def write_lots_tender(buyer, deadline: dt.datetime) -> str:
    """The buyer writes the two lots in the form (each posted back by 'Add a lot'), ticks the
    round of final offers and one lot per vendor, saves and publishes."""
    page = buyer.go("/buyer/tenders/new")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=buyer]", "杭州云裳电子商务有限公司")
    page.fill("input[name=bid_deadline]", local_input(deadline))
    page.fill("input[name=opening_time]", local_input(deadline + dt.timedelta(minutes=30)))
    page.fill("input[name=min_valid_bids]", "2")
    open_sections(page)
    page.check("input[name=final_offer]")
    for index, (lot_id, lot) in enumerate(LOTS.items()):
        open_sections(page)
        page.click("#add-lot")
        page.wait_for_selector(f"#lot-{index}")
        open_sections(page)
        page.fill(f"input[name='lots-{index}-id']", lot_id)
        page.fill(f"input[name='lots-{index}-name']", lot["name"])
        for key, value in lot["scenario"].items():
            page.fill(f"input[name='lots-{index}-scenario-{key}']", value)
    assert page.is_checked("input[name=final_offer]")  # kept through the posts back
    page.fill("input[name=max_lots_awarded_per_vendor]", "1")
    page.click("button[name=action][value=save]")
    page.wait_for_url(re.compile(r"/buyer/tenders/[\w-]+$"))
    page.click("form.inline button:has-text('发布')")
    page.wait_for_selector(".alert-success")
    return page.url.rsplit("/", 1)[1]


def send_bid(vendor, tender_id: str, name: str) -> tuple[dict[str, str], str]:
    """Download the price sheet (one quote sheet per lot), fill the lots bid for, upload,
    read each lot's cost on the preview, confirm. Returns the costs and the preview's address."""
    page = vendor.go(f"/vendor/tenders/{tender_id}")
    with page.expect_download() as download:
        page.click("a[href$='price-sheet.xlsx']")
    bid = lot_bid(name, QUOTES[name])
    chosen = files(fill_quote(Path(download.value.path()).read_bytes(), bid), make_bid_document(SECTIONS, bid["facts"]))
    page.set_input_files("input[name=quote]", chosen["quote"])
    page.set_input_files("input[name=document]", chosen["document"])
    page.click("#upload-form [type=submit]")
    page.wait_for_url("**/vendor/submissions/*")
    preview = page.url
    rows = page.locator("#lot-costs tbody tr")
    costs = {
        rows.nth(i).inner_text().split()[0]: rows.nth(i).locator("td.num").inner_text() for i in range(rows.count())
    }
    page.click("form [type=submit]:has-text('确认')")
    page.wait_for_url("**/receipt")
    receipt = page.inner_text("#receipt")
    assert "SHA-256" in receipt and all(cost in receipt for cost in costs.values())
    return costs, preview


def final_sheet(vendor, tender_id: str, name: str, quotes: dict):
    """Upload a final price sheet pricing ``quotes`` (the other lots left empty); the page after."""
    page = vendor.go(f"/vendor/tenders/{tender_id}")
    page.click("#final-invitation a")
    page.wait_for_url("**/final-offer")
    with page.expect_download() as download:
        page.click("a[href$='price-sheet.xlsx']")
    sheet = fill_quote(Path(download.value.path()).read_bytes(), lot_bid(name, quotes))
    page.set_input_files("input[name=quote]", {"name": "最后报价单.xlsx", "mimeType": XLSX, "buffer": sheet})
    page.click("form[action$='/final-offer'] [type=submit]")
    page.wait_for_load_state()
    return page


def score_lots(expert, tender_id: str) -> None:
    page = expert.go(f"/evaluator/tenders/{tender_id}")
    page.check("#declaration input[name=no_conflict]")
    page.click("#declaration [type=submit]")
    page.wait_for_selector(".alert-success")
    page = expert.go(f"/evaluator/tenders/{tender_id}/scores")
    sheet = page.locator("#score-sheet")
    assert "54,000.00" not in sheet.inner_text()  # blind: no price before submitting
    for (lot, vendor), (plan, team) in SCORES.items():
        inputs = sheet.locator(f"tr[data-lot='{lot}']:has-text('{vendor}') input")
        inputs.nth(0).fill(plan)
        inputs.nth(1).fill(team)
    page.click("#score-sheet button[value=review]")
    page.wait_for_selector("#confirm-submission")
    page.click("#score-sheet button[value=submit]")
    page.wait_for_selector(".alert-success")
    assert page.locator("#score-sheet input[name^='score:']").count() == 0


def ranking(page, lot: str) -> list[tuple[str, str, str]]:
    """(vendor, monthly cost cell, total) of each ranked row of a lot, in rank order."""
    rows = page.locator(f"#ranking-{lot} tbody tr")
    return [
        (
            rows.nth(i).get_attribute("data-vendor"),
            rows.nth(i).locator("td.num").nth(0).inner_text(),
            rows.nth(i).locator("td strong").last.inner_text(),
        )
        for i in range(rows.count())
    ]


def test_two_lots_with_a_round_of_final_offers_from_the_form_to_the_award(live, actor, clock, shot):
    live.account("buyer", "lotsfinal-buyer@e2e.cn", "采购人 沈")
    for email, name in EVALUATORS:
        live.account("evaluator", email, name)
    for name in QUOTES:
        facts = sample_bid(name)["facts"]
        live.vendor(f"lotsfinal-{name}@e2e.cn", facts["company_name"], facts)
    buyer = actor("lotsfinal-buyer@e2e.cn")
    deadline = (clock() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    tender_id = write_lots_tender(buyer, deadline)
    assign_panel(buyer, tender_id)

    # The stored tender is what the form said: two lots, their scenarios, one lot per vendor.
    from tender.models import Tender

    with live.app.app_context():
        stored = Tender.query.filter_by(public_id=tender_id).one().definition()
    assert [(lot["id"], lot["scenario"]["agents_per_shift"]) for lot in stored["lots"]] == [("L1", 5), ("L2", 3)]
    assert stored["final_offer"] is True and stored["max_lots_awarded_per_vendor"] == 1
    assert "scenario" not in stored and str(stored["abnormal_low_ratio"]) == "0.8"

    # Bids, each lot priced on its own sheet; the preview and the receipt give each lot's cost.
    vendors = {name: actor(f"lotsfinal-{name}@e2e.cn") for name in QUOTES}
    costs, previews = {}, {}
    for name, vendor in vendors.items():
        costs[name], previews[name] = send_bid(vendor, tender_id, name)
    assert costs == {
        "yunkefu": {"L1": "54,000.00", "L2": "27,300.00"},  # 5,350 × 10 + 500; 4,500 × 6 + 300
        "zhuanxi": {"L1": "51,500.00", "L2": "27,900.00"},  # 5,100 × 10 + 500; 4,600 × 6 + 300
        "hengxin": {"L1": "52,400.00"},  # 5,200 × 10 + 200 × 2; its L2 sheet left empty
    }

    # Sealed before the deadline: another vendor's bid is not found; the buyer sees no price.
    response = vendors["zhuanxi"].page.goto(previews["yunkefu"])
    assert response.status == 404 and "54,000.00" not in vendors["zhuanxi"].page.content()
    for path in (f"/buyer/tenders/{tender_id}", f"/buyer/tenders/{tender_id}/panel"):
        content = buyer.go(path).content()
        assert not any(cost in content for cost in ("54,000.00", "51,500.00", "52,400.00", "27,300.00"))

    # The deadline and the opening time pass; the buyer opens: the record gives each lot's cost.
    clock.advance(days=1, minutes=31)
    page = buyer.go(f"/buyer/tenders/{tender_id}/panel")
    page.click("form[action$='/open'] [type=submit]")
    page.wait_for_url("**/opening-record")
    record = {
        row.locator("td").nth(1).inner_text(): row.locator("td.lot-costs").inner_text()
        for row in page.locator("#opening-record tbody tr").all()
    }
    assert "L1" in record[YUNKEFU] and "54,000.00" in record[YUNKEFU] and "27,300.00" in record[YUNKEFU]
    assert "51,500.00" in record[ZHUANXI] and "27,900.00" in record[ZHUANXI]
    assert "52,400.00" in record[HENGXIN] and "L2" not in record[HENGXIN]
    shot(page, "50-buyer-lots-opening-record")

    experts = [actor(email) for email, _name in EVALUATORS]
    for expert in experts:
        score_lots(expert, tender_id)

    # The buyer opens the round of final offers, its deadline two days ahead.
    page = buyer.go(f"/buyer/tenders/{tender_id}")
    page.click("#final-round-link")
    page.fill("input[name=deadline]", local_input(clock() + dt.timedelta(days=2)))
    page.click("form[action$='/final-round'] [type=submit]")
    page.wait_for_selector("#final-deadline")
    assert page.inner_text("#invited") == "3" and page.inner_text("#received") == "0"

    # 苏州专席's L2 at 4,800 (29,100.00) costs more than its first 27,900.00: refused, nothing kept.
    page = final_sheet(vendors["zhuanxi"], tender_id, "zhuanxi", {"L2": (4800, 300)})
    problems = page.inner_text("#upload-problems")
    assert "29100.00" in problems and "27900.00" in problems
    assert page.inner_text("#final-status") == "尚未提交"
    first = page.inner_text("#first-cost")
    assert "51,500.00" in first and "27,900.00" in first  # its first offer, lot by lot

    # 杭州云客服 lowers L1 to 4,500 per agent-shift: 45,500.00, first 54,000.00; L2 left empty.
    page = final_sheet(vendors["yunkefu"], tender_id, "yunkefu", {"L1": (4500, 250)})
    page.wait_for_url("**/vendor/final-offers/*")
    final_preview = page.url
    both = page.inner_text("#both-costs")
    assert "54,000.00" in both and "45,500.00" in both
    shot(page, "51-vendor-lot-final-offer-preview")
    page.click("form[action$='/confirm'] [type=submit]")
    page.wait_for_url("**/receipt")
    assert "45,500.00" in page.inner_text("#final-receipt")

    # Sealed until the round's deadline: the buyer sees a count, no figure; another vendor nothing.
    page = buyer.go(f"/buyer/tenders/{tender_id}/final-round")
    assert page.inner_text("#received") == "1" and "45,500.00" not in page.content()
    page = buyer.go(f"/results/{tender_id}/final-offers")  # sent back: sealed
    assert "/final-offers" not in page.url and "45,500.00" not in page.content()
    response = vendors["zhuanxi"].page.goto(final_preview)
    assert response.status == 404 and "45,500.00" not in vendors["zhuanxi"].page.content()

    # After the deadline (and the grace) the buyer opens the final offers: first and final, lot by lot.
    clock.advance(days=2, minutes=3)
    page = buyer.go(f"/buyer/tenders/{tender_id}/final-round")
    page.click("form[action$='/final-round/open'] [type=submit]")
    page.wait_for_url("**/final-offers")

    def cells(vendor: str, column: int) -> str:
        return page.locator(f"#final-record tr[data-vendor='{vendor}'] td").nth(column).inner_text()

    # 杭州云客服: L1 54,000.00 → 45,500.00, no final L2 (27,300.00 stands)
    assert cells(YUNKEFU, 2) == "标包 L1: 54,000.00\n标包 L2: 27,300.00"
    assert cells(YUNKEFU, 3) == "标包 L1: 45,500.00\n标包 L2: 未提交：以首次报价为准"
    assert cells(YUNKEFU, 6) == "标包 L1: 45,500.00\n标包 L2: 27,300.00"  # the costs scored
    # 苏州专席 and 南京恒信 sent none: their first offers are scored
    assert cells(ZHUANXI, 2) == cells(ZHUANXI, 6) == "标包 L1: 51,500.00\n标包 L2: 27,900.00"
    assert cells(ZHUANXI, 3) == "标包 L1: 未提交：以首次报价为准\n标包 L2: 未提交：以首次报价为准"
    assert cells(HENGXIN, 2) == cells(HENGXIN, 6) == "标包 L1: 52,400.00"
    assert "29,100.00" not in page.content()  # the refused sheet was never an offer
    assert page.locator("#few-offers").count() == 1  # 1 final offer, fewer than 3
    assert axe_violations(page) == []  # the record's per-lot cells: WCAG 2.1 AA, no serious violation
    shot(page, "52-buyer-lots-final-offers-record")

    close_and_sign(experts, tender_id)

    # The results: each lot ranked on the final offers, and the awards lot by lot.
    page = buyer.go(f"/results/{tender_id}")
    l1 = ranking(page, "L1")
    assert [(vendor, total) for vendor, _cost, total in l1] == [
        (YUNKEFU, "92.00"),
        (ZHUANXI, "90.50"),
        (HENGXIN, "85.05"),
    ]
    assert "45,500.00" in l1[0][1] and "54,000.00" in l1[0][1]  # the final offer, its first beside it
    assert "30.00" in page.locator("#ranking-L1 tbody tr").nth(0).inner_text()  # the benchmark: 30 points
    assert "26.50" in page.locator("#ranking-L1 tbody tr").nth(1).inner_text()  # 30 × 45,500 ÷ 51,500
    assert "26.05" in page.locator("#ranking-L1 tbody tr").nth(2).inner_text()  # 30 × 45,500 ÷ 52,400
    l2 = ranking(page, "L2")
    assert [(vendor, total) for vendor, _cost, total in l2] == [(YUNKEFU, "94.00"), (ZHUANXI, "90.35")]
    assert "29.35" in page.locator("#ranking-L2 tbody tr").nth(1).inner_text()  # 30 × 27,300 ÷ 27,900
    assert YUNKEFU in page.inner_text("#lot-award-L1")
    award_l2 = page.inner_text("#lot-award-L2")
    assert ZHUANXI in award_l2 and f"“{YUNKEFU}”（第 1 名）已中标 1 个标包" in award_l2
    shot(page, "53-buyer-lots-final-results", full_page=True)

    # The buyer confirms the award of each lot, as proposed.
    page.click("#award-link")
    page.wait_for_url("**/award")
    chosen = [page.locator(f"select[name=share-{i}] option:checked").inner_text() for i in (0, 1)]
    assert YUNKEFU in chosen[0] and "92.00" in chosen[0] and ZHUANXI in chosen[1] and "90.35" in chosen[1]
    page.click("#award-form [type=submit]")
    page.wait_for_selector(".alert-success")
    award = page.inner_text("#award").splitlines()
    assert award[0].startswith(f"标包 L1: {YUNKEFU}") and award[1].startswith(f"标包 L2: {ZHUANXI}")
