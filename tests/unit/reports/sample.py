"""A small evaluation with numbers a reader can check by hand.

Scenario (tests/unit/helpers.py, no peak days): 800 inquiries a day × 30 days = 24000 a
month (15600 new, 8400 returning), 6 agents × 2 shifts = 12 agent-shifts.

| vendor | quote | monthly cost | per inquiry |
|---|---|---|---|
| 杭州云客服科技有限公司 | fixed 5000 × 12 agent-shifts | 60000.00 | 2.50 |
| 苏州专席客服服务有限公司 | 15600 × 2.00 + 8400 × 1.50 | 43800.00 | 1.83 (1.825 half-up) |
| =HYPERLINK("http://x","点我") | day rate 150 × 12 × 30 | 54000.00 | 2.25 |
| 厦门鹭岛客服外包有限公司 | 5 % of 600000 sales; capital 800000 < 1000000 | 30000.00 | disqualified |
| 广州金豆客服外包有限公司 | 24000 × 0.50 = 12000 < 0.8 × mean(60000, 43800, 54000) | 12000.00 | rejected |

Price scores (lowest price 43800): 30 × 43800 / 60000 = 21.90; 30.00; 30 × 43800 / 54000 = 24.33.
Totals: 21.90 + 10 + 10 + 5 + 27 + 13 = 86.90; 30 + 6 + 5 + 0 + 24 + 12 = 77.00;
24.33 + 4 + 0 + 5 + 21 + 11 = 65.33.
"""

from __future__ import annotations

import io

import docx
from openpyxl import load_workbook

from scoring import evaluate, parse_bid, parse_panel, parse_tender
from tests.unit.helpers import tender_dict

INJECTION = '=HYPERLINK("http://x","点我")'
YUN, ZHUAN, LUDAO, JINDOU = (
    "杭州云客服科技有限公司",
    "苏州专席客服服务有限公司",
    "厦门鹭岛客服外包有限公司",
    "广州金豆客服外包有限公司",
)
EVALUATORS = ("专家甲", "专家乙", "@专家丙")

RULES = [
    {
        "fact": "registered_capital",
        "op": ">=",
        "value": 1000000,
        "label": "注册资金不低于人民币100万元",
        "label_en": "registered capital at least 1,000,000 CNY",
    },
    {"document": "business_license", "op": "present", "label": "营业执照", "label_en": "business licence"},
]

BIDS = [
    (
        YUN,
        {"model": "fixed_per_agent", "monthly_per_agent": 5000},
        {"registered_capital": 3000000, "similar_projects": 5, "first_response_seconds": 20, "iso9001": True},
        ["business_license"],
    ),
    (
        ZHUAN,
        {"model": "per_inquiry", "new_rate": 2, "returning_rate": 1.5, "minimum_per_agent_shift": 3000},
        {"registered_capital": 2000000, "similar_projects": 3, "first_response_seconds": 45, "iso9001": False},
        [],
    ),
    (
        INJECTION,
        {"model": "daily_rate", "rate_per_agent_day": 150},
        {"registered_capital": 1000000, "similar_projects": 2, "first_response_seconds": 90, "iso9001": True},
        ["business_license"],
    ),
    (
        LUDAO,
        {"model": "commission_only", "commission_rate": 0.05},
        {"registered_capital": 800000, "similar_projects": 4},
        ["business_license"],
    ),
    (
        JINDOU,
        {"model": "per_inquiry", "new_rate": 0.5},
        {"registered_capital": 1500000, "similar_projects": 1},
        ["business_license"],
    ),
]

SCORES = {  # plan, team by 专家甲, 专家乙, @专家丙
    YUN: ((27, 13), (26, 12), (28, 14)),
    ZHUAN: ((24, 12), (25, 12), (23, 12)),
    INJECTION: ((20, 10), (22, 11), (21, 12)),
}

EXPECTED = {  # vendor: rank, monthly cost, cost per inquiry, scores by criterion, total
    YUN: (
        1,
        "60000.00",
        "2.50",
        {
            "price": "21.90",
            "experience": "10.00",
            "response": "10.00",
            "licensed": "5.00",
            "plan": "27.00",
            "team": "13.00",
        },
        "86.90",
    ),
    ZHUAN: (
        2,
        "43800.00",
        "1.83",
        {
            "price": "30.00",
            "experience": "6.00",
            "response": "5.00",
            "licensed": "0.00",
            "plan": "24.00",
            "team": "12.00",
        },
        "77.00",
    ),
    INJECTION: (
        3,
        "54000.00",
        "2.25",
        {
            "price": "24.33",
            "experience": "4.00",
            "response": "0.00",
            "licensed": "5.00",
            "plan": "21.00",
            "team": "11.00",
        },
        "65.33",
    ),
}


def make_result(scenario=None, **tender_changes):
    data = tender_dict(
        scenario={"peak_days_per_year": 0, **(scenario or {})},
        qualification_rules=RULES,
        title="云裳旗舰店 电商客服外包服务项目",
        buyer="杭州云裳电子商务有限公司",
        project_code="YS-KF-2026-12",
        opening_place="杭州市余杭区文一西路 998 号 开标室",
        opening_time="2026-12-18T17:30:00+08:00",
        bid_deadline="2026-12-18T17:00:00+08:00",
        **tender_changes,
    )
    tender = parse_tender(data)
    bids = [
        parse_bid(
            {"facts": {"company_name": vendor, **facts}, "documents": documents, "pricing": pricing},
            tender,
            source=f"bid{index}.json",
        )
        for index, (vendor, pricing, facts, documents) in enumerate(BIDS)
    ]
    scores = {
        evaluator: {vendor: {"plan": given[i][0], "team": given[i][1]} for vendor, given in SCORES.items()}
        for i, evaluator in enumerate(EVALUATORS)
    }
    panel = parse_panel(
        {
            "scores": scores,
            "abnormal_low": {JINDOU: {"decision": "reject", "reason": "报价无法覆盖 12 个坐席班次的人工成本"}},
            "overrides": {
                ZHUAN: [
                    {
                        "rule": "营业执照",
                        "passed": True,
                        "reason": "营业执照原件已在开标现场核验",
                        "evaluator": "专家甲",
                    }
                ]
            },
        },
        tender,
        bids,
    )
    return evaluate(tender, bids, panel), bids


def load_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))


def load_docx(content: bytes):
    return docx.Document(io.BytesIO(content))
