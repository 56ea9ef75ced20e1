"""Template → filled by a vendor (typing as people do) → read back: the bid equals what
was filled, for every pricing model, and the engine prices it as it would the bid.json.

Worked numbers use the shop scenario: 800 inquiries a day × 30 days = 24,000 a month, of
which 35 % returning (8,400) and 15,600 new; 6 agents × 2 shifts = 12 agent-shifts; 8-hour
shifts; sales by customer service 600,000 a month; 10 peak days a year with 4 extra agents;
a 12-month contract.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from scoring.pricing import MODELS, monthly_cost
from scoring.tender import parse_bid, parse_tender
from tender.documents.quote_reader import read_quote
from tests.unit.documents.quote_filling import fill

# model → (sample tender, cells typed on the quote sheet, tiers, fees, rate card, the pricing read, monthly cost)
CASES = {
    "per_inquiry": (
        "shop",
        {
            "model": "per_inquiry — 按咨询量计件（+保底）",
            "new_rate": "¥2.50",
            "returning_rate": "1.5元/条",
            "minimum_per_agent_shift": "3,000",
            "peak_rate_per_agent_day": 200,
        },
        [],
        [],
        {},
        {
            "model": "per_inquiry",
            "new_rate": D("2.5"),
            "returning_rate": D("1.5"),
            "minimum_per_agent_shift": D(3000),
            "peak_rate_per_agent_day": D(200),
        },
        # 15,600 × 2.50 + 8,400 × 1.50 = 51,600 (above the minimum 3,000 × 12 = 36,000)
        # + peak 200 × 4 agents × 10 days ÷ 12 = 666.67
        "52266.67",
    ),
    "fixed_per_agent": (
        "shop",
        {"model": "fixed_per_agent", "monthly_per_agent": "5500元", "kpi_holdback": "15%"},
        [],
        [("培训费", "6000"), ("系统对接费", "¥12,000")],
        {},
        {
            "model": "fixed_per_agent",
            "monthly_per_agent": D(5500),
            "kpi_holdback": D("0.15"),
            "one_time_fees": [{"label": "培训费", "amount": D(6000)}, {"label": "系统对接费", "amount": D(12000)}],
        },
        # 5,500 × 12 = 66,000 + (6,000 + 12,000) ÷ 12 = 1,500; peak days not priced: 0
        "67500.00",
    ),
    "base_plus_commission": (
        "shop",
        {
            "model": "底薪 + 提成",
            "base_per_agent": 1500,
            "commission_rate": "2%",
            "tax_included": "否",
            "vat_rate": "6%",
        },
        [],
        [],
        {},
        {
            "model": "base_plus_commission",
            "base_per_agent": D(1500),
            "commission_rate": D("0.02"),
            "tax_included": False,
            "vat_rate": D("0.06"),
        },
        # (1,500 × 12 + 600,000 × 2 %) = 30,000, excluding VAT: × 1.06
        "31800.00",
    ),
    "daily_fee_plus_commission": (
        "shop",
        {"model": "daily_fee_plus_commission", "daily_fee_per_agent": "２００", "commission_rate": 0.015},
        [],
        [],
        {},
        {"model": "daily_fee_plus_commission", "daily_fee_per_agent": D(200), "commission_rate": D("0.015")},
        # 200 × 12 × 30 = 72,000 + 600,000 × 1.5 % = 9,000
        "81000.00",
    ),
    "commission_only": (
        "shop",
        {"model": "commission_only", "commission_rate": "5%"},
        [],
        [],
        {},
        {"model": "commission_only", "commission_rate": D("0.05")},
        "30000.00",
    ),  # 600,000 × 5 %
    "tiered": (
        "shop",
        {"model": "tiered — 咨询量阶梯", "basis": "daily — 日均", "mode": "graduated — 超额累进"},
        [(500, "¥600", "2"), (None, None, "1.5元/条")],
        [],
        {},
        {
            "model": "tiered",
            "basis": "daily",
            "mode": "graduated",
            "tiers": [{"up_to": D(500), "fee": D(600), "rate": D(2)}, {"up_to": None, "rate": D("1.5")}],
        },
        # per day: 600 + 500 × 2 = 1,600, then 300 × 1.5 = 450; 2,050 × 30 days
        "61500.00",
    ),
    "monthly_package": (
        "shop",
        {"model": "包月", "monthly_fee": "¥45,000.00", "included_inquiries": "2万", "overage_rate": "0.68元/条"},
        [],
        [],
        {},
        {
            "model": "monthly_package",
            "monthly_fee": D(45000),
            "included_inquiries": D(20000),
            "overage_rate": D("0.68"),
        },
        "47720.00",
    ),  # 45,000 + (24,000 − 20,000) × 0.68
    "daily_rate": (
        "shop",
        {"model": "daily_rate", "rate_per_agent_day": "260元/人/天", "discount_rate": "2%"},
        [],
        [],
        {},
        {"model": "daily_rate", "rate_per_agent_day": D(260), "discount_rate": D("0.02")},
        "91728.00",
    ),  # 260 × 12 × 30 = 93,600, less 2 %
    "hourly_rate": (
        "shop",
        {"model": "hourly_rate", "rate_per_agent_hour": "32.5"},
        [],
        [],
        {},
        {"model": "hourly_rate", "rate_per_agent_hour": D("32.5")},
        "93600.00",
    ),  # 32.5 × 12 × 8 hours × 30 days
    "line_items": (
        "postal",
        {"model": "line_items — 报价清单（单价 × 工作量）"},
        [],
        [],
        {"chat": "1.5", "ticket": "9元/单", "seat": "6,500"},
        {"model": "line_items", "prices": {"chat": D("1.5"), "ticket": D(9), "seat": D(6500)}},
        "76000.00",
    ),  # 24,000 × 1.5 + 3,000 × 9 + 2 × 6,500
    "reference_discount": (
        "reference",
        {"model": "reference_discount", "discount_rate": "8%"},
        [],
        [],
        {},
        {"model": "reference_discount", "discount_rate": D("0.08")},
        "66240.00",
    ),  # reference 6,000 × 12 = 72,000, less 8 %
}


def test_every_pricing_model_has_a_round_trip_case():
    assert set(CASES) == set(MODELS)


@pytest.mark.parametrize("model", list(CASES))
def test_every_pricing_model_reads_back_as_it_was_filled(model, request):
    sample, typed, tiers, fees, prices, expected, _cost = CASES[model]
    tender, tender_id, version, template = request.getfixturevalue(sample)
    data = fill(template, quote=typed, tiers=tiers, fees=fees, prices=prices)

    reading = read_quote(data, tender=tender, tender_id=tender_id, version=version)

    assert reading.problems == []
    assert reading.bid == {"facts": {}, "documents": [], "pricing": expected}


@pytest.mark.parametrize("model", list(CASES))
def test_the_engine_prices_the_workbook_as_it_would_the_bid_json(model, request):
    sample, typed, tiers, fees, prices, expected, cost = CASES[model]
    tender, tender_id, version, template = request.getfixturevalue(sample)
    reading = read_quote(
        fill(template, quote=typed, tiers=tiers, fees=fees, prices=prices),
        tender=tender,
        tender_id=tender_id,
        version=version,
    )
    engine_tender = parse_tender(tender)
    as_json = {"facts": {"company_name": "甲"}, "pricing": _as_json(expected)}
    from_workbook = {**reading.bid, "facts": {"company_name": "甲"}}

    json_cost = monthly_cost(parse_bid(as_json, engine_tender).pricing, engine_tender.scenario)
    workbook_cost = monthly_cost(parse_bid(from_workbook, engine_tender).pricing, engine_tender.scenario)

    assert workbook_cost.monthly_cost == json_cost.monthly_cost == D(cost)


def test_a_monthly_minimum_reads_back_and_is_priced_as_the_months_total(shop):
    # "0.68元/条，月保底 6 万": 24,000 × 0.68 = 16,320 is below the monthly minimum 60,000;
    # + peak 200 × 4 agents × 10 days ÷ 12 = 666.67 → 60,666.67
    tender, tender_id, version, template = shop
    data = fill(
        template,
        quote={
            "model": "per_inquiry",
            "new_rate": "0.68元/条",
            "minimum_per_month": "6万",
            "peak_rate_per_agent_day": 200,
        },
    )

    reading = read_quote(data, tender=tender, tender_id=tender_id, version=version)

    assert reading.problems == []
    assert reading.bid["pricing"] == {
        "model": "per_inquiry",
        "new_rate": D("0.68"),
        "minimum_per_month": D(60000),
        "peak_rate_per_agent_day": D(200),
    }
    engine_tender = parse_tender(tender)
    cost = monthly_cost(
        parse_bid({**reading.bid, "facts": {"company_name": "甲"}}, engine_tender).pricing, engine_tender.scenario
    )
    assert cost.monthly_cost == D("60666.67")
    assert cost.lines[0].formula.startswith("月保底 60000.00 元 = 60000.00")


def _as_json(value):
    """The pricing as a bid.json file holds it: numbers as JSON numbers or strings."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, D):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def test_vendor_facts_and_documents_read_back_as_typed(shop):
    tender, tender_id, version, template = shop
    data = fill(
        template,
        quote={"model": "commission_only", "commission_rate": "5%"},
        facts={
            "company_name": " 杭州云客服科技有限公司 ",
            "registered_capital": "300万元",
            "established": "2019/3/1",
            "independent_legal_person": "是",
            "staff_count": "120人",
            "agents_available": 40,
            "similar_projects": "6个",
            "platforms": "淘宝, tmall、jd",
            "services": "售前、售中、售后",
            "first_response_seconds": "20秒",
            "complaint_reply_hours": "1小时",
            "satisfaction_commitment": "96%",
            "sme": "否",
            "iso9001": "是",  # a fact the tender's rules and criteria add
            "seats_available": "25",
            "documents": "营业执照, iso9001",
        },
    )

    reading = read_quote(data, tender=tender, tender_id=tender_id, version=version)

    assert reading.problems == []
    assert reading.bid["facts"] == {
        "company_name": "杭州云客服科技有限公司",
        "registered_capital": D(3000000),
        "established": "2019-03-01",
        "independent_legal_person": True,
        "staff_count": D(120),
        "agents_available": D(40),
        "similar_projects": D(6),
        "platforms": ["taobao", "tmall", "jd"],
        "services": ["pre_sale", "in_sale", "after_sale"],
        "first_response_seconds": D(20),
        "complaint_reply_hours": D(1),
        "satisfaction_commitment": D("0.96"),
        "sme": False,
        "iso9001": True,
        "seats_available": D(25),
    }
    assert reading.bid["documents"] == ["business_license", "iso9001"]


def test_an_empty_template_reads_as_an_empty_bid_with_only_the_model_missing(shop):
    tender, tender_id, version, template = shop

    reading = read_quote(template, tender=tender, tender_id=tender_id, version=version)

    assert reading.bid == {"facts": {}, "documents": [], "pricing": {}}
    assert [(p.path, p.zh) for p in reading.problems] == [("报价!C5", "未选择报价方式：请从下拉列表选择一种")]
