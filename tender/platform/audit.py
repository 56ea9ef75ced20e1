"""The audit trail: an append-only hash chain of every state change (issue 6).

Each :class:`~tender.models.AuditRecord` carries ``hash = SHA-256(prev_hash ‖ canonical
JSON of the record)``, the first one chaining from 64 zeros. Editing, deleting or
reordering a row breaks the chain, which :func:`verify` finds; the head hash is printed in
receipts, so dropping the newest rows is detected too: :func:`missing_heads` names the
printed head hashes the chain no longer holds (``tender audit verify --expect-head``).

:func:`record` adds to the current transaction: the record commits with the change it
describes, or not at all. On PostgreSQL a transaction-scoped advisory lock serializes
writers so two workers never chain from the same head (``seq`` is the primary key, so a
fork would fail anyway).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select, text

from tender.platform.extensions import db
from tender.models import AuditRecord, utcnow

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x7E4DE2  # arbitrary, constant: the advisory lock of the audit chain


def canonical(seq: int, at: dt.datetime, actor: str, action: str, obj: str, details: dict) -> str:
    body = {
        "seq": seq,
        "at": at.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z",
        "actor": actor,
        "action": action,
        "object": obj,
        "details": details,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def chain_hash(prev_hash: str, canonical_json: str) -> str:
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


def record(actor, action: str, obj: str = "", **details) -> AuditRecord:
    """Append one record to the session's transaction; the caller commits."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    last = head()
    seq = last.seq + 1 if last else 1
    prev = last.hash if last else GENESIS
    at = utcnow()
    actor_text = actor if isinstance(actor, str) else actor_name(actor)
    details = json.loads(json.dumps(details, ensure_ascii=False, default=str))
    body = canonical(seq, at, actor_text, action, obj, details)
    entry = AuditRecord(seq=seq, at=at, actor=actor_text, action=action, object=obj,
                        details_json=json.dumps(details, ensure_ascii=False, sort_keys=True),
                        prev_hash=prev, hash=chain_hash(prev, body))
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


def verify() -> Verification:
    """Recompute the chain; name the first record whose link or content does not match."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for entry in db.session.scalars(select(AuditRecord).order_by(AuditRecord.seq)):
        count += 1
        if entry.seq != expected_seq:
            return Verification(False, count, prev, entry.seq, f"sequence gap: expected {expected_seq}")
        if entry.prev_hash != prev:
            return Verification(False, count, prev, entry.seq, "previous hash does not match")
        body = canonical(entry.seq, entry.at, entry.actor, entry.action, entry.object, entry.details)
        if chain_hash(prev, body) != entry.hash:
            return Verification(False, count, prev, entry.seq, "record content does not match its hash")
        prev = entry.hash
        expected_seq += 1
    return Verification(True, count, prev)


def missing_heads(expected: list[str]) -> list[str]:
    """Head hashes printed earlier (receipts, opening record, reports) that the chain no
    longer contains: the newest records were deleted or replaced."""
    wanted = {value.strip().lower() for value in expected if value.strip()}
    if not wanted:
        return []
    found = set(db.session.scalars(select(AuditRecord.hash).where(AuditRecord.hash.in_(wanted))))
    return sorted(wanted - found - {GENESIS})


def seq_of(hash_value: str) -> int | None:
    return db.session.scalar(select(AuditRecord.seq).where(AuditRecord.hash == hash_value.strip().lower()))
