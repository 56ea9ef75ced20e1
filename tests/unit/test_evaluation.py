"""Scoring, ranking, abnormally low prices, statuses, winners: worked numbers (domain §7, §9)."""

from decimal import Decimal

import pytest

from scoring import InvalidInput, evaluate, parse_panel, parse_tender
from tests.unit.helpers import SCENARIO, make_bid

D = Decimal
NO_PEAK = {**SCENARIO, "peak_days_per_year": 0}


def fixed(monthly_total):
    """A fixed-fee quote costing ``monthly_total`` a month (12 agent-shifts)."""
    return {"model": "fixed_per_agent", "monthly_per_agent": D(monthly_total) / 12}


def tender_of(criteria, **extra):
    return parse_tender({"scenario": dict(NO_PEAK), "criteria": criteria, "min_valid_bids": 1, **extra})


PRICE_ONLY = [
    {"id": "price", "name": "价格", "kind": "price", "weight": 30},
    {
        "id": "exp",
        "name": "经验",
        "kind": "objective",
        "weight": 70,
        "rule": "linear",
        "fact": "similar_projects",
        "points_per_unit": 10,
    },
]


def run(tender, priced: dict, panel=None, facts=None):
    bids = [make_bid(tender, vendor, pricing, **(facts or {}).get(vendor, {})) for vendor, pricing in priced.items()]
    return evaluate(tender, bids, parse_panel(panel, tender, bids) if panel else parse_panel(None, tender, bids))


def scores(result, criterion="price"):
    return {b.vendor: b.scores[criterion] for b in result.bids if b.valid}


def test_lowest_price_scores_each_bid_against_the_cheapest():
    # B = 30000: 30 × 30000/30000 = 30; 30 × 30000/40000 = 22.50; 30 × 30000/60000 = 15.00
    result = run(tender_of(PRICE_ONLY), {"A": fixed(30000), "B": fixed(40000), "C": fixed(60000)})
    assert scores(result) == {"A": D("30.00"), "B": D("22.50"), "C": D("15.00")}
    assert result.benchmark == D("30000.00")


def test_average_deviation_deducts_per_percent_above_and_below():
    # B = mean(30000, 40000, 50000) = 40000; 30000 is 25 % below: 30 − 0.25 × 25 = 23.75;
    # 50000 is 25 % above: 30 − 0.5 × 25 = 17.50
    tender = tender_of(
        PRICE_ONLY, price_method={"method": "average_deviation", "above_per_pct": 0.5, "below_per_pct": 0.25}
    )
    result = run(tender, {"A": fixed(30000), "B": fixed(40000), "C": fixed(50000)})
    assert scores(result) == {"A": D("23.75"), "B": D("30.00"), "C": D("17.50")}


def test_average_deviation_drops_extremes_with_five_bids_and_floors_at_zero():
    # drop 10000 and 100000 → B = (30000 + 40000 + 50000) / 3 = 40000
    # 10000: 75 % below → 30 − 18.75 = 11.25; 30000: 25 % below → 23.75; 50000: 25 % above → 17.50;
    # 100000: 150 % above → 30 − 75 < 0 → 0
    tender = tender_of(
        PRICE_ONLY,
        price_method={
            "method": "average_deviation",
            "above_per_pct": 0.5,
            "below_per_pct": 0.25,
            "drop_extremes": True,
        },
        abnormal_low_ratio=0,
    )
    result = run(
        tender, {"A": fixed(10000), "B": fixed(30000), "C": fixed(40000), "D": fixed(50000), "E": fixed(100000)}
    )
    assert scores(result) == {"A": D("11.25"), "B": D("23.75"), "C": D("30.00"), "D": D("17.50"), "E": D("0.00")}


def test_sme_deduction_lowers_the_price_scored_but_not_the_cost_shown():
    # SME: 40000 × (1 − 0.1) = 36000 is the benchmark; the other: 30 × 36000/38000 = 28.42
    tender = tender_of(PRICE_ONLY, sme_price_deduction=0.1)
    result = run(tender, {"Small": fixed(40000), "Big": fixed(38000)}, facts={"Small": {"sme": True}})
    assert scores(result) == {"Small": D("30.00"), "Big": D("28.42")}
    small = result.bid("Small")
    assert small.monthly_cost == D("40000.00") and small.price_basis == D("36000.000")
    assert result.to_json()["bids"][0]["monthly_cost"] == "40000.00"


# --------------------------------------------------------------------------- how each score was found


def test_a_price_score_explains_the_sme_deduction_the_benchmark_and_the_formula():
    # Small: 40000 × (1 − 10%) = 36000 is the lowest price scored on: B = 36000, 30 × 36000 ÷ 36000 = 30.00
    # Big: 30 × 36000 ÷ 38000 = 28.421… → 28.42; its own 38000 is scored as it is
    tender = tender_of(PRICE_ONLY, sme_price_deduction=0.1)
    result = run(tender, {"Small": fixed(40000), "Big": fixed(38000)}, facts={"Small": {"sme": True}})
    small, big = result.bid("Small"), result.bid("Big")
    assert small.price_deducted and not big.price_deducted
    assert small.note("price").zh == (
        "P = 40,000.00 × (1 − 10%) = 36,000.00（小微企业价格扣除后）；"
        "B = 有效投标中最低的 P = 36,000.00；得分 = 30 × B ÷ P = 30 × 36,000.00 ÷ 36,000.00 = 30.00"
    )
    assert big.note("price").en == (
        "P = 38,000.00; B = the lowest P of the valid bids = 36,000.00; "
        "score = 30 × B ÷ P = 30 × 36,000.00 ÷ 38,000.00 = 28.42"
    )
    # result.json keeps its shape: each note in both languages
    notes = {b["vendor"]: b["score_notes"]["price"] for b in result.to_json()["bids"]}
    assert notes["Big"] == big.note("price").to_json() and set(notes["Big"]) == {"zh", "en"}


def test_an_average_deviation_score_explains_the_mean_the_deviation_and_the_floor():
    # B = mean of the three left after dropping 10000 and 100000 = (30000 + 40000 + 50000) ÷ 3 = 40000
    # 50000: (50000 − 40000) ÷ 40000 × 100 = 25 % above → 30 − 0.5 × 25 = 17.50
    # 100000: 150 % above → 30 − 0.5 × 150 = −45, floored at 0
    tender = tender_of(
        PRICE_ONLY,
        price_method={
            "method": "average_deviation",
            "above_per_pct": 0.5,
            "below_per_pct": 0.25,
            "drop_extremes": True,
        },
        abnormal_low_ratio=0,
    )
    result = run(
        tender, {"A": fixed(10000), "B": fixed(30000), "C": fixed(40000), "D": fixed(50000), "E": fixed(100000)}
    )
    assert result.bid("D").note("price").en == (
        "P = 50,000.00; B = the mean P of the valid bids (without the highest and the lowest) = 40,000.00; "
        "P is 25.00% above B; score = 30 − 0.5 × (50,000.00 − 40,000.00) ÷ 40,000.00 × 100 = 17.50"
    )
    assert result.bid("E").note("price").zh == (
        "P = 100,000.00；B = 有效投标 P 的平均值（去掉最高和最低） = 40,000.00；P 高于 B 150.00%；"
        "得分 = 30 − 0.5 × (100,000.00 − 40,000.00) ÷ 40,000.00 × 100 = -45.00，最低 0 分 → 0.00"
    )
    # 30000: 25 % below → 30 − 0.25 × 25 = 23.75
    assert (
        result.bid("B")
        .note("price")
        .en.endswith("P is 25.00% below B; score = 30 − 0.25 × (40,000.00 − 30,000.00) ÷ 40,000.00 × 100 = 23.75")
    )


def test_objective_notes_name_the_fact_never_its_code():
    criteria = [
        {"id": "price", "name": "价格", "kind": "price", "weight": 30},
        {
            "id": "exp",
            "name": "经验",
            "kind": "objective",
            "weight": 10,
            "rule": "linear",
            "fact": "similar_projects",
            "points_per_unit": 2,
        },
        {
            "id": "fast",
            "name": "响应",
            "kind": "objective",
            "weight": 10,
            "rule": "steps",
            "fact": "first_response_seconds",
            "steps": [{"at_most": 60, "points": 5}, {"at_most": 30, "points": 10}],
        },
        {"id": "iso", "name": "认证", "kind": "objective", "weight": 50, "rule": "boolean", "fact": "iso9001"},
    ]
    result = run(
        tender_of(criteria),
        {"A": fixed(30000)},
        facts={"A": {"similar_projects": 6, "first_response_seconds": 45, "iso9001": True}},
    )
    a = result.bid("A")
    # 6 × 2 = 12, at most the weight 10; 45 s reaches the 60 s step only; ISO 9001 declared
    assert [a.note(c).zh for c in ("exp", "fast", "iso")] == [
        "同类项目数量 6 × 2 分，最高 10 分 → 10 分",
        "首次响应时间承诺（秒） 45 ≤ 60 → 5 分",
        "ISO 9001 质量管理体系认证：是 → 50 分",
    ]
    assert [a.note(c).en for c in ("exp", "fast", "iso")] == [
        "similar projects 6 × 2 points, at most 10 → 10 points",
        "first response time commitment (seconds) 45 ≤ 60 → 5 points",
        "ISO 9001 certification: yes → 50 points",
    ]


def test_equal_keys_share_a_rank_and_the_next_rank_counts_them():
    result = run(tender_of(PRICE_ONLY), {"A": fixed(30000), "B": fixed(30000), "C": fixed(40000)})
    assert {b.vendor: b.rank for b in result.bids} == {"A": 1, "B": 1, "C": 3}


def test_equal_totals_rank_the_lower_monthly_cost_first():
    # both scored on P = 36000 (the SME's 40000 less 10 %): equal totals 30 + 0;
    # the real monthly cost decides: 36000 before 40000
    tender = tender_of(PRICE_ONLY, sme_price_deduction=0.1)
    result = run(tender, {"Small": fixed(40000), "Plain": fixed(36000)}, facts={"Small": {"sme": True}})
    assert result.bid("Small").total == result.bid("Plain").total == D("30.00")
    assert [b.vendor for b in result.ranked] == ["Plain", "Small"]
    assert [b.rank for b in result.ranked] == [1, 2]


def test_equal_totals_and_costs_rank_the_higher_non_price_total_first():
    # Small: 40000 SME → P 36000 → price 30.00 + experience 0 = 30.00
    # Plain: 40000 → price 30 × 36000/40000 = 27.00 + experience 3 × 1 = 3 → 30.00; same cost 40000
    criteria = [
        {"id": "price", "name": "价格", "kind": "price", "weight": 30},
        {
            "id": "exp",
            "name": "经验",
            "kind": "objective",
            "weight": 70,
            "rule": "linear",
            "fact": "similar_projects",
            "points_per_unit": 1,
        },
    ]
    tender = tender_of(criteria, sme_price_deduction=0.1)
    result = run(
        tender,
        {"Small": fixed(40000), "Plain": fixed(40000)},
        facts={"Small": {"sme": True}, "Plain": {"similar_projects": 3}},
    )
    assert result.bid("Small").total == result.bid("Plain").total == D("30.00")
    assert [b.vendor for b in result.ranked] == ["Plain", "Small"]


def test_non_price_total_leaves_out_the_price_criterion_whatever_its_id():
    # The price criterion is called "jiage" here. Small: 40000 SME → P 36000 → price 30.00,
    # experience 0 → total 30.00, non-price 0. Plain: 40000 → price 30 × 36000/40000 = 27.00,
    # experience 3 × 1 = 3.00 → total 30.00, non-price 3.00. Same cost 40000 → Plain first.
    criteria = [
        {"id": "jiage", "name": "价格", "kind": "price", "weight": 30},
        {
            "id": "exp",
            "name": "经验",
            "kind": "objective",
            "weight": 70,
            "rule": "linear",
            "fact": "similar_projects",
            "points_per_unit": 1,
        },
    ]
    tender = tender_of(criteria, sme_price_deduction=0.1)
    result = run(
        tender,
        {"Small": fixed(40000), "Plain": fixed(40000)},
        facts={"Small": {"sme": True}, "Plain": {"similar_projects": 3}},
    )
    assert result.bid("Small").total == result.bid("Plain").total == D("30.00")
    assert {b.vendor: b.rank for b in result.ranked} == {"Plain": 1, "Small": 2}


def test_total_is_the_sum_of_scores_rounded_per_criterion():
    # price 30 × 30000/45000 = 20.0000 → 20.00 and 30 × 30000/70000 = 12.857… → 12.86
    result = run(
        tender_of(PRICE_ONLY),
        {"A": fixed(30000), "B": fixed(45000), "C": fixed(70000)},
        facts={"C": {"similar_projects": "0.5"}},
    )
    assert result.bid("C").scores == {"price": D("12.86"), "exp": D("5.00")}
    assert result.bid("C").total == D("17.86")


def test_objective_rules_linear_steps_boolean_and_multi_condition():
    criteria = [
        {"id": "price", "name": "价格", "kind": "price", "weight": 40},
        {
            "id": "exp",
            "name": "经验",
            "kind": "objective",
            "weight": 10,
            "rule": "linear",
            "fact": "similar_projects",
            "points_per_unit": 2,
            "cap": 8,
        },
        {
            "id": "response",
            "name": "响应",
            "kind": "objective",
            "weight": 10,
            "rule": "steps",
            "fact": "first_response_seconds",
            "steps": [{"at_most": 60, "points": 5}, {"at_most": 30, "points": 10}],
        },
        {
            "id": "staff",
            "name": "人员",
            "kind": "objective",
            "weight": 10,
            "rule": "steps",
            "fact": "staff_count",
            "steps": [{"at_least": 50, "points": 4}, {"at_least": 100, "points": 8}],
        },
        {"id": "iso", "name": "ISO", "kind": "objective", "weight": 5, "rule": "boolean", "fact": "iso9001"},
        {
            "id": "kpi",
            "name": "KPI",
            "kind": "objective",
            "weight": 25,
            "rule": "steps",
            "steps": [
                {
                    "all": [{"fact": "answer_rate", "at_least": 0.85}, {"fact": "avg_handle_seconds", "at_most": 200}],
                    "points": 4,
                },
                {
                    "all": [{"fact": "answer_rate", "at_least": 0.90}, {"fact": "avg_handle_seconds", "at_most": 180}],
                    "points": 7,
                },
                {
                    "all": [{"fact": "answer_rate", "at_least": 0.92}, {"fact": "avg_handle_seconds", "at_most": 150}],
                    "points": 10,
                },
            ],
        },
    ]
    facts = {
        "A": {
            "similar_projects": 6,
            "first_response_seconds": 45,
            "staff_count": 120,
            "iso9001": "是",
            "answer_rate": "0.93",
            "avg_handle_seconds": 160,
        },
        "B": {
            "similar_projects": 2,
            "first_response_seconds": 20,
            "staff_count": 49,
            "iso9001": False,
            "answer_rate": "0.95",
            "avg_handle_seconds": 140,
        },
    }
    result = run(tender_of(criteria), {"A": fixed(30000), "B": fixed(30000)}, facts=facts)
    a, b = result.bid("A").scores, result.bid("B").scores
    # A: min(6 × 2, 8, 10) = 8; 45 s ≤ 60 → 5; 120 ≥ 100 → 8; ISO yes → 5; 0.93/160 reaches step 2 only → 7
    assert (a["exp"], a["response"], a["staff"], a["iso"], a["kpi"]) == (8, 5, 8, 5, 7)
    # B: 2 × 2 = 4; 20 s ≤ 30 → 10; 49 < 50 → 0; no ISO → 0; 0.95/140 reaches all three → 10
    assert (b["exp"], b["response"], b["staff"], b["iso"], b["kpi"]) == (4, 10, 0, 0, 10)


def test_undeclared_fact_scores_zero():
    result = run(tender_of(PRICE_ONLY), {"A": fixed(30000)})
    assert result.bid("A").scores["exp"] == D("0.00")


SUBJECTIVE = [
    {"id": "price", "name": "价格", "kind": "price", "weight": 30},
    {"id": "plan", "name": "服务方案", "kind": "subjective", "weight": 40, "aggregate": "mean"},
    {"id": "team", "name": "团队", "kind": "subjective", "weight": 30, "aggregate": "trimmed_mean"},
]


def test_trimmed_mean_drops_highest_and_lowest_with_five_evaluators():
    # team: 20 22 24 26 30 → drop 20 and 30 → (22 + 24 + 26) / 3 = 24.00
    # plan (mean): 30 31 32 33 35 → 161 / 5 = 32.20
    panel = {
        "scores": {
            f"专家{i}": {"A": {"plan": p, "team": t}}
            for i, (p, t) in enumerate([(30, 20), (31, 22), (32, 24), (33, 26), (35, 30)], start=1)
        }
    }
    result = run(tender_of(SUBJECTIVE), {"A": fixed(30000)}, panel)
    assert result.bid("A").scores == {"price": D("30.00"), "plan": D("32.20"), "team": D("24.00")}
    assert result.status == "ok"


def test_trimmed_mean_is_a_plain_mean_below_five_evaluators():
    # 20 22 30 → 72 / 3 = 24.00
    panel = {"scores": {f"专家{i}": {"A": {"plan": 30, "team": t}} for i, t in enumerate([20, 22, 30], start=1)}}
    result = run(tender_of(SUBJECTIVE), {"A": fixed(30000)}, panel)
    assert result.bid("A").scores["team"] == D("24.00")


def test_a_missing_subjective_score_leaves_the_result_pending():
    panel = {"scores": {"专家1": {"A": {"plan": 30, "team": 20}}, "专家2": {"A": {"plan": 30}}}}
    result = run(tender_of(SUBJECTIVE), {"A": fixed(30000)}, panel)
    assert result.status == "pending"
    # the criterion is named as the tender names it (no English name given: its Chinese one), never by its id
    assert "evaluator '专家2' has not scored 'A' on '团队'" in [reason.en for reason in result.status_reasons]
    assert "评委“专家2”尚未给“A”的“团队”打分" in [reason.zh for reason in result.status_reasons]


@pytest.mark.parametrize("score", [41, -1, "40.01"])
def test_a_score_out_of_range_is_refused(score):
    tender = tender_of(SUBJECTIVE)
    bids = [make_bid(tender, "A", fixed(30000))]
    with pytest.raises(InvalidInput) as error:
        parse_panel({"scores": {"专家1": {"A": {"plan": score, "team": 10}}}}, tender, bids)
    assert "it must lie between 0 and 40" in error.value.problems[0].en
    assert error.value.problems[0].path == "scores.专家1.A.plan"


@pytest.mark.parametrize("score", ["好", "二十", "", True])
def test_a_score_that_is_not_a_number_is_refused_as_such_not_as_out_of_range(score):
    tender = tender_of(SUBJECTIVE)
    bids = [make_bid(tender, "A", fixed(30000))]
    with pytest.raises(InvalidInput) as error:
        parse_panel({"scores": {"专家1": {"A": {"plan": score, "team": 10}}}}, tender, bids)
    (problem,) = error.value.problems
    assert problem.en == f"evaluator '专家1' gave 'A' a score {score!r} on '服务方案' that is not a number"
    assert problem.zh.endswith("不是数字") and "应在" not in problem.zh
    assert problem.path == "scores.专家1.A.plan"


def test_reading_one_score_says_why_in_a_few_words():
    # plan: weight 40; "二十" is no number, 41 is above 40, 12 lies outside a band of 15–25
    from scoring.criteria import Band, read_score

    plan = tender_of(SUBJECTIVE).criterion("plan")
    assert read_score("二十", plan)[1].en == "'二十' is not a number"
    assert read_score("41", plan)[1].zh == "41 不在 0–40 之间"
    assert read_score("12", plan, Band("二档", D(15), D(25)))[1].en == "12 is outside the agreed band '二档' (15–25)"
    assert read_score(" 20.5 ", plan) == (D("20.5"), None)


def test_abnormally_low_price_waits_for_a_decision():
    # 20000 < 0.8 × mean(40000, 50000) = 36000 → flagged; no decision → pending
    result = run(tender_of(PRICE_ONLY), {"Low": fixed(20000), "B": fixed(40000), "C": fixed(50000)})
    low = result.bid("Low")
    assert "abnormal_low" in low.flags and low.decision == "pending"
    assert result.status == "pending"
    assert result.bid("B").flags == []


def test_abnormally_low_is_strictly_below_the_ratio():
    # 36000 is not below 0.8 × 45000 = 36000
    result = run(tender_of(PRICE_ONLY), {"Edge": fixed(36000), "B": fixed(40000), "C": fixed(50000)})
    assert result.bid("Edge").flags == [] and result.status == "ok"


def test_accepted_abnormally_low_price_stays_in_the_benchmark():
    panel = {"abnormal_low": {"Low": {"decision": "accept", "explanation": "自有系统，人力成本低"}}}
    result = run(tender_of(PRICE_ONLY), {"Low": fixed(20000), "B": fixed(40000), "C": fixed(50000)}, panel)
    assert result.status == "ok"
    assert scores(result) == {"Low": D("30.00"), "B": D("15.00"), "C": D("12.00")}
    assert result.to_json()["bids"][0]["abnormal_low_note"] == "自有系统，人力成本低"


def test_rejected_abnormally_low_price_leaves_benchmark_and_ranking():
    panel = {"abnormal_low": {"Low": {"decision": "reject", "reason": "无法说明成本构成"}}}
    result = run(tender_of(PRICE_ONLY), {"Low": fixed(20000), "B": fixed(40000), "C": fixed(50000)}, panel)
    assert scores(result) == {"B": D("30.00"), "C": D("24.00")}
    low = result.to_json()["bids"][-1]
    assert low["vendor"] == "Low" and low["qualified"] is True and low["valid"] is False and "rank" not in low
    assert "无法说明成本构成" in low["reasons"][0]


def test_fewer_valid_bids_than_required_fails_even_while_pending():
    tender = parse_tender({"scenario": dict(NO_PEAK), "criteria": PRICE_ONLY, "min_valid_bids": 4})
    result = run(tender, {"Low": fixed(20000), "B": fixed(40000), "C": fixed(50000)})
    assert result.status == "failed"
    assert result.winners == [] and result.awards == []
    assert [b.rank for b in result.ranked] == [1, 2, 3]  # still scored and ranked for the record


def test_winners_are_the_top_three_in_order():
    result = run(
        tender_of(PRICE_ONLY), {v: fixed(p) for v, p in [("D", 45000), ("A", 30000), ("C", 40000), ("B", 35000)]}
    )
    assert result.winners == ["A", "B", "C"]


def test_two_winners_with_shares():
    tender = tender_of(PRICE_ONLY, award={"winners": 2, "shares": [0.6, 0.4]}, min_valid_bids=2)
    result = run(tender, {"A": fixed(30000), "B": fixed(35000), "C": fixed(40000)})
    assert result.awards == [{"vendor": "A", "rank": 1, "share": "0.60"}, {"vendor": "B", "rank": 2, "share": "0.40"}]


def test_winners_may_exceed_min_valid_bids():
    # §9.6: four winners although a tender needs only three valid bids is a valid tender
    tender = parse_tender(
        {
            "scenario": dict(NO_PEAK),
            "criteria": PRICE_ONLY,
            "min_valid_bids": 3,
            "award": {"winners": 4, "shares": [0.4, 0.3, 0.2, 0.1]},
        }
    )
    assert tender.award.winners == 4


def test_fewer_valid_bids_than_winners_award_those_there_are_and_say_so():
    # 4 winners, 3 valid bids (min_valid_bids 3, so not failed): the three ranked bids take
    # their places with their own shares, the fourth place stays empty and the status says so
    tender = parse_tender(
        {
            "scenario": dict(NO_PEAK),
            "criteria": PRICE_ONLY,
            "min_valid_bids": 3,
            "award": {"winners": 4, "shares": [0.4, 0.3, 0.2, 0.1]},
        }
    )
    result = run(
        tender,
        {"A": fixed(30000), "B": fixed(35000), "C": fixed(40000)},
        facts={v: {"similar_projects": 1} for v in "ABC"},
    )
    assert result.status == "ok"
    assert result.awards == [
        {"vendor": "A", "rank": 1, "share": "0.40"},
        {"vendor": "B", "rank": 2, "share": "0.30"},
        {"vendor": "C", "rank": 3, "share": "0.20"},
    ]
    assert [(r.zh, r.en) for r in result.status_reasons] == [
        (
            "有效投标 3 家，少于中标人数 4 家：只授予这 3 家",
            "3 valid bids, fewer than the 4 winners: only those 3 are awarded",
        )
    ]
    assert (
        result.to_json()["status_reasons"][0]["en"]
        == "3 valid bids, fewer than the 4 winners: only those 3 are awarded"
    )


def test_disqualified_bid_keeps_its_cost_and_reasons_and_has_no_rank():
    rules = [
        {"fact": "registered_capital", "op": ">=", "value": 1000000, "label": "注册资金不低于人民币100万元"},
        {"fact": "independent_legal_person", "op": "==", "value": True},
    ]
    tender = tender_of(PRICE_ONLY, qualification_rules=rules)
    result = run(
        tender,
        {"Rich": fixed(40000), "Poor": fixed(30000)},
        facts={
            "Rich": {"registered_capital": 3000000, "independent_legal_person": True},
            "Poor": {"registered_capital": 500000},
        },
    )
    poor = next(b for b in result.to_json()["bids"] if b["vendor"] == "Poor")
    assert poor["qualified"] is False and "rank" not in poor and poor["monthly_cost"] == "30000.00"
    assert poor["reasons"][0].startswith("注册资金不低于人民币100万元")
    assert "500000" in poor["reasons"][0]
    assert poor["reasons"][1].startswith("independent_legal_person") and "not declared" in poor["reasons"][1]
    # the disqualified bid is not in the benchmark: Rich scores the full 30
    assert scores(result) == {"Rich": D("30.00")}


def test_price_ceiling_makes_a_dearer_bid_invalid():
    result = run(tender_of(PRICE_ONLY, price_ceiling=35000), {"A": fixed(30000), "B": fixed(40000)})
    assert result.bid("B").valid is False
    assert result.bid("B").review.reasons[0].en == "monthly cost 40000.00 exceeds the price ceiling 35000.00"
    assert result.bid("B").review.reasons[0].zh == "月度成本 40000.00 元超过最高限价 35000.00 元"


def test_conformity_review_checks_scope_and_quality_commitments():
    tender = tender_of(
        PRICE_ONLY,
        service_scope={"platforms": ["taobao", "jd"], "channels": ["online_chat"]},
        quality_requirements={"first_response_seconds_max": 300, "satisfaction_min": 0.95},
    )
    facts = {
        "Good": {
            "platforms": ["淘宝", "JD", "tmall"],
            "channels": "online_chat",
            "first_response_seconds": 30,
            "satisfaction_commitment": "0.96",
        },
        "Slow": {"platforms": ["taobao"], "channels": ["online_chat"], "first_response_seconds": 600},
    }
    result = run(tender, {"Good": fixed(30000), "Slow": fixed(30000)}, facts=facts)
    assert result.bid("Good").valid
    # result.json names each requirement by its key and name (§5.1) …
    records = result.bid("Slow").review.records
    assert len(records) == 3
    assert records[0].startswith("service_scope.platforms / 服务平台") and "missing JD" in records[0]
    assert records[1].startswith("first_response_seconds_max / 首次响应时间") and "600" in records[1]
    assert records[2].startswith("satisfaction_min / 满意度") and "not declared" in records[2]
    # … a person reads the requirement's name and the platforms' names, one language at a time
    reasons = result.bid("Slow").review.reasons
    assert [r.zh for r in reasons] == [
        "服务平台：申报 淘宝，缺少 京东",
        "首次响应时间：申报 600，不满足 <= 300",
        "满意度：未申报",
    ]
    assert [r.en for r in reasons] == [
        "platforms: declared Taobao, missing JD",
        "first response time: declared 600, does not meet <= 300",
        "satisfaction: not declared",
    ]


def test_result_does_not_depend_on_the_order_of_the_bids():
    tender = tender_of(PRICE_ONLY)
    priced = {"A": fixed(30000), "B": fixed(30000), "C": fixed(42000), "D": {"model": "per_inquiry", "new_rate": 1.5}}
    forward = run(tender, priced).to_json()
    backward = run(tender, dict(reversed(list(priced.items())))).to_json()
    for data in (forward, backward):
        for bid in data["bids"]:
            bid.pop("source")
    assert forward == backward


def test_two_bids_with_one_company_name_are_refused():
    tender = tender_of(PRICE_ONLY)
    bids = [make_bid(tender, "A", fixed(30000)), make_bid(tender, "A", fixed(40000))]
    with pytest.raises(InvalidInput, match="several bids name the same company 'A'"):
        evaluate(tender, bids)


# --------------------------------------------------------------------------- §9

RATE_CARD = {
    "work_items": [
        {"id": "chat", "name": "在线咨询", "unit": "件", "monthly_quantity": 24000},
        {"id": "ticket", "name": "售后工单", "unit": "单", "monthly_quantity": 3000},
        {"id": "seat", "name": "专席坐席", "unit": "席·月", "monthly_quantity": 2},
    ]
}


def test_unit_price_above_its_ceiling_makes_the_bid_invalid_naming_item_and_prices():
    tender = parse_tender(
        {
            "scenario": {**NO_PEAK, **RATE_CARD},
            "criteria": PRICE_ONLY,
            "min_valid_bids": 1,
            "unit_price_ceilings": {"chat": "1.71"},
        }
    )
    result = run(
        tender,
        {
            "Over": {"model": "line_items", "prices": {"chat": "1.80", "ticket": 9, "seat": 6500}},
            "Under": {"model": "line_items", "prices": {"chat": "1.70", "ticket": 9, "seat": 6500}},
        },
    )
    assert result.bid("Under").valid and result.bid("Under").monthly_cost == D("80800.00")  # 40800 + 27000 + 13000
    over = result.bid("Over")
    assert not over.qualified
    assert over.review.records == [
        "在线咨询单价 1.80 元超过单价最高限价 1.71 元 / unit price of 在线咨询 1.80 exceeds its ceiling 1.71"
    ]


def test_negative_reference_discount_makes_the_bid_invalid():
    reference = {"model": "line_items", "prices": {"chat": 1.5, "ticket": 9, "seat": 6500}}
    tender = parse_tender(
        {
            "scenario": {**NO_PEAK, **RATE_CARD},
            "criteria": PRICE_ONLY,
            "min_valid_bids": 1,
            "reference_pricing": reference,
        }
    )
    result = run(
        tender,
        {
            "Cut": {"model": "reference_discount", "discount_rate": "0.08"},
            "Surcharge": {"model": "reference_discount", "discount_rate": "-0.05"},
        },
    )
    assert result.bid("Cut").monthly_cost == D("69920.00")  # 76000 × 0.92
    surcharge = result.bid("Surcharge")
    assert surcharge.monthly_cost == D("79800.00")  # 76000 × 1.05, shown but invalid
    assert not surcharge.qualified and "discount rate -5% is negative" in surcharge.review.reasons[0].en


def test_volume_weighted_cost_changes_the_winner():
    # single volume 800/day: per inquiry 2.00 × 24000 = 48000 beats the fixed 60000.
    # weighted: 0.16 × (500 × 30 × 2) + 0.16 × 48000 + 0.68 × (1500 × 30 × 2)
    #         = 0.16 × 30000 + 0.16 × 48000 + 0.68 × 90000 = 4800 + 7680 + 61200 = 73680 > 60000
    priced = {"PerInquiry": {"model": "per_inquiry", "new_rate": 2}, "Fixed": fixed(60000)}
    single = run(tender_of(PRICE_ONLY), priced)
    assert single.winners[0] == "PerInquiry"
    volumes = [
        {"name": "淡季", "daily_inquiries": 500, "weight": "0.16"},
        {"name": "平季", "daily_inquiries": 800, "weight": "0.16"},
        {"name": "旺季", "daily_inquiries": 1500, "weight": "0.68"},
    ]
    tender = parse_tender(
        {"scenario": {**NO_PEAK, "volume_scenarios": volumes}, "criteria": PRICE_ONLY, "min_valid_bids": 1}
    )
    weighted = run(tender, priced)
    assert weighted.winners[0] == "Fixed"
    per_inquiry = weighted.bid("PerInquiry")
    assert per_inquiry.monthly_cost == D("73680.00")
    assert [v["monthly_cost"] for v in per_inquiry.volume_costs] == ["30000.00", "48000.00", "90000.00"]
    # cost per inquiry over the weighted volume: 73680 / (30 × (80 + 128 + 1020)) = 73680 / 36840 = 2.00
    assert per_inquiry.cost_per_inquiry == D("2.00")


BANDED = [
    {"id": "price", "name": "价格", "kind": "price", "weight": 50},
    {
        "id": "plan",
        "name": "服务方案",
        "kind": "subjective",
        "weight": 50,
        "bands": [
            {"label": "一档", "min": 0, "max": 15},
            {"label": "二档", "min": 15.1, "max": 35},
            {"label": "三档", "min": 35.1, "max": 50},
        ],
    },
]


def test_scores_inside_the_agreed_band_are_accepted():
    panel = {"bands": {"A": {"plan": "二档"}}, "scores": {"专家1": {"A": {"plan": 30}}, "专家2": {"A": {"plan": 33}}}}
    result = run(tender_of(BANDED), {"A": fixed(30000)}, panel)
    assert result.bid("A").scores["plan"] == D("31.50") and result.status == "ok"


def test_a_score_outside_the_agreed_band_is_refused_naming_evaluator_vendor_and_criterion():
    tender = tender_of(BANDED)
    bids = [make_bid(tender, "杭州云客服", fixed(30000))]
    with pytest.raises(InvalidInput) as error:
        parse_panel(
            {"bands": {"杭州云客服": {"plan": "二档"}}, "scores": {"专家2": {"杭州云客服": {"plan": 40}}}}, tender, bids
        )
    # the criterion by its name (no English name given: the Chinese one), never its id "plan"
    assert error.value.problems[0].en == (
        "evaluator '专家2' scored '杭州云客服' 40 on '服务方案', outside the agreed band '二档' (15.1–35)"
    )


def test_a_band_not_yet_agreed_leaves_the_result_pending():
    result = run(tender_of(BANDED), {"A": fixed(30000)}, {"scores": {"专家1": {"A": {"plan": 30}}}})
    assert result.status == "pending"


def test_flags_are_listed_in_a_stable_order_and_decisions_read_as_people_write_them():
    tender = parse_tender(
        {"scenario": dict(SCENARIO), "criteria": PRICE_ONLY, "min_valid_bids": 1, "price_method": "lowest_price"}
    )
    bids = [
        make_bid(tender, "Low", fixed(20000)),
        make_bid(tender, "B", fixed(40000)),
        make_bid(tender, "C", fixed(50000)),
    ]
    result = evaluate(tender, bids, parse_panel({"abnormal_low": {"Low": "Accepted"}}, tender, bids))
    low = next(b for b in result.to_json()["bids"] if b["vendor"] == "Low")
    assert low["flags"] == ["abnormal_low", "peak_not_priced"]
    assert low["abnormal_low_decision"] == "accept" and result.status == "ok"


def test_evaluation_leaves_the_cyclic_garbage_collector_as_it_found_it():
    import gc

    tender = tender_of(PRICE_ONLY)
    bids = [make_bid(tender, "A", fixed(30000)), make_bid(tender, "A", fixed(40000))]
    assert gc.isenabled()
    with pytest.raises(InvalidInput):
        evaluate(tender, bids)  # refused (one company twice): the collector is back on
    assert gc.isenabled()
    evaluate(tender, bids[:1])
    assert gc.isenabled()
