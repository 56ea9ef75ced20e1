"""The panel decides by a majority of the whole panel; outlier scores go back (domain §15)."""

from decimal import Decimal as D

import pytest

from scoring.identity import check_character, credit_code_problem
from scoring.panel_rules import OPEN, PASSED, REJECTED, outliers, tally


@pytest.mark.parametrize(
    "members, votes, outcome",
    [
        (3, {"甲": True, "乙": True}, PASSED),  # 2 of 3 is more than half
        (3, {"甲": True}, OPEN),  # 1 agree, 2 still to vote
        (3, {"甲": True, "乙": False}, OPEN),  # the third decides
        (3, {"甲": False, "乙": False}, REJECTED),  # at most 1 agree is left: cannot pass
        (4, {"甲": True, "乙": True}, OPEN),  # 2 of 4 is not more than half
        (4, {"甲": True, "乙": True, "丙": True}, PASSED),
        (4, {"甲": False, "乙": False}, REJECTED),  # at most 2 of 4 agree: never a majority
        (5, {"甲": True, "乙": True, "丙": False, "丁": False}, OPEN),
        (5, {"甲": True, "乙": True, "丙": True}, PASSED),
    ],
)
def test_a_proposal_passes_with_a_majority_of_the_whole_panel(members, votes, outcome):
    assert tally(members, votes).outcome == outcome


def test_the_tally_says_how_many_votes_are_needed_and_missing():
    t = tally(5, {"甲": True, "乙": False})
    assert (t.needed, t.agree, t.disagree, t.not_voted) == (3, 1, 1, 3)


def test_an_outlier_is_more_than_a_third_of_the_weight_from_the_panel_mean():
    # weight 30 → limit 10; scores 25, 24, 12: mean 61 / 3 = 20.333…; 12 is 8.33 below: stands
    assert outliers({"甲": D(25), "乙": D(24), "丙": D(12)}, D(30)) == []
    # 25, 26, 9: mean 20; 9 is 11 below the mean (> 10) → returned to 丙
    found = outliers({"甲": D(25), "乙": D(26), "丙": D(9)}, D(30))
    assert [(o.evaluator, o.score, o.mean, o.distance) for o in found] == [("丙", D(9), D(20), D(11))]


def test_a_score_exactly_a_third_away_stands():
    # weight 30, scores 30, 10: mean 20, each exactly 10 away → not more than a third
    assert outliers({"甲": D(30), "乙": D(10)}, D(30)) == []


def test_a_single_score_has_no_panel_to_differ_from():
    assert outliers({"甲": D(0)}, D(30)) == []


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "91110000802100433B", "911100001000079554", " 91350100m000100y43 "]
)
def test_valid_credit_codes_pass(code):
    assert credit_code_problem(code) is None


def test_the_check_character_is_computed_from_the_first_seventeen():
    # 9×1 + 1×3 + 3×9 + 5×27 + 0×19 + 1×26 + 0×16 + 0×17 + M=21×20 + 0×29 + 0×25 + 0×13
    # + 1×8 + 0×24 + 0×10 + Y=30×30 + 4×28 = 1640; 1640 mod 31 = 28; 31 − 28 = 3 → "3"
    assert check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    "code, zh, en",
    [
        ("91350100M000100Y44", "第 18 位应为 3", "should be 3"),
        ("9135010OM000100Y43", "不能含有字符 O", "cannot contain O"),
        ("91350100M000100Y4", "应为 18 位，实为 17 位", "has 17"),
    ],
)
def test_invalid_credit_codes_say_why(code, zh, en):
    problem = credit_code_problem(code)
    assert zh in problem.zh and en in problem.en
