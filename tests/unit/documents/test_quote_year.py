"""The price sheet of a tender priced month by month (domain §10): the vendor sees the month
table it is priced on, read-only; a package or a minimum is entered once; the filled sheet
evaluates exactly as the bid.json files do; editing the buyer's month table changes nothing.

samples/year/: 1,000 inquiries a day in an ordinary month (30 days, 6 agents × 2 shifts,
1,500,000 元 of CS sales), the Spring Festival 600 a day over 28 days, 618 3,000 a day with
10 agents and 3 peak days, 双11 4,500 with 14 agents, 11 peak days and 6,000,000 元 of sales.
"""

from __future__ import annotations

import copy
import io
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from scoring import evaluate, evaluate_lots, parse_bid, parse_panel, parse_tender
from tender.demo.files import fill_quote
from tender.documents import jsonfiles
from tender.documents.quote_reader import read_quote
from tender.documents.quote_template import build_quote_template
from tests.unit.documents.quote_filling import row_of

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
YEAR = SAMPLES / "year"
TENDER = jsonfiles.load(YEAR / "tender.json")
TEMPLATE = build_quote_template(TENDER, tender_id="T-YEAR", version=1)
VENDORS = ["baoyuetong", "hengjiu", "suhui", "xiaoman", "zuoxibao"]
HEADER = "月份\nmonth"


def month_table(ws) -> dict[str, list]:
    """The month table of a scenario sheet: label → the row's other cells."""
    header = row_of(ws, HEADER)
    table = {}
    for row in ws.iter_rows(min_row=header + 1, values_only=True):
        if row[0] is None:
            break
        table[row[0]] = list(row[1:])
    return table


def read(data: bytes, tender: dict = TENDER, tender_id: str = "T-YEAR"):
    return read_quote(data, tender=tender, tender_id=tender_id, version=1)


def test_the_scenario_sheet_shows_each_month_as_it_is_priced_with_the_years_totals():
    ws = openpyxl.load_workbook(io.BytesIO(TEMPLATE))["用量基准"]
    table = month_table(ws)

    assert list(table)[:2] == ["2027-01", "2027-02 春节"] and len(table) == 12 + 1
    # daily, days, inquiries, agents per shift, agent-shifts, CS sales, peak days
    assert table["2027-01"][:7] == [1000, 30, 30000, 6, 12, 1500000, 0]
    # 600 × 28 = 16,800 inquiries; CS sales by default in proportion: 1,500,000 × 16,800 ÷ 30,000 = 840,000
    assert table["2027-02 春节"][:7] == [600, 28, 16800, 6, 12, 840000, 0]
    # 10 agents × 2 shifts = 20 agent-shifts; 3 peak days
    assert table["2027-06 618"][:7] == [3000, 30, 90000, 10, 20, 4500000, 3]
    assert table["2027-11 双11"][:7] == [4500, 30, 135000, 14, 28, 6000000, 11]
    # 11 × 30 + 28 = 358 days; 538,800 inquiries; 3 + 11 + 2 = 16 peak days
    total = table["合计 total"]
    assert (total[1], total[2], total[6]) == (358, 538800, 16)
    assert ws.cell(row=row_of(ws, "2027-06 618"), column=7).number_format == "#,##0.00"


def test_the_month_table_is_read_only_and_says_a_minimum_applies_to_each_month_alone():
    wb = openpyxl.load_workbook(io.BytesIO(TEMPLATE))
    ws = wb["用量基准"]
    assert ws.protection.sheet
    assert all(cell.protection.locked for row in ws.iter_rows() for cell in row)
    note = ws.cell(row=row_of(ws, HEADER) - 1, column=1).value
    assert "保底、套餐包含量、阶梯只对该月适用" in note and "applies to that month only" in note
    # without a profile the derived rows of one average month would mislead: the table gives them per month
    assert "monthly_inquiries" not in [c.value for c in ws["A"]]
    quote = wb["报价"]
    model_row = row_of(quote, "model")
    assert quote.cell(row=model_row + 1, column=2).value.startswith(
        "按合同各月逐月计价：包月费、保底、套餐包含量、阶梯只填一次"
    )
    instructions = [c.value for c in wb["说明"]["A"] if c.value]
    assert any(line.startswith("7a. 本项目按合同各月逐月计价") for line in instructions)
    assert any(line.startswith("7a. This tender is priced month by month") for line in instructions)


def test_a_tender_without_a_profile_has_no_month_table_and_no_note():
    tender = copy.deepcopy(TENDER)
    del tender["scenario"]["monthly_profile"]
    wb = openpyxl.load_workbook(io.BytesIO(build_quote_template(tender, tender_id="T-FLAT", version=1)))
    scenario = wb["用量基准"]
    assert HEADER not in [c.value for c in scenario["A"]]
    assert scenario.cell(row=row_of(scenario, "monthly_inquiries"), column=3).value == 30000  # 1,000 × 30
    assert not any("按合同各月逐月计价" in str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value)


@pytest.fixture(scope="module")
def bids_and_panel():
    tender = parse_tender(TENDER)
    raw = {vendor: jsonfiles.load(YEAR / "bids" / f"{vendor}.json") for vendor in VENDORS}
    return tender, raw, jsonfiles.load(YEAR / "panel.json")


@pytest.mark.parametrize("vendor", VENDORS)
def test_each_sample_bid_reads_back_from_the_workbook_with_the_same_contract_year(vendor, bids_and_panel):
    tender, raw, _panel = bids_and_panel
    reading = read(fill_quote(TEMPLATE, raw[vendor]))
    assert reading.problems == []
    from_workbook = parse_bid(reading.bid, tender, f"{vendor}.xlsx")
    from_json = parse_bid(raw[vendor], tender, f"{vendor}.json")
    assert from_workbook.pricing == from_json.pricing


def test_the_workbooks_evaluate_to_the_result_of_the_bid_json_files(bids_and_panel):
    tender, raw, panel = bids_and_panel
    json_bids = [parse_bid(raw[v], tender, f"{v}.json") for v in VENDORS]
    book_bids = [parse_bid(read(fill_quote(TEMPLATE, raw[v])).bid, tender, f"{v}.json") for v in VENDORS]

    from_json = evaluate(tender, json_bids, parse_panel(panel, tender, json_bids)).to_json()
    from_books = evaluate(tender, book_bids, parse_panel(panel, tender, book_bids)).to_json()

    assert from_books == from_json
    package = next(b for b in from_books["bids"] if b["vendor"] == "宁波包月通客服有限公司")
    # the package 60,000 incl. 40,000, 2.20 beyond: 618 costs 60,000 + 50,000 × 2.20 + 200 × 6 × 3 = 173,600
    assert {m["label"]: m["cost"] for m in package["monthly_costs"]}["2027-06 618"] == "173600.00"
    assert package["contract_cost"] == "1075800.00"
    assert from_books["flat_average"]["winner_changes"] is True


def test_a_vendor_who_edits_the_buyers_month_table_changes_nothing(bids_and_panel):
    tender, raw, _panel = bids_and_panel
    honest = read(fill_quote(TEMPLATE, raw["baoyuetong"]))
    wb = openpyxl.load_workbook(io.BytesIO(fill_quote(TEMPLATE, raw["baoyuetong"])))
    ws = wb["用量基准"]
    ws.protection.sheet = False
    ws.cell(row=row_of(ws, "2027-11 双11"), column=2, value=1000)  # 双11 "only" 1,000 a day
    ws.cell(row=row_of(ws, "contract_months"), column=3, value=24)
    out = io.BytesIO()
    wb.save(out)

    edited = read(out.getvalue())

    assert edited.problems == [] and edited.bid == honest.bid
    bid = parse_bid(edited.bid, tender, "edited.xlsx")
    year = evaluate(tender, [bid]).bids[0].year
    # still priced on the tender's 双11: 60,000 + (135,000 − 40,000) × 2.20 + 200 × 6 × 11 = 282,200
    assert {m.label: m.cost.total for m in year.months}["2027-11 双11"] == D("282200")


def _lots_tender_with_a_profile() -> dict:
    """samples/lots with L2 (the rate card: 9,000 chats and 1,500 tickets a month) priced over a
    three-month contract: October as usual, 双11 tripled, December 400 a day over 31 days."""
    tender = jsonfiles.load(SAMPLES / "lots" / "tender.json")
    scenario = tender["lots"][1]["scenario"]
    del scenario["peak_days_per_year"]
    scenario["contract_months"] = 3
    scenario["monthly_profile"] = [
        {"label": "10月", "daily_inquiries": 300},
        {
            "label": "11月 双11",
            "daily_inquiries": 900,
            "agents_per_shift": 6,
            "peak_days": 11,
            "work_quantities": {"chat": 27000, "ticket": 4500},
        },
        {"label": "12月", "daily_inquiries": 400, "days": 31},
    ]
    return tender


def test_a_lot_with_a_profile_shows_its_own_month_table_with_its_work_quantities():
    tender = _lots_tender_with_a_profile()
    wb = openpyxl.load_workbook(io.BytesIO(build_quote_template(tender, tender_id="T-LOTS", version=1)))

    assert HEADER not in [c.value for c in wb["用量基准 L1"]["A"]]  # L1 has no profile
    ws = wb["用量基准 L2"]
    header = [c.value for c in ws[row_of(ws, HEADER)]]
    assert header[-2:] == ["在线咨询（件）\nchat", "售后工单（单）\nticket"]
    table = month_table(ws)
    # October: the items' monthly quantities; 双11 its own; 3 agents × 2 shifts = 6, 6 × 2 = 12 on 双11
    assert table["10月"] == [300, 30, 9000, 3, 6, 300000, 0, 9000, 1500]
    assert table["11月 双11"][4] == 12 and table["11月 双11"][-2:] == [27000, 4500]
    # December: 400 × 31 = 12,400 inquiries; CS sales 300,000 × 12,400 ÷ 9,000 = 413,333.33…
    assert table["12月"][2] == 12400 and round(table["12月"][5], 2) == 413333.33
    # totals: 9,000 + 27,000 + 9,000 chats = 45,000; 91 days
    assert table["合计 total"][1] == 91 and table["合计 total"][-2:] == [45000, 7500]
    assert "分别适用于每一个月" in wb["报价 L2"].cell(row=row_of(wb["报价 L2"], "model") + 1, column=2).value
    assert not any("按合同各月逐月计价" in str(c.value) for row in wb["报价 L1"].iter_rows() for c in row if c.value)


def test_a_lot_bid_read_from_the_workbook_is_priced_month_by_month_like_its_json():
    tender_raw = _lots_tender_with_a_profile()
    template = build_quote_template(tender_raw, tender_id="T-LOTS", version=1)
    bid = jsonfiles.load(SAMPLES / "lots" / "bids" / "yunkefu.json")
    reading = read(
        fill_quote(template, {"facts": bid["facts"], "documents": bid["documents"], "lots": bid["lots"]}),
        tender_raw,
        "T-LOTS",
    )
    assert reading.problems == []
    tender = parse_tender(tender_raw)
    lot = next(
        item
        for item in evaluate_lots(tender, [parse_bid(reading.bid, tender, "yunkefu.xlsx")]).lots
        if item.lot.id == "L2"
    )
    as_json = next(
        item
        for item in evaluate_lots(tender, [parse_bid({**bid, "final_lots": {}}, tender, "yunkefu.xlsx")]).lots
        if item.lot.id == "L2"
    )
    year = lot.result.bids[0].year
    assert [m.label for m in year.months] == ["10月", "11月 双11", "12月"]
    assert lot.result.to_json()["bids"] == as_json.result.to_json()["bids"]
