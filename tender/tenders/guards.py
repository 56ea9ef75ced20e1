"""Guard rails of the buyer's consequential steps (issue 16): an amendment that changes the
workload (the scenario, or a lot's) or the criteria less than 15 days before the bid deadline
leaves vendors too little time to re-price — the buyer is warned and offered to extend the
deadline, and goes on only by saying so. (The confirmations naming the consequence of
publishing, opening and awarding are on their buttons: ``data-confirm``.)"""

from __future__ import annotations

import datetime as dt

from scoring.times import parse_time

LATE_AMENDMENT_DAYS = 15
WORKLOAD_KEYS = ("scenario", "criteria", "lots")


def changed_terms(old: dict, new: dict) -> list[str]:
    """Which of the workload and the criteria the amendment changes (the keys), compared as
    the domain reads them (a form sends ``900`` back as ``"900"``: not a change)."""
    from scoring import InvalidInput, parse_tender

    try:
        before, after = parse_tender(old), parse_tender(new)
    except InvalidInput:  # a definition with problems is refused by the amendment itself
        return [key for key in WORKLOAD_KEYS if old.get(key) != new.get(key)]
    return [key for key in WORKLOAD_KEYS if getattr(before, key, None) != getattr(after, key, None)]


def late_amendment(old: dict, new: dict, now: dt.datetime) -> dict | None:
    """``{"changed": [...], "deadline": …, "extend_to": …}`` when the amendment changes the
    workload or the criteria and the (new) deadline is less than 15 days away; else None."""
    changed = changed_terms(old, new)
    deadline = parse_time(new.get("bid_deadline"))
    if not changed or deadline is None:
        return None
    extend_to = now + dt.timedelta(days=LATE_AMENDMENT_DAYS)
    if deadline >= extend_to:
        return None
    return {"changed": changed, "deadline": deadline, "extend_to": extend_to}
