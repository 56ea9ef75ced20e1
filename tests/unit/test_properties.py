"""Properties that must hold for any quote and any set of bids (hypothesis).

- No pricing model's cost falls when inquiries rise. (One honest exception, by design:
  an all-units *bracket* table whose charge drops at a tier boundary — 0.80 × 500 > 0.70 × 501
  — really does cost less just above the boundary. The bracket tables generated here are
  those whose charge does not drop at a boundary.)
- The cheapest valid bid's price score equals the price weight (lowest-price method).
- Totals never exceed 100.
- The result does not depend on the order the bids are given in.
- A subjective score worked out in whole numbers is the rounded mean, Decimal for Decimal.
- Break-even points really are volumes where two cost curves are equal — for curves without
  jumps (a bracket table, or a graduated tier with its own fee, jumps where a tier is
  reached; there the cheapest bid changes at the jump itself).
"""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import evaluate, parse_bid, parse_panel, parse_tender
from scoring.criteria import aggregate, rounded_aggregate
from scoring.money import round2
from scoring.pricing import monthly_cost
from scoring.sensitivity import HIGH, LOW, break_even, curve
from tests.unit.helpers import SCENARIO

SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("PROPERTY_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

money = st.decimals(min_value=0, max_value=20000, places=2)
rate = st.decimals(min_value=0, max_value=10, places=2)
share = st.decimals(min_value=0, max_value=Decimal("0.2"), places=3)


@st.composite
def tier_tables(draw, mode, continuous=False):
    count = draw(st.integers(min_value=1, max_value=4))
    bounds = sorted(draw(st.sets(st.integers(min_value=1, max_value=3000), min_size=count - 1, max_size=count - 1)))
    tiers, previous_charge_at_bound = [], None
    for index in range(count):
        fee, unit_rate = draw(money), draw(rate)
        if continuous and index > 0:
            fee = Decimal(0)  # a later tier's fee is a jump where the tier is reached
        if mode == "bracket" and index > 0:
            # keep the charge from dropping at the boundary: fee + rate × bound ≥ previous tier's there
            bound = Decimal(bounds[index - 1])
            floor = previous_charge_at_bound - unit_rate * bound
            fee = max(fee, floor)
        up_to = bounds[index] if index < count - 1 else None
        if mode == "bracket" and up_to is not None:
            previous_charge_at_bound = fee + unit_rate * Decimal(up_to)
        tiers.append({"up_to": up_to, "fee": str(fee), "rate": str(unit_rate)})
    return tiers


@st.composite
def pricings(draw, continuous=False):
    models = [
        "per_inquiry",
        "fixed_per_agent",
        "base_plus_commission",
        "daily_fee_plus_commission",
        "commission_only",
        "tiered_graduated",
        "monthly_package",
        "daily_rate",
        "hourly_rate",
    ]
    if not continuous:
        models.append("tiered_bracket")
    model = draw(st.sampled_from(models))
    if model == "per_inquiry":
        minimum = draw(st.sampled_from(["minimum_per_agent_shift", "minimum_per_month"]))
        pricing = {
            "model": model,
            "new_rate": draw(rate),
            "returning_rate": draw(rate),
            minimum: draw(money) * (12 if minimum == "minimum_per_month" else 1),
        }
    elif model == "fixed_per_agent":
        pricing = {"model": model, "monthly_per_agent": draw(money)}
    elif model == "base_plus_commission":
        pricing = {"model": model, "base_per_agent": draw(money), "commission_rate": draw(share)}
    elif model == "daily_fee_plus_commission":
        pricing = {"model": model, "daily_fee_per_agent": draw(rate) * 30, "commission_rate": draw(share)}
    elif model == "commission_only":
        pricing = {"model": model, "commission_rate": draw(share)}
    elif model.startswith("tiered"):
        mode = model.split("_")[1]
        pricing = {
            "model": "tiered",
            "mode": mode,
            "basis": draw(st.sampled_from(["daily", "monthly"])),
            "tiers": draw(tier_tables(mode, continuous)),
        }
    elif model == "monthly_package":
        pricing = {
            "model": model,
            "monthly_fee": draw(money),
            "included_inquiries": draw(st.none() | st.integers(min_value=0, max_value=50000)),
            "overage_rate": draw(rate),
        }
    elif model == "daily_rate":
        pricing = {"model": model, "rate_per_agent_day": draw(rate) * 20}
    else:
        pricing = {"model": model, "rate_per_agent_hour": draw(rate) * 5}
    if draw(st.booleans()):
        pricing["one_time_fees"] = [{"label": "培训费", "amount": str(draw(money))}]
    if draw(st.booleans()):
        pricing["peak_rate_per_agent_day"] = str(draw(rate) * 20)
    pricing["discount_rate"] = str(draw(st.decimals(min_value=0, max_value=Decimal("0.3"), places=2)))
    pricing["tax_included"] = draw(st.booleans())
    return pricing


CRITERIA = [
    {"id": "price", "name": "价格", "kind": "price", "weight": 40},
    {
        "id": "exp",
        "name": "经验",
        "kind": "objective",
        "weight": 20,
        "rule": "linear",
        "fact": "similar_projects",
        "points_per_unit": 3,
    },
    {"id": "plan", "name": "方案", "kind": "subjective", "weight": 40, "aggregate": "trimmed_mean"},
]
TENDER = parse_tender({"scenario": SCENARIO, "criteria": CRITERIA, "min_valid_bids": 1, "sme_price_deduction": "0.1"})


def bid(vendor, pricing, facts=None):
    return parse_bid({"facts": {"company_name": vendor, **(facts or {})}, "pricing": pricing}, TENDER, vendor)


@SETTINGS
@given(
    pricings(), st.decimals(min_value=0, max_value=5000, places=2), st.decimals(min_value=0, max_value=5000, places=2)
)
def test_no_model_costs_less_when_inquiries_rise(pricing, a, b):
    low, high = sorted((a, b))
    quote = bid("V", pricing).pricing
    assert (
        monthly_cost(quote, TENDER.scenario.at_volume(low)).total
        <= monthly_cost(quote, TENDER.scenario.at_volume(high)).total
    )


bidders = st.lists(
    st.tuples(
        pricings(),
        st.integers(min_value=0, max_value=10),
        st.booleans(),
        st.lists(st.decimals(min_value=0, max_value=40, places=1), min_size=3, max_size=6),
    ),
    min_size=1,
    max_size=6,
)


def build(entries):
    bids = [
        bid(f"V{i}", pricing, {"similar_projects": projects, "sme": sme})
        for i, (pricing, projects, sme, _) in enumerate(entries)
    ]
    evaluators = max(len(scores) for *_, scores in entries)
    panel = {
        "scores": {
            f"E{e}": {f"V{i}": {"plan": str(scores[e % len(scores)])} for i, (*_, scores) in enumerate(entries)}
            for e in range(evaluators)
        },
        "abnormal_low": {f"V{i}": "accept" for i in range(len(entries))},
    }
    return bids, parse_panel(panel, TENDER, bids)


@SETTINGS
@given(bidders)
def test_cheapest_valid_bid_scores_the_full_price_weight_and_totals_stay_within_100(entries):
    bids, panel = build(entries)
    result = evaluate(TENDER, bids, panel)
    valid = [b for b in result.bids if b.valid]
    cheapest = min(b.price_basis for b in valid)
    for b in valid:
        assert b.total <= 100
        if b.price_basis == cheapest:
            assert b.scores["price"] == Decimal("40.00")


@SETTINGS
@given(bidders, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_bid_order(entries, random):
    bids, panel = build(entries)
    shuffled = list(bids)
    random.shuffle(shuffled)
    assert evaluate(TENDER, bids, panel).to_json() == evaluate(TENDER, shuffled, panel).to_json()


@SETTINGS
@given(st.lists(pricings(continuous=True), min_size=2, max_size=5))
def test_break_even_points_are_where_two_cost_curves_meet(quotes):
    scenario = TENDER.scenario
    priced = [(f"V{i}", bid(f"V{i}", q).pricing) for i, q in enumerate(quotes)]
    centre = scenario.daily_inquiries
    curves = [curve(vendor, pricing, scenario, centre * LOW, centre * HIGH) for vendor, pricing in priced]
    by_vendor = dict(priced)
    for point in break_even(curves, centre * LOW, centre * HIGH):
        at = scenario.at_volume(point.daily_inquiries)
        below = monthly_cost(by_vendor[point.below], at).total
        above = monthly_cost(by_vendor[point.above], at).total
        assert abs(below - above) <= Decimal("1e-12") * max(below, above, Decimal(1))


scores = st.lists(
    st.one_of(
        st.decimals(min_value=0, max_value=100, places=1),
        st.decimals(min_value=0, max_value=100, places=3),
        st.decimals(min_value=0, max_value=100, places=8),  # beyond millionths: Decimal all the way
    ),
    max_size=12,
)


@SETTINGS
@given(scores, st.sampled_from(["mean", "trimmed_mean"]))
def test_rounded_aggregate_is_the_rounded_mean(given_scores, method):
    expected = round2(aggregate(method, list(given_scores)))
    found = rounded_aggregate(method, dict(enumerate(given_scores)).values())
    assert found.as_tuple() == expected.as_tuple()
