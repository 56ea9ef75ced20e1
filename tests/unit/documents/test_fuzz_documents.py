"""Fuzzing the workbook reader and the .docx reader with hypothesis: random cells, random
strings in labelled cells, merged ranges, truncated and corrupted bytes. They either read
a bid or report problems, and never raise; no number they return is a float."""

from __future__ import annotations

import datetime as dt
import io
import os
from decimal import Decimal

import docx
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import MergedCell

from scoring.errors import Problem
from tender.documents.bid_document import DocumentReading, read_bid_document
from tender.documents.quote_reader import QuoteReading, read_quote
from tests.unit.documents.sample_tenders import SAMPLES, template_of

# 20 examples keep the suite fast; DOCUMENTS_FUZZ_EXAMPLES=500 makes a longer hunt.
FUZZ = settings(
    max_examples=int(os.environ.get("DOCUMENTS_FUZZ_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)
typed_text = st.one_of(
    text,
    st.sampled_from(
        [
            "¥1,500.00",
            "1500元",
            "-3",
            "2%",
            "200%",
            "０.６８元/条",
            "是",
            "否",
            "=A1*2",
            "=SUM(C1:C9)",
            "#DIV/0!",
            "tiered",
            "per_inquiry — 按咨询量计件（+保底）",
            "line_items",
            "人民币伍佰万元整",
            "1e400",
            "NaN",
            "∞",
            "2019-02-30",
            "taobao, tmall",
            "daily — 日均",
            "bracket",
        ]
    ),
)
cell_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    typed_text,
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
)
SHEETS = ["说明", "供应商信息", "报价", "报价清单", "用量基准", "_tender"]
QUOTE_CODES = [
    "model",
    "new_rate",
    "returning_rate",
    "monthly_per_agent",
    "commission_rate",
    "basis",
    "mode",
    "included_inquiries",
    "tax_included",
    "vat_rate",
    "discount_rate",
    "peak_rate_per_agent_day",
]
FACT_CODES = [
    "company_name",
    "registered_capital",
    "established",
    "independent_legal_person",
    "platforms",
    "staff_count",
    "satisfaction_commitment",
    "iso9001",
    "seats_available",
    "documents",
]


def assert_no_floats(value) -> None:
    assert not isinstance(value, float), value
    if isinstance(value, dict):
        for item in value.values():
            assert_no_floats(item)
    elif isinstance(value, list):
        for item in value:
            assert_no_floats(item)


def check_quote(reading) -> None:
    assert isinstance(reading, QuoteReading)
    assert set(reading.bid) == {"facts", "documents", "pricing"}
    assert all(isinstance(p, Problem) and p.zh and p.en for p in reading.problems)
    assert_no_floats(reading.bid)
    for value in reading.bid["pricing"].values():
        assert isinstance(value, (str, bool, Decimal, list, dict))


def read(sample: str, data: bytes):
    tender, tender_id, version = SAMPLES[sample]
    return read_quote(data, tender=tender, tender_id=tender_id, version=version)


def edited(sample: str, edit) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template_of(sample)))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def code_rows(ws, codes) -> dict[str, int]:
    return {
        ws.cell(row=row, column=1).value: row
        for row in range(1, ws.max_row + 1)
        if ws.cell(row=row, column=1).value in codes
    }


@FUZZ
@given(
    sample=st.sampled_from(["shop", "postal"]),
    cells=st.lists(st.tuples(st.sampled_from(SHEETS), st.integers(1, 60), st.integers(1, 7), cell_value), max_size=25),
    merges=st.lists(
        st.tuples(st.sampled_from(SHEETS), st.integers(1, 50), st.integers(1, 6), st.integers(0, 3), st.integers(0, 2)),
        max_size=3,
    ),
)
def test_random_cells_anywhere_give_a_reading_or_problems(sample, cells, merges):
    def edit(wb):
        for sheet, row, column, value in cells:
            cell = wb[sheet].cell(row=row, column=column) if sheet in wb.sheetnames else None
            if cell is not None and not isinstance(cell, MergedCell):  # Excel types into the top-left cell only
                cell.value = value
        for sheet, row, column, down, right in merges:
            if sheet in wb.sheetnames and (down or right):
                try:
                    wb[sheet].merge_cells(
                        start_row=row, start_column=column, end_row=row + down, end_column=column + right
                    )
                except ValueError:
                    pass  # overlapping a merged range already there

    check_quote(read(sample, edited(sample, edit)))


@FUZZ
@given(
    quote=st.dictionaries(st.sampled_from(QUOTE_CODES), cell_value, max_size=8),
    facts=st.dictionaries(st.sampled_from(FACT_CODES), cell_value, max_size=6),
    tiers=st.lists(st.tuples(cell_value, cell_value, cell_value), max_size=4),
)
def test_random_values_in_labelled_cells_give_a_reading_or_problems(quote, facts, tiers):
    def edit(wb):
        for sheet, values in (("报价", quote), ("供应商信息", facts)):
            rows = code_rows(wb[sheet], values)
            for code, value in values.items():
                wb[sheet].cell(row=rows[code], column=3).value = value
        start = code_rows(wb["报价"], {"tiers"})["tiers"]
        for offset, tier in enumerate(tiers, start=1):
            for column, value in zip((3, 4, 5), tier):
                wb["报价"].cell(row=start + offset, column=column).value = value

    reading = read("shop", edited("shop", edit))

    check_quote(reading)
    if reading.problems == [] and reading.bid["pricing"]:
        assert reading.bid["pricing"]["model"] in {
            "per_inquiry",
            "fixed_per_agent",
            "base_plus_commission",
            "daily_fee_plus_commission",
            "commission_only",
            "tiered",
            "monthly_package",
            "daily_rate",
            "hourly_rate",
        }


@FUZZ
@given(cut=st.integers(0, 10**6), flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6))
def test_truncated_or_corrupted_workbooks_give_problems_not_exceptions(cut, flips):
    data = bytearray(template_of("shop"))
    for at, byte in flips:
        data[at % len(data)] = byte
    data = bytes(data[: cut % (len(data) + 1)])

    check_quote(read("shop", data))


def check_document(reading) -> None:
    assert isinstance(reading, DocumentReading)
    assert all(isinstance(h, str) for h in reading.headings)
    assert all(isinstance(p, Problem) and p.zh and p.en for p in reading.problems)
    assert all(isinstance(m, tuple) and len(m) == 3 for m in reading.mismatches)


LABELS = st.sampled_from(
    [
        "注册资本",
        "注册资本（万元）",
        "成立日期",
        "员工人数",
        "同类项目",
        "公司名称",
        "独立法人",
        "经营年限",
        "服务平台",
        "满意度承诺",
        "项目",
        "",
    ]
)


@FUZZ
@given(
    paragraphs=st.lists(st.tuples(st.sampled_from([None, "Heading 1", "Heading 2", "Title"]), typed_text), max_size=8),
    rows=st.lists(st.lists(st.one_of(LABELS, typed_text), min_size=1, max_size=4), max_size=6),
    declared=st.dictionaries(
        st.sampled_from(
            [
                "registered_capital",
                "established",
                "staff_count",
                "company_name",
                "platforms",
                "independent_legal_person",
            ]
        ),
        cell_value,
        max_size=4,
    ),
)
def test_random_documents_give_a_reading_or_problems(paragraphs, rows, declared):
    document = docx.Document()
    for style, content in paragraphs:
        document.add_paragraph(content, style=style)
    if rows:
        width = max(len(row) for row in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)

    reading = read_bid_document(out.getvalue(), required_sections=["服务方案", "人员配置"], declared_facts=declared)

    check_document(reading)


_DOCX = io.BytesIO()
docx.Document().save(_DOCX)


@FUZZ
@given(cut=st.integers(0, 10**6), flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6))
def test_truncated_or_corrupted_documents_give_problems_not_exceptions(cut, flips):
    data = bytearray(_DOCX.getvalue())
    for at, byte in flips:
        data[at % len(data)] = byte
    data = bytes(data[: cut % (len(data) + 1)])

    check_document(read_bid_document(data, required_sections=["服务方案"], declared_facts={"staff_count": 5}))
