"""Warnings on a tender definition: things a procurement officer would want to look at
twice, which do not make the tender invalid (the buyer may save and publish it anyway).

- A criterion, or a step of it, that cannot separate the bids: every conforming bid must
  reach it because a quality requirement (§5.1) or a mandatory qualification rule (§5)
  already demands as much.
- A price weight outside the range the regulation sets for services
  (:data:`scoring.stability.PRICE_WEIGHT_FOR_SERVICES`, 10–30 points).
- A bidding period shorter than 20 days (from publication to the bid deadline; 招标投标法
  Art. 24: "自招标文件开始发出之日起至投标人提交投标文件截止之日止，最短不得少于二十日").

Pure: the definition is the §3 dict as the form or a file gives it; what cannot be read is
left to the validation, never raised here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from scoring.facts import fact_name
from scoring.money import plain
from scoring.stability import PRICE_WEIGHT_FOR_SERVICES
from scoring.text import Text
from scoring.times import parse_time

MIN_BIDDING_DAYS = 20

# Quality requirement → (the vendor fact it binds, "at_most" or "at_least") (§5.1).
QUALITY_BINDS = {
    "first_response_seconds_max": ("first_response_seconds", "at_most"),
    "complaint_reply_hours_max": ("complaint_reply_hours", "at_most"),
    "complaint_solution_hours_max": ("complaint_solution_hours", "at_most"),
    "satisfaction_min": ("satisfaction_commitment", "at_least"),
}


@dataclass(frozen=True)
class Advice:
    """One warning: where in the definition (a JSON path) and what, in both languages."""

    path: str
    text: Text


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _demanded(definition: dict) -> dict[tuple[str, str], tuple[Decimal, Text]]:
    """What every conforming bid must commit to: (fact, direction) → (bound, whose demand)."""
    demanded: dict[tuple[str, str], tuple[Decimal, Text]] = {}

    def keep(fact, direction, bound, source: Text):
        key = (fact, direction)
        if bound is None:
            return
        old = demanded.get(key)
        tighter = old is None or (bound < old[0] if direction == "at_most" else bound > old[0])
        if tighter:
            demanded[key] = (bound, source)

    quality = definition.get("quality_requirements") or {}
    if isinstance(quality, dict):
        for requirement, (fact, direction) in QUALITY_BINDS.items():
            keep(fact, direction, _number(quality.get(requirement)), Text("质量要求", "the quality requirement"))
    for rule in definition.get("qualification_rules") or []:
        if not isinstance(rule, dict) or "fact" not in rule or rule.get("mandatory", True) is False:
            continue
        direction = {"<=": "at_most", ">=": "at_least"}.get(rule.get("op"))
        if direction:
            keep(str(rule["fact"]), direction, _number(rule.get("value")), Text("资格条件", "a qualification rule"))
        elif rule.get("op") == "==" and rule.get("value") is True:
            demanded[(str(rule["fact"]), "true")] = (Decimal(1), Text("资格条件", "a qualification rule"))
    return demanded


def _op_words(direction: str, bound: Decimal) -> Text:
    words = plain(bound)
    return (
        Text(f"不高于 {words}", f"at most {words}")
        if direction == "at_most"
        else Text(f"不低于 {words}", f"at least {words}")
    )


def _criterion_name(criterion: dict) -> Text:
    name = str(criterion.get("name") or criterion.get("id") or "")
    return Text(name, str(criterion.get("name_en") or name))


def _steps_advice(index: int, criterion: dict, demanded) -> list[Advice]:
    fact = str(criterion.get("fact") or "")
    steps = [s for s in criterion.get("steps") or [] if isinstance(s, dict) and "all" not in s]
    found = []
    reached_points = []
    for j, step in enumerate(steps):
        direction = "at_most" if "at_most" in step else "at_least"
        threshold = _number(step.get(direction))
        bound = demanded.get((fact, direction))
        if threshold is None or bound is None:
            continue
        reached = threshold >= bound[0] if direction == "at_most" else threshold <= bound[0]
        if reached:
            reached_points.append(_number(step.get("points")) or Decimal(0))
            found.append((j, step, direction, threshold, bound))
    if not found:
        return []
    name, what = _criterion_name(criterion), fact_name(fact)
    if len(found) == len(steps):
        j, step, direction, threshold, (bound, source) = found[0]
        best = max(reached_points)
        return [
            Advice(
                f"criteria[{index}].steps",
                Text(
                    f"评分因素“{name.zh}”不能区分投标：{source.zh}已要求{what.zh}{_op_words(direction, bound).zh}，"
                    f"每个符合要求的投标都达到全部档次，都得 {plain(best)} 分。",
                    f"The criterion '{name.en}' cannot separate the bids: {source.en} already demands "
                    f"{what.en} {_op_words(direction, bound).en}, so every conforming bid reaches every step "
                    f"and scores {plain(best)} points.",
                ),
            )
        ]
    advice = []
    for j, step, direction, threshold, (bound, source) in found:
        points = plain(_number(step.get("points")) or Decimal(0))
        advice.append(
            Advice(
                f"criteria[{index}].steps[{j}]",
                Text(
                    f"评分因素“{name.zh}”的档次“{_op_words(direction, threshold).zh} 得 {points} 分”人人都能达到："
                    f"{source.zh}已要求{what.zh}{_op_words(direction, bound).zh}。",
                    f"The step '{_op_words(direction, threshold).en}: {points} points' of '{name.en}' is reached by "
                    f"every conforming bid: {source.en} already demands {what.en} {_op_words(direction, bound).en}.",
                ),
            )
        )
    return advice


def criteria_advice(definition: dict) -> list[Advice]:
    """Objective criteria (or steps) every conforming bid reaches anyway."""
    demanded = _demanded(definition)
    advice = []
    for index, criterion in enumerate(definition.get("criteria") or []):
        if not isinstance(criterion, dict) or criterion.get("kind") != "objective":
            continue
        if criterion.get("rule") == "steps":
            advice += _steps_advice(index, criterion, demanded)
        elif criterion.get("rule") == "boolean" and (str(criterion.get("fact")), "true") in demanded:
            name, what = _criterion_name(criterion), fact_name(str(criterion.get("fact")))
            advice.append(
                Advice(
                    f"criteria[{index}]",
                    Text(
                        f"评分因素“{name.zh}”不能区分投标：资格条件已要求“{what.zh}”，每个合格的投标都得满分。",
                        f"The criterion '{name.en}' cannot separate the bids: a qualification rule already demands "
                        f"'{what.en}', so every qualified bid scores its full weight.",
                    ),
                )
            )
    return advice


def price_weight_advice(definition: dict) -> list[Advice]:
    low, high = PRICE_WEIGHT_FOR_SERVICES
    advice = []
    for index, criterion in enumerate(definition.get("criteria") or []):
        if isinstance(criterion, dict) and criterion.get("kind") == "price":
            weight = _number(criterion.get("weight"))
            if weight is not None and not low <= weight <= high:
                advice.append(
                    Advice(
                        f"criteria[{index}].weight",
                        Text(
                            f"价格分权重为 {plain(weight)} 分，不在服务类项目的 {plain(low)}–{plain(high)} 分之间"
                            f"（政府采购货物和服务招标投标管理办法第五十五条）。",
                            f"The price weight is {plain(weight)} points, outside the {plain(low)}–{plain(high)} points "
                            f"set for services (Measures for government procurement of goods and services, Art. 55).",
                        ),
                    )
                )
    return advice


def bidding_period_advice(definition: dict, start: dt.datetime) -> list[Advice]:
    """A deadline fewer than 20 days after ``start`` (the publication, or now for a draft)."""
    try:
        deadline = parse_time(definition.get("bid_deadline"))
    except (TypeError, ValueError):
        return []
    if deadline is None:
        return []
    days = (deadline - start) / dt.timedelta(days=1)
    if days >= MIN_BIDDING_DAYS:
        return []
    shown = plain(Decimal(str(max(days, 0))).quantize(Decimal("0.1")))
    return [
        Advice(
            "bid_deadline",
            Text(
                f"投标期只有 {shown} 天，少于法定的 {MIN_BIDDING_DAYS} 天（招标投标法第二十四条：自招标文件开始发出之日起"
                f"至投标截止之日止，最短不得少于二十日）。",
                f"The bidding period is only {shown} days, shorter than the {MIN_BIDDING_DAYS} days the law sets "
                f"(Tendering and Bidding Law, Art. 24: from the issue of the tender documents to the bid deadline).",
            ),
        )
    ]


def tender_advice(definition: dict, start: dt.datetime) -> list[Advice]:
    """Every warning on a tender definition, in the form's order."""
    return [*bidding_period_advice(definition, start), *criteria_advice(definition), *price_weight_advice(definition)]
