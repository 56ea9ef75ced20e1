"""The tender notice (招标公告): a published tender's binding terms, in words, for anyone.

What a vendor needs to decide whether to bid, read from the parsed :class:`~scoring.tender.Tender`
and nothing else (never a bid): the scope of service, the quality requirements, the
qualification rules, the workload scenario every quote is priced on, the criteria with
their weights and how each is scored, and the other terms (ceiling, abnormally low prices,
SME deduction, minimum of valid bids, winners, final offers, required sections). Each term
is a :class:`Term` of two :class:`~scoring.text.Text` values, so a page shows it in its
reader's language; codes (``first_response_seconds_max``, ``taobao``) are never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.criteria import OBJECTIVE_RULES, Criterion
from scoring.facts import STANDARD_FACTS, code_name, shown
from scoring.money import pct_text, plain, thousands
from scoring.qualification import QUALITY_FACTS, SCOPE_NAMES, Rule
from scoring.tender import Tender
from scoring.text import Text


@dataclass(frozen=True)
class Term:
    label: Text
    value: Text


@dataclass(frozen=True)
class Section:
    key: str  # scope | quality | qualification | scenario | criteria | terms
    title: Text
    terms: tuple[Term, ...]


def _t(zh: str, en: str) -> Text:
    return Text(zh, en)


# --------------------------------------------------------------------------- scope and quality

_SCOPE_HOURS = {"service_hours": _t("服务时间", "service hours"), "days": _t("服务日", "service days")}

# requirement key → (zh, en) of the condition; {v} the limit as written
_QUALITY_WORDS = {
    "first_response_seconds_max": ("不超过 {v} 秒", "within {v} seconds"),
    "complaint_reply_hours_max": ("不超过 {v} 小时", "within {v} {hours}"),
    "complaint_solution_hours_max": ("不超过 {v} 小时", "within {v} {hours}"),
    "satisfaction_min": ("不低于 {v}", "at least {v}"),
}


def scope_terms(tender: Tender) -> tuple[Term, ...]:
    scope = tender.service_scope
    terms = []
    for key in ("platforms", "channels", "services"):
        if scope.get(key):
            zh, en = SCOPE_NAMES[key]
            terms.append(Term(_t(zh, en), Text.join((code_name(c) for c in scope[key]), "、", ", ")))
    for key, label in _SCOPE_HOURS.items():
        if scope.get(key):
            terms.append(Term(label, Text.same(scope[key])))
    return tuple(terms)


def quality_terms(tender: Tender) -> tuple[Term, ...]:
    terms = []
    for key, (_fact, _op, zh, en) in QUALITY_FACTS.items():
        value = tender.quality_requirements.get(key)
        if value is None:
            continue
        written = pct_text(Decimal(value)) if key == "satisfaction_min" else plain(Decimal(value))
        words_zh, words_en = _QUALITY_WORDS[key]
        hours = "hour" if written == "1" else "hours"
        terms.append(Term(_t(zh, en), _t(words_zh.format(v=written), words_en.format(v=written, hours=hours))))
    return tuple(terms)


# --------------------------------------------------------------------------- qualification


def _value(rule: Rule) -> Text:
    """The rule's value as a person reads it: money with separators and its unit, shares as %."""
    kind = STANDARD_FACTS[rule.fact].kind if rule.fact in STANDARD_FACTS else None
    if isinstance(rule.value, Decimal):
        if kind == "money":
            return _t(f"{thousands(rule.value)} 元", f"CNY {thousands(rule.value)}")
        if kind == "share":
            return Text.same(pct_text(rule.value))
        return Text.same(thousands(rule.value))
    return shown(rule.value)


def rule_in_words(rule: Rule) -> Text:
    """What a qualification rule asks, in words: 不低于 1,000,000 元 / at least CNY 1,000,000."""
    if rule.op == ">=":
        words = _t("不低于 ", "at least ") + _value(rule)
    elif rule.op == "<=":
        words = _t("不高于 ", "at most ") + _value(rule)
    elif rule.op == "covers":
        words = _t("须覆盖：", "must cover: ") + shown(rule.value)
    elif rule.op == "==" and rule.value is True:
        words = _t("须具备", "required")
    elif rule.op == "==" and rule.value is False:
        words = _t("须不具备", "must not apply")
    elif rule.op == "==":
        words = _t("须为 ", "must be ") + shown(rule.value)
    elif rule.document:
        words = _t("须提供", "to be provided")
    else:
        words = _t("须声明", "to be declared")
    if not rule.mandatory:
        words = words + _t("（非强制）", " (not mandatory)")
    return words


def qualification_terms(tender: Tender) -> tuple[Term, ...]:
    return tuple(Term(rule.title, rule_in_words(rule)) for rule in tender.qualification_rules)


# --------------------------------------------------------------------------- scenario

_SCENARIO = (  # field, zh, en
    ("daily_inquiries", "日均咨询量", "inquiries per day"),
    ("days_per_month", "每月服务天数", "service days per month"),
    ("returning_share", "老用户占比", "share of returning customers"),
    ("agents_per_shift", "每班坐席数", "agents per shift"),
    ("shifts_per_day", "每天班次数", "shifts per day"),
    ("hours_per_shift", "每班时长（小时）", "hours per shift"),
    ("cs_sales_per_month", "客服月销售额（元）", "sales converted by customer service per month (CNY)"),
    ("peak_days_per_year", "每年大促天数", "peak days per year"),
    ("peak_extra_agents", "大促每天增加坐席", "extra agents on each peak day"),
    ("contract_months", "合同期（月）", "contract length (months)"),
)


def scenario_terms(tender: Tender) -> tuple[Term, ...]:
    scenario = tender.scenario
    terms = []
    for name, zh, en in _SCENARIO:
        value = getattr(scenario, name)
        if name in ("peak_days_per_year", "peak_extra_agents", "cs_sales_per_month") and not value:
            continue
        written = pct_text(value) if name == "returning_share" else thousands(value)
        terms.append(Term(_t(zh, en), Text.same(written)))
    for item in scenario.work_items:
        terms.append(
            Term(
                Text.same(item.name),
                _t(
                    f"每月 {thousands(item.monthly_quantity)} {item.unit}",
                    f"{thousands(item.monthly_quantity)} {item.unit} a month",
                ),
            )
        )
    return tuple(terms)


# --------------------------------------------------------------------------- criteria

_PRICE_METHOD = {
    "lowest_price": _t(
        "低价优先法：有效投标中最低的月度成本为评标基准价，价格分 = 基准价 ÷ 投标月度成本 × {w} 分",
        "lowest-price method: the lowest monthly cost among the valid bids is the benchmark; "
        "price score = benchmark ÷ the bid's monthly cost × {w} points",
    ),
    "average_deviation": _t(
        "平均值偏差法：有效投标月度成本的平均值为评标基准价，高于或低于基准价按偏离百分比扣分（满分 {w} 分）",
        "average-deviation method: the mean monthly cost of the valid bids is the benchmark; "
        "points are deducted per percent above or below it (at most {w} points)",
    ),
}


def _fill(text: Text, **values) -> Text:
    return Text(text.zh.format(**values), text.en.format(**values))


def how_scored(criterion: Criterion, tender: Tender) -> Text:
    """How a criterion's points are given, in words."""
    weight = plain(criterion.weight)
    if criterion.kind == "price":
        return _fill(_PRICE_METHOD[tender.price_method.method], w=weight)
    if criterion.kind == "objective":
        return OBJECTIVE_RULES[criterion.rule].announce(criterion)
    words = (
        _t("评标专家独立打分，取平均值", "each evaluator scores on its own; the mean counts")
        if criterion.aggregate == "mean"
        else _t(
            "评标专家独立打分，取平均值；评标专家不少于 5 人时去掉一个最高分和一个最低分",
            "each evaluator scores on its own; the mean counts, without the highest and the lowest score "
            "when five or more evaluators score",
        )
    )
    if criterion.bands:
        bands = Text.join(
            (
                Text(f"{b.label} {plain(b.min)}–{plain(b.max)} 分", f"{b.label} {plain(b.min)}–{plain(b.max)} points")
                for b in sorted(criterion.bands, key=lambda b: b.min, reverse=True)
            ),
            "；",
            "; ",
        )
        words = words + _t("；档次：", "; bands: ") + bands
    return words


_KIND = {
    "price": _t("价格分", "price"),
    "objective": _t("客观分", "objective"),
    "subjective": _t("主观分", "subjective"),
}


def criteria_terms(tender: Tender) -> tuple[Term, ...]:
    return tuple(
        Term(
            criterion.title,
            _KIND[criterion.kind]
            + _t(f" · {plain(criterion.weight)} 分 · ", f" · {plain(criterion.weight)} points · ")
            + how_scored(criterion, tender),
        )
        for criterion in tender.criteria
    )


# --------------------------------------------------------------------------- other terms


def other_terms(tender: Tender) -> tuple[Term, ...]:
    terms = []
    if tender.price_ceiling is not None:
        terms.append(
            Term(
                _t("最高限价", "price ceiling"),
                _t(
                    f"每月 {thousands(tender.price_ceiling)} 元（含税）",
                    f"CNY {thousands(tender.price_ceiling)} a month (VAT included)",
                ),
            )
        )
    ratio = pct_text(tender.abnormal_low_ratio)
    terms.append(
        Term(
            _t("异常低价", "abnormally low price"),
            _t(
                f"月度成本低于其他有效投标平均值的 {ratio} 时，须书面说明其合理性，由评标委员会决定是否接受",
                f"a monthly cost below {ratio} of the mean of the other valid bids must be explained in writing; "
                f"the panel decides whether to accept it",
            ),
        )
    )
    if tender.sme_price_deduction:
        deduction = pct_text(tender.sme_price_deduction)
        terms.append(
            Term(
                _t("小微企业价格扣除", "SME price deduction"),
                _t(f"小微企业的评审价格扣除 {deduction}", f"an SME's price is scored {deduction} lower"),
            )
        )
    terms.append(
        Term(
            _t("有效投标数量", "valid bids needed"),
            _t(
                f"有效投标少于 {tender.min_valid_bids} 家时流标",
                f"fewer than {tender.min_valid_bids} valid bids: the tender fails",
            ),
        )
    )
    if tender.award.winners > 1:
        shares = Text.same(" / ".join(pct_text(s) for s in tender.award.shares))
        terms.append(
            Term(
                _t("中标人数量与份额", "winners and their shares"),
                _t(f"{tender.award.winners} 家，份额 ", f"{tender.award.winners}, with shares ") + shares,
            )
        )
    if tender.final_offer:
        terms.append(
            Term(
                _t("最后报价", "final offers"),
                _t(
                    "技术评审后，有效投标人可在规定时间内提交一次最后报价（不得高于首次报价）",
                    "after the technical evaluation the valid bidders may make one final offer, "
                    "by a set time (never above their first price)",
                ),
            )
        )
    if tender.lots:
        terms.append(
            Term(_t("标包", "lots"), Text.join((Text.same(lot.name or lot.id) for lot in tender.lots), "、", ", "))
        )
    if tender.required_sections:
        terms.append(
            Term(
                _t("投标文件须包含的章节", "sections the bid document must have"),
                Text.join((Text.same(s) for s in tender.required_sections), "、", ", "),
            )
        )
    return tuple(terms)


# --------------------------------------------------------------------------- the notice


def notice_sections(tender: Tender) -> tuple[Section, ...]:
    """Every section of the notice that has something to say, in the order a notice gives them."""
    sections = (
        Section("scope", _t("服务范围", "Scope of service"), scope_terms(tender)),
        Section("quality", _t("服务质量要求", "Quality requirements"), quality_terms(tender)),
        Section("qualification", _t("投标人资格要求", "Qualification of bidders"), qualification_terms(tender)),
        Section(
            "scenario",
            _t(
                "用量基准（所有报价按此折算为月度成本）",
                "Workload scenario (every quote is normalized to a monthly cost on it)",
            ),
            scenario_terms(tender),
        ),
        Section(
            "criteria", _t("评分标准（综合评分法）", "Scoring criteria (weighted scoring)"), criteria_terms(tender)
        ),
        Section("terms", _t("其他实质性条款", "Other binding terms"), other_terms(tender)),
    )
    return tuple(section for section in sections if section.terms)
