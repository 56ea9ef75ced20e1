"""Translated names of statuses and roles, shown in pages and messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "draft": _l("Draft"),
    "published": _l("Open for bids"),
    "closed": _l("Closed (deadline passed)"),
    "opened": _l("Opened"),
    "signing": _l("Report being signed"),
    "final_round": _l("Final offers invited"),
    "final_round_closed": _l("Final offers in (to be opened)"),
    "evaluated": _l("Evaluated"),
    "awarded": _l("Awarded"),
    "cancelled": _l("Cancelled"),
    "failed": _l("Failed (too few valid bids)"),
    "preview": _l("Not yet confirmed"),
    "submitted": _l("Submitted"),
    "superseded": _l("Replaced"),
    "withdrawn": _l("Withdrawn"),
    "discarded": _l("Discarded"),
}

ROLE_LABELS = {
    "buyer": _l("Buyer"),
    "vendor": _l("Vendor"),
    "evaluator": _l("Evaluator"),
    "admin": _l("Administrator"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def fact_label(name: str) -> str:
    """A vendor fact's name as users read it (``registered_capital`` → 注册资本（元）)."""
    from scoring.facts import fact_name
    from tender.platform.i18n import pick

    return pick(fact_name(name))


def action_label(action: str) -> str:
    """An audit record's action as users read it (``bid_submitted`` → 提交投标)."""
    from tender.platform.i18n import pick
    from tender.reports.labels import AUDIT_ACTIONS

    return pick(*AUDIT_ACTIONS[action]) if action in AUDIT_ACTIONS else action


def pricing_label(name: str) -> str:
    """A quote parameter's name as users read it (``new_rate`` → 新用户单价（元/咨询）)."""
    from scoring.pricing import PARAMETERS
    from tender.platform.i18n import pick

    if name == "model":
        return str(_l("Pricing model"))
    param = PARAMETERS.get(name)
    return pick(param.zh, param.en) if param else name


def shown_value(name: str, value) -> str:
    """A declared fact or quote value in words: codes named, yes/no, numbers with separators."""
    from scoring.facts import CODE_LABELS, STANDARD_FACTS
    from scoring.pricing import MODELS
    from tender.platform.i18n import is_english, pick
    from tender.platform.timefmt import show_money, show_number

    separator = ", " if is_english() else "；"
    if isinstance(value, bool):
        return str(_l("yes")) if value else str(_l("no"))
    if isinstance(value, dict):  # a rate card: item → unit price
        return separator.join(f"{item} = {show_money(price)}" for item, price in value.items())
    if isinstance(value, (list, tuple)):
        if all(isinstance(item, dict) and {"label", "amount"} <= set(item) for item in value):  # one-time fees
            return separator.join(f"{item['label']} {show_money(item['amount'])}" for item in value)
        if all(isinstance(item, str) for item in value):
            names = [pick(*CODE_LABELS[item]) if item in CODE_LABELS else item for item in value]
            return (", " if is_english() else "、").join(names)
        import json

        return json.dumps(value, ensure_ascii=False)
    if name == "model" and value in MODELS:
        return pick(MODELS[value].zh, MODELS[value].en)
    fact = STANDARD_FACTS.get(name)
    if fact is not None and fact.kind in ("money", "number", "integer", "seconds", "hours"):
        return show_number(value)
    return "—" if value is None or value == "" else str(value)
