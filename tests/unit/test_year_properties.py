"""Properties of the contract year (§10), for any quote (hypothesis).

- A flat profile — twelve months equal to the scenario — costs what the scenario costs:
  the same monthly cost P, the same flags, and the same break-even volumes. The peak days
  compare as they are priced: a month's peak days p against p × 12 peak days a year
  (the scenario's peak share is peak_days_per_year ÷ 12 a month).
- Priced month by month, a year never costs less than its flat average month for a quote
  whose cost is convex in the volume (a minimum, a package): the cost of the average
  month is not the average monthly cost.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from scoring import evaluate, parse_bid, parse_tender
from scoring.pricing import monthly_cost
from tests.unit.helpers import SCENARIO
from tests.unit.test_properties import SETTINGS, pricings

CRITERIA = [{"id": "price", "name": "价格", "kind": "price", "weight": 100}]


def tenders(daily: Decimal, agents: int, peak_days: int):
    plain = {
        **SCENARIO,
        "daily_inquiries": str(daily),
        "agents_per_shift": agents,
        "peak_days_per_year": peak_days * 12,
    }
    profiled = {k: v for k, v in plain.items() if k != "peak_days_per_year"}
    profiled["monthly_profile"] = [{"daily_inquiries": str(daily), "peak_days": peak_days}] * 12
    return [
        parse_tender({"scenario": s, "criteria": CRITERIA, "min_valid_bids": 1, "abnormal_low_ratio": 0})
        for s in (plain, profiled)
    ]


@SETTINGS
@given(
    st.lists(pricings(), min_size=1, max_size=4),
    st.decimals(min_value=0, max_value=3000, places=1),
    st.integers(min_value=0, max_value=12),
    st.sampled_from([0, 0, 1, 3]),
)
def test_a_flat_profile_costs_what_the_scenario_costs(quotes, daily, agents, peak_days):
    plain, profiled = tenders(daily, agents, peak_days)
    results = []
    for tender in (plain, profiled):
        bids = [
            parse_bid({"facts": {"company_name": f"V{i}"}, "pricing": q}, tender, f"V{i}") for i, q in enumerate(quotes)
        ]
        results.append(evaluate(tender, bids).to_json())
    flat, year = results
    assert [(b["vendor"], b["monthly_cost"], b["flags"]) for b in year["bids"]] == [
        (b["vendor"], b["monthly_cost"], b["flags"]) for b in flat["bids"]
    ]
    for bid in year["bids"]:
        # twelve equal months: each costs P, and the contract 12 P (before rounding)
        assert {m["cost"] for m in bid["monthly_costs"]} == {bid["monthly_cost"]}
    assert [(p["daily_inquiries"], p["below"], p["above"]) for p in year["sensitivity"]["break_even"]] == [
        (p["daily_inquiries"], p["below"], p["above"]) for p in flat["sensitivity"]["break_even"]
    ]


convex = st.one_of(
    st.fixed_dictionaries(
        {
            "model": st.just("per_inquiry"),
            "new_rate": st.decimals(0, 5, places=2),
            "minimum_per_agent_shift": st.decimals(0, 20000, places=0),
        }
    ),
    st.fixed_dictionaries(
        {
            "model": st.just("monthly_package"),
            "monthly_fee": st.decimals(0, 200000, places=0),
            "included_inquiries": st.integers(0, 200000),
            "overage_rate": st.decimals(0, 5, places=2),
        }
    ),
)


@SETTINGS
@given(convex, st.lists(st.integers(min_value=0, max_value=10000), min_size=12, max_size=12))
def test_a_year_of_uneven_months_never_costs_less_than_its_flat_average_month(quote, volumes):
    profiled = parse_tender(
        {
            "scenario": {
                **{k: v for k, v in SCENARIO.items() if k != "peak_days_per_year"},
                "monthly_profile": [{"daily_inquiries": v} for v in volumes],
            },
            "criteria": CRITERIA,
        }
    )
    bid = parse_bid({"facts": {"company_name": "V"}, "pricing": quote}, profiled)
    year = sum((monthly_cost(bid.pricing, s).total for _entry, s in profiled.scenario.months), Decimal(0)) / 12
    flat = monthly_cost(bid.pricing, profiled.scenario.flat_average()).total
    assert year >= flat - Decimal("1e-18")
