"""Final offers (最后报价, domain §12): the offer scored, judged and compared with the first.

The scenario (tests.unit.helpers.SCENARIO without peak days unless said): 12 agent-shifts,
30 days, 24000 inquiries a month. ``fixed(t)`` quotes t ÷ 12 per agent-shift: monthly cost t.
Criteria: price 30 points (lowest price), experience 70 (10 points per similar project).
"""

from decimal import Decimal

import pytest

from scoring import InvalidInput, evaluate, parse_bid, parse_panel, parse_tender
from tests.unit.helpers import SCENARIO

D = Decimal
NO_PEAK = {**SCENARIO, "peak_days_per_year": 0}
PRICE_AND_EXPERIENCE = [
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


def fixed(monthly_total):
    return {"model": "fixed_per_agent", "monthly_per_agent": str(D(monthly_total) / 12)}


def tender_of(scenario=None, **extra):
    return parse_tender(
        {
            "scenario": dict(scenario or NO_PEAK),
            "criteria": PRICE_AND_EXPERIENCE,
            "min_valid_bids": 1,
            "final_offer": True,
            **extra,
        }
    )


def bid(tender, vendor, first, final=None, projects=5):
    data = {"facts": {"company_name": vendor, "similar_projects": projects}, "pricing": first}
    if final is not None:
        data["final_pricing"] = final
    return parse_bid(data, tender, source=f"{vendor}.json")


def run(tender, *bids):
    return evaluate(tender, list(bids), parse_panel(None, tender, list(bids)))


def by_vendor(result):
    return {b["vendor"]: b for b in result.to_json()["bids"]}


def test_a_lower_final_offer_is_scored_and_changes_the_ranking():
    tender = tender_of()
    # First offers: A 40000, B 36000 → B is the benchmark: A 30 × 36000/40000 = 27.00 + 50 = 77.00,
    # B 30 + 50 = 80.00 → B first.
    before = run(tender, bid(tender, "A", fixed(40000)), bid(tender, "B", fixed(36000)))
    assert [(b.vendor, b.rank, b.total) for b in before.ranked] == [("B", 1, D("80.00")), ("A", 2, D("77.00"))]
    # A's final offer 33000 is the new benchmark: A 30 + 50 = 80.00; B 30 × 33000/36000 = 27.50 + 50 = 77.50.
    after = run(tender, bid(tender, "A", fixed(40000), fixed(33000)), bid(tender, "B", fixed(36000)))
    assert [(b.vendor, b.rank, b.total) for b in after.ranked] == [("A", 1, D("80.00")), ("B", 2, D("77.50"))]
    assert after.benchmark == D("33000.00")
    bids = by_vendor(after)
    assert bids["A"]["monthly_cost"] == "33000.00" and bids["A"]["first_monthly_cost"] == "40000.00"
    assert bids["A"]["final_offer"] is True
    # The breakdown is the final offer's: 2750 × 12 agent-shifts; the first one's is kept beside it.
    assert bids["A"]["breakdown"][0]["amount"] == "33000.00"
    assert bids["A"]["first_breakdown"][0]["amount"] == "40000.00"


def test_every_bid_shows_a_first_monthly_cost_once_any_bid_made_a_final_offer():
    tender = tender_of(price_ceiling=50000)
    result = run(
        tender,
        bid(tender, "A", fixed(40000), fixed(39000)),
        bid(tender, "B", fixed(36000)),
        bid(tender, "C", fixed(60000)),
    )
    bids = by_vendor(result)
    # B made none: its first cost is its cost. C is over the ceiling (60000 > 50000), still listed.
    assert {v: (b["monthly_cost"], b["first_monthly_cost"], b["final_offer"]) for v, b in bids.items()} == {
        "A": ("39000.00", "40000.00", True),
        "B": ("36000.00", "36000.00", False),
        "C": ("60000.00", "60000.00", False),
    }
    assert "first_breakdown" not in bids["B"]


def test_without_any_final_offer_the_result_has_no_first_monthly_cost():
    tender = tender_of()
    result = run(tender, bid(tender, "A", fixed(40000)), bid(tender, "B", fixed(36000)))
    assert all("first_monthly_cost" not in b and "final_offer" not in b for b in result.to_json()["bids"])


def test_a_dearer_final_offer_is_invalid_input_naming_the_file_and_both_costs():
    tender = tender_of()
    dearer = bid(tender, "A", fixed(40000), fixed(41000))
    with pytest.raises(InvalidInput) as error:
        run(tender, dearer, bid(tender, "B", fixed(36000)))
    [problem] = error.value.problems
    assert problem.path == "A.json"
    assert problem.en == (
        "the final offer's monthly cost 41000.00 is higher than the first offer's 40000.00: "
        "a final offer may not cost more than the first"
    )
    assert "41000.00" in problem.zh and "40000.00" in problem.zh


def test_an_equal_final_offer_is_accepted_and_compared_on_the_rounded_cost():
    tender = tender_of()
    # First: 3000.0004 × 12 = 36000.0048 → P 36000.00. Final: a day rate of 100 × 12 × 30 = 36000.00:
    # the same P, another model → accepted, and scored on the day rate.
    first = {"model": "fixed_per_agent", "monthly_per_agent": "3000.0004"}
    result = run(tender, bid(tender, "A", first, {"model": "daily_rate", "rate_per_agent_day": 100}))
    [a] = result.to_json()["bids"]
    assert (a["monthly_cost"], a["first_monthly_cost"], a["model"], a["first_model"]) == (
        "36000.00",
        "36000.00",
        "daily_rate",
        "fixed_per_agent",
    )
    # 100.0004 × 360 = 36000.144 → P 36000.14 > 36000.00: refused.
    with pytest.raises(InvalidInput, match="36000.14 is higher than the first offer's 36000.00"):
        run(tender, bid(tender, "A", first, {"model": "daily_rate", "rate_per_agent_day": "100.0004"}))


def test_every_dearer_final_offer_is_reported_at_once():
    tender = tender_of()
    with pytest.raises(InvalidInput) as error:
        run(tender, bid(tender, "A", fixed(40000), fixed(40001)), bid(tender, "B", fixed(30000), fixed(30000.01)))
    assert [p.path for p in error.value.problems] == ["A.json", "B.json"]


def test_the_abnormally_low_check_is_made_on_the_final_offers():
    tender = tender_of()
    # First offers 40000 each: nobody is below 0.8 × 40000 = 32000.
    firsts = [bid(tender, v, fixed(40000)) for v in "ABC"]
    assert all("abnormal_low" not in b.flags for b in run(tender, *firsts).bids)
    # C's final 30000 < 0.8 × mean(40000, 40000) = 32000 → flagged and pending a decision.
    result = run(tender, firsts[0], firsts[1], bid(tender, "C", fixed(40000), fixed(30000)))
    c = result.bid("C")
    assert "abnormal_low" in c.flags and c.decision == "pending" and result.status == "pending"
    # A's final 35000 with C at 30000: the mean of the others for C is (35000 + 40000) / 2 = 37500,
    # × 0.8 = 30000: 30000 is not strictly below → not flagged.
    result = run(
        tender, bid(tender, "A", fixed(40000), fixed(35000)), firsts[1], bid(tender, "C", fixed(40000), fixed(30000))
    )
    assert "abnormal_low" not in result.bid("C").flags and result.status == "ok"


def test_the_price_ceiling_is_judged_on_the_final_offer():
    tender = tender_of(price_ceiling=38000)
    # A's first 40000 exceeds the ceiling 38000, its final 37000 does not: valid, scored on 37000.
    result = run(tender, bid(tender, "A", fixed(40000), fixed(37000)), bid(tender, "B", fixed(39000)))
    assert result.bid("A").valid and result.bid("A").monthly_cost == D("37000.00")
    assert not result.bid("B").valid
    assert result.bid("B").review.records == [
        "月度成本 39000.00 元超过最高限价 38000.00 元 / monthly cost 39000.00 exceeds the price ceiling 38000.00"
    ]


def test_peak_staffing_is_judged_on_the_final_offer():
    tender = tender_of(SCENARIO)
    # 10 peak days, 4 extra agents: a first offer without a peak rate is flagged; the final one
    # prices it: 36000 + 150 × 4 × 10 / 12 = 36500.00.
    unpriced = fixed(37000)
    priced = {**fixed(36000), "peak_rate_per_agent_day": 150}
    result = run(tender, bid(tender, "A", unpriced, priced))
    a = result.bid("A")
    assert "peak_not_priced" not in a.flags and a.monthly_cost == D("36500.00")


def test_a_negative_discount_in_the_final_offer_makes_the_bid_invalid():
    tender = tender_of()
    # 38000 × (1 + 0.05) = 39900 ≤ 40000, so it is no dearer, but a surcharge is never a valid discount.
    result = run(tender, bid(tender, "A", fixed(40000), {**fixed(38000), "discount_rate": "-0.05"}))
    assert not result.bid("A").valid and "negative" in result.bid("A").review.reasons[0].en


def test_sensitivity_follows_the_final_offer():
    tender = tender_of()
    result = run(tender, bid(tender, "A", fixed(40000), fixed(33000)), bid(tender, "B", fixed(36000)))
    # fixed fees do not move with the volume: A's curve is flat at its final 33000.
    assert set(result.sensitivity["costs"]["A"]) == {"33000.00"}


def test_volume_weighted_costs_compare_first_and_final_offers_as_evaluated():
    scenario = {
        **NO_PEAK,
        "volume_scenarios": [
            {"name": "淡季", "daily_inquiries": 400, "weight": "0.5"},
            {"name": "旺季", "daily_inquiries": 1200, "weight": "0.5"},
        ],
    }
    tender = tender_of(scenario)
    # First: 1.5 per inquiry: 0.5 × 12000 × 1.5 + 0.5 × 36000 × 1.5 = 9000 + 27000 = 36000.00.
    # Final: 36000 fixed — equal → accepted; 36000.01 fixed → refused.
    per_inquiry = {"model": "per_inquiry", "new_rate": "1.5"}
    result = run(tender, bid(tender, "A", per_inquiry, fixed(36000)))
    assert result.to_json()["bids"][0]["first_monthly_cost"] == "36000.00"
    with pytest.raises(InvalidInput, match="36000.01 is higher than the first offer's 36000.00"):
        run(tender, bid(tender, "A", per_inquiry, fixed("36000.01")))


def test_a_final_offer_is_read_like_the_first_and_its_mistakes_are_named():
    tender = tender_of()
    with pytest.raises(InvalidInput) as error:
        bid(tender, "A", fixed(40000), {"model": "per_seat"})
    [problem] = error.value.problems
    assert problem.path == "A.json: final_pricing.model" and "unknown pricing model 'per_seat'" in problem.en


def test_the_tender_accepts_final_offer_as_a_yes_no():
    assert tender_of().final_offer is True
    with pytest.raises(InvalidInput, match="final_offer: .*must be true or false"):
        tender_of(final_offer="maybe")
