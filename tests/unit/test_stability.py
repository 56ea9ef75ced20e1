"""Weight stability (§11): how far each weight may move before another bid ranks first.

When criterion c weighs x instead of w_c and the other weights are scaled by
(100 − x) ÷ (100 − w_c), bid b totals T_b(x) = x · s_bc ÷ w_c + (100 − x) ÷ (100 − w_c) · Σ_{j≠c} s_bj.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from scoring import evaluate, parse_panel, parse_tender
from scoring.criteria import Criterion
from scoring.stability import round_half_up, total_at, weight_stability
from tests.unit.helpers import make_bid
from tests.unit.test_properties import SETTINGS

D = Decimal
NO_PEAK = {"days_per_month": 30, "daily_inquiries": 800, "agents_per_shift": 10, "shifts_per_day": 1}
WORKED = [
    {"id": "price", "name": "价格", "kind": "price", "weight": 30},
    {"id": "technical", "name": "技术", "kind": "subjective", "weight": 50},
    {"id": "business", "name": "商务", "kind": "subjective", "weight": 20},
]


def fixed(cost: int) -> dict:
    return {"model": "fixed_per_agent", "monthly_per_agent": cost // 10}  # × 10 agent-shifts


def evaluated(criteria, costs: dict, scores: dict):
    tender = parse_tender({"scenario": NO_PEAK, "criteria": criteria, "min_valid_bids": 1})
    bids = [make_bid(tender, vendor, fixed(cost)) for vendor, cost in costs.items()]
    return evaluate(tender, bids, parse_panel({"scores": {"专家1": scores}}, tender, bids))


def test_the_worked_example_of_the_domain():
    # A (甲公司): price 30 × 80000 / 100000 = 24, technical 40, business 18 → 82;
    # B (乙公司): price 30, technical 35, business 16 → 81.
    result = evaluated(
        WORKED,
        {"甲公司": 100000, "乙公司": 80000},
        {"甲公司": {"technical": 40, "business": 18}, "乙公司": {"technical": 35, "business": 16}},
    )
    assert [(b.vendor, b.total) for b in result.ranked] == [("甲公司", D("82.00")), ("乙公司", D("81.00"))]
    # price: A 24/30 = 0.8 per point of weight, B 1.0; on the rest A 58, B 51 (of 70).
    #   x · 0.8 + (100 − x) / 70 · 58 = x · 1.0 + (100 − x) / 70 · 51  →  7 (100 − x) = 14 x  →  x = 100 / 3 = 33.33
    # technical: A 0.8, B 0.7; rest A 42, B 46 (of 50): 0.1 x = 4 (100 − x) / 50  →  x = 400 / 9 = 44.44
    # business: A 0.9, B 0.8; rest A 64, B 65 (of 80): 0.1 x = (100 − x) / 80  →  x = 100 / 9 = 11.11
    assert result.to_json()["weight_stability"] == [
        {
            "criterion": "price",
            "weight": "30.00",
            "low": None,
            "high": "33.33",
            "rival_low": None,
            "rival_high": "乙公司",
        },
        {
            "criterion": "technical",
            "weight": "50.00",
            "low": "44.44",
            "high": None,
            "rival_low": "乙公司",
            "rival_high": None,
        },
        {
            "criterion": "business",
            "weight": "20.00",
            "low": "11.11",
            "high": None,
            "rival_low": "乙公司",
            "rival_high": None,
        },
    ]
    bounds = {b.criterion: b for b in result.weight_stability}
    assert bounds["price"].high == Fraction(100, 3)
    assert bounds["technical"].low == Fraction(400, 9) and bounds["business"].low == Fraction(100, 9)


def test_no_stability_when_rank_1_is_shared_or_only_one_bid_is_ranked():
    same = {"technical": 40, "business": 18}
    shared = evaluated(WORKED, {"甲公司": 100000, "乙公司": 100000}, {"甲公司": same, "乙公司": same})
    assert [b.rank for b in shared.ranked] == [1, 1]
    assert shared.weight_stability == [] and shared.to_json()["weight_stability"] == []
    alone = evaluated(WORKED, {"甲公司": 100000}, {"甲公司": same})
    assert alone.to_json()["weight_stability"] == []


def test_a_tie_break_win_puts_the_bound_at_the_weight_itself_on_the_rivals_side():
    criteria = [
        {"id": "price", "name": "价格", "kind": "price", "weight": 50},
        {"id": "plan", "name": "方案", "kind": "subjective", "weight": 50},
    ]
    # A: price 50, plan 30 → 80; B: 50 × 80000 / 100000 = 40, plan 40 → 80; A ranks first on its lower cost.
    result = evaluated(criteria, {"A": 80000, "B": 100000}, {"A": {"plan": 30}, "B": {"plan": 40}})
    assert [(b.vendor, b.rank) for b in result.ranked] == [("A", 1), ("B", 2)]
    # a lighter price weight lets B lead at once, so does a heavier plan weight
    assert result.to_json()["weight_stability"] == [
        {"criterion": "price", "weight": "50.00", "low": "50.00", "high": None, "rival_low": "B", "rival_high": None},
        {"criterion": "plan", "weight": "50.00", "low": None, "high": "50.00", "rival_low": None, "rival_high": "B"},
    ]


def test_a_rival_level_only_at_0_or_100_leaves_the_bound_null():
    criteria = [
        {"id": "price", "name": "价格", "kind": "price", "weight": 40},
        {"id": "plan", "name": "方案", "kind": "subjective", "weight": 40},
        {"id": "team", "name": "团队", "kind": "subjective", "weight": 20},
    ]
    # A: price 40, plan 30, team 10 → 80; B: 40 × 80000 / 100000 = 32, plan 30, team 10 → 72.
    # price: B equal on the rest, so level only at a price weight of 0; plan: equal on plan, level only at 100.
    result = evaluated(
        criteria, {"A": 80000, "B": 100000}, {"A": {"plan": 30, "team": 10}, "B": {"plan": 30, "team": 10}}
    )
    bounds = {b["criterion"]: b for b in result.to_json()["weight_stability"]}
    assert (bounds["price"]["low"], bounds["price"]["high"]) == (None, None)
    assert (bounds["plan"]["low"], bounds["plan"]["high"]) == (None, None)


def test_where_two_rivals_draw_level_at_the_same_weight_the_better_ranked_is_named():
    criteria = [
        {"id": "plan", "name": "方案", "kind": "subjective", "weight": 70},
        {"id": "team", "name": "团队", "kind": "subjective", "weight": 30},
    ]
    # A 50 + 30 = 80, B 51 + 28 = 79, C 52 + 26 = 78 (all cost the same).
    # plan: B 100·70·2 / (70·1 + 100·1) = 14000/170, C 100·70·4 / (70·2 + 100·2) = 28000/340: both 82.35
    result = evaluated(
        criteria,
        {"A": 60000, "C": 60000, "B": 60000},
        {"A": {"plan": 50, "team": 30}, "B": {"plan": 51, "team": 28}, "C": {"plan": 52, "team": 26}},
    )
    plan = result.to_json()["weight_stability"][0]
    assert (plan["high"], plan["rival_high"]) == ("82.35", "B")


def test_bounds_round_half_up():
    assert round_half_up(Fraction(1, 200)) == D("0.01")  # 0.005
    assert round_half_up(Fraction(4441, 100) + Fraction(1, 200)) == D("44.42")  # 44.415
    assert round_half_up(Fraction(400, 9)) == D("44.44")


# --------------------------------------------------------------------------- property


@st.composite
def rankings(draw):
    """Criteria with weights summing to 100 and 2–5 bids' rounded scores, ranked by total
    (bids on equal totals keep their order, as a cost tie-break would rank them)."""
    cuts = sorted(draw(st.lists(st.integers(min_value=1, max_value=99), min_size=2, max_size=3, unique=True)))
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, 100])]
    criteria = [Criterion(f"c{i}", f"c{i}", "subjective", Decimal(w)) for i, w in enumerate(weights)]
    count = draw(st.integers(min_value=2, max_value=5))
    bids = []
    for index in range(count):
        scores = {c.id: Decimal(draw(st.integers(min_value=0, max_value=int(c.weight) * 100))) / 100 for c in criteria}
        bids.append((f"V{index}", scores))
    bids.sort(key=lambda b: -sum(b[1].values()))
    return criteria, [(vendor, position, scores) for position, (vendor, scores) in enumerate(bids, start=1)]


@SETTINGS
@given(rankings())
def test_at_each_bound_the_rival_draws_level_and_inside_it_the_winner_leads(case):
    criteria, ranked = case
    weights = {c.id: c.weight for c in criteria}
    scores = {vendor: s for vendor, _rank, s in ranked}
    winner = ranked[0][0]
    for bound in weight_stability(criteria, ranked):
        c, w = bound.criterion, Fraction(bound.weight)

        def lead(vendor, x):
            return total_at(scores[winner], weights, c, x) - total_at(scores[vendor], weights, c, x)

        rivals = [v for v, _r, _s in ranked[1:] if any(lead(v, x) != 0 for x in (0, 100))]  # not equal everywhere
        low = bound.low if bound.low is not None else Fraction(0)
        high = bound.high if bound.high is not None else Fraction(100)
        for edge, rival in ((bound.low, bound.rival_low), (bound.high, bound.rival_high)):
            if edge is not None:
                assert lead(rival, edge) == 0  # exactly level there, before rounding
                better = [v for v in rivals[: rivals.index(rival)]]
                assert all(lead(v, edge) != 0 for v in better)  # no better ranked rival is level there
        if low < high:
            for x in (low + (high - low) / 10**6, (low + high) / 2, high - (high - low) / 10**6):
                assert all(lead(v, x) > 0 for v in rivals)  # inside: the winner leads every rival
        if bound.high is not None and bound.high < 100:
            assert lead(bound.rival_high, bound.high + (100 - bound.high) / 10**6) < 0  # just beyond: it leads
        if bound.low is not None and bound.low > 0:
            assert lead(bound.rival_low, bound.low / (1 + Fraction(1, 10**6))) < 0
        assert (bound.low is None or bound.low <= w) and (bound.high is None or bound.high >= w)
