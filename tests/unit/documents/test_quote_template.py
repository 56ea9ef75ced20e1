"""The price-sheet template a vendor downloads: its sheets, labelled and validated input
cells, protection, the buyer's scenario shown read-only and the hidden tender marker."""

from __future__ import annotations

import io
from decimal import Decimal as D

import openpyxl
import pytest

from scoring.facts import STANDARD_FACTS
from scoring.pricing import MODELS, PARAMETERS
from tender.documents.layout import COMMON_PARAMETERS, SCALAR_PARAMETERS
from tender.documents.quote_template import build_quote_template
from tests.unit.documents.quote_filling import row_of


def open_template(sample) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(sample[3]))


def decimal(value):
    """A number as read back from the file (an .xlsx stores 1.71 as the float 1.71)."""
    return D(repr(value)) if isinstance(value, float) else value


def validation_of(ws, address: str):
    found = [dv for dv in ws.data_validations.dataValidation if address in dv.sqref]
    assert len(found) == 1, address
    return found[0]


def test_the_sheets_in_order_with_the_marker_very_hidden(shop, postal):
    assert open_template(shop).sheetnames == ["说明", "供应商信息", "报价", "用量基准", "_tender"]
    wb = open_template(postal)
    assert wb.sheetnames == ["说明", "供应商信息", "报价", "报价清单", "用量基准", "_tender"]
    assert [ws.sheet_state for ws in wb] == ["visible"] * 5 + ["veryHidden"]
    assert wb.active.title == "供应商信息"


def test_the_marker_names_the_tender_and_its_version(shop):
    marker = open_template(shop)["_tender"]

    assert [[c.value for c in row] for row in marker.iter_rows(max_row=2, max_col=2)] == [
        ["tender_id", "T-2026-001"],
        ["version", 2],
    ]


def test_the_instructions_come_in_chinese_then_english_or_the_other_way(shop):
    chinese_first = open_template(shop)["说明"]
    tender, tender_id, version, _ = shop
    english_first = openpyxl.load_workbook(
        io.BytesIO(build_quote_template(tender, tender_id=tender_id, version=version, lang="en"))
    )["说明"]

    assert chinese_first["A1"].value == "填写说明" and chinese_first["A2"].value.endswith(
        "（编号 T-2026-001，第 2 版）"
    )
    assert "How to fill in this price sheet" in [c.value for c in chinese_first["A"]]
    assert english_first["A1"].value == "How to fill in this price sheet"


def test_every_sheet_is_protected_and_only_the_inputs_are_unlocked(postal):
    wb = open_template(postal)
    assert wb.security.lockStructure
    for ws in wb:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.insertRows, ws.title  # vendors may insert rows
    quote = wb["报价"]
    row = row_of(quote, "new_rate")
    assert [quote.cell(row=row, column=c).protection.locked for c in range(1, 6)] == [True, True, False, True, True]
    rate_card = wb["报价清单"]
    assert [rate_card.cell(row=4, column=c).protection.locked for c in range(1, 7)] == [True] * 4 + [False, True]
    assert all(cell.protection.locked for row in wb["用量基准"].iter_rows() for cell in row)


def test_the_model_drop_down_lists_code_and_chinese_name(shop, postal, reference):
    for sample, extra in ((shop, []), (postal, ["line_items"]), (reference, ["reference_discount"])):
        wb = open_template(sample)
        quote = wb["报价"]
        model_cell = f"C{row_of(quote, 'model')}"
        validation = validation_of(quote, model_cell)
        names = [n for n in MODELS if n not in ("line_items", "reference_discount")] + extra
        listed = [wb["_tender"][f"D{i}"].value for i in range(1, len(names) + 2)]
        assert validation.type == "list" and validation.formula1 == f"'_tender'!$D$1:$D${len(names)}"
        assert listed == [f"{n} — {MODELS[n].zh}" for n in names] + [None]
    assert listed[0] == "per_inquiry — 按咨询量计件（+保底）"


def test_a_tender_quoted_by_rate_card_or_reference_prices_proposes_that_model(shop, postal, reference):
    def model_of(sample):
        quote = open_template(sample)["报价"]
        return quote.cell(row=row_of(quote, "model"), column=3).value

    assert model_of(shop) is None
    assert model_of(postal) == "line_items — 报价清单（单价 × 工作量）"
    assert model_of(reference) == "reference_discount — 参考价整体折扣"


def test_every_parameter_has_one_row_labelled_in_chinese_and_english(shop):
    quote = open_template(shop)["报价"]
    codes = [quote.cell(row=r, column=1).value for r in range(1, quote.max_row + 1)]

    for name in (*SCALAR_PARAMETERS, *COMMON_PARAMETERS):
        assert codes.count(name) == 1, name
        label = quote.cell(row=codes.index(name) + 1, column=2).value
        assert label == f"{PARAMETERS[name].zh}\n{PARAMETERS[name].en}"
    assert {"tiers", "one_time_fees"} <= set(codes)


@pytest.mark.parametrize(
    "name, kind, bounds",
    [
        ("new_rate", "decimal", ("0", None)),
        ("included_inquiries", "decimal", ("0", None)),
        ("commission_rate", "decimal", ("0", "1")),
        ("vat_rate", "decimal", ("0", "1")),
        ("discount_rate", "decimal", ("0", "1")),
        ("tax_included", "list", ("'_tender'!$E$1:$E$2", None)),
        ("basis", "list", ("'_tender'!$F$1:$F$2", None)),
    ],
)
def test_input_cells_are_validated_by_kind(shop, name, kind, bounds):
    quote = open_template(shop)["报价"]
    validation = validation_of(quote, f"C{row_of(quote, name)}")

    assert (validation.type, validation.formula1, validation.formula2) == (kind, *bounds)


def test_the_tiers_and_fees_tables_have_unlocked_rows(shop):
    quote = open_template(shop)["报价"]
    tiers, fees = row_of(quote, "tiers"), row_of(quote, "one_time_fees")

    assert [quote.cell(row=tiers, column=c).value.split("\n")[1] for c in (3, 4, 5)] == [
        "up_to (last: empty)",
        "fee (CNY)",
        "rate (CNY per inquiry)",
    ]
    assert all(not quote.cell(row=tiers + i, column=c).protection.locked for i in range(1, 9) for c in (3, 4, 5))
    assert all(not quote.cell(row=fees + i, column=c).protection.locked for i in range(1, 6) for c in (2, 3))


def test_the_vendor_sheet_lists_every_standard_fact_the_tenders_own_facts_and_documents(shop):
    facts = open_template(shop)["供应商信息"]
    codes = {facts.cell(row=r, column=1).value: r for r in range(1, facts.max_row + 1)}

    assert set(STANDARD_FACTS) | {"iso9001", "seats_available", "documents"} <= set(codes)
    assert validation_of(facts, f"C{codes['independent_legal_person']}").formula1 == "'_tender'!$E$1:$E$2"
    assert validation_of(facts, f"C{codes['iso9001']}").type == "list"  # a yes/no fact of the tender
    assert validation_of(facts, f"C{codes['satisfaction_commitment']}").formula2 == "1"
    assert facts.cell(row=codes["registered_capital"], column=5).value == "注册资金不低于人民币100万元"
    assert facts.cell(row=codes["first_response_seconds"], column=5).value == "≤ 300"
    assert "business_license 营业执照" in facts.cell(row=codes["documents"], column=5).value


def test_the_rate_card_lists_the_work_items_with_quantities_and_ceilings(postal):
    rate_card = open_template(postal)["报价清单"]

    rows = [[decimal(c.value) for c in row] for row in rate_card.iter_rows(min_row=4, max_col=6)]
    assert rows == [
        ["chat", "在线咨询", "件", 24000, None, D("1.71")],
        ["ticket", "售后工单", "单", 3000, None, None],
        ["seat", "专席坐席", "席·月", 2, None, None],
    ]
    assert validation_of(rate_card, "E4").formula2 == "1.71"  # Excel warns above the ceiling


def test_a_reference_price_tender_has_one_labelled_discount_cell(reference):
    quote = open_template(reference)["报价"]
    codes = [quote.cell(row=r, column=1).value for r in range(1, quote.max_row + 1)]
    row = codes.index("discount_rate") + 1

    assert codes.count("discount_rate") == 1
    assert quote.cell(row=row, column=2).value == "对参考价的整体折扣率\nOverall discount on the reference prices"
    assert row < codes.index("new_rate")  # right under the model, not among the extras


def test_the_scenario_sheet_shows_the_buyers_workload_and_what_follows_from_it(shop, postal, reference):
    def values(sample):
        ws = open_template(sample)["用量基准"]
        return {
            ws.cell(row=r, column=1).value: decimal(ws.cell(row=r, column=3).value) for r in range(1, ws.max_row + 1)
        }

    shop_values = values(shop)
    assert shop_values["daily_inquiries"] == 800 and shop_values["returning_share"] == D("0.35")
    assert shop_values["monthly_inquiries"] == 24000 and shop_values["agent_shifts"] == 12
    assert shop_values["returning_inquiries"] == 8400
    assert values(reference)["monthly_per_agent"] == 6000
    postal_sheet = open_template(postal)["用量基准"]
    assert ["chat", "在线咨询", "件", 24000] in [[c.value for c in row] for row in postal_sheet.iter_rows(max_col=4)]


def test_columns_fit_chinese_labels_and_headers_are_bold(shop):
    quote = open_template(shop)["报价"]

    assert quote.column_dimensions["B"].width >= 30  # 底薪（元/人/班次/月） is 22 wide
    assert all(quote.cell(row=3, column=c).font.b for c in range(1, 6))


def test_tender_text_that_starts_with_an_equals_sign_stays_text(postal, shop):
    tender, tender_id, version, _ = postal
    tender["title"] = '=HYPERLINK("http://example.invalid","点击")'
    tender["scenario"]["work_items"][0]["name"] = "=1+1"

    wb = openpyxl.load_workbook(io.BytesIO(build_quote_template(tender, tender_id=tender_id, version=version)))

    assert [c.coordinate for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"] == []
    assert wb["报价清单"]["B4"].value == "=1+1"
    facts = open_template(shop)["供应商信息"]  # the rule {"op": "==", "value": true}, shown
    assert facts.cell(row=row_of(facts, "independent_legal_person"), column=5).value == "须为 must be 是 yes"
