"""The panel decides together (评标委员会, domain §15, with the explanation of §16).

- The buyer names the chair (组长) among the panel's evaluators; the first evaluator
  assigned is the chair until the buyer names another.
- A qualification or conformity override, a band (档次) and an abnormal-low decision are
  proposals: the proposer agrees by proposing, every other member votes agree / disagree
  with a reason, one vote each; a proposal passes with a majority of the whole panel
  (:mod:`scoring.panel_rules`) and only then is its decision row written — the evaluation
  reads nothing else. In a tender divided into lots (§13) each proposal, and the decision it
  writes, is for one lot of the bid (``lot``; "" in an undivided tender).
- A flagged vendor is asked to explain its abnormally low price by a deadline; no decision
  on that price is proposed while the request is unanswered and its deadline ahead.
- A score more than a third of the weight from the panel mean goes back to its evaluator
  to confirm (with a reason) or correct (a correction carries its reason).
- The chair closes the evaluation (→ ``signing``) when every score is in, every proposal
  decided, every outlier confirmed and no abnormally low price undecided; each member then
  signs the report by re-entering its password; the last signature makes the tender
  ``evaluated`` (or ``failed``). A reopening voids the signatures.

Every change is audited in its transaction; the members concerned are notified.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from scoring import Problem, lifecycle, panel_rules
from scoring.text import Text
from tender.documents.attachment_check import check_attachment
from tender.documents.upload_check import decoded_name
from tender.models import (
    AbnormalLowDecision,
    AgreedBand,
    Bid,
    EvaluatorAssignment,
    ExplanationFile,
    ExplanationRequest,
    OpenedBid,
    OutlierConfirmation,
    PanelProposal,
    PanelVote,
    QualificationOverride,
    ReportSignature,
    SubjectiveScore,
    Tender,
    User,
    utcnow,
)
from tender.notifications.service import notify, path_for
from tender.platform import audit, storage
from tender.platform.extensions import db
from tender.services import Forbidden, Invalid, NotFound, WrongState, opening, require
from tender.services import results as results_service
from tender.services.tenders import get_own

KINDS = ("override", "band", "abnormal_low")
MAX_EXPLANATION_FILES = 5


# --------------------------------------------------------------------------- the chair


def chair(tender: Tender) -> EvaluatorAssignment | None:
    """The chair among the evaluators sitting on the panel (None when none is named or it recused)."""
    return next((a for a in opening.sitting(tender) if a.chair), None)


def chair_name(tender: Tender) -> str:
    found = chair(tender)
    return found.evaluator.name if found else ""


def name_chair(buyer: User, tender_public_id: str, evaluator_public_id: str) -> EvaluatorAssignment:
    """The buyer names the chair among the sitting evaluators (the former chair steps down)."""
    tender = get_own(buyer, tender_public_id)
    require(tender, "name_chair")
    members = opening.panel(tender)
    named = next((a for a in members if a.evaluator.public_id == evaluator_public_id), None)
    if named is None:
        raise NotFound()
    if named.recused:
        raise WrongState(_("%(name)s recused and cannot chair the panel.", name=named.evaluator.name))
    former = next((a for a in members if a.chair), None)
    for a in members:
        a.chair = a is named
    audit.record(
        buyer,
        "chair_named",
        f"tender:{tender.public_id}",
        chair=named.evaluator.email,
        name=named.evaluator.name,
        former=former.evaluator.email if former and former is not named else None,
    )
    db.session.commit()
    return named


# --------------------------------------------------------------------------- membership


def _member(evaluator: User, tender_public_id: str) -> tuple[EvaluatorAssignment, Tender]:
    """The evaluator's seat on the panel, once it may see the bids (404 for a non-member)."""
    from tender.services import panel

    assignment = panel.assignment_for(evaluator, tender_public_id)
    return assignment, panel.require_bids_visible(assignment)


def _at_work(evaluator: User, tender_public_id: str, action: str) -> tuple[EvaluatorAssignment, Tender]:
    from tender.services import panel

    assignment, tender = _member(evaluator, tender_public_id)
    panel._require_open_evaluation(assignment, action)
    return assignment, tender


def _needs_prices(assignment: EvaluatorAssignment) -> None:
    from tender.services import panel

    panel.require_prices_visible(assignment)


# --------------------------------------------------------------------------- proposals


def proposals(tender: Tender) -> list[PanelProposal]:
    return list(
        db.session.scalars(select(PanelProposal).where(PanelProposal.tender_id == tender.id).order_by(PanelProposal.id))
    )


def open_proposals(tender: Tender) -> list[PanelProposal]:
    return [p for p in proposals(tender) if p.outcome == panel_rules.OPEN]


def tally(proposal: PanelProposal, tender: Tender) -> panel_rules.Tally:
    members = {a.evaluator_id for a in opening.sitting(tender)}
    return panel_rules.tally(
        len(members), {v.evaluator_id: v.agree for v in proposal.votes if v.evaluator_id in members}
    )


def board(tender: Tender) -> list[dict]:
    """Every proposal with its votes so far, its tally and who has not voted yet."""
    members = opening.sitting(tender)
    vendor_of = {item.bid_id: item.vendor_name for item in opening.opened_bids(tender)}
    rows = []
    for proposal in proposals(tender):
        voted = {v.evaluator_id for v in proposal.votes}
        rows.append(
            {
                "proposal": proposal,
                "tally": tally(proposal, tender),
                "votes": proposal.votes,
                "vendor": vendor_of.get(proposal.bid_id, ""),
                "lot": proposal.lot,
                "not_voted": [a.evaluator for a in members if a.evaluator_id not in voted],
                "what": describe(proposal, tender),
            }
        )
    return rows


def describe(proposal: PanelProposal, tender: Tender) -> Text:
    """What a proposal would decide, in words (for its page and the vote notification); in a
    tender divided into lots the vendor is named with the lot (``L1 · vendor``)."""
    vendor = next((item.vendor_name for item in opening.opened_bids(tender) if item.bid_id == proposal.bid_id), "")
    if proposal.lot:
        vendor = f"{proposal.lot} · {vendor}"
    if proposal.kind == "override":
        passed = proposal.value == "pass"
        return Text(
            f"{vendor}：资格/符合性条件“{proposal.subject}”改判为{'通过' if passed else '不通过'}",
            f"{vendor}: the qualification or conformity rule '{proposal.subject}' {'passes' if passed else 'fails'}",
        )
    if proposal.kind == "band":
        criterion = results_service.inputs(tender).tender.criterion(proposal.subject)
        title = criterion.title if criterion else Text.same(proposal.subject)
        return Text(
            f"{vendor}：“{title.zh}”定为{proposal.value}", f"{vendor}: '{title.en}' in the band {proposal.value}"
        )
    accept = proposal.value == "accept"
    return Text(
        f"{vendor}：异常低价{'予以接受' if accept else '予以否决（不参与排名）'}",
        f"{vendor}: the abnormally low price is {'accepted' if accept else 'rejected (not ranked)'}",
    )


def propose(
    evaluator: User,
    tender_public_id: str,
    kind: str,
    bid_public_id: str,
    subject: str,
    value: str,
    reason: str,
    lot: str = "",
) -> PanelProposal:
    """Put a decision to the panel's vote; the proposer's own vote (agree, with the reason) is
    cast with it. ``lot``: in a tender divided into lots (§13), the lot of the bid it is for."""
    if kind not in KINDS:
        raise NotFound()
    assignment, tender = _at_work(evaluator, tender_public_id, "propose")
    item = opening.opened_bid(tender, bid_public_id)
    lot = (lot or "").strip()
    _check_lot(tender, item, lot)
    reason = (reason or "").strip()
    _check(kind, tender, assignment, item, subject, value, reason, lot)
    if any(
        p.kind == kind and p.bid_id == item.bid_id and p.lot == lot and p.subject == subject
        for p in open_proposals(tender)
    ):
        raise WrongState(_("A proposal on this is already being voted on: vote on it first."))
    proposal = PanelProposal(
        tender_id=tender.id,
        kind=kind,
        bid_id=item.bid_id,
        lot=lot,
        subject=subject,
        value=value,
        reason=reason,
        proposed_by_id=evaluator.id,
    )
    db.session.add(proposal)
    db.session.flush()
    db.session.add(PanelVote(proposal=proposal, evaluator_id=evaluator.id, agree=True, reason=reason))
    audit.record(
        evaluator,
        "proposal_made",
        f"bid:{item.bid.public_id}",
        tender=tender.public_id,
        proposal=proposal.public_id,
        kind=kind,
        **({"lot": lot} if lot else {}),
        subject=subject,
        value=value,
        reason=reason,
    )
    db.session.flush()
    _settle(proposal, tender, evaluator)
    if proposal.outcome == panel_rules.OPEN:
        others = [a.evaluator for a in opening.sitting(tender) if a.evaluator_id != evaluator.id]
        notify(
            others,
            "vote_waiting",
            tender,
            link=path_for("panel.proposals", public_id=tender.public_id),
            proposal=describe(proposal, tender),
        )
    db.session.commit()
    return proposal


def _check_lot(tender: Tender, item, lot: str) -> None:
    """The lot a proposal is for: in a tender divided into lots (§13) one of its lots that the
    bid bids for; in an undivided tender none. Refused with the reason, before anything is written."""
    inputs = results_service.inputs(tender)
    ids = [each.id for each in inputs.tender.lots]
    if not ids:
        if lot:
            raise Invalid(
                [
                    Problem(
                        "lot",
                        f"本项目不分标包，没有标包“{lot}”",
                        f"this tender is not divided into lots: no lot '{lot}'",
                    )
                ]
            )
        return
    if not lot:
        raise Invalid([Problem("lot", "请指明标包", "name the lot the proposal is for")])
    if lot not in ids:
        raise Invalid(
            [
                Problem(
                    "lot",
                    f"本项目没有标包“{lot}”（标包：{'、'.join(ids)}）",
                    f"the tender has no lot '{lot}' (lots: {', '.join(ids)})",
                )
            ]
        )
    if item.bid_id not in {each.bid_id for each in results_service.bids_in_lot(inputs.items, inputs.contents, lot)}:
        raise Invalid(
            [
                Problem(
                    "lot",
                    f"{item.vendor_name}未投标包“{lot}”",
                    f"{item.vendor_name} does not bid for lot '{lot}'",
                )
            ]
        )


def _check(kind, tender, assignment, item, subject, value, reason, lot="") -> None:
    """Refuse a proposal that could never take effect (a rule that does not exist, a band not
    on the criterion, a price not flagged in that lot …) before anybody votes on it."""
    if not reason:
        raise Invalid([Problem("reason", "提议须写明理由", "a proposal needs a written reason")])
    inputs = results_service.inputs(tender)
    if kind == "override":
        line = results_service.line_in(results_service.without_overrides(inputs), item.vendor_name, lot)
        automatic = {r.rule.name for r in line.review.rules}
        if subject not in automatic:
            raise NotFound()
        if value not in ("pass", "fail"):
            raise Invalid([Problem("passed", "请选择通过或不通过", "choose pass or fail")])
    elif kind == "band":
        criterion = inputs.tender.criterion(subject)
        if criterion is None or not criterion.bands:
            raise NotFound()
        band = criterion.band(value)
        if band is None:
            raise Invalid(
                [
                    Problem(
                        "label", f"“{criterion.name}”没有档次“{value}”", f"'{criterion.title.en}' has no band '{value}'"
                    )
                ]
            )
        _scores_inside(tender, item.bid_id, subject, band, lot)
    else:
        _needs_prices(assignment)
        if value not in ("accept", "reject"):
            raise Invalid([Problem("decision", "请选择接受或否决", "choose accept or reject")])
        line = results_service.line_in(results_service.result(tender), item.vendor_name, lot)
        if "abnormal_low" not in line.flags:
            raise WrongState(_("This bid's price is not abnormally low."))
        request = explanation_request(tender, item.bid_id)
        if request is not None and awaiting_answer(request):
            raise WrongState(
                _(
                    "The vendor's explanation is awaited until %(deadline)s: the panel decides after "
                    "it arrives or after that deadline.",
                    deadline=_shanghai(request.deadline),
                )
            )


def _scores_inside(tender: Tender, bid_id: int, criterion_id: str, band, lot: str = "") -> None:
    submitted = {a.evaluator_id for a in opening.sitting(tender) if a.submitted_at is not None}
    scored = db.session.scalars(
        select(SubjectiveScore).where(
            SubjectiveScore.tender_id == tender.id,
            SubjectiveScore.bid_id == bid_id,
            SubjectiveScore.lot == lot,
            SubjectiveScore.criterion_id == criterion_id,
            SubjectiveScore.evaluator_id.in_(submitted or {0}),
        )
    )
    if any(not band.holds(Decimal(row.value)) for row in scored):
        raise WrongState(_("Submitted scores lie outside this band: correct them first, with a reason."))


def vote(evaluator: User, tender_public_id: str, proposal_public_id: str, agree: bool, reason: str) -> PanelVote:
    """One member's vote, with its reason. Refused: a second vote, a vote on a decided
    proposal; a non-member is answered 404 (as for a tender it cannot see)."""
    assignment, tender = _member(evaluator, tender_public_id)
    proposal = db.session.scalars(
        select(PanelProposal).where(PanelProposal.public_id == proposal_public_id, PanelProposal.tender_id == tender.id)
    ).first()
    if proposal is None:
        raise NotFound()
    from tender.services import panel

    panel._require_open_evaluation(assignment, "vote")
    if proposal.kind == "abnormal_low":
        _needs_prices(assignment)
    if proposal.outcome != panel_rules.OPEN:
        raise WrongState(_("This proposal is already decided: votes are no longer taken."))
    if any(v.evaluator_id == evaluator.id for v in proposal.votes):
        raise WrongState(_("You have already voted on this proposal: each member votes once."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid([Problem("reason", "表决须写明理由", "a vote needs a written reason")])
    row = PanelVote(proposal=proposal, evaluator_id=evaluator.id, agree=agree, reason=reason)
    db.session.add(row)
    audit.record(
        evaluator,
        "vote_cast",
        f"bid:{proposal.bid.public_id}",
        tender=tender.public_id,
        proposal=proposal.public_id,
        **({"lot": proposal.lot} if proposal.lot else {}),
        agree=agree,
        reason=reason,
    )
    db.session.flush()
    db.session.refresh(proposal)
    _settle(proposal, tender, evaluator)
    db.session.commit()
    return row


def _settle(proposal: PanelProposal, tender: Tender, actor) -> None:
    """Decide the proposal once the tally says so; a passed one writes its decision row."""
    counted = tally(proposal, tender)
    if counted.outcome == panel_rules.OPEN:
        return
    proposal.outcome = counted.outcome
    proposal.decided_at = utcnow()
    audit.record(
        actor,
        "proposal_decided",
        f"bid:{proposal.bid.public_id}",
        tender=tender.public_id,
        proposal=proposal.public_id,
        **({"lot": proposal.lot} if proposal.lot else {}),
        outcome=counted.outcome,
        agree=counted.agree,
        disagree=counted.disagree,
        members=counted.members,
    )
    if counted.outcome == panel_rules.PASSED:
        _apply(proposal, tender)
    db.session.flush()


def _apply(proposal: PanelProposal, tender: Tender) -> None:
    """Write what a passed proposal decided: the rows the evaluation reads."""
    if proposal.kind == "override":
        inputs = results_service.inputs(tender)
        vendor = next(i.vendor_name for i in inputs.items if i.bid_id == proposal.bid_id)
        line = results_service.line_in(results_service.without_overrides(inputs), vendor, proposal.lot)
        automatic = {r.rule.name: r.passed for r in line.review.rules}
        passed = proposal.value == "pass"
        row = db.session.scalars(
            select(QualificationOverride).where(
                QualificationOverride.tender_id == tender.id,
                QualificationOverride.bid_id == proposal.bid_id,
                QualificationOverride.lot == proposal.lot,
                QualificationOverride.rule == proposal.subject,
            )
        ).first()
        if passed == automatic.get(proposal.subject):
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(
                QualificationOverride(
                    tender_id=tender.id,
                    bid_id=proposal.bid_id,
                    lot=proposal.lot,
                    rule=proposal.subject,
                    passed=passed,
                    reason=proposal.reason,
                    evaluator_id=proposal.proposed_by_id,
                )
            )
        else:
            row.passed, row.reason, row.evaluator_id, row.at = (
                passed,
                proposal.reason,
                proposal.proposed_by_id,
                utcnow(),
            )
    elif proposal.kind == "band":
        row = db.session.scalars(
            select(AgreedBand).where(
                AgreedBand.tender_id == tender.id,
                AgreedBand.bid_id == proposal.bid_id,
                AgreedBand.lot == proposal.lot,
                AgreedBand.criterion_id == proposal.subject,
            )
        ).first()
        if row is None:
            db.session.add(
                AgreedBand(
                    tender_id=tender.id,
                    bid_id=proposal.bid_id,
                    lot=proposal.lot,
                    criterion_id=proposal.subject,
                    label=proposal.value,
                    recorded_by_id=proposal.proposed_by_id,
                )
            )
        else:
            row.label, row.recorded_by_id, row.at = proposal.value, proposal.proposed_by_id, utcnow()
    else:
        row = db.session.scalars(
            select(AbnormalLowDecision).where(
                AbnormalLowDecision.tender_id == tender.id,
                AbnormalLowDecision.bid_id == proposal.bid_id,
                AbnormalLowDecision.lot == proposal.lot,
            )
        ).first()
        if row is None:
            db.session.add(
                AbnormalLowDecision(
                    tender_id=tender.id,
                    bid_id=proposal.bid_id,
                    lot=proposal.lot,
                    decision=proposal.value,
                    note=proposal.reason,
                    decided_by_id=proposal.proposed_by_id,
                )
            )
        else:
            row.decision, row.note, row.decided_by_id, row.decided_at = (
                proposal.value,
                proposal.reason,
                proposal.proposed_by_id,
                utcnow(),
            )


# --------------------------------------------------------------------------- the vendor's explanation (§16)


def _shanghai(when: dt.datetime) -> str:
    from tender.platform.timefmt import to_shanghai

    return f"{to_shanghai(when):%Y-%m-%d %H:%M}"


def explanation_request(tender: Tender, bid_id: int) -> ExplanationRequest | None:
    return db.session.scalars(
        select(ExplanationRequest).where(ExplanationRequest.tender_id == tender.id, ExplanationRequest.bid_id == bid_id)
    ).first()


def explanation_requests(tender: Tender) -> dict[int, ExplanationRequest]:
    return {
        r.bid_id: r
        for r in db.session.scalars(select(ExplanationRequest).where(ExplanationRequest.tender_id == tender.id))
    }


def awaiting_answer(request: ExplanationRequest, now: dt.datetime | None = None) -> bool:
    """The vendor may still answer: not answered, and the deadline not reached."""
    return request.answered_at is None and (now or utcnow()) < request.deadline


def request_explanation(
    evaluator: User, tender_public_id: str, bid_public_id: str, deadline: dt.datetime, question: str
) -> ExplanationRequest:
    """Ask the flagged vendor to explain its price by ``deadline`` (an aware time in the future)."""
    assignment, tender = _at_work(evaluator, tender_public_id, "request_explanation")
    _needs_prices(assignment)
    item = opening.opened_bid(tender, bid_public_id)
    if "abnormal_low" not in results_service.result(tender).bid(item.vendor_name).flags:
        raise WrongState(_("This bid's price is not abnormally low."))
    if explanation_request(tender, item.bid_id) is not None:
        raise WrongState(_("An explanation has already been requested from this vendor."))
    if deadline is None or deadline <= utcnow():
        raise Invalid([Problem("deadline", "截止时间须晚于现在", "the deadline must be later than now")])
    request = ExplanationRequest(
        tender_id=tender.id,
        bid_id=item.bid_id,
        deadline=deadline,
        question=(question or "").strip(),
        requested_by_id=evaluator.id,
    )
    db.session.add(request)
    audit.record(
        evaluator,
        "explanation_requested",
        f"bid:{item.bid.public_id}",
        tender=tender.public_id,
        deadline=deadline.isoformat(),
        question=request.question,
    )
    notify(
        [item.bid.vendor],
        "explanation_requested",
        tender,
        link=path_for("bids.bid", bid_id=item.bid.public_id),
        deadline=deadline,
    )
    db.session.commit()
    return request


def request_for_vendor(bid: Bid) -> ExplanationRequest | None:
    """The request addressed to the vendor of ``bid`` (its own bid: the caller checked)."""
    return db.session.scalars(select(ExplanationRequest).where(ExplanationRequest.bid_id == bid.id)).first()


def explain(vendor: User, bid_public_id: str, answer: str, files: list[tuple[str, bytes]]) -> ExplanationRequest:
    """The vendor's written explanation with its files (PDF, JPG, PNG), once, before the deadline."""
    from tender.services.bids import own_bid

    bid = own_bid(vendor, bid_public_id)
    request = request_for_vendor(bid)
    if request is None:
        raise NotFound()
    require(bid.tender, "explain", "vendor")
    if request.answered_at is not None:
        raise WrongState(_("Your explanation has been sent: it cannot be changed."))
    if utcnow() >= request.deadline:
        raise WrongState(
            _("The deadline for the explanation has passed (%(deadline)s).", deadline=_shanghai(request.deadline))
        )
    answer = (answer or "").strip()
    if not answer:
        raise Invalid([Problem("answer", "请写明澄清说明", "write your explanation")])
    files = [(name, data) for name, data in files if name or data]
    if len(files) > MAX_EXPLANATION_FILES:
        raise Invalid(
            [Problem("files", f"最多附 {MAX_EXPLANATION_FILES} 个文件", f"at most {MAX_EXPLANATION_FILES} files")]
        )
    checked = []
    for name, data in files:
        content_type = check_attachment(name, data)  # UploadRefused: nothing is kept
        shown = decoded_name(name)
        checked.append((shown, content_type, data))
    for shown, content_type, data in checked:
        db.session.add(
            ExplanationFile(
                request=request,
                filename=shown,
                content_type=content_type,
                size=len(data),
                sha256=storage.sha256_hex(data),
                blob=storage.seal(data, f"explanation:{request.id}"),
            )
        )
    request.answer = answer
    request.answered_at = utcnow()
    audit.record(
        vendor,
        "explanation_sent",
        f"bid:{bid.public_id}",
        tender=bid.tender.public_id,
        files={shown: storage.sha256_hex(data) for shown, _ct, data in checked},
    )
    tender = bid.tender
    notify(
        [a.evaluator for a in opening.sitting(tender)],
        "explanation_received",
        tender,
        link=path_for("panel.abnormal_low", public_id=tender.public_id),
        vendor=db.session.scalars(select(OpenedBid.vendor_name).where(OpenedBid.bid_id == bid.id)).first() or "",
        files=len(checked),
    )
    db.session.commit()
    return request


def explanation_file(user: User, file_public_id: str) -> tuple[ExplanationFile, bytes]:
    """A file of an explanation, for its vendor or a member of the panel who sees prices."""
    row = db.session.scalars(select(ExplanationFile).where(ExplanationFile.public_id == file_public_id)).first()
    if row is None:
        raise NotFound()
    request = row.request
    if user.role == "vendor":
        if request.bid.vendor_id != user.id:
            raise NotFound()
    elif user.role == "evaluator":
        from tender.services import panel

        assignment = panel.assignment_for(user, request.bid.tender.public_id)
        panel.require_prices_visible(assignment)
    else:
        raise NotFound()
    return row, storage.unseal(row.blob, f"explanation:{request.id}")


# --------------------------------------------------------------------------- outliers (畸高畸低)


def outliers(tender: Tender) -> list[dict]:
    """Each submitted score more than a third of the weight from the panel mean of its bid and
    criterion, with whether its evaluator confirmed (or corrected) it: ``{"evaluator_id", "bid_id",
    "criterion", "score", "mean", "limit", "confirmed"}``."""
    members = {a.evaluator_id for a in opening.sitting(tender) if a.submitted_at is not None}
    if len(members) < 2:
        return []
    criteria = {c.id: c for c in results_service.inputs(tender).tender.subjective_criteria}
    cells: dict[tuple[int, str, str], dict[int, Decimal]] = {}  # (bid, lot of §13 or "", criterion)
    for row in db.session.scalars(select(SubjectiveScore).where(SubjectiveScore.tender_id == tender.id)):
        if row.evaluator_id in members and row.criterion_id in criteria:
            try:
                cells.setdefault((row.bid_id, row.lot, row.criterion_id), {})[row.evaluator_id] = Decimal(row.value)
            except InvalidOperation:
                continue
    confirmed = {
        (c.evaluator_id, c.bid_id, c.criterion_id, Decimal(c.value))
        for c in db.session.scalars(select(OutlierConfirmation).where(OutlierConfirmation.tender_id == tender.id))
    }
    found = []
    for (bid_id, lot, cid), scores in sorted(cells.items()):
        for o in panel_rules.outliers(scores, criteria[cid].weight):
            found.append(
                {
                    "evaluator_id": o.evaluator,
                    "bid_id": bid_id,
                    "lot": lot,
                    "criterion": criteria[cid],
                    "score": o.score,
                    "mean": o.mean.quantize(Decimal("0.01")),
                    "limit": o.limit.quantize(Decimal("0.01")),
                    "confirmed": (o.evaluator, bid_id, cid, o.score) in confirmed,
                }
            )
    return found


def confirm_outlier(
    evaluator: User, tender_public_id: str, bid_public_id: str, criterion_id: str, reason: str
) -> OutlierConfirmation:
    """The evaluator stands by its outlying score, with a reason."""
    assignment, tender = _at_work(evaluator, tender_public_id, "confirm_outlier")
    item = opening.opened_bid(tender, bid_public_id)
    mine = [
        o
        for o in outliers(tender)
        if o["evaluator_id"] == evaluator.id and o["bid_id"] == item.bid_id and o["criterion"].id == criterion_id
    ]
    if not mine:
        raise WrongState(_("This score is not far from the panel mean: there is nothing to confirm."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid([Problem("reason", "确认须写明理由", "a confirmation needs a written reason")])
    row = note_outlier(tender, evaluator, item.bid_id, criterion_id, str(mine[0]["score"]), reason)
    audit.record(
        evaluator,
        "outlier_confirmed",
        f"bid:{item.bid.public_id}",
        tender=tender.public_id,
        criterion=criterion_id,
        score=str(mine[0]["score"]),
        mean=str(mine[0]["mean"]),
        reason=reason,
    )
    db.session.commit()
    return row


def note_outlier(
    tender: Tender, evaluator: User, bid_id: int, criterion_id: str, value: str, reason: str
) -> OutlierConfirmation:
    """Record that the evaluator stands by ``value`` (a confirmation, or a correction with its reason)."""
    row = OutlierConfirmation(
        tender_id=tender.id,
        evaluator_id=evaluator.id,
        bid_id=bid_id,
        criterion_id=criterion_id,
        value=value,
        reason=reason,
    )
    db.session.add(row)
    return row


# --------------------------------------------------------------------------- closing and signing


def close_blockers(tender: Tender) -> list[str]:
    """Why the evaluation cannot be closed yet (empty: it can), in the reader's language."""
    names = results_service.panel_names(tender)
    members = opening.sitting(tender)
    why = []
    waiting = [names.get(a.evaluator_id, a.evaluator.name) for a in members if a.submitted_at is None]
    if waiting:
        why.append(_("Scores not yet submitted by: %(names)s.", names=_names(waiting)))
    if lifecycle.awaits_final_offers(tender.facts()):
        why.append(_("The round of final offers has not been held and opened yet (§12)."))
    undecided = open_proposals(tender)
    if undecided:
        why.append(_("%(n)s proposals are still being voted on.", n=len(undecided)))
    unconfirmed = [o for o in outliers(tender) if not o["confirmed"]]
    if unconfirmed:
        who = sorted({names.get(o["evaluator_id"], "") for o in unconfirmed})
        why.append(
            _(
                "%(n)s outlying scores are not yet confirmed or corrected (%(names)s).",
                n=len(unconfirmed),
                names=_names(who),
            )
        )
    if not waiting and results_service.result(tender).status == "pending":
        why.append(_("An abnormally low price awaits the panel's decision."))
    return why


def _names(names: list[str]) -> str:
    from tender.platform.i18n import is_english

    return (", " if is_english() else "、").join(names)


def close(evaluator: User, tender_public_id: str) -> Tender:
    """The chair closes the evaluation: the report goes to the members' signatures."""
    assignment, tender = _at_work(evaluator, tender_public_id, "close_evaluation")
    if not assignment.chair:
        raise Forbidden(_("Only the chair of the panel closes the evaluation."))
    blockers = close_blockers(tender)
    if blockers:
        raise WrongState(" ".join([_("The evaluation cannot be closed yet:")] + blockers))
    from tender.services import panel

    reopening = panel.open_reopening(tender)
    if reopening is not None:
        reopening.closed_at = utcnow()
    digest = report_digest(tender)
    tender.status = lifecycle.after("close_evaluation")
    audit.record(evaluator, "evaluation_closed", f"tender:{tender.public_id}", report_sha256=digest)
    notify(
        [a.evaluator for a in opening.sitting(tender)],
        "signature_waiting",
        tender,
        link=path_for("panel.sign", public_id=tender.public_id),
    )
    db.session.commit()
    return tender


def report_digest(tender: Tender) -> str:
    """The SHA-256 the members sign: of the evaluation report's content — the tender and its
    version, every bid's figures, review, scores, rank and decisions as the result gives
    them — written canonically (sorted keys, no spaces), so the same evaluation always gives
    the same digest and any change to it another."""
    result = results_service.result(tender)
    content = {"tender": tender.public_id, "version": tender.version, "result": result.to_json()}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def signatures(tender: Tender) -> list[ReportSignature]:
    """The signatures in force (a reopening voids the earlier ones)."""
    return list(
        db.session.scalars(
            select(ReportSignature)
            .where(ReportSignature.tender_id == tender.id, ReportSignature.voided_at.is_(None))
            .order_by(ReportSignature.id)
        )
    )


def sign(evaluator: User, tender_public_id: str, password: str) -> ReportSignature:
    """The member signs the report by re-entering its password; the last signature makes the
    evaluation final. A wrong password is refused and audited."""
    assignment, tender = _member(evaluator, tender_public_id)
    require(tender, "sign", "evaluator")
    if any(s.evaluator_id == evaluator.id for s in signatures(tender)):
        raise WrongState(_("You have already signed this report."))
    if not password or not evaluator.check_password(password):
        audit.record(evaluator, "signature_refused", f"tender:{tender.public_id}", reason="wrong password")
        db.session.commit()
        raise Invalid([Problem("password", "密码不正确，报告未签署", "wrong password: the report is not signed")])
    digest = report_digest(tender)
    row = ReportSignature(tender_id=tender.id, evaluator_id=evaluator.id, report_sha256=digest, signed_at=utcnow())
    db.session.add(row)
    audit.record(
        evaluator,
        "report_signed",
        f"tender:{tender.public_id}",
        report_sha256=digest,
        signed_at=row.signed_at.isoformat(),
    )
    db.session.flush()
    signed = {s.evaluator_id for s in signatures(tender)}
    if all(a.evaluator_id in signed for a in opening.sitting(tender)):
        result = results_service.result(tender)
        status = lifecycle.completed(result.status)
        if status is not None:
            tender.status = status
            if result.tender.lots:  # §13: the awards lot by lot, each lot's totals
                outcome = {
                    "awards": result.awards,
                    "totals": {
                        item.lot.id: {b.vendor: str(b.total) for b in item.result.ranked} for item in result.lots
                    },
                }
            else:
                outcome = {"winners": result.winners, "totals": {b.vendor: str(b.total) for b in result.ranked}}
            audit.record(
                evaluator,
                "evaluation_completed",
                f"tender:{tender.public_id}",
                status=result.status,
                **outcome,
                report_sha256=digest,
            )
    db.session.commit()
    return row


def void_signatures(tender: Tender) -> int:
    """A reopening voids the signatures in force; the caller audits and commits."""
    rows = signatures(tender)
    now = utcnow()
    for row in rows:
        row.voided_at = now
    return len(rows)
