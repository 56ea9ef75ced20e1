"""The rule and criteria builders of the tender form: facts by their names, comparisons in
words, values with their units — read into and out of the JSON of domain §5 and §7.2.

A qualification rule row is "审查项目 [注册资本] [不低于] [100] [万元]"; an objective criterion's
step row is "[不高于] [30] 秒 得 [10] 分". The JSON saved stays exactly what domain.md says
(``{"fact": "registered_capital", "op": ">=", "value": 1000000}``): the unit only scales
what was typed (万元 × 10,000; % ÷ 100) and is chosen back from the fact when the form is
filled from a definition. Every number goes through the vendor's sheet's reader
(:func:`tender.documents.cells.read_number`), so ``100万``, ``95%`` and ``3,000`` read alike.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from scoring.facts import DOCUMENTS, FURTHER_FACTS, STANDARD_FACTS, code_name, normalize_code
from tender.documents.cells import CellValueError, read_number
from tender.platform.i18n import is_english, pick

OTHER = "other"  # the subject/fact select's "another fact, named in words"
DOCUMENT = "document:"  # a document's option value in the subject select

# The units a value may be given in, with the factor from what is typed to the JSON value.
UNITS: dict[str, tuple[object, Decimal]] = {
    "": ("—", Decimal(1)),
    "元": (_l("CNY"), Decimal(1)),
    "万元": (_l("CNY 10,000"), Decimal(10000)),
    "%": ("%", Decimal("0.01")),
    "秒": (_l("seconds"), Decimal(1)),
    "小时": (_l("hours"), Decimal(1)),
    "年": (_l("years"), Decimal(1)),
    "个": (_l("count"), Decimal(1)),
}
# The multiplier words a typed value may carry itself (then the unit select does not scale it).
_OWN_SCALE = ("%", "‰", "万", "千", "百万", "亿", "k", "w", "元")


def unit_choices():
    return [(code, label) for code, (label, _factor) in UNITS.items()]


def unit_label(unit: str) -> str:
    """The unit as written beside a step's value: 秒 / seconds; nothing for a plain number."""
    return "" if not unit else str(UNITS.get(unit, (unit,))[0])


def fact_unit(fact: str | None) -> str:
    """The unit a fact's value is written in on the form: 注册资本 in 万元, 满意度 in %."""
    name = fact or ""
    kind = STANDARD_FACTS[name].kind if name in STANDARD_FACTS else ""
    if kind == "money":
        return "万元"
    if kind == "share" or name.endswith(("_rate", "_share")):
        return "%"
    if name.endswith("_seconds"):
        return "秒"
    if name.endswith("_hours"):
        return "小时"
    if name.startswith("years_"):
        return "年"
    if kind == "integer":
        return "个"
    return ""


def fact_op(fact: str) -> str:
    """The comparison a rule on this fact usually makes: 覆盖 for a set, 等于 for yes/no,
    不高于 for a time limit, 不低于 otherwise."""
    kind = STANDARD_FACTS[fact].kind if fact in STANDARD_FACTS else ""
    if kind == "set":
        return "covers"
    if kind == "bool" or fact.startswith("iso"):
        return "=="
    if fact.endswith(("_seconds", "_hours")):
        return "<="
    return ">="


def fact_options() -> list[tuple[str, str, str, str]]:
    """(value, label, unit, usual comparison) of the facts a rule or criterion may name,
    standard ones first."""
    options = [
        (name, pick(fact.zh, fact.en), fact_unit(name), fact_op(name))
        for name, fact in STANDARD_FACTS.items()
        if fact.kind not in ("text", "date")
    ]
    options += [(name, pick(zh, en), fact_unit(name), fact_op(name)) for name, (zh, en) in FURTHER_FACTS.items()]
    return options


def document_options() -> list[tuple[str, str]]:
    return [(DOCUMENT + code, pick(zh, en)) for code, (zh, en) in DOCUMENTS.items()]


def known_fact(name: str) -> bool:
    return name in STANDARD_FACTS or name in FURTHER_FACTS


# --------------------------------------------------------------------------- typed value ⇄ JSON value


def read_value(text: str | None, unit: str):
    """What was typed, scaled by its unit, as the JSON wants a number (int when whole,
    decimal text otherwise); text that is not a number is passed on as typed (``scoring``
    names it); empty → ``None``."""
    raw = (text or "").strip()
    if not raw:
        return None
    try:
        value, written = read_number(raw)
    except CellValueError:
        return raw
    if not any(mark in written for mark in _OWN_SCALE):
        factor = UNITS.get(unit or "", ("", Decimal(1)))[1]
        if unit == "%" and abs(value) <= 1:
            factor = Decimal(1)  # 0.95 under % is the share itself, 95 is 95 %
        value = value * factor
    return as_json_number(value)


def as_json_number(value: Decimal):
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


def value_in_unit(value, unit: str) -> str:
    """A JSON number as typed in its unit: 1000000 in 万元 → ``100``; 0.95 in % → ``95``."""
    if value is None or isinstance(value, bool):
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    factor = UNITS.get(unit or "", ("", Decimal(1)))[1]
    if unit == "万元" and number % 10000:
        return format(number.normalize(), "f") + "元"  # not a whole number of 万: said in 元
    typed = format((number / factor).normalize(), "f")
    if unit == "%" and abs(number / factor) <= 1:
        return typed + "%"  # 0.5 % stays 0.5 %, not a share of 0.5
    return typed


def understood_value(text: str | None, unit: str) -> str | None:
    """What a typed value was read as, for the line under it: ``100`` 万元 → ``1,000,000``."""
    value = read_value(text, unit)
    try:
        number = Decimal(str(value))
    except ArithmeticError:  # nothing typed, or not a number (its error says so)
        return None
    whole, _, fraction = format(number.normalize(), "f").partition(".")
    shown = f"{int(whole):,}" + ("." + fraction if fraction else "")
    return None if shown == (text or "").strip() else shown


# --------------------------------------------------------------------------- rule values in words

YES, NO = ("是", "yes"), ("否", "no")
_TRUE = {"yes", "y", "true", "是", "有", "具备", "1"}
_FALSE = {"no", "n", "false", "否", "无", "不具备", "0"}


def rule_value(op: str, text: str | None, unit: str = ""):
    """The JSON value of a rule from its typed value: a list of codes for 覆盖, yes/no for
    等于 on a yes-or-no fact, a number in its unit otherwise."""
    raw = (text or "").strip()
    if op == "present":
        return None
    if op == "covers":
        return [normalize_code(part) for part in re.split(r"[,，、;；\s]+", raw) if part.strip()]
    if op == "==":
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
    return read_value(raw, unit)


def rule_value_text(value, unit: str = "") -> str:
    """A rule's JSON value as the form shows it, in the reader's language."""
    if isinstance(value, bool):
        return pick(*(YES if value else NO))
    if isinstance(value, (list, tuple)):
        return (", " if is_english() else "、").join(pick(code_name(str(v))) for v in value)
    return value_in_unit(value, unit)
