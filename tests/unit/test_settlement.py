"""A contract month settled against the KPIs (domain §14), with numbers a reader can check.

The scenario (tests/unit/helpers.py): 800 inquiries a day × 30 days = 24000 a month, 35 %
returning (8400 returning, 15600 new); 6 agents × 2 shifts = 12 agent-shifts; 600000 CNY of
sales by customer service; 4 extra agents on a peak day; 12 contract months. The KPIs are
§14's: 3-minute reply rate ≥ 0.95 (weight 0.5), satisfaction ≥ 0.90 (0.3), conversion
≥ 0.40 (0.2).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace

import pytest

from scoring import InvalidInput
from scoring.pricing import monthly_cost
from scoring.settlement import parse_month, settle
from tests.unit.helpers import make_bid, make_tender

D = Decimal

KPIS = [
    {"id": "reply_3min", "name": "3分钟人工回复率", "direction": "at_least", "target": "0.95", "weight": "0.5"},
    {"id": "satisfaction", "name": "满意度", "direction": "at_least", "target": "0.90", "weight": "0.3"},
    {"id": "conversion", "name": "询单转化率", "direction": "at_least", "target": "0.40", "weight": "0.2"},
]
TERMS = {"at_risk_share": "0.10", "bonus_share": "0.03"}
MISSED_TWO = {"reply_3min": "0.932", "satisfaction": "0.91", "conversion": "0.38"}
ALL_MET = {"reply_3min": "0.96", "satisfaction": "0.91", "conversion": "0.40"}
# A package of 100000 a month with no inquiry limit: the charge is 100000.00 whatever the volume.
PACKAGE = {"model": "monthly_package", "monthly_fee": 100000}


def kpi_tender(payment_terms=TERMS, kpis=KPIS, **changes):
    fields = {"kpis": kpis, **changes}
    if payment_terms is not None:
        fields["payment_terms"] = payment_terms
    return make_tender(**fields)


def month_of(tender, actual=None, kpis=None, label="2027-03", scenario=None):
    data = {"month": label, "actual": actual or {}}
    if kpis is not None:
        data["kpis"] = kpis
    return parse_month(data, kpis=tender.kpis, scenario=scenario or tender.scenario)


def settle_with(pricing, actual=None, kpis=None, tender=None, **tender_changes):
    tender = tender or kpi_tender(**tender_changes)
    bid = make_bid(tender, "甲公司", pricing)
    return settle(tender, bid, month_of(tender, actual, kpis))


# --------------------------------------------------------------------------- §14 worked example


def test_domain_worked_example_two_kpis_missed():
    s = settle_with(PACKAGE, kpis=MISSED_TWO)
    data = s.to_json()
    # at risk 100000 × 0.10 = 10000; reply 0.932 < 0.95 and conversion 0.38 < 0.40 are missed:
    # deduction 10000 × (0.5 + 0.2) = 7000.00; payable 100000 − 7000 = 93000.00, no bonus
    assert (data["charge"], data["at_risk_share"], data["deduction"], data["bonus"], data["payable"]) == (
        "100000.00",
        "0.10",
        "7000.00",
        "0.00",
        "93000.00",
    )
    # each KPI's own: 10000 × 0.5 = 5000.00, met → 0.00, 10000 × 0.2 = 2000.00
    assert [(k["id"], k["target"], k["actual"], k["met"], k["deduction"]) for k in data["kpis"]] == [
        ("reply_3min", "0.95", "0.932", False, "5000.00"),
        ("satisfaction", "0.90", "0.91", True, "0.00"),
        ("conversion", "0.40", "0.38", False, "2000.00"),
    ]
    assert list(data) == ["month", "charge", "breakdown", "at_risk_share", "kpis", "deduction", "bonus", "payable"]
    assert data["month"] == "2027-03"
    assert data["breakdown"] == [
        {
            "label": "包月费",
            "label_en": "monthly fee",
            "formula": "100000.00 元 = 100000.00",
            "formula_en": "100000.00 CNY = 100000.00",
            "amount": "100000.00",
        }
    ]


def test_domain_worked_example_all_met_earns_the_bonus():
    s = settle_with(PACKAGE, kpis=ALL_MET)
    # nothing deducted; bonus 100000 × 0.03 = 3000.00; payable 103000.00
    assert (s.to_json()["deduction"], s.to_json()["bonus"], s.to_json()["payable"]) == ("0.00", "3000.00", "103000.00")
    assert all(k["met"] for k in s.to_json()["kpis"])


def test_a_kpi_exactly_at_its_target_is_met():
    s = settle_with(PACKAGE, kpis={"reply_3min": "0.95", "satisfaction": "0.9", "conversion": "0.400"})
    # 0.95 ≥ 0.95, 0.9 ≥ 0.90, 0.400 ≥ 0.40: all met → bonus 3000, payable 103000.00
    assert [k.met for k in s.kpis] == [True, True, True]
    assert s.to_json()["payable"] == "103000.00"


def test_a_kpi_not_reported_is_not_met_and_blocks_the_bonus():
    # conversion left out, satisfaction given as null: both not reported;
    # deduction 10000 × (0.3 + 0.2) = 5000.00, payable 95000.00, no bonus
    s = settle_with(PACKAGE, kpis={"reply_3min": "0.97", "satisfaction": None})
    data = s.to_json()
    assert [(k["id"], k["actual"], k["met"], k["deduction"]) for k in data["kpis"]] == [
        ("reply_3min", "0.97", True, "0.00"),
        ("satisfaction", None, False, "3000.00"),
        ("conversion", None, False, "2000.00"),
    ]
    assert (data["deduction"], data["bonus"], data["payable"]) == ("5000.00", "0.00", "95000.00")


def test_at_most_kpis_are_met_at_or_below_their_target():
    kpis = [
        {"id": "complaints", "name": "投诉率", "direction": "at_most", "target": "0.02", "weight": "0.6"},
        {"id": "handle_seconds", "name": "平均处理时长（秒）", "direction": "at_most", "target": 180, "weight": "0.4"},
    ]
    tender = kpi_tender(kpis=kpis)
    # 0.02 ≤ 0.02 met; 181 > 180 missed: 10000 × 0.4 = 4000.00 → 96000.00
    s = settle_with(PACKAGE, kpis={"complaints": "0.02", "handle_seconds": 181}, tender=tender)
    assert [k.met for k in s.kpis] == [True, False]
    assert (s.to_json()["deduction"], s.to_json()["payable"]) == ("4000.00", "96000.00")
    # 0.021 > 0.02 missed; 150 ≤ 180 met: 10000 × 0.6 = 6000.00 → 94000.00
    s = settle_with(PACKAGE, kpis={"complaints": "0.021", "handle_seconds": 150}, tender=tender)
    assert [k.met for k in s.kpis] == [False, True]
    assert s.to_json()["payable"] == "94000.00"


def test_the_bids_kpi_holdback_overrides_the_tenders_at_risk_share():
    pricing = {"model": "fixed_per_agent", "monthly_per_agent": 5000, "kpi_holdback": "0.15"}
    s = settle_with(pricing, kpis=MISSED_TWO, scenario={"peak_days_per_year": 0})
    # charge 5000 × 12 agent-shifts = 60000; at risk 60000 × 0.15 = 9000 (not 0.10);
    # deduction 9000 × 0.7 = 6300.00; payable 53700.00
    data = s.to_json()
    assert (data["charge"], data["at_risk_share"], data["deduction"], data["payable"]) == (
        "60000.00",
        "0.15",
        "6300.00",
        "53700.00",
    )
    assert s.at_risk_source == "bid"


def test_a_holdback_may_come_with_any_model_and_never_changes_the_price():
    pricing = {"model": "per_inquiry", "new_rate": "2.5", "returning_rate": "1.5", "kpi_holdback": "0.2"}
    tender = kpi_tender(scenario=NO_PEAK)
    bid = make_bid(tender, "甲公司", pricing)
    # evaluated as without it: 15600 × 2.50 + 8400 × 1.50 = 51600.00
    assert monthly_cost(bid.pricing, tender.scenario).monthly_cost == D("51600.00")
    s = settle(tender, bid, month_of(tender, {}, MISSED_TWO))
    # at risk 51600 × 0.20 = 10320; × (0.5 + 0.2) = 7224.00 → 44376.00
    assert (s.to_json()["at_risk_share"], s.to_json()["deduction"], s.to_json()["payable"]) == (
        "0.20",
        "7224.00",
        "44376.00",
    )


def test_the_tenders_reference_pricing_holds_nothing_back():
    problems = tender_problems(reference_pricing={"model": "per_inquiry", "new_rate": 2, "kpi_holdback": "0.1"})
    assert problems == [("reference_pricing.kpi_holdback", "未知字段“kpi_holdback”", "unknown key 'kpi_holdback'")]


def test_without_holdback_or_payment_terms_nothing_is_at_risk():
    s = settle_with(PACKAGE, kpis=MISSED_TWO, payment_terms=None)
    # at-risk share 0: KPIs missed cost nothing; no bonus share agreed
    data = s.to_json()
    assert (data["at_risk_share"], data["deduction"], data["bonus"], data["payable"]) == (
        "0.00",
        "0.00",
        "0.00",
        "100000.00",
    )
    assert [k["met"] for k in data["kpis"]] == [False, True, False]


def test_bonus_only_when_every_kpi_is_met():
    # one KPI missed (conversion 0.39): deduction 10000 × 0.2 = 2000; no bonus → 98000.00
    s = settle_with(PACKAGE, kpis={**ALL_MET, "conversion": "0.39"})
    assert (s.to_json()["bonus"], s.to_json()["payable"]) == ("0.00", "98000.00")
    # all met but no bonus share agreed: payable is the charge
    s = settle_with(PACKAGE, kpis=ALL_MET, payment_terms={"at_risk_share": "0.10"})
    assert (s.to_json()["bonus"], s.to_json()["payable"]) == ("0.00", "100000.00")


def test_payable_comes_from_the_unrounded_parts():
    # charge 100.005 → shown 100.01; at risk 10.0005; deduction × 0.7 = 7.00035 → 7.00;
    # payable 100.005 − 7.00035 = 93.00465 → 93.00, not the rounded parts' 100.01 − 7.00 = 93.01
    s = settle_with({"model": "monthly_package", "monthly_fee": "100.005"}, kpis=MISSED_TWO)
    data = s.to_json()
    assert (data["charge"], data["deduction"], data["payable"]) == ("100.01", "7.00", "93.00")
    # each KPI's own deduction: 10.0005 × 0.5 = 5.00025 → 5.00; 10.0005 × 0.2 = 2.0001 → 2.00
    assert [k["deduction"] for k in data["kpis"]] == ["5.00", "0.00", "2.00"]


# --------------------------------------------------------------------------- the month's charge

NO_PEAK = {"peak_days_per_year": 0}
AS_SCENARIO = {
    "daily_inquiries": 800,
    "days": 30,
    "returning_share": "0.35",
    "cs_sales": 600000,
    "agents_per_shift": 6,
    "peak_days": 0,
}


@pytest.mark.parametrize(
    "pricing",
    [
        {"model": "per_inquiry", "new_rate": "2.5", "returning_rate": "1.5", "minimum_per_agent_shift": 3000},
        {"model": "per_inquiry", "new_rate": "0.68", "minimum_per_agent_shift": 3000},
        {"model": "fixed_per_agent", "monthly_per_agent": 5200, "discount_rate": "0.05"},
        {"model": "base_plus_commission", "base_per_agent": 1500, "commission_rate": "0.02"},
        {"model": "daily_fee_plus_commission", "daily_fee_per_agent": 33, "commission_rate": "0.02"},
        {"model": "commission_only", "commission_rate": "0.05", "tax_included": False},
        {
            "model": "tiered",
            "basis": "daily",
            "mode": "graduated",
            "tiers": [{"up_to": 500, "rate": 2}, {"up_to": None, "rate": "1.8"}],
        },
        {
            "model": "tiered",
            "basis": "monthly",
            "mode": "bracket",
            "tiers": [{"up_to": 15000, "fee": 30000}, {"up_to": None, "rate": "2.3"}],
        },
        {"model": "monthly_package", "monthly_fee": 30000, "included_inquiries": 20000, "overage_rate": "1.2"},
        {"model": "daily_rate", "rate_per_agent_day": 200, "peak_rate_per_agent_day": 220},
        {"model": "hourly_rate", "rate_per_agent_hour": 25, "one_time_fees": [{"label": "培训费", "amount": 6000}]},
    ],
)
@pytest.mark.parametrize("actual", [AS_SCENARIO, {}], ids=["actuals-given", "actuals-left-out"])
def test_the_months_charge_is_the_engines_monthly_cost_when_the_month_is_the_scenario(pricing, actual):
    tender = kpi_tender(scenario=NO_PEAK)
    bid = make_bid(tender, "甲公司", pricing)
    s = settle(tender, bid, month_of(tender, actual, MISSED_TWO))
    expected = monthly_cost(bid.pricing, tender.scenario)
    assert s.charge == expected.total
    assert [line.amount for line in s.cost.lines if line.amount] == [
        line.amount for line in expected.lines if line.amount
    ]


def test_per_inquiry_minimum_applies_to_the_month_alone():
    pricing = {"model": "per_inquiry", "new_rate": "2.5", "returning_rate": "1.5", "minimum_per_agent_shift": 3000}
    # a quiet month: 400 × 30 = 12000 inquiries → 7800 × 2.50 + 4200 × 1.50 = 25800 < minimum
    # 3000 × 12 agent-shifts = 36000 → the month's charge is the minimum
    quiet = settle_with(pricing, {"daily_inquiries": 400, "peak_days": 0})
    assert quiet.charge == D("36000")
    assert quiet.cost.lines[0].label == "保底"
    # the same quiet month with 4 agents a shift: minimum 3000 × 8 = 24000 < 25800 → per inquiry
    fewer = settle_with(pricing, {"daily_inquiries": 400, "agents_per_shift": 4})
    assert fewer.charge == D("25800")


def test_cs_sales_left_out_follow_the_months_inquiries():
    # 1000 × 30 = 30000 inquiries; CS sales 600000 × 30000 / 24000 = 750000;
    # 1500 × 12 = 18000 + 2 % × 750000 = 15000 → 33000.00
    s = settle_with(
        {"model": "base_plus_commission", "base_per_agent": 1500, "commission_rate": "0.02"}, {"daily_inquiries": 1000}
    )
    assert s.to_json()["charge"] == "33000.00"
    # given, they are used as they are: 18000 + 2 % × 640000 = 30800.00
    s = settle_with(
        {"model": "base_plus_commission", "base_per_agent": 1500, "commission_rate": "0.02"},
        {"daily_inquiries": 1000, "cs_sales": 640000},
    )
    assert s.to_json()["charge"] == "30800.00"


WORK_ITEMS = [
    {"id": "chat", "name": "在线咨询", "unit": "件", "monthly_quantity": 24000},
    {"id": "ticket", "name": "售后工单", "unit": "单", "monthly_quantity": 3000},
    {"id": "seat", "name": "专席坐席", "unit": "席·月", "monthly_quantity": 2},
]


def test_rate_card_priced_with_the_months_work_quantities():
    tender = kpi_tender(scenario={"work_items": WORK_ITEMS, **NO_PEAK})
    pricing = {"model": "line_items", "prices": {"chat": "1.5", "ticket": 9, "seat": 6500}}
    # chat 26000 × 1.50 = 39000; ticket 2800 × 9 = 25200; seat left out: 2 × 6500 = 13000 → 77200.00
    s = settle_with(pricing, {"work_quantities": {"chat": 26000, "ticket": 2800}}, tender=tender)
    assert [line.amount for line in s.cost.lines] == [D("39000.0"), D("25200"), D("13000")]
    assert s.to_json()["charge"] == "77200.00"
    assert s.cost.lines[0].formula == "26000 件 × 1.50 元 = 39000.00"


def test_reference_discount_priced_on_the_months_volume():
    tender = kpi_tender(scenario=NO_PEAK, reference_pricing={"model": "per_inquiry", "new_rate": 2})
    # reference: 900 × 31 = 27900 inquiries × 2.00 = 55800; discount 8 % → 55800 × 0.92 = 51336.00
    s = settle_with(
        {"model": "reference_discount", "discount_rate": "0.08"}, {"daily_inquiries": 900, "days": 31}, tender=tender
    )
    assert s.to_json()["charge"] == "51336.00"
    assert [line.label for line in s.cost.lines] == ["参考价 · 按咨询量计件", "折扣"]


def test_one_time_fees_are_spread_over_the_contract_months_and_the_months_peak_days_priced():
    pricing = {
        "model": "fixed_per_agent",
        "monthly_per_agent": 5000,
        "peak_rate_per_agent_day": 200,
        "one_time_fees": [{"label": "系统对接费", "amount": 6000}, {"label": "岗前培训费", "amount": 6000}],
    }
    # 5000 × 12 = 60000; (6000 + 6000) ÷ 12 months = 1000; this month's 2 peak days:
    # 200 × 4 extra agents × 2 days = 1600 → 62600.00
    s = settle_with(pricing, {"peak_days": 2})
    assert [line.amount for line in s.cost.lines] == [D(60000), D(1000), D(1600)]
    assert s.cost.lines[1].formula == "(系统对接费 6000.00 元 + 岗前培训费 6000.00 元) ÷ 12 月 = 1000.00"
    assert s.cost.lines[2].formula == "200.00 元/人/天 × 4 人 × 2 天 = 1600.00"
    assert s.to_json()["charge"] == "62600.00"


def test_the_final_offer_is_the_winning_pricing_and_the_holdback_carries_over():
    tender = kpi_tender(scenario=NO_PEAK)
    first = make_bid(tender, "甲公司", {"model": "fixed_per_agent", "monthly_per_agent": 5200, "kpi_holdback": "0.2"})
    final = make_bid(tender, "甲公司", {"model": "fixed_per_agent", "monthly_per_agent": 5000}).pricing
    bid = SimpleNamespace(vendor="甲公司", pricing=first.pricing, final_pricing=final)
    s = settle(tender, bid, month_of(tender, {}, MISSED_TWO))
    # final offer 5000 × 12 = 60000 (not 5200 × 12 = 62400); holdback 0.20 from the first offer:
    # at risk 12000 × 0.7 = 8400.00 → 51600.00
    data = s.to_json()
    assert (data["charge"], data["at_risk_share"], data["deduction"], data["payable"]) == (
        "60000.00",
        "0.20",
        "8400.00",
        "51600.00",
    )


def test_a_scenario_given_explicitly_replaces_the_tenders():
    tender = kpi_tender(scenario=NO_PEAK)
    bid = make_bid(tender, "甲公司", {"model": "fixed_per_agent", "monthly_per_agent": 5000})
    half = replace(tender.scenario, agents_per_shift=D(3))
    # a winner's share of the seats: 3 agents × 2 shifts = 6 agent-shifts × 5000 = 30000.00
    s = settle(tender, bid, month_of(tender, {}, ALL_MET, scenario=half), scenario=half)
    assert s.to_json()["charge"] == "30000.00"
    assert s.to_json()["payable"] == "30900.00"  # + bonus 30000 × 0.03 = 900


# --------------------------------------------------------------------------- validation


def tender_problems(**changes) -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidInput) as caught:
        make_tender(**changes)
    return [(p.path, p.zh, p.en) for p in caught.value.problems]


def test_kpi_weights_must_sum_to_exactly_one():
    kpis = [dict(KPIS[0]), dict(KPIS[1]), {**KPIS[2], "weight": "0.1"}]
    assert tender_problems(kpis=kpis) == [
        ("kpis", "各 KPI 权重之和应为 1，实为 0.9", "the KPI weights must sum to 1, they sum to 0.9")
    ]


def test_a_kpi_needs_a_known_direction():
    kpis = [{**KPIS[0], "direction": "above"}, {k: v for k, v in KPIS[1].items() if k != "direction"}, KPIS[2]]
    assert tender_problems(kpis=kpis) == [
        (
            "kpis[0].direction",
            "考核方向应为 at_least（不低于目标）或 at_most（不高于目标），实为 'above'",
            "must be at_least or at_most, got 'above'",
        ),
        (
            "kpis[1].direction",
            "缺少考核方向（at_least 不低于目标 / at_most 不高于目标）",
            "is required (at_least or at_most the target)",
        ),
    ]


def test_kpi_ids_unique_targets_not_negative_and_unknown_keys_refused():
    kpis = [KPIS[0], {**KPIS[1], "id": "reply_3min", "target": "-0.1", "goal": 1}, KPIS[2]]
    paths = [p[0] for p in tender_problems(kpis=kpis)]
    assert paths == ["kpis[1].goal", "kpis[1].target", "kpis[1].id"]


def test_payment_terms_shares_lie_in_zero_to_one_and_need_kpis():
    problems = tender_problems(kpis=KPIS, payment_terms={"at_risk_share": "1.5", "bonus_share": "-0.01", "cap": 1})
    assert problems == [
        ("payment_terms.cap", "未知字段“cap”", "unknown key 'cap'"),
        ("payment_terms.at_risk_share", "不能大于 1（实为 1.5）", "must be at most 1 (got 1.5)"),
        ("payment_terms.bonus_share", "不能为负数（-0.01）", "must not be negative (-0.01)"),
    ]
    assert tender_problems(payment_terms=TERMS) == [
        (
            "kpis",
            "给出了履约考核付款条款（payment_terms），但未列出考核的 KPI",
            "payment_terms are given but no KPIs to settle them against",
        )
    ]


def month_problems(data, tender=None) -> list[tuple[str, str]]:
    tender = tender or kpi_tender(scenario={"work_items": WORK_ITEMS})
    with pytest.raises(InvalidInput) as caught:
        parse_month(data, kpis=tender.kpis, scenario=tender.scenario)
    return [(p.path, p.en) for p in caught.value.problems]


def test_month_json_unknown_kpi_id_is_refused_naming_the_kpis_there_are():
    assert month_problems({"month": "2027-03", "kpis": {"reply_rate": "0.9"}}) == [
        ("kpis.reply_rate", "the tender has no KPI 'reply_rate' (it lists: conversion, reply_3min, satisfaction)")
    ]


def test_month_json_negative_values_and_every_other_problem_at_once():
    problems = month_problems(
        {
            "actual": {
                "daily_inquiries": -5,
                "days": 32,
                "returning_share": "1.2",
                "peak_days": 3,
                "seats": 4,
                "work_quantities": {"chat": -1, "email": 10},
            },
            "kpis": {"satisfaction": "-0.1"},
            "notes": "",
        }
    )
    assert problems == [
        ("notes", "unknown key 'notes'"),
        ("month", "is required"),
        ("actual.seats", "unknown key 'seats'"),
        ("actual.daily_inquiries", "must not be negative (-5)"),
        ("actual.days", "must be at most 31 (got 32)"),
        ("actual.returning_share", "must be at most 1 (got 1.2)"),
        ("actual.work_quantities.chat", "must not be negative (-1)"),
        ("actual.work_quantities.email", "the scenario has no work item 'email'"),
        ("kpis.satisfaction", "must not be negative (-0.1)"),
    ]


def test_month_json_more_peak_days_than_days_is_refused():
    assert month_problems({"month": "2027-02", "actual": {"days": 28, "peak_days": 29}}) == [
        ("actual.peak_days", "29 peak days are more than the month's 28 service days")
    ]
