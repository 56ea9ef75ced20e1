"""The monthly acceptance report (履约验收报告): opened with python-docx and read back.

The settlement is §14's worked example on a package of 100000 a month: 10 % at risk,
reply rate 0.932 < 0.95 (weight 0.5) and conversion 0.38 < 0.40 (weight 0.2) missed →
deduction 10000 × 0.7 = 7000.00, payable 93000.00.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from scoring.settlement import parse_month, settle
from tender.reports import acceptance
from tender.reports.acceptance import AcceptanceContext, Confirmation, build_acceptance_report
from tests.unit.helpers import make_bid, make_tender
from tests.unit.test_settlement import KPIS, TERMS


@pytest.fixture(scope="module")
def settlement():
    tender = make_tender(
        kpis=KPIS, payment_terms=TERMS, title="云裳旗舰店 电商客服外包服务项目", buyer="杭州云裳电子商务有限公司"
    )
    bid = make_bid(tender, "杭州云客服科技有限公司", {"model": "monthly_package", "monthly_fee": 100000})
    month = parse_month(
        {
            "month": "2027-03",
            "actual": {"daily_inquiries": 860, "days": 31},
            "kpis": {"reply_3min": "0.932", "satisfaction": "0.91"},
        },
        kpis=tender.kpis,
        scenario=tender.scenario,
    )
    return settle(tender, bid, month)


def read(content: bytes):
    document = docx.Document(io.BytesIO(content))
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    return document, tables


def table_with(tables, header: list[str]) -> list[list[str]]:
    return next(t for t in tables if t[0][: len(header)] == header)


CONTEXT = AcceptanceContext(
    title="云裳旗舰店 电商客服外包服务项目",
    buyer="杭州云裳电子商务有限公司",
    vendor="杭州云客服科技有限公司",
    contract="YS-KF-2026-12-HT",
)


def test_the_report_has_its_sections_and_the_amount_payable(settlement):
    document, tables = read(build_acceptance_report(settlement, CONTEXT))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、合同信息",
        "二、本月业务量",
        "三、本月服务费",
        "四、KPI 考核",
        "五、考核扣款与应付金额",
        "六、双方确认",
    ]
    # conversion not reported here: deduction 10000 × (0.5 + 0.2) = 7000.00 → payable 93,000.00
    assert "本月应付金额：人民币 93,000.00 元" in [p.text for p in document.paragraphs]
    contract = dict(map(tuple, table_with(tables, ["项目", "数值"])[1:]))
    assert contract["合同"] == "YS-KF-2026-12-HT"
    assert contract["结算月份"] == "2027-03"
    assert contract["考核比例"] == "0.10（招标文件付款条款（payment_terms.at_risk_share））"


def test_volumes_and_charge_are_the_months(settlement):
    _document, tables = read(build_acceptance_report(settlement, CONTEXT))
    volumes = dict(map(tuple, [t for t in tables if t[0] == ["项目", "数值"]][1][1:]))
    # 860 × 31 = 26660 inquiries this month
    assert (volumes["本月服务天数"], volumes["日均咨询量"], volumes["本月咨询量"]) == ("31", "860", "26660")
    charge = table_with(tables, ["费用项", "计算过程", "金额（元）"])
    assert charge[1] == ["包月费", "100000.00 元 = 100000.00", "100,000.00"]
    assert charge[-1] == ["本月服务费（元）", "", "100,000.00"]


def test_the_kpi_table_lists_target_actual_met_and_deduction(settlement):
    _document, tables = read(build_acceptance_report(settlement, CONTEXT))
    rows = table_with(tables, ["序号", "考核指标", "目标", "权重", "本月实际", "是否达标", "扣款（元）"])[1:]
    # 10000 at risk: 0.5 → 5000.00, met → 0.00, not reported 0.2 → 2000.00
    assert rows == [
        ["1", "3分钟人工回复率\nreply_3min", "≥ 0.95", "0.5", "0.932", "未达标", "5,000.00"],
        ["2", "满意度\nsatisfaction", "≥ 0.90", "0.3", "0.91", "达标", "0.00"],
        ["3", "询单转化率\nconversion", "≥ 0.40", "0.2", "未报告", "未达标", "2,000.00"],
    ]
    payment = table_with(tables, ["项目", "计算过程", "金额（元）"])
    assert payment[2] == ["考核金额（元）", "100,000.00 × 0.10", "10,000.00"]
    assert payment[3] == ["考核扣款（元）", "10,000.00 × 未达标权重之和 0.7", "7,000.00"]
    assert payment[4] == ["奖励（元）", "有 KPI 未达标，无奖励", "0.00"]
    assert payment[5] == ["本月应付金额（元）", "100,000.00 − 7,000.00 + 0.00", "93,000.00"]


def test_confirmations_show_name_and_time_when_given_and_blank_lines_otherwise(settlement):
    header = ["确认方", "单位", "确认人", "确认结果", "时间", "签字（盖章）"]
    _document, tables = read(build_acceptance_report(settlement, CONTEXT))
    assert table_with(tables, header)[1:] == [
        ["采购人", "杭州云裳电子商务有限公司", "", "", "", ""],
        ["供应商", "杭州云客服科技有限公司", "", "", "", ""],
    ]
    confirmed = AcceptanceContext(
        title=CONTEXT.title,
        buyer=CONTEXT.buyer,
        vendor=CONTEXT.vendor,
        confirmations=(
            Confirmation("buyer", "王采购", dt.datetime(2027, 4, 2, 1, 30, tzinfo=dt.UTC)),
            Confirmation(
                "vendor",
                "李经理",
                dt.datetime(2027, 4, 3, 2, 0, tzinfo=dt.UTC),
                "disputed",
                "3月8日系统故障两小时，回复率应剔除",
            ),
        ),
    )
    _document, tables = read(build_acceptance_report(settlement, confirmed))
    # 01:30 UTC is 09:30 in Shanghai
    assert table_with(tables, header)[1:] == [
        ["采购人", "杭州云裳电子商务有限公司", "王采购", "确认", "2027-04-02 09:30 (UTC+8 Asia/Shanghai)", ""],
        [
            "供应商",
            "杭州云客服科技有限公司",
            "李经理",
            "有异议\n3月8日系统故障两小时，回复率应剔除",
            "2027-04-03 10:00 (UTC+8 Asia/Shanghai)",
            "",
        ],
    ]


def test_english_report(settlement):
    document, tables = read(build_acceptance_report(settlement, CONTEXT, lang="en"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. Contract" and headings[-1] == "6. Confirmations"
    assert "Amount payable this month: CNY 93,000.00" in [p.text for p in document.paragraphs]
    rows = table_with(tables, ["No.", "KPI", "Target", "Weight", "Actual", "Met", "Deduction (CNY)"])[1:]
    assert rows[2][4:] == ["not reported", "not met", "2,000.00"]


def test_both_catalogues_have_the_same_words():
    assert set(acceptance.ZH) == set(acceptance.EN)
