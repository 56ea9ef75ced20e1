"""The Word evaluation report: opened with python-docx and compared with the result."""

from __future__ import annotations

import re

from docx.oxml.ns import qn

from tender.reports import ReportContext, build_docx
from tests.unit.reports.sample import (
    EVALUATORS,
    EXPECTED,
    INJECTION,
    JINDOU,
    LUDAO,
    YUN,
    ZHUAN,
    load_docx,
    make_result,
)

# 杭州云客服 ranks first alone, so the report says how stable its place is (no monthly profile: no year)
SECTIONS_ZH = [
    "一、项目概况",
    "二、投标人名单",
    "三、评标委员会",
    "四、评标方法与评分标准",
    "五、开标记录",
    "六、资格性与符合性审查",
    "七、异常低价及评标委员会决定",
    "八、评分汇总",
    "九、排名与中标候选人",
    "十、权重稳定性",
    "十一、业务量敏感性分析",
    "十二、说明及不同意见",
    "十三、评标委员会成员签字",
]


def headings(document, level: int = 1) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def table_after(document, header: list[str]):
    """The first table whose header row starts with ``header``."""
    for table in document.tables:
        cells = [c.text for c in table.rows[0].cells]
        if cells[: len(header)] == header:
            return table
    raise AssertionError(f"no table with header {header}")


def rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_the_report_has_the_sections_of_a_prc_evaluation_report_in_order(docx_zh):
    assert headings(docx_zh)[:13] == SECTIONS_ZH
    assert headings(docx_zh)[13] == "附表：评委主观评分明细"


def test_project_details_opening_and_panel_are_stated(docx_zh):
    text = all_text(docx_zh)
    for expected in (
        "云裳旗舰店 电商客服外包服务项目",
        "YS-KF-2026-12",
        "杭州云裳电子商务有限公司",
        "中国政府采购网，2026-11-27",
        "2026-12-18 17:30 (UTC+8 Asia/Shanghai)",
        "杭州市余杭区文一西路 998 号 开标室",
        "2026-12-19",
    ):
        assert expected in text
    panel = table_after(docx_zh, ["序号", "姓名", "职务", "单位"])
    assert rows(panel) == [
        ["1", "专家甲", "组长", "浙江省政府采购专家库"],
        ["2", "专家乙", "成员", ""],
        ["3", "@专家丙", "成员", ""],
    ]


def test_the_criteria_are_listed_with_their_weights(docx_zh):
    criteria = rows(table_after(docx_zh, ["序号", "评分因素", "类型", "分值"]))
    assert [(r[1], r[3]) for r in criteria] == [
        ("价格", "30.00"),
        ("同类项目经验", "10.00"),
        ("首次响应时间承诺", "10.00"),
        ("具备ISO质量体系认证", "5.00"),
        ("服务方案", "30.00"),
        ("团队与培训", "15.00"),
    ]
    # the basis names the fact as a person reads it, not its code (similar_projects)
    assert criteria[1][4] == "同类项目数量 × 2 分，最高 10 分"


def test_the_opening_record_lists_every_bid_with_its_monthly_cost(docx_zh):
    record = rows(table_after(docx_zh, ["序号", "供应商", "报价方式", "月度成本（元）"]))
    assert [(r[1], r[3]) for r in record] == [
        (YUN, "60,000.00"),
        (ZHUAN, "43,800.00"),
        (INJECTION, "54,000.00"),
        (LUDAO, "30,000.00"),
        (JINDOU, "12,000.00"),
    ]


def test_every_invalid_bid_is_given_with_its_reasons(docx_zh):
    # 绿岛 fails the review; 金豆 passes it but the panel rejects its abnormally low price: two invalid bids
    invalid = rows(table_after(docx_zh, ["序号", "供应商", "原因"]))
    assert invalid == [
        ["1", LUDAO, "注册资金不低于人民币100万元：申报 800000，不满足 >= 1000000"],
        ["2", JINDOU, "异常低价，评标委员会决定否决：报价无法覆盖 12 个坐席班次的人工成本"],
    ]
    assert "5 家投标人中，4 家通过资格性与符合性审查，1 家未通过。" in all_text(docx_zh)
    assert "无效投标共 2 家（未通过审查，或异常低价被评标委员会否决），原因如下：" in all_text(docx_zh)
    abnormal = rows(table_after(docx_zh, ["供应商", "月度成本（元）", "决定", "说明"]))
    assert abnormal == [[JINDOU, "12,000.00", "否决", "报价无法覆盖 12 个坐席班次的人工成本", "评标委员会"]]


def test_the_scoring_summary_matches_every_score_and_total(docx_zh):
    summary = table_after(docx_zh, ["排名", "供应商", "价格\n（30）"])
    got = {r[1]: r for r in rows(summary)}
    for vendor, (rank, _cost, _per_inquiry, scores, total) in EXPECTED.items():
        row = got[vendor]
        assert row[0] == str(rank)
        assert row[2:8] == [scores[c] for c in ("price", "experience", "response", "licensed", "plan", "team")]
        assert row[8] == total


def test_the_ranking_names_the_candidates_in_order(docx_zh):
    ranking = rows(table_after(docx_zh, ["排名", "供应商", "月度成本（元）", "单次咨询成本（元）", "总分"]))
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in ranking] == [
        ("1", YUN, "60,000.00", "2.50", "86.90"),
        ("2", ZHUAN, "43,800.00", "1.83", "77.00"),
        ("3", INJECTION, "54,000.00", "2.25", "65.33"),
    ]
    text = all_text(docx_zh)
    assert f"第1中标候选人：{YUN}" in text and f"第3中标候选人：{INJECTION}" in text


def test_break_even_notes_and_dissent_are_written(docx_zh):
    point = rows(table_after(docx_zh, ["日均咨询量", "低于此量时最低"]))
    assert point == [["986.30", ZHUAN, INJECTION, "54,000.00"]]
    text = all_text(docx_zh)
    assert "=1+1 评审过程顺利" in text and "专家乙认为苏州专席的培训方案应得 13 分" in text


def test_the_signature_table_has_a_row_for_every_evaluator(docx_zh):
    signatures = rows(table_after(docx_zh, ["序号", "姓名", "职务", "签字", "日期"]))
    assert [r[1] for r in signatures] == list(EVALUATORS)
    assert all(r[3] == "" and r[4] == "" for r in signatures)


def test_the_appendix_has_every_evaluators_subjective_score(docx_zh):
    plan = rows(table_after(docx_zh, ["排名", "供应商", "专家甲", "专家乙", "@专家丙", "得分"]))
    assert plan[0] == ["1", YUN, "27.00", "26.00", "28.00", "27.00"]


def test_chinese_text_uses_an_east_asian_font_on_normal_and_headings(docx_zh):
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        fonts = docx_zh.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) in ("宋体", "黑体"), name
        assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_pages_are_numbered_in_the_footer(docx_zh):
    footer = docx_zh.sections[0].footer.paragraphs[0]._p.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)
    assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", footer)
    assert "第" in footer and "页" in footer


def test_the_score_stability_and_sensitivity_charts_are_inline_images(docx_zh):
    assert len(docx_zh.inline_shapes) == 3
    for shape in docx_zh.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        assert docx_zh.part.related_parts[blip.embed].content_type == "image/png"


def test_tables_use_a_table_style_and_repeat_their_header(docx_zh):
    for table in docx_zh.tables:
        assert table.style.name == "Table Grid"
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_english_report_is_in_english(docx_en):
    assert headings(docx_en)[:3] == ["1. Project", "2. Bidders", "3. Evaluation panel"]
    text = all_text(docx_en)
    assert "Evaluation report" in text and "Weighted scoring method, 100 points in all." in text
    assert "registered capital at least 1,000,000 CNY: declared 800000, does not meet >= 1000000" in text
    assert "Candidate 1: " + YUN in text
    labels = [p.text for p in docx_en.paragraphs if p.text] + [c.text for t in docx_en.tables for c in t.rows[0].cells]
    # user text: names, places, notes — and the criteria, which this tender names in Chinese only
    # (no name_en): shown by their names, never by their ids
    user_text = (
        YUN,
        ZHUAN,
        LUDAO,
        JINDOU,
        INJECTION,
        "专家",
        "云裳",
        "杭州",
        "中国政府采购网",
        "浙江省",
        "报价无法覆盖",
        "评审过程顺利",
        *("价格", "同类项目经验", "首次响应时间承诺", "具备ISO质量体系认证", "服务方案", "团队与培训"),
    )
    chinese = [t for t in labels if re.search(r"[\u4e00-\u9fff]", t) and not any(u in t for u in user_text)]
    assert chinese == []
    assert docx_en.sections[0].footer.paragraphs[0].text.startswith("Page ")


def test_a_draft_has_a_watermark_and_a_label_and_survives_control_characters(result):
    draft = load_docx(build_docx(result, ReportContext(final=False, notes=("控制字符\x00\x07在此",)), "zh"))
    assert "草稿 — 评审尚未完成，不得作为正式评标结果" in [p.text for p in draft.paragraphs]
    header = draft.sections[0].header.paragraphs[0]._p.xml
    assert 'string="草稿"' in header and "草稿" in draft.sections[0].header.paragraphs[0].text
    # characters XML cannot carry are replaced, never fatal
    assert "控制字符\ufffd\ufffd在此" in all_text(draft)


def test_a_final_report_has_no_draft_mark(docx_zh):
    assert "草稿" not in all_text(docx_zh)
    assert "草稿" not in docx_zh.sections[0].header.paragraphs[0]._p.xml


def test_a_failed_tender_recommends_no_candidate():
    result, _bids = make_result(min_valid_bids=4, award={"winners": 1})
    document = load_docx(build_docx(result, None, "zh"))
    text = all_text(document)
    assert "有效投标不足 4 家，本项目流标，不推荐中标候选人。" in text and "第1中标候选人" not in text
    assert "流标（有效投标不足）" in text


def test_several_winners_get_an_award_table_with_shares():
    result, _bids = make_result(award={"winners": 2, "shares": [0.6, 0.4]})
    document = load_docx(build_docx(result, None, "zh"))
    assert rows(table_after(document, ["排名", "供应商", "份额"])) == [["1", YUN, "60%"], ["2", ZHUAN, "40%"]]
