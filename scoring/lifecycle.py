"""The tender's lifecycle (domain §2, with §12, §15 and §16): its states, what each allows
to whom, and what each role may read in it. The one home of these rules.

A tender stores one status; three more are derived from the clock, so nothing has to be
written when time passes::

    draft → published ─(bid deadline)→ closed → opened ─────────────────────┐
                                                  │  (final offers, §12)     │
                                                  └→ final_round ─(round deadline)→ final_round_closed
                                                        → opened (final offers read)
    opened ─(chair closes, §15)→ signing ─(every evaluator signed)→ evaluated | failed
    evaluated ─(buyer confirms the award, notice published, §16)→ awarded
    awarded ─(challenge window passed, every challenge answered)→ award_final
    any state before awarded → cancelled;  an upheld challenge or a recorded reopening → opened

:func:`status_at` derives the status from the stored facts and the time; :func:`refusal`
says why an action is not allowed now (``None`` when it is), and :func:`may_read` what a
role may read. Services ask these; templates ask them through the model
(``tender.may("amend")``). Nothing here touches a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scoring.text import Text
from scoring.times import working_days_after

# --------------------------------------------------------------------------- states

DRAFT, PUBLISHED, CLOSED, OPENED = "draft", "published", "closed", "opened"
FINAL_ROUND, FINAL_ROUND_CLOSED = "final_round", "final_round_closed"
SIGNING, EVALUATED, FAILED = "signing", "evaluated", "failed"
AWARDED, AWARD_FINAL, CANCELLED = "awarded", "award_final", "cancelled"

# Every state, in the order of the procedure (the order lists and badges use).
STATES = (
    DRAFT,
    PUBLISHED,
    CLOSED,
    OPENED,
    FINAL_ROUND,
    FINAL_ROUND_CLOSED,
    SIGNING,
    EVALUATED,
    FAILED,
    AWARDED,
    AWARD_FINAL,
    CANCELLED,
)
# The states a tender can be stored in; the others are derived from the clock.
STORED = (DRAFT, PUBLISHED, OPENED, FINAL_ROUND, SIGNING, EVALUATED, FAILED, AWARDED, CANCELLED)
DERIVED = {CLOSED: PUBLISHED, FINAL_ROUND_CLOSED: FINAL_ROUND, AWARD_FINAL: AWARDED}

# Groups of states the rules below are written with.
BEFORE_OPENING = (DRAFT, PUBLISHED, CLOSED)
# Bids are open: their files, facts and prices are readable by the buyer and the panel.
UNSEALED = (OPENED, FINAL_ROUND, FINAL_ROUND_CLOSED, SIGNING, EVALUATED, FAILED, AWARDED, AWARD_FINAL)
# The evaluation is over: the ranking is final and the reports are not drafts.
FINAL = (EVALUATED, FAILED, AWARDED, AWARD_FINAL)
# The result notice is out (§16): bidders see the winners and their own scores.
NOTIFIED = (AWARDED, AWARD_FINAL)
# A tender in one of these states is listed to the public as a tender notice (招标公告).
PUBLIC = tuple(s for s in STATES if s != DRAFT)
# The procedure is under way or done: its panel page exists and its evaluators see it.
IN_PROCEDURE = tuple(s for s in STATES if s not in (DRAFT, CANCELLED))

ROLES = ("buyer", "vendor", "evaluator", "admin", "public")


@dataclass(frozen=True)
class Facts:
    """What the lifecycle needs to know of one tender (read from the database by the app).

    ``status`` is the stored status; the times are aware datetimes.
    """

    status: str
    bid_deadline: dt.datetime | None = None
    opening_time: dt.datetime | None = None
    final_offer: bool = False  # the tender allows a round of final offers (§12)
    final_round_deadline: dt.datetime | None = None
    final_round_held: bool = False  # a round was opened (there is only one)
    notice_at: dt.datetime | None = None  # the result notice was published (§16)
    challenge_days: int = 7
    unanswered_challenges: int = 0
    reopened: bool = False  # an open reopening (with its reason)


def status_at(facts: Facts, now: dt.datetime) -> str:
    """The status at ``now``: the stored one, or the one the clock has moved it to."""
    status = facts.status
    if status == PUBLISHED and facts.bid_deadline is not None and now >= facts.bid_deadline:
        return CLOSED
    if status == FINAL_ROUND and facts.final_round_deadline is not None and now >= facts.final_round_deadline:
        return FINAL_ROUND_CLOSED
    if (
        status == AWARDED
        and facts.notice_at is not None
        and now >= challenge_window_end(facts)
        and facts.unanswered_challenges == 0
    ):
        return AWARD_FINAL
    return status


def challenge_window_end(facts: Facts) -> dt.datetime | None:
    """The first instant a challenge is too late: ``challenge_days`` working days after the notice."""
    if facts.notice_at is None:
        return None
    return working_days_after(facts.notice_at, facts.challenge_days)


ANSWER_WORKING_DAYS = 7  # the buyer answers a challenge within 7 working days (§16)
CONFIRM_WORKING_DAYS = 5  # the vendor confirms or disputes a settled month within 5 (§14)


# --------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class Action:
    """Who may do it, in which states, and what a refused user is told."""

    roles: tuple[str, ...]
    states: tuple[str, ...]
    refused: Text


def _a(roles: str, states: tuple[str, ...], zh: str, en: str) -> Action:
    return Action(tuple(roles.split()), states, Text(zh, en))


_PANEL_AT_WORK = (OPENED,)
# The states after the panel's work (where a round once held stays held).
_AFTER_PANEL = (SIGNING, EVALUATED, FAILED, AWARDED, AWARD_FINAL)

ACTIONS: dict[str, Action] = {
    # The buyer writes and publishes.
    "edit": _a(
        "buyer",
        (DRAFT,),
        "只能编辑草稿；已发布的项目请通过变更公告修改。",
        "Only a draft can be edited; a published tender is changed by an amendment.",
    ),
    "publish": _a("buyer", (DRAFT,), "只有草稿可以发布。", "Only a draft can be published."),
    "amend": _a(
        "buyer",
        (PUBLISHED,),
        "只能在投标截止前变更正在招标的项目。",
        "Only a tender open for bids can be amended, before its deadline.",
    ),
    "extend": _a(
        "buyer",
        (PUBLISHED,),
        "只能在招标中延长投标截止时间。",
        "The deadline can only be extended while the tender is open for bids.",
    ),
    "cancel": _a(
        "buyer",
        (DRAFT, PUBLISHED, CLOSED, OPENED, FINAL_ROUND, FINAL_ROUND_CLOSED, SIGNING, EVALUATED),
        "该招标项目已定标、流标或取消，不能再取消。",
        "This tender is awarded, failed or cancelled: it can no longer be cancelled.",
    ),
    "duplicate": _a("buyer", STATES, "", ""),
    # The panel is formed before the opening (a recused member may be replaced after it).
    "form_panel": _a(
        "buyer",
        (PUBLISHED, CLOSED),
        "评标委员会须在开标前组建（开标后只能替换回避的评委）。",
        "Evaluators are assigned before the opening (afterwards only to replace one who recused).",
    ),
    # The chair (组长) is named when the panel is formed; after the opening only while the
    # evaluation is under way (a recused chair is replaced).
    "name_chair": _a(
        "buyer",
        (PUBLISHED, CLOSED, OPENED),
        "组长在组建评标委员会时指定，评审结束后不能更换。",
        "The chair is named when the panel is formed; it cannot change once the evaluation is closed.",
    ),
    "replace_recused": _a(
        "buyer",
        (OPENED,),
        "只有开标后、评审进行中才能替换回避的评委。",
        "A recused evaluator is replaced only while the evaluation is under way.",
    ),
    "open": _a(
        "buyer",
        (CLOSED,),
        "只有投标截止后、尚未开标的项目才能开标。",
        "Bids can be opened only after the deadline, once.",
    ),
    # Vendors bid until the deadline.
    "bid": _a(
        "vendor",
        (PUBLISHED,),
        "投标已截止或尚未开始，不能再提交。",
        "Bidding is closed: bids are accepted only until the deadline.",
    ),
    "withdraw": _a("vendor", (PUBLISHED,), "投标截止后不能撤回。", "A bid can be withdrawn only before the deadline."),
    # The panel evaluates (§7, §9.5, §15).
    "declare": _a(
        "evaluator",
        _PANEL_AT_WORK,
        "回避声明在开标后、评审进行中作出（此时才知道投标人）。",
        "The declaration is made once the bids are opened, when the bidders are known.",
    ),
    "review": _a(
        "evaluator",
        _PANEL_AT_WORK,
        "资格审查只能在评审进行中修改。",
        "The qualification review changes only while the evaluation is under way.",
    ),
    "score": _a(
        "evaluator",
        _PANEL_AT_WORK,
        "评分只能在评审进行中提交或更正。",
        "Scores are given or corrected only while the evaluation is under way.",
    ),
    "propose": _a(
        "evaluator",
        _PANEL_AT_WORK,
        "评审进行中才能提出改判、档次或异常低价的处理意见。",
        "Overrides, bands and abnormal-low decisions are proposed while the evaluation is under way.",
    ),
    "vote": _a(
        "evaluator", _PANEL_AT_WORK, "评审进行中才能表决。", "Votes are cast while the evaluation is under way."
    ),
    "request_explanation": _a(
        "evaluator",
        _PANEL_AT_WORK,
        "评审进行中才能要求澄清说明。",
        "An explanation is requested while the evaluation is under way.",
    ),
    "confirm_outlier": _a(
        "evaluator",
        _PANEL_AT_WORK,
        "评审进行中才能确认或更正偏离较大的评分。",
        "An outlying score is confirmed or corrected while the evaluation is under way.",
    ),
    "close_evaluation": _a(
        "evaluator", _PANEL_AT_WORK, "评审进行中才能结束评审。", "Only an evaluation under way can be closed."
    ),
    "sign": _a(
        "evaluator",
        (SIGNING,),
        "组长结束评审后才能签署评标报告。",
        "The report is signed once the chair has closed the evaluation.",
    ),
    "reopen": _a(
        "buyer",
        (SIGNING, EVALUATED, FAILED),
        "只有已完成且尚未定标的评审可以重新开启。",
        "Only a final evaluation that is not awarded can be reopened.",
    ),
    # An upheld challenge reopens the evaluation with the challenge as its reason (§16).
    "uphold_challenge": _a(
        "buyer",
        (AWARDED,),
        "只有定标后、中标结果确定前的质疑可以被支持。",
        "A challenge is upheld after the award, before it is final.",
    ),
    # A vendor explains an abnormally low price while the panel waits for it (§16).
    "explain": _a(
        "vendor",
        _PANEL_AT_WORK,
        "评审进行中才能提交澄清说明。",
        "An explanation is sent while the evaluation is under way.",
    ),
    # Final offers (§12).
    "open_final_round": _a(
        "buyer",
        (OPENED,),
        "最后报价轮次在技术评分完成后、评审进行中开启。",
        "The round of final offers opens after the technical scores, during the evaluation.",
    ),
    "final_offer": _a(
        "vendor",
        (FINAL_ROUND,),
        "最后报价只能在最后报价截止前提交。",
        "A final offer is accepted only before the round's deadline.",
    ),
    "open_final_offers": _a(
        "buyer",
        (FINAL_ROUND_CLOSED,),
        "最后报价在其截止时间之后开启。",
        "Final offers are opened after the round's deadline.",
    ),
    # The award, the notice and challenges (§16).
    "award": _a(
        "buyer",
        (EVALUATED,),
        "评审完成后方可确认中标（目前仍待定）。",
        "The award can be confirmed only once the evaluation is final (it is still pending).",
    ),
    "challenge": _a(
        "vendor",
        (AWARDED,),
        "质疑须在中标结果公告后的质疑期内提出。",
        "A challenge is lodged within the challenge window after the result notice.",
    ),
    "answer_challenge": _a(
        "buyer",
        (AWARDED,),
        "质疑只能在定标后、中标结果确定前答复。",
        "Challenges are answered after the award, before it is final.",
    ),
    # The contract after the award (§14).
    "settle": _a(
        "buyer", (AWARD_FINAL,), "中标结果确定后才能进行月度结算。", "Months are settled once the award is final."
    ),
    "confirm_settlement": _a(
        "vendor",
        (AWARD_FINAL,),
        "中标结果确定后才能确认月度结算。",
        "Settled months are confirmed once the award is final.",
    ),
    "dispute_settlement": _a(
        "vendor",
        (AWARD_FINAL,),
        "中标结果确定后才能对月度结算提出异议。",
        "A settled month is disputed once the award is final.",
    ),
    "correct_settlement": _a(
        "buyer",
        (AWARD_FINAL,),
        "中标结果确定后才能更正月度结算。",
        "A settled month is corrected once the award is final.",
    ),
    "uphold_settlement": _a(
        "buyer",
        (AWARD_FINAL,),
        "中标结果确定后才能答复月度结算的异议。",
        "A disputed month is answered once the award is final.",
    ),
}


def allowed(action: str, state: str, role: str | None = None) -> bool:
    """Whether ``action`` is allowed in ``state`` (to ``role`` when given)."""
    rule = ACTIONS[action]
    return state in rule.states and (role is None or role in rule.roles)


def refusal(action: str, facts: Facts, now: dt.datetime, role: str | None = None) -> Text | None:
    """Why ``action`` is refused now (``None`` when it is allowed): the state first, then the
    conditions some actions add (opening time, the single round, the challenge window)."""
    rule = ACTIONS[action]
    state = status_at(facts, now)
    if role is not None and role not in rule.roles:
        return Text("您的角色不能执行此操作。", "Your role cannot do this.")
    if state not in rule.states:
        return rule.refused
    if action == "open" and facts.opening_time is not None and now < facts.opening_time:
        return Text(
            "开标时间未到，任何人都不能提前开标。", "The opening time has not come: nobody can open the bids before it."
        )
    if action == "open_final_round":
        if not facts.final_offer:
            return Text("本项目不设最后报价轮次。", "This tender has no round of final offers.")
        if facts.final_round_held:
            return Text(
                "最后报价轮次只有一次，已经进行过。", "There is only one round of final offers, and it has been held."
            )
    if action == "challenge":
        end = challenge_window_end(facts)
        if end is None or now >= end:
            return Text("质疑期已过。", "The challenge window has passed.")
    return None


def may(action: str, facts: Facts, now: dt.datetime, role: str | None = None) -> bool:
    return refusal(action, facts, now, role) is None


# --------------------------------------------------------------------------- reading

# What a role may read, by state. "panel" is an evaluator assigned to the tender (its own
# two-envelope rule — prices after its technical scores — is applied by :func:`may_read`);
# "bidder" a vendor with a bid on the tender; "public" anyone, signed in or not.
READS: dict[str, dict[str, tuple[str, ...]]] = {
    "tender_notice": {
        "public": PUBLIC,
        "buyer": STATES,
        "vendor": PUBLIC,
        "bidder": PUBLIC,
        "panel": PUBLIC,
        "admin": STATES,
    },
    "bid_count": {"buyer": STATES},
    "own_bid": {"bidder": STATES},
    "bid_contents": {"buyer": UNSEALED, "panel": UNSEALED},
    "prices": {"buyer": UNSEALED, "panel": UNSEALED},
    "final_offers": {"buyer": (OPENED, SIGNING, *FINAL), "panel": (OPENED, SIGNING, *FINAL)},
    "opening_record": {"buyer": UNSEALED, "panel": UNSEALED, "bidder": UNSEALED},
    "results": {"buyer": UNSEALED, "panel": UNSEALED},
    "result_notice": {"buyer": NOTIFIED, "panel": NOTIFIED, "bidder": NOTIFIED, "public": NOTIFIED},
    # a failed tender (流标) tells each bidder its own line too: there is no award to wait for
    "own_scores": {"bidder": (FAILED, *NOTIFIED)},
    "panel": {"buyer": IN_PROCEDURE, "panel": IN_PROCEDURE},
    "audit_trail": {"admin": STATES},
    # The contract(s) the award made (§14): its buyer and the vendor holding it ("contractor").
    "contract": {"buyer": NOTIFIED, "contractor": NOTIFIED},
}


def may_read(
    what: str, role: str, state: str, *, technical_scores_submitted: bool = True, final_round_held: bool = False
) -> bool:
    """Whether ``role`` may read ``what`` in ``state``.

    An evaluator sees prices (and the other evaluators' scores) only after submitting its
    own technical scores (the two envelopes of §7.4). Final offers exist only once a round
    was held; before its offers are opened they are sealed like first bids (§12).
    """
    states = READS[what].get(role, ())
    if state not in states:
        return False
    if role == "panel" and what in ("prices", "results") and not technical_scores_submitted:
        return False
    if what == "final_offers" and not final_round_held:
        return False
    return True


# --------------------------------------------------------------------------- moving on

# The stored status each action leaves the tender in (the clock moves the derived ones).
AFTER = {
    "create": DRAFT,
    "publish": PUBLISHED,
    "open": OPENED,
    "reopen": OPENED,
    "uphold_challenge": OPENED,
    "award": AWARDED,
    "cancel": CANCELLED,
    "close_evaluation": SIGNING,
    # §12: the round runs until its deadline; its offers read, the evaluation goes on
    "open_final_round": FINAL_ROUND,
    "open_final_offers": OPENED,
}


def after(action: str) -> str:
    """The stored status a tender has once ``action`` is done: services write this, never a
    status of their own."""
    return AFTER[action]


def completed(result_status: str) -> str | None:
    """The status an evaluation takes once the chair has closed it and every sitting evaluator
    has signed the report (§15): ``evaluated`` when the result is ``ok``, ``failed`` below
    ``min_valid_bids`` (流标), None while the result is still ``pending`` (e.g. an abnormally
    low price undecided: then the chair cannot close it)."""
    return {"ok": EVALUATED, "failed": FAILED}.get(result_status)


def stored(states: tuple[str, ...]) -> tuple[str, ...]:
    """The stored statuses of ``states`` (a derived one stands for the one it derives from):
    for queries that filter on the stored column."""
    return tuple(dict.fromkeys(DERIVED.get(s, s) for s in states))


# --------------------------------------------------------------------------- where it stands


def final_round_matters(state: str) -> bool:
    """Whether the round of final offers (§12) can change what this state allows: the
    evaluation under way (before, between and after the round) and the round itself. The app
    reads the round's row only then."""
    return state in (OPENED, FINAL_ROUND)


def awaits_final_offers(facts: Facts) -> bool:
    """§12: a tender with a round of final offers is not complete until the round was held and
    its offers opened; the evaluation under way waits for it (the ranking uses the final offers)."""
    return facts.final_offer and not (facts.final_round_held and facts.status in (OPENED, *_AFTER_PANEL))


def before_opening(state: str) -> bool:
    """The bids (if any) are still in the sealed box: draft, open for bids, or closed."""
    return state in BEFORE_OPENING


def awaiting_opening(state: str) -> bool:
    """The bid deadline has passed and the bids are not opened yet (closed)."""
    return state == CLOSED


def under_evaluation(state: str) -> bool:
    """The panel is at work: the bids are opened and the evaluation is not over."""
    return state in _PANEL_AT_WORK


def is_awarded(state: str) -> bool:
    return state in NOTIFIED


def has_failed(state: str) -> bool:
    """Too few valid bids remained (流标)."""
    return state == FAILED


def sealed(state: str) -> bool:
    """Nobody reads a bid's contents in this state (before the opening, or cancelled)."""
    return state not in UNSEALED


def is_final(state: str) -> bool:
    return state in FINAL


def signing(state: str) -> bool:
    """The chair has closed the evaluation; the report waits for the panel's signatures."""
    return state == SIGNING


# --------------------------------------------------------------------------- a contract month (§14)
#
# A settled month waits for the vendor, who confirms it or disputes it with a reason within
# CONFIRM_WORKING_DAYS working days; past them, unanswered, it is deemed confirmed (derived
# from the clock, nothing written). A disputed month is corrected by the buyer (a new version
# that waits for the vendor again) or confirmed by the buyer as it stands.
#
#   awaiting_vendor ─(vendor confirms)→ confirmed
#   awaiting_vendor ─(vendor disputes)→ disputed ─(buyer corrects)→ awaiting_vendor (version + 1)
#                                               └(buyer confirms as it stands)→ confirmed
#   awaiting_vendor ─(5 working days pass)→ deemed_confirmed

MONTH_AWAITING, MONTH_CONFIRMED, MONTH_DISPUTED = "awaiting_vendor", "confirmed", "disputed"
MONTH_DEEMED = "deemed_confirmed"
MONTH_STATES = (MONTH_AWAITING, MONTH_DISPUTED, MONTH_CONFIRMED, MONTH_DEEMED)
MONTH_SETTLED = (MONTH_CONFIRMED, MONTH_DEEMED)  # the month's payable stands


@dataclass(frozen=True)
class MonthFacts:
    """What the lifecycle needs of one contract month's current version."""

    status: str  # a stored month state
    settled_at: dt.datetime  # when this version was settled (the vendor's 5 days run from it)


def confirm_deadline(facts: MonthFacts) -> dt.datetime:
    """The first instant the vendor is too late to confirm or dispute this version."""
    return working_days_after(facts.settled_at, CONFIRM_WORKING_DAYS)


def month_status_at(facts: MonthFacts, now: dt.datetime) -> str:
    if facts.status == MONTH_AWAITING and now >= confirm_deadline(facts):
        return MONTH_DEEMED
    return facts.status


MONTH_ACTIONS: dict[str, Action] = {
    "confirm_settlement": _a(
        "vendor",
        (MONTH_AWAITING,),
        "该月结算不在待供应商确认状态。",
        "This month is not awaiting the vendor's confirmation.",
    ),
    "dispute_settlement": _a(
        "vendor",
        (MONTH_AWAITING,),
        "该月结算不在待供应商确认状态，不能提出异议。",
        "This month is not awaiting the vendor: it can no longer be disputed.",
    ),
    "correct_settlement": _a(
        "buyer",
        (MONTH_DISPUTED,),
        "只有供应商提出异议的月份才能更正。",
        "Only a month the vendor disputed can be corrected.",
    ),
    "uphold_settlement": _a(
        "buyer",
        (MONTH_DISPUTED,),
        "只有供应商提出异议的月份才能按原结算确认。",
        "Only a month the vendor disputed can be confirmed as it stands.",
    ),
}
MONTH_AFTER = {
    "settle": MONTH_AWAITING,
    "correct_settlement": MONTH_AWAITING,
    "confirm_settlement": MONTH_CONFIRMED,
    "dispute_settlement": MONTH_DISPUTED,
    "uphold_settlement": MONTH_CONFIRMED,
}


def month_refusal(action: str, facts: MonthFacts, now: dt.datetime, role: str | None = None) -> Text | None:
    """Why ``action`` is refused on this contract month now (None when allowed). The tender's
    own rule (:func:`refusal`: the award must be final) is asked separately."""
    rule = MONTH_ACTIONS[action]
    if role is not None and role not in rule.roles:
        return Text("您的角色不能执行此操作。", "Your role cannot do this.")
    state = month_status_at(facts, now)
    if state == MONTH_DEEMED and action in ("confirm_settlement", "dispute_settlement"):
        return Text(
            f"确认期（结算后 {CONFIRM_WORKING_DAYS} 个工作日）已过，该月结算视为已确认。",
            f"The {CONFIRM_WORKING_DAYS} working days to answer have passed: the month is deemed confirmed.",
        )
    if state not in rule.states:
        return rule.refused
    return None


def month_after(action: str) -> str:
    """The stored state a contract month's version has once ``action`` is done."""
    return MONTH_AFTER[action]


def month_settled(state: str) -> bool:
    """The month's payable stands: confirmed by either side, or deemed confirmed."""
    return state in MONTH_SETTLED


def month_awaits_vendor(state: str) -> bool:
    return state == MONTH_AWAITING


def month_disputed(state: str) -> bool:
    return state == MONTH_DISPUTED
