"""Volume sensitivity (§6.11): cost curves and exact break-even volumes."""

from decimal import Decimal

from scoring import evaluate, parse_tender
from scoring.pricing import monthly_cost
from tests.unit.helpers import SCENARIO, make_bid

D = Decimal
NO_PEAK = {**SCENARIO, "peak_days_per_year": 0, "returning_share": 0}
PRICE_ONLY = [{"id": "price", "name": "价格", "kind": "price", "weight": 100}]


def result_for(priced: dict, scenario=None):
    tender = parse_tender(
        {"scenario": scenario or NO_PEAK, "criteria": PRICE_ONLY, "min_valid_bids": 1, "abnormal_low_ratio": 0}
    )
    bids = [make_bid(tender, vendor, pricing) for vendor, pricing in priced.items()]
    return tender, bids, evaluate(tender, bids).to_json()["sensitivity"]


def test_grid_runs_from_a_quarter_to_three_times_the_scenario_volume():
    _, _, curves = result_for({"Fixed": {"model": "fixed_per_agent", "monthly_per_agent": 5000}})
    assert curves["daily_inquiries"][0] == "200.00" and curves["daily_inquiries"][-1] == "2400.00"
    assert curves["daily_inquiries"][3] == "800.00"
    assert set(curves["costs"]["Fixed"]) == {"60000.00"}


def test_per_inquiry_against_fixed_fee_breaks_even_where_costs_meet():
    # 2.50 × 30 × d = 60000  →  d = 800: per inquiry is cheaper below, the fixed fee above
    _, _, curves = result_for(
        {
            "PerInquiry": {"model": "per_inquiry", "new_rate": "2.5"},
            "Fixed": {"model": "fixed_per_agent", "monthly_per_agent": 5000},
        }
    )
    assert curves["break_even"] == [
        {"daily_inquiries": "800.00", "below": "PerInquiry", "above": "Fixed", "monthly_cost": "60000.00"}
    ]
    assert curves["costs"]["PerInquiry"][:4] == ["15000.00", "30000.00", "45000.00", "60000.00"]


def test_break_even_falls_between_grid_points_and_is_exact():
    # 2.10 × 30 × d = 45000 + 0.02 × 600000 = 57000  →  d = 57000 / 63 = 904.7619… → 904.76
    _, _, curves = result_for(
        {
            "PerInquiry": {"model": "per_inquiry", "new_rate": "2.1"},
            "Base": {"model": "base_plus_commission", "base_per_agent": 3750, "commission_rate": "0.02"},
        }
    )
    assert [(p["daily_inquiries"], p["below"], p["above"]) for p in curves["break_even"]] == [
        ("904.76", "PerInquiry", "Base")
    ]


def test_break_even_on_the_flat_part_of_a_minimum_guarantee():
    # PerInquiry: max(30 d × 1.00, minimum 2000 × 12 = 24000) — flat 24000 up to 800 a day.
    # Package: 990 + max(0, 30 d − 20000) × 9.20 = 276 d − 183010 beyond 666.67 a day.
    # They meet on the flat part: 276 d − 183010 = 24000  →  d = 207010 / 276 = 750.036… → 750.04
    tender, bids, curves = result_for(
        {
            "Package": {
                "model": "monthly_package",
                "monthly_fee": 990,
                "included_inquiries": 20000,
                "overage_rate": "9.2",
            },
            "PerInquiry": {"model": "per_inquiry", "new_rate": 1, "minimum_per_agent_shift": 2000},
        }
    )
    assert [(p["daily_inquiries"], p["below"], p["above"], p["monthly_cost"]) for p in curves["break_even"]] == [
        ("750.04", "Package", "PerInquiry", "24000.00")
    ]
    point = D(207010) / D(276)
    costs = {b.vendor: monthly_cost(b.pricing, tender.scenario.at_volume(point)).total for b in bids}
    assert abs(costs["Package"] - costs["PerInquiry"]) < D("1e-20")


def test_two_break_evens_when_a_package_is_cheapest_only_in_the_middle():
    # Fixed 30000 flat; Package 990 + max(0, 30 d − 20000) × 2 = 60 d − 39010 beyond 666.67/day;
    # PerInquiry 1.20 × 30 d = 36 d. PerInquiry is cheapest at low volume; it meets the flat
    # package (990) never (36 × 200 = 7200 > 990)… so make the package fee 9000:
    # Package = 9000 (d ≤ 666.67), 60 d − 31000 beyond. 36 d = 9000 → d = 250.00 (PerInquiry → Package);
    # 60 d − 31000 = 30000 → d = 1016.67 (Package → Fixed).
    _, _, curves = result_for(
        {
            "Package": {
                "model": "monthly_package",
                "monthly_fee": 9000,
                "included_inquiries": 20000,
                "overage_rate": 2,
            },
            "PerInquiry": {"model": "per_inquiry", "new_rate": "1.2"},
            "Fixed": {"model": "fixed_per_agent", "monthly_per_agent": 2500},
        }
    )
    assert [(p["daily_inquiries"], p["below"], p["above"]) for p in curves["break_even"]] == [
        ("250.00", "PerInquiry", "Package"),
        ("1016.67", "Package", "Fixed"),
    ]


def test_a_bracket_jump_is_a_break_even_at_the_tier_boundary():
    # bracket: 0.8/inquiry up to 1000 a day, then a flat 30000 a day-tier… cost jumps at 1000:
    # 0.8 × 30 × 1000 = 24000 (cheaper than fixed 25000) and just above 1000: 0.9 × 30 d = 27000+ (dearer)
    _, _, curves = result_for(
        {
            "Tiered": {"model": "tiered", "tiers": [{"up_to": 1000, "rate": "0.8"}, {"up_to": None, "rate": "0.9"}]},
            "Fixed": {"model": "fixed_per_agent", "monthly_per_agent": "2083.3333"},
        }
    )
    points = [(p["daily_inquiries"], p["below"], p["above"]) for p in curves["break_even"]]
    assert points == [("1000.00", "Tiered", "Fixed")]


def test_no_break_even_with_one_bid_or_no_volume():
    _, _, curves = result_for({"Fixed": {"model": "fixed_per_agent", "monthly_per_agent": 5000}})
    assert curves["break_even"] == []
    _, _, empty = result_for(
        {"Fixed": {"model": "fixed_per_agent", "monthly_per_agent": 5000}}, scenario={**NO_PEAK, "daily_inquiries": 0}
    )
    assert empty["daily_inquiries"] == [] and empty["costs"] == {}


def test_curves_carry_their_exact_vertices_where_they_bend_or_jump():
    # minimum 3000 × 12 = 36000 reached at 36000 / (30 × (0.65 × 2.5 + 0.35 × 1.5)) = 558.14 a day
    scenario = {**NO_PEAK, "returning_share": "0.35"}
    _, _, curves = result_for(
        {
            "PerInquiry": {
                "model": "per_inquiry",
                "new_rate": "2.5",
                "returning_rate": "1.5",
                "minimum_per_agent_shift": 3000,
            },
            "Tiered": {"model": "tiered", "tiers": [{"up_to": 1000, "rate": "0.8"}, {"up_to": None, "rate": "0.9"}]},
        },
        scenario=scenario,
    )
    assert curves["curves"]["PerInquiry"] == [["200.00", "36000.00"], ["558.14", "36000.00"], ["2400.00", "154800.00"]]
    # the bracket jump at 1000 a day: 0.8 × 1000 × 30 = 24000 just before, 0.9 × 1000 × 30 = 27000 just after
    assert curves["curves"]["Tiered"] == [
        ["200.00", "4800.00"],
        ["1000.00", "24000.00"],
        ["1000.00", "27000.00"],
        ["2400.00", "64800.00"],
    ]


def test_equally_cheapest_identical_quotes_count_the_vendor_name_sorting_first():
    # Beta and Alpha quote the same 2.50 per inquiry (75 d a month); Gamma a fixed 60000.
    # 75 d = 60000 → d = 800: below it Alpha and Beta are equally cheapest, and Alpha sorts first.
    _, _, curves = result_for(
        {
            "Beta": {"model": "per_inquiry", "new_rate": "2.5"},
            "Gamma": {"model": "fixed_per_agent", "monthly_per_agent": 5000},
            "Alpha": {"model": "per_inquiry", "new_rate": "2.5"},
        }
    )
    assert curves["break_even"] == [
        {"daily_inquiries": "800.00", "below": "Alpha", "above": "Gamma", "monthly_cost": "60000.00"}
    ]


def test_curves_that_coincide_over_a_range_count_the_name_sorting_first_throughout():
    # Alpha: bracket, 1.10 per inquiry → 33 d a month, everywhere.
    # Beta: 1.10 per inquiry with a minimum 2333.33 × 12 = 27999.96 → flat up to
    #   d = 27999.96 / 33 = 848.48…, then 33 d: the same line as Alpha's from there on
    #   (its slope computed from another formula differs from Alpha's only by noise).
    # Gamma: fixed 2500 × 12 = 30000 → 33 d = 30000 at d = 909.0909… → 909.09.
    # Alpha is cheapest (alone, then equally with Beta, counting first by name) up to
    # 909.09: one break-even, Alpha → Gamma, and none where Beta joins Alpha's line.
    _, _, curves = result_for(
        {
            "Beta": {"model": "per_inquiry", "new_rate": "1.1", "minimum_per_agent_shift": "2333.33"},
            "Alpha": {
                "model": "tiered",
                "basis": "monthly",
                "mode": "bracket",
                "tiers": [{"up_to": None, "rate": "1.1"}],
            },
            "Gamma": {"model": "fixed_per_agent", "monthly_per_agent": 2500},
        },
        scenario={**NO_PEAK, "returning_share": "0.35"},
    )
    assert [(p["daily_inquiries"], p["below"], p["above"]) for p in curves["break_even"]] == [
        ("909.09", "Alpha", "Gamma")
    ]


def test_a_bid_cheaper_below_then_equal_to_one_named_first_hands_over_where_they_meet():
    # Beta: graduated, 1.00 per inquiry for the first 800 a day, nothing beyond → 30 d up to 800,
    #   then 24000 flat. Alpha: fixed 2000 × 12 = 24000 flat.
    # Below 800 Beta is cheaper; from 800 on both cost 24000 and Alpha (sorts first) counts.
    _, _, curves = result_for(
        {
            "Beta": {
                "model": "tiered",
                "basis": "daily",
                "mode": "graduated",
                "tiers": [{"up_to": 800, "rate": 1}, {"up_to": None, "rate": 0}],
            },
            "Alpha": {"model": "fixed_per_agent", "monthly_per_agent": 2000},
        }
    )
    assert curves["break_even"] == [
        {"daily_inquiries": "800.00", "below": "Beta", "above": "Alpha", "monthly_cost": "24000.00"}
    ]
    # Named the other way round, the bid counting first by name is cheapest or equal
    # everywhere: the cheapest never changes.
    _, _, curves = result_for(
        {
            "Alpha": {
                "model": "tiered",
                "basis": "daily",
                "mode": "graduated",
                "tiers": [{"up_to": 800, "rate": 1}, {"up_to": None, "rate": 0}],
            },
            "Beta": {"model": "fixed_per_agent", "monthly_per_agent": 2000},
        }
    )
    assert curves["break_even"] == []
