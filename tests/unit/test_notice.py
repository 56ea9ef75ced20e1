"""The tender notice (招标公告) in words: what a vendor reads before deciding to bid, from the
tender alone, in both languages, without a code."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.identity import ALPHABET, WEIGHTS, check_character, credit_code_problem
from scoring.notice import notice_sections, rule_in_words, thousands
from scoring.qualification import Rule
from scoring.tender import parse_tender

SAMPLE = json.loads((Path(__file__).resolve().parents[2] / "samples" / "tender.json").read_text(encoding="utf-8"))


def terms(definition: dict, lang: str = "zh") -> dict[str, dict[str, str]]:
    """section key -> {label: value} in ``lang``."""
    return {
        section.key: {term.label.get(lang): term.value.get(lang) for term in section.terms}
        for section in notice_sections(parse_tender(definition))
    }


def test_the_sample_notice_gives_scope_quality_and_qualification_in_words_in_both_languages():
    zh, en = terms(SAMPLE, "zh"), terms(SAMPLE, "en")
    assert zh["scope"]["服务平台"] == "淘宝、天猫、京东、拼多多"
    assert en["scope"]["platforms"] == "Taobao, Tmall, JD, Pinduoduo"
    assert zh["scope"]["服务时间"] == "09:00-22:00"
    assert zh["quality"]["首次响应时间"] == "不超过 300 秒"
    assert en["quality"]["first response time"] == "within 300 seconds"
    assert en["quality"]["complaint reply time"] == "within 1 hour"  # one hour, not "1 hours"
    assert en["quality"]["complaint solution time"] == "within 24 hours"
    # the rule labelled by the buyer keeps its label; the condition is written out with separators
    assert zh["qualification"]["注册资金不低于人民币100万元"] == "不低于 1,000,000 元"
    assert en["qualification"]["registered capital at least 1,000,000 CNY"] == "at least CNY 1,000,000"
    assert zh["qualification"]["具有独立法人资格"] == "须具备"
    assert en["qualification"]["copy of the business licence"] == "to be provided"


def test_the_criteria_say_their_weight_and_how_points_are_given():
    zh, en = terms(SAMPLE, "zh"), terms(SAMPLE, "en")
    # price 30 points by the lowest-price method
    assert zh["criteria"]["价格"].startswith("价格分 · 30 分 · 低价优先法")
    assert "× 30 points" in en["criteria"]["price"]
    # similar projects: 2 points each, at most the weight of 10
    assert zh["criteria"]["同类项目经验"] == "客观分 · 10 分 · 同类项目数量：每 1 得 2 分，最高 10 分"
    # steps: ≤ 60 s gives 5, ≤ 30 s gives 10; the best step reached counts
    assert en["criteria"]["first response commitment"] == (
        "objective · 10 points · first response time commitment (seconds) ≤ 60: 5 points; "
        "first response time commitment (seconds) ≤ 30: 10 points (the highest step reached counts)"
    )
    assert "不少于 5 人时去掉一个最高分和一个最低分" in zh["criteria"]["团队与培训"]  # trimmed mean
    # the weights read from the notice add up to the 100 points of the tender
    weights = [int(re.search(r" · (\d+) points · ", text).group(1)) for text in en["criteria"].values()]
    assert weights == [30, 10, 10, 5, 30, 15] and sum(weights) == 100


def test_a_linear_criterion_is_capped_by_the_lower_of_its_cap_and_its_weight():
    definition = copy.deepcopy(SAMPLE)
    definition["criteria"][1].update(cap=12)  # weight 10, cap 12: at most 10
    assert "最高 10 分" in terms(definition)["criteria"]["同类项目经验"]
    definition["criteria"][1].update(cap=6)  # weight 10, cap 6: at most 6
    assert "at most 6 points" in terms(definition, "en")["criteria"]["similar projects"]


def test_the_other_binding_terms_are_written_with_their_figures():
    zh, en = terms(SAMPLE, "zh"), terms(SAMPLE, "en")
    assert zh["terms"]["最高限价"] == "每月 70,000 元（含税）"
    assert "below 80% of the mean of the other valid bids" in en["terms"]["abnormally low price"]
    assert zh["terms"]["小微企业价格扣除"] == "小微企业的评审价格扣除 10%"
    assert zh["terms"]["有效投标数量"] == "有效投标少于 3 家时流标"
    assert zh["terms"]["投标文件须包含的章节"] == "服务方案、人员配置、培训体系、质量保障、应急预案"
    # 800 inquiries a day, 35 % returning, 1,500,000 CNY of sales a month
    assert zh["scenario"]["日均咨询量"] == "800" and zh["scenario"]["老用户占比"] == "35%"
    assert en["scenario"]["sales converted by customer service per month (CNY)"] == "1,500,000"


def test_a_satisfaction_floor_reads_as_a_percentage():
    definition = copy.deepcopy(SAMPLE)
    definition["quality_requirements"]["satisfaction_min"] = 0.95
    assert terms(definition)["quality"]["满意度"] == "不低于 95%"
    assert terms(definition, "en")["quality"]["satisfaction"] == "at least 95%"


@pytest.mark.parametrize(
    "rule, zh, en",
    [
        (Rule(op=">=", fact="staff_count", value=Decimal(50)), "不低于 50", "at least 50"),
        (Rule(op="<=", fact="complaint_reply_hours", value=Decimal("1.5")), "不高于 1.5", "at most 1.5"),
        (Rule(op="covers", fact="platforms", value=("taobao", "jd")), "须覆盖：淘宝、京东", "must cover: Taobao, JD"),
        (Rule(op="==", fact="sme", value=False), "须不具备", "must not apply"),
        (
            Rule(op="present", document="audit_report", mandatory=False),
            "须提供（非强制）",
            "to be provided (not mandatory)",
        ),
    ],
)
def test_each_kind_of_rule_is_written_in_words(rule, zh, en):
    words = rule_in_words(rule)
    assert (words.zh, words.en) == (zh, en)


def test_no_section_shows_a_code():
    codes = re.compile(r"\b[a-z]+_[a-z_]+\b|\btaobao\b|\bonline_chat\b")
    for lang in ("zh", "en"):
        for section, rows in terms(SAMPLE, lang).items():
            for label, value in rows.items():
                assert not codes.search(label + " " + value), (section, label, value)


def test_thousands_keeps_decimals_as_written():
    assert thousands(Decimal("1234567.5")) == "1,234,567.5"
    assert thousands(Decimal("-2000")) == "-2,000"
    assert thousands(Decimal("0.35")) == "0.35"


def test_the_check_character_of_a_credit_code_by_hand():
    first17 = "91310115MA1K4BXQ2"
    # Σ index × weight over the 17 characters (9×1 + 1×3 + 3×9 + 1×27 + 0×19 + 1×26 + 1×16 + 5×17
    # + M=21×20 + A=10×29 + 1×25 + K=19×13 + 4×8 + B=11×24 + X=29×10 + Q=24×30 + 2×28) = 2537;
    # 2537 mod 31 = 26 (31 × 81 = 2511), 31 − 26 = 5 → the character of index 5: "5"
    assert sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS)) == 2537
    assert check_character(first17) == "5"
    assert credit_code_problem(first17 + "5") is None
    assert credit_code_problem(first17 + "6").zh.endswith("第 18 位应为 5，请核对是否输错")
