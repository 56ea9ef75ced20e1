"""The lifecycle's rules as a table a reader can check line by line (domain §2, §12, §15, §16)."""

from __future__ import annotations

import datetime as dt

import pytest

from scoring import lifecycle as L
from scoring.times import SHANGHAI, working_days_after


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


DEADLINE = at(2026, 12, 20, 17, 0)
OPENING = at(2026, 12, 20, 17, 30)


# --------------------------------------------------------------------------- the clock moves the status


@pytest.mark.parametrize(
    "facts, now, expected",
    [
        # published until the deadline, closed from it on (the deadline instant itself is late)
        (L.Facts("published", bid_deadline=DEADLINE), at(2026, 12, 20, 16, 59, 59), "published"),
        (L.Facts("published", bid_deadline=DEADLINE), DEADLINE, "closed"),
        # the round of final offers closes at its own deadline
        (L.Facts("final_round", final_round_deadline=at(2027, 1, 5, 12, 0)), at(2027, 1, 5, 11, 59), "final_round"),
        (
            L.Facts("final_round", final_round_deadline=at(2027, 1, 5, 12, 0)),
            at(2027, 1, 5, 12, 0),
            "final_round_closed",
        ),
        # a notice on Friday 4 December: 7 working days run to Tuesday 15 December, midnight
        (L.Facts("awarded", notice_at=at(2026, 12, 4, 15, 0)), at(2026, 12, 15, 23, 59), "awarded"),
        (L.Facts("awarded", notice_at=at(2026, 12, 4, 15, 0)), at(2026, 12, 16, 0, 0), "award_final"),
        # an unanswered challenge keeps the award provisional after the window
        (L.Facts("awarded", notice_at=at(2026, 12, 4, 15, 0), unanswered_challenges=1), at(2027, 1, 1), "awarded"),
        # stored statuses are what they say
        (L.Facts("opened"), at(2030, 1, 1), "opened"),
        (L.Facts("cancelled", bid_deadline=DEADLINE), at(2030, 1, 1), "cancelled"),
    ],
)
def test_status_follows_the_clock(facts, now, expected):
    assert L.status_at(facts, now) == expected


@pytest.mark.parametrize(
    "event, days, last_day",
    [
        (at(2026, 12, 4, 15, 0), 7, dt.date(2026, 12, 15)),  # Friday: Mon 7 … Fri 11, Mon 14, Tue 15
        (at(2026, 12, 5, 9, 0), 7, dt.date(2026, 12, 15)),  # Saturday: counting also starts on Monday
        (at(2026, 12, 7, 23, 59), 5, dt.date(2026, 12, 14)),  # Monday late: Tue 8 … Mon 14
        (at(2026, 12, 31, 16, 0), 1, dt.date(2027, 1, 1)),  # Thursday → Friday (holidays are not modelled)
    ],
)
def test_working_day_deadlines_end_at_the_midnight_of_the_last_day(event, days, last_day):
    end = working_days_after(event, days)
    assert end == dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)


def test_a_utc_event_is_counted_on_its_shanghai_day():
    # 2026-12-04 17:00 UTC is Saturday 01:00 in Shanghai: the first working day is Monday 7.
    event = dt.datetime(2026, 12, 4, 17, 0, tzinfo=dt.UTC)
    assert working_days_after(event, 1) == at(2026, 12, 8, 0, 0)


# --------------------------------------------------------------------------- who may do what, when

TABLE = """
state               role       action              allowed
draft               buyer      edit                yes
draft               buyer      publish             yes
published           buyer      edit                no
published           buyer      amend               yes
published           buyer      extend              yes
closed              buyer      amend               no
closed              buyer      extend              no
published           vendor     bid                 yes
published           vendor     withdraw            yes
closed              vendor     bid                 no
closed              vendor     withdraw            no
published           buyer      bid                 no
published           buyer      form_panel          yes
closed              buyer      form_panel          yes
opened              buyer      form_panel          no
opened              buyer      replace_recused     yes
closed              buyer      open                yes
published           buyer      open                no
opened              buyer      open                no
opened              evaluator  declare             yes
closed              evaluator  declare             no
opened              evaluator  review              yes
opened              evaluator  score               yes
opened              evaluator  vote                yes
signing             evaluator  score               no
evaluated           evaluator  score               no
opened              evaluator  close_evaluation    yes
signing             evaluator  close_evaluation    no
opened              evaluator  propose             yes
signing             evaluator  propose             no
signing             evaluator  vote                no
opened              evaluator  request_explanation yes
opened              vendor     explain             yes
signing             vendor     explain             no
opened              evaluator  confirm_outlier     yes
signing             evaluator  confirm_outlier     no
published           buyer      name_chair          yes
opened              buyer      name_chair          yes
signing             buyer      name_chair          no
evaluated           buyer      name_chair          no
opened              evaluator  sign                no
signing             evaluator  sign                yes
evaluated           evaluator  sign                no
signing             buyer      reopen              yes
evaluated           buyer      reopen              yes
failed              buyer      reopen              yes
awarded             buyer      reopen              no
awarded             buyer      uphold_challenge    yes
opened              buyer      open_final_round    yes
final_round         vendor     final_offer         yes
final_round_closed  vendor     final_offer         no
final_round         buyer      open_final_offers   no
final_round_closed  buyer      open_final_offers   yes
opened              buyer      award               no
signing             buyer      award               no
evaluated           buyer      award               yes
awarded             buyer      award               no
awarded             vendor     challenge           yes
award_final         vendor     challenge           no
awarded             buyer      answer_challenge    yes
awarded             buyer      settle              no
award_final         buyer      settle              yes
award_final         vendor     confirm_settlement  yes
evaluated           buyer      cancel              yes
awarded             buyer      cancel              no
cancelled           buyer      cancel              no
opened              admin      open                no
"""


def _rows(table: str):
    lines = [line.split() for line in table.strip().splitlines()[1:]]
    return [(state, role, action, allowed == "yes") for state, role, action, allowed in lines]


@pytest.mark.parametrize("state, role, action, expected", _rows(TABLE))
def test_who_may_do_what_in_which_state(state, role, action, expected):
    assert L.allowed(action, state, role) is expected


def test_every_state_and_action_named_in_the_table_exists():
    for state, _role, action, _ in _rows(TABLE):
        assert state in L.STATES and action in L.ACTIONS


def test_opening_waits_for_the_opening_time_even_after_the_deadline():
    facts = L.Facts("published", bid_deadline=DEADLINE, opening_time=OPENING)
    early = L.refusal("open", facts, at(2026, 12, 20, 17, 29), "buyer")
    assert early is not None and "开标时间未到" in early.zh and "opening time" in early.en
    assert L.refusal("open", facts, OPENING, "buyer") is None


def test_a_refusal_says_why_in_both_languages():
    facts = L.Facts("published", bid_deadline=DEADLINE)
    why = L.refusal("bid", facts, DEADLINE, "vendor")
    assert why.get("zh") == "投标已截止或尚未开始，不能再提交。"
    assert why.get("en") == "Bidding is closed: bids are accepted only until the deadline."
    assert L.refusal("bid", facts, DEADLINE - dt.timedelta(seconds=1), "vendor") is None
    assert L.refusal("bid", facts, DEADLINE - dt.timedelta(seconds=1), "buyer").en == "Your role cannot do this."


def test_the_round_of_final_offers_is_held_once_and_only_when_the_tender_allows_it():
    assert (
        L.refusal("open_final_round", L.Facts("opened"), at(2027, 1, 1), "buyer").en
        == "This tender has no round of final offers."
    )
    assert L.refusal("open_final_round", L.Facts("opened", final_offer=True), at(2027, 1, 1), "buyer") is None
    held = L.Facts("opened", final_offer=True, final_round_held=True)
    assert "only one round" in L.refusal("open_final_round", held, at(2027, 1, 1), "buyer").en


def test_a_challenge_in_the_last_minute_of_the_last_day_is_in_time():
    facts = L.Facts("awarded", notice_at=at(2026, 12, 4, 15, 0))  # a Friday
    assert L.may("challenge", facts, at(2026, 12, 15, 23, 59, 59), "vendor")
    assert not L.may("challenge", facts, at(2026, 12, 16, 0, 0), "vendor")


# --------------------------------------------------------------------------- who may read what

READ_TABLE = """
what            role     state               allowed
bid_contents    buyer    published           no
bid_contents    buyer    closed              no
bid_contents    buyer    opened              yes
bid_contents    panel    opened              yes
bid_contents    admin    opened              no
bid_contents    buyer    cancelled           no
bid_count       buyer    published           yes
prices          buyer    closed              no
prices          buyer    opened              yes
opening_record  bidder   closed              no
opening_record  bidder   opened              yes
opening_record  public   opened              no
result_notice   bidder   evaluated           no
result_notice   bidder   awarded             yes
result_notice   public   awarded             yes
own_scores      bidder   evaluated           no
own_scores      bidder   award_final         yes
tender_notice   public   draft               no
tender_notice   public   published           yes
audit_trail     admin    opened              yes
audit_trail     buyer    opened              no
"""


@pytest.mark.parametrize("what, role, state, expected", _rows(READ_TABLE))
def test_who_may_read_what_in_which_state(what, role, state, expected):
    assert L.may_read(what, role, state) is expected


def test_an_evaluator_sees_prices_only_after_its_technical_scores():
    assert not L.may_read("prices", "panel", "opened", technical_scores_submitted=False)
    assert L.may_read("prices", "panel", "opened", technical_scores_submitted=True)
    # the bids themselves (without prices) are readable at once
    assert L.may_read("bid_contents", "panel", "opened", technical_scores_submitted=False)


def test_final_offers_stay_sealed_until_the_round_is_opened():
    for state in ("final_round", "final_round_closed"):
        assert not L.may_read("final_offers", "buyer", state, final_round_held=True)
        assert not L.may_read("final_offers", "panel", state, final_round_held=True)
    assert L.may_read("final_offers", "buyer", "opened", final_round_held=True)
    assert not L.may_read("final_offers", "buyer", "opened", final_round_held=False)


def test_sealed_states_are_exactly_those_before_the_opening_and_cancelled():
    assert [s for s in L.STATES if L.sealed(s)] == ["draft", "published", "closed", "cancelled"]


def test_closing_moves_the_evaluation_to_signing_and_the_signatures_make_it_final():
    assert L.after("close_evaluation") == "signing"
    assert not L.is_final("signing") and L.signing("signing") and not L.under_evaluation("signing")
    assert L.completed("ok") == "evaluated" and L.completed("failed") == "failed" and L.completed("pending") is None
    # a report being signed is readable (results, prices) but nobody scores or votes any more
    assert L.may_read("results", "buyer", "signing") and L.may_read("prices", "panel", "signing")
    assert (
        L.refusal("sign", L.Facts("opened"), at(2027, 1, 1), "evaluator").en
        == "The report is signed once the chair has closed the evaluation."
    )


@pytest.mark.parametrize("state", L.STATES)
def test_a_buyer_may_duplicate_a_tender_in_any_state_and_nobody_else_may(state):
    # the copy is a new draft: its origin's state never matters (a tender from a template)
    assert L.allowed("duplicate", state, "buyer")
    for role in ("vendor", "evaluator", "admin"):
        assert not L.allowed("duplicate", state, role)


def test_the_round_of_final_offers_moves_the_tender_and_back():
    assert L.after("open_final_round") == "final_round"
    assert L.after("open_final_offers") == "opened"
    deadline = at(2027, 1, 8, 9, 0)
    running = L.Facts("final_round", final_offer=True, final_round_deadline=deadline, final_round_held=True)
    assert L.status_at(running, deadline - dt.timedelta(seconds=1)) == "final_round"
    assert L.status_at(running, deadline) == "final_round_closed"
    assert L.may("final_offer", running, deadline - dt.timedelta(seconds=1), "vendor")
    assert (
        L.refusal("final_offer", running, deadline, "vendor").en
        == "A final offer is accepted only before the round's deadline."
    )
    assert (
        L.refusal("open_final_offers", running, deadline - dt.timedelta(seconds=1), "buyer").en
        == "Final offers are opened after the round's deadline."
    )
    assert L.may("open_final_offers", running, deadline, "buyer")


def test_the_evaluation_of_a_tender_with_final_offers_waits_for_them():
    assert L.awaits_final_offers(L.Facts("opened", final_offer=True))  # no round yet
    assert L.awaits_final_offers(L.Facts("final_round", final_offer=True, final_round_held=True))
    assert not L.awaits_final_offers(L.Facts("opened", final_offer=True, final_round_held=True))  # offers opened
    assert not L.awaits_final_offers(L.Facts("opened"))  # no round at all
    assert [s for s in L.STATES if L.final_round_matters(s)] == ["opened", "final_round"]
