"""Every pricing model and common component with numbers a reader can check by hand.

The scenario (tests/unit/helpers.py): 800 inquiries a day × 30 days = 24000 a month,
8400 returning and 15600 new; 6 agents × 2 shifts = 12 agent-shifts; 600000 CNY of
sales by customer service; 10 peak days a year with 4 extra agents; 12 contract months.
"""

from decimal import Decimal

import pytest

from scoring import InvalidInput
from scoring.pricing import breakpoints, monthly_cost
from tests.unit.helpers import make_bid, make_tender

D = Decimal


def cost_of(pricing: dict, **tender_changes):
    tender = make_tender(**tender_changes)
    bid = make_bid(tender, "V", pricing)
    return monthly_cost(bid.pricing, tender.scenario)


def no_peak():
    return {"peak_days_per_year": 0}


def test_per_inquiry_domain_example_with_peak_staffing():
    # 15600 × 2.50 + 8400 × 1.50 = 39000 + 12600 = 51600; minimum 3000 × 12 = 36000 is lower;
    # peak 200 × 4 × 10 / 12 = 666.666… → 52266.67 (domain §8 result example)
    cost = cost_of(
        {
            "model": "per_inquiry",
            "new_rate": 2.5,
            "returning_rate": 1.5,
            "minimum_per_agent_shift": 3000,
            "peak_rate_per_agent_day": 200,
        }
    )
    assert cost.monthly_cost == D("52266.67")
    assert [line.amount.quantize(D("0.01")) for line in cost.lines] == [D("51600.00"), D("666.67")]
    assert cost.lines[0].formula.startswith("15600 咨询 × 2.50 元 + 8400 咨询 × 1.50 元 = 51600.00")
    assert cost.lines[1].formula == "200.00 元/人/天 × 4 人 × 10 天 ÷ 12 月 = 666.67"
    assert cost.flags == ()


def test_seed_rate_of_068_per_inquiry_applies_to_new_and_returning_alike():
    # returning_rate defaults to new_rate: 24000 × 0.68 = 16320.00
    cost = cost_of({"model": "per_inquiry", "new_rate": "0.68"}, scenario=no_peak())
    assert cost.monthly_cost == D("16320.00")


def test_minimum_guarantee_applies_when_volume_is_low():
    # 24000 × 0.68 = 16320 < minimum 3000 × 12 agent-shifts = 36000
    cost = cost_of({"model": "per_inquiry", "new_rate": "0.68", "minimum_per_agent_shift": 3000}, scenario=no_peak())
    assert cost.monthly_cost == D("36000.00")
    assert cost.lines[0].label == "保底"
    assert "3000.00 元 × 12 人·班次 = 36000.00" in cost.lines[0].formula


# "0.68元/条，月保底 6 万": 20 service days a month, so 1500 a day is 30000 inquiries a month
# and 5000 a day is 100000.
MONTHLY_MINIMUM = {"model": "per_inquiry", "new_rate": "0.68", "minimum_per_month": 60000}


def test_monthly_minimum_applies_when_volume_is_low():
    # 30000 × 0.68 = 20400.00 < 月保底 60000 → 60000.00
    cost = cost_of(
        MONTHLY_MINIMUM,
        scenario={"peak_days_per_year": 0, "returning_share": 0, "days_per_month": 20, "daily_inquiries": 1500},
    )
    assert cost.monthly_cost == D("60000.00")
    assert (cost.lines[0].label, cost.lines[0].label_en) == ("月保底", "monthly minimum")
    assert cost.lines[0].formula == "月保底 60000.00 元 = 60000.00（计件 30000 咨询 × 0.68 元 = 20400.00，低于保底）"


def test_monthly_minimum_gives_way_to_the_volume_charge_above_it():
    # 100000 × 0.68 = 68000.00 > 月保底 60000 → 68000.00
    cost = cost_of(
        MONTHLY_MINIMUM,
        scenario={"peak_days_per_year": 0, "returning_share": 0, "days_per_month": 20, "daily_inquiries": 5000},
    )
    assert cost.monthly_cost == D("68000.00")
    assert cost.lines[0].formula == "100000 咨询 × 0.68 元 = 68000.00（不低于月保底 60000.00 元 = 60000.00）"


def test_monthly_minimum_does_not_grow_with_agents_and_holds_for_a_month_priced_alone():
    # the month's total, whatever the seats: 24000 × 0.68 = 16320 < 60000 with 12 or 40 agent-shifts;
    # a short month of 10 days at 800 a day (8000 × 0.68 = 5440) is still 60000, not prorated
    tender = make_tender(scenario=no_peak())
    bid = make_bid(tender, "V", MONTHLY_MINIMUM)
    assert monthly_cost(bid.pricing, tender.scenario).total == D(60000)
    assert monthly_cost(bid.pricing, tender.scenario.month(agents_per_shift=D(20))).total == D(60000)
    assert monthly_cost(bid.pricing, tender.scenario.month(days=D(10))).total == D(60000)


def test_monthly_minimum_breakpoint_is_where_the_volume_charge_reaches_it():
    # 30 days × 0.68 = 20.40 a month per daily inquiry; 60000 ÷ 20.40 = 2941.176… a day
    tender = make_tender(scenario=no_peak())
    bid = make_bid(tender, "V", MONTHLY_MINIMUM)
    (point,) = breakpoints(bid.pricing, tender.scenario)
    assert point.quantize(D("0.01")) == D("2941.18")
    assert monthly_cost(bid.pricing, tender.scenario.at_volume(point)).total.quantize(D("0.01")) == D("60000.00")


def test_both_minimums_at_once_are_refused():
    tender = make_tender()
    with pytest.raises(InvalidInput) as error:
        make_bid(tender, "V", {**MONTHLY_MINIMUM, "minimum_per_agent_shift": 3000})
    (problem,) = error.value.problems
    assert problem.path == "V.json: pricing.minimum_per_month"
    assert problem.zh == "“保底（元/人/班次/月）”与“月保底（元/月）”只能填写一项"
    assert problem.en == (
        "give only one of the minimum per agent-shift per month (CNY) and the "
        "monthly minimum, the month's total (CNY), not both"
    )


@pytest.mark.parametrize("rate, expected", [(5000, "60000.00"), (5500, "66000.00")])
def test_fixed_fee_per_agent_seed_range(rate, expected):
    # seed: 5000–5500 元 per agent; × 12 agent-shifts
    cost = cost_of({"model": "fixed_per_agent", "monthly_per_agent": rate, "kpi_holdback": "0.1"}, scenario=no_peak())
    assert cost.monthly_cost == D(expected)


def test_base_plus_commission_seed_1500_plus_two_percent():
    # 1500 × 12 = 18000 + 2 % × 600000 = 12000 → 30000
    cost = cost_of(
        {"model": "base_plus_commission", "base_per_agent": 1500, "commission_rate": "0.02"}, scenario=no_peak()
    )
    assert cost.monthly_cost == D("30000.00")
    assert [line.formula for line in cost.lines] == [
        "1500.00 元/人/班次/月 × 12 人·班次 = 18000.00",
        "600000 元客服销售额 × 2% = 12000.00",
    ]


def test_daily_fee_plus_commission():
    # seed: 33 元 a day + commission; 33 × 12 agent-shifts × 30 days = 11880 + 0.02 × 600000 = 12000
    cost = cost_of(
        {"model": "daily_fee_plus_commission", "daily_fee_per_agent": 33, "commission_rate": "0.02"}, scenario=no_peak()
    )
    assert cost.monthly_cost == D("23880.00")


def test_commission_only():
    cost = cost_of({"model": "commission_only", "commission_rate": "0.05"}, scenario=no_peak())
    assert cost.monthly_cost == D("30000.00")


BRACKETS = [{"up_to": 500, "rate": "0.8"}, {"up_to": 1000, "rate": "0.7"}, {"up_to": None, "rate": "0.6"}]


@pytest.mark.parametrize(
    "daily, expected",
    [
        (800, "16800.00"),  # 800 in (500, 1000]: 0.7 × 800 × 30
        (500, "12000.00"),  # a boundary belongs to the lower tier: 0.8 × 500 × 30
        (1200, "21600.00"),  # 0.6 × 1200 × 30
    ],
)
def test_bracket_tiers_charge_every_unit_at_the_rate_reached(daily, expected):
    cost = cost_of(
        {"model": "tiered", "basis": "daily", "mode": "bracket", "tiers": BRACKETS},
        scenario={"daily_inquiries": daily, "peak_days_per_year": 0},
    )
    assert cost.monthly_cost == D(expected)


def test_bracket_fee_alone_gives_a_flat_fee_per_bracket():
    tiers = [{"up_to": 1000, "fee": 300}, {"up_to": None, "fee": 500}]
    cost = cost_of({"model": "tiered", "tiers": tiers}, scenario=no_peak())
    assert cost.monthly_cost == D("9000.00")  # 300 a day × 30 days


def test_graduated_tiers_charge_each_band_at_its_own_rate():
    # 800 a day: 500 × 0.8 + 300 × 0.7 = 400 + 210 = 610 a day × 30 = 18300
    cost = cost_of({"model": "tiered", "mode": "graduated", "tiers": BRACKETS}, scenario=no_peak())
    assert cost.monthly_cost == D("18300.00")
    assert len(cost.lines) == 2


@pytest.mark.parametrize("devices, expected", [(10, "1000.00"), (18, "1500.00"), (50, "3000.00"), (60, "3500.00")])
def test_seed_it_price_list_as_a_graduated_monthly_tier_table(devices, expected):
    # seed: ≤15 devices ≤1000 元/月, 16–20 1500, 21–30 2000, 31–40 2500, 41–50 3000,
    # above 50: 3000 + 50 × (devices − 50). Volume = monthly inquiries = daily × 1 day here.
    tiers = [
        {"up_to": 15, "fee": 1000},
        {"up_to": 20, "fee": 500},
        {"up_to": 30, "fee": 500},
        {"up_to": 40, "fee": 500},
        {"up_to": 50, "fee": 500},
        {"up_to": None, "rate": 50},
    ]
    cost = cost_of(
        {"model": "tiered", "basis": "monthly", "mode": "graduated", "tiers": tiers},
        scenario={"daily_inquiries": devices, "days_per_month": 1, "peak_days_per_year": 0},
    )
    assert cost.monthly_cost == D(expected)


def test_seed_it_formula_3000_plus_50_per_device_above_50():
    tiers = [{"up_to": 50, "fee": 3000}, {"up_to": None, "rate": 50}]
    scenario = {"daily_inquiries": 2, "days_per_month": 30, "peak_days_per_year": 0}  # 60 a month
    cost = cost_of({"model": "tiered", "basis": "monthly", "mode": "graduated", "tiers": tiers}, scenario=scenario)
    assert cost.monthly_cost == D("3500.00")  # 3000 + 50 × (60 − 50)


def test_monthly_package_seed_990_with_overage():
    # 990 + max(0, 24000 − 20000) × 0.30 = 990 + 1200 = 2190
    cost = cost_of(
        {"model": "monthly_package", "monthly_fee": 990, "included_inquiries": 20000, "overage_rate": "0.3"},
        scenario=no_peak(),
    )
    assert cost.monthly_cost == D("2190.00")


def test_monthly_package_without_limit_costs_the_fee():
    cost = cost_of({"model": "monthly_package", "monthly_fee": 990}, scenario=no_peak())
    assert cost.monthly_cost == D("990.00")


@pytest.mark.parametrize("rate, expected", [(200, "72000.00"), (150, "54000.00")])
def test_day_rate_seed_event_and_temporary_staffing(rate, expected):
    # 200 (event) or 150 (temporary) 元/天 × 12 agent-shifts × 30 days
    cost = cost_of({"model": "daily_rate", "rate_per_agent_day": rate}, scenario=no_peak())
    assert cost.monthly_cost == D(expected)


def test_hourly_rate():
    # 25 × 12 agent-shifts × 8 hours × 30 days = 72000
    cost = cost_of({"model": "hourly_rate", "rate_per_agent_hour": 25}, scenario=no_peak())
    assert cost.monthly_cost == D("72000.00")


def test_one_time_fees_are_spread_over_the_contract():
    # 60000 + (6000 + 3000) / 12 = 60000 + 750
    cost = cost_of(
        {
            "model": "fixed_per_agent",
            "monthly_per_agent": 5000,
            "one_time_fees": [{"label": "培训费", "amount": 6000}, {"label": "系统对接", "amount": 3000}],
        },
        scenario=no_peak(),
    )
    assert cost.monthly_cost == D("60750.00")
    assert cost.lines[1].formula == "(培训费 6000.00 元 + 系统对接 3000.00 元) ÷ 12 月 = 750.00"


def test_peak_days_without_a_peak_rate_are_flagged_and_cost_nothing():
    cost = cost_of({"model": "fixed_per_agent", "monthly_per_agent": 5000})
    assert cost.monthly_cost == D("60000.00")
    assert cost.flags == ("peak_not_priced",)


def test_no_flag_when_the_scenario_has_no_peak_days():
    assert cost_of({"model": "fixed_per_agent", "monthly_per_agent": 5000}, scenario=no_peak()).flags == ()


def test_tax_exclusive_quote_gets_vat_at_the_end():
    # 5000 × 12 = 60000 × 1.06 = 63600
    cost = cost_of({"model": "fixed_per_agent", "monthly_per_agent": 5000, "tax_included": False}, scenario=no_peak())
    assert cost.monthly_cost == D("63600.00")


def test_components_apply_in_the_order_of_the_contract():
    # (60000 + 9000/12 + 200 × 4 × 10 / 12) = 60000 + 750 + 666.666… = 61416.666…
    # × (1 − 0.05) = 58345.8333… × (1 + 0.03) = 60096.2083… → 60096.21
    cost = cost_of(
        {
            "model": "fixed_per_agent",
            "monthly_per_agent": 5000,
            "one_time_fees": [{"label": "培训费", "amount": 9000}],
            "peak_rate_per_agent_day": 200,
            "discount_rate": "0.05",
            "tax_included": False,
            "vat_rate": "0.03",
        }
    )
    assert cost.monthly_cost == D("60096.21")
    assert [line.label for line in cost.lines] == [
        "固定费用",
        "一次性费用分摊",
        "大促加派",
        "折扣",
        "增值税（报价不含税）",
    ]
    assert sum(line.amount for line in cost.lines) == cost.total


RATE_CARD = {
    "work_items": [
        {"id": "chat", "name": "在线咨询", "unit": "件", "monthly_quantity": 24000},
        {"id": "ticket", "name": "售后工单", "unit": "单", "monthly_quantity": 3000},
        {"id": "seat", "name": "专席坐席", "unit": "席·月", "monthly_quantity": 2},
    ],
    "peak_days_per_year": 0,
}


def test_rate_card_prices_every_item():
    # 24000 × 1.50 + 3000 × 9 + 2 × 6500 = 36000 + 27000 + 13000 = 76000
    cost = cost_of({"model": "line_items", "prices": {"chat": 1.5, "ticket": 9, "seat": 6500}}, scenario=RATE_CARD)
    assert cost.monthly_cost == D("76000.00")
    assert [line.formula for line in cost.lines] == [
        "24000 件 × 1.50 元 = 36000.00",
        "3000 单 × 9.00 元 = 27000.00",
        "2 席·月 × 6500.00 元 = 13000.00",
    ]


def test_rate_card_refuses_an_unpriced_item_and_an_unknown_one_at_once():
    tender = make_tender(scenario=RATE_CARD)
    with pytest.raises(InvalidInput) as error:
        make_bid(tender, "V", {"model": "line_items", "prices": {"chat": 1.5, "ticket": 9, "phone": 3}})
    messages = [p.en for p in error.value.problems]
    assert "the tender lists no work item 'phone'" in messages
    assert "work item 'seat' is not priced" in messages


def test_reference_discount_of_eight_percent():
    # reference 76000 × (1 − 0.08) = 69920
    reference = {"model": "line_items", "prices": {"chat": 1.5, "ticket": 9, "seat": 6500}}
    cost = cost_of(
        {"model": "reference_discount", "discount_rate": "0.08"}, scenario=RATE_CARD, reference_pricing=reference
    )
    assert cost.monthly_cost == D("69920.00")
    assert cost.lines[-1].formula == "−(76000.00 × 8%) = -6080.00"


def test_cost_lines_sum_to_the_total_for_every_model():
    for pricing in (
        {"model": "per_inquiry", "new_rate": 1},
        {"model": "hourly_rate", "rate_per_agent_hour": 30},
        {"model": "tiered", "mode": "graduated", "tiers": BRACKETS},
    ):
        cost = cost_of({**pricing, "discount_rate": "0.1", "tax_included": False})
        assert sum(line.amount for line in cost.lines) == cost.total


@pytest.mark.parametrize(
    "pricing, message",
    [
        ({"model": "per_hour"}, "unknown pricing model 'per_hour'"),
        ({"model": "per_inquiry"}, "'new_rate' is required for per inquiry (with minimum)"),
        ({"model": "per_inquiry", "new_rate": -1}, "must not be negative (-1)"),
        ({"model": "commission_only", "commission_rate": "1.5"}, "must be at most 1 (got 1.5)"),
        ({"model": "fixed_per_agent", "monthly_per_agent": "五千"}, "must be a number, got '五千'"),
        ({"model": "fixed_per_agent", "monthly_per_agent": 5000, "new_rat": 1}, "unknown key 'new_rat'"),
        (
            {"model": "tiered", "tiers": [{"up_to": 1000, "rate": 1}, {"up_to": 500, "rate": 1}, {"up_to": None}]},
            "tiers must ascend: 500 is not above the previous 1000",
        ),
        (
            {"model": "tiered", "tiers": [{"up_to": 1000, "rate": 1}]},
            "the last tier must have no upper bound (up_to null)",
        ),
        (
            {"model": "reference_discount", "discount_rate": "0.1"},
            "this tender publishes no reference pricing to discount",
        ),
    ],
)
def test_a_bid_with_an_error_is_refused_with_its_reason(pricing, message):
    tender = make_tender()
    with pytest.raises(InvalidInput) as error:
        make_bid(tender, "V", pricing)
    assert any(message in p.en for p in error.value.problems), [p.en for p in error.value.problems]
    assert all(p.path.startswith("V.json") for p in error.value.problems)


def test_amounts_given_as_strings_and_numbers_read_alike():
    as_text = cost_of({"model": "per_inquiry", "new_rate": "0.1"}, scenario=no_peak())
    as_number = cost_of({"model": "per_inquiry", "new_rate": 0.1}, scenario=no_peak())
    assert as_text.total == as_number.total == D("2400.0")


def test_unpriced_peak_of_a_reference_discount_is_flagged_once():
    reference = {"model": "line_items", "prices": {"chat": 1.5, "ticket": 9, "seat": 6500}}
    cost = cost_of(
        {"model": "reference_discount", "discount_rate": "0.08"},
        scenario={**RATE_CARD, "peak_days_per_year": 10},
        reference_pricing=reference,
    )
    assert cost.flags == ("peak_not_priced",)
    assert [line.label for line in cost.lines].count("大促加派（未报价）") == 1
    assert cost.monthly_cost == D("69920.00")
