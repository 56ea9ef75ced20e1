"""Who is told what when a tender changes: called by the services inside the transaction of
the change, before its commit (so the notifications are stored with it, or not at all).

- an amendment, a deadline extension: the vendors who have confirmed a bid on the tender
  (a bid since withdrawn included: the change may bring them back);
- a cancellation: those vendors and the panel;
- the opening: each vendor whose bid was opened (linked to its own bid) and the panel.

Nothing of a bid's contents is ever put in a notification: a notification names the tender,
times and counts, never a price, a fact or a file.
"""

from __future__ import annotations

from sqlalchemy import select

from tender.models import Bid, BidVersion, OpenedBid, Tender, User
from tender.notifications.service import notify, path_for
from tender.platform.extensions import db


def bidders(tender: Tender) -> list[User]:
    """Vendors who confirmed at least one submission on the tender, in the order they first bid."""
    return list(
        db.session.scalars(
            select(User)
            .join(Bid, Bid.vendor_id == User.id)
            .where(
                Bid.tender_id == tender.id,
                select(BidVersion.id).where(BidVersion.bid_id == Bid.id, BidVersion.submitted_at.is_not(None)).exists(),
            )
            .order_by(Bid.id)
        )
    )


def panel(tender: Tender) -> list[User]:
    """The evaluators sitting on the tender's panel (a recused one is no longer told)."""
    from tender.services.opening import sitting

    return [assignment.evaluator for assignment in sitting(tender)]


def tender_amended(tender: Tender, change_note: str) -> None:
    notify(
        bidders(tender),
        "amendment",
        tender,
        link=path_for("bids.tender", public_id=tender.public_id),
        version=tender.version,
        note=change_note,
        deadline=tender.bid_deadline,
    )


def deadline_extended(tender: Tender) -> None:
    notify(
        bidders(tender),
        "deadline_extended",
        tender,
        link=path_for("bids.tender", public_id=tender.public_id),
        deadline=tender.bid_deadline,
        opening=tender.opening_time,
    )


def tender_cancelled(tender: Tender, reason: str) -> None:
    notify(
        bidders(tender),
        "tender_cancelled",
        tender,
        link=path_for("bids.tender", public_id=tender.public_id),
        reason=reason,
    )
    notify(panel(tender), "tender_cancelled", tender, link=path_for("panel.index"), reason=reason)


def bids_opened(tender: Tender, opened: list[OpenedBid], opened_at) -> None:
    for item in opened:
        notify(
            [item.bid.vendor],
            "bids_opened",
            tender,
            link=path_for("bids.bid", bid_id=item.bid.public_id),
            opened_at=opened_at,
            count=len(opened),
        )
    notify(
        panel(tender),
        "bids_opened",
        tender,
        link=path_for("panel.tender", public_id=tender.public_id),
        opened_at=opened_at,
        count=len(opened),
    )
