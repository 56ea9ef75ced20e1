"""The audit trail: an append-only chain of every state change, keyed (HMAC-SHA256).

Each :class:`~tender.models.AuditRecord` carries ``hash = HMAC-SHA256(audit key, prev_hash
‖ canonical JSON of the record)``, the first one chaining from 64 zeros. The audit key is
kept apart from the database (``TENDER_AUDIT_KEY`` or ``instance/keys/audit.key``, see
:mod:`tender.platform.storage`), so whoever can write to the database but does not hold the key
cannot edit a record and recompute the hashes after it: :func:`verify` names the first
record whose hash is not the keyed hash of its content — including one recomputed with
plain SHA-256. The head hash is printed in receipts, so dropping the newest rows is
detected too: :func:`missing_heads` names the printed head hashes the chain no longer
holds (``tender audit verify --expect-head``).

Chains written before the chain was keyed (plain ``SHA-256(prev_hash ‖ canonical JSON)``)
are converted once by :func:`rekey` (``tender audit rekey``): it checks the old chain,
recomputes every hash under the key, and keeps each record's former hash in
``legacy_hash``, so heads printed before (receipts, opening records, backup manifests)
are still found; :func:`verify` checks those former hashes against the records' content
too, so they cannot be forged either.

:func:`record` adds to the current transaction: the record commits with the change it
describes, or not at all. Everything a record needs is computed before the chain's
lock is taken (on PostgreSQL a transaction-scoped advisory lock, so two workers never
chain from the same head; ``seq`` is the primary key, so a fork would fail anyway); the
caller commits right after, which releases it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import or_, select, text

from tender.models import AuditRecord, utcnow
from tender.platform.extensions import db
from tender.platform.request_time import phase

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x7E4DE2  # arbitrary, constant: the advisory lock of the audit chain

# Why verify() stops at a record (stable English texts; the command line adds Chinese).
SEQUENCE_GAP = "sequence gap"
PREVIOUS_MISMATCH = "previous hash does not match"
NOT_KEYED = "record hashed without the audit key (plain SHA-256)"
CONTENT_MISMATCH = "record content does not match its hash"
LEGACY_MISMATCH = "former (pre-rekey) hash does not match the record"


def canonical(seq: int, at: dt.datetime, actor: str, action: str, obj: str, details: dict) -> str:
    body = {
        "seq": seq,
        "at": at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z",
        "actor": actor,
        "action": action,
        "object": obj,
        "details": details,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def audit_key() -> bytes:
    return current_app.extensions["tender_audit_key"]


def chain_hash(prev_hash: str, canonical_json: str, key: bytes | None = None) -> str:
    """The keyed link: HMAC-SHA256 under the audit key of ``prev_hash ‖ canonical JSON``."""
    return hmac.new(
        key if key is not None else audit_key(), (prev_hash + canonical_json).encode("utf-8"), hashlib.sha256
    ).hexdigest()


def plain_hash(prev_hash: str, canonical_json: str) -> str:
    """The link of chains written before keying: SHA-256 of ``prev_hash ‖ canonical JSON``."""
    return hashlib.sha256((prev_hash + canonical_json).encode("utf-8")).hexdigest()


def actor_name(user) -> str:
    """How a user is named in the trail: e-mail and role (or ``system`` / ``anonymous``)."""
    if user is None:
        return "system"
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    return f"{user.email} ({user.role})"


def head() -> AuditRecord | None:
    return db.session.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).first()


def head_hash() -> str:
    last = head()
    return last.hash if last else GENESIS


def lock_chain() -> None:
    """Serialize the chain's writers until this transaction ends (PostgreSQL; SQLite has
    one writer at a time anyway)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def record(actor, action: str, obj: str = "", **details) -> AuditRecord:
    """Append one record to the session's transaction; the caller commits (at once: the
    chain stays locked until then)."""
    actor_text = actor if isinstance(actor, str) else actor_name(actor)
    details = json.loads(json.dumps(details, ensure_ascii=False, default=str))
    details_json = json.dumps(details, ensure_ascii=False, sort_keys=True)
    key = audit_key()
    db.session.flush()  # the change being described is written before the chain is locked
    with phase("audit-lock"):
        lock_chain()
    with phase("audit"):
        last = db.session.execute(
            select(AuditRecord.seq, AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1)
        ).first()  # the last link's number and hash, not the whole record
        seq = last.seq + 1 if last else 1
        prev = last.hash if last else GENESIS
        at = utcnow()
        entry = AuditRecord(
            seq=seq,
            at=at,
            actor=actor_text,
            action=action,
            object=obj,
            details_json=details_json,
            prev_hash=prev,
            hash=chain_hash(prev, canonical(seq, at, actor_text, action, obj, details), key),
        )
        db.session.add(entry)
        db.session.flush()
    return entry


@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int
    head: str
    broken_seq: int | None = None
    reason: str = ""
    plain_records: int = 0  # records still chained with plain SHA-256 (allow_plain only)


def verify(allow_plain: bool = False) -> Verification:
    """Recompute the chain; name the first record whose link or content does not match.

    Every record must carry the keyed hash of its content. With ``allow_plain`` (used to
    check a chain before :func:`rekey` converts it) records chained with plain SHA-256
    are accepted as long as they all come before the first keyed one.
    """
    key = audit_key()
    prev = GENESIS
    legacy_prev = GENESIS
    legacy_open = True  # former hashes are kept by a prefix of the chain only
    keyed_seen = False
    plain_records = 0
    expected_seq = 1
    count = 0
    for entry in db.session.scalars(select(AuditRecord).order_by(AuditRecord.seq)):
        count += 1
        if entry.seq != expected_seq:
            return Verification(False, count, prev, entry.seq, f"{SEQUENCE_GAP}: expected {expected_seq}")
        if entry.prev_hash != prev:
            return Verification(False, count, prev, entry.seq, PREVIOUS_MISMATCH)
        body = canonical(entry.seq, entry.at, entry.actor, entry.action, entry.object, entry.details)
        if hmac.compare_digest(chain_hash(prev, body, key), entry.hash):
            keyed_seen = True
        elif plain_hash(prev, body) == entry.hash:
            if not allow_plain or keyed_seen:
                return Verification(False, count, prev, entry.seq, NOT_KEYED)
            plain_records += 1
        else:
            return Verification(False, count, prev, entry.seq, CONTENT_MISMATCH)
        if entry.legacy_hash is not None:
            if not legacy_open or entry.legacy_hash not in (
                plain_hash(legacy_prev, body),
                chain_hash(legacy_prev, body, key),
            ):
                return Verification(False, count, prev, entry.seq, LEGACY_MISMATCH)
            legacy_prev = entry.legacy_hash
        else:
            legacy_open = False
        prev = entry.hash
        expected_seq += 1
    return Verification(True, count, prev, plain_records=plain_records)


@dataclass(frozen=True)
class Rekeying:
    done: bool
    records: int
    old_head: str
    new_head: str
    broken: Verification | None = None


def rekey() -> Rekeying:
    """Convert a chain written before keying: check it as it is (plain SHA-256 links, then
    possibly keyed ones appended since the upgrade), then recompute every hash under the
    audit key in one transaction, keeping each changed record's former hash in
    ``legacy_hash``. Nothing changes when the chain is broken or already keyed."""
    lock_chain()
    check = verify(allow_plain=True)
    if not check.ok:
        db.session.rollback()
        return Rekeying(False, check.count, check.head, check.head, broken=check)
    if check.plain_records == 0:
        db.session.rollback()
        return Rekeying(False, check.count, check.head, check.head)
    key = audit_key()
    prev = GENESIS
    entries = list(db.session.scalars(select(AuditRecord).order_by(AuditRecord.seq)))
    new_hashes = []
    for entry in entries:
        new = chain_hash(
            prev, canonical(entry.seq, entry.at, entry.actor, entry.action, entry.object, entry.details), key
        )
        new_hashes.append(new)
        prev = new
    # Two passes, so the unique index on ``hash`` never sees a value twice mid-update.
    for entry in entries:
        if entry.legacy_hash is None and entry.hash != new_hashes[entry.seq - 1]:
            entry.legacy_hash = entry.hash
        entry.hash = f"~{entry.seq}"
    db.session.flush()
    prev = GENESIS
    for entry, new in zip(entries, new_hashes):
        entry.prev_hash, entry.hash = prev, new
        prev = new
    db.session.commit()
    return Rekeying(True, len(entries), check.head, prev)


def missing_heads(expected: list[str]) -> list[str]:
    """Head hashes printed earlier (receipts, opening record, reports) that the chain no
    longer contains: the newest records were deleted or replaced. A head printed before
    the chain was keyed is found by its record's former hash."""
    wanted = {value.strip().lower() for value in expected if value.strip()}
    if not wanted:
        return []
    found = set(db.session.scalars(select(AuditRecord.hash).where(AuditRecord.hash.in_(wanted))))
    found |= set(db.session.scalars(select(AuditRecord.legacy_hash).where(AuditRecord.legacy_hash.in_(wanted))))
    return sorted(wanted - found - {GENESIS})


def seq_of(hash_value: str) -> int | None:
    value = hash_value.strip().lower()
    return db.session.scalar(
        select(AuditRecord.seq).where(or_(AuditRecord.hash == value, AuditRecord.legacy_hash == value))
    )
