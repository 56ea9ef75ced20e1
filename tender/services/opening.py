"""The evaluation panel and the bid opening (开标).

The buyer puts evaluators on a tender's panel (before the opening; afterwards only to
replace one who recused itself) and opens the bids at or after the opening time — never
before it, whoever asks. Opening decrypts each bid's current submission, recomputes the
SHA-256 of every stored file and compares it with the one on the receipt; a mismatch is
flagged, a bid that cannot be decrypted is marked unreadable and does not stop the
others. The opening record (开标记录) lists every bidder with its time of receipt,
pricing model and normalized monthly cost (computed by ``scoring``), and prints the audit
head hash at the moment of opening.
"""

from __future__ import annotations

import datetime as dt
import json

from flask_babel import gettext as _
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from scoring import InvalidInput, evaluate, lifecycle, parse_bid, parse_tender
from scoring.money import fmt2
from tender.models import (
    Bid,
    BidVersion,
    EvaluatorAssignment,
    OpenedBid,
    OpeningRecord,
    Tender,
    User,
    utcnow,
)
from tender.notifications import events
from tender.platform import audit, storage
from tender.platform.extensions import db
from tender.platform.timefmt import show_time
from tender.services import Forbidden, NotFound, WrongState, require
from tender.services.lot_pricing import lot_costs, priced_alone
from tender.services.tenders import get_own

# --------------------------------------------------------------------------- panel


def panel(tender: Tender) -> list[EvaluatorAssignment]:
    """Every assignment of the tender, in the order the evaluators were assigned."""
    return list(
        db.session.scalars(
            select(EvaluatorAssignment)
            .where(EvaluatorAssignment.tender_id == tender.id)
            .order_by(EvaluatorAssignment.id)
        )
    )


def sitting(tender: Tender) -> list[EvaluatorAssignment]:
    """The evaluators who sit on the panel: assigned and not recused."""
    return [a for a in panel(tender) if not a.recused]


def available_evaluators() -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.role == "evaluator", User.active.is_(True)).order_by(User.name))
    )


def may_assign(tender: Tender, members: list[EvaluatorAssignment]) -> bool:
    """Evaluators join before the opening; afterwards only to replace one who recused."""
    return tender.may("form_panel") or (any(a.recused for a in members) and tender.may("replace_recused"))


def assign(buyer: User, tender_public_id: str, evaluator_public_id: str) -> EvaluatorAssignment:
    tender = get_own(buyer, tender_public_id)
    members = panel(tender)
    if not may_assign(tender, members):
        require(tender, "form_panel")
    evaluator = db.session.scalars(select(User).where(User.public_id == evaluator_public_id)).first()
    if evaluator is None or evaluator.role != "evaluator" or not evaluator.active:
        raise NotFound()
    if any(a.evaluator_id == evaluator.id for a in members):
        raise WrongState(_("%(name)s is already on the panel.", name=evaluator.name))
    # the first evaluator sitting chairs the panel until the buyer names another (§15)
    chair = not any(a.chair and not a.recused for a in members)
    assignment = EvaluatorAssignment(
        tender_id=tender.id, evaluator_id=evaluator.id, assigned_by_id=buyer.id, chair=chair
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record(
        buyer,
        "evaluator_assigned",
        f"tender:{tender.public_id}",
        evaluator=evaluator.email,
        name=evaluator.name,
        chair=chair,
    )
    db.session.commit()
    return assignment


def unassign(buyer: User, tender_public_id: str, evaluator_public_id: str) -> None:
    tender = get_own(buyer, tender_public_id)
    members = panel(tender)
    assignment = next((a for a in members if a.evaluator.public_id == evaluator_public_id), None)
    if assignment is None:
        raise NotFound()
    require(tender, "form_panel")
    audit.record(
        buyer,
        "evaluator_unassigned",
        f"tender:{tender.public_id}",
        evaluator=assignment.evaluator.email,
        name=assignment.evaluator.name,
    )
    if assignment.chair:  # the next evaluator assigned chairs until the buyer names another
        following = next((a for a in members if a is not assignment and not a.recused), None)
        if following is not None:
            following.chair = True
    db.session.delete(assignment)
    db.session.commit()


# --------------------------------------------------------------------------- opening


def opening_refusal(tender: Tender, now: dt.datetime) -> str | None:
    """Why the bids of ``tender`` cannot be opened at ``now`` (None: they can)."""
    status = tender.status_at(now)
    if not lifecycle.sealed(status):
        return _("The bids are already opened.")
    if not lifecycle.allowed("open", status):
        return _("Bids are opened after the bid deadline, at the opening time.")
    from tender.services.bids import confirm_grace

    grace_end = tender.bid_deadline + confirm_grace()
    if now < grace_end:  # an upload received in time may still be confirmed until then
        return _(
            "Uploads received before the deadline may still be confirmed until %(time)s: "
            "the bids are opened after that.",
            time=show_time(grace_end, seconds=True),
        )
    if tender.refusal("open", now=now) is not None:  # the state allows it: the opening time has not come
        return _("The bids cannot be opened before the opening time (%(time)s).", time=show_time(tender.opening_time))
    if not sitting(tender):
        return _("Assign at least one evaluator before opening the bids.")
    return None


def _lock(tender: Tender) -> Tender:
    return db.session.scalars(
        select(Tender).where(Tender.id == tender.id).with_for_update().execution_options(populate_existing=True)
    ).one()


def _open_one(tender: Tender, model, bid: Bid) -> OpenedBid:
    """Decrypt one bid's current submission, check its files and price it; never raises."""
    version = bid.current
    opened = OpenedBid(
        tender_id=tender.id,
        bid=bid,
        bid_version=version,
        received_at=version.submitted_at,
        status="ok",
        hash_ok=True,
        vendor_name=bid.vendor.vendor_profile.company_name if bid.vendor.vendor_profile else bid.vendor.name,
        credit_code=bid.vendor.vendor_profile.credit_code if bid.vendor.vendor_profile else None,
    )
    files, problems, lots = [], [], []
    for stored in version.files:
        try:
            data = storage.unseal(stored.blob, f"file:{stored.public_id}")
        except storage.SealBroken:
            files.append(
                {
                    "kind": stored.kind,
                    "filename": stored.filename,
                    "sha256": stored.sha256,
                    "recomputed": None,
                    "ok": False,
                }
            )
            problems.append(f"file:{stored.kind}:undecryptable")
            opened.status = "unreadable"
            continue
        recomputed = storage.sha256_hex(data)
        files.append(
            {
                "kind": stored.kind,
                "filename": stored.filename,
                "sha256": stored.sha256,
                "recomputed": recomputed,
                "ok": recomputed == stored.sha256,
            }
        )
        if recomputed != stored.sha256:
            opened.hash_ok = False
    try:
        content = storage.unseal_json(version.sealed_data, f"bid_version:{version.public_id}")
        scored = parse_bid(content["bid"], model, source=opened.vendor_name)
        opened.vendor_name = scored.vendor
        if model.lots:  # a tender divided into lots (§13): each lot's cost, in the details
            lots = lot_costs(priced_alone(model, scored)[0])
        else:
            result = evaluate(model, [scored]).bids[0]
            opened.model = result.model
            opened.monthly_cost = fmt2(result.monthly_cost)
    except storage.SealBroken:
        opened.status = "unreadable"
        problems.append("quote:undecryptable")
    except (InvalidInput, KeyError, ValueError, TypeError):
        opened.status = "unreadable"
        problems.append("quote:unreadable")
    opened.details_json = json.dumps(
        {
            "files": files,
            "problems": problems,
            **({"lots": lots} if lots else {}),
            "tender_version": version.tender_version,
            "older_tender_version": version.tender_version != tender.version,
        },
        ensure_ascii=False,
    )
    return opened


def open_bids(buyer: User, tender_public_id: str, now: dt.datetime | None = None) -> OpeningRecord:
    """Open every current submission of a closed tender at/after its opening time."""
    if buyer.role != "buyer":
        raise Forbidden()
    tender = _lock(get_own(buyer, tender_public_id))
    now = now or utcnow()
    refusal = opening_refusal(tender, now)
    if refusal:
        audit.record(buyer, "opening_refused", f"tender:{tender.public_id}", at=now.isoformat(), reason=refusal)
        db.session.commit()
        raise WrongState(refusal)
    model = parse_tender(tender.definition())
    bids = [
        bid
        for bid in db.session.scalars(select(Bid).where(Bid.tender_id == tender.id).order_by(Bid.id))
        if bid.current is not None
    ]
    opened = [_open_one(tender, model, bid) for bid in bids]
    opened.sort(key=lambda o: (o.received_at or now, o.id or 0))
    _distinct_names(opened)
    db.session.add_all(opened)
    tender.status = lifecycle.after("open")
    entry = audit.record(
        buyer,
        "bids_opened",
        f"tender:{tender.public_id}",
        at=now.isoformat(),
        bids=[
            {
                "bid": o.bid.public_id,
                "vendor": o.vendor_name,
                "status": o.status,
                "hash_ok": o.hash_ok,
                "monthly_cost": o.monthly_cost,
                "files": [{"kind": f["kind"], "sha256": f["sha256"], "ok": f["ok"]} for f in o.details["files"]],
            }
            for o in opened
        ],
    )
    record = OpeningRecord(
        tender_id=tender.id,
        opened_at=now,
        opened_by_id=buyer.id,
        audit_head=entry.hash,
        bids_received=len(opened),
        min_valid_bids=model.min_valid_bids,
    )
    db.session.add(record)
    events.bids_opened(tender, opened, now)
    db.session.commit()
    return record


def _distinct_names(opened: list[OpenedBid]) -> None:
    """Two bids naming the same company would be one vendor to the engine: tell them apart."""
    seen: dict[str, int] = {}
    for item in opened:
        seen[item.vendor_name] = seen.get(item.vendor_name, 0) + 1
    for item in opened:
        if seen[item.vendor_name] > 1:
            item.vendor_name = f"{item.vendor_name} ({item.bid.public_id[:6]})"


def record_for(tender: Tender) -> OpeningRecord | None:
    return db.session.scalars(select(OpeningRecord).where(OpeningRecord.tender_id == tender.id)).first()


def opened_bids(tender: Tender, versions: bool = True) -> list[OpenedBid]:
    """The bids as opened, in the order they were received. ``versions=False``: without their
    bid versions (the sealed quote data, a few kB a bid) — what reads only the opening's own
    columns (names, costs, statuses) needs; :func:`load_versions` reads them later."""
    # the versions and bids come in two more statements, not one per bid
    loads = (
        (selectinload(OpenedBid.bid_version), selectinload(OpenedBid.bid))
        if versions
        else (selectinload(OpenedBid.bid),)
    )
    return list(
        db.session.scalars(
            select(OpenedBid)
            .where(OpenedBid.tender_id == tender.id)
            .options(*loads)
            .order_by(OpenedBid.received_at, OpenedBid.id)
        )
    )


def load_versions(items: list[OpenedBid]) -> None:
    """Read the bid versions ``items`` lack in one statement a 500 (not one a bid)."""
    wanted = {item.bid_version_id: item for item in items if "bid_version" not in sa_inspect(item).dict}
    ids = list(wanted)
    for start in range(0, len(ids), 500):  # a bounded IN list
        for version in db.session.scalars(select(BidVersion).where(BidVersion.id.in_(ids[start : start + 500]))):
            set_committed_value(wanted[version.id], "bid_version", version)


def opened_bid(tender: Tender, bid_public_id: str) -> OpenedBid:
    item = db.session.scalars(
        select(OpenedBid)
        .join(Bid, Bid.id == OpenedBid.bid_id)
        .where(OpenedBid.tender_id == tender.id, Bid.public_id == bid_public_id)
    ).first()
    if item is None:
        raise NotFound()
    return item


def bid_content(item: OpenedBid) -> dict:
    """What was read from an opened bid (facts, pricing, document reading); after opening only."""
    version = item.bid_version
    content = storage.unseal_json(version.sealed_data, f"bid_version:{version.public_id}")
    bid = content["bid"]
    facts = dict(bid.get("facts") or {})
    facts["company_name"] = item.vendor_name  # the name the evaluation knows it by
    return {**content, "bid": {**bid, "facts": facts}}


def document_bytes(item: OpenedBid) -> bytes:
    stored = next((f for f in item.bid_version.files if f.kind == "document"), None)
    if stored is None:
        raise NotFound()
    return storage.unseal(stored.blob, f"file:{stored.public_id}")
