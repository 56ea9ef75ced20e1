"""The panel's work after the opening: conflict-of-interest declaration, qualification
review and overrides, agreed bands, blind subjective scoring, corrections, decisions on
abnormally low prices, completion and reopening.

Rules kept here (domain §7.3, §7.4, §9.5):

- an evaluator sees a tender only if assigned (else 404), and its bids only after the
  opening and after declaring no conflict of interest;
- scores are read by ``scoring.criteria.read_score`` (a number, in range, inside the agreed
  band: one rule, one place), every cell of the sheet at once, each problem kept with its
  cell; a score for a banded criterion needs the agreed band first; a submission needs
  every cell of every bid to score;
- an evaluator sees prices and the other evaluators' scores only after submitting its
  own technical scores; a submitted score changes only through a correction with a
  reason;
- nothing is scored, overridden or decided before the opening or once the evaluation is
  final; a final evaluation changes only through a recorded reopening;
- overrides, bands and abnormal-low decisions — per lot in a tender divided into lots (§13),
  like the scores — are proposals the panel votes on, and the
  evaluation becomes ``evaluated`` (or ``failed``) only once the chair has closed it and every
  member has signed the report (:mod:`tender.services.deliberation`, §15).

Every change is audited in the transaction that makes it.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from scoring import Problem, lifecycle
from scoring.criteria import read_score
from tender.models import (
    AbnormalLowDecision,
    AgreedBand,
    AuditRecord,
    EvaluatorAssignment,
    OpenedBid,
    QualificationOverride,
    Reopening,
    ScoreCorrection,
    SubjectiveScore,
    Tender,
    User,
    utcnow,
)
from tender.platform import audit
from tender.platform.extensions import db
from tender.services import Forbidden, Invalid, NotFound, WrongState, opening, require
from tender.services import results as results_service
from tender.services.tenders import get_own


class DeclarationNeeded(WrongState):
    """The evaluator has not yet declared that it has no conflict of interest."""


class PricesSealed(WrongState):
    """The evaluator has not submitted its technical scores, so prices stay hidden."""


# --------------------------------------------------------------------------- access


def assignment_for(evaluator: User, tender_public_id: str) -> EvaluatorAssignment:
    """The evaluator's assignment to the tender; NotFound when not assigned (as for a missing tender)."""
    if evaluator.role != "evaluator":
        raise Forbidden()
    assignment = db.session.scalars(
        select(EvaluatorAssignment)
        .join(Tender, Tender.id == EvaluatorAssignment.tender_id)
        .where(Tender.public_id == tender_public_id, EvaluatorAssignment.evaluator_id == evaluator.id)
    ).first()
    if assignment is None or not assignment.tender.readable("panel", "panel"):
        raise NotFound()
    return assignment


def my_assignments(evaluator: User) -> list[EvaluatorAssignment]:
    return list(
        db.session.scalars(
            select(EvaluatorAssignment)
            .join(Tender, Tender.id == EvaluatorAssignment.tender_id)
            .where(
                EvaluatorAssignment.evaluator_id == evaluator.id,
                Tender.status.in_(lifecycle.stored(lifecycle.READS["panel"]["panel"])),
            )
            .order_by(Tender.opening_time.desc())
        )
    )


def waiting_for(assignment: EvaluatorAssignment) -> list[dict]:
    """What waits for the evaluator on one assigned tender, in the order to do it, as
    ``{"step": …, …}``: ``opening`` (the bids open at ``at``), ``recused``, ``declare``
    (the conflict-of-interest declaration), ``review`` (qualification), ``bands`` (``missing``
    bands to agree), ``score`` (``filled`` of ``cells`` scores, not submitted),
    ``abnormal_low`` (``vendors`` whose price awaits the panel's decision), ``others``
    (``submitted`` of ``members`` evaluators have submitted), ``final``."""
    tender = assignment.tender
    status = tender.current_status
    if lifecycle.sealed(status):
        return [{"step": "opening", "at": tender.opening_time}]
    if assignment.recused:
        return [{"step": "recused"}]
    if not assignment.declared:
        return [{"step": "declare"}]
    if lifecycle.is_final(status):
        return [{"step": "final"}]
    inputs = results_service.inputs(tender)
    result = inputs.result
    criteria = inputs.tender.subjective_criteria
    steps: list[dict] = []
    if assignment.submitted_at is None:
        steps.append({"step": "review"})
        agreed = bands(tender)
        rows = [row for row in sheet_rows(tender) if row["to_score"]]  # each lot's bids to score (§13)
        missing = sum(
            1 for row in rows for c in criteria if c.bands and (row["item"].bid_id, row["lot"], c.id) not in agreed
        )
        if missing:
            steps.append({"step": "bands", "missing": missing})
        own = own_scores(assignment)
        wanted = {(row["key"], c.id) for row in rows for c in criteria}
        steps.append({"step": "score", "filled": len(wanted & set(own)), "cells": len(wanted)})
        return steps
    from tender.services import deliberation

    if lifecycle.signing(status):
        signed = {s.evaluator_id for s in deliberation.signatures(tender)}
        return [{"step": "signed"}] if assignment.evaluator_id in signed else [{"step": "sign"}]
    pending = [
        f"{lot} · {vendor}" if lot else vendor
        for lot, vendor in pending_decisions(result)  # in a tender divided into lots: each lot that waits
    ]
    if pending:
        steps.append({"step": "abnormal_low", "vendors": pending})
    votes = sum(
        1
        for p in deliberation.open_proposals(tender)
        if all(v.evaluator_id != assignment.evaluator_id for v in p.votes)
    )
    if votes:
        steps.append({"step": "vote", "count": votes})
    outlying = sum(
        1 for o in deliberation.outliers(tender) if o["evaluator_id"] == assignment.evaluator_id and not o["confirmed"]
    )
    if outlying:
        steps.append({"step": "outliers", "count": outlying})
    members = opening.sitting(tender)
    submitted = sum(1 for a in members if a.submitted_at is not None)
    if submitted < len(members):
        steps.append({"step": "others", "submitted": submitted, "members": len(members)})
    elif lifecycle.awaits_final_offers(tender.facts()):  # §12: the round of final offers comes first
        steps.append({"step": "final_offers"})
    elif assignment.chair:
        steps.append({"step": "close"})
    return steps


def require_bids_visible(assignment: EvaluatorAssignment) -> Tender:
    """The tender, once its bids are opened and the evaluator declared no conflict."""
    tender = assignment.tender
    if not tender.readable("bid_contents", "panel"):
        raise WrongState(_("The bids are not opened yet: nothing can be seen or scored before the opening."))
    if assignment.recused:
        raise WrongState(_("You declared a conflict of interest and do not take part in this evaluation."))
    if not assignment.declared:
        raise DeclarationNeeded(_("Declare that you have no conflict of interest before seeing the bids."))
    return tender


def require_prices_visible(assignment: EvaluatorAssignment) -> Tender:
    tender = require_bids_visible(assignment)
    if assignment.submitted_at is None:
        raise PricesSealed(
            _("Prices and the other evaluators' scores are shown once you have submitted your technical scores.")
        )
    return tender


def _require_open_evaluation(assignment: EvaluatorAssignment, action: str) -> Tender:
    """The tender, while the panel may still do ``action`` (score, review, propose)."""
    tender = require_bids_visible(assignment)
    if tender.is_final:
        raise WrongState(_("The evaluation is final: it changes only through a recorded reopening."))
    require(tender, action, "evaluator")
    return tender


def results_access(user: User, tender_public_id: str) -> Tender:
    """The tender whose results ``user`` may see: the buyer's own, or an evaluator's after submitting."""
    if user.role == "buyer":
        tender = get_own(user, tender_public_id)
        if not tender.readable("results", "buyer"):
            raise WrongState(_("Results exist once the bids are opened."))
        return tender
    if user.role == "evaluator":
        return require_prices_visible(assignment_for(user, tender_public_id))
    raise Forbidden()


# --------------------------------------------------------------------------- declaration


def declare(evaluator: User, tender_public_id: str, conflict: bool, note: str) -> EvaluatorAssignment:
    """回避声明: no conflict (may see the bids), or a conflict (recused, with what it is)."""
    assignment = assignment_for(evaluator, tender_public_id)
    require(assignment.tender, "declare", "evaluator")
    if assignment.coi_declared_at is not None:
        raise WrongState(_("You have already made your declaration for this tender."))
    if conflict and not note.strip():
        raise Invalid([Problem("note", "请说明利害关系", "say what the conflict is")])
    assignment.coi_declared_at = utcnow()
    assignment.coi_conflict = conflict
    assignment.coi_note = note.strip()
    audit.record(
        evaluator, "coi_declared", f"tender:{assignment.tender.public_id}", conflict=conflict, note=note.strip()
    )
    db.session.commit()
    return assignment


# --------------------------------------------------------------------------- reading for the panel


def review(assignment: EvaluatorAssignment) -> list[dict]:
    """Per bid, per rule: the automatic result and its evidence — never a price. In a tender
    divided into lots (§13), per lot and bid, lot by lot: the panel may override a rule in one
    lot only (``lot``, ``lot_name`` of each row; "" in an undivided tender)."""
    tender = require_bids_visible(assignment)
    inputs = results_service.inputs(tender)
    opening.load_versions(inputs.items)  # each bid's evidence files, in one statement not one a bid
    result = inputs.result
    overrides = {(o.bid_id, o.lot, o.rule): o for o in _overrides(tender)}
    if inputs.tender.lots:
        entries = [
            (item, lot.id, lot.name)
            for lot in inputs.tender.lots
            for item in results_service.bids_in_lot(inputs.items, inputs.contents, lot.id)
        ]
    else:
        entries = [(item, "", "") for item in inputs.items]
    rows = []
    for item, lot, lot_name in entries:
        bid_result = results_service.line_in(result, item.vendor_name, lot)
        content = inputs.contents[item.vendor_name]
        document = content.get("document") or {}
        stated = document.get("stated_facts") or {}
        mismatched = {m[0]: m for m in document.get("mismatches") or []}
        rules = []
        for outcome in bid_result.review.rules:
            subject = outcome.rule.subject
            override = overrides.get((item.bid_id, lot, outcome.rule.name))
            rules.append(
                {
                    "name": outcome.rule.name,
                    "title": outcome.rule.title,
                    "kind": outcome.rule.kind,
                    "op": outcome.rule.op,
                    "required": outcome.to_json()["required"],
                    "declared": outcome.to_json()["declared"],
                    "passed": outcome.passed,
                    "mandatory": outcome.rule.mandatory,
                    "why": outcome.why,
                    "in_document": stated.get(subject),
                    "mismatch": subject in mismatched,
                    "override": override,
                }
            )
        rows.append(
            {
                "item": item,
                "lot": lot,
                "lot_name": lot_name,
                "rules": rules,
                "qualified": _rules_pass(bid_result),
                "missing_sections": document.get("missing_sections") or [],
                "mismatches": document.get("mismatches") or [],
                "hash_ok": item.hash_ok,
                "older_version": item.details.get("older_tender_version", False),
            }
        )
    return rows


def _rules_pass(bid_result) -> bool:
    """Qualified on the rules alone (price ceilings stay out of the technical envelope)."""
    return all(r.passed or not r.rule.mandatory for r in bid_result.review.rules)


def bids_to_score(tender: Tender) -> list[OpenedBid]:
    """The bids passing the mandatory rules (in a tender divided into lots: in a lot at least)."""
    inputs = results_service.inputs(tender)
    result = inputs.result
    return [
        item
        for item in inputs.items
        if any(_rules_pass(line) for _lot, line in results_service.lines(result, item.vendor_name))
    ]


def pending_decisions(result) -> list[tuple[str, str]]:
    """(lot, vendor) of each abnormally low price awaiting the panel's decision: lot by lot in a
    tender divided into lots (§13), where the decision is made per lot; lot "" otherwise."""
    if result.tender.lots:
        return [(item.lot.id, b.vendor) for item in result.lots for b in item.result.bids if b.decision == "pending"]
    return [("", b.vendor) for b in result.bids if b.decision == "pending"]


def sheet_key(bid_public_id: str, lot: str = "") -> str:
    """A row of the score sheet: the bid, or in a tender divided into lots (§13) the bid in one
    lot (``<bid>@<lot>``) — a bid is scored in each lot it bids for."""
    return f"{bid_public_id}@{lot}" if lot else bid_public_id


def sheet_rows(tender: Tender) -> list[dict]:
    """The rows of the score sheet, as ``{"key", "item", "lot", "lot_name", "to_score"}``: each
    readable opened bid; in a tender divided into lots, each lot's bids, lot by lot in the
    tender's order. A bid failing a mandatory rule (in that lot) needs no score (``to_score`` false)."""
    inputs = results_service.inputs(tender)
    result = inputs.result
    if not inputs.tender.lots:
        return [
            {
                "key": item.bid.public_id,
                "item": item,
                "lot": "",
                "lot_name": "",
                "to_score": _rules_pass(result.bid(item.vendor_name)),
            }
            for item in inputs.items
        ]
    return [
        {
            "key": sheet_key(item.bid.public_id, lot.id),
            "item": item,
            "lot": lot.id,
            "lot_name": lot.name,
            "to_score": _rules_pass(result.lot(lot.id).result.bid(item.vendor_name)),
        }
        for lot in inputs.tender.lots
        for item in results_service.bids_in_lot(inputs.items, inputs.contents, lot.id)
    ]


def own_scores(assignment: EvaluatorAssignment) -> dict[tuple[str, str], str]:
    """The evaluator's scores by (sheet row key, criterion id)."""
    rows = db.session.scalars(
        select(SubjectiveScore).where(
            SubjectiveScore.tender_id == assignment.tender_id, SubjectiveScore.evaluator_id == assignment.evaluator_id
        )
    )
    return {(sheet_key(row.bid.public_id, row.lot), row.criterion_id): row.value for row in rows}


def bands(tender: Tender) -> dict[tuple[int, str, str], AgreedBand]:
    """The agreed bands by (bid id, lot, criterion id); lot "" in an undivided tender."""
    rows = db.session.scalars(select(AgreedBand).where(AgreedBand.tender_id == tender.id))
    return {(row.bid_id, row.lot, row.criterion_id): row for row in rows}


def _overrides(tender: Tender) -> list[QualificationOverride]:
    return list(
        db.session.scalars(
            select(QualificationOverride)
            .where(QualificationOverride.tender_id == tender.id)
            .order_by(QualificationOverride.id)
        )
    )


def corrections(tender: Tender) -> list[ScoreCorrection]:
    return list(
        db.session.scalars(
            select(ScoreCorrection).where(ScoreCorrection.tender_id == tender.id).order_by(ScoreCorrection.id)
        )
    )


def decisions(tender: Tender) -> dict[tuple[int, str], AbnormalLowDecision]:
    """The abnormal-low decisions by (bid id, lot); lot "" in an undivided tender."""
    rows = db.session.scalars(select(AbnormalLowDecision).where(AbnormalLowDecision.tender_id == tender.id))
    return {(row.bid_id, row.lot): row for row in rows}


# --------------------------------------------------------------------------- scores


def cell_name(bid_public_id: str, criterion_id: str) -> str:
    """The score sheet's input (and the key of its problem) for one bid and criterion."""
    return f"score:{bid_public_id}:{criterion_id}"


def read_sheet(tender: Tender, inputs, entries: dict, complete: bool) -> tuple[dict, dict[str, Problem]]:
    """Form entries {(sheet row key, criterion id): text} → ({row key: {criterion: text}}, problems
    by cell). Every cell is read at once: text that is not a number, a score out of range or
    outside the agreed band, a banded criterion whose band is not agreed yet, and — when the
    sheet must be ``complete`` (a submission) — every blank cell of a bid to score. A problem's
    path is its cell (:func:`cell_name`); its words are short, to stand beside the cell."""
    rows = {row["key"]: row for row in sheet_rows(tender)}
    agreed = bands(tender)
    scores: dict = {}
    cells: dict[str, Problem] = {}
    for (key, cid), raw in entries.items():
        row = rows.get(key)
        criterion = inputs.tender.criterion(cid)
        if row is None or criterion is None or criterion.kind != "subjective":
            raise NotFound()
        text = (raw or "").strip()
        if not text:
            continue
        cell = cell_name(key, cid)
        agreed_band = agreed.get((row["item"].bid_id, row["lot"], cid))
        if criterion.bands and agreed_band is None:
            cells[cell] = Problem(cell, "请先商定档次，再在档内打分", "agree the band first, then score inside it")
            continue
        _score, refusal = read_score(text, criterion, criterion.band(agreed_band.label) if agreed_band else None)
        if refusal is not None:
            cells[cell] = Problem(cell, refusal.zh, refusal.en)
            continue
        scores.setdefault(key, {})[cid] = text
    if complete:
        for key, row in rows.items():
            if not row["to_score"]:
                continue
            for criterion in inputs.tender.subjective_criteria:
                cell = cell_name(key, criterion.id)
                if cell not in cells and criterion.id not in scores.get(key, {}):
                    cells[cell] = Problem(
                        cell,
                        "未打分：提交前每一格都须填写",
                        "no score yet: every cell must be filled before submitting",
                    )
    return scores, cells


def _shown_scores(tender: Tender, scores: dict) -> dict:
    """Scores by sheet row → by vendor (``vendor / lot`` in a tender divided into lots), for the audit."""
    rows = {row["key"]: row for row in sheet_rows(tender)}
    return {
        (rows[key]["item"].vendor_name + (f" / {rows[key]['lot']}" if rows[key]["lot"] else "")): value
        for key, value in scores.items()
    }


def save_scores(
    evaluator: User, tender_public_id: str, entries: dict, submit: bool = False, complete: bool = False
) -> EvaluatorAssignment:
    """Keep the evaluator's scores as a draft, or submit them (every bid to score, every
    criterion; in a tender divided into lots, every bid in every lot it bids for). ``complete``
    keeps a draft only if it could be submitted as it is (the step before the evaluator
    confirms its submission)."""
    assignment = assignment_for(evaluator, tender_public_id)
    tender = _require_open_evaluation(assignment, "score")
    if assignment.submitted_at is not None:
        raise WrongState(
            _("Your scores are submitted: a submitted score changes only through a correction with a reason.")
        )
    inputs = results_service.inputs(tender)
    scores, cells = read_sheet(tender, inputs, entries, complete=submit or complete)
    if cells:
        raise Invalid(cells.values())
    rows = {row["key"]: row for row in sheet_rows(tender)}
    existing = {
        (row.bid_id, row.lot, row.criterion_id): row
        for row in db.session.scalars(
            select(SubjectiveScore).where(
                SubjectiveScore.tender_id == tender.id, SubjectiveScore.evaluator_id == evaluator.id
            )
        )
    }
    kept = set()
    for row_key, per_criterion in scores.items():
        row = rows[row_key]
        for cid, value in per_criterion.items():
            key = (row["item"].bid_id, row["lot"], cid)
            kept.add(key)
            if key in existing:
                existing[key].value = value
            else:
                db.session.add(
                    SubjectiveScore(
                        tender_id=tender.id,
                        evaluator_id=evaluator.id,
                        bid_id=key[0],
                        lot=key[1],
                        criterion_id=cid,
                        value=value,
                    )
                )
    for key, row in existing.items():
        if key not in kept:
            db.session.delete(row)
    if submit:
        assignment.submitted_at = utcnow()
    audit.record(
        evaluator,
        "scores_submitted" if submit else "scores_saved",
        f"tender:{tender.public_id}",
        scores=_shown_scores(tender, scores),
    )
    db.session.commit()
    return assignment


def draft_problems(assignment: EvaluatorAssignment) -> dict[str, Problem]:
    """What would stop the evaluator's saved draft from being submitted as it is, by cell."""
    tender = require_bids_visible(assignment)
    inputs = results_service.inputs(tender)
    keys = {row["key"] for row in sheet_rows(tender)}
    entries = {(key, cid): value for (key, cid), value in own_scores(assignment).items() if key in keys}
    return read_sheet(tender, inputs, entries, complete=True)[1]


def after_submission(assignment: EvaluatorAssignment) -> dict:
    """What an evaluator may see once it has submitted its technical scores (two envelopes,
    §7.3, §7.4): each opened bid's monthly cost, and the scores of every evaluator of the
    panel who has submitted, by criterion, vendor and evaluator."""
    tender = require_prices_visible(assignment)
    inputs = results_service.inputs(tender)
    names = results_service.panel_names(tender)
    submitted = [names[a.evaluator_id] for a in opening.sitting(tender) if a.submitted_at is not None]
    waiting = [names[a.evaluator_id] for a in opening.sitting(tender) if a.submitted_at is None]
    costs = [
        {"vendor": item.vendor_name, "model": item.model, "monthly_cost": item.monthly_cost}
        for item in opening.opened_bids(tender)
    ]
    if inputs.tender.lots:  # §13: a row per lot and vendor, "L1 · vendor"
        costs = [
            {"vendor": f"{item.lot.id} · {line.vendor}", "model": line.model, "monthly_cost": line.monthly_cost}
            for item in inputs.result.lots
            for line in item.result.bids
        ]
        scores: dict = {}
        vendors = []
        for lot in inputs.tender.lots:
            lot_scores = inputs.panel["lots"][lot.id]["scores"]
            for item in results_service.bids_in_lot(inputs.items, inputs.contents, lot.id):
                label = f"{lot.id} · {item.vendor_name}"
                vendors.append(label)
                for name, given in lot_scores.items():
                    if item.vendor_name in given:
                        scores.setdefault(name, {})[label] = given[item.vendor_name]
    else:
        scores, vendors = inputs.panel["scores"], [item.vendor_name for item in inputs.items]
    return {
        "costs": costs,
        "evaluators": submitted,
        "waiting": waiting,
        "scores": scores,
        "criteria": inputs.tender.subjective_criteria,
        "vendors": vendors,
    }


def correct_score(
    evaluator: User, tender_public_id: str, bid_public_id: str, criterion_id: str, value: str, reason: str
) -> ScoreCorrection:
    """Change (or add) one submitted score, with the reason recorded next to the old value."""
    assignment = assignment_for(evaluator, tender_public_id)
    tender = _require_open_evaluation(assignment, "score")
    if assignment.submitted_at is None:
        raise WrongState(_("Your scores are not submitted yet: change them on the score sheet."))
    if not reason.strip():
        raise Invalid([Problem("reason", "更正须说明理由", "a correction needs a reason")])
    inputs = results_service.inputs(tender)
    scores, cells = read_sheet(tender, inputs, {(bid_public_id, criterion_id): value}, complete=False)
    if cells:
        raise Invalid([Problem("value", problem.zh, problem.en) for problem in cells.values()])
    if not scores:
        raise Invalid([Problem("value", "请填写更正后的分数", "enter the corrected score")])
    bid_public_id, _at, lot = bid_public_id.partition("@")  # a sheet row: the bid in one lot (§13)
    item = opening.opened_bid(tender, bid_public_id)
    row = db.session.scalars(
        select(SubjectiveScore).where(
            SubjectiveScore.tender_id == tender.id,
            SubjectiveScore.evaluator_id == evaluator.id,
            SubjectiveScore.bid_id == item.bid_id,
            SubjectiveScore.lot == lot,
            SubjectiveScore.criterion_id == criterion_id,
        )
    ).first()
    new_value = value.strip()
    old_value = row.value if row else None
    if row is None:
        db.session.add(
            SubjectiveScore(
                tender_id=tender.id,
                evaluator_id=evaluator.id,
                bid_id=item.bid_id,
                lot=lot,
                criterion_id=criterion_id,
                value=new_value,
            )
        )
    else:
        row.value = new_value
    correction = ScoreCorrection(
        tender_id=tender.id,
        evaluator_id=evaluator.id,
        bid_id=item.bid_id,
        criterion_id=criterion_id,
        old_value=old_value,
        new_value=new_value,
        reason=reason.strip(),
    )
    db.session.add(correction)
    from tender.services import deliberation

    deliberation.note_outlier(tender, evaluator, item.bid_id, criterion_id, new_value, reason.strip())
    audit.record(
        evaluator,
        "score_corrected",
        f"bid:{item.bid.public_id}",
        tender=tender.public_id,
        **({"lot": lot} if lot else {}),
        criterion=criterion_id,
        old=old_value,
        new=new_value,
        reason=reason.strip(),
    )
    db.session.commit()
    return correction


# --------------------------------------------------------------------------- panel decisions


def agree_band(
    evaluator: User,
    tender_public_id: str,
    bid_public_id: str,
    criterion_id: str,
    label: str,
    reason: str = "",
    lot: str = "",
):
    """Propose the band (§9.5) of a bid on a banded criterion (in a tender divided into lots: in
    ``lot``); it holds once the panel agrees (§15)."""
    from tender.services import deliberation

    return deliberation.propose(
        evaluator,
        tender_public_id,
        "band",
        bid_public_id,
        criterion_id,
        label,
        (reason or "").strip() or _("Band proposed: %(label)s", label=label),
        lot=lot,
    )


def override_rule(
    evaluator: User,
    tender_public_id: str,
    bid_public_id: str,
    rule_name: str,
    passed: bool,
    reason: str,
    lot: str = "",
):
    """Propose to change an automatic qualification result (in a tender divided into lots: in
    ``lot``), with a written reason; it holds once the panel agrees (§15)."""
    from tender.services import deliberation

    return deliberation.propose(
        evaluator,
        tender_public_id,
        "override",
        bid_public_id,
        rule_name,
        "pass" if passed else "fail",
        reason,
        lot=lot,
    )


def decide_abnormal_low(
    evaluator: User, tender_public_id: str, bid_public_id: str, decision: str, note: str, lot: str = ""
):
    """Propose to accept (recording the vendor's written explanation) or reject (with the
    reason) an abnormally low price (in a tender divided into lots: the price in ``lot``); it
    holds once the panel agrees (§15)."""
    from tender.services import deliberation

    if not (note or "").strip():
        raise Invalid(
            [
                Problem(
                    "note",
                    "接受须记录供应商的书面说明，否决须写明理由",
                    "accepting records the vendor's written explanation; rejecting needs a reason",
                )
            ]
        )
    return deliberation.propose(evaluator, tender_public_id, "abnormal_low", bid_public_id, "", decision, note, lot=lot)


# --------------------------------------------------------------------------- completion and reopening


def open_reopening(tender: Tender) -> Reopening | None:
    return db.session.scalars(
        select(Reopening).where(Reopening.tender_id == tender.id, Reopening.closed_at.is_(None))
    ).first()


def completed_at(tender: Tender):
    """When the evaluation last became final (its last ``evaluation_completed`` record), or None
    while it is not final. The results page and both reports date the evaluation by it."""
    if not lifecycle.is_final(tender.status):
        return None
    return db.session.scalar(
        select(AuditRecord.at)
        .where(AuditRecord.object == f"tender:{tender.public_id}", AuditRecord.action == "evaluation_completed")
        .order_by(AuditRecord.seq.desc())
        .limit(1)
    )


def reopenings(tender: Tender) -> list[Reopening]:
    return list(db.session.scalars(select(Reopening).where(Reopening.tender_id == tender.id).order_by(Reopening.id)))


def reopen(buyer: User, tender_public_id: str, reason: str) -> Reopening:
    """Reopen a final (not yet awarded) evaluation so the panel can correct it; reason recorded."""
    tender = get_own(buyer, tender_public_id)
    require(tender, "reopen")
    if not reason.strip():
        raise Invalid([Problem("reason", "重新评审须说明理由", "a reopening needs a reason")])
    reopening = Reopening(tender_id=tender.id, reason=reason.strip(), from_status=tender.status, by_id=buyer.id)
    db.session.add(reopening)
    from tender.services import deliberation

    voided = deliberation.void_signatures(tender)
    audit.record(
        buyer,
        "evaluation_reopened",
        f"tender:{tender.public_id}",
        reason=reason.strip(),
        was=tender.status,
        signatures_voided=voided,
    )
    tender.status = lifecycle.after("reopen")
    db.session.commit()
    return reopening


def close_reopening(buyer: User, tender_public_id: str) -> str:
    """End a reopening: the chair then closes the evaluation again and the panel signs anew
    (the chair's closing also ends an open reopening)."""
    tender = get_own(buyer, tender_public_id)
    reopening = open_reopening(tender)
    if reopening is None:
        raise WrongState(_("There is no reopened evaluation to close."))
    reopening.closed_at = utcnow()
    audit.record(buyer, "reopening_closed", f"tender:{tender.public_id}")
    db.session.commit()
    return tender.status
