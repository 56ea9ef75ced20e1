"""Warnings on a tender (scoring.advice): they point at what cannot separate the bids, a
price weight outside 10–30 for services, a bidding period under 20 days."""

from __future__ import annotations

import datetime as dt

from scoring.advice import bidding_period_advice, criteria_advice, price_weight_advice, tender_advice

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
RESPONSE = {
    "id": "response",
    "name": "首次响应时间承诺",
    "name_en": "First response",
    "kind": "objective",
    "weight": 10,
    "rule": "steps",
    "fact": "first_response_seconds",
    "steps": [{"at_most": 60, "points": 5}, {"at_most": 30, "points": 10}],
}


def tender(**changes) -> dict:
    return {
        "criteria": [
            {"id": "price", "name": "价格", "kind": "price", "weight": 30},
            RESPONSE,
            {"id": "plan", "name": "服务方案", "kind": "subjective", "weight": 60},
        ],
        "quality_requirements": {"first_response_seconds_max": 300},
        **changes,
    }


def test_steps_beyond_the_quality_requirement_separate_the_bids():
    # required within 300 s; the steps are 60 s and 30 s: a bid may answer in 120 s and score 0
    assert criteria_advice(tender()) == []


def test_a_step_every_conforming_bid_reaches_is_pointed_out():
    # required within 45 s: "≤ 60 s: 5 points" is reached by all, "≤ 30 s: 10 points" is not
    advice = criteria_advice(tender(quality_requirements={"first_response_seconds_max": 45}))
    assert [a.path for a in advice] == ["criteria[1].steps[0]"]
    assert "“不高于 60 得 5 分”人人都能达到" in advice[0].text.zh
    assert "already demands first response time commitment (seconds) at most 45" in advice[0].text.en


def test_a_criterion_whose_every_step_is_demanded_cannot_separate_the_bids():
    # required within 30 s: both steps are reached, every conforming bid scores the full 10
    advice = criteria_advice(tender(quality_requirements={"first_response_seconds_max": 30}))
    assert [a.path for a in advice] == ["criteria[1].steps"]
    assert "不能区分投标" in advice[0].text.zh and "都得 10 分" in advice[0].text.zh


def test_a_mandatory_qualification_rule_counts_as_a_demand_too():
    experience = {
        "id": "exp",
        "name": "同类项目",
        "kind": "objective",
        "weight": 10,
        "rule": "steps",
        "fact": "similar_projects",
        "steps": [{"at_least": 2, "points": 5}, {"at_least": 5, "points": 10}],
    }
    rules = [{"fact": "similar_projects", "op": ">=", "value": 3}]
    advice = criteria_advice({"criteria": [experience], "qualification_rules": rules})
    assert [a.path for a in advice] == ["criteria[0].steps[0]"]  # ≥ 2 is reached by every bid with ≥ 3
    optional = [{**rules[0], "mandatory": False}]
    assert criteria_advice({"criteria": [experience], "qualification_rules": optional}) == []


def test_a_yes_or_no_criterion_on_a_fact_already_required_cannot_separate_the_bids():
    iso = {"id": "iso", "name": "ISO认证", "kind": "objective", "weight": 5, "rule": "boolean", "fact": "iso9001"}
    advice = criteria_advice(
        {"criteria": [iso], "qualification_rules": [{"fact": "iso9001", "op": "==", "value": True}]}
    )
    assert [a.path for a in advice] == ["criteria[0]"]


def test_a_price_weight_outside_10_to_30_is_pointed_out():
    assert price_weight_advice(tender()) == []
    for weight in (10, 30):
        assert price_weight_advice({"criteria": [{"kind": "price", "weight": weight}]}) == []
    advice = price_weight_advice({"criteria": [{"kind": "price", "weight": 40}]})
    assert advice[0].path == "criteria[0].weight" and "40" in advice[0].text.zh and "10–30" in advice[0].text.en
    assert price_weight_advice({"criteria": [{"kind": "price", "weight": "9.5"}]})


def test_a_bidding_period_shorter_than_20_days_is_pointed_out():
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)
    # 19 days and 8 hours (Dec 1 09:00 → Dec 20 17:00): short
    advice = bidding_period_advice({"bid_deadline": "2026-12-20T17:00:00+08:00"}, start)
    assert advice[0].path == "bid_deadline" and "19.3 天" in advice[0].text.zh
    # exactly 20 days: enough
    assert bidding_period_advice({"bid_deadline": "2026-12-21T09:00:00+08:00"}, start) == []
    assert bidding_period_advice({}, start) == []
    assert bidding_period_advice({"bid_deadline": "soon"}, start) == []  # the validation names it


def test_unreadable_parts_are_left_to_the_validation():
    odd = {
        "criteria": [{"kind": "price", "weight": "lots"}, {"kind": "objective", "rule": "steps", "steps": "x"}],
        "quality_requirements": {"first_response_seconds_max": "fast"},
        "qualification_rules": ["x"],
    }
    assert tender_advice(odd, dt.datetime(2026, 12, 1, tzinfo=SHANGHAI)) == []
