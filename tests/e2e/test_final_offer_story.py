"""A round of final offers (最后报价, §12) in a real browser: the buyer ticks the round in the
tender form and publishes; 杭州云客服 and 苏州专席 bid; after the opening and the panel's
technical scores the buyer opens the round with a deadline; 苏州专席, invited, uploads a final
price sheet and sees both costs before confirming; after the round's deadline the buyer opens
the final offers (the record warns: 1 final offer, fewer than 3), and the results rank on them.

苏州专席 lowers its fee per agent-shift from 5,200 to 4,600: (4,600 × 12 + 220 × 4 × 10 ÷ 12)
× 0.95 = (55,200 + 733.33) × 0.95 = 53,136.67 (first 59,976.67); 杭州云客服 keeps 52,266.67.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tender.demo.files import fill_quote, make_bid_document
from tests.e2e.test_story import EVALUATORS, SECTIONS, assign_panel, files, local_input, sample_bid, score

pytestmark = pytest.mark.e2e

TITLE = "云裳旗舰店 2027 年度客服外包（竞争性磋商）"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def publish_with_final_offers(buyer, deadline: dt.datetime) -> str:
    page = buyer.go("/buyer/tenders/new")
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=buyer]", "杭州云裳服饰有限公司")
    page.fill("input[name=bid_deadline]", local_input(deadline))
    page.fill("input[name=opening_time]", local_input(deadline + dt.timedelta(minutes=30)))
    page.fill("input[name=min_valid_bids]", "2")
    page.check("input[name=final_offer]")
    page.click("button[name=action][value=save]")
    page.wait_for_url(re.compile(r"/buyer/tenders/[\w-]+$"))
    page.click("form.inline button:has-text('发布')")
    page.wait_for_selector(".alert-success")
    return page.url.rsplit("/", 1)[1]


def first_bid(vendor, tender_id: str, name: str) -> None:
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


def test_a_round_of_final_offers_from_the_form_to_the_ranking(live, actor, clock, shot):
    live.account("buyer", "final-buyer@e2e.cn", "采购人 钱")
    for email, name in EVALUATORS:
        live.account("evaluator", email, name)
    for number, name in enumerate(("yunkefu", "zhuanxi"), start=1):
        facts = sample_bid(name)["facts"]
        live.vendor(f"final{number}@e2e.cn", facts["company_name"], facts)
    buyer = actor("final-buyer@e2e.cn")
    deadline = (clock() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    tender_id = publish_with_final_offers(buyer, deadline)
    assign_panel(buyer, tender_id)
    first_bid(actor("final1@e2e.cn"), tender_id, "yunkefu")
    zhuanxi = actor("final2@e2e.cn")
    first_bid(zhuanxi, tender_id, "zhuanxi")

    clock.advance(days=1, minutes=31)
    page = buyer.go(f"/buyer/tenders/{tender_id}/panel")
    page.click("form[action$='/open'] [type=submit]")
    page.wait_for_url("**/opening-record")
    for number, (email, _name) in enumerate(EVALUATORS):
        score(actor(email), shot, tender_id, first=False)

    # The buyer opens the round with a deadline two days ahead.
    page = buyer.go(f"/buyer/tenders/{tender_id}")
    page.click("#final-round-link")
    page.fill("input[name=deadline]", local_input(clock() + dt.timedelta(days=2)))
    page.click("form[action$='/final-round'] [type=submit]")
    page.wait_for_selector("#final-deadline")
    assert page.inner_text("#invited") == "2" and page.inner_text("#received") == "0"

    # 苏州专席 is invited: its final sheet, both costs, confirmed.
    page = zhuanxi.go(f"/vendor/tenders/{tender_id}")
    page.click("#final-invitation a")
    page.wait_for_url("**/final-offer")
    with page.expect_download() as download:
        page.click("a[href$='price-sheet.xlsx']")
    final = sample_bid("zhuanxi")
    final["pricing"]["monthly_per_agent"] = 4600
    sheet = fill_quote(Path(download.value.path()).read_bytes(), final)
    page.set_input_files("input[name=quote]", {"name": "最后报价单.xlsx", "mimeType": XLSX, "buffer": sheet})
    page.click("form[action$='/final-offer'] [type=submit]")
    page.wait_for_url("**/vendor/final-offers/*")
    assert page.inner_text("#first-monthly-cost") == "59,976.67"
    assert page.inner_text("#final-monthly-cost") == "53,136.67"
    shot(page, "20-vendor-final-offer-preview")
    page.click("form[action$='/confirm'] [type=submit]")
    page.wait_for_url("**/receipt")
    assert "53,136.67" in page.inner_text("#final-receipt")

    # Sealed: the buyer sees one offer in, no figure; after the deadline it opens them.
    page = buyer.go(f"/buyer/tenders/{tender_id}/final-round")
    assert page.inner_text("#received") == "1" and "53,136.67" not in page.content()
    clock.advance(days=2, minutes=3)  # the deadline and the grace after it
    page = buyer.go(f"/buyer/tenders/{tender_id}/final-round")
    page.click("form[action$='/final-round/open'] [type=submit]")
    page.wait_for_url("**/final-offers")
    record = page.inner_text("#final-record")
    assert "59,976.67" in record and "53,136.67" in record and "52,266.67" in record
    assert page.locator("#few-offers").count() == 1
    shot(page, "21-buyer-final-offers-record")

    page = buyer.go(f"/results/{tender_id}")
    assert "53,136.67" in page.inner_text("#ranking")
