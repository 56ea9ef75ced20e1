"""The price sheet of a tender divided into lots (标包, domain §13): one quote sheet, rate card
and scenario per lot; a vendor fills the lots it bids for, an empty lot sheet means no bid
for that lot, and every problem names the lot's sheet and cell.

The tender is samples/lots/: L1 (the e-commerce scenario, no work items) and L2 (a rate card
of 9000 在线咨询 and 1500 售后工单 a month, ticket capped at 8.00).
"""

from __future__ import annotations

import copy
import io
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from scoring import evaluate_lots, parse_bid, parse_tender
from tender.documents import jsonfiles
from tender.documents.quote_reader import read_quote
from tender.documents.quote_template import build_quote_template
from tests.unit.documents.quote_filling import row_of

LOTS = Path(__file__).resolve().parents[3] / "samples" / "lots"
TENDER = jsonfiles.load(LOTS / "tender.json")
TEMPLATE = build_quote_template(TENDER, tender_id="T-LOTS", version=1)
FACTS = {"company_name": "杭州云客服科技有限公司", "registered_capital": 3000000, "similar_projects": 6}


def fill(quotes: dict, prices: dict | None = None, facts: dict | None = None, template: bytes = TEMPLATE) -> bytes:
    """``quotes``: lot id → {code: value typed on its quote sheet}; ``prices``: lot id → {item: price}."""
    wb = openpyxl.load_workbook(io.BytesIO(template))
    for code, value in (facts or FACTS).items():
        wb["供应商信息"].cell(row=row_of(wb["供应商信息"], code), column=3, value=value)
    for lot_id, cells in quotes.items():
        ws = wb[f"报价 {lot_id}"]
        for code, value in cells.items():
            ws.cell(row=row_of(ws, code), column=3, value=value)
    for lot_id, items in (prices or {}).items():
        ws = wb[f"报价清单 {lot_id}"]
        for item_id, price in items.items():
            ws.cell(row=row_of(ws, item_id), column=5, value=price)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(data: bytes, tender: dict = TENDER):
    return read_quote(data, tender=tender, tender_id="T-LOTS", version=1)


def test_the_template_has_a_quote_rate_card_and_scenario_sheet_per_lot():
    wb = openpyxl.load_workbook(io.BytesIO(TEMPLATE))
    # L1 has no work items: no rate card of its own.
    assert wb.sheetnames == [
        "说明",
        "供应商信息",
        "报价 L1",
        "用量基准 L1",
        "报价 L2",
        "报价清单 L2",
        "用量基准 L2",
        "_tender",
    ]
    assert "标包 L2：京东自营店 售后服务" in wb["报价 L2"]["A2"].value
    # L2 is quoted on its rate card: its model cell proposes line_items; L1's proposes nothing.
    assert wb["报价 L2"].cell(row=row_of(wb["报价 L2"], "model"), column=3).value.startswith("line_items")
    assert wb["报价 L1"].cell(row=row_of(wb["报价 L1"], "model"), column=3).value is None
    # the lot's own unit price ceiling is shown on its rate card: ticket 8
    card = wb["报价清单 L2"]
    assert card.cell(row=row_of(card, "ticket"), column=6).value == 8
    # L2's scenario: 300 a day × 30 = 9000 inquiries a month
    scenario = wb["用量基准 L2"]
    assert scenario.cell(row=row_of(scenario, "monthly_inquiries"), column=3).value == 9000
    assert "分为 2 个标包（L1 天猫旗舰店 售前咨询、L2 京东自营店 售后服务）" in wb["说明"]["A3"].value


def test_a_vendor_bidding_for_both_lots_is_read_lot_by_lot_and_priced_as_its_bid_json():
    data = fill(
        {
            "L1": {
                "model": "per_inquiry",
                "new_rate": "2.5",
                "returning_rate": "1.5",
                "minimum_per_agent_shift": 3000,
                "peak_rate_per_agent_day": 200,
            },
            "L2": {"peak_rate_per_agent_day": 200},
        },
        prices={"L2": {"chat": "1.90", "ticket": 7}},
    )
    reading = read(data)
    assert reading.problems == []
    assert reading.bid["lots"] == {
        "L1": {
            "model": "per_inquiry",
            "new_rate": D("2.5"),
            "returning_rate": D("1.5"),
            "minimum_per_agent_shift": D(3000),
            "peak_rate_per_agent_day": D(200),
        },
        "L2": {"model": "line_items", "peak_rate_per_agent_day": D(200), "prices": {"chat": D("1.90"), "ticket": D(7)}},
    }
    assert "pricing" not in reading.bid
    tender = parse_tender(TENDER)
    result = evaluate_lots(tender, [parse_bid(reading.bid, tender, "yunkefu.xlsx")])
    # L1: 15600 × 2.50 + 8400 × 1.50 + 666.67 = 52266.67; L2: 9000 × 1.90 + 1500 × 7 + 333.33 = 27933.33
    assert [item.result.bids[0].monthly_cost for item in result.lots] == [D("52266.67"), D("27933.33")]


def test_a_lot_whose_sheets_are_left_empty_is_not_bid_for():
    # Only L2 is filled; L1's sheet is untouched, and L2's pre-selected model alone is not a bid.
    reading = read(fill({}, prices={"L2": {"chat": 2, "ticket": "8.5"}}))
    assert reading.problems == [] and list(reading.bid["lots"]) == ["L2"]
    reading = read(fill({"L1": {"model": "fixed_per_agent", "monthly_per_agent": 5000}}))
    assert reading.problems == [] and list(reading.bid["lots"]) == ["L1"]


def test_a_price_sheet_with_no_lot_filled_is_refused():
    reading = read(fill({}))
    assert [(p.path, p.en) for p in reading.problems] == [
        ("", "no lot is priced: fill in the quote sheet of at least one lot you bid for (报价 L1、报价 L2)")
    ]


def test_problems_name_the_lot_sheet_and_cell():
    wb = openpyxl.load_workbook(io.BytesIO(TEMPLATE))
    rate_row = row_of(wb["报价 L1"], "new_rate")
    ticket_row = row_of(wb["报价清单 L2"], "ticket")
    # L1: a per-inquiry quote with a negative rate; L2: the ticket left unpriced.
    reading = read(fill({"L1": {"model": "per_inquiry", "new_rate": -2}}, prices={"L2": {"chat": 2}}))
    found = {p.path: p.en for p in reading.problems}
    assert set(found) == {f"报价 L1!C{rate_row}", f"报价清单 L2!E{ticket_row}"}
    assert found[f"报价 L1!C{rate_row}"] == "rate per new-customer inquiry (CNY): must not be negative (-2)"
    assert found[f"报价清单 L2!E{ticket_row}"] == "work item '售后工单' (ticket) has no unit price"


def test_a_model_a_lot_does_not_offer_is_refused_on_that_lots_sheet():
    # line_items is in the drop-down (L2 offers it) but L1 has no work items.
    wb = openpyxl.load_workbook(io.BytesIO(TEMPLATE))
    model_row = row_of(wb["报价 L1"], "model")
    reading = read(fill({"L1": {"model": "line_items"}}))
    assert [(p.path, p.en) for p in reading.problems] == [
        (f"报价 L1!C{model_row}", "rate card (unit prices) cannot be chosen: this tender lists no work items")
    ]


def test_the_undivided_template_is_unchanged_in_its_sheet_names():
    tender = copy.deepcopy(TENDER)
    tender["scenario"] = tender.pop("lots")[1]["scenario"]
    tender.pop("max_lots_awarded_per_vendor")
    wb = openpyxl.load_workbook(io.BytesIO(build_quote_template(tender, tender_id="T", version=1)))
    assert wb.sheetnames == ["说明", "供应商信息", "报价", "报价清单", "用量基准", "_tender"]


@pytest.mark.parametrize("vendor", ["yunkefu", "hengxin", "changan", "jincheng", "zhuanxi"])
def test_every_lot_sample_bid_goes_through_the_workbook_unchanged(vendor):
    from tender.demo.files import fill_quote

    bid = jsonfiles.load(LOTS / "bids" / f"{vendor}.json")
    reading = read(fill_quote(TEMPLATE, {"facts": bid["facts"], "documents": bid["documents"], "lots": bid["lots"]}))
    assert reading.problems == []
    tender = parse_tender(TENDER)
    read_back = parse_bid(reading.bid, tender, f"{vendor}.xlsx")
    assert read_back.lots == parse_bid({**bid, "final_lots": {}}, tender, f"{vendor}.json").lots
