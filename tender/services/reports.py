"""The reports' record of the procedure (开标记录, panel, overrides, decisions, corrections,
reopenings, the audit trail), read from the database for the Excel and Word reports of a
tender's evaluation: the reports themselves (:mod:`tender.reports`) only word and lay out
what they are given."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

from sqlalchemy import select

from scoring.text import Text
from tender.models import AbnormalLowDecision, AuditRecord, Bid, QualificationOverride, Tender
from tender.platform import audit
from tender.platform.extensions import db
from tender.platform.timefmt import to_shanghai
from tender.reports import AbnormalLowDecision as Decision
from tender.reports import AuditRow, OpeningRow, OverrideRecord, PanelMember, ReportContext
from tender.services import opening, panel, results


def tender_audit(tender: Tender) -> list[AuditRecord]:
    """The audit records about the tender and its bids, in chain order."""
    objects = [f"tender:{tender.public_id}"] + [
        f"bid:{bid.public_id}" for bid in db.session.scalars(select(Bid).where(Bid.tender_id == tender.id))
    ]
    return list(
        db.session.scalars(select(AuditRecord).where(AuditRecord.object.in_(objects)).order_by(AuditRecord.seq))
    )


def _correction_note(correction, names: dict, vendor_of: dict, definition) -> Text:
    """One score correction as the report's notes list it, in Shanghai time."""
    criterion = definition.criterion(correction.criterion_id)
    title = criterion.title if criterion else Text.same(correction.criterion_id)
    who = names.get(correction.evaluator_id, correction.evaluator.name)
    at = f"{to_shanghai(correction.at):%Y-%m-%d %H:%M}"
    change = f"{correction.old_value or '—'} → {correction.new_value}"
    vendor = vendor_of.get(correction.bid_id, "")
    return Text(
        f"{at} {who} 更正“{vendor}”的“{title.zh}”评分 {change}（理由：{correction.reason}）",
        f"{at} {who} corrected the score of '{vendor}' on '{title.en}' {change} (reason: {correction.reason})",
    )


def lot_report(result, lot_id: str):
    """One lot's result of a tender divided into lots (§13), titled with the lot so two lots'
    reports never pass for one another (as ``tender evaluate`` writes them); None: no such lot."""
    item = result.lot(lot_id)
    if item is None:
        return None
    title = f"{result.tender.title or ''}（标包 {item.lot.id}：{item.lot.name}）".lstrip()
    return dataclasses.replace(item.result, tender=dataclasses.replace(item.result.tender, title=title))


def lot_awards(result) -> tuple[dict, ...]:
    """The award table across the lots (§13) for a lot's report: each lot's awards after the
    skipping, and its reasons (skipped vendors, unfilled places, a lot not awarded)."""
    return tuple(
        {
            "lot": item.lot.id,
            "name": item.lot.name,
            "status": item.result.status,
            "awards": list(item.result.awards),
            "reasons": list(item.result.status_reasons),
        }
        for item in result.lots
    )


def report_context(
    tender: Tender, result, data: results.Inputs, lots_result=None, lot_id: str = "", opened: list | None = None
):
    """The reports' record of the procedure, from the database. ``lots_result``, ``lot_id``:
    the report of one lot of a tender divided into lots (§13) — its bids only, with the award
    table across the lots in the notes. ``opened``: the tender's opened bids, when the caller
    has them already (:func:`tender.services.opening.opened_bids`)."""
    record = opening.record_for(tender)
    names = results.panel_names(tender)
    members = opening.sitting(tender)
    vendor_of = {item.bid_id: item.vendor_name for item in data.items}
    automatic = {}
    for bid_result in result.bids:
        for override in bid_result.review.overrides:
            automatic[(bid_result.vendor, override["rule"])] = override["automatic"]
    overrides = tuple(
        OverrideRecord(
            vendor_of[o.bid_id],
            o.rule,
            o.passed,
            o.reason,
            names.get(o.evaluator_id, ""),
            automatic.get((vendor_of[o.bid_id], o.rule)),
        )
        for o in results.rows(QualificationOverride, tender)
        if o.bid_id in vendor_of and o.lot == lot_id  # a lot's report: the overrides made in that lot (§13)
    )
    decisions = tuple(
        Decision(vendor_of[d.bid_id], d.decision, d.note, names.get(d.decided_by_id, d.decided_by.name))
        for d in results.rows(AbnormalLowDecision, tender)
        if d.bid_id in vendor_of and d.lot == lot_id
    )
    rows = tuple(
        OpeningRow(
            item.vendor_name,
            item.received_at,
            item.model,
            Decimal(item.monthly_cost) if item.monthly_cost else None,
            item.credit_code,
        )
        for item in (opening.opened_bids(tender, versions=False) if opened is None else opened)
    )
    trail = tuple(
        AuditRow(
            r.seq, r.at, r.actor, r.action, r.object, json.dumps(r.details, ensure_ascii=False, sort_keys=True), r.hash
        )
        for r in tender_audit(tender)
    )
    notes = tuple(_correction_note(c, names, vendor_of, result.tender) for c in panel.corrections(tender))
    notes += tuple(
        Text(
            f"{to_shanghai(r.at):%Y-%m-%d %H:%M} 重新评审：{r.reason}",
            f"{to_shanghai(r.at):%Y-%m-%d %H:%M} evaluation reopened: {r.reason}",
        )
        for r in panel.reopenings(tender)
    )
    completed = panel.completed_at(tender)
    from tender.services import deliberation

    signed = {s.evaluator_id: s for s in deliberation.signatures(tender)}
    bids, title = data.bids, tender.title
    if lots_result is not None:
        from scoring.lots import bids_for_lot

        lot = lots_result.lot(lot_id).lot
        bids, title = bids_for_lot(list(data.bids), lot), result.tender.title
        # the lot's bidders; each one's cost in this lot is the result's (None: taken from it)
        bidders = {bid.vendor for bid in bids}
        rows = tuple(dataclasses.replace(row, monthly_cost=None) for row in rows if row.vendor in bidders)
    return ReportContext.for_bids(
        bids,
        title=title,
        buyer=tender.buyer_name or None,
        published_at=tender.published_at,
        bid_deadline=tender.bid_deadline,
        opening_time=tender.opening_time,
        evaluation_date=to_shanghai(completed).date() if completed else None,
        opening_record=rows,
        panel=tuple(
            PanelMember(
                names[a.evaluator_id],
                "chair" if a.chair else "member",
                signed_at=signed[a.evaluator_id].signed_at if a.evaluator_id in signed else None,
                report_sha256=signed[a.evaluator_id].report_sha256 if a.evaluator_id in signed else "",
            )
            for a in members
        ),
        overrides=overrides,
        abnormal_low=decisions,
        notes=notes,
        audit=trail,
        lot_awards=lot_awards(lots_result) if lots_result is not None else (),
        lot_limit=lots_result.tender.max_lots_awarded_per_vendor if lots_result is not None else None,
        audit_head=audit.head_hash() if record else None,
        final=tender.is_final,
    )
