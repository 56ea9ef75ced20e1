"""What people type into a price sheet's cells, read into domain values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tender.documents.cells import (
    CellValueError,
    parse_amount,
    parse_bool,
    parse_choice,
    parse_date,
    parse_list,
    parse_quantity,
    parse_share,
)


@pytest.mark.parametrize(
    "typed, amount",
    [
        (1500, "1500"),
        (1500.5, "1500.5"),
        (0.1, "0.1"),  # a float cell becomes its shortest decimal, not 0.1000000000000000055…
        (Decimal("2.50"), "2.50"),
        ("1500", "1500"),  # a number stored as text
        ("1,500", "1500"),
        ("¥1,500.00", "1500.00"),
        ("￥1,500.00", "1500.00"),  # full-width yen sign
        ("1500元", "1500"),
        ("1500 元", "1500"),
        ("RMB 1500", "1500"),
        ("人民币1500元", "1500"),
        ("0.68元/条", "0.68"),
        ("260元/人/天", "260"),
        ("1500元（含税）", "1500"),
        ("１５００", "1500"),  # full-width digits
        ("１，５００．５０", "1500.50"),  # full-width comma and point
        ("500万元", "5000000"),
        ("1.5万", "15000"),
        ("3亿", "300000000"),
        ("人民币伍佰万元整", "5000000"),
        ("壹佰伍拾万元", "1500000"),
        ("-2.5", "-2.5"),  # read as typed; the reader refuses negatives with the cell named
        ("−2.5", "-2.5"),  # a typographic minus sign
        (".5", "0.5"),
    ],
)
def test_amounts_are_read_as_people_type_them(typed, amount):
    value = parse_amount(typed)
    assert isinstance(value, Decimal)
    assert value == Decimal(amount)


@pytest.mark.parametrize(
    "typed",
    [
        "面议",
        "abc",
        "1,50",
        "1500美元",
        "2%",
        "",
        True,
        None,
        float("nan"),
        float("inf"),
        "1.2.3",
        "¥",
        "12-5",
        dt.date(2024, 1, 1),
    ],
)
def test_what_is_not_an_amount_is_refused_with_a_reason(typed):
    with pytest.raises(CellValueError) as refused:
        parse_amount(typed)
    assert "金额" in refused.value.zh or "数字" in refused.value.zh
    assert refused.value.en


def test_a_percentage_where_an_amount_is_needed_says_so():
    with pytest.raises(CellValueError) as refused:
        parse_amount("2%")
    assert "百分比" in refused.value.zh and "percentage" in refused.value.en


@pytest.mark.parametrize(
    "typed, share",
    [
        (0.02, "0.02"),  # Excel's 2 % cell arrives as 0.02
        ("0.02", "0.02"),
        ("2%", "0.02"),
        ("2 %", "0.02"),
        ("２％", "0.02"),
        ("15%", "0.15"),
        ("6.5%", "0.065"),
        ("5‰", "0.005"),
        (Decimal("0.35"), "0.35"),
        (1, "1"),
        ("-5%", "-0.05"),  # a negative discount is a surcharge, read as given
    ],
)
def test_shares_are_read_as_fractions(typed, share):
    assert parse_share(typed) == Decimal(share)


@pytest.mark.parametrize("typed", ["两成", "2%%", "¥2", "abc", "", "2万"])
def test_what_is_not_a_share_is_refused(typed):
    with pytest.raises(CellValueError) as refused:
        parse_share(typed)
    assert "比例" in refused.value.zh and "share" in refused.value.en


@pytest.mark.parametrize(
    "typed, count",
    [
        (800, "800"),
        ("800", "800"),
        ("2万", "20000"),
        ("120人", "120"),
        ("6个", "6"),
        ("6 项", "6"),
        ("24,000条/月", "24000"),
        ("３０", "30"),
    ],
)
def test_counts_may_carry_a_unit_word(typed, count):
    assert parse_quantity(typed) == Decimal(count)


def test_a_unit_word_must_be_one_the_field_allows():
    assert parse_quantity("30秒", ("秒",)) == 30
    with pytest.raises(CellValueError):
        parse_quantity("1小时", ("秒",))  # an hour is not 1 second


@pytest.mark.parametrize(
    "typed, meaning",
    [
        ("是", True),
        ("否", False),
        ("是 yes", True),
        ("yes", True),
        ("No", False),
        ("TRUE", True),
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("√", True),
        ("×", False),
        ("有", True),
        ("无", False),
        ("含税", True),
        ("不含税", False),
    ],
)
def test_yes_and_no_in_chinese_and_english(typed, meaning):
    assert parse_bool(typed) is meaning


@pytest.mark.parametrize("typed", ["也许", "2", "", None])
def test_what_is_neither_yes_nor_no_is_refused(typed):
    with pytest.raises(CellValueError) as refused:
        parse_bool(typed)
    assert "是" in refused.value.zh


@pytest.mark.parametrize(
    "typed",
    [
        "2019-03-01",
        "2019/3/1",
        "2019.3.1",
        "2019年3月1日",
        "2019 年 3 月 1 日",
        dt.datetime(2019, 3, 1, 0, 0),
        dt.date(2019, 3, 1),
    ],
)
def test_dates_in_the_usual_forms(typed):
    assert parse_date(typed) == dt.date(2019, 3, 1)


@pytest.mark.parametrize("typed", ["2019-02-30", "三月一日", 43525, "2019"])
def test_what_is_not_a_date_is_refused(typed):
    with pytest.raises(CellValueError):
        parse_date(typed)


def test_lists_split_on_any_separator_people_use():
    assert parse_list("taobao, tmall、jd；pinduoduo\ndouyin taobao") == ["taobao", "tmall", "jd", "pinduoduo", "douyin"]


def test_a_choice_is_found_by_its_code_its_name_or_the_drop_down_text():
    options = {"tiered": ("咨询量阶梯", "volume tiers"), "daily_rate": ("按天", "day rate")}
    assert parse_choice("tiered — 咨询量阶梯", options) == "tiered"
    assert parse_choice(" Tiered ", options) == "tiered"
    assert parse_choice("按天", options) == "daily_rate"
    assert parse_choice("day rate", options) == "daily_rate"
    with pytest.raises(CellValueError) as refused:
        parse_choice("per_minute", options)
    assert "tiered, daily_rate" in refused.value.zh
