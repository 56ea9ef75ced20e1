"""Tender use cases: draft, publish, amend, extend, cancel, import and export.

The definition is always validated by ``scoring.validate_tender`` before it is stored, so
every stored tender can be evaluated. Deadline and opening time live in their own
columns (UTC) and are put back into the definition on export.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select

from scoring import Problem, lifecycle
from scoring.tender import validate_tender
from scoring.times import parse_time
from tender.models import Bid, BidVersion, Tender, TenderVersion, User, utcnow
from tender.notifications import events
from tender.platform import audit
from tender.platform.extensions import db
from tender.platform.timefmt import show_time
from tender.services import Forbidden, Invalid, NotFound, require


def split_definition(definition: dict) -> tuple[dict, dt.datetime | None, dt.datetime | None]:
    """The stored part of a definition, and its deadline and opening time (UTC)."""
    stored = {k: v for k, v in definition.items() if k not in ("bid_deadline", "opening_time", "published_at")}
    times = []
    for key in ("bid_deadline", "opening_time"):
        raw = definition.get(key)
        moment = parse_time(raw) if isinstance(raw, str) else None
        times.append(moment.astimezone(dt.UTC) if moment else None)
    return stored, times[0], times[1]


def validate(definition: dict) -> list[Problem]:
    """Every problem of a definition: scoring's, and the title the web app needs."""
    problems = list(validate_tender(definition))
    if not str(definition.get("title") or "").strip():
        problems.insert(0, Problem("title", "缺少项目名称", "the title is required"))
    return problems


def publish_problems(definition: dict, now: dt.datetime) -> list[Problem]:
    """What publishing needs beyond a valid definition: buyer, deadline, opening time."""
    problems = []
    if not str(definition.get("buyer") or "").strip():
        problems.append(Problem("buyer", "发布前需填写采购人名称", "the buyer's name is needed to publish"))
    _, deadline, opening = split_definition(definition)
    if deadline is None:
        problems.append(Problem("bid_deadline", "发布前需填写投标截止时间", "the bid deadline is needed to publish"))
    elif deadline <= now:
        problems.append(Problem("bid_deadline", "投标截止时间已过", "the bid deadline has already passed"))
    if opening is None:
        problems.append(Problem("opening_time", "发布前需填写开标时间", "the opening time is needed to publish"))
    return problems


def _dump(definition: dict) -> str:
    return json.dumps(definition, ensure_ascii=False, indent=1)


def _apply(tender: Tender, definition: dict) -> None:
    stored, deadline, opening = split_definition(definition)
    tender.definition_json = _dump(stored)
    tender.title = str(stored.get("title", "")).strip()[:300]
    tender.buyer_name = str(stored.get("buyer", "") or "").strip()[:200]
    tender.bid_deadline = deadline
    tender.opening_time = opening


# --------------------------------------------------------------------------- reading


def get_own(buyer: User, public_id: str) -> Tender:
    """The buyer's own tender, or NotFound — another buyer's tender is 'not found' too."""
    tender = db.session.scalars(select(Tender).where(Tender.public_id == public_id)).first()
    if tender is None or tender.owner_id != buyer.id:
        raise NotFound()
    return tender


def _own_tenders(buyer: User):
    return select(Tender).where(Tender.owner_id == buyer.id).order_by(Tender.created_at.desc(), Tender.id.desc())


PAGE_SIZE = 25


def page_of_own(buyer: User, page: int, per_page: int = PAGE_SIZE):
    """One page of the buyer's tenders, newest first (index ``ix_tender_owner_created``)."""
    return db.paginate(_own_tenders(buyer), page=page, per_page=per_page, error_out=False)


def bid_counts(tender_ids: list[int]) -> dict[int, int]:
    """How many vendors have a submitted (not withdrawn) bid, per tender — the count only."""
    if not tender_ids:
        return {}
    current = (
        select(Bid.tender_id, Bid.id)
        .join(BidVersion, BidVersion.bid_id == Bid.id)
        .where(Bid.tender_id.in_(tender_ids), BidVersion.status == "submitted")
        .distinct()
        .subquery()
    )
    rows = db.session.execute(select(current.c.tender_id, func.count()).group_by(current.c.tender_id))
    return {tender_id: count for tender_id, count in rows}


def bid_count(tender: Tender) -> int:
    return bid_counts([tender.id]).get(tender.id, 0)


# --------------------------------------------------------------------------- changes


def save_draft(buyer: User, definition: dict, tender: Tender | None = None) -> Tender:
    """Create or update a draft; a definition with problems is refused whole."""
    if buyer.role != "buyer":
        raise Forbidden()
    if tender is not None:
        require(tender, "edit")
    problems = validate(definition)
    if problems:
        raise Invalid(problems)
    created = tender is None
    if created:
        tender = Tender(owner_id=buyer.id, status=lifecycle.after("create"), version=0)
        db.session.add(tender)
    _apply(tender, definition)
    db.session.flush()
    audit.record(
        buyer, "tender_created" if created else "tender_edited", f"tender:{tender.public_id}", title=tender.title
    )
    db.session.commit()
    return tender


# What a copy of a tender leaves behind: its own times and publication.
NOT_COPIED = ("bid_deadline", "opening_time", "published_at")


def as_starting_point(definition: dict) -> dict:
    """A tender's definition to start another from: everything but its times."""
    return {k: v for k, v in definition.items() if k not in NOT_COPIED}


def last_definition(buyer: User) -> dict | None:
    """The buyer's most recent tender, as a starting point for a new one; ``None`` if none."""
    tender = db.session.scalars(_own_tenders(buyer).limit(1)).first()
    return as_starting_point(tender.definition()) if tender is not None else None


def duplicate(buyer: User, tender: Tender) -> Tender:
    """A new draft with the tender's definition (its times left out), audited with its origin."""
    require(tender, "duplicate", "buyer")
    definition = as_starting_point(tender.definition())
    definition["title"] = (str(definition.get("title") or "") + "（副本）")[:300]
    copy = Tender(owner_id=buyer.id, status=lifecycle.after("create"), version=0)
    db.session.add(copy)
    _apply(copy, definition)
    db.session.flush()
    audit.record(
        buyer, "tender_duplicated", f"tender:{copy.public_id}", title=copy.title, duplicated_from=tender.public_id
    )
    db.session.commit()
    return copy


def import_definition(buyer: User, raw: bytes) -> Tender:
    """A §3 JSON file as a new draft (every problem reported at once)."""
    try:
        definition = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Invalid(
            [Problem("", f"文件不是有效的 UTF-8 JSON：{error}", f"the file is not valid UTF-8 JSON: {error}")]
        ) from error
    if not isinstance(definition, dict):
        raise Invalid([Problem("", "JSON 顶层应为对象", "the JSON must be an object at the top level")])
    return save_draft(buyer, definition)


def publish(buyer: User, tender: Tender, now: dt.datetime | None = None) -> Tender:
    now = now or utcnow()
    if tender.owner_id != buyer.id:
        raise NotFound()
    require(tender, "publish", now=now)
    definition = tender.definition()
    problems = validate(definition) + publish_problems(definition, now)
    if problems:
        raise Invalid(problems)
    tender.status = lifecycle.after("publish")
    tender.version = 1
    tender.published_at = now
    db.session.add(
        TenderVersion(
            tender=tender,
            number=1,
            definition_json=tender.definition_json,
            change_note="",
            created_by_id=buyer.id,
            created_at=now,
        )
    )
    audit.record(
        buyer,
        "tender_published",
        f"tender:{tender.public_id}",
        version=1,
        bid_deadline=tender.bid_deadline.isoformat(),
        opening_time=tender.opening_time.isoformat(),
    )
    db.session.commit()
    return tender


def _lock(tender: Tender) -> Tender:
    """Re-read the tender row FOR UPDATE (PostgreSQL) so deadline checks and changes serialize."""
    return db.session.scalars(
        select(Tender).where(Tender.id == tender.id).with_for_update().execution_options(populate_existing=True)
    ).one()


def amend(buyer: User, tender: Tender, definition: dict, change_note: str, now: dt.datetime | None = None) -> Tender:
    """A new version of a published tender, before its deadline, with a note for vendors."""
    now = now or utcnow()
    if tender.owner_id != buyer.id:
        raise NotFound()
    tender = _lock(tender)
    require(tender, "amend", now=now)
    if not change_note.strip():
        raise Invalid([Problem("change_note", "请说明变更内容", "say what changed")])
    problems = validate(definition) + publish_problems(definition, now)
    _stored, deadline, _opening = split_definition(definition)
    # to the second: the definition (and so an untouched deadline sent back) carries no fraction
    if deadline is not None and tender.bid_deadline and deadline < tender.bid_deadline.replace(microsecond=0):
        problems.append(
            Problem("bid_deadline", "变更不能提前投标截止时间", "an amendment cannot bring the deadline forward")
        )
    if problems:
        raise Invalid(problems)
    old = {"bid_deadline": tender.bid_deadline, "opening_time": tender.opening_time}
    _apply(tender, definition)
    tender.version += 1
    db.session.add(
        TenderVersion(
            tender=tender,
            number=tender.version,
            definition_json=tender.definition_json,
            change_note=change_note.strip(),
            created_by_id=buyer.id,
        )
    )
    audit.record(
        buyer,
        "tender_amended",
        f"tender:{tender.public_id}",
        version=tender.version,
        change_note=change_note.strip(),
        bid_deadline={"old": old["bid_deadline"].isoformat(), "new": tender.bid_deadline.isoformat()},
        opening_time={"old": old["opening_time"].isoformat(), "new": tender.opening_time.isoformat()},
    )
    events.tender_amended(tender, change_note.strip())
    db.session.commit()
    return tender


def extend_deadline(
    buyer: User, tender: Tender, new_deadline: dt.datetime, new_opening: dt.datetime, now: dt.datetime | None = None
) -> Tender:
    """A later deadline (and opening time not before it) for a tender still open for bids."""
    now = now or utcnow()
    if tender.owner_id != buyer.id:
        raise NotFound()
    tender = _lock(tender)
    require(tender, "extend", now=now)
    problems = []
    if new_deadline <= tender.bid_deadline:
        problems.append(
            Problem(
                "bid_deadline",
                f"新的截止时间应晚于 {show_time(tender.bid_deadline)}",
                f"the new deadline must be after {show_time(tender.bid_deadline)}",
            )
        )
    if new_opening < new_deadline:
        problems.append(
            Problem(
                "opening_time", "开标时间不能早于投标截止时间", "the opening time cannot be before the bid deadline"
            )
        )
    if problems:
        raise Invalid(problems)
    old = (tender.bid_deadline, tender.opening_time)
    tender.bid_deadline, tender.opening_time = new_deadline, new_opening
    audit.record(
        buyer,
        "tender_deadline_extended",
        f"tender:{tender.public_id}",
        bid_deadline={"old": old[0].isoformat(), "new": new_deadline.isoformat()},
        opening_time={"old": old[1].isoformat(), "new": new_opening.isoformat()},
    )
    events.deadline_extended(tender)
    db.session.commit()
    return tender


def cancel(buyer: User, tender: Tender, reason: str, now: dt.datetime | None = None) -> Tender:
    now = now or utcnow()
    if tender.owner_id != buyer.id:
        raise NotFound()
    tender = _lock(tender)
    require(tender, "cancel", now=now)
    if not reason.strip():
        raise Invalid([Problem("reason", "请填写取消原因", "give the reason")])
    previous = tender.status_at(now)
    tender.status = lifecycle.after("cancel")
    tender.cancelled_at = now
    tender.cancel_reason = reason.strip()
    audit.record(buyer, "tender_cancelled", f"tender:{tender.public_id}", reason=reason.strip(), was=previous)
    events.tender_cancelled(tender, reason.strip())
    db.session.commit()
    return tender


# --------------------------------------------------------------------------- vendors' view


@dataclass
class Page:
    """One page of a list, with what ``templates/_pager.html`` reads (as Flask-SQLAlchemy's
    Pagination has it)."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_open_for_vendors(page: int, per_page: int = PAGE_SIZE, now: dt.datetime | None = None) -> Page:
    """One page of the tenders vendors see: open ones first (soonest deadline first), then
    closed ones (latest deadline first).

    Two index-ordered reads (``ix_tender_status_deadline``) instead of one sort of every
    tender: the page is cut from the open part, then from the closed part, with the counts
    of both (index range counts) taken in one statement. Three statements, whichever page."""
    now = now or utcnow()
    page = max(page, 1)
    is_open = Tender.status_in((lifecycle.PUBLISHED,), now)
    is_closed = Tender.status_in((lifecycle.CLOSED,), now)
    open_count, closed_count = db.session.execute(
        select(
            select(func.count()).select_from(Tender).where(is_open).scalar_subquery(),
            select(func.count()).select_from(Tender).where(is_closed).scalar_subquery(),
        )
    ).one()
    start = (page - 1) * per_page
    from_open = max(0, min(per_page, open_count - start))
    items = list(
        db.session.scalars(
            select(Tender)
            .where(is_open)
            .order_by(Tender.bid_deadline.asc(), Tender.id)
            .offset(min(start, open_count))
            .limit(from_open)
        )
    )
    items += db.session.scalars(
        select(Tender)
        .where(is_closed)
        .order_by(Tender.bid_deadline.desc(), Tender.id)
        .offset(max(0, start - open_count))
        .limit(per_page - from_open)
    )
    return Page(items, page, per_page, open_count + closed_count)


def get_published(public_id: str) -> Tender:
    """A tender a vendor may see: its notice is public (anything but a draft)."""
    tender = db.session.scalars(select(Tender).where(Tender.public_id == public_id)).first()
    if tender is None or not tender.readable("tender_notice", "vendor"):
        raise NotFound()
    return tender


def versions(tender: Tender) -> list[TenderVersion]:
    return list(tender.versions)
