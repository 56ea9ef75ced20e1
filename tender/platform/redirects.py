"""Where a redirect may send a user: one rule for every redirect that takes its target from
the request (``next`` after signing in or switching the language).

Only a path on this site is followed. Browsers read a ``Location`` more loosely than
Python does: they drop tabs and line breaks anywhere, treat a backslash as a slash and
ignore leading spaces, so ``/<TAB>/evil.example`` or ``/\\evil.example`` would become
``//evil.example``, another site. A target holding any of these, a scheme or a host is
refused, not repaired.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site (``/buyer/tenders?page=2``), else None."""
    if not target or not isinstance(target, str):
        return None
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target) or "\\" in target:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
