"""One reader of typed numbers (cells.read_number), shared by the vendor's sheet and the
buyer's forms, and the builder's units (万元, %) that scale what is typed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tender.documents.cells import CellValueError, parse_number, read_number
from tender.tenders.builder import as_json_number, read_value, value_in_unit


@pytest.mark.parametrize(
    "typed, value, unit",
    [
        ("95%", "0.95", "%"),
        ("0.95", "0.95", ""),
        ("3,000", "3000", ""),
        ("3000条", "3000", "条"),
        ("100万", "1000000", "万"),
        ("100万元", "1000000", "万元"),
        ("1,000,000", "1000000", ""),
        ("¥1,500.00", "1500.00", "元"),
        ("30秒", "30", "秒"),
        ("24小时", "24", "小时"),
        ("５０", "50", ""),
        ("人民币伍佰万元整", "5000000", "元"),
        ("2.5年", "2.5", "年"),
        ("5‰", "0.005", "‰"),
    ],
)
def test_what_people_type_is_read_with_its_unit(typed, value, unit):
    assert read_number(typed) == (Decimal(value), unit)


@pytest.mark.parametrize("typed", ["abc", "1,5", "3 o", "十万", ""])
def test_what_is_not_a_number_is_refused_with_examples(typed):
    with pytest.raises(CellValueError) as refused:
        parse_number(typed)
    assert "95%" in refused.value.en and "100万" in refused.value.zh


@pytest.mark.parametrize(
    "typed, unit, stored",
    [
        ("100", "万元", 1000000),  # the unit beside the field scales a bare number
        ("100万", "万元", 1000000),  # a number that says its own unit is not scaled again
        ("1234567元", "万元", 1234567),
        ("95", "%", "0.95"),
        ("95%", "%", "0.95"),
        ("0.95", "%", "0.95"),  # a share under % is taken as it is
        ("0.5%", "%", "0.005"),
        ("30", "秒", 30),
        ("2", "年", 2),
        ("fast", "秒", "fast"),  # not a number: passed on as typed, for the validation to name
        ("", "万元", None),
    ],
)
def test_a_builder_value_is_read_in_its_unit(typed, unit, stored):
    assert read_value(typed, unit) == stored


@given(
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("100000000"), places=4),
    st.sampled_from(["", "元", "万元", "%", "秒", "小时", "年", "个"]),
)
def test_a_stored_value_shown_in_its_unit_reads_back_the_same(value, unit):
    if unit == "%":
        value = value / 10000  # shares: 0.00000001 … 10000
    shown = value_in_unit(as_json_number(value), unit)
    assert Decimal(str(read_value(shown, unit))) == value
