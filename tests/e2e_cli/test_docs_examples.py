"""The worked examples of docs/ that are not read straight from the samples' result.json.

docs/pricing-models.md and docs/scoring.md quote figures for variations of the samples
(the seeds' own prices, a panel that accepts the abnormally low price, a tender without
the SME deduction, the postal tender at a single volume, a final offer) and the lot sample. Each is computed here by the
engine from the sample files, so the documentation cannot drift from what it computes.
The e-commerce scenario: 24000 inquiries a month (15600 new, 8400 returning),
12 agent-shifts, 30 days, 10 peak days a year with 4 extra agents, 12 contract months.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from scoring import InvalidInput, evaluate, evaluate_lots, parse_bid, parse_panel, parse_tender
from scoring.pricing import monthly_cost
from tender.documents import jsonfiles
from tests.e2e_cli.test_cli_samples import POSTAL, SAMPLES

D = Decimal


def raw_tender(folder=SAMPLES) -> dict:
    return jsonfiles.load(folder / "tender.json")


def raw_panel(folder=SAMPLES) -> dict:
    return jsonfiles.load(folder / "panel.json")


def cost(pricing: dict, **scenario) -> object:
    data = raw_tender()
    data["scenario"].update(scenario)
    tender = parse_tender(data)
    bid = parse_bid({"facts": {"company_name": "示例"}, "pricing": pricing}, tender)
    return monthly_cost(bid.pricing, tender.scenario)


def evaluate_folder(folder, tender_data: dict | None = None, panel_data: dict | None = None):
    tender = parse_tender(tender_data if tender_data is not None else raw_tender(folder))
    bids = [parse_bid(jsonfiles.load(p), tender, p.name) for p in sorted((folder / "bids").glob("*.json"))]
    panel = parse_panel(panel_data if panel_data is not None else raw_panel(folder), tender, bids)
    return evaluate(tender, bids, panel)


NO_PEAK = {"peak_days_per_year": 0}


@pytest.mark.parametrize(
    "pricing, scenario, expected",
    [
        # seed 0.68 per inquiry, no minimum: 24000 × 0.68
        ({"model": "per_inquiry", "new_rate": "0.68"}, NO_PEAK, "16320.00"),
        # seed 5000–5500 per agent: × 12 agent-shifts
        ({"model": "fixed_per_agent", "monthly_per_agent": 5000}, NO_PEAK, "60000.00"),
        ({"model": "fixed_per_agent", "monthly_per_agent": 5500}, NO_PEAK, "66000.00"),
        # seed event staffing 200 a day: 200 × 12 × 30
        ({"model": "daily_rate", "rate_per_agent_day": 200}, NO_PEAK, "72000.00"),
        # 锦程's tiers read as a bracket: all 24000 inquiries at 2.30
        (
            {
                "model": "tiered",
                "basis": "monthly",
                "mode": "bracket",
                "tiers": [{"up_to": 15000, "fee": 30000}, {"up_to": None, "rate": 2.3}],
            },
            NO_PEAK,
            "55200.00",
        ),
        # 小蜜蜂's package at 20 inquiries a day (600 a month): nothing beyond the package
        (
            {"model": "monthly_package", "monthly_fee": 990, "included_inquiries": 600, "overage_rate": 2.2},
            {"daily_inquiries": 20, **NO_PEAK},
            "990.00",
        ),
        # the seed's IT table "3000 + 50 × (devices − 50)" as graduated tiers: 60 devices → 3500
        (
            {
                "model": "tiered",
                "basis": "monthly",
                "mode": "graduated",
                "tiers": [{"up_to": 50, "fee": 3000}, {"up_to": None, "rate": 50}],
            },
            {"daily_inquiries": 2, **NO_PEAK},
            "3500.00",
        ),
    ],
)
def test_seed_prices_quoted_in_the_pricing_models_page(pricing, scenario, expected):
    assert cost(pricing, **scenario).monthly_cost == D(expected)


def test_all_four_common_components_in_their_order():
    # 60000 + (6000 + 6000) / 12 + 200 × 4 × 10 / 12 = 61666.67; × 0.95 = 58583.33; × 1.06 = 62098.33
    result = cost(
        {
            "model": "fixed_per_agent",
            "monthly_per_agent": 5000,
            "one_time_fees": [{"label": "系统对接费", "amount": 6000}, {"label": "岗前培训费", "amount": 6000}],
            "peak_rate_per_agent_day": 200,
            "discount_rate": "0.05",
            "tax_included": False,
        }
    )
    assert [line.amount.quantize(D("0.01")) for line in result.lines] == [
        D("60000.00"),
        D("1000.00"),
        D("666.67"),
        D("-3083.33"),
        D("3515.00"),
    ]
    assert result.lines[3].formula == "−(61666.67 × 5%) = -3083.33"
    assert result.lines[4].formula == "58583.33 × 6% = 3515.00"
    assert result.monthly_cost == D("62098.33")


def test_conformity_failures_quoted_in_the_scoring_page():
    tender = parse_tender(raw_tender())
    data = jsonfiles.load(SAMPLES / "bids" / "yunkefu.json")
    data["facts"]["first_response_seconds"] = 360
    del data["facts"]["complaint_reply_hours"]
    others = [parse_bid(jsonfiles.load(SAMPLES / "bids" / n), tender, n) for n in ("hengxin.json", "chutian.json")]
    result = evaluate(tender, [*others, parse_bid(data, tender, "yunkefu.json")])
    review = result.bid("杭州云客服科技有限公司").review
    assert [(r.zh, r.en) for r in review.reasons] == [
        ("首次响应时间：申报 360，不满足 <= 300", "first response time: declared 360, does not meet <= 300"),
        ("投诉答复时限：未申报", "complaint reply time: not declared"),
    ]
    assert review.records == [
        "first_response_seconds_max / 首次响应时间：申报 360，不满足 <= 300 / declared 360, does not meet <= 300",
        "complaint_reply_hours_max / 投诉答复时限：未申报 / not declared",
    ]


def test_without_the_panel_the_sample_is_pending_with_two_reasons():
    tender = parse_tender(raw_tender())
    bids = [parse_bid(jsonfiles.load(p), tender, p.name) for p in sorted((SAMPLES / "bids").glob("*.json"))]
    result = evaluate(tender, bids)
    assert result.status == "pending"
    assert [reason.zh for reason in result.status_reasons] == [
        "尚无评委打分",
        "异常低价待评委会决定：广州金豆客服外包有限公司",
    ]


def test_with_eleven_valid_bids_required_the_sample_fails():
    data = raw_tender()
    data["min_valid_bids"] = 11
    result = evaluate_folder(SAMPLES, tender_data=data)
    assert result.status == "failed"
    assert result.status_reasons[0].zh == "有效投标 10 家，少于 11 家，流标"
    assert result.winners == [] and result.awards == []


def test_abnormal_low_threshold_of_the_sample():
    result = evaluate_folder(SAMPLES)
    qualified = [b.monthly_cost for b in result.bids if b.qualified and b.vendor != "广州金豆客服外包有限公司"]
    # ten other qualified bids: 542060.95 / 10 = 54206.095 → 0.8 × = 43364.876
    assert (len(qualified), sum(qualified)) == (10, D("542060.95"))
    assert (D("0.8") * sum(qualified) / 10).quantize(D("0.01")) == D("43364.88")


def test_accepting_the_abnormally_low_price_collapses_the_others_and_shows_the_cost_tie_break():
    panel = raw_panel()
    panel["abnormal_low"]["广州金豆客服外包有限公司"] = "accept"
    result = evaluate_folder(SAMPLES, panel_data=panel)
    # B = 18000 × 0.9 = 16200 (金豆 is an SME); 杭州 30 × 16200 / 52266.67 = 9.30, total 73.37;
    # 苏州 30 × 16200 / 59976.67 = 8.10, total 8.10 + 10 + 10 + 5 + 26.60 + 13.67 = 73.37
    assert result.benchmark == D("16200.000")
    first, second = result.bid("杭州云客服科技有限公司"), result.bid("苏州专席客服服务有限公司")
    assert (first.scores["price"], first.total, first.rank) == (D("9.30"), D("73.37"), 1)
    assert (second.scores["price"], second.total, second.rank) == (D("8.10"), D("73.37"), 2)


def test_without_the_sme_deduction_ranks_4_and_5_swap():
    data = raw_tender()
    del data["sme_price_deduction"]
    result = evaluate_folder(SAMPLES, tender_data=data)
    assert result.benchmark == D("49466.67")
    assert [(b.vendor, b.total, b.rank) for b in result.ranked[3:5]] == [
        ("南京恒信客服外包有限公司", D("86.07"), 4),
        ("深圳优选电商运营有限公司", D("85.77"), 5),
    ]


def test_postal_bid_at_a_single_volume_is_the_cheapest_but_weighted_the_dearest():
    data = raw_tender(POSTAL)
    del data["scenario"]["volume_scenarios"]
    single = evaluate_folder(POSTAL, tender_data=data)
    # 2100 a day × 30 × 2.75 = 173250, above the minimum 150000
    costs = {b.vendor: b.monthly_cost for b in single.bids if b.valid}
    assert costs["福建极速客服科技有限公司"] == D("173250.00") == min(costs.values())
    weighted = evaluate_folder(POSTAL)
    costs = {b.vendor: b.monthly_cost for b in weighted.bids if b.valid}
    assert costs["福建极速客服科技有限公司"] == D("188250.00") == max(costs.values())


def test_postal_negative_reference_discount_is_invalid():
    tender = parse_tender(raw_tender(POSTAL))
    bid = parse_bid(
        {"facts": {"company_name": "负折扣"}, "pricing": {"model": "reference_discount", "discount_rate": "-0.05"}},
        tender,
        "negative.json",
    )
    # 194780 × 1.05 = 204519
    assert monthly_cost(bid.pricing, tender.scenario).monthly_cost == D("204519.00")
    result = evaluate(tender, [bid])
    assert (
        "折扣率 -5% 为负数（变相加价），投标无效 / discount rate -5% is negative (a surcharge): the bid is invalid"
        in result.bid("负折扣").review.records
    )


def test_an_override_by_the_panel_is_kept_with_the_automatic_outcome():
    panel = copy.deepcopy(raw_panel())
    panel["overrides"] = {
        "厦门鹭岛客服外包有限公司": [
            {
                "rule": "注册资金不低于人民币100万元",
                "passed": True,
                "reason": "增资后注册资本 120 万元，已提供变更登记通知书",
                "evaluator": "专家1",
            }
        ]
    }
    result = evaluate_folder(SAMPLES, panel_data=panel)
    ludao = result.bid("厦门鹭岛客服外包有限公司")
    assert ludao.qualified
    assert ludao.review.overrides == [
        {
            "rule": "注册资金不低于人民币100万元",
            "automatic": False,
            "passed": True,
            "reason": "增资后注册资本 120 万元，已提供变更登记通知书",
            "evaluator": "专家1",
        }
    ]
    # not scored by the panel yet: the evaluation waits for its subjective scores
    assert result.status == "pending"


# --------------------------------------------------------------------------- final offers and lots (scoring.md 13, 14)


def _with_final(name: str, **changes):
    """A sample bid with a final offer: its pricing with ``changes``."""
    raw = jsonfiles.load(SAMPLES / "bids" / f"{name}.json")
    raw["final_pricing"] = {**raw["pricing"], **changes}
    return raw


def test_a_final_offer_of_4600_per_agent_shift_puts_zhuanxi_first():
    tender = parse_tender(raw_tender())
    bids = [
        parse_bid(
            _with_final("zhuanxi", monthly_per_agent=4600) if p.name == "zhuanxi.json" else jsonfiles.load(p),
            tender,
            p.name,
        )
        for p in sorted((SAMPLES / "bids").glob("*.json"))
    ]
    result = evaluate(tender, bids, parse_panel(raw_panel(), tender, bids))
    zhuanxi = result.bid("苏州专席客服服务有限公司")
    # (4600 × 12 + 220 × 4 × 10 / 12) × 0.95 = 55933.33 × 0.95 = 53136.67; first (5200): 59976.67
    assert (zhuanxi.monthly_cost, zhuanxi.first_monthly_cost) == (D("53136.67"), D("59976.67"))
    # benchmark 44982.00 (合肥速达, SME): 30 × 44982 / 53136.67 = 25.40; 87.77 − 22.50 + 25.40 = 90.67
    assert result.benchmark == D("44982.00")
    assert (zhuanxi.scores["price"], zhuanxi.total, zhuanxi.rank) == (D("25.40"), D("90.67"), 1)
    assert [(b.vendor, b.total) for b in result.ranked[:2]] == [
        ("苏州专席客服服务有限公司", D("90.67")),
        ("杭州云客服科技有限公司", D("89.89")),
    ]
    assert all(
        b["first_monthly_cost"] == b["monthly_cost"]
        for b in result.to_json()["bids"]
        if b["vendor"] != "苏州专席客服服务有限公司"
    )


def test_the_dearer_final_offer_quoted_in_the_docs():
    tender = parse_tender(raw_tender())
    bid = parse_bid(_with_final("yunkefu", new_rate="2.60"), tender, "yunkefu.json")
    with pytest.raises(InvalidInput) as error:
        evaluate(tender, [bid])
    # 15600 × 2.60 + 8400 × 1.50 + 666.67 = 53826.67 against 52266.67
    assert error.value.problems[0].bilingual() == (
        "yunkefu.json: 最后报价的月度成本 53826.67 元高于首次报价的 52266.67 元：最后报价不得高于首次报价 / "
        "the final offer's monthly cost 53826.67 is higher than the first offer's 52266.67: "
        "a final offer may not cost more than the first"
    )


def test_the_lot_sample_table_of_the_scoring_page():
    tender = parse_tender(raw_tender(SAMPLES / "lots"))
    bids = [parse_bid(jsonfiles.load(p), tender, p.name) for p in sorted((SAMPLES / "lots" / "bids").glob("*.json"))]
    result = evaluate_lots(tender, bids, parse_panel(raw_panel(SAMPLES / "lots"), tender, bids))
    ranked = {
        item.lot.id: [(b.vendor[:4], b.total, b.monthly_cost) for b in item.result.ranked[:3]] for item in result.lots
    }
    assert ranked == {
        "L1": [
            ("杭州云客", D("93.67"), D("48306.67")),
            ("苏州专席", D("89.50"), D("59976.67")),
            ("西安长安", D("86.41"), D("60200.93")),
        ],
        "L2": [
            ("杭州云客", D("92.87"), D("27933.33")),
            ("苏州专席", D("90.42"), D("26166.67")),
            ("南京恒信", D("90.00"), D("25950.00")),
        ],
    }
    assert [(a["lot"], a["vendor"], a["rank"]) for a in result.awards] == [
        ("L1", "杭州云客服科技有限公司", 1),
        ("L2", "苏州专席客服服务有限公司", 2),
    ]
    l2 = result.lot("L2").result
    # 30 × 25950 / 27933.33 = 27.87; 成都锦程's ticket 8.50 > 8.00
    assert l2.bid("杭州云客服科技有限公司").scores["price"] == D("27.87")
    assert "售后工单单价 8.50 元超过单价最高限价 8.00 元" == l2.bid("成都锦程客服服务有限公司").review.reasons[0].zh
    assert "已中标 1 个标包，达到每家供应商最多中标 1 个标包的上限，本标包跳过" in l2.status_reasons[0].zh


# --------------------------------------------------------------------------- the contract year (pricing-models § 7)

YEAR_SAMPLE = SAMPLES / "year"
WORKED_YEAR = [{"label": f"2027-{m:02d}", "daily_inquiries": 2000} for m in range(1, 13)]
WORKED_YEAR[5] = {"label": "2027-06 618", "daily_inquiries": 4800}
WORKED_YEAR[10] = {"label": "2027-11 双11", "daily_inquiries": 8000}
PRICE_ONLY = [{"id": "price", "name": "价格", "kind": "price", "weight": 100}]


def worked_year(profile=WORKED_YEAR):
    tender = parse_tender(
        {
            "scenario": {
                "days_per_month": 25,
                "daily_inquiries": 2000,
                "agents_per_shift": 6,
                "shifts_per_day": 2,
                "contract_months": 12,
                "monthly_profile": profile,
            },
            "criteria": PRICE_ONLY,
            "min_valid_bids": 1,
        }
    )
    bids = [
        parse_bid({"facts": {"company_name": name}, "pricing": pricing}, tender, name)
        for name, pricing in (
            ("保底", {"model": "per_inquiry", "new_rate": 2, "minimum_per_agent_shift": 9750}),
            ("固定", {"model": "fixed_per_agent", "monthly_per_agent": 12000}),
        )
    ]
    return tender, bids, evaluate(tender, bids)


def test_a_minimum_over_the_year_against_the_flat_average_month():
    tender, bids, result = worked_year()
    minimum = result.bid("保底")
    # ten months at max(50000 × 2, 117000) = 117000, June 240000, November 400000
    assert [m.cost.monthly_cost for m in minimum.year.months] == [D(117000)] * 5 + [D(240000)] + [D(117000)] * 4 + [
        D(400000),
        D(117000),
    ]
    assert (minimum.year.contract_cost, minimum.monthly_cost, minimum.cost_per_inquiry) == (
        D("1810000.00"),
        D("150833.33"),
        D("2.21"),
    )
    flat = monthly_cost(bids[0].pricing, tender.scenario.flat_average())
    # 820000 / 12 = 68333.33 × 2.00 = 136666.67 a month, 1640000 a year
    assert flat.monthly_cost == D("136666.67") and (flat.total * 12).quantize(D("0.01")) == D("1640000.00")
    # against 144000 a month: 7333.33 cheaper on the average, 6833.33 dearer over the year
    assert (D(144000) - flat.monthly_cost, minimum.monthly_cost - D(144000)) == (D("7333.33"), D("6833.33"))
    assert result.winners == ["固定", "保底"] and result.flat_average.winner == "保底"
    assert minimum.cost.lines[10].formula == "本月 400000.00 元（日均 8000 咨询 × 25 天） ÷ 12 月 = 33333.33"


def test_the_break_even_of_the_year_at_a_common_scale_factor():
    _tender, _bids, result = worked_year()
    # 1170000 + 640000 f = 1728000 → f = 0.871875; × 820000 / 300 = 2383.125 → 2383.13
    assert result.sensitivity["break_even"] == [
        {"daily_inquiries": "2383.13", "below": "保底", "above": "固定", "monthly_cost": "144000.00"}
    ]


def test_the_year_sample_on_its_flat_average_month():
    result = evaluate_folder(YEAR_SAMPLE)
    # price on the average month: B = 72380; 小满 30 × 72380 / 73440 = 29.57 + 18 + 40 = 87.57;
    # 坐席宝 27.54 + 20 + 39 = 86.54; 恒久 29.38 + 11 + 37 = 77.38; 速回 29.70 + 11 + 36 = 76.70
    flat = {b["vendor"]: (b["monthly_cost"], b["total"], b["rank"]) for b in result.to_json()["flat_average"]["bids"]}
    assert flat == {
        "宁波包月通客服有限公司": ("72380.00", "91.00", 1),
        "杭州小满客服科技有限公司": ("73440.00", "87.57", 2),
        "南通坐席宝客服外包有限公司": ("78833.33", "86.54", 3),
        "嘉兴恒久电商服务有限公司": ("73916.67", "77.38", 4),
        "温州速回客服外包有限公司": ("73106.67", "76.70", 5),
    }
    package = result.bid("宁波包月通客服有限公司")
    assert package.cost.lines[10].formula == "本月 282200.00 元（日均 4500 咨询 × 30 天） ÷ 12 月 = 23516.67"
    assert package.total == D("85.58") and result.bid("杭州小满客服科技有限公司").total == D("88.00")


# --------------------------------------------------------------------------- weight stability (scoring § 12)


def test_weight_stability_of_the_e_commerce_sample():
    result = evaluate_folder(SAMPLES)
    bounds = {
        b["criterion"]: (b["low"], b["high"], b["rival_low"], b["rival_high"])
        for b in result.to_json()["weight_stability"]
    }
    # price: −3600 / −268.4 = 13.41 (苏州专席), 24000 / 342.2 = 70.13 (南京恒信)
    assert bounds["price"] == ("13.41", "70.13", "苏州专席客服服务有限公司", "南京恒信客服外包有限公司")
    assert bounds["plan"] == (None, "83.25", None, "苏州专席客服服务有限公司")
    assert bounds["team"] == (None, "35.51", None, "苏州专席客服服务有限公司")
    assert bounds["experience"] == bounds["response"] == bounds["licensed"] == (None, None, None, None)


def test_weight_stability_worked_example_of_the_scoring_page():
    criteria = [
        {"id": "price", "name": "价格", "kind": "price", "weight": 30},
        {"id": "technical", "name": "技术", "kind": "subjective", "weight": 50},
        {"id": "business", "name": "商务", "kind": "subjective", "weight": 20},
    ]
    tender = parse_tender({"scenario": {"agents_per_shift": 10}, "criteria": criteria, "min_valid_bids": 1})
    bids = [
        parse_bid(
            {"facts": {"company_name": name}, "pricing": {"model": "fixed_per_agent", "monthly_per_agent": cost}},
            tender,
            name,
        )
        for name, cost in (("甲公司", 10000), ("乙公司", 8000))
    ]
    panel = parse_panel(
        {
            "scores": {
                "专家1": {"甲公司": {"technical": 40, "business": 18}, "乙公司": {"technical": 35, "business": 16}}
            }
        },
        tender,
        bids,
    )
    bounds = [
        (b["criterion"], b["low"], b["high"], b["rival_low"] or b["rival_high"])
        for b in evaluate(tender, bids, panel).to_json()["weight_stability"]
    ]
    assert bounds == [
        ("price", None, "33.33", "乙公司"),
        ("technical", "44.44", None, "乙公司"),
        ("business", "11.11", None, "乙公司"),
    ]


def test_the_what_if_of_the_scoring_page_crosses_the_year_sample_s_price_bound():
    from scoring.weights import crossings, reweighted

    result = evaluate_folder(YEAR_SAMPLE)
    # price 16, the other weights × (100 − 16) ÷ (100 − 30) = 1.2
    weights = {"price": D(16), "experience": D(12), "response": D(12), "plan": D(42), "team": D(18)}
    found = crossings(result.weight_stability, weights)
    assert [(c.criterion, c.bound_text, c.side, c.rival) for c in found] == [
        ("price", "19.17", "low", "宁波包月通客服有限公司")
    ]
    definition, panel = reweighted(raw_tender(YEAR_SAMPLE), raw_panel(YEAR_SAMPLE), weights)
    tried = evaluate_folder(YEAR_SAMPLE, definition, panel)
    # 13.11 + 12 + 12 + 33.6 + 15.6 = 86.31; 14.91 + 12 + 12 + 32.0 + 14.8 = 85.71; 16 + 9.6 + 12 + 32.8 + 15.2 = 85.60
    assert [(b.vendor, str(b.total)) for b in tried.ranked[:3]] == [
        ("宁波包月通客服有限公司", "86.31"),
        ("南通坐席宝客服外包有限公司", "85.71"),
        ("杭州小满客服科技有限公司", "85.60"),
    ]
