"""Validation of a tender definition: every problem at once, each with its path and reason."""

import pytest

from scoring import validate_tender
from scoring.errors import Problems
from scoring.scenario import parse_scenario
from tests.unit.helpers import tender_dict


def problems_of(data) -> dict:
    return {p.path: (p.zh, p.en) for p in validate_tender(data)}


def test_a_valid_tender_has_no_problems():
    assert validate_tender(tender_dict()) == []


def test_every_problem_is_reported_at_once_with_path_and_both_languages():
    data = tender_dict(
        scenario={"daily_inquiries": -5, "returning_share": "1.2"},
        criteria=[
            {"id": "price", "name": "价格", "kind": "price", "weight": 30},
            {"id": "plan", "name": "方案", "kind": "subjective", "weight": 50, "aggregate": "median"},
            {"id": "x", "name": "X", "kind": "objective", "weight": 10, "rule": "logistic", "fact": "f"},
        ],
        qualification_rules=[{"fact": "registered_capital", "op": ">", "value": 1}],
        bid_deadline="2026-12-20T17:00:00+08:00",
        opening_time="2026-12-20T16:00:00+08:00",
        published_at="2026-12-21T09:00:00+08:00",
        titel="typo",
    )
    found = problems_of(data)
    assert found["scenario.daily_inquiries"][1] == "must not be negative (-5)"
    assert found["scenario.returning_share"][1] == "must be at most 1 (got 1.2)"
    assert found["criteria"][1] == "the criteria weights must sum to 100, they sum to 90"
    assert "unknown aggregate 'median'" in found["criteria[1].aggregate"][1]
    assert "unknown rule 'logistic'" in found["criteria[2].rule"][1]
    assert "unknown op '>'" in found["qualification_rules[0].op"][1]
    assert found["opening_time"] == ("开标时间早于投标截止时间", "the opening time is before the bid deadline")
    assert found["bid_deadline"][1] == "the bid deadline is not after publication"
    assert found["titel"] == ("未知字段“titel”", "unknown key 'titel'")
    assert len(found) == 9


@pytest.mark.parametrize(
    "changes, path, reason",
    [
        (
            {"reference_pricing": {"model": "commission_only", "commission_rate": 2}},
            "reference_pricing.commission_rate",
            "must be at most 1 (got 2)",
        ),
        (
            {"reference_pricing": {"model": "tiered", "tiers": [{"up_to": None, "rate": 1}, {"up_to": 10, "rate": 1}]}},
            "reference_pricing.tiers[0].up_to",
            "only the last tier may be unbounded",
        ),
        ({"reference_pricing": {"model": "per_inquiry"}}, "reference_pricing.new_rate", "'new_rate' is required"),
        ({"unit_price_ceilings": {"phone": 2}}, "unit_price_ceilings.phone", "the scenario has no work item 'phone'"),
        ({"award": {"winners": 2, "shares": [0.5, 0.4]}}, "award.shares", "the shares must sum to 1, they sum to 0.9"),
        ({"award": {"winners": 2, "shares": [1]}}, "award.shares", "1 shares for 2 winners"),
        (
            {
                "scenario": {
                    "volume_scenarios": [
                        {"name": "淡季", "daily_inquiries": 500, "weight": 0.5},
                        {"name": "旺季", "daily_inquiries": 1500, "weight": 0.4},
                    ]
                }
            },
            "scenario.volume_scenarios",
            "the weights must sum to 1, they sum to 0.9",
        ),
        (
            {
                "criteria": [
                    {"id": "price", "name": "价格", "kind": "price", "weight": 50},
                    {
                        "id": "plan",
                        "name": "方案",
                        "kind": "subjective",
                        "weight": 50,
                        "bands": [{"label": "一档", "min": 0, "max": 20}, {"label": "二档", "min": 20, "max": 60}],
                    },
                ]
            },
            "criteria[1].bands",
            "bands '一档' and '二档' overlap",
        ),
        (
            {
                "criteria": [
                    {"id": "price", "name": "价格", "kind": "price", "weight": 50},
                    {
                        "id": "plan",
                        "name": "方案",
                        "kind": "subjective",
                        "weight": 50,
                        "bands": [{"label": "一档", "min": 0, "max": 60}],
                    },
                ]
            },
            "criteria[1].bands[0].max",
            "band max 60 exceeds the criterion's weight 50",
        ),
        (
            {
                "criteria": [
                    {"id": "price", "name": "价格", "kind": "price", "weight": 90},
                    {
                        "id": "r",
                        "name": "响应",
                        "kind": "objective",
                        "weight": 10,
                        "rule": "steps",
                        "fact": "first_response_seconds",
                        "steps": [{"at_most": 60, "points": 15}],
                    },
                ]
            },
            "criteria[1].steps[0].points",
            "points 15 exceed the criterion's weight 10",
        ),
        (
            {
                "criteria": [{"id": "price", "name": "价格", "kind": "price", "weight": 100}],
                "price_method": {"method": "median"},
            },
            "price_method.method",
            "unknown price method 'median'",
        ),
        ({"bid_deadline": "20 Dec 2026"}, "bid_deadline", "must be a time such as 2026-12-20T17:00:00+08:00"),
        ({"min_valid_bids": 0}, "min_valid_bids", "must be at least 1"),
        ({"challenge_days": 0}, "challenge_days", "must be at least 1"),
        ({"challenge_days": 2.5}, "challenge_days", "whole number"),
        ({"challenge_days": 45}, "challenge_days", "must be at most 30"),
    ],
)
def test_each_mistake_is_named_by_its_path(changes, path, reason):
    scenario = {"work_items": [{"id": "chat", "name": "在线咨询", "unit": "件", "monthly_quantity": 1000}]}
    scenario.update(changes.pop("scenario", {}))
    found = problems_of(tender_dict(scenario=scenario, **changes))
    assert path in found, found
    assert reason in found[path][1]


def test_missing_scenario_and_criteria_are_required():
    found = problems_of({})
    assert found["scenario"][1] == "the workload scenario is required"
    assert found["criteria"][1] == "criteria are required"


def test_scenario_derived_figures():
    problems = Problems()
    scenario = parse_scenario(
        {
            "days_per_month": 30,
            "daily_inquiries": 800,
            "returning_share": "0.35",
            "agents_per_shift": 6,
            "shifts_per_day": 2,
        },
        "scenario",
        problems,
    )
    assert not problems
    assert (
        scenario.agent_shifts,
        scenario.monthly_inquiries,
        scenario.returning_inquiries,
        scenario.new_inquiries,
    ) == (12, 24000, 8400, 15600)


def test_the_challenge_period_is_seven_working_days_unless_the_tender_says_otherwise():
    from scoring import parse_tender

    assert parse_tender(tender_dict()).challenge_days == 7
    assert parse_tender(tender_dict(challenge_days=5)).challenge_days == 5
