"""The round of final offers (最后报价 / 二次报价, domain §12) on the web.

- The buyer opens the round once every sitting evaluator has submitted the technical scores,
  with a deadline in the future; it invites every bid that passed qualification and
  conformity (the bids the panel scored), and each invited vendor is told.
- An invited vendor uploads one final price sheet (the tender's own template, any pricing
  model of the tender) before the deadline: it is read, priced with the first offer beside
  it (the preview shows both), and refused at once when it costs more than the first, with
  both figures. Confirming submits it; a later confirmed sheet replaces it before the deadline.
  The sheet and what was read from it are stored encrypted like a bid's files.
- Final offers stay sealed until the round's deadline, for every role: the buyer opens them
  after it; the round's opening record lists each invited vendor's first and final monthly
  cost with the sheet's SHA-256 re-checked, and warns when fewer than 3 final offers came.
  The evaluation then scores the final offers; a vendor that sent none keeps its first.

Every step is audited; a refused late attempt too. No record of the audit chain holds a
price of a sealed offer (the administrator reads the chain).
"""

from __future__ import annotations

import datetime as dt
import json

from flask_babel import gettext as _
from sqlalchemy import func, select

from scoring import InvalidInput, Problem, lifecycle, parse_bid, parse_tender
from tender.models import Bid, FinalOffer, FinalRound, OpenedBid, Tender, User, new_public_id, utcnow
from tender.notifications.service import notify, path_for
from tender.platform import audit, storage
from tender.platform.extensions import db
from tender.platform.request_time import received_at
from tender.platform.timefmt import show_time
from tender.services import Forbidden, Invalid, NotFound, WrongState, opening, readers
from tender.services.bids import confirm_grace
from tender.services.lot_pricing import priced_alone
from tender.services.tenders import get_own, get_published

FEW_OFFERS = 3  # fewer final offers than this: the round's record warns (§12)
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def round_for(tender: Tender) -> FinalRound | None:
    return db.session.scalars(select(FinalRound).where(FinalRound.tender_id == tender.id)).first()


def offers_opened(tender: Tender) -> bool:
    final_round = round_for(tender)
    return final_round is not None and final_round.offers_opened_at is not None


def _lock(tender: Tender) -> Tender:
    return db.session.scalars(
        select(Tender).where(Tender.id == tender.id).with_for_update().execution_options(populate_existing=True)
    ).one()


# --------------------------------------------------------------------------- the buyer opens the round


def round_refusal(tender: Tender, now: dt.datetime) -> str | None:
    """Why the buyer cannot open the round now (None: it can)."""
    from tender.platform.i18n import pick

    refusal = tender.refusal("open_final_round", "buyer", now)
    if refusal is not None:
        return pick(refusal)
    members = opening.sitting(tender)
    submitted = sum(1 for a in members if a.submitted_at is not None)
    if not members or submitted < len(members):
        return _(
            "The round of final offers opens once every evaluator has submitted the technical scores "
            "(%(submitted)s of %(members)s so far).",
            submitted=submitted,
            members=len(members),
        )
    return None


def open_round(
    buyer: User, tender_public_id: str, deadline: dt.datetime | None, now: dt.datetime | None = None
) -> FinalRound:
    """Open the round with its deadline; the valid bidders are invited and told."""
    if buyer.role != "buyer":
        raise Forbidden()
    tender = _lock(get_own(buyer, tender_public_id))
    now = now or utcnow()
    refusal = round_refusal(tender, now)
    if refusal:
        raise WrongState(refusal)
    last_scores = max(a.submitted_at for a in opening.sitting(tender))
    if deadline is None:
        raise Invalid([Problem("deadline", "请填写最后报价截止时间", "enter the deadline of the final offers")])
    if deadline <= now or deadline <= last_scores:
        raise Invalid(
            [
                Problem(
                    "deadline",
                    f"最后报价截止时间须晚于现在（{show_time(now)}）及技术评分的提交时间",
                    f"the deadline of the final offers must be in the future (now: {show_time(now)}) "
                    f"and after the technical scores",
                )
            ]
        )
    from tender.services.panel import bids_to_score
    from tender.services.results import lines
    from tender.services.results import result as evaluated

    # qualified and conform, not rejected by the panel (abnormally low) — in a tender divided
    # into lots (§13): in one lot at least
    result = evaluated(tender)
    invited = [
        item
        for item in bids_to_score(tender)
        if any(line.decision != "reject" for _lot, line in lines(result, item.vendor_name))
    ]
    final_round = FinalRound(
        tender_id=tender.id,
        deadline=deadline,
        opened_at=now,
        opened_by_id=buyer.id,
        invited_json=json.dumps([item.bid_id for item in invited]),
    )
    db.session.add(final_round)
    tender.status = lifecycle.after("open_final_round")
    audit.record(
        buyer,
        "final_round_opened",
        f"tender:{tender.public_id}",
        at=now.isoformat(),
        deadline=deadline.isoformat(),
        invited=[item.vendor_name for item in invited],
    )
    for item in invited:
        notify(
            [item.bid.vendor],
            "final_round_opened",
            tender,
            link=path_for("bids.final_offer", public_id=tender.public_id),
            deadline=deadline,
        )
    db.session.commit()
    return final_round


# --------------------------------------------------------------------------- the vendor's offer


def invitation(vendor: User, tender: Tender) -> tuple[FinalRound, OpenedBid] | None:
    """The round and the vendor's opened bid, when the vendor is invited to it."""
    final_round = round_for(tender)
    if final_round is None or vendor.role != "vendor":
        return None
    item = db.session.scalars(
        select(OpenedBid)
        .join(Bid, Bid.id == OpenedBid.bid_id)
        .where(OpenedBid.tender_id == tender.id, Bid.vendor_id == vendor.id)
    ).first()
    if item is None or item.bid_id not in final_round.invited:
        return None
    return final_round, item


def _invited(vendor: User, tender_public_id: str) -> tuple[Tender, FinalRound, OpenedBid]:
    if vendor.role != "vendor":
        raise Forbidden()
    tender = get_published(tender_public_id)
    found = invitation(vendor, tender)
    if found is None:
        raise NotFound()
    return tender, *found


def _refuse_unless_round(vendor: User, tender: Tender, now: dt.datetime, attempt: str) -> None:
    refusal = tender.refusal("final_offer", "vendor", now)
    if refusal is None:
        return
    audit.record(vendor, "final_offer_refused_late", f"tender:{tender.public_id}", attempt=attempt, at=now.isoformat())
    db.session.commit()
    from tender.platform.i18n import pick

    raise WrongState(pick(refusal))


def offers_of(bid_id: int) -> list[FinalOffer]:
    return list(db.session.scalars(select(FinalOffer).where(FinalOffer.bid_id == bid_id).order_by(FinalOffer.number)))


def submitted_offer(bid_id: int) -> FinalOffer | None:
    return next(
        (o for o in reversed(offers_of(bid_id)) if o.submitted_at is not None and o.status == "submitted"), None
    )


def own_offer(vendor: User, public_id: str) -> FinalOffer:
    offer = db.session.scalars(select(FinalOffer).where(FinalOffer.public_id == public_id)).first()
    if offer is None or offer.bid.vendor_id != vendor.id:
        raise NotFound()
    return offer


def sealed_content(vendor: User, offer: FinalOffer) -> dict:
    """What was read from the vendor's own final price sheet, with both costs."""
    if offer.bid.vendor_id != vendor.id:
        raise NotFound()
    return storage.unseal_json(offer.sealed_data, f"final_offer:{offer.public_id}")


def _priced(tender: Tender, item: OpenedBid, sheet: bytes, filename: str) -> dict:
    """Read the final price sheet and price it beside the first offer; Invalid for a sheet
    with problems or a final offer dearer than the first (with both figures)."""
    try:
        readers.check_upload(filename, sheet, "quote")
    except InvalidInput as error:
        raise Invalid(error.problems) from None
    definition = tender.definition()
    reading = readers.read_quote(sheet, definition, tender.public_id, tender.version)
    if reading.problems:
        raise Invalid(reading.problems)
    model = parse_tender(definition)
    # the offer as bid.json gives it: final_pricing, or final_lots in a tender divided into lots (§13)
    final = (
        {"final_lots": readers.plain(reading.bid.get("lots") or {})}
        if model.lots
        else {"final_pricing": readers.plain(reading.bid.get("pricing"))}
    )
    first = opening.bid_content(item)["bid"]
    try:
        bid = parse_bid({**first, **final}, model, source=item.vendor_name)
        evaluation, _rules = priced_alone(model, bid)
    except InvalidInput as error:
        # a dearer final offer (both figures; in a lot tender the lot named), or a lot not bid for first
        raise Invalid([Problem(_lot_of(p.path), p.zh, p.en) for p in error.problems]) from None
    return {**final, "evaluation": _both_costs(evaluation)}


def _lot_of(path: str) -> str:
    """``final_lots.L2`` of an engine problem's path (the lot a dearer offer is in), else ''."""
    return path[path.index("final_lots") :] if "final_lots" in path else ""


def _both_costs(line: dict) -> dict:
    """The final and the first offer of one bid's line (of each lot's line in a lot tender)."""
    if line.get("lots"):
        return {
            "lots": [{"id": lot["id"], "name": lot["name"], **_both_costs(lot)} for lot in line["lots"]],
            "model": None,
            "monthly_cost": None,
        }
    return {
        "model": line["model"],
        "monthly_cost": line["monthly_cost"],
        "first_model": line.get("first_model", line["model"]),
        "first_monthly_cost": line.get("first_monthly_cost", line["monthly_cost"]),
        "breakdown": line["breakdown"],
        "first_breakdown": line.get("first_breakdown", []),
    }


def upload(
    vendor: User, tender_public_id: str, filename: str, sheet: bytes, now: dt.datetime | None = None
) -> FinalOffer:
    """Store the final price sheet as a preview (nothing counts until confirmed)."""
    now = now or received_at()
    tender, _round, item = _invited(vendor, tender_public_id)
    _refuse_unless_round(vendor, tender, now, "upload")
    try:
        content = _priced(tender, item, sheet, filename)
    except Invalid as error:
        audit.record(
            vendor,
            "final_offer_refused",
            f"bid:{item.bid.public_id}",
            tender=tender.public_id,
            at=now.isoformat(),
            problems=[p.path for p in error.problems],
        )
        db.session.commit()
        raise
    public_id = new_public_id()
    number = (db.session.scalar(select(func.max(FinalOffer.number)).where(FinalOffer.bid_id == item.bid_id)) or 0) + 1
    offer = FinalOffer(
        public_id=public_id,
        tender_id=tender.id,
        bid_id=item.bid_id,
        number=number,
        status="preview",
        sealed_data=storage.seal_json(content, f"final_offer:{public_id}"),
        filename=readers.display_name(filename)[:255],
        size=len(sheet),
        sha256=storage.sha256_hex(sheet),
        blob=storage.seal(sheet, f"final_offer_file:{public_id}"),
        created_at=now,
    )
    db.session.add(offer)
    db.session.flush()
    audit.record(
        vendor,
        "final_offer_uploaded",
        f"bid:{item.bid.public_id}",
        offer=public_id,
        number=number,
        tender=tender.public_id,
        received_at=now.isoformat(),
        sha256=offer.sha256,
    )
    db.session.commit()
    return offer


def confirm(vendor: User, offer_public_id: str, now: dt.datetime | None = None) -> FinalOffer:
    """Submit a previewed final offer before the round's deadline (it replaces an earlier one)."""
    now = now or received_at()
    offer = own_offer(vendor, offer_public_id)
    tender = _lock(offer.bid.tender)
    deadline = round_for(tender).deadline
    # as for first bids: a sheet received before the deadline may be confirmed within the grace
    in_grace = offer.created_at < deadline <= now < deadline + confirm_grace()
    if not in_grace:
        _refuse_unless_round(vendor, tender, now, "confirm")
    if offer.status != "preview":
        raise WrongState(_("This final offer was already confirmed or replaced."))
    received = offer.created_at if in_grace else now
    replaced = submitted_offer(offer.bid_id)
    if replaced is not None:
        replaced.status = "superseded"
    offer.status = "submitted"
    offer.submitted_at = received
    entry = audit.record(
        vendor,
        "final_offer_replaced" if replaced else "final_offer_submitted",
        f"bid:{offer.bid.public_id}",
        offer=offer.public_id,
        tender=tender.public_id,
        received_at=received.isoformat(),
        confirmed_at=now.isoformat(),
        within_grace=in_grace,
        sha256=offer.sha256,
        replaces=replaced.public_id if replaced else None,
    )
    offer.audit_head = entry.hash
    db.session.commit()
    return offer


def file_of(vendor: User, offer: FinalOffer) -> bytes:
    if offer.bid.vendor_id != vendor.id:
        raise NotFound()
    return storage.unseal(offer.blob, f"final_offer_file:{offer.public_id}")


# --------------------------------------------------------------------------- the opening of the offers


def open_offers(buyer: User, tender_public_id: str, now: dt.datetime | None = None) -> FinalRound:
    """Open the final offers after the round's deadline: re-check each sheet's SHA-256, record
    each offer's monthly cost; the evaluation goes on with the final offers."""
    if buyer.role != "buyer":
        raise Forbidden()
    tender = _lock(get_own(buyer, tender_public_id))
    now = now or utcnow()
    from tender.platform.i18n import pick

    refusal = tender.refusal("open_final_offers", "buyer", now)
    final_round = round_for(tender)
    reason = pick(refusal) if refusal is not None else None
    if reason is None and now < final_round.deadline + confirm_grace():
        # a sheet received in time may still be confirmed until then
        reason = _(
            "Final offers received before the deadline may still be confirmed until %(time)s: "
            "they are opened after that.",
            time=show_time(final_round.deadline + confirm_grace(), seconds=True),
        )
    if reason is not None:
        audit.record(buyer, "final_offers_opening_refused", f"tender:{tender.public_id}", at=now.isoformat())
        db.session.commit()
        raise WrongState(reason)
    names = {item.bid_id: item.vendor_name for item in opening.opened_bids(tender)}
    opened = []
    for bid_id in final_round.invited:
        offer = submitted_offer(bid_id)
        if offer is None:
            continue
        lot_costs = {}
        try:
            sheet = storage.unseal(offer.blob, f"final_offer_file:{offer.public_id}")
            content = storage.unseal_json(offer.sealed_data, f"final_offer:{offer.public_id}")
        except storage.SealBroken:
            offer.hash_ok = False
        else:
            offer.hash_ok = storage.sha256_hex(sheet) == offer.sha256
            offer.monthly_cost = content["evaluation"]["monthly_cost"]
            # in a lot tender (§13): the final cost of each lot the sheet priced
            lot_costs = {
                lot["id"]: lot["monthly_cost"]
                for lot in content["evaluation"].get("lots") or []
                if lot["id"] in (content.get("final_lots") or {})
            }
        opened.append(
            {
                "vendor": names.get(bid_id),
                "offer": offer.public_id,
                "sha256": offer.sha256,
                "hash_ok": offer.hash_ok,
                "monthly_cost": offer.monthly_cost,
                **({"lots": lot_costs} if lot_costs else {}),
            }
        )
    final_round.offers_opened_at = now
    final_round.offers_opened_by_id = buyer.id
    tender.status = lifecycle.after("open_final_offers")
    entry = audit.record(buyer, "final_offers_opened", f"tender:{tender.public_id}", at=now.isoformat(), offers=opened)
    final_round.audit_head = entry.hash
    invited = [item for item in opening.opened_bids(tender) if item.bid_id in final_round.invited]
    for item in invited:
        notify(
            [item.bid.vendor],
            "final_offers_opened",
            tender,
            link=path_for("bids.final_offer", public_id=tender.public_id),
            opened_at=now,
            count=len(opened),
        )
    from tender.notifications.events import panel as panel_members

    notify(
        panel_members(tender),
        "final_offers_opened",
        tender,
        link=path_for("panel.tender", public_id=tender.public_id),
        opened_at=now,
        count=len(opened),
    )
    # the evaluation goes on on the final offers: the chair closes it and the panel signs (§15)
    db.session.commit()
    return final_round


def final_pricings(tender: Tender) -> dict[int, dict]:
    """bid id → ``{"final_pricing": …}`` (``{"final_lots": …}`` in a lot tender) of each final
    offer opened with its sheet intact (what the evaluation scores); nothing before the
    offers are opened."""
    final_round = round_for(tender)
    if final_round is None or final_round.offers_opened_at is None:
        return {}
    found = {}
    for bid_id in final_round.invited:
        offer = submitted_offer(bid_id)
        if offer is not None and offer.hash_ok:
            content = storage.unseal_json(offer.sealed_data, f"final_offer:{offer.public_id}")
            found[bid_id] = {key: content[key] for key in ("final_pricing", "final_lots") if key in content}
    return found


def record(tender: Tender) -> dict:
    """The round's opening record: each invited vendor's first and final monthly cost, its
    sheet's SHA-256 re-checked, the time of receipt; the count, and whether it is too few."""
    final_round = round_for(tender)
    if final_round is None:
        raise NotFound()
    rows = []
    for item in opening.opened_bids(tender):
        if item.bid_id not in final_round.invited:
            continue
        offer = submitted_offer(item.bid_id)
        rows.append(
            {
                "vendor": item.vendor_name,
                "first_model": item.model,
                "first_monthly_cost": item.monthly_cost,
                "offer": offer,
                "monthly_cost": offer.monthly_cost if offer else None,
                "scored": offer.monthly_cost if offer and offer.hash_ok else item.monthly_cost,
                "lots": _lot_lines(item, offer, final_round),
            }
        )
    offers = sum(1 for row in rows if row["offer"] is not None)
    return {"round": final_round, "rows": rows, "offers": offers, "few": offers < FEW_OFFERS}


def _lot_lines(item: OpenedBid, offer: FinalOffer | None, final_round: FinalRound) -> list[dict]:
    """In a lot tender (§13), one line per lot the bid is for: the first monthly cost (as at
    the opening), the final one when the final sheet priced that lot (read only once the
    offers are opened), and the cost scored. [] for an undivided tender."""
    first_lots = item.details.get("lots") or []
    if not first_lots:
        return []
    final = {}
    if offer is not None and offer.hash_ok and final_round.offers_opened_at is not None:
        content = storage.unseal_json(offer.sealed_data, f"final_offer:{offer.public_id}")
        priced = set(content.get("final_lots") or {})
        final = {
            lot["id"]: lot["monthly_cost"]
            for lot in (content.get("evaluation") or {}).get("lots") or []
            if lot["id"] in priced
        }
    return [
        {
            "id": lot["id"],
            "first_monthly_cost": lot.get("monthly_cost"),
            "monthly_cost": final.get(lot["id"]),
            "scored": final.get(lot["id"], lot.get("monthly_cost")),
        }
        for lot in first_lots
    ]


def received_count(tender: Tender) -> int:
    """How many invited vendors have confirmed a final offer (a count, never a content)."""
    final_round = round_for(tender)
    if final_round is None:
        return 0
    return sum(1 for bid_id in final_round.invited if submitted_offer(bid_id) is not None)
