"""The reports of a tender priced month by month (domain §10) and the weight stability (§11):
the workbook's 月度成本 and 权重稳定性 sheets and the Word report's sections, compared with
the result's own figures.

samples/year/ with its panel: five valid bids over twelve months. Month by month 杭州小满
(1.60 per inquiry) ranks first; on the flat average month (1,505.03 inquiries a day) the
package of 宁波包月通 would (72,380.00 a month against 89,650.00 over the year).
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from scoring import evaluate, evaluate_lots, parse_bid, parse_panel, parse_tender
from tender.documents import jsonfiles
from tender.reports import ReportContext, build_docx, build_xlsx
from tender.reports.sheets import MONEY
from tender.reports.view import ReportView
from tender.reports.year_view import YearView
from tests.unit.helpers import make_bid, make_tender
from tests.unit.reports.sample import load_docx, load_xlsx, make_result
from tests.unit.reports.test_document import all_text, headings, rows, table_after
from tests.unit.reports.test_workbook import header_row, rows_below

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
XIAOMAN, BAOYUETONG, ZUOXIBAO = "杭州小满客服科技有限公司", "宁波包月通客服有限公司", "南通坐席宝客服外包有限公司"
HENGJIU, SUHUI = "嘉兴恒久电商服务有限公司", "温州速回客服外包有限公司"


def year_result():
    folder = SAMPLES / "year"
    tender = parse_tender(jsonfiles.load(folder / "tender.json"))
    bids = [parse_bid(jsonfiles.load(path), tender, path.name) for path in sorted((folder / "bids").glob("*.json"))]
    return evaluate(tender, bids, parse_panel(jsonfiles.load(folder / "panel.json"), tender, bids)), bids


@pytest.fixture(scope="module")
def year():
    return year_result()


@pytest.fixture(scope="module")
def xlsx(year):
    result, bids = year
    return load_xlsx(build_xlsx(result, ReportContext.for_bids(bids), "zh"))


@pytest.fixture(scope="module")
def document(year):
    result, bids = year
    return load_docx(build_docx(result, ReportContext.for_bids(bids), "zh"))


def d(value) -> D:
    return D(str(value))


# --------------------------------------------------------------------------- the workbook


def test_the_year_sheets_follow_the_sheets_they_explain(xlsx):
    assert xlsx.sheetnames == [
        "排名",
        "价格折算",
        "月度成本",
        "资格审查",
        "评分明细",
        "权重稳定性",
        "敏感性",
        "开标记录",
        "审计",
    ]


def test_the_monthly_cost_sheet_gives_each_months_inputs_and_each_bids_cost(xlsx, year):
    result, _bids = year
    ws = xlsx["月度成本"]
    top = header_row(ws, "月份")
    header = [c.value for c in ws[top]]
    assert header[:8] == [
        "月份",
        "日均咨询量",
        "服务天数",
        "月咨询量",
        "每班坐席",
        "坐席班次（人·班次）",
        "客服销售额（元）",
        "大促天数",
    ]
    # the valid bids in rank order: 小满 88.00, 坐席宝, 包月通 85.58, …
    assert header[8:] == [XIAOMAN, ZUOXIBAO, BAOYUETONG, HENGJIU, SUHUI]
    body = {row[0]: row for row in rows_below(ws, top)}
    # the Spring Festival: 600 × 28 = 16,800 inquiries, CS sales 1,500,000 × 16,800 ÷ 30,000 = 840,000
    assert [d(v) for v in body["2027-02 春节"][1:8]] == [600, 28, 16800, 6, 12, 840000, 0]
    # 618: the package 60,000 + (90,000 − 40,000) × 2.20 + 200 × 6 extra agents × 3 peak days = 173,600;
    # 1.60 × 90,000 + 200 × 6 × 3 = 147,600
    assert d(body["2027-06 618"][10]) == D("173600") and d(body["2027-06 618"][8]) == D("147600")
    # every cost is the result's own, as a money number
    for bid in (b for b in result.bids if b.valid):
        column = header.index(bid.vendor)
        for month in bid.year.months:
            assert d(body[month.label][column]) == month.cost.total.quantize(D("0.01"))
        assert d(body["合同总价（元）"][column]) == bid.year.contract_cost
        assert d(body["月度成本（合同总价 ÷ 12）"][column]) == bid.monthly_cost
    # the package over the year: 1,075,800 ÷ 12 = 89,650; 358 days, 538,800 inquiries
    assert d(body["合同总价（元）"][10]) == D("1075800") and d(body["月度成本（合同总价 ÷ 12）"][10]) == D("89650")
    assert (d(body["合同总价（元）"][2]), d(body["合同总价（元）"][3])) == (358, 538800)
    assert ws.cell(row=top + 1, column=9).number_format == MONEY


def test_the_monthly_cost_sheet_compares_the_flat_average_month_and_says_the_winner_changes(xlsx):
    ws = xlsx["月度成本"]
    top = header_row(ws, "供应商")
    table = {row[0]: row for row in rows_below(ws, top)}
    # vendor: cost on the average month, rank there, cost month by month, rank, contract cost
    assert [d(v) for v in table[BAOYUETONG][1:6]] == [D("72380"), 1, D("89650"), 3, D("1075800")]
    assert [d(v) for v in table[XIAOMAN][1:6]] == [D("73440"), 2, D("73440"), 1, D("881280")]
    sentence = next(
        c.value
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("逐月计价改变了第一名")
    )
    assert "宁波包月通客服有限公司排名第一，月度成本 72,380.00 元" in sentence
    assert "其月度成本为 89,650.00 元（合同总价 1,075,800.00 元）" in sentence
    assert "排名第一的是杭州小满客服科技有限公司（月度成本 73,440.00 元" in sentence


def test_the_monthly_costs_are_drawn_as_a_native_line_chart_over_the_months(xlsx):
    ws = xlsx["月度成本"]
    (chart,) = ws._charts
    top = header_row(ws, "月份")
    assert chart.tagname == "lineChart" and len(chart.series) == 5
    first = chart.series[0]
    assert first.tx.strRef.f == f"'月度成本'!I{top}"  # named by its vendor's column (杭州小满)
    assert first.val.numRef.f == f"'月度成本'!$I${top + 1}:$I${top + 12}"  # its twelve months
    assert first.cat.numRef.f == f"'月度成本'!$A${top + 1}:$A${top + 12}"  # labelled by the months
    assert first.marker.symbol == "circle"


def test_the_stability_sheet_lists_each_criterions_bounds_and_the_legal_price_range(xlsx):
    ws = xlsx["权重稳定性"]
    top = header_row(ws, "评分因素")
    assert [c.value for c in ws[top]][:8] == [
        "评分因素",
        "类型",
        "权重",
        "下限",
        "上限",
        "下限处追平者",
        "上限处追平者",
        "法定范围",
    ]
    table = {row[0]: row for row in rows_below(ws, top)}
    # price 30: 小满 stays first above 19.17 (宁波包月通 level there), no rival above
    assert table["价格"][2:8] == (30, 19.17, "—", BAOYUETONG, "—", "10–30")
    assert table["同类项目经验"][3:7] == ("—", 14.49, "—", ZUOXIBAO)
    assert table["首次响应时间承诺"][3:7] == ("—", "—", "—", "—")
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "服务类项目价格分值的法定范围为 10–30 分（财政部令第87号第五十五条）。" in texts
    assert (
        "在法定范围内，价格分值降至 19.17 分时，宁波包月通客服有限公司的总分与杭州小满客服科技有限公司相同。" in texts
    )


def test_the_stability_chart_is_a_native_floating_bar_with_open_ends_faded(xlsx):
    ws = xlsx["权重稳定性"]
    (chart,) = ws._charts
    assert (chart.tagname, chart.type, chart.grouping) == ("barChart", "bar", "stacked")
    start, to_weight, to_end = chart.series
    assert start.graphicalProperties.noFill
    # its data: price from 19.17, 30 − 19.17 = 10.83 to the weight, 100 − 30 = 70 open above;
    # experience from 0, 10 to the weight, 14.49 − 10 = 4.49 to its bound
    top = next(row[0].row for row in ws.iter_rows(max_col=2) if row[1].value == "区间起点")
    data = {row[0]: row[1:4] for row in rows_below(ws, top)}
    assert data["价格"] == (19.17, 10.83, 70) and data["同类项目经验"] == (0, 10, 4.49)
    # price (index 0) has no rival above: its part above the weight faded; experience (1) none below
    assert [p.idx for p in to_end.dPt] == [0, 2]
    assert [p.idx for p in to_weight.dPt] == [1, 2, 3, 4]


def test_the_english_workbook_names_its_year_sheets_in_english(year):
    result, bids = year
    book = load_xlsx(build_xlsx(result, ReportContext.for_bids(bids), "en"))
    assert book.sheetnames[2] == "Monthly costs" and book.sheetnames[5] == "Weight stability"
    ws = book["Monthly costs"]
    assert [c.value for c in ws[header_row(ws, "Month")]][:3] == ["Month", "Inquiries per day", "Service days"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(
        t.startswith("The year changes the winner: on the flat average month (1,505.03 inquiries a day)") for t in texts
    )


# --------------------------------------------------------------------------- the Word report


def test_the_word_report_has_a_section_for_the_year_and_one_for_the_stability(document):
    assert headings(document)[8:12] == [
        "九、排名与中标候选人",
        "十、合同年度逐月成本",
        "十一、权重稳定性",
        "十二、业务量敏感性分析",
    ]
    # score chart, month by month, stability, sensitivity
    assert len(document.inline_shapes) == 4


def test_the_word_report_gives_the_months_each_bids_costs_and_the_sentence(document):
    months = rows(table_after(document, ["月份", "日均咨询量", "服务天数"]))
    assert months[5][:7] == ["2027-06 618", "3,000", "30", "90,000", "10", "4,500,000.00", "3"]
    assert months[-1][:4] == ["合计", "", "358", "538,800"]
    costs = table_after(document, ["月份", XIAOMAN])
    assert [c.text for c in costs.rows[0].cells] == ["月份", XIAOMAN, ZUOXIBAO, BAOYUETONG, HENGJIU, SUHUI]
    body = {row[0]: row[1:] for row in rows(costs)}
    # 双11: 1.60 × 135,000 + 200 × 6 × 11 = 229,200; the package 60,000 + 95,000 × 2.20 + 13,200 = 282,200
    assert body["2027-11 双11"][0] == "229,200.00" and body["2027-11 双11"][2] == "282,200.00"
    assert body["合同总价（元）"] == ["881,280.00", "946,000.00", "1,075,800.00", "887,000.00", "974,780.00"]
    assert body["月度成本（合同总价 ÷ 12）"][2] == "89,650.00"
    flat = rows(table_after(document, ["供应商", "平均月计的月度成本（元）"]))
    assert flat[2] == [BAOYUETONG, "72,380.00", "1", "89,650.00", "3", "1,075,800.00"]
    text = all_text(document)
    assert (
        "逐月计价改变了第一名：按平均月（日均 1,505.03 咨询）计，宁波包月通客服有限公司排名第一，月度成本 72,380.00 元；"
        "按合同年度逐月计价，其月度成本为 89,650.00 元（合同总价 1,075,800.00 元），排名第一的是杭州小满客服科技有限公司"
        "（月度成本 73,440.00 元，合同总价 881,280.00 元）。"
    ) in text


def test_the_word_report_gives_each_criterions_interval_and_the_legal_range(document):
    table = rows(table_after(document, ["评分因素", "权重", "下限", "上限", "下限处追平者", "上限处追平者"]))
    assert table[0] == ["价格", "30.00", "19.17", "—", BAOYUETONG, "—"]
    assert table[3] == ["服务方案（含大促保障）", "35.00", "—", "71.29", "—", BAOYUETONG]
    text = all_text(document)
    assert "杭州小满客服科技有限公司排名第一。" in text
    assert "在法定范围内，价格分值降至 19.17 分时，宁波包月通客服有限公司的总分与杭州小满客服科技有限公司相同。" in text


def test_the_english_word_report_words_both_sections_in_english(year):
    result, bids = year
    document = load_docx(build_docx(result, ReportContext.for_bids(bids), "en"))
    assert headings(document)[9:11] == ["10. The contract year, month by month", "11. Weight stability"]
    text = all_text(document)
    assert "Price weight for services: 10–30 points by law (MOF Order 87, Art. 55)." in text
    assert (
        "Within the legal range, at a price weight of 19.17 points 宁波包月通客服有限公司 totals the same as "
        "杭州小满客服科技有限公司."
    ) in text


# --------------------------------------------------------------------------- when there is nothing to say


def test_a_flat_scenario_has_no_year_sheet_and_a_price_weight_safe_in_the_legal_range_says_so():
    result, _bids = make_result()
    book = load_xlsx(build_xlsx(result, None, "zh"))
    assert "月度成本" not in book.sheetnames
    assert "十、合同年度逐月成本" not in headings(load_docx(build_docx(result, None, "zh")))
    # 杭州云客服 21.90 + 65.00 against 苏州专席 30.00 + 47.00: level at 100 · 30 · 18 ÷ (30 · 9.90 + 100 · 8.10)
    # = 54,000 ÷ 1,107 = 48.78, above 30: first for every legal price weight
    assert (
        YearView(ReportView(result, None, "zh")).price_sentences()[1]
        == "价格分值在法定范围 10–30 分内任意变动，杭州云客服科技有限公司都保持第一。"
    )


def test_a_shared_first_place_has_no_stability_sheet_or_section():
    tender = make_tender(criteria=[{"id": "price", "name": "价格", "kind": "price", "weight": 100}])
    # 5,000 × 12 agent-shifts = 60,000 each: both score 100.00 and share rank 1
    bids = [
        make_bid(tender, vendor, {"model": "fixed_per_agent", "monthly_per_agent": 5000}) for vendor in ("甲", "乙")
    ]
    result = evaluate(tender, bids)
    assert [b.rank for b in result.bids] == [1, 1] and result.weight_stability == []
    assert "权重稳定性" not in load_xlsx(build_xlsx(result, None, "zh")).sheetnames
    assert not any("权重稳定性" in h for h in headings(load_docx(build_docx(result, None, "zh"))))


def test_a_lots_report_shows_that_lots_own_months_and_stability():
    raw = jsonfiles.load(SAMPLES / "lots" / "tender.json")
    scenario = raw["lots"][1]["scenario"]
    del scenario["peak_days_per_year"]
    scenario["contract_months"] = 3
    scenario["monthly_profile"] = [
        {"label": "10月", "daily_inquiries": 300},
        {
            "label": "11月 双11",
            "daily_inquiries": 360,
            "peak_days": 3,
            "work_quantities": {"chat": 10800, "ticket": 1800},
        },
        {"label": "12月", "daily_inquiries": 300, "days": 31},
    ]
    tender = parse_tender(raw)
    paths = sorted((SAMPLES / "lots" / "bids").glob("*.json"))
    bids = [parse_bid(jsonfiles.load(path), tender, path.name) for path in paths]
    panel = parse_panel(jsonfiles.load(SAMPLES / "lots" / "panel.json"), tender, bids)
    lots = {item.lot.id: item.result for item in evaluate_lots(tender, bids, panel).lots}

    first = load_xlsx(build_xlsx(lots["L1"], None, "zh"))
    second = load_xlsx(build_xlsx(lots["L2"], None, "zh"))

    assert "月度成本" not in first.sheetnames and "权重稳定性" in first.sheetnames
    ws = second["月度成本"]
    top = header_row(ws, "月份")
    header = [c.value for c in ws[top]]
    # the lot's rate card: a quantity column per work item, its own three months
    assert header[8:10] == ["在线咨询（件）", "售后工单（单）"]
    body = {row[0]: row for row in rows_below(ws, top)}
    assert list(body)[:3] == ["10月", "11月 双11", "12月"]
    assert [d(v) for v in body["11月 双11"][8:10]] == [10800, 1800]
    # 杭州云客服's rate card ranks first in L2: 27,600 + 34,320 + 27,600 = 89,520 over the three months
    column = header.index("杭州云客服科技有限公司")
    assert [d(body[m][column]) for m in ("10月", "11月 双11", "12月")] == [27600, 34320, 27600]
    assert d(body["合同总价（元）"][column]) == 89520
    stability = second["权重稳定性"]
    table = {row[0]: row for row in rows_below(stability, header_row(stability, "评分因素"))}
    assert table["价格"][4:7] == (33.89, "—", "苏州专席客服服务有限公司")  # 129,900 ÷ 3,833 = 33.89


def test_the_sentences_the_docs_quote_are_the_ones_the_reports_write(year):
    result, _bids = year
    year_view = YearView(ReportView(result, None, "zh"))
    docs = SAMPLES.parent / "docs"
    assert year_view.winner_sentence() in (docs / "pricing-models.md").read_text("utf-8")
    assert year_view.price_sentences()[1] in (docs / "scoring.md").read_text("utf-8")


def test_the_scenario_beside_the_prices_gives_the_years_totals_not_one_average_month(xlsx):
    ws = xlsx["价格折算"]
    texts = {
        c.value: ws.cell(row=c.row, column=c.column + 1).value
        for row in ws.iter_rows(min_col=7, max_col=7)
        for c in row
        if isinstance(c.value, str)
    }
    # 538,800 inquiries over 11 × 30 + 28 = 358 days; no 月咨询量 of a single month, no yearly peak days
    assert texts["合同期咨询量（各月合计，逐月计价见“月度成本”）"] == 538800 and texts["合同期服务天数"] == 358
    assert "月咨询量" not in texts and "年大促天数" not in texts
