"""Sending and reading notifications (see :mod:`tender.notifications`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, select, update

from tender.models import Notification, Tender, User, new_public_id, utcnow
from tender.notifications import kinds
from tender.platform.extensions import db
from tender.services import NotFound

PAGE_SIZE = 20


def path_for(endpoint: str, **values) -> str:
    """The path of a page of this site, in a request or outside one (a command, a worker)."""
    if has_request_context():
        return url_for(endpoint, **values)
    root = (current_app.config.get("APPLICATION_ROOT") or "/").rstrip("/")
    return root + current_app.url_map.bind("localhost").build(endpoint, values)


def notify(
    users: Iterable[User | None], kind: str, tender: Tender | None = None, link: str | None = None, **params
) -> list[Notification]:
    """Tell ``users`` (each once; ``None`` skipped) something of ``kind``, about ``tender``,
    pointing at ``link`` (a path on this site).

    ``params`` fill the kind's text (``tender`` defaults to the tender's title); a value may
    be a :class:`scoring.text.Text`, an aware datetime or a Decimal. The notifications join
    the current transaction — the caller's commit stores them with its action — and, when
    a mail server is configured, so do their e-mail jobs, started after that commit.
    """
    if tender is not None:
        params.setdefault("tender", tender.title)
    missing = kinds.missing_params(kind, params)
    if missing:
        raise ValueError(f"notification {kind!r} needs {', '.join(missing)}")
    if link is not None and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"a notification links to a path on this site, not {link!r}")
    params_json = json.dumps(
        {key: kinds.stored(value) for key, value in params.items()}, ensure_ascii=False, sort_keys=True
    )
    seen: set[int] = set()
    made = []
    for user in users:
        if user is None or user.id in seen:
            continue
        seen.add(user.id)
        notification = Notification(
            public_id=new_public_id(),
            user=user,
            kind=kind,
            params_json=params_json,
            tender_id=tender.id if tender is not None else None,
            link=link,
            created_at=utcnow(),
        )
        db.session.add(notification)
        made.append(notification)
    if made:
        from tender.notifications import mail

        mail.queue(made)
    return made


# --------------------------------------------------------------------------- reading


def rendered(notification: Notification, lang: str) -> tuple[str, str]:
    """The notification's subject and text in ``lang``."""
    params = notification.params
    return kinds.subject(notification.kind, params, lang), kinds.text(notification.kind, params, lang)


def unread_count(user: User) -> int:
    """One indexed count (``ix_notification_user_read``)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def page_of(user: User, page: int, per_page: int = PAGE_SIZE):
    """One page of the user's notifications, newest first (``ix_notification_user_created``)."""
    query = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False)


def open_notification(user: User, public_id: str, now: dt.datetime | None = None) -> Notification:
    """The user's own notification, marked read; another user's is not found."""
    notification = db.session.scalars(select(Notification).where(Notification.public_id == public_id)).first()
    if notification is None or notification.user_id != user.id:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = now or utcnow()
        db.session.commit()
    return notification


def mark_all_read(user: User, now: dt.datetime | None = None) -> int:
    """Mark every unread notification of the user read; how many were."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    )
    db.session.commit()
    return result.rowcount or 0
