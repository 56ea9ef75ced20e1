"""Translated names of statuses and roles, shown in pages and messages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "draft": _l("Draft"),
    "published": _l("Open for bids"),
    "closed": _l("Closed (deadline passed)"),
    "opened": _l("Opened"),
    "evaluated": _l("Evaluated"),
    "awarded": _l("Awarded"),
    "cancelled": _l("Cancelled"),
    "failed": _l("Failed (too few valid bids)"),
    "preview": _l("Not yet confirmed"),
    "submitted": _l("Submitted"),
    "superseded": _l("Replaced"),
    "withdrawn": _l("Withdrawn"),
    "discarded": _l("Discarded"),
}

ROLE_LABELS = {
    "buyer": _l("Buyer"),
    "vendor": _l("Vendor"),
    "evaluator": _l("Evaluator"),
    "admin": _l("Administrator"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))
