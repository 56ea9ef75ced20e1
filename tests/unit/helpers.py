"""Small builders for the domain tests: a scenario and tenders with hand-checkable numbers."""

from __future__ import annotations

import copy

from scoring import parse_bid, parse_tender

# domain.md §4 example: 800 inquiries a day × 30 days = 24000 a month, 35 % returning
# (8400 returning, 15600 new), 6 agents × 2 shifts = 12 agent-shifts.
SCENARIO = {
    "days_per_month": 30,
    "daily_inquiries": 800,
    "returning_share": "0.35",
    "agents_per_shift": 6,
    "shifts_per_day": 2,
    "hours_per_shift": 8,
    "cs_sales_per_month": 600000,
    "peak_days_per_year": 10,
    "peak_extra_agents": 4,
    "contract_months": 12,
}

CRITERIA = [
    {"id": "price", "name": "价格", "kind": "price", "weight": 30},
    {
        "id": "experience",
        "name": "同类项目经验",
        "kind": "objective",
        "weight": 10,
        "rule": "linear",
        "fact": "similar_projects",
        "points_per_unit": 2,
    },
    {
        "id": "response",
        "name": "首次响应时间承诺",
        "kind": "objective",
        "weight": 10,
        "rule": "steps",
        "fact": "first_response_seconds",
        "steps": [{"at_most": 60, "points": 5}, {"at_most": 30, "points": 10}],
    },
    {
        "id": "licensed",
        "name": "具备ISO质量体系认证",
        "kind": "objective",
        "weight": 5,
        "rule": "boolean",
        "fact": "iso9001",
    },
    {"id": "plan", "name": "服务方案", "kind": "subjective", "weight": 30, "aggregate": "mean"},
    {"id": "team", "name": "团队与培训", "kind": "subjective", "weight": 15, "aggregate": "trimmed_mean"},
]


def tender_dict(**changes) -> dict:
    data = {"scenario": copy.deepcopy(SCENARIO), "criteria": copy.deepcopy(CRITERIA)}
    scenario_changes = changes.pop("scenario", {})
    data["scenario"].update(scenario_changes)
    data.update(changes)
    return data


def make_tender(**changes):
    return parse_tender(tender_dict(**changes))


def make_bid(tender, vendor: str, pricing: dict, **facts):
    return parse_bid({"facts": {"company_name": vendor, **facts}, "pricing": pricing}, tender, source=f"{vendor}.json")
