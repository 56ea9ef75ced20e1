"""Time rules of the procedure: the zone users read times in, how a written time is read,
and working-day deadlines.

Every deadline of the procedure is judged on the server clock and shown in Asia/Shanghai
(domain §2). Deadlines counted in working days (a challenge within ``challenge_days``
working days of the result notice, the buyer's answer within 7, a vendor confirming a
settled month within 5 — §14, §16) count Monday to Friday in that zone: the day of the
event itself does not count, and the last day runs to its midnight.
"""

from __future__ import annotations

import datetime as dt

# The one zone of the procedure (China has kept UTC+8 all year since 1991).
SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def parse_time(raw) -> dt.datetime | None:
    """A moment as files and forms write it — ISO 8601 (``2026-12-20T17:00:00+08:00``, a space
    for the ``T``, a trailing ``Z``) or a datetime; without an offset it is Asia/Shanghai time.
    An aware datetime in the offset it was written with; None for nothing (None or blank);
    ValueError for anything else."""
    if isinstance(raw, dt.datetime):
        value = raw
    elif raw is None or not str(raw).strip():
        return None
    else:
        value = dt.datetime.fromisoformat(str(raw).strip().replace("Z", "+00:00"))
    return value if value.tzinfo is not None else value.replace(tzinfo=SHANGHAI)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday (public holidays are not modelled: the domain counts Mon–Fri)."""
    return day.weekday() < 5


def working_days_after(moment: dt.datetime, days: int) -> dt.datetime:
    """The end of the ``days``-th working day after the day of ``moment`` (Asia/Shanghai):
    the first instant that is *too late*. A notice on Friday 4 December with 7 working days
    leaves until Tuesday 15 December 23:59:59.999…, so this returns 16 December 00:00 (+08:00).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = moment.astimezone(SHANGHAI).date()
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)
