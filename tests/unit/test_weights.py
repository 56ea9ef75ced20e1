"""The weight what-if (scoring/weights.py) and the registry of objective rules it asks: every
point value of a criterion moves with its weight, so a bid keeps its share of each criterion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.criteria import OBJECTIVE_RULES, objective_score, parse_criteria
from scoring.errors import Problems
from scoring.weights import reweighted

D = Decimal

DEFINITION = {
    "price_method": {"method": "average_deviation", "above_per_pct": "0.5", "below_per_pct": "0.25"},
    "criteria": [
        {"id": "price", "name": "价格", "kind": "price", "weight": 60},
        {
            "id": "projects",
            "name": "同类项目",
            "kind": "objective",
            "weight": 10,
            "rule": "linear",
            "fact": "similar_projects",
            "points_per_unit": 2,
            "cap": 8,
        },
        {
            "id": "response",
            "name": "首次响应",
            "kind": "objective",
            "weight": 10,
            "rule": "steps",
            "fact": "first_response_seconds",
            "steps": [{"at_most": 60, "points": 5}, {"at_most": 30, "points": 10}],
        },
        {"id": "iso", "name": "ISO9001", "kind": "objective", "weight": 5, "rule": "boolean", "fact": "iso9001"},
        {
            "id": "plan",
            "name": "服务方案",
            "kind": "subjective",
            "weight": 15,
            "bands": [{"label": "一档", "min": 0, "max": 6}, {"label": "二档", "min": 6.5, "max": 15}],
        },
    ],
}
PANEL = {"scores": {"Expert 1": {"杭州云客服": {"plan": "12"}}}, "bands": {"杭州云客服": {"plan": "二档"}}}


def criterion(definition: dict, cid: str) -> dict:
    return next(c for c in definition["criteria"] if c["id"] == cid)


def test_each_point_value_moves_with_its_criterion_weight():
    weights = {"price": D(50), "projects": D(20), "response": D(5), "iso": D(10), "plan": D(15)}
    definition, panel = reweighted(DEFINITION, PANEL, weights)
    # linear 10 → 20 is × 2: 2 points a project → 4, cap 8 → 16
    assert criterion(definition, "projects") == {
        **criterion(DEFINITION, "projects"),
        "weight": "20",
        "points_per_unit": "4",
        "cap": "16",
    }
    # steps 10 → 5 is × 0.5: 5 → 2.5 and 10 → 5 points
    assert [s["points"] for s in criterion(definition, "response")["steps"]] == ["2.5", "5"]
    # yes/no 5 → 10: the rule scores the weight itself, nothing else to scale
    assert criterion(definition, "iso") == {**criterion(DEFINITION, "iso"), "weight": "10"}
    # price 60 → 50 is × 5/6: 0.5 → 0.4166… and 0.25 → 0.2083… points off per % of deviation
    assert D(definition["price_method"]["above_per_pct"]) == D("0.5") * 50 / 60
    assert D(definition["price_method"]["below_per_pct"]) == D("0.25") * 50 / 60
    # the subjective criterion keeps its weight: its bands and scores stay as they are
    assert criterion(definition, "plan") == {**criterion(DEFINITION, "plan"), "weight": "15"}
    assert panel == PANEL


def test_a_subjective_weight_scales_the_bands_and_the_evaluators_scores():
    definition, panel = reweighted(DEFINITION, PANEL, {"price": D(55), "plan": D(20)})
    # 15 → 20 is × 4/3: band 6.5–15 → 8.666…–20, Expert 1's 12 → 16
    bands = criterion(definition, "plan")["bands"]
    assert (D(bands[1]["min"]), D(bands[1]["max"])) == (D("6.5") * 20 / 15, D(20))
    assert panel["scores"]["Expert 1"]["杭州云客服"]["plan"] == "16"


def test_a_banded_criterion_set_to_zero_loses_its_bands_and_the_agreed_ones():
    definition, panel = reweighted(DEFINITION, PANEL, {"price": D(75), "plan": D(0)})
    assert "bands" not in criterion(definition, "plan")
    assert panel["bands"] == {"杭州云客服": {}}
    assert panel["scores"]["Expert 1"]["杭州云客服"]["plan"] == "0"  # 12 × 0 / 15


def test_nothing_is_changed_in_place():
    before = repr(DEFINITION), repr(PANEL)
    reweighted(DEFINITION, PANEL, {"price": D(40), "projects": D(30)})
    assert (repr(DEFINITION), repr(PANEL)) == before


def _facts_named(parsed) -> set[str]:
    names = {parsed.fact} if parsed.fact else set()
    return names | {c.fact for step in parsed.steps for c in step.conditions}


def _parse(entry: dict):
    problems = Problems()
    parsed = parse_criteria(
        [
            {"id": "x", "name": "x", **entry},
            {"id": "p", "name": "price", "kind": "price", "weight": 100 - D(str(entry["weight"]))},
        ],
        "criteria",
        problems,
    )
    assert not problems.items, problems.items
    return parsed[0]


@pytest.mark.parametrize("name", list(OBJECTIVE_RULES))
def test_every_objective_rule_keeps_a_bids_share_when_its_weight_moves(name):
    """A new rule in the registry must say which of its values are points: with its example,
    every fact value scores new ÷ old times the points it scored before (here × 7 ÷ 10 and × 3)."""
    example = OBJECTIVE_RULES[name].example
    old = _parse(example)
    facts_named = _facts_named(old)
    assert facts_named, f"the example of {name} scores no fact"
    scored_something = False
    for factor in (D("0.7"), D(3)):
        new_weight = D(str(example["weight"])) * factor
        definition, _panel = reweighted({"criteria": [dict(example, id="x")]}, {}, {"x": new_weight})
        new = _parse({k: v for k, v in definition["criteria"][0].items() if k != "id"})
        for value in (0, 1, 3, 4, 7, 25, 45, 90, 500, True, False, "yes"):
            facts = dict.fromkeys(facts_named, value)
            before, _note = objective_score(old, facts)
            after, _note = objective_score(new, facts)
            assert after == before * factor, (name, value, before, after)
            scored_something = scored_something or before > 0
    assert scored_something, f"the example of {name} never scores: the check would pass vacuously"


@pytest.mark.parametrize("name", list(OBJECTIVE_RULES))
def test_every_objective_rule_says_what_it_does_in_both_languages(name):
    rule = OBJECTIVE_RULES[name]
    described = rule.describe(_parse(rule.example))
    assert described.zh and described.en and described.zh != described.en
    assert rule.label.zh and rule.label.en


def test_the_rules_describe_themselves_with_their_numbers():
    linear, steps, boolean = (_parse(OBJECTIVE_RULES[n].example) for n in ("linear", "steps", "boolean"))
    # linear: 2 points a project, at most min(cap 8, weight 10) = 8
    assert OBJECTIVE_RULES["linear"].describe(linear).en == "similar projects × 2 points, at most 8"
    assert (
        OBJECTIVE_RULES["steps"].describe(steps).zh
        == "首次响应时间承诺（秒） ≤ 60 → 5；首次响应时间承诺（秒） ≤ 30 → 10"
    )
    assert OBJECTIVE_RULES["boolean"].describe(boolean).en == "ISO 9001 certification: yes → 5 points"


# --------------------------------------------------------------------------- crossing a stability bound


def test_a_tried_weight_at_or_beyond_a_stability_bound_is_named_with_its_rival():
    from fractions import Fraction

    from scoring.stability import WeightBound
    from scoring.weights import crossings

    # domain §11's worked example: price high 100/3 (乙), technical low 400/9 (乙), business low 100/9
    bounds = [
        WeightBound("price", D(30), None, Fraction(100, 3), None, "乙公司"),
        WeightBound("technical", D(50), Fraction(400, 9), None, "乙公司", None),
        WeightBound("business", D(20), Fraction(100, 9), None, "乙公司", None),
    ]
    # 33.33 is still below 100/3 = 33.333…: inside; 33.34 is beyond; technical 44 ≤ 44.44…: beyond
    assert crossings(bounds, {"price": D("33.33"), "technical": D("46.67"), "business": D(20)}) == []
    found = crossings(bounds, {"price": D("33.34"), "technical": D(44), "business": D(22)})
    assert [(c.criterion, c.side, c.bound_text, c.rival) for c in found] == [
        ("price", "high", "33.33", "乙公司"),
        ("technical", "low", "44.44", "乙公司"),
    ]
    # exactly at a bound the rival draws level: that is a crossing too (a bound of 10 is exact)
    assert (
        crossings([WeightBound("team", D(15), Fraction(10), None, "丙公司", None)], {"team": D(10)})[0].rival
        == "丙公司"
    )
