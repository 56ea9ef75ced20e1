"""The Excel scoring report: opened with openpyxl, every figure compared with the result."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest

from tender.reports import AuditRow, ReportContext, build_xlsx
from tender.reports.sheets import MONEY, SCORE, width
from tests.unit.reports.sample import (
    EVALUATORS,
    EXPECTED,
    INJECTION,
    JINDOU,
    LUDAO,
    YUN,
    ZHUAN,
    load_xlsx,
    make_result,
)

# the sample's first place is not shared: its weight stability has a sheet (no monthly profile: no 月度成本)
SHEETS_ZH = ["排名", "价格折算", "资格审查", "评分明细", "权重稳定性", "敏感性", "开标记录", "审计"]
SHEETS_EN = [
    "Ranking",
    "Price normalization",
    "Qualification",
    "Scores",
    "Weight stability",
    "Sensitivity",
    "Opening record",
    "Audit trail",
]
CRITERIA = ["price", "experience", "response", "licensed", "plan", "team"]


def header_row(ws, first: str) -> int:
    """The row of a table's header: the first row whose column A says ``first``."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"no header {first!r} in {ws.title}")


def rows_below(ws, header: int):
    """The table's rows under its header, up to the first empty row."""
    rows = []
    for row in ws.iter_rows(min_row=header + 1, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(row)
    return rows


def cells_of(ws):
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


def test_the_workbook_has_one_sheet_per_question(xlsx_zh, xlsx_en):
    assert xlsx_zh.sheetnames == SHEETS_ZH
    assert xlsx_en.sheetnames == SHEETS_EN


def test_every_rank_cost_and_score_matches_the_result(xlsx_zh):
    ws = xlsx_zh["排名"]
    top = header_row(ws, "排名")
    rows = {row[1]: row for row in rows_below(ws, top)}
    assert set(rows) == {YUN, ZHUAN, "'" + INJECTION}
    for vendor, (rank, cost, per_inquiry, scores, total) in EXPECTED.items():
        row = rows[vendor if not vendor.startswith("=") else "'" + vendor]
        assert row[0] == rank
        assert Decimal(str(row[4])) == Decimal(cost)
        assert Decimal(str(row[5])) == Decimal(per_inquiry)
        assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in row[6:12]] == [Decimal(scores[c]) for c in CRITERIA]
        assert Decimal(str(row[12])) == Decimal(total)


def test_the_criterion_scores_of_a_row_re_add_to_its_total(xlsx_zh):
    ws = xlsx_zh["排名"]
    for row in rows_below(ws, header_row(ws, "排名")):
        # 21.90 + 10 + 10 + 5 + 27 + 13 = 86.90, as a reader would add them in Excel
        assert sum(Decimal(str(v)) for v in row[6:12]) == Decimal(str(row[12]))


def test_money_and_score_cells_are_numbers_with_their_formats(xlsx_zh):
    ws = xlsx_zh["排名"]
    top = header_row(ws, "排名")
    for row in ws.iter_rows(min_row=top + 1, max_row=top + 3):
        assert row[4].data_type == "n" and row[4].number_format == MONEY == "¥#,##0.00"
        assert row[5].data_type == "n" and row[5].number_format == MONEY
        for cell in row[6:13]:
            assert cell.data_type == "n" and cell.number_format == SCORE
    costs = [c for c in cells_of(xlsx_zh["价格折算"]) if c.number_format == MONEY]
    assert costs and all(isinstance(c.value, (int, float)) for c in costs)


def test_winners_are_marked_and_highlighted_and_flags_highlighted(xlsx_zh):
    ws = xlsx_zh["排名"]
    top = header_row(ws, "排名")
    marks = [row[2] for row in rows_below(ws, top)]
    assert marks == ["第1中标候选人", "第2中标候选人", "第3中标候选人"]
    formulas = [rule.formula[0] for rng in ws.conditional_formatting for rule in rng.rules]
    assert f"LEN($C{top + 1})>0" in formulas  # a winning candidate's row
    assert f"LEN($N{top + 1})>0" in formulas  # a flagged row


def test_disqualified_and_rejected_bids_are_listed_below_with_their_reasons(xlsx_zh):
    ws = xlsx_zh["排名"]
    texts = {c.value for c in cells_of(ws) if isinstance(c.value, str)}
    assert "注册资金不低于人民币100万元：申报 800000，不满足 >= 1000000" in texts
    assert "异常低价，评标委员会决定否决：报价无法覆盖 12 个坐席班次的人工成本" in texts
    rows = {row[1]: row for row in ws.iter_rows(values_only=True) if row[1] in (LUDAO, JINDOU)}
    assert Decimal(str(rows[LUDAO][4])) == Decimal("30000.00")
    assert Decimal(str(rows[JINDOU][4])) == Decimal("12000.00")


def test_headers_are_bold_frozen_and_filtered(xlsx_zh):
    for name in SHEETS_ZH[:4]:
        ws = xlsx_zh[name]
        top = header_row(ws, {"排名": "排名", "价格折算": "供应商", "资格审查": "供应商", "评分明细": "供应商"}[name])
        assert ws.cell(top, 1).font.b
        assert ws.freeze_panes is not None and int(re.sub(r"[A-Z]", "", ws.freeze_panes)) == top + 1
        assert ws.auto_filter.ref.startswith(f"A{top}:")


def test_title_block_names_tender_buyer_date_and_status(xlsx_zh):
    ws = xlsx_zh["排名"]
    block = " ".join(str(ws.cell(r, 1).value) for r in range(1, 6))
    assert "云裳旗舰店 电商客服外包服务项目" in block
    assert "杭州云裳电子商务有限公司" in block and "YS-KF-2026-12" in block
    assert "2026-12-19" in block and "评审完成" in block
    assert "草稿" not in block


def test_print_setup_is_landscape_and_fits_the_width(xlsx_zh):
    for ws in xlsx_zh.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0


def test_columns_are_wide_enough_for_chinese_text(xlsx_zh):
    assert width("杭州云客服科技有限公司") == 22
    assert xlsx_zh["排名"].column_dimensions["B"].width >= 24
    assert xlsx_zh["开标记录"].column_dimensions["B"].width >= 24


def test_price_sheet_shows_parameters_every_formula_and_the_scenario(xlsx_zh, result):
    ws = xlsx_zh["价格折算"]
    texts = [c.value for c in cells_of(ws) if isinstance(c.value, str)]
    for bid in result.to_json()["bids"]:
        for line in bid["breakdown"]:
            assert line["formula"] in texts
    assert (
        "15600 咨询 × 2.00 元 + 8400 咨询 × 1.50 元 = 43800.00（不低于保底 3000.00 元 × 12 人·班次 = 36000.00）"
        in texts
    )
    rows = [row for row in ws.iter_rows(values_only=True) if row[0] == ZHUAN]
    assert ("报价参数 · 新用户单价（元/咨询）", Decimal("2")) in {
        (r[2], Decimal(str(r[4]))) for r in rows if r[4] is not None
    }
    assert any(r[2] == "月度成本（四舍五入至 0.01 元）" and Decimal(str(r[4])) == Decimal("43800.00") for r in rows)
    scenario = {row[6]: row[7] for row in ws.iter_rows(values_only=True) if row[6] is not None}
    assert scenario["日均咨询量"] == 800 and scenario["月咨询量"] == 24000 and scenario["坐席班次（人·班次）"] == 12


def test_qualification_shows_rules_by_vendor_with_values_reasons_and_overrides(xlsx_zh):
    ws = xlsx_zh["资格审查"]
    top = header_row(ws, "供应商")
    assert [ws.cell(top, c).value for c in (3, 4)] == ["注册资金不低于人民币100万元", "营业执照"]
    rows = {row[0]: row for row in rows_below(ws, top)}
    assert rows[YUN][1:4] == ("✓ 通过", "✓ 3000000", "✓ 是")
    assert rows[LUDAO][1:3] == ("✗ 不通过", "✗ 申报 800000，不满足 >= 1000000")
    assert rows[ZHUAN][3].startswith("✓") and "营业执照原件已在开标现场核验" in rows[ZHUAN][3]
    override = next(row for row in ws.iter_rows(values_only=True) if row[0] == ZHUAN and row[1] == "营业执照")
    assert override[2:6] == ("不通过", "通过", "营业执照原件已在开标现场核验", "专家甲")


def test_scores_sheet_has_every_evaluators_score_the_aggregation_and_the_result(xlsx_zh):
    ws = xlsx_zh["评分明细"]
    top = header_row(ws, "供应商")
    header = [c.value for c in ws[top]]
    assert header[5:8] == ["专家甲", "专家乙", "'@专家丙"]
    plan = next(row for row in rows_below(ws, top) if row[0] == YUN and row[2] == "服务方案")
    assert [Decimal(str(v)) for v in plan[5:8]] == [Decimal(27), Decimal(26), Decimal(28)]
    assert plan[8] == "平均（27 26 28）" and Decimal(str(plan[9])) == Decimal("27.00")
    price = next(row for row in rows_below(ws, top) if row[0] == YUN and row[2] == "价格")
    # lowest price 43,800.00 is the benchmark: 30 × 43,800.00 ÷ 60,000.00 = 21.90
    assert plan[1] == 1 and Decimal(str(price[9])) == Decimal("21.90")
    assert (
        price[8]
        == "P = 60,000.00；B = 有效投标中最低的 P = 43,800.00；得分 = 30 × B ÷ P = 30 × 43,800.00 ÷ 60,000.00 = 21.90"
    )


def test_sensitivity_sheet_has_the_cost_table_a_line_chart_and_the_break_even(xlsx_zh):
    ws = xlsx_zh["敏感性"]
    assert len(ws._charts) == 1 and type(ws._charts[0]).__name__ == "LineChart"
    top = header_row(ws, "日均咨询量")
    rows = rows_below(ws, top)
    assert [r[0] for r in rows][:4] == [200, 400, 600, 800]
    vendors = [c.value for c in ws[top]][1:]
    at_800 = dict(zip(vendors, rows[3][1:]))
    assert Decimal(str(at_800[ZHUAN])) == Decimal("43800.00") and Decimal(str(at_800[YUN])) == Decimal("60000.00")
    # 54000 / (30 × (0.65 × 2.00 + 0.35 × 1.50)) = 986.30 inquiries a day
    point = next(row for row in ws.iter_rows(values_only=True) if row[1] == ZHUAN and row[2] == "'" + INJECTION)
    assert Decimal(str(point[0])) == Decimal("986.30") and Decimal(str(point[3])) == Decimal("54000.00")


def test_opening_record_and_audit_trail_come_from_the_context(xlsx_zh):
    ws = xlsx_zh["开标记录"]
    rows = rows_below(ws, header_row(ws, "序号"))
    assert [r[1] for r in rows][:2] == [YUN, ZHUAN]
    assert rows[0][2] == "2026-12-18 16:00 (UTC+8 Asia/Shanghai)" and Decimal(str(rows[0][4])) == Decimal("60000.00")
    audit = xlsx_zh["审计"]
    row = rows_below(audit, header_row(audit, "序号"))[0]
    # the audit sheet is in Asia/Shanghai like every other time of the report: 09:30 UTC is 17:30
    assert audit.cell(row=header_row(audit, "序号"), column=2).value == "时间（北京时间）"
    assert row[:4] == (1, "2026-12-18 17:30:00", "buyer@example.com (buyer)", "open_bids") and row[6] == "ab" * 32


@pytest.mark.parametrize("name", [INJECTION, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1", "\r=1", "\x00=1"])
def test_a_user_text_is_never_a_formula(name):
    # the engine trims names, so a leading tab or CR reaches the report through the audit trail
    result, _bids = make_result_with_vendor(name) if name == name.strip() else make_result()
    audit = (AuditRow(1, None, name, "score", name, name, "00"),)
    content = build_xlsx(result, ReportContext(audit=audit), "zh")
    book = load_xlsx(content)
    for ws in book.worksheets:
        for cell in cells_of(ws):
            assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    shown = [
        c
        for ws in book.worksheets
        for c in cells_of(ws)
        if isinstance(c.value, str) and c.value.endswith(name[1:]) and c.value.startswith("'")
    ]
    assert shown and all(c.quotePrefix for c in shown)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for member in archive.namelist():
            if member.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(member)


def make_result_with_vendor(name: str):
    from tests.unit.reports import sample

    original = sample.BIDS[2][0]
    sample.BIDS[2] = (name, *sample.BIDS[2][1:])
    scores = dict(sample.SCORES)
    sample.SCORES = {(name if v == original else v): s for v, s in scores.items()}
    try:
        return make_result()
    finally:
        sample.BIDS[2] = (original, *sample.BIDS[2][1:])
        sample.SCORES = scores


def test_the_english_workbook_is_in_english(xlsx_en):
    ws = xlsx_en["Ranking"]
    top = header_row(ws, "Rank")
    assert [c.value for c in ws[top]][:6] == [
        "Rank",
        "Vendor",
        "Winning candidate",
        "Pricing model",
        "Monthly cost (CNY)",
        "Cost per inquiry (CNY)",
    ]
    texts = {c.value for c in cells_of(ws) if isinstance(c.value, str)}
    assert "registered capital at least 1,000,000 CNY: declared 800000, does not meet >= 1000000" in texts
    assert "abnormally low price rejected by the panel: 报价无法覆盖 12 个坐席班次的人工成本" in texts
    assert "Evaluation status: final" in texts
    labels = [c.value for ws in xlsx_en.worksheets for c in cells_of(ws) if c.font.b and isinstance(c.value, str)]
    user_text = {YUN, ZHUAN, LUDAO, JINDOU, "'" + INJECTION, "专家甲", "专家乙", "'@专家丙"}
    criteria = (
        "价格",
        "同类项目经验",
        "首次响应时间承诺",
        "具备ISO质量体系认证",
        "服务方案",
        "团队与培训",
    )  # named in Chinese only by this tender: never shown by their ids
    assert not [
        t
        for t in labels
        if re.search(r"[\u4e00-\u9fff]", t)
        and t not in user_text
        and not t.startswith("云裳旗舰店")
        and "月度成本" not in t
        and not t.startswith(criteria)
    ]


def test_a_draft_is_labelled_on_every_sheet(result):
    book = load_xlsx(build_xlsx(result, ReportContext(final=False), "zh"))
    for ws in book.worksheets:
        assert "草稿 — 评审尚未完成，不得作为正式评标结果" in [ws.cell(r, 1).value for r in range(1, 8)]
        assert ws.oddHeader.center.text == "草稿"
    english = load_xlsx(build_xlsx(result, ReportContext(final=False), "en"))
    assert english["Ranking"].oddHeader.center.text == "DRAFT"


def test_a_pending_result_is_a_draft_even_when_called_final():
    result, _bids = make_result()
    result.status = "pending"
    book = load_xlsx(build_xlsx(result, ReportContext(final=True), "zh"))
    assert book["排名"].oddHeader.center.text == "草稿"


def test_several_winners_are_listed_with_their_shares():
    result, _bids = make_result(award={"winners": 2, "shares": [0.6, 0.4]})
    ws = load_xlsx(build_xlsx(result, None, "zh"))["排名"]
    top = header_row(ws, "排名")
    awards = [
        row
        for row in ws.iter_rows(min_row=top + 5, values_only=True)
        if row[0] in (1, 2) and row[2] is not None and not isinstance(row[2], str)
    ]
    assert [(r[0], r[1], Decimal(str(r[2]))) for r in awards] == [(1, YUN, Decimal("0.6")), (2, ZHUAN, Decimal("0.4"))]


def test_without_a_context_the_report_still_has_all_the_result_knows(result):
    book = load_xlsx(build_xlsx(result))
    opening = book["开标记录"]
    assert {r[1] for r in rows_below(opening, header_row(opening, "序号"))} == {
        YUN,
        ZHUAN,
        "'" + INJECTION,
        LUDAO,
        JINDOU,
    }
    assert "无审计记录（离线评标）。" in [c.value for c in cells_of(book["审计"])]
    scores = book["评分明细"]
    assert [c.value for c in scores[header_row(scores, "供应商")]][5:8] == ["专家甲", "专家乙", "'@专家丙"]
    assert EVALUATORS[0] == "专家甲"


def test_costs_under_each_volume_scenario_are_listed_beside_the_weighted_cost():
    # 苏州专席: 54.75 per daily inquiry (30 × (0.65 × 2.00 + 0.35 × 1.50)), at least 36000:
    # 500 a day → 36000.00 (the minimum), 1500 a day → 82125.00; 0.5 × 36000 + 0.5 × 82125 = 59062.50
    volumes = [
        {"name": "淡季", "daily_inquiries": 500, "weight": 0.5},
        {"name": "旺季", "daily_inquiries": 1500, "weight": 0.5},
    ]
    result, _bids = make_result(scenario={"volume_scenarios": volumes})
    ws = load_xlsx(build_xlsx(result, None, "zh"))["价格折算"]
    row = next(r for r in ws.iter_rows(min_col=7, values_only=True) if r[0] == ZHUAN and r[1] is not None)
    assert [Decimal(str(v)) for v in row[1:4]] == [Decimal("36000.00"), Decimal("82125.00"), Decimal("59062.50")]


def test_a_tender_with_one_bid_and_no_panel_still_gets_both_reports():
    from scoring import evaluate, parse_bid, parse_tender
    from tender.reports import build_docx
    from tests.unit.helpers import tender_dict

    tender = parse_tender(tender_dict())
    bid = parse_bid(
        {"facts": {"company_name": "唯一投标人"}, "pricing": {"model": "daily_rate", "rate_per_agent_day": 150}}, tender
    )
    result = evaluate(tender, [bid])
    assert result.status == "failed"
    book = load_xlsx(build_xlsx(result, None, "en"))
    assert book["Ranking"]["A1"].value == "Scoring summary"
    assert "Evaluation status: failed (too few valid bids)" in [book["Ranking"].cell(r, 1).value for r in range(1, 6)]
    assert len(book["Sensitivity"]._charts[0].series) == 1
    assert build_docx(result, None, "zh")[:2] == b"PK"
