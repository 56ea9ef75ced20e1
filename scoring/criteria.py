"""Criteria of the weighted scoring method (综合评分法, §7, §9.4, §9.5).

Weights are points and sum to 100. The price criterion is scored from the normalized
monthly costs of all valid bids (:func:`price_scores`); objective criteria from a
vendor's facts (:func:`objective_score`); subjective ones from the evaluators' scores
(:func:`aggregate`). Rounding to 2 decimals happens per criterion, in evaluation.

The rules of objective criteria are a registry (:data:`OBJECTIVE_RULES`, as the pricing
models are in :mod:`scoring.pricing`): each names its parameters, how it reads them,
scores, says in words what it does, and which of its values are points (the weight
what-if of :mod:`scoring.weights` scales those). A new rule is one entry here and its
widget in the tender form; the form, the price sheet, the reports and the what-if follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from scoring.errors import Problems
from scoring.facts import fact_name
from scoring.money import HUNDRED, ZERO, NotANumber, Recurring, pct_text, plain, round2, thousands, to_decimal
from scoring.reading import (
    as_bool,
    boolean,
    check_keys,
    expect_dict,
    expect_list,
    join,
    number,
    text,
)
from scoring.text import Text

KINDS = ("price", "objective", "subjective")
AGGREGATES = ("mean", "trimmed_mean")
PRICE_METHODS = ("lowest_price", "average_deviation")


@dataclass(frozen=True)
class Condition:
    fact: str
    at_least: Decimal | None = None
    at_most: Decimal | None = None

    def holds(self, facts: dict) -> bool:
        value = fact_number(facts.get(self.fact))
        if value is None:
            return False
        if self.at_least is not None:
            return value >= self.at_least
        return value <= self.at_most


@dataclass(frozen=True)
class Step:
    conditions: tuple[Condition, ...]
    points: Decimal

    def reached(self, facts: dict) -> bool:
        return all(c.holds(facts) for c in self.conditions)


@dataclass(frozen=True)
class Band:
    label: str
    min: Decimal
    max: Decimal

    def holds(self, score: Decimal) -> bool:
        return self.min <= score <= self.max


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    kind: str
    weight: Decimal
    rule: str | None = None
    fact: str | None = None
    points_per_unit: Decimal | None = None
    cap: Decimal | None = None
    steps: tuple[Step, ...] = ()
    aggregate: str = "mean"
    bands: tuple[Band, ...] = ()
    name_en: str | None = None

    @property
    def title(self) -> Text:
        """The criterion as a person reads it: its name, in English its English name when given."""
        return Text(self.name, self.name_en or self.name)

    def band(self, label: str) -> Band | None:
        for band in self.bands:
            if band.label == label:
                return band
        return None


@dataclass(frozen=True)
class ScoreRefusal:
    """Why one evaluator's score on one criterion is refused (§7.3, §9.5), in a few words
    (shown beside the cell it was typed in); ``kind`` is not_a_number, out_of_range or
    outside_band."""

    kind: str
    zh: str
    en: str


def read_score(raw, criterion: Criterion, band: Band | None = None) -> tuple[Decimal | None, ScoreRefusal | None]:
    """A subjective score: a number in 0..weight, inside the agreed band when there is one."""
    try:
        score = to_decimal(raw)
    except NotANumber:
        shown = raw if isinstance(raw, str) else repr(raw)
        return None, ScoreRefusal("not_a_number", f"“{shown}”不是数字", f"'{shown}' is not a number")
    weight = plain(criterion.weight)
    if not ZERO <= score <= criterion.weight:
        return None, ScoreRefusal(
            "out_of_range", f"{plain(score)} 不在 0–{weight} 之间", f"{plain(score)} is not between 0 and {weight}"
        )
    if band is not None and not band.holds(score):
        return None, ScoreRefusal(
            "outside_band",
            f"{plain(score)} 不在商定档次“{band.label}”（{plain(band.min)}–{plain(band.max)}）内",
            f"{plain(score)} is outside the agreed band '{band.label}' ({plain(band.min)}–{plain(band.max)})",
        )
    return score, None


@dataclass(frozen=True)
class PriceMethod:
    method: str = "lowest_price"
    above_per_pct: Decimal = Decimal("0.5")
    below_per_pct: Decimal = Decimal("0.25")
    drop_extremes: bool = False


def fact_number(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return to_decimal(value)
    except NotANumber:
        return None


# --------------------------------------------------------------------------- parsing


def _keys() -> set[str]:
    return {
        "id",
        "name",
        "name_en",
        "kind",
        "weight",
        "rule",
        "fact",
        *OBJECTIVE_KEYS,
        "aggregate",
        "bands",
        "description",
    }


def parse_criteria(raw, path: str, problems: Problems) -> tuple[Criterion, ...]:
    items = expect_list(raw, path, problems) if raw is not None else None
    if raw is None:
        problems.add(path, "缺少评分因素（criteria）", "criteria are required")
        return ()
    if items is None:
        return ()
    if not items:
        problems.add(path, "至少需要一个评分因素", "at least one criterion is needed")
        return ()
    criteria, ids, weights_ok = [], set(), True
    for index, entry in enumerate(items):
        where = join(path, index)
        entry = expect_dict(entry, where, problems)
        if entry is None:
            weights_ok = False
            continue
        check_keys(entry, _keys(), where, problems)
        criterion = _criterion(entry, where, problems)
        if entry.get("id") in ids:
            problems.add(
                join(where, "id"),
                f"评分因素编号“{entry.get('id')}”重复",
                f"criterion id '{entry.get('id')}' is repeated",
            )
        ids.add(entry.get("id"))
        if criterion is None:
            weights_ok = weights_ok and _weight_only(entry) is not None
            continue
        criteria.append(criterion)
    if weights_ok:
        total = sum((_weight_only(e) for e in items), ZERO)
        if total != HUNDRED:
            problems.add(
                path,
                f"各评分因素权重之和应为 100，实为 {plain(total)}",
                f"the criteria weights must sum to 100, they sum to {plain(total)}",
            )
    if sum(1 for c in criteria if c.kind == "price") > 1:
        problems.add(path, "只能有一个价格评分因素", "only one price criterion is allowed")
    return tuple(criteria)


def _weight_only(entry: dict) -> Decimal | None:
    try:
        return to_decimal(entry.get("weight"))
    except NotANumber:
        return None


def _criterion(entry: dict, where: str, problems: Problems) -> Criterion | None:
    before = len(problems.items)
    cid = text(entry, "id", where, problems)
    name = text(entry, "name", where, problems, default=cid)
    name_en = text(entry, "name_en", where, problems, default=None)
    kind = entry.get("kind")
    weight = number(entry, "weight", where, problems, minimum=0, maximum=100)
    if kind not in KINDS:
        problems.add(
            join(where, "kind"),
            f"未知的评分类型“{kind}”（可选：{', '.join(KINDS)}）",
            f"unknown kind '{kind}' (one of: {', '.join(KINDS)})",
        )
        return None
    fields: dict = {}
    if kind == "objective":
        fields = _objective(entry, where, problems, weight)
    elif kind == "subjective":
        aggregate = entry.get("aggregate", "mean")
        if aggregate not in AGGREGATES:
            problems.add(
                join(where, "aggregate"),
                f"未知的汇总方式“{aggregate}”（可选：mean, trimmed_mean）",
                f"unknown aggregate '{aggregate}' (one of: mean, trimmed_mean)",
            )
        fields = {"aggregate": aggregate, "bands": _bands(entry.get("bands"), join(where, "bands"), problems, weight)}
    for key in ("rule", "fact", *OBJECTIVE_KEYS):
        if kind != "objective" and key in entry:
            problems.add(join(where, key), f"“{key}”只用于客观分", f"'{key}' belongs to objective criteria only")
    for key in ("aggregate", "bands"):
        if kind != "subjective" and key in entry:
            problems.add(join(where, key), f"“{key}”只用于主观分", f"'{key}' belongs to subjective criteria only")
    if len(problems.items) > before:
        return None
    return Criterion(id=cid, name=name or cid, name_en=name_en, kind=kind, weight=weight, **fields)


def _objective(entry: dict, where: str, problems: Problems, weight: Decimal | None) -> dict:
    rule = OBJECTIVE_RULES.get(entry.get("rule"))
    if rule is None:
        problems.add(
            join(where, "rule"),
            f"未知的客观分规则“{entry.get('rule')}”（可选：{', '.join(RULES)}）",
            f"unknown rule '{entry.get('rule')}' (one of: {', '.join(RULES)})",
        )
        return {}
    fields: dict = {"rule": rule.name}
    fact = entry.get("fact")
    if fact is not None and not (isinstance(fact, str) and fact.strip()):
        problems.add(join(where, "fact"), "应为事实名称", "must be a fact name")
        fact = None
    if rule.needs_fact and fact is None:
        problems.add(join(where, "fact"), "缺少所依据的事实", "the fact to score is missing")
    fields["fact"] = fact
    for parameter in rule.parameters:
        if parameter.kind == "steps":
            fields[parameter.key] = _steps(entry.get(parameter.key), join(where, parameter.key), problems, fact, weight)
        else:
            fields[parameter.key] = number(
                entry, parameter.key, where, problems, minimum=0, **({} if parameter.required else {"default": None})
            )
    return fields


def _steps(raw, path: str, problems: Problems, fact: str | None, weight: Decimal | None) -> tuple[Step, ...]:
    if raw is None:
        problems.add(path, "缺少分档（steps）", "steps are required")
        return ()
    items = expect_list(raw, path, problems)
    if items is None:
        return ()
    if not items:
        problems.add(path, "至少需要一档", "at least one step is needed")
    steps = []
    for index, entry in enumerate(items):
        where = join(path, index)
        entry = expect_dict(entry, where, problems)
        if entry is None:
            continue
        check_keys(entry, {"all", "fact", "at_least", "at_most", "points"}, where, problems)
        points = number(entry, "points", where, problems, minimum=0)
        if points is not None and weight is not None and points > weight:
            problems.add(
                join(where, "points"),
                f"分值 {plain(points)} 超过该因素权重 {plain(weight)}",
                f"points {plain(points)} exceed the criterion's weight {plain(weight)}",
            )
        if "all" in entry:
            for key in ("fact", "at_least", "at_most"):
                if key in entry:
                    problems.add(
                        join(where, key), "使用 all 时，条件写在 all 中", "with 'all', put the conditions inside it"
                    )
            conditions = []
            listed = expect_list(entry["all"], join(where, "all"), problems) or []
            if entry["all"] is not None and isinstance(entry["all"], list) and not listed:
                problems.add(join(where, "all"), "至少需要一个条件", "needs at least one condition")
            for cindex, cond in enumerate(listed):
                at = join(join(where, "all"), cindex)
                cond = expect_dict(cond, at, problems)
                if cond is None:
                    continue
                check_keys(cond, {"fact", "at_least", "at_most"}, at, problems)
                condition = _condition(cond, at, problems, None)
                if condition:
                    conditions.append(condition)
        else:
            condition = _condition(entry, where, problems, fact)
            conditions = [condition] if condition else []
        if points is not None and conditions:
            steps.append(Step(tuple(conditions), points))
    return tuple(steps)


def _condition(entry: dict, where: str, problems: Problems, default_fact: str | None) -> Condition | None:
    fact = entry.get("fact", default_fact)
    if not fact:
        problems.add(join(where, "fact"), "缺少所依据的事实", "the fact to compare is missing")
        return None
    has_least, has_most = "at_least" in entry, "at_most" in entry
    if has_least == has_most:
        problems.add(where, "应指定 at_least 或 at_most 之一", "must give exactly one of at_least or at_most")
        return None
    key = "at_least" if has_least else "at_most"
    value = number(entry, key, where, problems)
    if value is None:
        return None
    return Condition(fact, at_least=value if has_least else None, at_most=value if has_most else None)


def _bands(raw, path: str, problems: Problems, weight: Decimal | None) -> tuple[Band, ...]:
    if raw is None:
        return ()
    items = expect_list(raw, path, problems)
    if items is None:
        return ()
    bands, labels = [], set()
    for index, entry in enumerate(items):
        where = join(path, index)
        entry = expect_dict(entry, where, problems)
        if entry is None:
            continue
        check_keys(entry, {"label", "min", "max"}, where, problems)
        label = text(entry, "label", where, problems)
        low = number(entry, "min", where, problems, minimum=0)
        high = number(entry, "max", where, problems, minimum=0)
        if label in labels:
            problems.add(join(where, "label"), f"档次“{label}”重复", f"band '{label}' is repeated")
        labels.add(label)
        if low is None or high is None or label is None:
            continue
        if low > high:
            problems.add(
                where,
                f"档次下限 {plain(low)} 大于上限 {plain(high)}",
                f"band min {plain(low)} is above its max {plain(high)}",
            )
            continue
        if weight is not None and high > weight:
            problems.add(
                join(where, "max"),
                f"档次上限 {plain(high)} 超过该因素权重 {plain(weight)}",
                f"band max {plain(high)} exceeds the criterion's weight {plain(weight)}",
            )
        bands.append(Band(label, low, high))
    ordered = sorted(bands, key=lambda b: b.min)
    for lower, upper in zip(ordered, ordered[1:]):
        if upper.min <= lower.max:
            problems.add(
                path, f"档次“{lower.label}”与“{upper.label}”重叠", f"bands '{lower.label}' and '{upper.label}' overlap"
            )
    return tuple(bands)


_PRICE_KEYS = {"method", "above_per_pct", "below_per_pct", "drop_extremes"}


def parse_price_method(raw, path: str, problems: Problems) -> PriceMethod:
    if raw is None:
        return PriceMethod()
    if isinstance(raw, str):  # "price_method": "lowest_price" says the same as {"method": …}
        raw = {"method": raw}
    data = expect_dict(raw, path, problems)
    if data is None:
        return PriceMethod()
    check_keys(data, _PRICE_KEYS, path, problems)
    method = data.get("method", "lowest_price")
    if method not in PRICE_METHODS:
        problems.add(
            join(path, "method"),
            f"未知的价格评分方法“{method}”（可选：{', '.join(PRICE_METHODS)}）",
            f"unknown price method '{method}' (one of: {', '.join(PRICE_METHODS)})",
        )
        method = "lowest_price"
    defaults = PriceMethod()
    above = number(data, "above_per_pct", path, problems, default=defaults.above_per_pct, minimum=0)
    below = number(data, "below_per_pct", path, problems, default=defaults.below_per_pct, minimum=0)
    drop = boolean(data, "drop_extremes", path, problems, default=False)
    return PriceMethod(
        method,
        above if above is not None else defaults.above_per_pct,
        below if below is not None else defaults.below_per_pct,
        drop,
    )


# --------------------------------------------------------------------------- scores


def objective_score(criterion: Criterion, facts: dict):
    """Points for one objective criterion, and a callable giving how they were found (a Text)."""
    return OBJECTIVE_RULES[criterion.rule].score(criterion, facts)


def _fact_title(criterion: Criterion) -> Text:
    return fact_name(criterion.fact) if criterion.fact else Text("", "")


def _boolean_score(criterion: Criterion, facts: dict):
    value = facts.get(criterion.fact) if criterion.fact else None
    name = _fact_title(criterion)
    if as_bool(value) is True:
        return criterion.weight, lambda: Text(
            f"{name.zh}：是 → {plain(criterion.weight)} 分", f"{name.en}: yes → {plain(criterion.weight)} points"
        )
    if value is None:
        return ZERO, lambda: Text(f"{name.zh}：未申报 → 0 分", f"{name.en}: not declared → 0 points")
    return ZERO, lambda: Text(f"{name.zh}：否 → 0 分", f"{name.en}: no → 0 points")


def _linear_score(criterion: Criterion, facts: dict):
    name = _fact_title(criterion)
    amount = fact_number(facts.get(criterion.fact) if criterion.fact else None)
    if amount is None:
        return ZERO, lambda: Text(f"{name.zh}：未申报 → 0 分", f"{name.en}: not declared → 0 points")
    limits = [max(amount, ZERO) * criterion.points_per_unit, criterion.weight]
    limits += [criterion.cap] if criterion.cap is not None else []
    points = min(limits)

    def note():
        most = plain(_linear_most(criterion))
        return Text(
            f"{name.zh} {plain(amount)} × {plain(criterion.points_per_unit)} 分，最高 {most} 分 → {plain(points)} 分",
            f"{name.en} {plain(amount)} × {plain(criterion.points_per_unit)} points, at most {most} "
            f"→ {plain(points)} points",
        )

    return points, note


def _linear_most(criterion: Criterion) -> Decimal:
    return min(criterion.weight, criterion.cap) if criterion.cap is not None else criterion.weight


def _steps_score(criterion: Criterion, facts: dict):
    reached = [step for step in criterion.steps if step.reached(facts)]
    if not reached:
        return ZERO, lambda: Text("未达到任何一档 → 0 分", "no step reached → 0 points")
    best = max(reached, key=lambda step: step.points)

    def step_note():
        met = Text.join((_condition_text(c, facts) for c in best.conditions), " 且 ", " and ")
        return met + Text(f" → {plain(best.points)} 分", f" → {plain(best.points)} points")

    return best.points, step_note


def _condition_text(c: Condition, facts: dict) -> Text:
    value = fact_number(facts.get(c.fact))
    shown = plain(value) if value is not None else "?"
    op, limit = ("≥", c.at_least) if c.at_least is not None else ("≤", c.at_most)
    name = fact_name(c.fact)
    return Text(f"{name.zh} {shown} {op} {plain(limit)}", f"{name.en} {shown} {op} {plain(limit)}")


def _describe_linear(criterion: Criterion) -> Text:
    fact, per, most = _fact_title(criterion), plain(criterion.points_per_unit), plain(_linear_most(criterion))
    return Text(f"{fact.zh} × {per} 分，最高 {most} 分", f"{fact.en} × {per} points, at most {most}")


def _describe_boolean(criterion: Criterion) -> Text:
    fact, weight = _fact_title(criterion), plain(criterion.weight)
    return Text(f"{fact.zh}为是得 {weight} 分", f"{fact.en}: yes → {weight} points")


def _describe_steps(criterion: Criterion) -> Text:
    def condition(c: Condition) -> Text:
        op, limit = ("≥", c.at_least) if c.at_least is not None else ("≤", c.at_most)
        name = fact_name(c.fact)
        return Text(f"{name.zh} {op} {plain(limit)}", f"{name.en} {op} {plain(limit)}")

    steps = [
        Text.join((condition(c) for c in step.conditions), " 且 ", " and ") + Text.same(f" → {plain(step.points)}")
        for step in criterion.steps
    ]
    return Text.join(steps, "；", "; ")


def _announce_linear(criterion: Criterion) -> Text:
    per, most = plain(criterion.points_per_unit), plain(_linear_most(criterion))
    return _fact_title(criterion) + Text(
        f"：每 1 得 {per} 分，最高 {most} 分", f": {per} points per unit, at most {most} points"
    )


def _announce_boolean(criterion: Criterion) -> Text:
    weight = plain(criterion.weight)
    return _fact_title(criterion) + Text(f"：具备得 {weight} 分，不具备得 0 分", f": {weight} points if yes, 0 if not")


def _announce_steps(criterion: Criterion) -> Text:
    def condition(c: Condition) -> Text:
        op, limit = ("≥", c.at_least) if c.at_least is not None else ("≤", c.at_most)
        return fact_name(c.fact) + Text.same(f" {op} {thousands(limit)}")

    steps = [
        Text.join((condition(c) for c in step.conditions), " 且 ", " and ")
        + Text(f" 得 {plain(step.points)} 分", f": {plain(step.points)} points")
        for step in criterion.steps
    ]
    return Text.join(steps, "；", "; ") + Text("（取达到的最高一档）", " (the highest step reached counts)")


def _fact_read(fact_kind: str):
    def facts(entry: dict) -> list[tuple[object, str]]:
        return [(entry.get("fact"), fact_kind)]

    return facts


def _step_facts(entry: dict) -> list[tuple[object, str]]:
    found = [(entry.get("fact"), "number")]
    for step in entry.get("steps") or []:
        for condition in (step.get("all") or []) if isinstance(step, dict) else []:
            if isinstance(condition, dict):
                found.append((condition.get("fact"), "number"))
    return found


def _scale_keys(*keys: str):
    def scale(entry: dict, factor) -> None:
        for key in keys:
            if entry.get(key) is not None:
                entry[key] = factor(entry[key])

    return scale


def _scale_steps(entry: dict, factor) -> None:
    for step in entry.get("steps") or []:
        step["points"] = factor(step["points"])


@dataclass(frozen=True)
class Parameter:
    """A value an objective rule reads from its criterion: ``number`` (points or points per
    unit) or ``steps`` (the list of thresholds and points)."""

    key: str
    kind: str = "number"
    required: bool = True


@dataclass(frozen=True)
class ObjectiveRule:
    """How an objective criterion turns a vendor's facts into points (§7.2)."""

    name: str
    label: Text  # as the tender form and the reports name it
    needs_fact: bool  # the criterion names the fact it scores
    fact_kind: str  # how the price sheet reads that fact: number | bool
    parameters: tuple[Parameter, ...]
    score: Callable  # (criterion, facts) -> (points, note)
    describe: Callable[[Criterion], Text]  # the rule in words, with its numbers (reports)
    announce: Callable[[Criterion], Text]  # how points are given, as the public notice says it
    facts: Callable[[dict], list]  # (fact, number | bool) a criterion entry reads (price sheet)
    scale: Callable[[dict, Callable], None]  # apply factor() to each point value of a criterion entry
    example: dict  # a criterion entry using it (docs, tests)


OBJECTIVE_RULES: dict[str, ObjectiveRule] = {
    "linear": ObjectiveRule(
        "linear",
        Text("线性", "linear"),
        True,
        "number",
        (Parameter("points_per_unit"), Parameter("cap", required=False)),
        _linear_score,
        _describe_linear,
        _announce_linear,
        _fact_read("number"),
        _scale_keys("points_per_unit", "cap"),
        {
            "kind": "objective",
            "weight": 10,
            "rule": "linear",
            "fact": "similar_projects",
            "points_per_unit": 2,
            "cap": 8,
        },
    ),
    "steps": ObjectiveRule(
        "steps",
        Text("分档", "steps"),
        False,
        "number",
        (Parameter("steps", "steps"),),
        _steps_score,
        _describe_steps,
        _announce_steps,
        _step_facts,
        _scale_steps,
        {
            "kind": "objective",
            "weight": 10,
            "rule": "steps",
            "fact": "first_response_seconds",
            "steps": [{"at_most": 60, "points": 5}, {"at_most": 30, "points": 10}],
        },
    ),
    "boolean": ObjectiveRule(
        "boolean",
        Text("是/否", "yes/no"),
        True,
        "bool",
        (),
        _boolean_score,
        _describe_boolean,
        _announce_boolean,
        _fact_read("bool"),
        _scale_keys(),
        {"kind": "objective", "weight": 5, "rule": "boolean", "fact": "iso9001"},
    ),
}
RULES = tuple(OBJECTIVE_RULES)
# Every key an objective rule reads besides ``rule`` and ``fact``.
OBJECTIVE_KEYS = tuple(dict.fromkeys(p.key for rule in OBJECTIVE_RULES.values() for p in rule.parameters))


def trims(method: str, count: int) -> bool:
    """Whether ``count`` scores lose their highest and lowest: a trimmed mean with ≥ 5 evaluators (§7.3)."""
    return method == "trimmed_mean" and count >= 5


def aggregate(method: str, scores: list[Decimal]) -> Decimal:
    """Mean, or trimmed mean dropping one highest and one lowest with ≥ 5 evaluators (§7.3)."""
    if not scores:
        return ZERO
    if trims(method, len(scores)):
        scores = sorted(scores)[1:-1]
    return sum(scores, ZERO) / len(scores)


def _millionths(score: Decimal) -> int | None:
    """A score as a whole number of millionths; None when it is not one (or is negative)."""
    if type(score) is not Decimal or not score.is_finite() or score < 0:
        return None
    scaled = score.scaleb(6)
    return int(scaled) if scaled == scaled.to_integral_value() else None


# :func:`_millionths` of the few dozen scores a panel gives (153,000 times for 1,000 bids).
_in_millionths = Recurring(_millionths).__getitem__
# A score rounded to 0.01, by its hundredths: as ``round2`` writes it (exponent -2).
_hundredths = Recurring(lambda hundredths: Decimal(hundredths).scaleb(-2))


def rounded_aggregate(method: str, scores) -> Decimal:
    """``round2(aggregate(method, scores))``, the subjective score as it counts.

    Worked out in whole millionths when every score is a whole number of them (scores read
    with a few decimals): ~9,000 instructions a call, where the sum of 9 Decimals, their
    sorting, a Decimal division and its rounding took ~14,000 (12,410 calls for 1,000 bids ×
    17 criteria); and the rounded scores it gives are shared objects, whose hash (~6,000
    instructions for a Decimal) the texts of result.json compute once. Equal to the letter,
    in the default decimal context (nothing here changes it): a sum of such scores is exact
    in Decimal too, its 28 digits hold it, and so is the sum without the highest and the
    lowest; the mean m is rounded half-up to 0.01 here straight from the exact fraction,
    where Decimal first rounds it to 28 digits. The two agree: m × 100 is a whole number ÷
    (n × 10,000), so it is a half or at least 1 ÷ (2n × 10,000) from one, far more than the
    28th digit moves it (hence the bound on the total)."""
    count = len(scores)
    try:  # a TypeError when a score is not a whole number of millionths (None)
        if trims(method, count):
            # sorted, not max() and min(): their keyword arguments are parsed each call (~40 %
            # more for 9 scores)
            millionths = sorted(map(_in_millionths, scores))
            total = sum(millionths) - millionths[0] - millionths[-1]
            count -= 2
        else:
            total = sum(map(_in_millionths, scores))
    except TypeError:
        return round2(aggregate(method, list(scores)))
    if not count or total >= 10**25:  # no score, or a total too large for the reasoning above
        return round2(aggregate(method, list(scores)))
    return _hundredths[(2 * total + count * 10_000) // (2 * count * 10_000)]


def price_scores(method: PriceMethod, weight: Decimal, prices: dict) -> tuple[dict, Decimal | None]:
    """Price score of each bid from the prices it is scored on (after SME deduction), and B.

    ``prices`` maps a bid key to its P. Returns unrounded scores and the benchmark B.
    """
    if not prices:
        return {}, None
    if method.method == "lowest_price":
        benchmark = min(prices.values())
        scores = {}
        for key, price in prices.items():
            if price <= 0:
                scores[key] = weight
            else:
                scores[key] = weight * benchmark / price
        return scores, benchmark
    considered = sorted(prices.values())
    if method.drop_extremes and len(considered) >= 5:
        considered = considered[1:-1]
    benchmark = sum(considered, ZERO) / len(considered)
    scores = {}
    for key, price in prices.items():
        if benchmark == 0:
            scores[key] = weight if price == 0 else ZERO
            continue
        deviation = (price - benchmark) / benchmark * HUNDRED
        if deviation > 0:
            score = weight - method.above_per_pct * deviation
        else:
            score = weight - method.below_per_pct * (-deviation)
        scores[key] = max(score, ZERO)
    return scores, benchmark


def _money(value: Decimal) -> str:
    return f"{round2(value):,f}"


def price_note(
    method: PriceMethod,
    weight: Decimal,
    monthly_cost: Decimal,
    price: Decimal,
    deduction: Decimal,
    benchmark: Decimal,
    considered: int,
    score: Decimal,
) -> Text:
    """How one bid's price score was found, with its numbers (§7.1, §7.4): the price it was
    scored on (after the SME deduction, marked as such), the benchmark B and the formula.

    ``price`` is the price scored on, ``considered`` the number of valid bids, ``score`` the
    rounded price score."""
    if price != monthly_cost:
        p = Text(
            f"P = {_money(monthly_cost)} × (1 − {pct_text(deduction)}) = {_money(price)}（小微企业价格扣除后）",
            f"P = {_money(monthly_cost)} × (1 − {pct_text(deduction)}) = {_money(price)} "
            f"(after the SME price deduction)",
        )
    else:
        p = Text.same(f"P = {_money(price)}")
    w, b, pp, got = plain(weight), _money(benchmark), _money(price), f"{score:f}"
    if method.method == "lowest_price":
        basis = Text(f"B = 有效投标中最低的 P = {b}", f"B = the lowest P of the valid bids = {b}")
        if price <= 0:
            formula = Text(f"P ≤ 0，得满分 {got}", f"P ≤ 0 scores the full {got}")
        else:
            formula = Text(
                f"得分 = {w} × B ÷ P = {w} × {b} ÷ {pp} = {got}", f"score = {w} × B ÷ P = {w} × {b} ÷ {pp} = {got}"
            )
        return Text.join((p, basis, formula), "；", "; ")
    dropped = method.drop_extremes and considered >= 5
    basis = Text(
        f"B = 有效投标 P 的平均值{'（去掉最高和最低）' if dropped else ''} = {b}",
        f"B = the mean P of the valid bids{' (without the highest and the lowest)' if dropped else ''} = {b}",
    )
    if benchmark == 0:
        formula = Text(
            f"B = 0，P = 0 得满分，否则 0 分：{got}", f"B = 0: P = 0 scores the full weight, any other 0: {got}"
        )
    elif price == benchmark:
        formula = Text(f"P = B，得满分 {got}", f"P = B scores the full {got}")
    else:
        above = price > benchmark
        rate = plain(method.above_per_pct if above else method.below_per_pct)
        deviation = (price - benchmark if above else benchmark - price) / benchmark * HUNDRED
        shown = f"{round2(deviation):f}%"
        difference = f"({pp} − {b})" if above else f"({b} − {pp})"
        raw = weight - (method.above_per_pct if above else method.below_per_pct) * deviation
        floored = (
            Text(f" = {round2(raw):f}，最低 0 分 → {got}", f" = {round2(raw):f}, floored at 0 → {got}")
            if raw < 0
            else Text.same(f" = {got}")
        )
        formula = (
            Text(
                f"P {'高于' if above else '低于'} B {shown}；得分 = {w} − {rate} × {difference} ÷ {b} × 100",
                f"P is {shown} {'above' if above else 'below'} B; score = {w} − {rate} × {difference} ÷ {b} × 100",
            )
            + floored
        )
    return Text.join((p, basis, formula), "；", "; ")
