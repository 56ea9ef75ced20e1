"""User text is escaped so a spreadsheet never runs it, and cleaned of what XML cannot carry."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from tender.reports.safe import escape_formula, put_text, xml_text


@pytest.mark.parametrize(
    "text, expected",
    [
        ('=HYPERLINK("http://x","点我")', '\'=HYPERLINK("http://x","点我")'),
        ("+86 571 0000", "'+86 571 0000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\x00=1", "'\ufffd=1"),
        ("杭州云客服科技有限公司", "杭州云客服科技有限公司"),
        ("a=b", "a=b"),
    ],
)
def test_formula_triggers_at_the_start_are_escaped(text, expected):
    assert escape_formula(text) == expected


def test_an_escaped_cell_is_a_quote_prefixed_string():
    cell = Workbook().active["A1"]
    put_text(cell, "=1+1")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("'=1+1", "s", True)
    put_text(cell, "专家甲")
    assert (cell.value, cell.data_type) == ("专家甲", "s")


def test_control_characters_are_replaced_but_tab_and_newline_kept():
    assert xml_text("a\x01b\tc\nd\x1f") == "a\ufffdb\tc\nd\ufffd"
