"""A contract month's rules (domain §14), as the lifecycle states them: the vendor confirms
or disputes within 5 working days (else the month is deemed confirmed), the buyer corrects
a disputed month or confirms it as it stands; and the tender's own rule (the award final)."""

from __future__ import annotations

import datetime as dt

import pytest

from scoring import lifecycle as L
from scoring.times import SHANGHAI


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


SETTLED = at(2027, 3, 5, 15, 0)  # a Friday afternoon
AWAITING = L.MonthFacts(L.MONTH_AWAITING, SETTLED)


def test_five_working_days_run_to_the_second_friday_midnight():
    # Mon 8, Tue 9, Wed 10, Thu 11, Fri 12 March: late from Saturday 13 March 00:00 on
    assert L.confirm_deadline(AWAITING) == at(2027, 3, 13, 0, 0)
    assert L.month_status_at(AWAITING, at(2027, 3, 12, 23, 59)) == L.MONTH_AWAITING
    assert L.month_status_at(AWAITING, at(2027, 3, 13, 0, 0)) == L.MONTH_DEEMED
    assert L.month_settled(L.MONTH_DEEMED) and L.month_settled(L.MONTH_CONFIRMED)
    assert not L.month_settled(L.MONTH_AWAITING) and not L.month_settled(L.MONTH_DISPUTED)


TABLE = """
state            role    action              allowed
awaiting_vendor  vendor  confirm_settlement  yes
awaiting_vendor  vendor  dispute_settlement  yes
awaiting_vendor  buyer   correct_settlement  no
awaiting_vendor  buyer   uphold_settlement   no
disputed         vendor  confirm_settlement  no
disputed         vendor  dispute_settlement  no
disputed         buyer   correct_settlement  yes
disputed         buyer   uphold_settlement   yes
confirmed        vendor  confirm_settlement  no
confirmed        vendor  dispute_settlement  no
confirmed        buyer   correct_settlement  no
confirmed        buyer   uphold_settlement   no
disputed         vendor  correct_settlement  no
awaiting_vendor  buyer   confirm_settlement  no
"""


@pytest.mark.parametrize(
    "state, role, action, expected",
    [
        (line.split()[0], line.split()[1], line.split()[2], line.split()[3] == "yes")
        for line in TABLE.strip().splitlines()[1:]
    ],
)
def test_who_may_answer_a_month_in_which_state(state, role, action, expected):
    facts = L.MonthFacts(state, SETTLED)
    assert (L.month_refusal(action, facts, at(2027, 3, 8, 9, 0), role) is None) is expected


def test_after_five_working_days_the_vendor_is_told_the_month_is_deemed_confirmed():
    for action in ("confirm_settlement", "dispute_settlement"):
        refusal = L.month_refusal(action, AWAITING, at(2027, 3, 13, 0, 0), "vendor")
        assert refusal is not None and "视为已确认" in refusal.zh and "deemed confirmed" in refusal.en
    # the buyer has nothing to answer on a month nobody disputed
    assert L.month_refusal("correct_settlement", AWAITING, at(2027, 3, 20), "buyer") is not None


def test_each_answer_leaves_the_month_in_the_state_it_names():
    assert L.month_after("settle") == L.MONTH_AWAITING
    assert L.month_after("dispute_settlement") == L.MONTH_DISPUTED
    assert L.month_after("correct_settlement") == L.MONTH_AWAITING  # the new version waits for the vendor
    assert L.month_after("confirm_settlement") == L.MONTH_CONFIRMED
    assert L.month_after("uphold_settlement") == L.MONTH_CONFIRMED


@pytest.mark.parametrize(
    "state, role, action, expected",
    [
        ("awarded", "buyer", "settle", False),  # the challenge window is still open
        ("award_final", "buyer", "settle", True),
        ("award_final", "vendor", "dispute_settlement", True),
        ("award_final", "buyer", "correct_settlement", True),
        ("award_final", "vendor", "correct_settlement", False),
        ("award_final", "buyer", "uphold_settlement", True),
        ("awarded", "buyer", "uphold_settlement", False),
        ("awarded", "vendor", "confirm_settlement", False),
    ],
)
def test_the_tender_must_be_finally_awarded(state, role, action, expected):
    assert L.allowed(action, state, role) is expected


def test_the_contract_is_read_by_its_buyer_and_its_vendor_once_awarded():
    assert L.may_read("contract", "buyer", L.AWARDED) and L.may_read("contract", "contractor", L.AWARD_FINAL)
    assert not L.may_read("contract", "bidder", L.AWARD_FINAL)  # another bidder: never
    assert not L.may_read("contract", "buyer", L.EVALUATED)
