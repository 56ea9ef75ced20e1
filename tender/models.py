"""Database models (SQLAlchemy 2.0 typed mappings), portable between SQLite and PostgreSQL.

Rules of thumb kept here:

- Users see ``public_id`` (random, URL-safe), never the integer primary key.
- Times are timezone-aware UTC in Python; :class:`UTCDateTime` stores them as UTC on
  every backend (SQLite has no time zones).
- Money is never a ``Numeric`` column (SQLite would round-trip it through float): tender
  definitions and quotes are JSON text with amounts as decimal strings.
- Bid contents (files, facts, prices) are only ever stored encrypted (``sealed_*``
  columns and :class:`StoredFile.blob`, see :mod:`tender.platform.storage`).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets

from flask_login import UserMixin
from sqlalchemy import (
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    and_,
    event,
    exists,
    inspect,
    or_,
    types,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash, generate_password_hash

from scoring import lifecycle
from tender.platform.extensions import db

ROLES = ("buyer", "vendor", "evaluator", "admin")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


class UTCDateTime(types.TypeDecorator):
    """An aware datetime stored as naive UTC, read back as aware UTC, on every backend."""

    impl = types.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one (UTC)")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16), index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    # Flask-Login stores this token in the session; rotating it ends every session.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    vendor_profile: Mapped[VendorProfile | None] = relationship(back_populates="user", uselist=False)

    def set_password(self, password: str) -> None:
        from flask import current_app

        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")  # tests use a cheap one
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class VendorProfile(db.Model):
    """The company facts a vendor declares once (domain §5), reused in every bid."""

    __tablename__ = "vendor_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    company_name: Mapped[str] = mapped_column(String(200))
    # 统一社会信用代码 (GB 32100-2015), normalized; one account per company. None: an account
    # made before the code was asked for.
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    facts_json: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="vendor_profile")

    @property
    def facts(self) -> dict:
        return json.loads(self.facts_json)

    @facts.setter
    def facts(self, value: dict) -> None:
        self.facts_json = json.dumps(value, ensure_ascii=False, sort_keys=True)


class Tender(db.Model):
    """A tender: its current definition (domain §3) and where it is in its lifecycle.

    ``definition_json`` holds the §3 JSON without ``bid_deadline`` and ``opening_time``,
    which live in their own columns (so an extension is not an amendment);
    :meth:`definition` puts them back.

    ``status`` is the stored status; the rules of the lifecycle — the status at a moment,
    what may be done and read in it — are :mod:`scoring.lifecycle`'s, asked through
    :meth:`status_at`, :meth:`may`, :meth:`refusal` and :meth:`readable` (templates say
    ``tender.may("amend")``). Nothing is written when time passes: a published tender is
    closed from its deadline on because the lifecycle derives it.
    """

    __tablename__ = "tender"
    __table_args__ = (
        Index("ix_tender_status_deadline", "status", "bid_deadline"),
        Index("ix_tender_owner_created", "owner_id", "created_at"),
    )  # the buyer's paged list

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=lifecycle.after("create"))
    title: Mapped[str] = mapped_column(String(300))
    buyer_name: Mapped[str] = mapped_column(String(200), default="")
    definition_json: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=0)  # 0 while a draft, 1 once published
    bid_deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    opening_time: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # A new random token at every change of what the evaluation reads (opened bids, the
    # panel and its declarations, scores, bands, overrides, decisions, the definition), set
    # by the flush that makes it (:func:`_new_panel_version`): it keys the cache of results.
    panel_version: Mapped[str] = mapped_column(String(16), default="", server_default="")
    # When the result notice (中标结果公告) was published: the award's confirmation (§16). The
    # challenge window and the award becoming final are counted from it.
    notice_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[User] = relationship()
    versions: Mapped[list[TenderVersion]] = relationship(
        back_populates="tender", order_by="TenderVersion.number", cascade="all, delete-orphan"
    )
    bids: Mapped[list[Bid]] = relationship(back_populates="tender")

    def facts(self) -> lifecycle.Facts:
        """What the lifecycle needs to know of this tender. The challenges still unanswered
        are counted only for an awarded tender (the only state they change); the round of
        final offers only in the states it matters to."""
        unanswered = 0
        if self.status == lifecycle.AWARDED and self.id is not None:
            from sqlalchemy import func, select

            unanswered = (
                db.session.scalar(
                    select(func.count())
                    .select_from(Challenge)
                    .where(Challenge.tender_id == self.id, Challenge.answered_at.is_(None))
                )
                or 0
            )
        # the challenge window (§16) is counted from the result notice, once there is one
        challenge_days = self.challenge_days if self.notice_at is not None else lifecycle.Facts.challenge_days
        if not lifecycle.final_round_matters(self.status):
            return lifecycle.Facts(
                status=self.status,
                bid_deadline=self.bid_deadline,
                opening_time=self.opening_time,
                notice_at=self.notice_at,
                challenge_days=challenge_days,
                unanswered_challenges=unanswered,
            )
        # the round of final offers (§12), read only in the states it matters to
        final_round = self.final_round
        return lifecycle.Facts(
            status=self.status,
            bid_deadline=self.bid_deadline,
            opening_time=self.opening_time,
            final_offer=bool(json.loads(self.definition_json).get("final_offer")),
            final_round_deadline=final_round.deadline if final_round else None,
            final_round_held=final_round is not None,
            notice_at=self.notice_at,
            challenge_days=challenge_days,
            unanswered_challenges=unanswered,
        )

    @property
    def challenge_days(self) -> int:
        """Working days after the result notice to lodge a challenge (tender key ``challenge_days``, §16)."""
        days = json.loads(self.definition_json).get("challenge_days", lifecycle.Facts.challenge_days)
        return days if type(days) is int and days >= 1 else lifecycle.Facts.challenge_days

    def status_at(self, now: dt.datetime) -> str:
        """The lifecycle status at ``now`` (stored, or derived from the clock)."""
        return lifecycle.status_at(self.facts(), now)

    @property
    def current_status(self) -> str:
        return self.status_at(utcnow())

    def refusal(self, action: str, role: str | None = None, now: dt.datetime | None = None):
        """Why ``action`` is not allowed now (a :class:`scoring.text.Text`), or None when it is."""
        return lifecycle.refusal(action, self.facts(), now or utcnow(), role)

    def may(self, action: str, role: str | None = None, now: dt.datetime | None = None) -> bool:
        return self.refusal(action, role, now) is None

    def readable(self, what: str, role: str, now: dt.datetime | None = None, **conditions) -> bool:
        """Whether ``role`` may read ``what`` of this tender now (:data:`scoring.lifecycle.READS`)."""
        return lifecycle.may_read(what, role, self.status_at(now or utcnow()), **conditions)

    @property
    def sealed(self) -> bool:
        return lifecycle.sealed(self.current_status)

    @property
    def is_final(self) -> bool:
        return lifecycle.is_final(self.current_status)

    @classmethod
    def status_in(cls, states, now: dt.datetime):
        """SQL: the tenders whose status at ``now`` is one of ``states`` — a derived status is
        its stored one and the clock (``closed``: published with the deadline reached). A
        published tender always has a deadline (publishing needs one)."""
        clauses, plain = [], []
        for state in states:
            if state == lifecycle.CLOSED:
                clauses.append(and_(cls.status == lifecycle.PUBLISHED, cls.bid_deadline <= now))
            elif state == lifecycle.PUBLISHED:
                clauses.append(and_(cls.status == lifecycle.PUBLISHED, cls.bid_deadline > now))
            elif state in (lifecycle.FINAL_ROUND, lifecycle.FINAL_ROUND_CLOSED):
                # the round's own deadline (FinalRound, §12) derives final_round_closed
                running = exists().where(FinalRound.tender_id == cls.id, FinalRound.deadline > now)
                clauses.append(
                    and_(cls.status == lifecycle.FINAL_ROUND, running if state == lifecycle.FINAL_ROUND else ~running)
                )
            elif state == lifecycle.AWARD_FINAL:
                raise ValueError(f"no query yet for {state!r}: its clock column comes with the notice")
            else:
                plain.append(state)
        if plain:
            clauses.append(cls.status.in_(plain))
        return or_(*clauses) if len(clauses) > 1 else clauses[0]

    def definition(self) -> dict:
        from tender.platform.timefmt import to_iso_shanghai  # local: keeps models import-light

        data = json.loads(self.definition_json)
        if self.bid_deadline:
            data["bid_deadline"] = to_iso_shanghai(self.bid_deadline)
        if self.opening_time:
            data["opening_time"] = to_iso_shanghai(self.opening_time)
        if self.published_at:
            data["published_at"] = to_iso_shanghai(self.published_at)
        return data


class TenderVersion(db.Model):
    """Each published version of a tender: version 1 at publication, one more per amendment."""

    __tablename__ = "tender_version"
    __table_args__ = (UniqueConstraint("tender_id", "number", name="uq_tender_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    number: Mapped[int]
    definition_json: Mapped[str] = mapped_column(Text)
    change_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    tender: Mapped[Tender] = relationship(back_populates="versions")


class Bid(db.Model):
    """One vendor's bid on one tender; its submissions are :class:`BidVersion` rows."""

    __tablename__ = "bid"
    __table_args__ = (UniqueConstraint("tender_id", "vendor_id", name="uq_bid_tender_vendor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    tender: Mapped[Tender] = relationship(back_populates="bids")
    vendor: Mapped[User] = relationship()
    versions: Mapped[list[BidVersion]] = relationship(
        back_populates="bid", order_by="BidVersion.number", cascade="all, delete-orphan"
    )

    @property
    def current(self) -> BidVersion | None:
        """The submission that counts: the latest submitted one, unless withdrawn."""
        for version in reversed(self.versions):
            if version.status in ("submitted", "withdrawn"):
                return version if version.status == "submitted" else None
        return None


BID_VERSION_STATUSES = ("preview", "submitted", "superseded", "withdrawn", "discarded")


class BidVersion(db.Model):
    """One upload of a bid: a preview until confirmed, then submitted; every one is kept.

    ``sealed_data`` is the encrypted JSON of what was read (facts, pricing, document
    reading); only the submitting vendor can have it decrypted before the opening.
    """

    __tablename__ = "bid_version"
    __table_args__ = (UniqueConstraint("bid_id", "number", name="uq_bid_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="preview")
    tender_version: Mapped[int]
    sealed_data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    audit_head: Mapped[str | None] = mapped_column(String(64))

    bid: Mapped[Bid] = relationship(back_populates="versions")
    files: Mapped[list[StoredFile]] = relationship(
        back_populates="bid_version", order_by="StoredFile.id", cascade="all, delete-orphan"
    )

    @property
    def submission_number(self) -> int | None:
        """Which confirmed submission of its bid this is (1, 2, …): uploads never confirmed
        (previews) do not count; None for a version that was never submitted."""
        if self.submitted_at is None:
            return None
        return sum(1 for v in self.bid.versions if v.submitted_at is not None and v.number <= self.number)


class StoredFile(db.Model):
    """An uploaded file, encrypted at rest, with its original name and plaintext SHA-256."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    bid_version_id: Mapped[int] = mapped_column(ForeignKey("bid_version.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # quote | document
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    bid_version: Mapped[BidVersion] = relationship(back_populates="files")


class AuditRecord(db.Model):
    """One link of the append-only audit chain (see :mod:`tender.platform.audit`)."""

    __tablename__ = "audit_record"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object: Mapped[str] = mapped_column(String(128), index=True)
    details_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The record's hash before the chain was keyed (``tender audit rekey``): heads printed
    # earlier are still found by it. NULL for records written under the key.
    legacy_hash: Mapped[str | None] = mapped_column(String(64), index=True)

    @property
    def details(self) -> dict:
        return json.loads(self.details_json)


# --------------------------------------------------------------------------- opening and evaluation
# (opening, qualification review, blind scoring, ranking, award)


class EvaluatorAssignment(db.Model):
    """An evaluator on a tender's panel, its conflict-of-interest declaration (回避声明) and
    when it submitted its technical scores (the panel sees prices and the others' scores
    only after that)."""

    __tablename__ = "evaluator_assignment"
    __table_args__ = (UniqueConstraint("tender_id", "evaluator_id", name="uq_assignment_tender_evaluator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    assigned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    coi_declared_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    coi_conflict: Mapped[bool] = mapped_column(default=False)  # True: the evaluator recused itself
    coi_note: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    chair: Mapped[bool] = mapped_column(default=False)  # 组长 (§15): closes the evaluation

    tender: Mapped[Tender] = relationship()
    evaluator: Mapped[User] = relationship(foreign_keys=[evaluator_id])

    @property
    def declared(self) -> bool:
        return self.coi_declared_at is not None and not self.coi_conflict

    @property
    def recused(self) -> bool:
        return self.coi_declared_at is not None and self.coi_conflict


class OpenedBid(db.Model):
    """A bid as found at the opening: the version opened, its files' hashes, readable or not."""

    __tablename__ = "opened_bid"
    __table_args__ = (UniqueConstraint("tender_id", "bid_id", name="uq_opened_bid_tender_bid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"))
    bid_version_id: Mapped[int] = mapped_column(ForeignKey("bid_version.id"))
    vendor_name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))  # the vendor's, as at the opening
    received_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))  # ok | unreadable
    hash_ok: Mapped[bool] = mapped_column(default=True)
    model: Mapped[str | None] = mapped_column(String(32))
    monthly_cost: Mapped[str | None] = mapped_column(String(32))  # decimal text, never a float
    details_json: Mapped[str] = mapped_column(Text, default="{}")  # files and hashes, problems

    bid: Mapped[Bid] = relationship()
    bid_version: Mapped[BidVersion] = relationship()

    @property
    def details(self) -> dict:
        return json.loads(self.details_json)


class OpeningRecord(db.Model):
    """The opening (开标): who opened when, and the audit head hash at that moment."""

    __tablename__ = "opening_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), unique=True)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    audit_head: Mapped[str] = mapped_column(String(64))
    bids_received: Mapped[int]
    min_valid_bids: Mapped[int]

    opened_by: Mapped[User] = relationship()


class SubjectiveScore(db.Model):
    """One evaluator's score of one bid on one subjective criterion (decimal text)."""

    __tablename__ = "subjective_score"
    __table_args__ = (
        UniqueConstraint(
            "tender_id",
            "evaluator_id",
            "bid_id",
            "lot",
            "criterion_id",
            name="uq_score_tender_evaluator_bid_lot_criterion",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"))
    # The lot (§13) the score is for; "" in a tender not divided into lots.
    lot: Mapped[str] = mapped_column(String(32), default="", server_default="")
    criterion_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    bid: Mapped[Bid] = relationship()


class ScoreCorrection(db.Model):
    """A change of a submitted score, with its reason (the only way a submitted score changes)."""

    __tablename__ = "score_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"))
    criterion_id: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(String(32))
    new_value: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    evaluator: Mapped[User] = relationship()
    bid: Mapped[Bid] = relationship()


class QualificationOverride(db.Model):
    """The panel's change of an automatic qualification result, with its written reason (in a
    tender divided into lots: in one lot)."""

    __tablename__ = "qualification_override"
    __table_args__ = (UniqueConstraint("tender_id", "bid_id", "lot", "rule", name="uq_override_tender_bid_lot_rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"))
    # The lot (§13) the override is for; "" in a tender not divided into lots.
    lot: Mapped[str] = mapped_column(String(32), default="", server_default="")
    rule: Mapped[str] = mapped_column(String(300))
    passed: Mapped[bool]
    reason: Mapped[str] = mapped_column(Text)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    evaluator: Mapped[User] = relationship()
    bid: Mapped[Bid] = relationship()


class AbnormalLowDecision(db.Model):
    """The panel's decision on an abnormally low price: accept (vendor's explanation) or reject
    (reason); in a tender divided into lots, on the price in one lot."""

    __tablename__ = "abnormal_low_decision"
    __table_args__ = (UniqueConstraint("tender_id", "bid_id", "lot", name="uq_abnormal_low_tender_bid_lot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"))
    # The lot (§13) the decision is for; "" in a tender not divided into lots.
    lot: Mapped[str] = mapped_column(String(32), default="", server_default="")
    decision: Mapped[str] = mapped_column(String(8))  # accept | reject
    note: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    decided_by: Mapped[User] = relationship()
    bid: Mapped[Bid] = relationship()


class AgreedBand(db.Model):
    """The band (档次) the panel agreed for one bid (in one lot) on one banded criterion (§9.5)."""

    __tablename__ = "agreed_band"
    __table_args__ = (
        UniqueConstraint("tender_id", "bid_id", "lot", "criterion_id", name="uq_band_tender_bid_lot_criterion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"))
    # The lot (§13) the band is for; "" in a tender not divided into lots.
    lot: Mapped[str] = mapped_column(String(32), default="", server_default="")
    criterion_id: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(64))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    bid: Mapped[Bid] = relationship()


class Reopening(db.Model):
    """A recorded reopening of a final evaluation, with its reason; open until closed again."""

    __tablename__ = "reopening"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    from_status: Mapped[str] = mapped_column(String(16))
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    by: Mapped[User] = relationship()


class AwardDecision(db.Model):
    """The buyer's confirmed award: the winners with their shares, and why when not rank 1."""

    __tablename__ = "award_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), unique=True)
    awards_json: Mapped[str] = mapped_column(Text)  # [{bid, vendor, rank, share}]
    reason: Mapped[str] = mapped_column(Text, default="")
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    confirmed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    confirmed_by: Mapped[User] = relationship()

    @property
    def awards(self) -> list[dict]:
        return json.loads(self.awards_json)


# --------------------------------------------------------------------------- the panel's version

# What the evaluation of an opened tender reads, besides the tender's definition.
PANEL_WORK = (OpenedBid, EvaluatorAssignment, SubjectiveScore, AgreedBand, QualificationOverride, AbnormalLowDecision)


@event.listens_for(Session, "after_flush")
def _new_panel_version(session, _context) -> None:
    """Every flush that adds, changes or deletes panel work (or a tender's definition) gives
    its tender a new ``panel_version``, in the same transaction, so no service can forget
    it. A random token, not a counter: a transaction rolled back never hands its number to
    other data."""
    touched = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, PANEL_WORK) and instance.tender_id is not None:
            touched.add(instance.tender_id)
        elif (
            isinstance(instance, Tender)
            and instance.id is not None
            and inspect(instance).attrs.definition_json.history.has_changes()
        ):
            touched.add(instance.id)
    if not touched:
        return
    token = secrets.token_hex(8)
    session.connection().execute(update(Tender).where(Tender.id.in_(touched)).values(panel_version=token))
    for instance in session.identity_map.values():
        if isinstance(instance, Tender) and instance.id in touched:
            set_committed_value(instance, "panel_version", token)


# --------------------------------------------------------------------------- notifications and notices


class Notification(db.Model):
    """Something a user is told in the app (and by e-mail when a mail server is configured).

    The text is not stored: ``kind`` names it in :mod:`tender.notifications.kinds` and
    ``params_json`` holds what fills it, so it reads in the reader's language whenever it
    is read. ``link`` is a path on this site.
    """

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_created", "user_id", "created_at"),  # the page, newest first
        Index("ix_notification_user_read", "user_id", "read_at"),
    )  # the bell's unread count

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(32))
    tender_id: Mapped[int | None] = mapped_column(ForeignKey("tender.id"), index=True)
    params_json: Mapped[str] = mapped_column(Text, default="{}")
    link: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # the e-mail reached the server

    user: Mapped[User] = relationship()
    tender: Mapped[Tender | None] = relationship()

    @property
    def params(self) -> dict:
        return json.loads(self.params_json)


# The public list of tender notices (招标公告) reads published tenders newest first.
Index("ix_tender_published_at", Tender.published_at)


# --------------------------------------------------------------------------- challenges (质疑, §16; w16b)


class Challenge(db.Model):
    """A bidder's challenge (质疑) of the result notice, and the buyer's written answer.

    ``answer_due`` is 7 working days after it was lodged (Asia/Shanghai); an answer is given
    once (``upheld`` True reopens the evaluation with the challenge as its reason).
    """

    __tablename__ = "challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(Text)
    lodged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer_due: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    upheld: Mapped[bool | None] = mapped_column()
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    tender: Mapped[Tender] = relationship()
    bid: Mapped[Bid] = relationship()
    vendor: Mapped[User] = relationship(foreign_keys=[vendor_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    files: Mapped[list[ChallengeFile]] = relationship(
        back_populates="challenge", order_by="ChallengeFile.id", cascade="all, delete-orphan"
    )

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def vendor_name(self) -> str:
        """The challenger's company (its account's name when it has no profile)."""
        profile = self.vendor.vendor_profile
        return profile.company_name if profile is not None else self.vendor.name

    @property
    def answer_due_last_minute(self) -> dt.datetime:
        """The last minute of the answer's last working day (the due time as users read it)."""
        return self.answer_due - dt.timedelta(minutes=1)


class ChallengeFile(db.Model):
    """A file attached to a challenge (PDF, JPG, PNG), encrypted at rest like a bid's files."""

    __tablename__ = "challenge_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenge.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    challenge: Mapped[Challenge] = relationship(back_populates="files")


# --------------------------------------------------------------------------- the panel decides together
# (domain §15, §16): proposals and votes, outlier confirmations, the vendor's
# explanation of an abnormally low price, the signatures of the evaluation report.


class PanelProposal(db.Model):
    """A decision of the panel put to its vote: a qualification or conformity override
    (``kind`` override: ``subject`` the rule, ``value`` pass | fail), a band (band: the
    criterion, the band's label) or an abnormal-low decision (abnormal_low: accept | reject).
    ``outcome`` is open until a majority of the whole panel agrees (passed: the decision row
    is written) or can no longer agree (rejected)."""

    __tablename__ = "panel_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"))
    # The lot (§13) the decision proposed is for; "" in a tender not divided into lots.
    lot: Mapped[str] = mapped_column(String(32), default="", server_default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    value: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    proposed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(8), default="open")  # open | passed | rejected
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    bid: Mapped[Bid] = relationship()
    proposed_by: Mapped[User] = relationship()
    votes: Mapped[list[PanelVote]] = relationship(back_populates="proposal", order_by="PanelVote.id")


class PanelVote(db.Model):
    """One member's vote on a proposal, agree or disagree, with its reason: one each."""

    __tablename__ = "panel_vote"
    __table_args__ = (UniqueConstraint("proposal_id", "evaluator_id", name="uq_vote_proposal_evaluator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("panel_proposal.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    agree: Mapped[bool]
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[PanelProposal] = relationship(back_populates="votes")
    evaluator: Mapped[User] = relationship()


class OutlierConfirmation(db.Model):
    """An evaluator's confirmation (or correction) of a score more than a third of the
    weight from the panel mean (畸高畸低), with its reason; it holds for ``value`` only."""

    __tablename__ = "outlier_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"))
    criterion_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExplanationRequest(db.Model):
    """The panel's request that a vendor explain its abnormally low price by ``deadline``,
    and the vendor's written answer (its files are :class:`ExplanationFile`)."""

    __tablename__ = "explanation_request"
    __table_args__ = (UniqueConstraint("tender_id", "bid_id", name="uq_explanation_tender_bid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"))
    deadline: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    question: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    bid: Mapped[Bid] = relationship()
    files: Mapped[list[ExplanationFile]] = relationship(back_populates="request", order_by="ExplanationFile.id")


class ExplanationFile(db.Model):
    """A file attached to a vendor's explanation (PDF, JPG, PNG), encrypted at rest like bid files."""

    __tablename__ = "explanation_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    request_id: Mapped[int] = mapped_column(ForeignKey("explanation_request.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[ExplanationRequest] = relationship(back_populates="files")


class ReportSignature(db.Model):
    """An evaluator's signature of the evaluation report (电子签名): the SHA-256 of what it
    signed and when; ``voided_at`` set by a reopening."""

    __tablename__ = "report_signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    report_sha256: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    voided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    evaluator: Mapped[User] = relationship()


# --------------------------------------------------------------------------- contracts after the award (§14, w18)


class Contract(db.Model):
    """A contract the award made: one per winner (and lot), with its share of the volume.

    ``sealed_terms`` holds, encrypted like every bid content, what its months are settled
    by: the tender definition, the winning bid as read, the lot and the share
    (:mod:`tender.contracts.service` rebuilds the :class:`scoring.settlement.ContractTerms`).
    ``predicted_cost`` is the contract cost the evaluation predicted (§10, or the monthly
    cost × months), a decimal string.
    """

    __tablename__ = "contract"
    __table_args__ = (
        UniqueConstraint("tender_id", "bid_id", "lot", name="uq_contract_tender_bid_lot"),
        Index("ix_contract_vendor_created", "vendor_id", "created_at"),
    )  # the vendor's list

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"))
    vendor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    vendor_name: Mapped[str] = mapped_column(String(200))
    lot: Mapped[str] = mapped_column(String(32), default="")
    share: Mapped[str] = mapped_column(String(16), default="1.00")
    start_month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    months: Mapped[int]
    predicted_cost: Mapped[str] = mapped_column(String(32))
    sealed_terms: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    tender: Mapped[Tender] = relationship()
    vendor: Mapped[User] = relationship()
    month_versions: Mapped[list[ContractMonth]] = relationship(
        back_populates="contract", order_by="(ContractMonth.month, ContractMonth.version)", cascade="all, delete-orphan"
    )


class ContractMonth(db.Model):
    """One version of one settled contract month: the actuals as ``month.json``, the
    settlement as ``settlement.json`` (§14), who settled, confirmed or disputed it and why.
    A correction adds a version (``current`` moves to it); every version is kept. ``status``
    is a month state of :mod:`scoring.lifecycle` (asked through :meth:`may`)."""

    __tablename__ = "contract_month"
    __table_args__ = (
        UniqueConstraint("contract_id", "month", "version", name="uq_contract_month_version"),
        Index("ix_contract_month_current", "contract_id", "current"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    version: Mapped[int] = mapped_column(default=1)
    current: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(20))
    month_json: Mapped[str] = mapped_column(Text)
    settlement_json: Mapped[str] = mapped_column(Text)
    upload_name: Mapped[str] = mapped_column(String(255), default="")
    upload_sha256: Mapped[str] = mapped_column(String(64), default="")
    sealed_upload: Mapped[bytes | None] = mapped_column(LargeBinary)
    reason: Mapped[str] = mapped_column(Text, default="")  # a correction's reason
    settled_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    settled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    vendor_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    vendor_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    vendor_reason: Mapped[str] = mapped_column(Text, default="")  # a dispute's reason
    buyer_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    buyer_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    buyer_reason: Mapped[str] = mapped_column(Text, default="")  # confirmed as it stands: why

    contract: Mapped[Contract] = relationship(back_populates="month_versions")
    settled_by: Mapped[User] = relationship(foreign_keys=[settled_by_id])
    vendor_by: Mapped[User | None] = relationship(foreign_keys=[vendor_by_id])
    buyer_by: Mapped[User | None] = relationship(foreign_keys=[buyer_by_id])

    def month_facts(self) -> lifecycle.MonthFacts:
        return lifecycle.MonthFacts(status=self.status, settled_at=self.settled_at)

    def status_at(self, now: dt.datetime) -> str:
        return lifecycle.month_status_at(self.month_facts(), now)

    @property
    def current_status(self) -> str:
        return self.status_at(utcnow())

    def refusal(self, action: str, role: str | None = None, now: dt.datetime | None = None):
        """The month's own rule, then the tender's (the award must be final)."""
        now = now or utcnow()
        return self.contract.tender.refusal(action, role, now) or lifecycle.month_refusal(
            action, self.month_facts(), now, role
        )

    def may(self, action: str, role: str | None = None, now: dt.datetime | None = None) -> bool:
        return self.refusal(action, role, now) is None

    @property
    def confirm_deadline(self) -> dt.datetime:
        return lifecycle.confirm_deadline(self.month_facts())

    @property
    def settled(self) -> bool:
        return lifecycle.month_settled(self.current_status)

    @property
    def settlement(self) -> dict:
        return json.loads(self.settlement_json)

    @property
    def actuals(self) -> dict:
        return json.loads(self.month_json)


# --------------------------------------------------------------------------- final offers (§12, issue 15)


class FinalRound(db.Model):
    """The tender's one round of final offers (最后报价): opened by the buyer once every sitting
    evaluator has submitted the technical scores, with its deadline; the offers stay sealed
    until the buyer opens them after it (``offers_opened_at``, with the audit head then)."""

    __tablename__ = "final_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), unique=True)
    deadline: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    invited_json: Mapped[str] = mapped_column(Text, default="[]")  # bid ids invited (valid bids)
    offers_opened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    offers_opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    audit_head: Mapped[str | None] = mapped_column(String(64))  # the chain's head at the opening

    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    offers_opened_by: Mapped[User | None] = relationship(foreign_keys=[offers_opened_by_id])

    @property
    def invited(self) -> list[int]:
        return json.loads(self.invited_json)


class FinalOffer(db.Model):
    """One upload of a vendor's final price sheet: a preview until confirmed, then submitted
    (a later confirmed one before the deadline supersedes it). The sheet and what was read
    from it are stored encrypted, like a bid's files; at the opening its SHA-256 is
    re-checked (``hash_ok``) and its monthly cost recorded."""

    __tablename__ = "final_offer"
    __table_args__ = (UniqueConstraint("bid_id", "number", name="uq_final_offer_bid_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tender.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="preview")  # preview | submitted | superseded
    sealed_data: Mapped[bytes] = mapped_column(LargeBinary)  # {final_pricing, evaluation}
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    audit_head: Mapped[str | None] = mapped_column(String(64))
    hash_ok: Mapped[bool | None] = mapped_column()  # set at the opening
    monthly_cost: Mapped[str | None] = mapped_column(String(32))  # decimal text, at the opening

    bid: Mapped[Bid] = relationship()


# The tender's round (None without one): the lifecycle reads its deadline.
Tender.final_round = relationship(FinalRound, uselist=False, viewonly=True)
# Opening the final offers changes what the evaluation reads.
PANEL_WORK = (*PANEL_WORK, FinalRound)
