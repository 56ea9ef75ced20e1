"""The contract year month by month (§10): each month priced alone, the contract cost, P,
the cost per inquiry, the flags, the result's months, the flat average month, and every
conflict of a monthly profile refused with its path.

The worked example of the issue: 25 service days a month, 6 agents × 2 shifts = 12
agent-shifts; ten months at 2,000 inquiries a day (50,000 a month), June at 4,800
(120,000) and November at 8,000 (200,000): 820,000 inquiries in the year. The quote:
2.00 元 per inquiry with a minimum of 9,750 元 per agent-shift, i.e. 117,000 元 a month.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from scoring import evaluate, parse_tender, validate_tender
from scoring.pricing import monthly_cost
from tests.unit.helpers import make_bid

D = Decimal
PRICE_ONLY = [{"id": "price", "name": "价格", "kind": "price", "weight": 100}]
YEAR = [{"label": f"2027-{m:02d}", "daily_inquiries": 2000} for m in range(1, 13)]
YEAR[5] = {"label": "2027-06 618", "daily_inquiries": 4800}
YEAR[10] = {"label": "2027-11 双11", "daily_inquiries": 8000}
SCENARIO = {
    "days_per_month": 25,
    "daily_inquiries": 2000,
    "agents_per_shift": 6,
    "shifts_per_day": 2,
    "contract_months": 12,
}
MINIMUM = {"model": "per_inquiry", "new_rate": 2, "minimum_per_agent_shift": 9750}
FIXED = {"model": "fixed_per_agent", "monthly_per_agent": 12000}


def tender(profile=YEAR, criteria=PRICE_ONLY, **scenario):
    return parse_tender(
        {
            "scenario": {**SCENARIO, **scenario, "monthly_profile": copy.deepcopy(profile)},
            "criteria": criteria,
            "min_valid_bids": 1,
        }
    )


def run(t, priced: dict):
    return evaluate(t, [make_bid(t, vendor, pricing) for vendor, pricing in priced.items()])


def bid_json(result, vendor):
    return next(b for b in result.to_json()["bids"] if b["vendor"] == vendor)


# --------------------------------------------------------------------------- the worked example


def test_a_minimum_applied_month_by_month_costs_more_than_on_the_flat_average():
    t = tender()
    bid = make_bid(t, "保底", MINIMUM)
    # flat average: 820000 / 12 = 68333.33 inquiries a month × 2.00 = 136666.67 > 117000; × 12 = 1640000
    flat = monthly_cost(bid.pricing, t.scenario.flat_average())
    assert flat.monthly_cost == D("136666.67")
    assert (flat.total * 12).quantize(D("0.01")) == D("1640000.00")
    # the year: ten months at max(50000 × 2 = 100000, 117000) = 117000, June 120000 × 2 = 240000,
    # November 200000 × 2 = 400000: 1170000 + 240000 + 400000 = 1810000
    result = bid_json(run(t, {"保底": MINIMUM}), "保底")
    assert result["contract_cost"] == "1810000.00"
    # P = 1810000 / 12 = 150833.33; per inquiry 1810000 / 820000 = 2.207… → 2.21
    assert result["monthly_cost"] == "150833.33"
    assert result["cost_per_inquiry"] == "2.21"
    assert [m["cost"] for m in result["monthly_costs"]] == ["117000.00"] * 5 + ["240000.00"] + ["117000.00"] * 4 + [
        "400000.00",
        "117000.00",
    ]
    assert result["monthly_costs"][10] == {"label": "2027-11 双11", "cost": "400000.00"}


def test_each_month_keeps_its_own_breakdown_and_the_bid_one_line_per_month():
    result = bid_json(run(tender(), {"保底": MINIMUM}), "保底")
    january, june = result["monthly_breakdowns"][0], result["monthly_breakdowns"][5]
    assert january["label"] == "2027-01" and june["label"] == "2027-06 618"
    assert january["breakdown"][0]["formula"] == (
        "保底 9750.00 元 × 12 人·班次 = 117000.00（计件 50000 咨询 × 2.00 元 = 100000.00，低于保底）"
    )
    assert june["breakdown"][0]["formula"] == (
        "120000 咨询 × 2.00 元 = 240000.00（不低于保底 9750.00 元 × 12 人·班次 = 117000.00）"
    )
    # the bid's breakdown: each month's cost ÷ 12, adding up to P: 117000 / 12 = 9750, 400000 / 12 = 33333.33
    lines = result["breakdown"]
    assert [line["label"] for line in lines] == [m["label"] for m in YEAR]
    assert lines[0]["formula"] == "本月 117000.00 元（日均 2000 咨询 × 25 天） ÷ 12 月 = 9750.00"
    assert lines[10]["amount"] == "33333.33"


def test_the_year_changes_the_winner_of_the_flat_average_month():
    # fixed 12000 × 12 agent-shifts = 144000 every month: dearer than 136666.67 on the flat
    # average, cheaper than the minimum's 150833.33 over the year
    result = run(tender(), {"保底": MINIMUM, "固定": FIXED})
    assert result.winners == ["固定", "保底"]
    # price scores on P: 100 × 144000 / 150833.33 = 95.47
    assert result.bid("保底").scores["price"] == D("95.47")
    flat = result.to_json()["flat_average"]
    assert flat["daily_inquiries"] == "2733.33"  # 820000 / 300 days
    assert [(b["vendor"], b["monthly_cost"], b["rank"]) for b in flat["bids"]] == [
        ("保底", "136666.67", 1),
        ("固定", "144000.00", 2),
    ]
    assert (flat["winner"], flat["year_winner"], flat["winner_changes"]) == ("保底", "固定", True)


def test_the_price_ceiling_and_the_abnormal_low_check_use_p_of_the_year():
    t = parse_tender(
        {
            "scenario": {**SCENARIO, "monthly_profile": YEAR},
            "criteria": PRICE_ONLY,
            "min_valid_bids": 1,
            "price_ceiling": 150000,
        }
    )
    result = run(t, {"保底": MINIMUM, "固定": FIXED})
    # 150833.33 > 150000 although the flat average month (136666.67) is below the ceiling
    assert result.bid("保底").review.records == [
        "月度成本 150833.33 元超过最高限价 150000.00 元 / monthly cost 150833.33 exceeds the price ceiling 150000.00"
    ]


# --------------------------------------------------------------------------- each month's own figures


def test_a_month_defaults_to_the_scenario_and_cs_sales_follow_its_inquiries():
    # scenario: 2000 × 25 = 50000 inquiries and 1000000 CS sales a month (20 元 per inquiry).
    # month 1: 4000 × 25 = 100000 inquiries → default CS sales 2000000; month 2 gives 500000;
    # month 3: 28 days, 10 agents → 2000 × 28 = 56000 inquiries → 1120000.
    profile = [
        {"daily_inquiries": 4000},
        {"daily_inquiries": 2000, "cs_sales": 500000},
        {"daily_inquiries": 2000, "days": 28, "agents_per_shift": 10},
    ]
    t = tender(profile, cs_sales_per_month=1000000, contract_months=3)
    result = bid_json(
        run(t, {"提成": {"model": "base_plus_commission", "base_per_agent": 1000, "commission_rate": "0.02"}}), "提成"
    )
    # 1000 × 12 + 2 % × 2000000 = 52000; 12000 + 10000 = 22000; 1000 × 20 + 2 % × 1120000 = 42400
    assert result["monthly_costs"] == [
        {"label": "1", "cost": "52000.00"},
        {"label": "2", "cost": "22000.00"},
        {"label": "3", "cost": "42400.00"},
    ]
    assert result["contract_cost"] == "116400.00" and result["monthly_cost"] == "38800.00"  # 116400 / 3
    months = evaluate(t, []).to_json()["monthly_profile"]["months"]
    assert [(m["label"], m["monthly_inquiries"], m["agent_shifts"], m["cs_sales"]) for m in months] == [
        ("1", "100000", "12", "2000000.00"),
        ("2", "50000", "12", "500000.00"),
        ("3", "56000", "20", "1120000.00"),
    ]


def test_cs_sales_default_to_the_scenarios_when_the_scenario_has_no_inquiries():
    t = tender([{"daily_inquiries": 100}], daily_inquiries=0, cs_sales_per_month=800000, contract_months=1)
    result = bid_json(run(t, {"提点": {"model": "commission_only", "commission_rate": "0.05"}}), "提点")
    assert result["contract_cost"] == "40000.00"  # 5 % × 800000


def test_peak_days_are_priced_in_their_own_month():
    profile = [{"daily_inquiries": 2000}, {"daily_inquiries": 4800, "peak_days": 3}]
    t = tender(profile, peak_extra_agents=4, contract_months=2)
    result = bid_json(run(t, {"固定": {**FIXED, "peak_rate_per_agent_day": 200}}), "固定")
    # month 2: 144000 + 200 × 4 extra agents × 3 peak days = 146400; P = (144000 + 146400) / 2 = 145200
    assert [m["cost"] for m in result["monthly_costs"]] == ["144000.00", "146400.00"]
    assert result["monthly_breakdowns"][1]["breakdown"][1]["formula"] == "200.00 元/人/天 × 4 人 × 3 天 = 2400.00"
    assert result["monthly_cost"] == "145200.00" and result["flags"] == []


def test_peak_staffing_left_unpriced_is_flagged_only_when_a_month_needs_extra_agents():
    profile = [{"daily_inquiries": 2000}, {"daily_inquiries": 4800, "peak_days": 3}]
    flagged = bid_json(run(tender(profile, peak_extra_agents=4, contract_months=2), {"固定": FIXED}), "固定")
    assert flagged["flags"] == ["peak_not_priced"] and flagged["monthly_cost"] == "144000.00"
    assert (
        flagged["monthly_breakdowns"][1]["breakdown"][1]["formula"]
        == "未报大促加派价格：计 0.00，已标记供评委审查（本月 3 天）"
    )
    no_extra = bid_json(run(tender(profile, peak_extra_agents=0, contract_months=2), {"固定": FIXED}), "固定")
    no_days = bid_json(
        run(tender([{"daily_inquiries": 2000}] * 2, peak_extra_agents=4, contract_months=2), {"固定": FIXED}), "固定"
    )
    assert no_extra["flags"] == [] and no_days["flags"] == []


def test_one_time_fees_discount_and_vat_apply_to_each_month():
    pricing = {
        **FIXED,
        "one_time_fees": [{"label": "系统对接费", "amount": 12000}],
        "discount_rate": "0.05",
        "tax_included": False,
    }
    result = bid_json(run(tender(), {"固定": pricing}), "固定")
    # (144000 + 12000 / 12) × 0.95 × 1.06 = 145000 × 0.95 × 1.06 = 146015 every month
    assert set(m["cost"] for m in result["monthly_costs"]) == {"146015.00"}
    assert result["contract_cost"] == "1752180.00"


def test_a_package_and_tiers_apply_to_each_month_alone():
    package = {"model": "monthly_package", "monthly_fee": 100000, "included_inquiries": 60000, "overage_rate": 2}
    tiers = {
        "model": "tiered",
        "basis": "daily",
        "mode": "bracket",
        "tiers": [{"up_to": 3000, "fee": 4000}, {"up_to": None, "rate": "1.5"}],
    }
    result = run(tender(), {"包月": package, "阶梯": tiers})
    # package: 100000 in the 50000-inquiry months; June 100000 + 60000 × 2 = 220000; November 100000 + 140000 × 2
    package_months = bid_json(result, "包月")["monthly_costs"]
    assert (package_months[0]["cost"], package_months[5]["cost"], package_months[10]["cost"]) == (
        "100000.00",
        "220000.00",
        "380000.00",
    )
    # bracket on daily volume × the month's 25 days: 4000 × 25 = 100000; June 4800 × 1.5 × 25 = 180000;
    # November 8000 × 1.5 × 25 = 300000
    tier_months = bid_json(result, "阶梯")["monthly_costs"]
    assert (tier_months[0]["cost"], tier_months[5]["cost"], tier_months[10]["cost"]) == (
        "100000.00",
        "180000.00",
        "300000.00",
    )


def test_work_quantities_of_a_month_price_a_rate_card():
    items = [
        {"id": "chat", "name": "在线咨询", "unit": "件", "monthly_quantity": 50000},
        {"id": "seat", "name": "专席坐席", "unit": "席·月", "monthly_quantity": 2},
    ]
    profile = [{"daily_inquiries": 2000}, {"daily_inquiries": 8000, "work_quantities": {"chat": 200000, "seat": 5}}]
    t = tender(profile, work_items=items, contract_months=2)
    result = bid_json(run(t, {"清单": {"model": "line_items", "prices": {"chat": "1.5", "seat": 6000}}}), "清单")
    # 50000 × 1.5 + 2 × 6000 = 87000; 200000 × 1.5 + 5 × 6000 = 330000
    assert [m["cost"] for m in result["monthly_costs"]] == ["87000.00", "330000.00"]


def test_without_a_profile_the_result_has_no_months():
    t = parse_tender({"scenario": SCENARIO, "criteria": PRICE_ONLY, "min_valid_bids": 1})
    result = bid_json(run(t, {"固定": FIXED}), "固定")
    assert "contract_cost" not in result and "monthly_costs" not in result
    assert "flat_average" not in run(t, {"固定": FIXED}).to_json()


# --------------------------------------------------------------------------- a profile refused


def problems(profile=None, **scenario) -> dict:
    data = {"scenario": {**SCENARIO, **scenario}, "criteria": PRICE_ONLY}
    if profile is not None:
        data["scenario"]["monthly_profile"] = profile
    return {p.path: (p.zh, p.en) for p in validate_tender(data)}


def test_a_profile_must_give_exactly_the_contract_months():
    found = problems(YEAR[:11])
    assert found == {
        "scenario.monthly_profile": (
            "逐月用量应有 12 个月（合同月数 contract_months），实有 11 个月",
            "must give 12 months (contract_months), it gives 11",
        )
    }
    assert problems(YEAR[:11], contract_months=11) == {}


def test_a_profile_conflicts_with_peak_days_per_year_and_volume_scenarios():
    volumes = [{"name": "全年", "daily_inquiries": 2000, "weight": 1}]
    found = problems(YEAR, peak_days_per_year=10, volume_scenarios=volumes)
    assert (
        found["scenario.peak_days_per_year"][1]
        == "'peak_days_per_year' (peak days per year) cannot be given with a monthly profile: the months give them"
    )
    assert (
        found["scenario.volume_scenarios"][1]
        == "'volume_scenarios' (volume scenarios) cannot be given with a monthly profile: the months give them"
    )
    assert len(found) == 2


@pytest.mark.parametrize(
    "entry, path, reason",
    [
        ({"label": "1"}, "scenario.monthly_profile[0].daily_inquiries", "is required"),
        ({"daily_inquiries": -1}, "scenario.monthly_profile[0].daily_inquiries", "must not be negative (-1)"),
        ({"daily_inquiries": 1, "days": -2}, "scenario.monthly_profile[0].days", "must not be negative (-2)"),
        ({"daily_inquiries": 1, "days": 0}, "scenario.monthly_profile[0].days", "a month has at least 1 service day"),
        ({"daily_inquiries": 1, "days": 32}, "scenario.monthly_profile[0].days", "must be at most 31 (got 32)"),
        (
            {"daily_inquiries": 1, "agents_per_shift": -6},
            "scenario.monthly_profile[0].agents_per_shift",
            "must not be negative (-6)",
        ),
        (
            {"daily_inquiries": 1, "cs_sales": -100},
            "scenario.monthly_profile[0].cs_sales",
            "must not be negative (-100)",
        ),
        ({"daily_inquiries": 1, "peak_days": -3}, "scenario.monthly_profile[0].peak_days", "must not be negative (-3)"),
        (
            {"daily_inquiries": 1, "peak_days": 26},
            "scenario.monthly_profile[0].peak_days",
            "26 peak days are more than the month's 25 service days",
        ),
        (
            {"daily_inquiries": 1, "work_quantities": {"phone": 5}},
            "scenario.monthly_profile[0].work_quantities.phone",
            "the scenario has no work item 'phone'",
        ),
        ({"daily_inquiries": 1, "peakdays": 3}, "scenario.monthly_profile[0].peakdays", "unknown key 'peakdays'"),
        ({"daily_inquiries": "many"}, "scenario.monthly_profile[0].daily_inquiries", "must be a number, got 'many'"),
        ("2000", "scenario.monthly_profile[0]", "must be an object"),
    ],
)
def test_a_bad_month_is_refused_with_its_path(entry, path, reason):
    found = problems([entry], contract_months=1)
    assert found[path][1] == reason


def test_every_problem_of_a_profile_is_reported_at_once_and_a_repeated_label_too():
    profile = [{"label": "6月", "daily_inquiries": 1}, {"label": "6月", "daily_inquiries": -1, "days": 0}]
    found = problems(profile, contract_months=3)
    assert set(found) == {
        "scenario.monthly_profile",
        "scenario.monthly_profile[1].label",
        "scenario.monthly_profile[1].daily_inquiries",
        "scenario.monthly_profile[1].days",
    }
    assert found["scenario.monthly_profile[1].label"] == ("月份名称“6月”重复", "month label '6月' is repeated")


def test_a_profile_must_be_a_list():
    assert problems({"1": 2000})["scenario.monthly_profile"][1] == "must be a list"


def test_month_labels_default_to_the_month_number():
    t = tender([{"daily_inquiries": 2000}, {"label": 11, "daily_inquiries": 8000}], contract_months=2)
    assert [entry.label for entry in t.scenario.monthly_profile] == ["1", "11"]


# --------------------------------------------------------------------------- sensitivity over the year


def sensitivity_of(t, priced: dict) -> dict:
    return run(t, priced).to_json()["sensitivity"]


def test_every_month_is_scaled_by_one_factor_and_the_break_even_is_the_average_daily_volume():
    curves = sensitivity_of(tender(), {"保底": MINIMUM, "固定": FIXED})
    # the contract's average daily volume: 820000 inquiries / 300 days = 2733.33
    assert curves["scenario_daily_inquiries"] == "2733.33"
    assert curves["scale_factors"][:4] == ["0.25", "0.50", "0.75", "1.00"]
    assert curves["daily_inquiries"][3] == "2733.33"
    # at f = 1 the curve gives P: 150833.33; at f = 0.25 every month is at its minimum: 117000
    assert (curves["costs"]["保底"][0], curves["costs"]["保底"][3]) == ("117000.00", "150833.33")
    # around f = 0.87 the ten ordinary months sit on the minimum (100000 f < 117000 until f = 1.17)
    # and June and November are above it (240000 f and 400000 f): the year costs
    # 10 × 117000 + 640000 f = 12 × 144000 → f = 558000 / 640000 = 0.871875,
    # i.e. 0.871875 × 820000 / 300 = 2383.125 inquiries a day → 2383.13 (half up)
    assert curves["break_even"] == [
        {"daily_inquiries": "2383.13", "below": "保底", "above": "固定", "monthly_cost": "144000.00"}
    ]
    # the curve bends where each month reaches its minimum: November at f = 117000 / 400000 = 0.2925
    # (799.50 a day on average), June at 0.4875 (1332.50), the other months at 1.17 (3198.00)
    assert curves["curves"]["保底"] == [
        ["683.33", "117000.00"],
        ["799.50", "117000.00"],
        ["1332.50", "123500.00"],
        ["3198.00", "159900.00"],
        ["8200.00", "410000.00"],
    ]


def test_each_months_cs_sales_stay_as_at_the_profile_volume():
    t = tender(cs_sales_per_month=1000000)
    curves = sensitivity_of(t, {"提点": {"model": "commission_only", "commission_rate": "0.05"}})
    # 5 % × 1000000 × 820000 / 50000 / 12 = 5 % × 16400000 / 12 = 68333.33 at every scale
    assert set(curves["costs"]["提点"]) == {"68333.33"}


def test_a_break_even_between_months_minimums_and_a_package_is_exact():
    package = {"model": "monthly_package", "monthly_fee": 110000, "included_inquiries": 60000, "overage_rate": 2}
    t = tender()
    curves = sensitivity_of(t, {"保底": MINIMUM, "包月": package})
    # The package charges 110000 a month plus 2.00 per inquiry beyond 60000 in that month;
    # the minimum quote max(2.00 × inquiries, 117000). Package − minimum, over the year:
    #   f < 0.2925 (all months on the minimum): 1320000 − 1404000 = −84000
    #   0.3 < f < 0.4875: (1200000 + 400000 f) − (1287000 + 400000 f) = −87000
    #   0.5 < f < 1.17: (1080000 + 640000 f) − (1170000 + 640000 f) = −90000
    #   f > 1.2: (1640000 f − 120000) − 1640000 f = −120000 (and in between it stays below 0):
    # the package is the cheapest at every scale, so no break-even.
    assert curves["break_even"] == []
    assert curves["costs"]["包月"][3] == "143333.33"  # (1080000 + 640000) / 12 at f = 1


def test_at_a_reported_break_even_both_years_really_cost_the_same():
    # the package below against a per-inquiry quote with its minimum
    package = {"model": "monthly_package", "monthly_fee": 90000, "included_inquiries": 40000, "overage_rate": "2.5"}
    t = tender()
    curves = sensitivity_of(t, {"保底": MINIMUM, "包月": package})
    assert [(p["below"], p["above"]) for p in curves["break_even"]] == [("包月", "保底")]
    # package at 0.8 < f < 1.17 (all months above 40000): 12 × 90000 + 2.5 × (820000 f − 480000)
    #   = 2050000 f − 120000; minimum: 1170000 + 640000 f → 1410000 f = 1290000 → f = 0.914893…
    f = D(1290000) / D(1410000)
    assert curves["break_even"][0]["daily_inquiries"] == str((f * 820000 / 300).quantize(D("0.01")))  # 2500.71
    scaled = [{**m, "daily_inquiries": m["daily_inquiries"] * f} for m in YEAR]
    again = run(tender(scaled), {"保底": MINIMUM, "包月": package})
    year_cost = {b.vendor: b.year.total for b in again.bids}
    assert abs(year_cost["保底"] - year_cost["包月"]) < D("1e-18")


def test_equal_curves_leave_the_vendor_sorting_first_as_the_cheapest():
    curves = sensitivity_of(tender(), {"Fixed B": FIXED, "Fixed A": FIXED, "保底": MINIMUM})
    # the two fixed quotes cost the same everywhere: the break-even names the one sorting first
    assert [(p["below"], p["above"]) for p in curves["break_even"]] == [("保底", "Fixed A")]
