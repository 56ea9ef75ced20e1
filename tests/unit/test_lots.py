"""Lots (标包, domain §13): each lot evaluated alone, awards lot by lot with a limit per vendor.

Every lot's scenario here is the helpers' scenario without peak days: 12 agent-shifts,
30 days, 24000 inquiries a month, so ``fixed(t)`` costs t a month. Criteria: price 30
points (lowest price), experience 70 (10 points per similar project), shared by the lots.
"""

import copy
from decimal import Decimal

import pytest

from scoring import InvalidInput, evaluate, evaluate_lots, parse_bid, parse_panel, parse_tender, validate_tender
from tests.unit.helpers import SCENARIO

D = Decimal
NO_PEAK = {**SCENARIO, "peak_days_per_year": 0}
CRITERIA = [
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
PLAN = {"id": "plan", "name": "服务方案", "kind": "subjective", "weight": 30}


def fixed(monthly_total):
    return {"model": "fixed_per_agent", "monthly_per_agent": str(D(monthly_total) / 12)}


def lot(lot_id, name=None, **extra):
    return {"id": lot_id, "name": name or f"标包{lot_id}", "scenario": copy.deepcopy(NO_PEAK), **extra}


def tender_dict(*lots, **extra):
    return {"criteria": copy.deepcopy(CRITERIA), "min_valid_bids": 1, "lots": list(lots), **extra}


def bid(tender, vendor, lots, projects=5, final_lots=None):
    data = {"facts": {"company_name": vendor, "similar_projects": projects}, "lots": lots}
    if final_lots:
        data["final_lots"] = final_lots
    return parse_bid(data, tender, source=f"{vendor}.json")


def run(tender, bids, panel=None):
    return evaluate_lots(tender, bids, parse_panel(panel, tender, bids))


def awards(result):
    return [(a["lot"], a["vendor"], a["rank"], a["share"]) for a in result.to_json()["awards"]]


def reasons(result, lot_id):
    return [reason.en for reason in result.lot(lot_id).result.status_reasons]


def three_vendors(tender, lots=("L1", "L2")):
    # A: 7 projects (70 points), 40000 → 30 × 30000/40000 = 22.50, total 92.50
    # B: 6 projects (60 points), 30000 → 30.00, total 90.00
    # C: 5 projects (50 points), 30000 → 30.00, total 80.00
    return [
        bid(tender, "A", {k: fixed(40000) for k in lots}, projects=7),
        bid(tender, "B", {k: fixed(30000) for k in lots}, projects=6),
        bid(tender, "C", {k: fixed(30000) for k in lots}, projects=5),
    ]


def test_a_vendor_first_in_two_lots_wins_only_the_first_when_one_lot_is_the_limit():
    tender = parse_tender(tender_dict(lot("L1"), lot("L2"), max_lots_awarded_per_vendor=1))
    result = run(tender, three_vendors(tender))
    # Both lots rank A (92.50), B (90.00), C (80.00); A takes L1, is skipped in L2, B takes L2.
    for lot_id in ("L1", "L2"):
        assert [(b.vendor, b.rank, b.total) for b in result.lot(lot_id).result.ranked] == [
            ("A", 1, D("92.50")),
            ("B", 2, D("90.00")),
            ("C", 3, D("80.00")),
        ]
    assert awards(result) == [("L1", "A", 1, "1.00"), ("L2", "B", 2, "1.00")]
    assert result.lot("L2").result.awards == [{"vendor": "B", "rank": 2, "share": "1.00"}]
    assert reasons(result, "L2") == [
        "'A' (rank 1) already holds 1 awarded lot(s), the most one vendor may win (1): skipped in this lot"
    ]
    assert reasons(result, "L1") == [] and result.status == "ok"


def test_without_a_limit_one_vendor_may_win_every_lot():
    tender = parse_tender(tender_dict(lot("L1"), lot("L2")))
    assert awards(run(tender, three_vendors(tender))) == [("L1", "A", 1, "1.00"), ("L2", "A", 1, "1.00")]


def test_a_lot_with_no_eligible_vendor_is_unawarded_with_its_reason():
    tender = parse_tender(tender_dict(lot("L1"), lot("L2"), max_lots_awarded_per_vendor=1))
    # Only A bids for L2; A already won L1.
    bids = three_vendors(tender, lots=("L1",))
    bids[0] = bid(tender, "A", {"L1": fixed(40000), "L2": fixed(40000)}, projects=7)
    result = run(tender, bids)
    assert awards(result) == [("L1", "A", 1, "1.00")]
    l2 = result.lot("L2").result
    assert l2.status == "ok" and l2.awards == [] and l2.winners == ["A"]
    assert reasons(result, "L2") == [
        "'A' (rank 1) already holds 1 awarded lot(s), the most one vendor may win (1): skipped in this lot",
        "place 1 (share 1.00) is left unfilled: no further vendor in the ranking may take it",
        "lot L2 (标包L2) is not awarded: no vendor in its ranking may take it",
    ]
    assert result.status == "ok"
    assert [r["en"] for r in result.to_json()["status_reasons"]] == ["lot L2 (标包L2) is not awarded"]


def test_a_lot_that_cannot_fill_two_winners_awards_those_it_can():
    tender = parse_tender(
        tender_dict(
            lot("L1"),
            lot("L2", award={"winners": 2, "shares": [0.6, 0.4]}),
            max_lots_awarded_per_vendor=1,
            min_valid_bids=2,
        )
    )
    # L1: A 30 × 33000/40000 = 24.75 + 70 = 94.75 first, C 30 + 50 = 80.00; L2: A 94.75, B 30 + 60 = 90.00.
    # A is skipped in L2: B takes the first place and its share 0.60; nobody is left for the second
    # place (share 0.40).
    bids = [
        bid(tender, "A", {"L1": fixed(40000), "L2": fixed(40000)}, projects=7),
        bid(tender, "B", {"L2": fixed(33000)}, projects=6),
        bid(tender, "C", {"L1": fixed(33000)}, projects=5),
    ]
    result = run(tender, bids)
    assert awards(result) == [("L1", "A", 1, "1.00"), ("L2", "B", 2, "0.60")]
    assert reasons(result, "L2") == [
        "'A' (rank 1) already holds 1 awarded lot(s), the most one vendor may win (1): skipped in this lot",
        "place 2 (share 0.40) is left unfilled: no further vendor in the ranking may take it",
    ]


def test_shares_follow_the_places_after_the_skipping():
    tender = parse_tender(
        tender_dict(
            lot("L1"),
            lot("L2", award={"winners": 2, "shares": [0.6, 0.4]}),
            max_lots_awarded_per_vendor=1,
            min_valid_bids=2,
        )
    )
    # L2's ranking A, B, C; A is skipped: B (rank 2) takes 0.60 and C (rank 3) 0.40.
    assert awards(run(tender, three_vendors(tender))) == [
        ("L1", "A", 1, "1.00"),
        ("L2", "B", 2, "0.60"),
        ("L2", "C", 3, "0.40"),
    ]


def test_a_limit_of_two_lets_a_vendor_win_two_of_three_lots():
    tender = parse_tender(tender_dict(lot("L1"), lot("L2"), lot("L3"), max_lots_awarded_per_vendor=2))
    assert awards(run(tender, three_vendors(tender, lots=("L1", "L2", "L3")))) == [
        ("L1", "A", 1, "1.00"),
        ("L2", "A", 1, "1.00"),
        ("L3", "B", 2, "1.00"),
    ]


def test_lots_are_awarded_in_the_order_listed():
    tender = parse_tender(tender_dict(lot("L2"), lot("L1"), max_lots_awarded_per_vendor=1))
    # L2 is listed first: A wins it and is skipped in L1.
    assert awards(run(tender, three_vendors(tender))) == [("L2", "A", 1, "1.00"), ("L1", "B", 2, "1.00")]


def test_vendors_sharing_rank_one_are_walked_in_the_order_the_ranking_lists_them():
    tender = parse_tender(tender_dict(lot("L1"), lot("L2"), max_lots_awarded_per_vendor=1))
    # B and C: same cost 30000, same 60 points → both rank 1, listed by name: B then C.
    bids = [
        bid(tender, "C", {"L1": fixed(30000), "L2": fixed(30000)}, projects=6),
        bid(tender, "B", {"L1": fixed(30000), "L2": fixed(30000)}, projects=6),
    ]
    result = run(tender, bids)
    assert [(b.vendor, b.rank) for b in result.lot("L1").result.ranked] == [("B", 1), ("C", 1)]
    assert awards(result) == [("L1", "B", 1, "1.00"), ("L2", "C", 1, "1.00")]


def test_each_lot_is_evaluated_on_its_own_costs_and_ceiling():
    # The top-level ceiling 45000 applies to L1; L2 gives its own 35000. L2 has twice L1's seats:
    # 12 → 24 agent-shifts, so the same quote 2500 per agent-shift costs 30000 in L1 and 60000 in L2.
    l2 = lot("L2", price_ceiling=35000)
    l2["scenario"]["agents_per_shift"] = 12
    tender = parse_tender(tender_dict(lot("L1"), l2, price_ceiling=45000))
    quote = {"model": "fixed_per_agent", "monthly_per_agent": 2500}
    # B: 36000 in L1; 1400 × 24 = 33600 in L2.
    bids = [
        bid(tender, "A", {"L1": quote, "L2": quote}),
        bid(tender, "B", {"L1": fixed(36000), "L2": {"model": "fixed_per_agent", "monthly_per_agent": 1400}}),
    ]
    result = run(tender, bids)
    l1, l2 = result.lot("L1").result, result.lot("L2").result
    assert (l1.bid("A").monthly_cost, l2.bid("A").monthly_cost) == (D("30000.00"), D("60000.00"))
    assert l1.bid("A").valid and not l2.bid("A").valid
    assert l2.bid("A").review.records == [
        "月度成本 60000.00 元超过最高限价 35000.00 元 / monthly cost 60000.00 exceeds the price ceiling 35000.00"
    ]
    # B in L1: 30 × 30000/36000 = 25.00 + 50 = 75.00; in L2 B is the only valid bid: 30 + 50 = 80.00.
    assert (l1.bid("B").total, l2.bid("B").total) == (D("75.00"), D("80.00"))
    assert l2.bid("B").monthly_cost == D("33600.00")


def test_a_lot_is_evaluated_exactly_as_an_undivided_tender_with_its_bids():
    data = tender_dict(lot("L1"), lot("L2"))
    tender = parse_tender(data)
    lots_result = run(tender, three_vendors(tender))
    single = parse_tender(
        {"scenario": copy.deepcopy(NO_PEAK), "criteria": copy.deepcopy(CRITERIA), "min_valid_bids": 1}
    )
    plain_bids = [
        parse_bid(
            {"facts": {"company_name": v, "similar_projects": n}, "pricing": fixed(t)}, single, source=f"{v}.json"
        )
        for v, n, t in (("A", 7, 40000), ("B", 6, 30000), ("C", 5, 30000))
    ]
    expected = evaluate(single, plain_bids).to_json()
    got = lots_result.to_json()["lots"][0]
    assert (got["id"], got["name"]) == ("L1", "标包L1")
    assert {k: v for k, v in got.items() if k not in ("id", "name")} == expected


def test_the_panel_scores_each_lot_apart():
    tender = parse_tender(
        {
            **tender_dict(lot("L1"), lot("L2")),
            "criteria": [{"id": "price", "name": "价格", "kind": "price", "weight": 70}, PLAN],
        }
    )
    bids = [
        bid(tender, "A", {"L1": fixed(30000), "L2": fixed(30000)}),
        bid(tender, "B", {"L1": fixed(30000), "L2": fixed(30000)}),
    ]
    panel = {
        "lots": {
            "L1": {"scores": {"专家1": {"A": {"plan": 28}, "B": {"plan": 20}}}},
            "L2": {"scores": {"专家1": {"A": {"plan": 18}, "B": {"plan": 25}}}},
        }
    }
    result = run(tender, bids, panel)
    # Same price (70 each): L1 A 70 + 28 = 98 first; L2 B 70 + 25 = 95 first.
    assert [b.vendor for b in result.lot("L1").result.ranked] == ["A", "B"]
    assert [b.vendor for b in result.lot("L2").result.ranked] == ["B", "A"]
    assert result.lot("L2").result.evaluators == ("专家1",)


def test_a_lot_without_its_panel_is_pending_and_awards_nothing_yet():
    tender = parse_tender(
        {
            **tender_dict(lot("L1"), lot("L2"), max_lots_awarded_per_vendor=1),
            "criteria": [{"id": "price", "name": "价格", "kind": "price", "weight": 70}, PLAN],
        }
    )
    bids = [
        bid(tender, "A", {"L1": fixed(30000), "L2": fixed(30000)}),
        bid(tender, "B", {"L1": fixed(31000), "L2": fixed(31000)}),
    ]
    result = run(tender, bids, {"lots": {"L1": {"scores": {"专家1": {"A": {"plan": 20}, "B": {"plan": 20}}}}}})
    assert result.lot("L1").result.status == "ok" and result.lot("L2").result.status == "pending"
    assert awards(result) == [("L1", "A", 1, "1.00")]
    assert result.lot("L2").result.awards == []
    assert reasons(result, "L2")[-1] == "the lot's evaluation is pending: nothing is awarded yet"
    assert result.status == "pending"


def test_the_tender_fails_only_when_every_lot_fails():
    tender = parse_tender(tender_dict(lot("L1"), lot("L2"), min_valid_bids=2))
    # L1 has two valid bids (B 30 + 50 = 80.00 before A 30 × 33000/40000 = 24.75 + 50 = 74.75),
    # L2 one (fewer than 2: 流标).
    bids = [bid(tender, "A", {"L1": fixed(40000), "L2": fixed(40000)}), bid(tender, "B", {"L1": fixed(33000)})]
    result = run(tender, bids)
    assert (result.lot("L1").result.status, result.lot("L2").result.status, result.status) == ("ok", "failed", "ok")
    assert awards(result) == [("L1", "B", 1, "1.00")]
    assert [r["en"] for r in result.to_json()["status_reasons"]] == ["lot L2 (标包L2) failed"]
    only_a = run(tender, [bid(tender, "A", {"L1": fixed(40000), "L2": fixed(40000)})])
    assert only_a.status == "failed" and awards(only_a) == []


def test_final_offers_are_per_lot():
    tender = parse_tender(tender_dict(lot("L1"), lot("L2"), max_lots_awarded_per_vendor=1))
    # In L2 only, C's final offer 24000 makes it the benchmark: C 30 + 50 = 80.00; A 30 × 24000/40000
    # = 18.00 + 70 = 88.00; B 30 × 24000/30000 = 24.00 + 60 = 84.00. Still A, B, C — but in L1 C's
    # first offer stands (A 92.50, B 90.00, C 80.00).
    bids = three_vendors(tender)
    bids[2] = bid(tender, "C", {"L1": fixed(30000), "L2": fixed(30000)}, final_lots={"L2": fixed(24000)})
    result = run(tender, bids)
    l1, l2 = (result.to_json()["lots"][i] for i in (0, 1))
    assert "first_monthly_cost" not in l1["bids"][0]
    assert {b["vendor"]: (b["monthly_cost"], b["first_monthly_cost"], b["total"]) for b in l2["bids"]} == {
        "A": ("40000.00", "40000.00", "88.00"),
        "B": ("30000.00", "30000.00", "84.00"),
        "C": ("24000.00", "30000.00", "80.00"),
    }


def test_a_dearer_final_offer_in_a_lot_names_the_file_and_the_lot():
    tender = parse_tender(tender_dict(lot("L1"), lot("L2")))
    bids = three_vendors(tender)
    bids[1] = bid(
        tender,
        "B",
        {"L1": fixed(30000), "L2": fixed(30000)},
        final_lots={"L1": fixed(31000), "L2": fixed(30500)},
        projects=6,
    )
    with pytest.raises(InvalidInput) as error:
        run(tender, bids)
    assert [(p.path, p.en.split(":")[0]) for p in error.value.problems] == [
        ("B.json: final_lots.L1", "the final offer's monthly cost 31000.00 is higher than the first offer's 30000.00"),
        ("B.json: final_lots.L2", "the final offer's monthly cost 30500.00 is higher than the first offer's 30000.00"),
    ]


def test_each_lot_reads_its_pricing_against_its_own_work_items():
    l1 = lot("L1")
    l1["scenario"]["work_items"] = [{"id": "chat", "name": "在线咨询", "unit": "件", "monthly_quantity": 24000}]
    l2 = lot("L2")
    l2["scenario"]["work_items"] = [{"id": "ticket", "name": "售后工单", "unit": "单", "monthly_quantity": 3000}]
    tender = parse_tender(tender_dict(l1, l2))
    ok = bid(
        tender,
        "A",
        {
            "L1": {"model": "line_items", "prices": {"chat": "1.5"}},
            "L2": {"model": "line_items", "prices": {"ticket": 9}},
        },
    )
    result = run(tender, [ok])
    # L1: 24000 × 1.50 = 36000.00; L2: 3000 × 9 = 27000.00
    assert [r.result.bid("A").monthly_cost for r in result.lots] == [D("36000.00"), D("27000.00")]
    with pytest.raises(InvalidInput) as error:
        bid(tender, "A", {"L2": {"model": "line_items", "prices": {"chat": "1.5"}}})
    assert {p.path: p.en for p in error.value.problems} == {
        "A.json: lots.L2.prices.chat": "the tender lists no work item 'chat'",
        "A.json: lots.L2.prices.ticket": "work item 'ticket' is not priced",
    }


def test_each_lot_has_its_own_unit_price_ceilings_and_reference_pricing():
    l1 = lot(
        "L1",
        unit_price_ceilings={"chat": "1.6"},
        reference_pricing={"model": "fixed_per_agent", "monthly_per_agent": 3000},
    )
    l1["scenario"]["work_items"] = [{"id": "chat", "name": "在线咨询", "unit": "件", "monthly_quantity": 24000}]
    tender = parse_tender(tender_dict(l1, lot("L2")))
    result = run(
        tender,
        [
            bid(tender, "A", {"L1": {"model": "line_items", "prices": {"chat": "1.7"}}}),
            bid(tender, "B", {"L1": {"model": "reference_discount", "discount_rate": "0.1"}}),
        ],
    )
    l1_result = result.lot("L1").result
    assert "unit price of 在线咨询 1.70 exceeds its ceiling 1.60" == l1_result.bid("A").review.reasons[0].en
    # 3000 × 12 agent-shifts = 36000 × (1 − 0.1) = 32400.00
    assert l1_result.bid("B").monthly_cost == D("32400.00")
    # L2 publishes no reference pricing: a discount on it is refused there.
    with pytest.raises(InvalidInput, match="lots.L2.model: .*publishes no reference pricing"):
        bid(tender, "B", {"L2": {"model": "reference_discount", "discount_rate": "0.1"}})


@pytest.mark.parametrize(
    "data, path, reason",
    [
        ({"pricing": fixed(30000)}, "lots", "the pricing of the lots bid for ('lots') is missing"),
        (
            {"lots": {"L1": fixed(30000)}, "pricing": fixed(30000)},
            "pricing",
            "this tender is divided into lots: price each lot in 'lots'",
        ),
        (
            {"lots": {"L1": fixed(30000)}, "final_pricing": fixed(30000)},
            "final_pricing",
            "this tender is divided into lots: price each lot in 'final_lots'",
        ),
        ({"lots": {}}, "lots", "the bid names no lot"),
        ({"lots": {"L3": fixed(30000)}}, "lots.L3", "this tender has no lot 'L3' (its lots: L1, L2)"),
        (
            {"lots": {"L1": fixed(30000)}, "final_lots": {"L2": fixed(1)}},
            "final_lots.L2",
            "a final offer for lot 'L2', which the bid does not bid for",
        ),
        (
            {"lots": {"L1": fixed(30000)}, "final_lots": {"L9": fixed(1)}},
            "final_lots.L9",
            "this tender has no lot 'L9'",
        ),
    ],
)
def test_a_bid_for_a_lot_tender_is_checked(data, path, reason):
    tender = parse_tender(tender_dict(lot("L1"), lot("L2")))
    with pytest.raises(InvalidInput) as error:
        parse_bid({"facts": {"company_name": "A"}, **data}, tender, source="a.json")
    found = {p.path: p.en for p in error.value.problems}
    assert reason in found[f"a.json: {path}"], found


def test_a_lot_bid_on_a_tender_without_lots_is_refused():
    tender = parse_tender({"scenario": dict(NO_PEAK), "criteria": CRITERIA})
    with pytest.raises(InvalidInput) as error:
        parse_bid({"facts": {}, "lots": {"L1": fixed(1)}}, tender, source="a.json")
    assert {p.path: p.en for p in error.value.problems} == {
        "a.json: lots": "this tender has no lots: the pricing goes in 'pricing' (a final offer in 'final_pricing')",
        "a.json: pricing": "the pricing is missing",
    }


def test_every_problem_of_a_lot_tender_is_listed_together():
    bad_award = lot("L2", award={"winners": 2, "shares": [0.5, 0.4]})
    bad_award["scenario"]["daily_inquiries"] = -1
    data = {
        **tender_dict(
            lot("L1", unit_price_ceilings={"phone": 2}),
            bad_award,
            {"id": "L1", "scenario": NO_PEAK},
            {"id": "L4", "name": "无基准"},
            max_lots_awarded_per_vendor=0,
            min_valid_bids=3,
        ),
        "scenario": NO_PEAK,
        "unit_price_ceilings": {"chat": 1},
    }
    found = {p.path: p.en for p in validate_tender(data)}
    assert found == {
        "scenario": "a tender divided into lots has no top-level scenario: each lot gives its own in lots[i].scenario",
        "unit_price_ceilings": "a tender divided into lots gives 'unit_price_ceilings' in each lot "
        "(lots[i].unit_price_ceilings): it is read against the lot's scenario",
        "lots[0].unit_price_ceilings.phone": "the scenario has no work item 'phone'",
        "lots[1].scenario.daily_inquiries": "must not be negative (-1)",
        "lots[1].award.shares": "the shares must sum to 1, they sum to 0.9",
        "lots[2].id": "lot id 'L1' is repeated",
        "lots[2].name": "is required",
        "lots[3].scenario": "the lot's workload scenario is required",
        "max_lots_awarded_per_vendor": "must be at least 1 (got 0)",
    }


@pytest.mark.parametrize(
    "data, path, reason",
    [
        (
            {"scenario": NO_PEAK, "criteria": CRITERIA, "max_lots_awarded_per_vendor": 1},
            "max_lots_awarded_per_vendor",
            "applies only to a tender divided into lots",
        ),
        ({"criteria": CRITERIA, "lots": []}, "lots", "needs at least one lot"),
        ({"criteria": CRITERIA, "lots": {"L1": {}}}, "lots", "must be a list"),
        ({"criteria": CRITERIA}, "scenario", "the workload scenario is required"),
        (
            {"criteria": CRITERIA, "lots": [{"id": "L1", "name": "一", "scenario": NO_PEAK, "prices": 1}]},
            "lots[0].prices",
            "unknown key 'prices'",
        ),
        (
            {"criteria": CRITERIA, "lots": [lot("L1")], "max_lots_awarded_per_vendor": "1.5"},
            "max_lots_awarded_per_vendor",
            "must be a whole number",
        ),
    ],
)
def test_lot_definition_mistakes_are_named_by_their_path(data, path, reason):
    found = {p.path: p.en for p in validate_tender(data)}
    assert reason in found.get(path, ""), found


def test_a_top_level_award_applies_to_the_lots_that_give_none():
    tender = parse_tender(
        tender_dict(
            lot("L1"), lot("L2", award={"winners": 1}), award={"winners": 2, "shares": [0.7, 0.3]}, min_valid_bids=2
        )
    )
    assert [(item.id, item.award.winners) for item in tender.lots] == [("L1", 2), ("L2", 1)]
    assert awards(run(tender, three_vendors(tender))) == [
        ("L1", "A", 1, "0.70"),
        ("L1", "B", 2, "0.30"),
        ("L2", "A", 1, "1.00"),
    ]


@pytest.mark.parametrize(
    "panel, path, reason",
    [
        ({"lots": {"L3": {}}}, "lots.L3", "this tender has no lot 'L3'"),
        (
            {"lots": {"L1": {"scores": {"专家1": {"A": {"plan": 31}}}}}},
            "lots.L1.scores.专家1.A.plan",
            "it must lie between 0 and 30",
        ),
        (
            {"lots": {"L2": {"scores": {"专家1": {"B": {"plan": 10}}}}}},
            "lots.L2.scores.专家1.B",
            "no bidder is named 'B'",
        ),
        ({"scores": {}}, "lots", "a tender divided into lots takes the panel's work per lot"),
    ],
)
def test_panel_mistakes_in_a_lot_are_named_with_the_lot(panel, path, reason):
    tender = parse_tender(
        {
            **tender_dict(lot("L1"), lot("L2")),
            "criteria": [{"id": "price", "name": "价格", "kind": "price", "weight": 70}, PLAN],
        }
    )
    bids = [bid(tender, "A", {"L1": fixed(1), "L2": fixed(1)}), bid(tender, "B", {"L1": fixed(1)})]
    with pytest.raises(InvalidInput) as error:
        parse_panel(panel, tender, bids)
    found = {p.path: p.en for p in error.value.problems}
    assert reason in found.get(path, ""), found


def test_the_plain_evaluation_refuses_a_lot_tender():
    tender = parse_tender(tender_dict(lot("L1")))
    with pytest.raises(ValueError, match="evaluate_lots"):
        evaluate(tender, [])


def test_two_bids_of_one_company_are_refused_even_for_different_lots():
    tender = parse_tender(tender_dict(lot("L1"), lot("L2")))
    one = bid(tender, "A", {"L1": fixed(1)})
    other = parse_bid({"facts": {"company_name": "A"}, "lots": {"L2": fixed(1)}}, tender, source="a2.json")
    with pytest.raises(InvalidInput, match="several bids name the same company 'A'"):
        evaluate_lots(tender, [one, other])


def test_the_panel_reads_a_vendors_line_from_the_lot_that_flags_its_price():
    """``LotsResult.bid`` (what the web panel asks of a bid: its review, its flags): the first
    lot that flags the price as abnormally low, else the first lot the bid is for. Ratio 0.8:
    in L1 A 40000, B 30000, C 20000 → C is below 0.8 × (40000 + 30000) ÷ 2 = 28000; in L2 all
    cost 30000 and nobody is flagged. B is flagged nowhere: its L1 line."""
    tender = parse_tender(tender_dict(lot("L1"), lot("L2"), abnormal_low_ratio=0.8))
    bids = [
        bid(tender, "A", {"L1": fixed(40000), "L2": fixed(30000)}, projects=7),
        bid(tender, "B", {"L1": fixed(30000), "L2": fixed(30000)}, projects=6),
        bid(tender, "C", {"L2": fixed(30000), "L1": fixed(20000)}, projects=5),
        bid(tender, "D", {"L2": fixed(30000)}, projects=4),
    ]
    result = run(tender, bids)
    assert "abnormal_low" in result.bid("C").flags and result.bid("C").monthly_cost == D("20000.00")
    assert result.bid("B").flags == [] and result.bid("B").monthly_cost == D("30000.00")
    assert result.bid("D").monthly_cost == D("30000.00")  # D bids for L2 only
    assert result.bid("E") is None
    assert sorted(line.vendor for line in result.bids) == ["A", "B", "C", "D"]  # one line a vendor
