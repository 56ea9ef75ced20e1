"""Web-facing protections (OWASP ASVS §3, §4, §14): response headers, session
lifetime, sign-in throttling and safe downloads.

- **Headers** on every response: a Content-Security-Policy that allows only this origin
  (no inline script, no framing), ``X-Frame-Options: DENY``, ``nosniff``, a strict
  ``Referrer-Policy``, ``Cache-Control: no-store`` on pages of signed-in users (sealed
  data must not sit in shared caches), HSTS over HTTPS, and a neutral ``Server`` header.
- **Sessions**: :func:`start_session` marks the start and last activity of a session at
  sign-in. Every request of a signed-in user checks the idle time (``IDLE_TIMEOUT_MINUTES``)
  and the absolute lifetime (``SESSION_MAX_HOURS``) on the server, against times kept in
  the signed session cookie (a client cannot move them); an expired session is ended
  (the user's server-side session token rotated) and the user is sent to the sign-in
  page with a message. A session whose token was rotated elsewhere (sign-out, another
  sign-in, a deactivated account) is cleared with a message too.
- **Sign-in throttling** counts failed attempts in the audit trail (no table of its own):
  per account (since its last successful sign-in) and per client address, within
  ``LOGIN_FAILURE_WINDOW_MINUTES``. Beyond the limit the password is not even checked; the
  refusal is audited as ``login_throttled``.
- **Downloads**: :func:`attachment` sends bytes as an attachment with a safe file name
  (an ASCII ``filename`` and an RFC 5987 ``filename*`` for Chinese names).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from flask import Flask, current_app, flash, g, redirect, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import select

from tender.models import AuditRecord, User, utcnow
from tender.platform import audit
from tender.platform.extensions import db

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
SERVER_NAME_HEADER = "tender"  # replaces e.g. "Werkzeug/3.1 Python/3.12"

# Session keys kept in the signed cookie.
SESSION_STARTED = "started_at"
SESSION_SEEN = "seen_at"
FLASK_LOGIN_USER_KEY = "_user_id"


def init_app(app: Flask) -> None:
    """Register the hooks; called by :func:`tender.create_app` after Flask-Login is bound."""
    proxies = int(app.config.get("PROXY_FIX_COUNT") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.before_request(_check_session)
    app.after_request(_set_security_headers)
    app.after_request(_one_flash_of_each)


# --------------------------------------------------------------------------- headers


def _set_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Server"] = SERVER_NAME_HEADER
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static" and _signed_in():
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Pragma", "no-cache")
    return response


def _signed_in() -> bool:
    try:
        return bool(current_user and current_user.is_authenticated)
    except Exception:  # noqa: BLE001 - headers must never turn a response into an error
        return False


# --------------------------------------------------------------------------- sessions


def _one_flash_of_each(response):
    """A message waiting in the session is not queued a second time: a visitor who opens ten
    pages before signing in sees "Please sign in" once, not ten times, and the session cookie
    (which carries the waiting messages) stays small: browsers drop a cookie over 4 KB."""
    waiting = session.get("_flashes")
    if waiting and len(waiting) > 1:
        unique = list({(category, str(message)): (category, message) for category, message in waiting}.values())
        if len(unique) < len(waiting):
            session["_flashes"] = unique
    return response


def start_session() -> None:
    """Call right after ``login_user``: the session's start and last activity are now."""
    now = time.time()
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now


def _check_session():
    # Load the user from this request's cookie. (Flask-Login caches it on ``g``; in
    # production ``g`` is new for each request, but a test holding one app context
    # across requests would otherwise see the previous request's user.)
    g.pop("_login_user", None)
    if request.endpoint == "static":
        return None
    if not current_user.is_authenticated:
        if FLASK_LOGIN_USER_KEY in session:
            # The cookie names a session token that no longer exists: signed out elsewhere,
            # signed in on another device, or the account was deactivated.
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            flash(
                _(
                    "Your session has ended: you signed out, signed in somewhere else, "
                    "or your account was changed. Please sign in again."
                ),
                "warning",
            )
        return None
    now = time.time()
    idle = float(current_app.config["IDLE_TIMEOUT_MINUTES"]) * 60
    lifetime = float(current_app.config["SESSION_MAX_HOURS"]) * 3600
    seen, started = session.get(SESSION_SEEN), session.get(SESSION_STARTED)
    if seen is None or started is None or now - seen > idle or now - started > lifetime:
        reason = "idle" if seen is not None and now - seen > idle else "lifetime"
        _end_session(reason)
        if reason == "idle":
            flash(
                _(
                    "You were signed out after %(minutes)s minutes without activity. Please sign in again.",
                    minutes=_whole(current_app.config["IDLE_TIMEOUT_MINUTES"]),
                ),
                "warning",
            )
        else:
            flash(
                _(
                    "Your session has reached its maximum length of %(hours)s hours. Please sign in again.",
                    hours=_whole(current_app.config["SESSION_MAX_HOURS"]),
                ),
                "warning",
            )
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))
    session[SESSION_SEEN] = now
    return None


def _whole(value) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def _end_session(reason: str) -> None:
    """End the session on the server (rotate the user's token), audit it, clear the cookie."""
    user = current_user._get_current_object()
    lang = user.locale or session.get("lang")
    user.session_token = secrets.token_urlsafe(32)
    audit.record(user, "session_expired", f"user:{user.public_id}", reason=reason)
    db.session.commit()
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang  # the sign-in page stays in the user's language


# --------------------------------------------------------------------------- sign-in throttling


@dataclass(frozen=True)
class Throttle:
    """Sign-in refused before the password is checked: which limit, and for how long."""

    scope: str  # account | address
    retry_after_seconds: int

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after_seconds / 60))

    def message(self) -> str:
        if self.scope == "account":
            return _(
                "Too many failed sign-in attempts for this account. "
                "Wait %(minutes)s minutes, then try again (or ask an administrator).",
                minutes=self.retry_after_minutes,
            )
        return _(
            "Too many failed sign-in attempts from your network address. Wait %(minutes)s minutes, then try again.",
            minutes=self.retry_after_minutes,
        )


def client_address() -> str:
    return (request.remote_addr or "unknown")[:64]


def _details_fragment(key: str, value: str) -> str:
    """The text ``"key": "value"`` exactly as :func:`tender.platform.audit.record` writes details_json."""
    return json.dumps({key: value}, ensure_ascii=False, sort_keys=True)[1:-1]


def _failures_since(key: str, value: str, since: dt.datetime) -> list[dt.datetime]:
    """Times of ``login_failed`` records since ``since`` whose details[key] == value."""
    rows = db.session.execute(
        select(AuditRecord.at, AuditRecord.details_json).where(
            AuditRecord.action == "login_failed",
            AuditRecord.at >= since,
            AuditRecord.details_json.contains(_details_fragment(key, value), autoescape=True),
        )
    )
    return sorted(at for at, details in rows if json.loads(details).get(key) == value)


def _last_login(email: str) -> dt.datetime | None:
    user = db.session.scalars(select(User).where(User.email == email)).first()
    if user is None:
        return None
    return db.session.scalar(
        select(AuditRecord.at)
        .where(AuditRecord.object == f"user:{user.public_id}", AuditRecord.action == "login")
        .order_by(AuditRecord.seq.desc())
        .limit(1)
    )


def login_throttle(email: str, address: str, now: dt.datetime | None = None) -> Throttle | None:
    """The limit this sign-in attempt is over, if any (counted from the audit trail)."""
    config = current_app.config
    now = now or utcnow()
    window = dt.timedelta(minutes=float(config["LOGIN_FAILURE_WINDOW_MINUTES"]))
    since = now - window
    email = email.strip().lower()[:254]
    account_since = max(since, _last_login(email) or since)
    checks = (
        ("account", "email", email, account_since, int(config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])),
        ("address", "address", address, since, int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"])),
    )
    for scope, key, value, start, limit in checks:
        failures = _failures_since(key, value, start)
        if len(failures) >= limit:
            # Free again when enough of the failures have left the window.
            frees_at = failures[len(failures) - limit] + window
            return Throttle(scope, max(1, math.ceil((frees_at - now).total_seconds())))
    return None


def record_throttled(email: str, address: str, throttle: Throttle) -> None:
    audit.record(
        "anonymous",
        "login_throttled",
        "",
        email=email.strip().lower()[:254],
        address=address,
        scope=throttle.scope,
        retry_after_seconds=throttle.retry_after_seconds,
    )
    db.session.commit()


# --------------------------------------------------------------------------- downloads

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\"\\/:*?<>|]+")


def safe_filename(name: str, fallback: str = "download") -> str:
    """A file name fit for Content-Disposition: no path, no control or format characters
    (e.g. the right-to-left override that disguises ``exe`` as ``docx``), not hidden,
    at most 150 characters with the extension kept. Chinese is kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = _UNSAFE_NAME.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if not name:
        return fallback
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 150 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:150]
    return name


def _ascii_fallback(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""

    def to_ascii(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9._-]+", "_", plain).strip("_.")

    stem, ext = to_ascii(stem) or "file", to_ascii(ext)
    return f"{stem}.{ext}" if ext else stem


def content_disposition(filename: str) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''percent-encoded`` (RFC 6266 / 5987)."""
    name = safe_filename(filename)
    header = f'attachment; filename="{_ascii_fallback(name)}"'
    if name != _ascii_fallback(name):
        header += "; filename*=UTF-8''" + quote(name, safe="")
    return header


def attachment(data: bytes, filename: str, mimetype: str):
    """A download: never rendered inline, never sniffed, never cached."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name="download")
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --------------------------------------------------------------------------- request size


def drain_request_body(limit_bytes: int) -> None:
    """Read (and drop) an over-long request body, up to ``limit_bytes``, so the browser
    sees the 413 page instead of a reset connection."""
    length = request.content_length
    stream = request.environ.get("wsgi.input")
    if not length or stream is None or length > limit_bytes:
        return
    remaining = length
    try:
        while remaining > 0:
            chunk = stream.read(min(remaining, 1 << 16))
            if not chunk:
                break
            remaining -= len(chunk)
    except (OSError, ValueError):
        pass
