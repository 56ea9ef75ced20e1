"""The evaluation result of an opened tender, computed by ``scoring`` from what the app holds.

:func:`inputs` gathers exactly what ``tender evaluate`` reads — the tender definition, one
bid dict per readable opened bid (named by company), and the panel dict (scores of the
evaluators who submitted, agreed bands, overrides, abnormal-low decisions) — and
:func:`result` hands them to ``scoring.evaluate``. :func:`evaluation_files` writes the same
inputs out as JSON, so the web page and the command line give the same numbers for the
same bids. :func:`what_if` re-runs the engine with other criterion weights without
touching the tender. :func:`report_context` fills the reports' record of the procedure.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal

from scoring import InvalidInput, evaluate, parse_bid, parse_panel, parse_tender
from scoring.money import to_decimal
from scoring.text import Text
from sqlalchemy import select

from tender.extensions import db
from tender.models import (
    AbnormalLowDecision, AgreedBand, AuditRecord, Bid, OpenedBid, QualificationOverride, SubjectiveScore, Tender,
)
from tender.services import opening
from tender.timefmt import to_shanghai


@dataclass
class Inputs:
    definition: dict
    tender: object                  # scoring.tender.Tender
    items: list[OpenedBid]          # readable opened bids, in order of receipt
    contents: dict                  # vendor -> what was read (bid, document reading)
    bids: list                      # scoring.tender.Bid
    panel: dict                     # the panel.json of §8


def panel_names(tender: Tender) -> dict[int, str]:
    """How each sitting evaluator is named in the panel (its name; the e-mail when two share one)."""
    members = opening.sitting(tender)
    counts: dict[str, int] = {}
    for a in members:
        counts[a.evaluator.name] = counts.get(a.evaluator.name, 0) + 1
    return {a.evaluator_id: a.evaluator.name if counts[a.evaluator.name] == 1 else f"{a.evaluator.name} <{a.evaluator.email}>"
            for a in members}


def _rows(model, tender: Tender):
    return db.session.scalars(select(model).where(model.tender_id == tender.id).order_by(model.id))


def panel_dict(tender: Tender, items: list[OpenedBid]) -> dict:
    """The panel's work as panel.json: only submitted scores count."""
    vendor_of = {item.bid_id: item.vendor_name for item in items}
    names = panel_names(tender)
    submitted = {a.evaluator_id for a in opening.sitting(tender) if a.submitted_at is not None}
    scores: dict = {name: {} for name in names.values()}
    for row in _rows(SubjectiveScore, tender):
        if row.evaluator_id in submitted and row.bid_id in vendor_of:
            scores[names[row.evaluator_id]].setdefault(vendor_of[row.bid_id], {})[row.criterion_id] = row.value
    bands: dict = {}
    for row in _rows(AgreedBand, tender):
        if row.bid_id in vendor_of:
            bands.setdefault(vendor_of[row.bid_id], {})[row.criterion_id] = row.label
    overrides: dict = {}
    for row in _rows(QualificationOverride, tender):
        if row.bid_id in vendor_of:
            overrides.setdefault(vendor_of[row.bid_id], []).append(
                {"rule": row.rule, "passed": row.passed, "reason": row.reason,
                 "evaluator": names.get(row.evaluator_id, row.evaluator.name)})
    decisions: dict = {}
    for row in _rows(AbnormalLowDecision, tender):
        if row.bid_id in vendor_of:
            key = "explanation" if row.decision == "accept" else "reason"
            decisions[vendor_of[row.bid_id]] = {"decision": row.decision, key: row.note}
    return {"scores": scores, "abnormal_low": decisions, "bands": bands, "overrides": overrides}


def inputs(tender: Tender) -> Inputs:
    definition = tender.definition()
    model = parse_tender(definition)
    items = [item for item in opening.opened_bids(tender) if item.status == "ok"]
    contents = {item.vendor_name: opening.bid_content(item) for item in items}
    bids = [parse_bid(contents[item.vendor_name]["bid"], model, source=item.vendor_name) for item in items]
    return Inputs(definition, model, items, contents, bids, panel_dict(tender, items))


def evaluate_inputs(inputs: Inputs, overrides: bool = True):
    panel = dict(inputs.panel) if overrides else {**inputs.panel, "overrides": {}}
    return evaluate(inputs.tender, inputs.bids, parse_panel(panel, inputs.tender, inputs.bids))


def result(tender: Tender):
    return evaluate_inputs(inputs(tender))


def evaluation_files(tender: Tender) -> dict:
    """The tender, bids and panel as the JSON files ``tender evaluate`` reads."""
    data = inputs(tender)
    return {"tender": data.definition, "bids": {item.vendor_name: data.contents[item.vendor_name]["bid"]
                                                for item in data.items},
            "panel": data.panel}


# --------------------------------------------------------------------------- weight what-if

def _scaled(value, new: Decimal, old: Decimal) -> str:
    return format(to_decimal(value) * new / old, "f")


def reweighted(definition: dict, panel: dict, weights: dict[str, Decimal]) -> tuple[dict, dict]:
    """The definition and panel with other criterion weights; every point value of a criterion
    (points per unit, caps, steps, bands, evaluators' scores, price deductions per %) is
    scaled with its weight, so each bid keeps the same share of each criterion."""
    definition = copy.deepcopy(definition)
    panel = copy.deepcopy(panel)
    for criterion in definition.get("criteria", []):
        cid = criterion.get("id")
        if cid not in weights:
            continue
        old, new = to_decimal(criterion["weight"]), weights[cid]
        criterion["weight"] = format(new, "f")
        if old == new:
            continue
        if old == 0:
            continue
        for key in ("points_per_unit", "cap"):
            if criterion.get(key) is not None:
                criterion[key] = _scaled(criterion[key], new, old)
        for step in criterion.get("steps") or []:
            step["points"] = _scaled(step["points"], new, old)
        if criterion.get("bands"):
            if new == 0:
                criterion.pop("bands")
                for per in panel.get("bands", {}).values():
                    per.pop(cid, None)
            else:
                for band in criterion["bands"]:
                    band["min"], band["max"] = _scaled(band["min"], new, old), _scaled(band["max"], new, old)
        if criterion.get("kind") == "subjective":
            for per_vendor in panel.get("scores", {}).values():
                for per in per_vendor.values():
                    if cid in per:
                        per[cid] = _scaled(per[cid], new, old)
        if criterion.get("kind") == "price" and isinstance(definition.get("price_method"), dict):
            method = definition["price_method"]
            for key in ("above_per_pct", "below_per_pct"):
                if method.get(key) is not None:
                    method[key] = _scaled(method[key], new, old)
    return definition, panel


def what_if(tender: Tender, weights: dict[str, Decimal]):
    """The ranking that would follow from other weights; the tender is not changed."""
    data = inputs(tender)
    definition, panel = reweighted(data.definition, data.panel, weights)
    model = parse_tender(definition)   # InvalidInput: e.g. weights not summing to 100
    bids = [parse_bid(data.contents[item.vendor_name]["bid"], model, source=item.vendor_name) for item in data.items]
    return evaluate(model, bids, parse_panel(panel, model, bids))


# --------------------------------------------------------------------------- reports

def tender_audit(tender: Tender) -> list[AuditRecord]:
    """The audit records about the tender and its bids, in chain order."""
    objects = [f"tender:{tender.public_id}"] + [f"bid:{bid.public_id}" for bid in
                                                db.session.scalars(select(Bid).where(Bid.tender_id == tender.id))]
    return list(db.session.scalars(select(AuditRecord).where(AuditRecord.object.in_(objects))
                                   .order_by(AuditRecord.seq)))


def _correction_note(correction, names: dict, vendor_of: dict, definition) -> Text:
    """One score correction as the report's notes list it, in Shanghai time."""
    criterion = definition.criterion(correction.criterion_id)
    title = criterion.title if criterion else Text.same(correction.criterion_id)
    who = names.get(correction.evaluator_id, correction.evaluator.name)
    at = f"{to_shanghai(correction.at):%Y-%m-%d %H:%M}"
    change = f"{correction.old_value or '—'} → {correction.new_value}"
    vendor = vendor_of.get(correction.bid_id, "")
    return Text(f"{at} {who} 更正“{vendor}”的“{title.zh}”评分 {change}（理由：{correction.reason}）",
                f"{at} {who} corrected the score of '{vendor}' on '{title.en}' {change} (reason: {correction.reason})")


def report_context(tender: Tender, result, data: Inputs):
    """The reports' record of the procedure, from the database."""
    import json

    from tender import audit
    from tender.reports import AbnormalLowDecision as Decision
    from tender.reports import AuditRow, OpeningRow, OverrideRecord, PanelMember, ReportContext
    from tender.services import evaluation
    record = opening.record_for(tender)
    names = panel_names(tender)
    members = opening.sitting(tender)
    vendor_of = {item.bid_id: item.vendor_name for item in data.items}
    automatic = {}
    for bid_result in result.bids:
        for override in bid_result.review.overrides:
            automatic[(bid_result.vendor, override["rule"])] = override["automatic"]
    overrides = tuple(OverrideRecord(vendor_of[o.bid_id], o.rule, o.passed, o.reason, names.get(o.evaluator_id, ""),
                                     automatic.get((vendor_of[o.bid_id], o.rule)))
                      for o in _rows(QualificationOverride, tender) if o.bid_id in vendor_of)
    decisions = tuple(Decision(vendor_of[d.bid_id], d.decision, d.note, names.get(d.decided_by_id, d.decided_by.name))
                      for d in _rows(AbnormalLowDecision, tender) if d.bid_id in vendor_of)
    rows = tuple(OpeningRow(item.vendor_name, item.received_at, item.model,
                            Decimal(item.monthly_cost) if item.monthly_cost else None, item.credit_code)
                 for item in opening.opened_bids(tender))
    trail = tuple(AuditRow(r.seq, r.at, r.actor, r.action, r.object,
                           json.dumps(r.details, ensure_ascii=False, sort_keys=True), r.hash)
                  for r in tender_audit(tender))
    notes = tuple(_correction_note(c, names, vendor_of, result.tender) for c in evaluation.corrections(tender))
    notes += tuple(Text(f"{to_shanghai(r.at):%Y-%m-%d %H:%M} 重新评审：{r.reason}",
                        f"{to_shanghai(r.at):%Y-%m-%d %H:%M} evaluation reopened: {r.reason}")
                   for r in evaluation.reopenings(tender))
    completed = evaluation.completed_at(tender)
    return ReportContext.for_bids(
        data.bids, title=tender.title, buyer=tender.buyer_name or None,
        published_at=tender.published_at, bid_deadline=tender.bid_deadline, opening_time=tender.opening_time,
        evaluation_date=to_shanghai(completed).date() if completed else None,
        opening_record=rows,
        panel=tuple(PanelMember(names[a.evaluator_id]) for a in members),
        overrides=overrides, abnormal_low=decisions, notes=notes, audit=trail,
        audit_head=audit.head_hash() if record else None,
        final=tender.status in ("evaluated", "awarded", "failed"))
