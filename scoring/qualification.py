"""Qualification (资格审查, §5) and conformity review (符合性审查, §5.1).

A rule checks one vendor fact or document; a failed mandatory rule disqualifies the
bid, with the rule's label (or its fact) and the value as the reason. A fact the vendor
did not declare fails with "not declared" — it never crashes the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from scoring.errors import Problems
from scoring.facts import code_name, document_name, fact_name, normalize_code, shown
from scoring.money import NotANumber, plain, to_decimal
from scoring.reading import as_bool, boolean, check_keys, expect_dict, expect_list, join, text
from scoring.text import Text

OPS = (">=", "<=", "==", "covers", "present")


@dataclass(frozen=True)
class Rule:
    op: str
    fact: str | None = None
    document: str | None = None
    value: object = None
    label: str | None = None
    label_en: str | None = None
    mandatory: bool = True
    kind: str = "qualification"  # qualification | conformity
    requirement: Text | None = None  # conformity: the requirement's name (首次响应时间)

    @property
    def name(self) -> str:
        """The rule as result.json and the panel's overrides name it: its label, else its fact or document."""
        return self.label or self.fact or self.document or ""

    @property
    def title(self) -> Text:
        """The rule as a person reads it: its label (English label when given), the
        requirement's name, or the fact's or document's name — never a code."""
        if self.requirement is not None:
            return self.requirement
        if self.label:
            return Text(self.label, self.label_en or self.label)
        return fact_name(self.fact) if self.fact else document_name(self.document or "")

    @cached_property
    def json_head(self) -> dict:
        """What result.json says of the rule itself, the same for every bid: worked out once."""
        return {
            "rule": self.name,
            "rule_en": self.label_en or self.name,
            "kind": self.kind,
            "fact": self.subject,
            "op": self.op,
            "required": _json_value(self.value),
        }

    @property
    def subject(self) -> str:
        return self.fact or self.document or ""


class RuleResult:
    """One rule applied to one bid: passed or not, the value declared, and why.

    ``why`` is worded when first read (a result of 1,000 bids holds ~8,000 of these and a
    page or result.json reads the words of the failed ones): :func:`explain` words it from
    the rule, the value and the outcome; an outcome with other words (an evaluator's
    override) gives them."""

    __slots__ = ("rule", "passed", "declared", "_why")

    def __init__(self, rule: Rule, passed: bool, declared: object, why: Text | None = None):
        self.rule, self.passed, self.declared, self._why = rule, passed, declared, why

    @property
    def why(self) -> Text:
        """Why it failed, or what was checked."""
        if self._why is None:
            self._why = explain(self.rule, self.declared, self.passed)
        return self._why

    def __eq__(self, other) -> bool:
        return isinstance(other, RuleResult) and (self.rule, self.passed, self.declared, self.why) == (
            other.rule,
            other.passed,
            other.declared,
            other.why,
        )

    __hash__ = None

    def __repr__(self) -> str:
        return f"RuleResult({self.rule.name!r}, passed={self.passed}, declared={self.declared!r})"

    @property
    def reason(self) -> str:
        """The reason as listed in result.json (§8): the rule's name, then why, "中文 / English"."""
        return f"{self.rule.name}：{self.why.joined()}"

    @property
    def reason_text(self) -> Text:
        """The reason as a person reads it: the rule's title, then why."""
        return self.rule.title + Text("：", ": ") + self.why

    def to_json(self) -> dict:
        return {
            **self.rule.json_head,
            "declared": _json_value(self.declared),
            "passed": self.passed,
            "mandatory": self.rule.mandatory,
            "reason": self.reason if not self.passed else None,
        }


_TEXT_ONLY = frozenset({str})


def _json_value(value):
    if value is None or type(value) is str or type(value) is bool:
        return value
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, (list, tuple)):
        if {*map(type, value)} <= _TEXT_ONLY:  # codes (platforms, channels): as they are, ~11,000 calls less
            return list(value)
        return [_json_value(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def parse_rules(raw, path: str, problems: Problems) -> tuple[Rule, ...]:
    if raw is None:
        return ()
    items = expect_list(raw, path, problems)
    rules = []
    for index, entry in enumerate(items or []):
        where = join(path, index)
        entry = expect_dict(entry, where, problems)
        if entry is None:
            continue
        check_keys(entry, {"fact", "document", "op", "value", "label", "label_en", "mandatory"}, where, problems)
        op = entry.get("op")
        if op not in OPS:
            problems.add(
                join(where, "op"),
                f"未知的比较方式“{op}”（可选：{', '.join(OPS)}）",
                f"unknown op '{op}' (one of: {', '.join(OPS)})",
            )
            continue
        fact, document = entry.get("fact"), entry.get("document")
        if (fact is None) == (document is None):
            problems.add(where, "应指定 fact（事实）或 document（文件）之一", "must name either a fact or a document")
            continue
        if document is not None and op != "present":
            problems.add(join(where, "op"), "文件类规则只能用 present", "a document rule can only use 'present'")
            continue
        value = entry.get("value")
        if op in (">=", "<=", "==", "covers") and "value" not in entry:
            problems.add(join(where, "value"), "缺少比较值", "the value to compare with is missing")
            continue
        if op in (">=", "<="):
            try:
                value = to_decimal(value)
            except NotANumber:
                problems.add(
                    join(where, "value"), f"“{op}”需要数字，实为 {value!r}", f"'{op}' needs a number, got {value!r}"
                )
                continue
        if op == "covers":
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not value:
                problems.add(join(where, "value"), "covers 需要一个非空列表", "'covers' needs a non-empty list")
                continue
            value = tuple(normalize_code(v) for v in value)
        label = text(entry, "label", where, problems, default=None)
        label_en = text(entry, "label_en", where, problems, default=None)
        mandatory = boolean(entry, "mandatory", where, problems, default=True)
        rules.append(
            Rule(op=op, fact=fact, document=document, value=value, label=label, label_en=label_en, mandatory=mandatory)
        )
    return tuple(rules)


# Conformity review (§5.1): tender requirement → (vendor fact, op, 中文名, English name)
SCOPE_FACTS = {"platforms": "platforms", "channels": "channels", "services": "services"}
QUALITY_FACTS = {
    "first_response_seconds_max": ("first_response_seconds", "<=", "首次响应时间", "first response time"),
    "complaint_reply_hours_max": ("complaint_reply_hours", "<=", "投诉答复时限", "complaint reply time"),
    "complaint_solution_hours_max": ("complaint_solution_hours", "<=", "投诉解决时限", "complaint solution time"),
    "satisfaction_min": ("satisfaction_commitment", ">=", "满意度", "satisfaction"),
}
SCOPE_NAMES = {
    "platforms": ("服务平台", "platforms"),
    "channels": ("服务渠道", "channels"),
    "services": ("服务类型", "services"),
}


def conformity_rules(service_scope: dict, quality: dict) -> tuple[Rule, ...]:
    """The binding scope and quality requirements of the tender, as rules (§5.1)."""
    rules = []
    for key, fact in SCOPE_FACTS.items():
        required = service_scope.get(key)
        if required:
            zh, en = SCOPE_NAMES[key]
            rules.append(
                Rule(
                    op="covers",
                    fact=fact,
                    value=tuple(normalize_code(v) for v in required),
                    label=f"service_scope.{key} / {zh}",
                    label_en=f"service_scope.{key} / {en}",
                    kind="conformity",
                    requirement=Text(zh, en),
                )
            )
    for key, (fact, op, zh, en) in QUALITY_FACTS.items():
        if quality.get(key) is not None:
            rules.append(
                Rule(
                    op=op,
                    fact=fact,
                    value=quality[key],
                    label=f"{key} / {zh}",
                    label_en=f"{key} / {en}",
                    kind="conformity",
                    requirement=Text(zh, en),
                )
            )
    return tuple(rules)


def check(rule: Rule, facts: dict, documents: frozenset[str]) -> RuleResult:
    """Apply one rule to a vendor's facts and documents; never raises. The words of the
    outcome come from :func:`explain` when they are read."""
    if rule.document is not None:
        provided = rule.document in documents
        return RuleResult(rule, provided, True if provided else None)
    declared = facts.get(rule.fact)
    if _undeclared(declared):
        return RuleResult(rule, False, None)
    return RuleResult(rule, _passes(rule, declared), declared)


def _undeclared(declared) -> bool:
    # Empty text, list or tuple, asked by type: ``declared == ""`` of a Decimal (most facts)
    # makes it ask whether "" is a numbers.Rational, a Python-level ABC check, twice a
    # number (~10,000 checks for 1,000 bids).
    return declared is None or (isinstance(declared, (str, list, tuple)) and not declared)


def _passes(rule: Rule, declared) -> bool:
    if rule.op == "present":
        return True
    if rule.op == "covers":
        return not _missing(rule, declared)
    if rule.op == "==":
        return _equal(declared, rule.value)
    try:
        number = to_decimal(declared)
    except NotANumber:
        return False
    limit = to_decimal(rule.value)
    return number >= limit if rule.op == ">=" else number <= limit


def _missing(rule: Rule, declared) -> list:
    """The codes a ``covers`` rule requires that the declared set lacks."""
    have = {normalize_code(v) for v in (declared if isinstance(declared, (list, tuple, set)) else [declared])}
    return [v for v in rule.value if v not in have]


def explain(rule: Rule, declared, passed: bool) -> Text:
    """The words of a rule's outcome: what was declared against what the rule requires."""
    if rule.document is not None:
        return Text("已提供", "provided") if passed else Text("未提供", "not provided")
    if _undeclared(declared):
        return Text("未申报", "not declared")
    if rule.op == "present":
        return Text("已申报", "declared")
    value = shown(declared)
    if rule.op == "covers":
        missing = _missing(rule, declared)
        if missing:
            lacking = Text.join((code_name(v) for v in missing), "、", ", ")
            return Text(f"申报 {value.zh}，缺少 {lacking.zh}", f"declared {value.en}, missing {lacking.en}")
        return Text(f"申报 {value.zh}，已覆盖", f"declared {value.en}, covered")
    if rule.op == "==":
        if passed:
            return Text(f"申报 {value.zh}", f"declared {value.en}")
        required = shown(rule.value)
        return Text(f"申报 {value.zh}，要求 {required.zh}", f"declared {value.en}, required {required.en}")
    try:
        to_decimal(declared)
    except NotANumber:
        return Text(f"申报值 {value.zh} 不是数字", f"declared value {value.en} is not a number")
    required = f"{rule.op} {shown(to_decimal(rule.value)).zh}"
    if passed:
        return Text(f"申报 {value.zh}，满足 {required}", f"declared {value.en}, meets {required}")
    return Text(f"申报 {value.zh}，不满足 {required}", f"declared {value.en}, does not meet {required}")


def _equal(declared, required) -> bool:
    if isinstance(required, bool):
        return as_bool(declared) is required
    try:
        return to_decimal(declared) == to_decimal(required)
    except NotANumber:
        pass
    if isinstance(declared, (list, tuple)) and isinstance(required, (list, tuple)):
        return sorted(map(normalize_code, declared)) == sorted(map(normalize_code, required))
    return str(declared).strip().lower() == str(required).strip().lower()
