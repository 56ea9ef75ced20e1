"""Time rules of the procedure: the zone users read times in, and working-day deadlines.

Every deadline of the procedure is judged on the server clock and shown in Asia/Shanghai
(domain §2). Deadlines counted in working days (a challenge within ``challenge_days``
working days of the result notice, the buyer's answer within 7, a vendor confirming a
settled month within 5 — §14, §16) count Monday to Friday in that zone: the day of the
event itself does not count, and the last day runs to its midnight.
"""
from __future__ import annotations

import datetime as dt

SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


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
