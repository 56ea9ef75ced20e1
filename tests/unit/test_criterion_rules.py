"""One registry of objective rules (scoring.criteria.OBJECTIVE_RULES): a rule added there is
read, scored, announced in the public notice, read as a fact by the price sheet and scaled by
the weight what-if, with no other module touched (its form widget aside)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring import criteria
from scoring.criteria import OBJECTIVE_RULES, ObjectiveRule, Parameter, objective_score, parse_criteria
from scoring.errors import Problems
from scoring.notice import how_scored
from scoring.text import Text
from scoring.weights import reweighted
from tender.documents.layout import extra_facts

D = Decimal


def _threshold_score(criterion, facts):
    """Full weight when the fact reaches the criterion's ``cap`` (a threshold here), else 0."""
    value = criterion.fact and facts.get(criterion.fact)
    reached = value is not None and D(str(value)) >= criterion.cap
    points = criterion.weight if reached else D(0)
    return points, lambda: Text(f"→ {points} 分", f"→ {points} points")


THRESHOLD = ObjectiveRule(
    "threshold",
    Text("达标", "threshold"),
    True,
    "number",
    (Parameter("cap"),),
    _threshold_score,
    lambda c: Text(f"{c.fact} ≥ {c.cap} 得 {c.weight} 分", f"{c.fact} ≥ {c.cap}: {c.weight} points"),
    lambda c: Text(
        f"{c.fact}达到 {c.cap} 得 {c.weight} 分，否则 0 分", f"{c.fact} at least {c.cap}: {c.weight} points, else 0"
    ),
    lambda entry: [(entry.get("fact"), "number")],
    lambda entry, factor: None,  # its only point value is the weight itself
    {"kind": "objective", "weight": 6, "rule": "threshold", "fact": "night_agents", "cap": 4},
)


@pytest.fixture
def threshold_rule(monkeypatch):
    monkeypatch.setitem(OBJECTIVE_RULES, "threshold", THRESHOLD)
    return THRESHOLD


def _criterion(entry: dict):
    """The criterion parsed alone, and its problems (but the weights' sum, which is not 100 here)."""
    problems = Problems()
    parsed = parse_criteria([{"id": "night", "name": "夜班坐席", **entry}], "criteria", problems)
    return parsed, [p for p in problems.items if p.path != "criteria"]


def test_a_rule_added_to_the_registry_is_read_scored_announced_and_scaled(threshold_rule):
    (night,), problems = _criterion(threshold_rule.example)
    assert not problems
    assert (night.rule, night.fact, night.cap, night.weight) == ("threshold", "night_agents", D(4), D(6))
    # 4 night agents reach the threshold of 4: all 6 points; 3 do not: 0
    assert objective_score(night, {"night_agents": 4})[0] == D(6)
    assert objective_score(night, {"night_agents": 3})[0] == D(0)
    # the public notice says it in the rule's own words
    assert how_scored(night, tender=None).en == "night_agents at least 4: 6 points, else 0"
    # the price sheet asks for the fact as a number
    assert extra_facts({"criteria": [dict(threshold_rule.example, id="night")]}) == {"night_agents": "number"}
    # the what-if moves its weight 6 → 9; 4 agents now score 9
    definition, _panel = reweighted({"criteria": [dict(threshold_rule.example, id="night")]}, {}, {"night": D(9)})
    (scaled,), _problems = _criterion({k: v for k, v in definition["criteria"][0].items() if k != "id"})
    assert objective_score(scaled, {"night_agents": 4})[0] == D(9)


def test_a_registered_rule_still_refuses_a_criterion_without_its_parameters(threshold_rule):
    _parsed, problems = _criterion({"kind": "objective", "weight": 6, "rule": "threshold", "fact": "night_agents"})
    assert [p.path for p in problems] == ["criteria[0].cap"]


@pytest.mark.parametrize("name", list(OBJECTIVE_RULES))
def test_every_rule_announces_itself_and_names_the_facts_it_reads(name):
    rule = OBJECTIVE_RULES[name]
    (parsed,), problems = _criterion(rule.example)
    assert not problems
    announced = how_scored(parsed, tender=None)
    assert announced.zh and announced.en and announced.zh != announced.en
    assert [fact for fact, _kind in rule.facts(rule.example)] == [rule.example["fact"]]


def test_the_notice_words_of_the_three_rules_are_unchanged():
    linear, steps, boolean = (_criterion(OBJECTIVE_RULES[n].example)[0][0] for n in ("linear", "steps", "boolean"))
    # linear: 2 points a project, at most min(cap 8, weight 10) = 8
    assert how_scored(linear, None).zh == "同类项目数量：每 1 得 2 分，最高 8 分"
    assert how_scored(steps, None).en == (
        "first response time commitment (seconds) ≤ 60: 5 points; first "
        "response time commitment (seconds) ≤ 30: 10 points (the highest step reached counts)"
    )
    assert how_scored(boolean, None).zh == "ISO 9001 质量管理体系认证：具备得 5 分，不具备得 0 分"
    assert criteria.RULES == ("linear", "steps", "boolean")
