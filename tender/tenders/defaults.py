"""What a new tender form starts from: the typical structure of domain §3, to adapt."""

from __future__ import annotations

import copy

DEFAULT_DEFINITION = {
    "currency": "CNY",
    "service_scope": {
        "platforms": ["taobao", "tmall"],
        "channels": ["online_chat"],
        "services": ["pre_sale", "in_sale", "after_sale"],
        "service_hours": "09:00-22:00",
        "days": "每天",
    },
    "quality_requirements": {
        "first_response_seconds_max": 300,
        "complaint_reply_hours_max": 1,
        "complaint_solution_hours_max": 24,
        "satisfaction_min": "0.95",
    },
    "scenario": {
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
    },
    "qualification_rules": [
        {
            "fact": "registered_capital",
            "op": ">=",
            "value": 1000000,
            "label": "注册资金不低于人民币100万元",
            "label_en": "registered capital of at least CNY 1,000,000",
        },
        {
            "fact": "independent_legal_person",
            "op": "==",
            "value": True,
            "label": "具有独立法人资格",
            "label_en": "an independent legal person",
        },
    ],
    "criteria": [
        {"id": "price", "name": "价格", "name_en": "Price", "kind": "price", "weight": 30},
        {
            "id": "experience",
            "name": "同类项目经验",
            "name_en": "Similar projects",
            "kind": "objective",
            "weight": 10,
            "rule": "linear",
            "fact": "similar_projects",
            "points_per_unit": 2,
        },
        {
            "id": "response",
            "name": "首次响应时间承诺",
            "name_en": "First response commitment",
            "kind": "objective",
            "weight": 10,
            "rule": "steps",
            "fact": "first_response_seconds",
            "steps": [{"at_most": 60, "points": 5}, {"at_most": 30, "points": 10}],
        },
        {
            "id": "plan",
            "name": "服务方案",
            "name_en": "Service plan",
            "kind": "subjective",
            "weight": 35,
            "aggregate": "mean",
        },
        {
            "id": "team",
            "name": "团队与培训",
            "name_en": "Team and training",
            "kind": "subjective",
            "weight": 15,
            "aggregate": "trimmed_mean",
        },
    ],
    "price_method": {"method": "lowest_price"},
    "abnormal_low_ratio": "0.8",
    "min_valid_bids": 3,
    "challenge_days": 7,
    "required_sections": ["服务方案", "人员配置", "培训体系", "质量保障", "应急预案"],
}


def new_tender_definition() -> dict:
    return copy.deepcopy(DEFAULT_DEFINITION)


def _variant(**changes) -> dict:
    definition = copy.deepcopy(DEFAULT_DEFINITION)
    definition.update(copy.deepcopy(changes))
    return definition


_PRICE = {"id": "price", "name": "价格", "name_en": "Price", "kind": "price", "weight": 30}

# Samples to start from (售前 / 售后 / 全托管): the usual shape of each kind of tender.
SAMPLES: dict[str, tuple[str, str, dict]] = {
    "pre_sale": (
        "售前客服",
        "pre-sale service",
        _variant(
            service_scope={
                "platforms": ["taobao", "tmall"],
                "channels": ["online_chat"],
                "services": ["pre_sale", "in_sale"],
                "service_hours": "09:00-24:00",
                "days": "每天",
            },
            quality_requirements={"first_response_seconds_max": 60, "satisfaction_min": "0.9"},
            criteria=[
                _PRICE,
                {
                    "id": "conversion",
                    "name": "询单转化率承诺",
                    "name_en": "Conversion rate commitment",
                    "kind": "objective",
                    "weight": 15,
                    "rule": "steps",
                    "fact": "conversion_rate_commitment",
                    "steps": [{"at_least": "0.3", "points": 8}, {"at_least": "0.4", "points": 15}],
                },
                {
                    "id": "response",
                    "name": "首次响应时间承诺",
                    "name_en": "First response commitment",
                    "kind": "objective",
                    "weight": 10,
                    "rule": "steps",
                    "fact": "first_response_seconds",
                    "steps": [{"at_most": 30, "points": 5}, {"at_most": 15, "points": 10}],
                },
                {
                    "id": "plan",
                    "name": "服务方案",
                    "name_en": "Service plan",
                    "kind": "subjective",
                    "weight": 30,
                    "aggregate": "mean",
                },
                {
                    "id": "team",
                    "name": "团队与培训",
                    "name_en": "Team and training",
                    "kind": "subjective",
                    "weight": 15,
                    "aggregate": "trimmed_mean",
                },
            ],
        ),
    ),
    "after_sale": (
        "售后客服",
        "after-sale service",
        _variant(
            service_scope={
                "platforms": ["taobao", "tmall", "jd"],
                "channels": ["online_chat", "phone", "ticket"],
                "services": ["after_sale"],
                "service_hours": "09:00-22:00",
                "days": "每天",
            },
            quality_requirements={
                "first_response_seconds_max": 120,
                "complaint_reply_hours_max": 1,
                "complaint_solution_hours_max": 24,
                "satisfaction_min": "0.9",
            },
            criteria=[
                _PRICE,
                {
                    "id": "satisfaction",
                    "name": "满意度承诺",
                    "name_en": "Satisfaction commitment",
                    "kind": "objective",
                    "weight": 10,
                    "rule": "steps",
                    "fact": "satisfaction_commitment",
                    "steps": [{"at_least": "0.92", "points": 5}, {"at_least": "0.95", "points": 10}],
                },
                {
                    "id": "solution",
                    "name": "投诉解决时限承诺",
                    "name_en": "Complaint solution commitment",
                    "kind": "objective",
                    "weight": 10,
                    "rule": "steps",
                    "fact": "complaint_solution_hours",
                    "steps": [{"at_most": 12, "points": 5}, {"at_most": 6, "points": 10}],
                },
                {
                    "id": "plan",
                    "name": "服务方案",
                    "name_en": "Service plan",
                    "kind": "subjective",
                    "weight": 30,
                    "aggregate": "mean",
                },
                {
                    "id": "team",
                    "name": "团队与培训",
                    "name_en": "Team and training",
                    "kind": "subjective",
                    "weight": 20,
                    "aggregate": "trimmed_mean",
                },
            ],
        ),
    ),
    "full": (
        "全托管客服",
        "fully managed service",
        _variant(
            service_scope={
                "platforms": ["taobao", "tmall", "jd", "pinduoduo", "douyin"],
                "channels": ["online_chat", "phone", "email"],
                "services": ["pre_sale", "in_sale", "after_sale"],
                "service_hours": "08:00-24:00",
                "days": "每天",
            }
        ),
    ),
}


def sample_definition(name: str) -> dict | None:
    """A copy of a sample to start a tender from; ``None`` for an unknown name."""
    sample = SAMPLES.get(name)
    return copy.deepcopy(sample[2]) if sample else None
