"""The award (定标): the buyer confirms the winners of a final evaluation; vendors see
the outcome of their own bid, and of no other.

The proposal is the result's ``awards`` (rank order, with the shares of §9.6; one winner
with share 1 by default). The buyer normally confirms it as proposed; choosing another
ranked bid for a share needs a written reason. Refused while the result is pending or
failed. The tender becomes ``awarded``; the confirmation is audited.
"""

from __future__ import annotations

import json

from flask_babel import gettext as _
from sqlalchemy import select

from scoring import Problem, lifecycle
from tender.contracts.service import create_for_award
from tender.models import AwardDecision, Bid, Tender, User, utcnow
from tender.platform import audit
from tender.platform.extensions import db
from tender.services import Invalid, NotFound, WrongState, opening, require
from tender.services import results as results_service
from tender.services.tenders import get_own


def decision_for(tender: Tender) -> AwardDecision | None:
    return db.session.scalars(select(AwardDecision).where(AwardDecision.tender_id == tender.id)).first()


def proposal(tender: Tender):
    """The result and the award it proposes, as ``[{vendor, rank, share, bid}]``."""
    result = results_service.result(tender)
    bid_of = {item.vendor_name: item.bid.public_id for item in opening.opened_bids(tender)}
    return result, [{**award, "bid": bid_of[award["vendor"]]} for award in result.awards]


def confirm(buyer: User, tender_public_id: str, chosen: list[str] | None = None, reason: str = "") -> AwardDecision:
    """Confirm the award; ``chosen`` lists a bid public id per share (None: as proposed)."""
    tender = get_own(buyer, tender_public_id)
    if lifecycle.is_awarded(tender.current_status):
        raise WrongState(_("The award is already confirmed."))
    require(tender, "award")
    result, proposed = proposal(tender)
    if result.status != "ok" or not proposed:
        raise WrongState(_("The award can be confirmed only once the evaluation is final (it is still pending)."))
    chosen = chosen or [a["bid"] for a in proposed]
    ranked = {item.bid.public_id: item.vendor_name for item in opening.opened_bids(tender)}
    # The ranks a chosen bid may hold: in the award's lot for a tender divided into lots (§13).
    rank_of = (
        {(lot.lot.id, b.vendor): b.rank for lot in result.lots for b in lot.result.ranked}
        if result.tender.lots
        else {("", b.vendor): b.rank for b in result.ranked}
    )
    places = [(award.get("lot", ""), pid) for pid, award in zip(chosen, proposed)]
    if (
        len(chosen) != len(proposed)
        or len(set(places)) != len(places)
        or any((lot, ranked.get(pid)) not in rank_of for lot, pid in places)
    ):
        raise Invalid(
            [
                Problem(
                    "winners",
                    "请为每个份额选择一个不同的、已排名的有效投标",
                    "choose a different ranked, valid bid for each share",
                )
            ]
        )
    deviates = [pid for pid, award in zip(chosen, proposed) if pid != award["bid"]]
    if deviates and not reason.strip():
        raise Invalid(
            [
                Problem(
                    "reason",
                    "未按排名第一（依次）确定中标人时，须写明理由",
                    "awarding to another bid than the one ranked first (in order) needs a reason",
                )
            ]
        )
    awards = [
        {
            **({"lot": award["lot"]} if "lot" in award else {}),
            "bid": pid,
            "vendor": ranked[pid],
            "rank": rank_of[(award.get("lot", ""), ranked[pid])],
            "share": award["share"],
        }
        for pid, award in zip(chosen, proposed)
    ]
    now = utcnow()
    decision = AwardDecision(
        tender_id=tender.id,
        awards_json=json.dumps(awards, ensure_ascii=False),
        reason=reason.strip(),
        confirmed_by_id=buyer.id,
        confirmed_at=now,
    )
    db.session.add(decision)
    tender.status = lifecycle.after("award")
    create_for_award(buyer, tender, awards)
    audit.record(
        buyer,
        "award_confirmed",
        f"tender:{tender.public_id}",
        awards=awards,
        proposed=[
            {**({"lot": a["lot"]} if "lot" in a else {}), "bid": a["bid"], "vendor": a["vendor"], "rank": a["rank"]}
            for a in proposed
        ],
        reason=reason.strip(),
    )
    # the result notice (中标结果公告) is published with the award, and every bidder told (§16)
    from tender.services import challenges

    challenges.publish_notice(tender, buyer, now)
    db.session.commit()
    return decision


def vendor_outcome(vendor: User, bid_public_id: str) -> dict:
    """What a vendor may know of its own bid after the evaluation: its own line, nothing else."""
    bid = db.session.scalars(select(Bid).where(Bid.public_id == bid_public_id)).first()
    if bid is None or bid.vendor_id != vendor.id:
        raise NotFound()
    tender = bid.tender
    status = tender.current_status
    outcome = {
        "bid": bid,
        "tender": tender,
        "status": status,
        "opened": None,
        "line": None,
        "award": None,
        "before_opening": lifecycle.before_opening(status),
        "failed": lifecycle.has_failed(status),
        "notice": None,
        "challenges": [],
        "criteria": [],
        "may_challenge": False,
        "opening_record": False,
    }
    if not tender.readable("opening_record", "bidder"):
        return outcome
    item = next((i for i in opening.opened_bids(tender) if i.bid_id == bid.id), None)
    outcome["opened"] = item
    outcome["opening_record"] = item is not None
    outcome["may_challenge"] = item is not None and tender.may("challenge", "vendor")  # a bidder whose bid was opened
    if tender.readable("own_scores", "bidder") and item is not None and item.status == "ok":
        result = results_service.result(tender)
        data = result.to_json()
        decision = decision_for(tender)
        if "lots" in data:  # §13: its own line in each lot it bid for, and the lots it won
            outcome["lot_lines"] = [
                {
                    "lot": lot["id"],
                    "name": lot["name"],
                    "ranked_count": lot["valid_bids"],
                    **{k: line.get(k) for k in ("valid", "monthly_cost", "total", "rank")},
                    "reasons": result.lot(lot["id"]).result.bid(item.vendor_name).reasons,
                    "award": next(
                        (a for a in decision.awards if a["bid"] == bid.public_id and a.get("lot") == lot["id"]), None
                    )
                    if decision is not None
                    else None,
                }
                for lot in data["lots"]
                for line in lot["bids"]
                if line["vendor"] == item.vendor_name
            ]
            if decision is not None:
                outcome["awarded_at"] = decision.confirmed_at
        else:
            _own_line(outcome, result, data, item, bid, decision)
    if tender.readable("result_notice", "bidder"):
        from tender.services import challenges

        outcome["notice"] = {
            "at": tender.notice_at,
            "winners": challenges.winners(tender),
            "window_end": challenges.window_end(tender),
            "window_last_minute": challenges.last_minute(challenges.window_end(tender)),
        }
    if item is not None:
        from tender.services import challenges

        outcome["challenges"] = challenges.own_challenges(vendor, bid)
    return outcome


def _own_line(outcome: dict, result, data: dict, item, bid: Bid, decision: AwardDecision | None) -> None:
    """The vendor's own line of an undivided tender's result, and its award."""
    line = next(b for b in data["bids"] if b["vendor"] == item.vendor_name)
    outcome["line"] = {k: line.get(k) for k in ("valid", "monthly_cost", "scores", "total", "rank")}
    outcome["criteria"] = [(c.id, c.title, c.weight) for c in result.tender.criteria]
    outcome["line"]["reasons"] = result.bid(item.vendor_name).reasons  # Texts: the page picks one language
    outcome["ranked_count"] = data["valid_bids"]
    if decision is not None:
        outcome["award"] = next((a for a in decision.awards if a["bid"] == bid.public_id), None)
        outcome["awarded_at"] = decision.confirmed_at
