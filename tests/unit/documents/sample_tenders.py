"""Sample tenders for the file-adapter tests, modelled on domain.md §3, §9.1 and §9.2:
a shop tender (qualification rules on capital, legal person, platforms, ISO 9001), a postal
rate-card tender with a unit price ceiling, and a hotline tender with reference prices."""

from __future__ import annotations

from decimal import Decimal

from tender.documents.quote_template import build_quote_template

SHOP_TENDER = {
    "title": "XX旗舰店 电商客服外包服务项目",
    "buyer": "XX电子商务有限公司",
    "currency": "CNY",
    "service_scope": {
        "platforms": ["taobao", "tmall", "jd"],
        "channels": ["online_chat", "phone"],
        "services": ["pre_sale", "in_sale", "after_sale"],
        "service_hours": "09:00-22:00",
        "days": "every day",
    },
    "quality_requirements": {"first_response_seconds_max": 300, "satisfaction_min": Decimal("0.95")},
    "scenario": {
        "days_per_month": 30,
        "daily_inquiries": 800,
        "returning_share": Decimal("0.35"),
        "agents_per_shift": 6,
        "shifts_per_day": 2,
        "hours_per_shift": 8,
        "cs_sales_per_month": "600000",
        "peak_days_per_year": 10,
        "peak_extra_agents": 4,
        "contract_months": 12,
    },
    "qualification_rules": [
        {"fact": "registered_capital", "op": ">=", "value": 1000000, "label": "注册资金不低于人民币100万元"},
        {"fact": "independent_legal_person", "op": "==", "value": True},
        {"fact": "platforms", "op": "covers", "value": ["taobao", "tmall", "jd"]},
        {"fact": "iso9001", "op": "==", "value": True, "label": "具备ISO9001质量体系认证"},
        {"document": "business_license", "op": "present"},
    ],
    "criteria": [
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
            "id": "seats",
            "name": "可用坐席",
            "kind": "objective",
            "weight": 10,
            "rule": "steps",
            "fact": "seats_available",
            "steps": [{"at_least": 10, "points": 5}, {"at_least": 20, "points": 10}],
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
    ],
    "price_ceiling": 80000,
    "required_sections": ["服务方案", "人员配置", "培训体系", "质量保障", "应急预案"],
    "bid_deadline": "2026-12-20T17:00:00+08:00",
    "opening_time": "2026-12-20T17:30:00+08:00",
}

POSTAL_TENDER = {
    "title": "邮政在线客服外包（报价清单）",
    "scenario": {
        "days_per_month": 30,
        "daily_inquiries": 800,
        "agents_per_shift": 2,
        "shifts_per_day": 1,
        "work_items": [
            {"id": "chat", "name": "在线咨询", "unit": "件", "monthly_quantity": 24000},
            {"id": "ticket", "name": "售后工单", "unit": "单", "monthly_quantity": 3000},
            {"id": "seat", "name": "专席坐席", "unit": "席·月", "monthly_quantity": 2},
        ],
    },
    "unit_price_ceilings": {"chat": "1.71"},
    "criteria": [{"id": "price", "name": "价格", "kind": "price", "weight": 100}],
}

REFERENCE_TENDER = {
    "title": "12345 热线外包（参考价折扣）",
    "scenario": {"days_per_month": 30, "daily_inquiries": 800, "agents_per_shift": 6, "shifts_per_day": 2},
    "reference_pricing": {"model": "fixed_per_agent", "monthly_per_agent": 6000},
    "criteria": [{"id": "price", "name": "价格", "kind": "price", "weight": 100}],
}

# name → (tender, tender id, version) its template is made for
SAMPLES = {
    "shop": (SHOP_TENDER, "T-2026-001", 2),
    "postal": (POSTAL_TENDER, "T-POST-7", 1),
    "reference": (REFERENCE_TENDER, "T-12345", 1),
}

_TEMPLATES: dict[str, bytes] = {}


def template_of(name: str) -> bytes:
    """The template of a sample tender, made once per test run."""
    if name not in _TEMPLATES:
        tender, tender_id, version = SAMPLES[name]
        _TEMPLATES[name] = build_quote_template(tender, tender_id=tender_id, version=version)
    return _TEMPLATES[name]
