"""Reading the public tender notices: which tenders, in which order, and what each says."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from scoring import InvalidInput, lifecycle
from scoring.notice import Section, notice_sections
from scoring.tender import parse_tender
from tender.models import Tender, TenderVersion, utcnow
from tender.platform.extensions import db
from tender.services import NotFound

PAGE_SIZE = 20

# The stored states in which a tender is a public notice (the lifecycle's answer, not a list of ours).
PUBLIC_STATES = tuple(state for state in lifecycle.STATES if lifecycle.may_read("tender_notice", "public", state))


def state_of(tender: Tender, now: dt.datetime) -> str:
    """The tender's state at ``now``, as the lifecycle derives it from what is stored."""
    return tender.status_at(now)


def is_public(tender: Tender, now: dt.datetime | None = None) -> bool:
    return tender.published_at is not None and lifecycle.may_read(
        "tender_notice", "public", state_of(tender, now or utcnow())
    )


def page_of_notices(page: int, per_page: int = PAGE_SIZE):
    """One page of the public notices, newest publication first (index ``ix_tender_published_at``)."""
    query = (
        select(Tender)
        .where(Tender.status.in_(PUBLIC_STATES), Tender.published_at.is_not(None))
        .order_by(Tender.published_at.desc(), Tender.id.desc())
    )
    return db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False)


def public_tender(public_id: str, now: dt.datetime | None = None) -> Tender:
    """The tender of a public notice; a draft (or no such tender) is not found."""
    tender = db.session.scalars(select(Tender).where(Tender.public_id == public_id)).first()
    if tender is None or not is_public(tender, now):
        raise NotFound()
    return tender


def sections(tender: Tender) -> tuple[Section, ...]:
    """The notice's terms in words, from the tender as it stands now (the latest version)."""
    try:
        return notice_sections(parse_tender(tender.definition()))
    except InvalidInput:  # a definition stored before a rule it now breaks: the notice shows the rest
        return ()


def versions(tender: Tender) -> list[TenderVersion]:
    return list(tender.versions)
