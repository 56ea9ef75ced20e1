"""Vendor facts (domain §5): the standard ones with their labels and kinds, and their reading.

Facts are open: a tender may reference any other fact (``iso9001``, ``seats_available``),
so unknown fact names are accepted. Standard facts are read into their kind here, so
``"是"`` is ``True`` and ``"3000000"`` is ``Decimal(3000000)`` whatever the source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from scoring.errors import Problems
from scoring.money import NotANumber, Recurring, plain, to_decimal
from scoring.reading import as_bool, join
from scoring.text import Text


@dataclass(frozen=True)
class Fact:
    zh: str
    en: str
    kind: str  # text | money | number | integer | bool | set | date | seconds | hours | share


STANDARD_FACTS: dict[str, Fact] = {
    "company_name": Fact("公司名称", "company name", "text"),
    "registered_capital": Fact("注册资本（元）", "registered capital (CNY)", "money"),
    "established": Fact("成立日期", "date established", "date"),
    "years_in_business": Fact("经营年限（年）", "years in business", "number"),
    "independent_legal_person": Fact("具有独立法人资格", "independent legal person", "bool"),
    "staff_count": Fact("员工人数", "staff", "integer"),
    "agents_available": Fact("可派客服人数", "agents available", "integer"),
    "similar_projects": Fact("同类项目数量", "similar projects", "integer"),
    "platforms": Fact("服务平台", "platforms", "set"),
    "channels": Fact("服务渠道", "channels", "set"),
    "services": Fact("服务类型（售前/售中/售后）", "services (pre/in/after sale)", "set"),
    "first_response_seconds": Fact("首次响应时间承诺（秒）", "first response time commitment (seconds)", "number"),
    "complaint_reply_hours": Fact("投诉答复时限承诺（小时）", "complaint reply commitment (hours)", "number"),
    "complaint_solution_hours": Fact("投诉解决时限承诺（小时）", "complaint solution commitment (hours)", "number"),
    "satisfaction_commitment": Fact("满意度承诺", "satisfaction commitment", "share"),
    "conversion_rate_commitment": Fact("询单转化率承诺", "conversion rate commitment", "share"),
    "sound_accounting": Fact("具有健全的财务会计制度", "sound accounting system", "bool"),
    "sme": Fact("小微企业", "small or micro enterprise (SME)", "bool"),
    "no_major_violation_3y": Fact("近三年无重大违法记录", "no major violation in 3 years", "bool"),
}

# Codes used in service_scope and the vendor's sets, with their labels.
PLATFORMS = {
    "taobao": ("淘宝", "Taobao"),
    "tmall": ("天猫", "Tmall"),
    "jd": ("京东", "JD"),
    "pinduoduo": ("拼多多", "Pinduoduo"),
    "douyin": ("抖音", "Douyin"),
    "kuaishou": ("快手", "Kuaishou"),
    "xiaohongshu": ("小红书", "Xiaohongshu"),
    "wechat": ("微信", "WeChat"),
    "own_site": ("自有商城", "own web shop"),
}
CHANNELS = {
    "online_chat": ("在线客服", "online chat"),
    "phone": ("电话客服", "phone"),
    "email": ("邮件客服", "e-mail"),
    "ticket": ("工单", "tickets"),
}
SERVICES = {"pre_sale": ("售前", "pre-sale"), "in_sale": ("售中", "in-sale"), "after_sale": ("售后", "after-sale")}
CODE_LABELS = {**PLATFORMS, **CHANNELS, **SERVICES}

# Facts outside the standard list that tenders often ask for (facts are open, §5): their names.
FURTHER_FACTS = {
    "iso9001": ("ISO 9001 质量管理体系认证", "ISO 9001 certification"),
    "iso27001": ("ISO 27001 信息安全管理体系认证", "ISO 27001 certification"),
    "seats_available": ("可用坐席数", "seats available"),
    "answer_rate": ("接通率", "answer rate"),
    "avg_handle_seconds": ("平均处理时长（秒）", "average handling time (seconds)"),
}

# Documents a qualification rule may require (``{"document": …, "op": "present"}``).
DOCUMENTS = {
    "business_license": ("营业执照", "business licence"),
    "audit_report": ("财务审计报告", "audited financial statements"),
    "tax_certificate": ("依法纳税证明", "tax payment certificate"),
    "social_security": ("社保缴纳证明", "social security payment certificate"),
    "credit_report": ("信用记录查询结果", "credit record"),
    "iso9001": ("ISO 9001 证书", "ISO 9001 certificate"),
    "iso27001": ("ISO 27001 证书", "ISO 27001 certificate"),
    "authorization_letter": ("法定代表人授权书", "letter of authorization"),
}


def _named(code: str, names: dict) -> Text:
    if code in names:
        zh, en = names[code][:2]
        return Text(zh, en)
    words = str(code).replace("_", " ").strip()  # a fact only this tender names: its words, not its code
    return Text.same(words)


def fact_name(name: str) -> Text:
    """How a person reads a fact's name: ``similar_projects`` → 同类项目数量 / similar projects."""
    fact = STANDARD_FACTS.get(name)
    return Text(fact.zh, fact.en) if fact else _named(name, FURTHER_FACTS)


def document_name(code: str) -> Text:
    """How a person reads a required document's name: ``business_license`` → 营业执照."""
    return _named(code, DOCUMENTS)


def code_name(code: str) -> Text:
    """A platform, channel or service code as named: ``taobao`` → 淘宝 / Taobao."""
    return _named(code, CODE_LABELS) if code in CODE_LABELS else Text.same(str(code))


_CODES = {alias.lower(): code for code, (zh, en) in CODE_LABELS.items() for alias in (code, zh, en)}


def _code_of(value: str) -> str:
    key = value.strip().lower()
    return _CODES.get(key, key)


_normalized = Recurring(_code_of)


def normalize_code(value: str) -> str:
    """A set element as compared: ``"Taobao "`` and ``"淘宝"`` both become ``taobao``."""
    if type(value) is str:
        # A handful of platform and channel names, normalized ~29,000 times for 1,000 bids
        # (read, then compared by each covers rule): one dict lookup instead of three calls.
        return _normalized[value]
    return _code_of(str(value))


_NUMBERS = frozenset({"money", "number", "integer", "share"})


def read_fact(name: str, raw, path: str, problems: Problems):
    """Read one declared fact into its kind; an unreadable standard fact is a problem."""
    fact = STANDARD_FACTS.get(name)
    if raw is None or fact is None:
        if isinstance(raw, float):
            return to_decimal(raw)
        return raw
    # The values a bid.json gives, first, read as the readers below read them (17,000 facts
    # for 1,000 bids): a whole number, a yes/no, a text.
    kind, given = fact.kind, type(raw)
    if given is int and kind in _NUMBERS:
        return Decimal(raw)
    if given is bool and kind == "bool":
        return raw
    if given is str and kind == "text":
        return raw.strip()
    if kind in _NUMBERS:
        try:
            return to_decimal(raw)
        except NotANumber:
            problems.add(
                join(path, name), f"“{fact.zh}”应为数字，实为 {raw!r}", f"'{name}' must be a number, got {raw!r}"
            )
            return None
    if fact.kind == "bool":
        value = as_bool(raw)
        if value is None:
            problems.add(
                join(path, name), f"“{fact.zh}”应为是/否，实为 {raw!r}", f"'{name}' must be yes or no, got {raw!r}"
            )
        return value
    if fact.kind == "set":
        items = (
            raw
            if isinstance(raw, list)
            else [part for part in str(raw).replace("，", ",").replace("、", ",").split(",")]
        )
        # a text item's code read from normalize_code's memo without calling it (the codes recur)
        return sorted(
            {_normalized[item] if type(item) is str else normalize_code(item) for item in items if str(item).strip()}
        )
    if fact.kind == "date":
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw).strip()[:10])
        except ValueError:
            problems.add(
                join(path, name),
                f"“{fact.zh}”应为日期（如 2020-05-01），实为 {raw!r}",
                f"'{name}' must be a date such as 2020-05-01, got {raw!r}",
            )
            return None
    if not isinstance(raw, str):
        return str(raw)
    return raw.strip()


def read_facts(raw: dict, path: str, problems: Problems, *, as_of: dt.date | None) -> dict:
    """All declared facts, read; ``years_in_business`` derived from ``established`` at ``as_of``."""
    facts = {name: read_fact(name, value, path, problems) for name, value in raw.items()}
    facts = {name: value for name, value in facts.items() if value is not None}
    established = facts.get("established")
    if "years_in_business" not in facts and isinstance(established, dt.date):
        on = as_of or dt.date.today()
        years = on.year - established.year - ((on.month, on.day) < (established.month, established.day))
        facts["years_in_business"] = Decimal(max(years, 0))
    return facts


def shown(value) -> Text:
    """A fact's value as a reason shows it: sets by their names, decimals plain, booleans 是/yes."""
    if isinstance(value, bool):
        return Text("是", "yes") if value else Text("否", "no")
    if isinstance(value, (list, tuple, set, frozenset)):
        return Text.join((code_name(v) for v in value), "、", ", ")
    if isinstance(value, Decimal):
        return Text.same(plain(value))
    return Text.same(str(value))
