"""Configuration read from the environment (microblog's config class).

Every setting has an embedded default so ``make run`` works on a fresh clone:

- ``SECRET_KEY``: signs sessions and CSRF tokens; when unset, a random key is created
  once in ``instance/secret_key`` and reused.
- ``DATABASE_URL``: the database, from the environment or ``instance/config.py``; any
  SQLAlchemy URL, ``postgres://`` and ``postgresql://`` meaning PostgreSQL through
  psycopg 3. When unset, the SQLite file ``instance/tender.sqlite``.
- ``REDIS_URL``: the RQ job queue (``RQ_QUEUE`` names the queue, ``tender`` by default);
  when unset, jobs run in-process.
- ``TENDER_DATA_KEY``: the key that encrypts stored bid files and quote data (see
  :mod:`tender.platform.storage`); when unset, ``instance/keys/data.key``, created on first run.
  The key is never stored in the database. Several app servers must share one key: set
  the same ``TENDER_DATA_KEY`` on every server and job worker.
- ``TENDER_AUDIT_KEY``: the key of the audit chain's HMAC (see :mod:`tender.platform.audit`); when
  unset, ``instance/keys/audit.key``, created on first run. Kept apart from the database
  like the data key, and the same on every server.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

# Pooled PostgreSQL connections: checked before use (a restarted server or a dropped idle
# connection costs one retry, not a 500) and recycled before common idle timeouts.
POSTGRES_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_recycle": 1800, "pool_size": 5, "max_overflow": 10}
# SQLite: wait for a writer instead of failing at once with "database is locked".
SQLITE_ENGINE_OPTIONS = {"connect_args": {"timeout": 30}}


def normalize_database_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` (any driver left unsaid) → ``postgresql+psycopg://``."""
    url = url.strip()
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def database_url(instance_path: str, configured: str | None = None) -> str:
    """The configured URL (instance config, then environment), else SQLite in the instance folder."""
    url = (configured or os.environ.get("DATABASE_URL") or "").strip()
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "tender.sqlite")
    return normalize_database_url(url)


def engine_options(url: str, configured: dict | None = None) -> dict:
    """Engine options for the URL's backend; options set in the configuration win."""
    backend = make_url(url).get_backend_name()
    defaults = (
        POSTGRES_ENGINE_OPTIONS
        if backend == "postgresql"
        else SQLITE_ENGINE_OPTIONS
        if backend == "sqlite"
        else {"pool_pre_ping": True}
    )
    return {**defaults, **(configured or {})}


def secret_key(instance_path: str) -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value not in ("0", "false", "no", "off")


class Config:
    """Defaults; ``create_app`` fills in the instance-dependent ones."""

    REDIS_URL = os.environ.get("REDIS_URL") or None
    RQ_QUEUE = os.environ.get("RQ_QUEUE") or "tender"
    # With a job queue, price sheets from this size on are read by a worker, not the request.
    JOB_WORKBOOK_BYTES = int(os.environ.get("TENDER_JOB_WORKBOOK_KB", "1024")) * 1024
    TENDER_DATA_KEY = os.environ.get("TENDER_DATA_KEY") or None
    TENDER_AUDIT_KEY = os.environ.get("TENDER_AUDIT_KEY") or None
    MAX_CONTENT_LENGTH = int(os.environ.get("TENDER_MAX_UPLOAD_MB", "30")) * 1024 * 1024
    LANGUAGES = ("zh_CN", "en")
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    DISPLAY_TIMEZONE = "Asia/Shanghai"
    # Cookies: HttpOnly, SameSite=Lax, and Secure (sent over HTTPS only) unless
    # TENDER_COOKIE_SECURE=0, for local use over plain http (``make run``).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("TENDER_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Sessions end after this long without a request, and this long after sign-in at most.
    IDLE_TIMEOUT_MINUTES = float(os.environ.get("TENDER_IDLE_MINUTES", "30"))
    SESSION_MAX_HOURS = float(os.environ.get("TENDER_SESSION_MAX_HOURS", "12"))
    # Sign-in throttling, counted from the audit trail's failed attempts in the window.
    LOGIN_FAILURE_WINDOW_MINUTES = float(os.environ.get("TENDER_LOGIN_WINDOW_MINUTES", "15"))
    LOGIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("TENDER_LOGIN_MAX_PER_ACCOUNT", "5"))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("TENDER_LOGIN_MAX_PER_ADDRESS", "20"))
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted.
    PROXY_FIX_COUNT = int(os.environ.get("TENDER_PROXY_COUNT", "0"))
    # The time of receipt of a request (tender.platform.request_time): the header a trusted proxy
    # sets with the time it received the request (e.g. X-Request-Start; off by default),
    # and how far back such a time may lie.
    REQUEST_START_HEADER = os.environ.get("TENDER_REQUEST_START_HEADER", "").strip() or None
    REQUEST_START_MAX_AGE = float(os.environ.get("TENDER_REQUEST_START_MAX_AGE", "300"))
    # An upload received before the bid deadline may still be confirmed this long after it.
    CONFIRM_GRACE_SECONDS = float(os.environ.get("TENDER_CONFIRM_GRACE_SECONDS", "120"))
    # Threads of a process that may read and seal uploads at once (CPU work; the others wait
    # their turn without holding anything, their time of receipt already taken).
    UPLOAD_READERS = int(os.environ.get("TENDER_UPLOAD_READERS", "1"))
    # Server-Timing response headers (where a request's time went): for load tests.
    SERVER_TIMING = _flag("TENDER_SERVER_TIMING", False)
    WTF_CSRF_TIME_LIMIT = None  # a long tender form must not expire while being written
