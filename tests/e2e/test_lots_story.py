"""A tender divided into two lots (标包, §13) in a real browser, from the bids to the award:
苏州专席 bids for both lots, 南京恒信 for L1 only, 成都锦程 for L2 only; after the opening the
three evaluators score each bid in each lot it bids for, the chair closes, all sign; the
results page gives each lot's ranking and the award table (one lot per vendor: 苏州专席, first
in both, takes L1 and is skipped in L2, which goes to 成都锦程); the buyer confirms the award.

Costs (tests/integration/test_lot_bids.py): 苏州专席 L1 59,976.67, L2 26,166.67; 南京恒信 L1
49,466.67. L1 totals (tests/integration/test_lot_evaluation.py): 苏州专席 91.74, 南京恒信 83.00.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tender.demo.files import fill_quote, make_bid_document
from tests.e2e.test_story import EVALUATORS, assign_panel, close_and_sign, files, local_input

pytestmark = pytest.mark.e2e

LOTS = Path(__file__).resolve().parents[2] / "samples" / "lots"
ZHUANXI, HENGXIN, JINCHENG = "苏州专席客服服务有限公司", "南京恒信客服外包有限公司", "成都锦程客服服务有限公司"
SCORES = {
    ("L1", ZHUANXI): ("28", "14"),
    ("L1", HENGXIN): ("20", "10"),
    ("L2", ZHUANXI): ("27", "13"),
    ("L2", JINCHENG): ("24", "12"),
}


def lot_bid(name: str) -> dict:
    return json.loads((LOTS / "bids" / f"{name}.json").read_text(encoding="utf-8"))


def lots_tender(live, buyer_email: str, deadline: dt.datetime) -> str:
    """The sample lot tender, saved as the buyer's draft and published (the lots form has its own tests)."""
    from tender.models import User
    from tender.services import tenders as tender_service

    definition = json.loads((LOTS / "tender.json").read_text(encoding="utf-8"))
    definition.pop("published_at", None)
    definition.update(
        min_valid_bids=1,
        final_offer=False,
        bid_deadline=local_input(deadline) + ":00+08:00",
        opening_time=local_input(deadline + dt.timedelta(minutes=30)) + ":00+08:00",
    )
    with live.app.app_context():
        buyer = User.query.filter_by(email=buyer_email).one()
        tender = tender_service.publish(buyer, tender_service.save_draft(buyer, definition))
        return tender.public_id


def send_bid(vendor, tender_id: str, bid: dict) -> None:
    page = vendor.go(f"/vendor/tenders/{tender_id}")
    with page.expect_download() as download:
        page.click("a[href$='price-sheet.xlsx']")
    quote = fill_quote(Path(download.value.path()).read_bytes(), bid)
    sections = json.loads((LOTS / "tender.json").read_text(encoding="utf-8"))["required_sections"]
    chosen = files(quote, make_bid_document(sections, bid["facts"]))
    page.set_input_files("input[name=quote]", chosen["quote"])
    page.set_input_files("input[name=document]", chosen["document"])
    page.click("#upload-form [type=submit]")
    page.wait_for_url("**/vendor/submissions/*")
    page.click("form [type=submit]:has-text('确认')")
    page.wait_for_url("**/receipt")


def score_lots(expert, tender_id: str) -> None:
    page = expert.go(f"/evaluator/tenders/{tender_id}")
    page.check("#declaration input[name=no_conflict]")
    page.click("#declaration [type=submit]")
    page.wait_for_selector(".alert-success")
    page = expert.go(f"/evaluator/tenders/{tender_id}/scores")
    sheet = page.locator("#score-sheet")
    assert sheet.locator("tr.lot-heading").count() == 2
    for (lot, vendor), (plan, team) in SCORES.items():
        inputs = sheet.locator(f"tr[data-lot='{lot}']:has-text('{vendor}') input")
        inputs.nth(0).fill(plan)
        inputs.nth(1).fill(team)
    page.click("#score-sheet button[value=review]")
    page.wait_for_selector("#confirm-submission")
    page.click("#score-sheet button[value=submit]")
    page.wait_for_selector(".alert-success")
    assert page.locator("#score-sheet input[name^='score:']").count() == 0


def test_a_tender_in_two_lots_from_the_bids_to_the_award(live, actor, clock, shot):
    live.account("buyer", "lots-buyer@e2e.cn", "采购人 冯")
    for email, name in EVALUATORS:
        live.account("evaluator", email, name)
    bids = {"zhuanxi": lot_bid("zhuanxi"), "hengxin": lot_bid("hengxin"), "jincheng": lot_bid("jincheng")}
    del bids["hengxin"]["lots"]["L2"]  # an empty L2 sheet: no bid for L2
    bids["jincheng"]["lots"]["L2"]["prices"]["ticket"] = 8  # at the ticket's unit price ceiling
    for name, bid in bids.items():
        live.vendor(f"lots-{name}@e2e.cn", bid["facts"]["company_name"], bid["facts"])
    deadline = (clock() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    tender_id = lots_tender(live, "lots-buyer@e2e.cn", deadline)
    buyer = actor("lots-buyer@e2e.cn")
    assign_panel(buyer, tender_id)
    for name, bid in bids.items():
        send_bid(actor(f"lots-{name}@e2e.cn"), tender_id, bid)

    clock.advance(days=1, minutes=31)
    page = buyer.go(f"/buyer/tenders/{tender_id}/panel")
    page.click("form[action$='/open'] [type=submit]")
    page.wait_for_url("**/opening-record")
    experts = [actor(email) for email, _name in EVALUATORS]
    for expert in experts:
        score_lots(expert, tender_id)
    close_and_sign(experts, tender_id)

    page = buyer.go(f"/results/{tender_id}")
    l1 = page.locator("#ranking-L1 tbody tr")
    assert ZHUANXI in l1.nth(0).inner_text() and "91.74" in l1.nth(0).inner_text()
    assert HENGXIN in l1.nth(1).inner_text() and "83.00" in l1.nth(1).inner_text()
    assert ZHUANXI in page.inner_text("#lot-award-L1")
    award_l2 = page.inner_text("#lot-award-L2")
    assert JINCHENG in award_l2 and f"“{ZHUANXI}”（第 1 名）已中标 1 个标包" in award_l2
    shot(page, "40-buyer-lot-results")
    page.click("#award-link")
    page.wait_for_url("**/award")
    page.click("#award-form [type=submit]")
    page.wait_for_selector(".alert-success")
    award = page.inner_text("#award")
    assert "L1" in award and ZHUANXI in award and "L2" in award and JINCHENG in award
