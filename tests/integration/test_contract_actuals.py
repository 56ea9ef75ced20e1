"""The month's actuals workbook (tender/contracts/actuals.py): the template filled and read
back, a CSV of code,value rows in GB18030, and each problem named at its cell."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scoring.errors import InvalidInput
from tender.contracts.actuals import build_template, month_json, read_actuals
from tender.contracts.terms import terms_from

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "settlement"
D = Decimal


@pytest.fixture(scope="module")
def terms():
    return terms_from(
        {
            "tender": json.loads((SAMPLES / "tender.json").read_text(encoding="utf-8")),
            "bid": json.loads((SAMPLES / "bid.json").read_text(encoding="utf-8")),
            "share": "1.00",
        }
    )


def filled(terms, values: dict, month: str = "2027-03") -> bytes:
    book = load_workbook(io.BytesIO(build_template(terms, month)))
    for row in book.active.iter_rows(min_row=4):
        if row[1].value in values:
            row[2].value = values[row[1].value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_starts_from_the_scenario_and_reads_back_what_was_typed(terms):
    book = load_workbook(io.BytesIO(build_template(terms, "2027-03")))
    rows = {row[1].value: (row[2].value, row[3].value) for row in book.active.iter_rows(min_row=4)}
    assert rows["month"] == ("2027-03", "2027-03") and rows["daily_inquiries"] == (800, "800")
    assert rows["kpi:reply_3min"] == (None, "≥ 0.95")  # a KPI is typed, never pre-filled
    month = read_actuals(
        "本月实际.xlsx",
        filled(
            terms,
            {"daily_inquiries": 860, "days": 31, "peak_days": 1, "kpi:reply_3min": "93.2%", "kpi:satisfaction": 0.91},
        ),
        terms,
        "2027-03",
    )
    assert (month.daily_inquiries, month.days, month.peak_days) == (860, 31, 1)
    assert dict(month.kpis) == {"reply_3min": D("0.932"), "satisfaction": D("0.91"), "conversion": None}
    assert month_json(month)["kpis"] == {"reply_3min": "0.932", "satisfaction": "0.91", "conversion": None}


def test_a_csv_of_code_and_value_rows_in_gb18030_reads_the_same(terms):
    text = '代码,本月实际\nmonth,2027-03\ndaily_inquiries,"1,720"\nkpi:conversion,38%\n'
    month = read_actuals("实际.csv", text.encode("gb18030"), terms, "2027-03")
    assert month.daily_inquiries == 1720 and dict(month.kpis) == {"conversion": D("0.38")}
    assert month.days is None  # left out: the scenario's 30


@pytest.mark.parametrize(
    "rows, message",
    [
        ("month,2027-04\n", "B2: the file is for 2027-04, not the month chosen, 2027-03"),
        ("days,三十\n", "B2: service days this month: must be a number, got '三十'"),
        ("kpi:nps,0.5\n", "A2: the tender has no kpi:nps (it has: kpi:reply_3min, kpi:satisfaction, kpi:conversion)"),
        ("days,30\npeak_days,31\n", "B3: 31 peak days are more than the month's 30 service days"),
        ("kpi:satisfaction,-0.1\n", "B2: must not be negative (-0.1)"),
        ("hello,world\n", "no row of the file has a code"),
    ],
)
def test_each_problem_is_named_at_its_cell(terms, rows, message):
    with pytest.raises(InvalidInput) as refused:
        read_actuals("实际.csv", ("code,value\n" + rows).encode(), terms, "2027-03")
    assert any(message in problem.message("en") for problem in refused.value.problems), refused.value.problems


def test_a_file_that_is_not_a_workbook_or_csv_is_refused_before_reading(terms):
    with pytest.raises(InvalidInput) as refused:
        read_actuals("实际.pdf", b"%PDF-1.4", terms, "2027-03")
    assert "only .xlsx workbooks and .csv files are accepted" in refused.value.problems[0].en
