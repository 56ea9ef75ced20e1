"""Times and amounts as users read and type them.

Times are stored in UTC and shown in Asia/Shanghai with the zone named; a time typed in
a form (``2026-12-20T17:00``) is read as Shanghai time by the domain's one reader,
:func:`scoring.times.parse_time`. Amounts are shown exactly, with thousands separators and
two decimals.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from scoring.times import SHANGHAI


def to_shanghai(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(SHANGHAI)


def to_iso_shanghai(moment: dt.datetime) -> str:
    """ISO 8601 with the +08:00 offset, as in the tender JSON (``2026-12-20T17:00:00+08:00``)."""
    return to_shanghai(moment).replace(microsecond=0).isoformat()


def show_time(moment: dt.datetime | None, seconds: bool = False) -> str:
    """``2026-12-20 17:00 (UTC+8 Asia/Shanghai)``; the zone is always named."""
    if moment is None:
        return "—"
    local = to_shanghai(moment)
    text = local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    return f"{text} (UTC+8 Asia/Shanghai)"


def local_input_value(moment: dt.datetime | None) -> str:
    """The value of an ``<input type=datetime-local>`` for ``moment``, in Shanghai time."""
    return to_shanghai(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


def show_number(value) -> str:
    """A count or volume as typed, with thousands separators: ``1200`` → ``1,200``,
    ``2187.50`` → ``2,187.5``; ``None`` → ``—``. Exact: no float on the way."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not amount.is_finite():
        return str(value)
    if amount == amount.to_integral_value():
        return f"{amount.quantize(Decimal(1)):,}"
    return f"{amount.normalize():,f}"


def show_money(value) -> str:
    """``52266.666`` → ``52,266.67``; ``None`` → ``—``. Exact: no float on the way."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
