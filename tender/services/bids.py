"""Bid use cases: upload → preview → confirm (receipt); replace; withdraw.

A bid is sealed from the moment it is uploaded: the files and everything read from them
are stored encrypted (:mod:`tender.platform.storage`) and only the submitting vendor can have
them decrypted before the opening.

The deadline is judged on the time of receipt of the vendor's request — when it reached
the application (:func:`tender.platform.request_time.received_at`), not when a busy server got
round to it — so no vendor loses a bid it sent in time because others were sending theirs
too. An upload received before the deadline can still be confirmed within a short grace
after it (``CONFIRM_GRACE_SECONDS``, 120 s): its preview may come back after the deadline.
Such a submission's time of receipt is when its files reached the server; any other's is
when its confirmation did. A refused late attempt is audited.

Reading, checking and sealing an upload is CPU work (openpyxl, python-docx, AES) done
before any lock is taken, by at most ``UPLOAD_READERS`` (1) threads of a process at once:
a threaded worker accepts every request as it arrives (its time of receipt is stamped
then), and the threads waiting for their turn do not compete for the interpreter with a
thread that holds a lock and only needs a moment to finish.

Locks are short and never held while reading files: a confirmation takes the tender row
``FOR SHARE`` (confirmations do not wait for one another; an amendment, extension,
cancellation or the opening, which take it ``FOR UPDATE``, wait for them or they for it)
and its own bid's row ``FOR UPDATE`` (one change of a vendor's bid at a time); the audit
chain is locked only to append the record, just before the commit.
"""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from scoring import InvalidInput, Problem, lifecycle, parse_bid, parse_tender
from tender.models import Bid, BidVersion, StoredFile, Tender, User, new_public_id
from tender.platform import audit, storage
from tender.platform.extensions import db
from tender.platform.labels import status_label
from tender.platform.request_time import phase, received_at
from tender.platform.timefmt import show_time
from tender.services import DeadlinePassed, Forbidden, Invalid, NotFound, WrongState, readers
from tender.services.lot_pricing import lot_costs
from tender.services.tenders import get_published

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
    return _(
        "The bid deadline (%(deadline)s) has passed: bids can no longer be submitted, replaced or withdrawn.",
        deadline=show_time(tender.bid_deadline),
    )


def _refuse_unless_open(vendor: User, tender: Tender, now: dt.datetime, attempt: str) -> None:
    """Refuse (and audit the attempt) unless the tender takes bids at ``now``."""
    if tender.may("bid", now=now):
        return
    status = tender.status_at(now)
    if lifecycle.awaiting_opening(status):
        audit.record(
            vendor,
            "bid_refused_late",
            f"tender:{tender.public_id}",
            attempt=attempt,
            at=now.isoformat(),
            bid_deadline=tender.bid_deadline.isoformat(),
        )
        db.session.commit()
        raise DeadlinePassed(_deadline_message(tender))
    raise WrongState(_("This tender does not take bids (it is %(status)s).", status=status_label(status)))


_readers: threading.BoundedSemaphore | None = None
_readers_made = threading.Lock()


@contextmanager
def _reading_turn():
    """One of the process's ``UPLOAD_READERS`` turns to read and seal an upload."""
    global _readers
    if _readers is None:
        with _readers_made:
            if _readers is None:
                _readers = threading.BoundedSemaphore(max(1, int(current_app.config.get("UPLOAD_READERS", 1))))
    with phase("wait"):
        _readers.acquire()
    try:
        yield
    finally:
        _readers.release()


def confirm_grace() -> dt.timedelta:
    """How long after the deadline an upload received before it may still be confirmed."""
    return dt.timedelta(seconds=float(current_app.config.get("CONFIRM_GRACE_SECONDS", 120)))


def _share_tender(tender_id: int) -> Tender:
    """The tender row, locked against changes (FOR SHARE) but not against other vendors."""
    return db.session.scalars(
        select(Tender)
        .where(Tender.id == tender_id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    ).one()


def _lock_bid(bid_id: int) -> Bid:
    return db.session.scalars(
        select(Bid).where(Bid.id == bid_id).with_for_update().execution_options(populate_existing=True)
    ).one()


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
    return list(
        db.session.scalars(
            select(Bid)
            .where(Bid.vendor_id == vendor.id, Bid.tender_id.in_(tender_ids))
            .options(selectinload(Bid.versions))
        )
    )


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
    quoted (and the contract cost when the tender gives its months), SHA-256 of each file,
    the audit chain's head."""
    if version.bid.vendor_id != vendor.id:
        raise NotFound()
    if version.submitted_at is None:
        raise WrongState(_("This upload was never submitted, so it has no receipt."))
    tender = version.bid.tender
    quoted = storage.unseal_json(version.sealed_data, f"bid_version:{version.public_id}")["evaluation"]
    year = {}
    if quoted.get("contract_cost") is not None:  # the tender gives its months: the contract cost quoted too
        year = {"contract_cost": quoted["contract_cost"], "contract_months": len(quoted.get("monthly_costs") or [])}
    return {
        "receipt": "投标回执 / bid receipt",
        "tender": {"id": tender.public_id, "title": tender.title, "version": version.tender_version},
        "bid": {"id": version.bid.public_id, "submission": version.public_id, "number": version.submission_number},
        "vendor": vendor.vendor_profile.company_name if vendor.vendor_profile else vendor.name,
        "received_at": version.submitted_at.isoformat(),
        "received_at_shanghai": show_time(version.submitted_at, seconds=True),
        "pricing_model": quoted["model"],
        "monthly_cost": quoted["monthly_cost"],
        **({"lots": lot_costs(quoted)} if quoted.get("lots") else {}),  # a tender divided into lots
        **year,
        "files": [{"kind": f.kind, "filename": f.filename, "size": f.size, "sha256": f.sha256} for f in version.files],
        "audit_head": version.audit_head,
    }


# --------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class _Reading:
    """What reading an upload needs, as plain values (no database access while it reads)."""

    definition: dict
    tender_id: str
    tender_version: int
    profile_facts: dict
    vendor_name: str


def _read_uploads(reading: _Reading, quote: Upload, document: Upload) -> dict:
    """Check and read both files; every problem of both at once, or the sealed content."""
    problems: list[Problem] = []
    with phase("check"):
        for upload, kind in ((quote, "quote"), (document, "document")):
            try:
                readers.check_upload(upload.filename, upload.data, kind)
            except InvalidInput as error:
                problems += error.problems
    if problems:
        raise Invalid(problems)
    definition = reading.definition
    with phase("quote"):
        quote_reading = readers.read_quote(quote.data, definition, reading.tender_id, reading.tender_version)
    if quote_reading.problems:
        raise Invalid(quote_reading.problems)
    declared = {**reading.profile_facts, **(quote_reading.bid.get("facts") or {})}
    bid_dict = readers.plain({**quote_reading.bid, "facts": declared})
    model = parse_tender(definition)
    company = str(declared.get("company_name") or reading.vendor_name)
    try:
        bid = parse_bid(bid_dict, model, source=company)
    except InvalidInput as error:
        raise Invalid(error.problems) from None
    with phase("document"):
        document_reading = readers.read_document(document.data, definition.get("required_sections") or [], declared)
    if document_reading["problems"]:
        raise Invalid([Problem(**p) for p in document_reading["problems"]])
    with phase("preview"):
        from tender.services.lot_pricing import priced_alone

        evaluation, rules = priced_alone(model, bid)  # lot by lot in a tender divided into lots
    # each failed rule as the vendor reads it, in either language (result.json's reasons are for machines)
    evaluation["failed_rules"] = [
        {"title": r.rule.title.to_json(), "why": r.why.to_json()} for r in rules if not r.passed
    ]
    return {"bid": bid_dict, "evaluation": evaluation, "document": document_reading}


def upload(
    vendor: User,
    tender_public_id: str,
    quote: Upload,
    document: Upload,
    now: dt.datetime | None = None,
    evidence: dict[str, Upload] | None = None,
) -> BidVersion:
    """Store an upload as an unconfirmed version (a preview); nothing counts until confirmed.

    ``now`` is the upload's time of receipt (by default: when the request reached the
    application); the files are read, checked and sealed before anything is locked."""
    _vendor(vendor)
    now = now or received_at()
    tender = get_published(tender_public_id)
    _refuse_unless_open(vendor, tender, now, "upload")
    reading = _Reading(
        tender.definition(),
        tender.public_id,
        tender.version,
        dict(vendor.vendor_profile.facts) if vendor.vendor_profile else {},
        vendor.name,
    )
    tender_row, vendor_row = tender.id, vendor.id
    # End the transaction (nothing of this upload is written yet), so that its connection
    # goes back to the pool while the files are read, which may mean waiting for a turn.
    db.session.commit()
    public_id = new_public_id()
    # qualification evidence (certificates, licences…): checked before anything is read
    from tender.services import evidence as evidence_service

    evidence_files = evidence_service.checked(reading.definition, evidence or {})
    with _reading_turn():
        content = _read_uploads(reading, quote, document)
        with phase("seal"):
            attached = evidence_service.stored_files(evidence_files, content, now)  # named in the content
            sealed_data = storage.seal_json(content, f"bid_version:{public_id}")
            files = []
            for item, kind in ((quote, "quote"), (document, "document")):
                file_id = new_public_id()
                files.append(
                    StoredFile(
                        public_id=file_id,
                        kind=kind,
                        filename=readers.display_name(item.filename)[:255],
                        content_type=CONTENT_TYPES[kind],
                        size=len(item.data),
                        sha256=storage.sha256_hex(item.data),
                        blob=storage.seal(item.data, f"file:{file_id}"),
                        created_at=now,
                    )
                )
            files.extend(attached)
    with phase("store"):
        bid = db.session.scalars(select(Bid).where(Bid.tender_id == tender_row, Bid.vendor_id == vendor_row)).first()
        if bid is None:
            bid = Bid(tender_id=tender_row, vendor_id=vendor_row, created_at=now)
            db.session.add(bid)
            db.session.flush()
        number = (db.session.scalar(select(func.max(BidVersion.number)).where(BidVersion.bid_id == bid.id)) or 0) + 1
        # the tender version the files were read against (an amendment meanwhile: the
        # confirmation will ask for a new upload)
        version = BidVersion(
            public_id=public_id,
            bid=bid,
            number=number,
            status="preview",
            tender_version=reading.tender_version,
            sealed_data=sealed_data,
            created_at=now,
        )
        version.files.extend(files)
        db.session.add(version)
        db.session.flush()
    audit.record(
        vendor,
        "bid_uploaded",
        f"bid:{bid.public_id}",
        submission=public_id,
        number=number,
        tender=reading.tender_id,
        received_at=now.isoformat(),
        files=[{"kind": f.kind, "sha256": f.sha256} for f in version.files],
    )
    with phase("commit"):
        db.session.commit()
    return version


def confirm(vendor: User, version_public_id: str, now: dt.datetime | None = None) -> BidVersion:
    """Submit a previewed upload.

    ``now`` is the confirmation's time of receipt (by default: when the request reached the
    application). It counts before the deadline; after it, within the grace, when the
    upload itself was received before the deadline (the submission's time of receipt is
    then the upload's). Checked in the storing transaction, with the tender row shared and
    the bid's row locked, so an amendment or a second confirmation cannot interleave."""
    _vendor(vendor)
    now = now or received_at()
    version = own_version(vendor, version_public_id)
    with phase("lock"):
        tender = _share_tender(version.bid.tender_id)
        bid = _lock_bid(version.bid_id)
        db.session.refresh(version)
    if version.status != "preview":
        raise WrongState(_("This upload was already confirmed or discarded."))
    files_received = version.created_at
    in_grace = (
        lifecycle.awaiting_opening(tender.status_at(now))
        and files_received < tender.bid_deadline <= now < tender.bid_deadline + confirm_grace()
    )
    if not in_grace:
        _refuse_unless_open(vendor, tender, now, "confirm")
    if version.tender_version != tender.version:
        version.status = "discarded"
        db.session.commit()
        raise WrongState(_("The tender was amended after this upload. Download the new price sheet and upload again."))
    received = files_received if in_grace else now
    replaced = bid.current
    if replaced is not None:
        replaced.status = "superseded"
    version.status = "submitted"
    version.submitted_at = received
    entry = audit.record(
        vendor,
        "bid_replaced" if replaced else "bid_submitted",
        f"bid:{bid.public_id}",
        submission=version.public_id,
        number=version.number,
        tender=tender.public_id,
        tender_version=version.tender_version,
        received_at=received.isoformat(),
        confirmed_at=now.isoformat(),
        within_grace=in_grace,
        replaces=replaced.public_id if replaced else None,
        files=[{"kind": f.kind, "sha256": f.sha256} for f in version.files],
    )
    version.audit_head = entry.hash
    with phase("commit"):
        db.session.commit()
    return version


def withdraw(vendor: User, bid_public_id: str, now: dt.datetime | None = None) -> Bid:
    _vendor(vendor)
    now = now or received_at()
    bid = own_bid(vendor, bid_public_id)
    tender = _share_tender(bid.tender_id)
    bid = _lock_bid(bid.id)
    _refuse_unless_open(vendor, tender, now, "withdraw")
    current = bid.current
    if current is None:
        raise WrongState(_("There is no submitted bid to withdraw."))
    current.status = "withdrawn"
    current.withdrawn_at = now
    audit.record(
        vendor,
        "bid_withdrawn",
        f"bid:{bid.public_id}",
        submission=current.public_id,
        tender=tender.public_id,
        at=now.isoformat(),
    )
    db.session.commit()
    return bid
