"""What a report says beyond the evaluation result: the record of the procedure.

The :class:`~scoring.evaluation.Result` holds every figure. The web app also knows who
sat on the panel, when each bid arrived, what the audit trail says and whether the
evaluation is final; it passes that here. Everything is optional so the command line
can make a report from a result alone (then the tender definition's own fields —
``project_code``, ``published_at``, ``opening_place`` … — fill what they can).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class OpeningRow:
    """One line of the opening record (开标记录), as read out at the opening."""

    vendor: str
    received_at: dt.datetime | None = None
    model: str | None = None  # pricing model code, e.g. "per_inquiry"
    monthly_cost: Decimal | None = None  # None: taken from the result
    credit_code: str | None = None  # 统一社会信用代码, from the vendor's profile


@dataclass(frozen=True)
class PanelMember:
    name: str
    role: str = ""  # "chair" / "member" (worded 组长 / 成员 by the report), or free text
    organization: str = ""
    signed_at: dt.datetime | None = None  # the member's electronic signature of the report (§15)
    report_sha256: str = ""  # the SHA-256 of what it signed


@dataclass(frozen=True)
class OverrideRecord:
    """An evaluator's change of an automatic qualification result, with its reason."""

    vendor: str
    rule: str
    passed: bool
    reason: str
    evaluator: str = ""
    automatic: bool | None = None


@dataclass(frozen=True)
class AbnormalLowDecision:
    vendor: str
    decision: str  # accept | reject | pending
    note: str = ""
    decided_by: str = ""


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: dt.datetime | None
    actor: str
    action: str
    object: str = ""
    details: str = ""
    hash: str = ""


@dataclass(frozen=True)
class ReportContext:
    title: str | None = None  # None: the tender's title
    buyer: str | None = None
    project_code: str | None = None
    announcement: str = ""  # where and how the tender notice was published
    published_at: dt.datetime | None = None
    bid_deadline: dt.datetime | None = None
    opening_time: dt.datetime | None = None
    opening_place: str | None = None
    evaluation_date: dt.date | None = None
    opening_record: tuple[OpeningRow, ...] = ()
    panel: tuple[PanelMember, ...] = ()  # empty: the result's evaluators, by name
    overrides: tuple[OverrideRecord, ...] = ()  # empty: those in the result
    abnormal_low: tuple[AbnormalLowDecision, ...] = ()  # empty: those in the result
    notes: tuple = ()  # str, or scoring.text.Text in both languages
    dissent: tuple = ()
    audit: tuple[AuditRow, ...] = ()
    audit_head: str | None = None
    pricing: dict = field(default_factory=dict)  # vendor -> Pricing.parameters(): the quote as written
    # §13, the report of one lot: the award table across the lots, a row per lot
    # {"lot", "name", "status", "awards": [{"vendor", "rank", "share"}], "reasons": [Text]}
    lot_awards: tuple = ()
    lot_limit: int | None = None  # max_lots_awarded_per_vendor (None: no limit)
    final: bool | None = None  # None: final unless the result is pending
    generated_at: dt.datetime | None = None  # None: now

    @classmethod
    def for_bids(cls, bids, **fields) -> ReportContext:
        """A context carrying each bid's quote parameters (``scoring.tender.Bid`` list): the
        offer scored, i.e. the final offer when the bid made one."""
        return cls(pricing={bid.vendor: bid.offered().pricing.parameters() for bid in bids}, **fields)
