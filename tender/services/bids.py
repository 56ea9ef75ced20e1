"""Bid use cases: upload → preview → confirm (receipt); replace; withdraw.

A bid is sealed from the moment it is uploaded: the files and everything read from them
are stored encrypted (:mod:`tender.platform.storage`) and only the submitting vendor can have
them decrypted before the opening. The deadline is checked against the server clock in
the same transaction that records the submission, with the tender row locked (``FOR
UPDATE`` on PostgreSQL), so a submission racing the deadline or an extension cannot slip
past it; a refused late attempt is audited.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from scoring import InvalidInput, Problem, evaluate, parse_bid, parse_tender
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tender.platform import audit, storage
from tender.platform.extensions import db
from tender.models import Bid, BidVersion, StoredFile, Tender, User, new_public_id, utcnow
from tender.services import DeadlinePassed, Forbidden, Invalid, NotFound, WrongState
from tender.services import readers
from tender.services.tenders import get_published
from tender.platform.timefmt import show_time

CONTENT_TYPES = {
    "quote": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "document": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def _vendor(user: User) -> User:
    if user.role != "vendor":
        raise Forbidden()
    return user


def _deadline_message(tender: Tender) -> str:
    return _("The bid deadline (%(deadline)s) has passed: bids can no longer be submitted, replaced or withdrawn.",
             deadline=show_time(tender.bid_deadline))


def _refuse_unless_open(vendor: User, tender: Tender, now: dt.datetime, attempt: str) -> None:
    """Refuse (and audit the attempt) unless the tender takes bids at ``now``."""
    status = tender.status_at(now)
    if status == "published":
        return
    if status == "closed":
        audit.record(vendor, "bid_refused_late", f"tender:{tender.public_id}", attempt=attempt,
                     at=now.isoformat(), bid_deadline=tender.bid_deadline.isoformat())
        db.session.commit()
        raise DeadlinePassed(_deadline_message(tender))
    raise WrongState(_("This tender does not take bids (it is %(status)s).", status=_status_text(status)))


def _status_text(status: str) -> str:
    from tender.platform.labels import status_label
    return status_label(status)


def _lock_tender(tender_id: int) -> Tender:
    return db.session.scalars(select(Tender).where(Tender.id == tender_id).with_for_update()
                              .execution_options(populate_existing=True)).one()


# --------------------------------------------------------------------------- reading

def own_bid(vendor: User, public_id: str) -> Bid:
    bid = db.session.scalars(select(Bid).where(Bid.public_id == public_id)).first()
    if bid is None or bid.vendor_id != vendor.id:
        raise NotFound()
    return bid


def own_version(vendor: User, public_id: str) -> BidVersion:
    version = db.session.scalars(select(BidVersion).where(BidVersion.public_id == public_id)).first()
    if version is None or version.bid.vendor_id != vendor.id:
        raise NotFound()
    return version


def own_file(vendor: User, public_id: str) -> tuple[StoredFile, bytes]:
    stored = db.session.scalars(select(StoredFile).where(StoredFile.public_id == public_id)).first()
    if stored is None or stored.bid_version.bid.vendor_id != vendor.id:
        raise NotFound()
    return stored, storage.unseal(stored.blob, f"file:{stored.public_id}")


def bid_for(vendor: User, tender: Tender) -> Bid | None:
    return db.session.scalars(select(Bid).where(Bid.tender_id == tender.id, Bid.vendor_id == vendor.id)).first()


def my_bids_on(vendor: User, tender_ids: list[int]) -> list[Bid]:
    """The vendor's bids on these tenders, with their versions (one query each, not one per bid)."""
    if not tender_ids:
        return []
    return list(db.session.scalars(select(Bid).where(Bid.vendor_id == vendor.id, Bid.tender_id.in_(tender_ids))
                                   .options(selectinload(Bid.versions))))


def my_bids(vendor: User) -> list[Bid]:
    return list(db.session.scalars(select(Bid).where(Bid.vendor_id == vendor.id).order_by(Bid.created_at.desc())))


def sealed_content(vendor: User, version: BidVersion) -> dict:
    """What was read from a version's files — for its own vendor only."""
    if version.bid.vendor_id != vendor.id:
        raise NotFound()
    return storage.unseal_json(version.sealed_data, f"bid_version:{version.public_id}")


def receipt(vendor: User, version: BidVersion) -> dict:
    """The bid receipt (投标回执): bid id, which confirmed submission of the bid this is
    (uploads never confirmed do not count), server time of receipt, the monthly cost as
    quoted, SHA-256 of each file, the audit chain's head."""
    if version.bid.vendor_id != vendor.id:
        raise NotFound()
    if version.submitted_at is None:
        raise WrongState(_("This upload was never submitted, so it has no receipt."))
    tender = version.bid.tender
    quoted = storage.unseal_json(version.sealed_data, f"bid_version:{version.public_id}")["evaluation"]
    return {
        "receipt": "投标回执 / bid receipt",
        "tender": {"id": tender.public_id, "title": tender.title, "version": version.tender_version},
        "bid": {"id": version.bid.public_id, "submission": version.public_id, "number": version.submission_number},
        "vendor": vendor.vendor_profile.company_name if vendor.vendor_profile else vendor.name,
        "received_at": version.submitted_at.isoformat(),
        "received_at_shanghai": show_time(version.submitted_at, seconds=True),
        "pricing_model": quoted["model"],
        "monthly_cost": quoted["monthly_cost"],
        "files": [{"kind": f.kind, "filename": f.filename, "size": f.size, "sha256": f.sha256}
                  for f in version.files],
        "audit_head": version.audit_head,
    }


# --------------------------------------------------------------------------- changes

def _read_uploads(vendor: User, tender: Tender, quote: Upload, document: Upload) -> dict:
    """Check and read both files; every problem of both at once, or the sealed content."""
    problems: list[Problem] = []
    for upload, kind in ((quote, "quote"), (document, "document")):
        try:
            readers.check_upload(upload.filename, upload.data, kind)
        except InvalidInput as error:
            problems += error.problems
    if problems:
        raise Invalid(problems)
    definition = tender.definition()
    quote_reading = readers.read_quote(quote.data, definition, tender.public_id, tender.version)
    if quote_reading.problems:
        raise Invalid(quote_reading.problems)
    declared = {**(vendor.vendor_profile.facts if vendor.vendor_profile else {}),
                **(quote_reading.bid.get("facts") or {})}
    bid_dict = readers.plain({**quote_reading.bid, "facts": declared})
    model = parse_tender(definition)
    company = str(declared.get("company_name") or vendor.name)
    try:
        bid = parse_bid(bid_dict, model, source=company)
    except InvalidInput as error:
        raise Invalid(error.problems) from None
    document_reading = readers.read_document(document.data, definition.get("required_sections") or [], declared)
    if document_reading["problems"]:
        raise Invalid([Problem(**p) for p in document_reading["problems"]])
    result = evaluate(model, [bid])
    evaluation = result.to_json()["bids"][0]
    # each failed rule as the vendor reads it, in either language (result.json's reasons are for machines)
    evaluation["failed_rules"] = [{"title": r.rule.title.to_json(), "why": r.why.to_json()}
                                  for r in result.bids[0].review.rules if not r.passed]
    return {"bid": bid_dict, "evaluation": evaluation, "document": document_reading}


def upload(vendor: User, tender_public_id: str, quote: Upload, document: Upload,
           now: dt.datetime | None = None) -> BidVersion:
    """Store an upload as an unconfirmed version (a preview); nothing counts until confirmed."""
    _vendor(vendor)
    tender = get_published(tender_public_id)
    now = now or utcnow()
    _refuse_unless_open(vendor, tender, now, "upload")
    content = _read_uploads(vendor, tender, quote, document)
    bid = bid_for(vendor, tender)
    if bid is None:
        bid = Bid(tender_id=tender.id, vendor_id=vendor.id, created_at=now)
        db.session.add(bid)
        db.session.flush()
    number = (db.session.scalar(select(func.max(BidVersion.number)).where(BidVersion.bid_id == bid.id)) or 0) + 1
    public_id = new_public_id()
    version = BidVersion(public_id=public_id, bid=bid, number=number, status="preview",
                         tender_version=tender.version, created_at=now,
                         sealed_data=storage.seal_json(content, f"bid_version:{public_id}"))
    for item, kind in ((quote, "quote"), (document, "document")):
        file_id = new_public_id()
        version.files.append(StoredFile(
            public_id=file_id, kind=kind, filename=readers.display_name(item.filename)[:255],
            content_type=CONTENT_TYPES[kind], size=len(item.data), sha256=storage.sha256_hex(item.data), created_at=now,
            blob=storage.seal(item.data, f"file:{file_id}")))
    db.session.add(version)
    db.session.flush()
    audit.record(vendor, "bid_uploaded", f"bid:{bid.public_id}", submission=public_id, number=number,
                 tender=tender.public_id, files=[{"kind": f.kind, "sha256": f.sha256} for f in version.files])
    db.session.commit()
    return version


def confirm(vendor: User, version_public_id: str, now: dt.datetime | None = None) -> BidVersion:
    """Submit a previewed upload: checked against the deadline in the storing transaction."""
    _vendor(vendor)
    version = own_version(vendor, version_public_id)
    if version.status != "preview":
        raise WrongState(_("This upload was already confirmed or discarded."))
    tender = _lock_tender(version.bid.tender_id)
    now = now or utcnow()
    _refuse_unless_open(vendor, tender, now, "confirm")
    if version.tender_version != tender.version:
        version.status = "discarded"
        db.session.commit()
        raise WrongState(_("The tender was amended after this upload. Download the new price sheet and upload again."))
    replaced = version.bid.current
    if replaced is not None:
        replaced.status = "superseded"
    version.status = "submitted"
    version.submitted_at = now
    entry = audit.record(vendor, "bid_replaced" if replaced else "bid_submitted", f"bid:{version.bid.public_id}",
                         submission=version.public_id, number=version.number, tender=tender.public_id,
                         tender_version=version.tender_version, received_at=now.isoformat(),
                         replaces=replaced.public_id if replaced else None,
                         files=[{"kind": f.kind, "sha256": f.sha256} for f in version.files])
    version.audit_head = entry.hash
    db.session.commit()
    return version


def withdraw(vendor: User, bid_public_id: str, now: dt.datetime | None = None) -> Bid:
    _vendor(vendor)
    bid = own_bid(vendor, bid_public_id)
    tender = _lock_tender(bid.tender_id)
    now = now or utcnow()
    _refuse_unless_open(vendor, tender, now, "withdraw")
    current = bid.current
    if current is None:
        raise WrongState(_("There is no submitted bid to withdraw."))
    current.status = "withdrawn"
    current.withdrawn_at = now
    audit.record(vendor, "bid_withdrawn", f"bid:{bid.public_id}", submission=current.public_id,
                 tender=tender.public_id, at=now.isoformat())
    db.session.commit()
    return bid
