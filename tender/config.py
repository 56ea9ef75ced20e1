"""Configuration read from the environment (microblog's config class).

Every setting has an embedded default so ``make run`` works on a fresh clone:

- ``SECRET_KEY``: signs sessions and CSRF tokens; when unset, a random key is created
  once in ``instance/secret_key`` and reused.
- ``DATABASE_URL``: any SQLAlchemy URL (``postgresql+psycopg://…``); when unset, the
  SQLite file ``instance/tender.sqlite``.
- ``REDIS_URL``: the RQ job queue; when unset, jobs run in-process.
- ``TENDER_DATA_KEY``: the key that encrypts stored bid files and quote data (see
  :mod:`tender.storage`); when unset, ``instance/keys/data.key``, created on first run.
  The key is never stored in the database.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "tender.sqlite")
    if url.startswith("postgres://"):  # Heroku-style scheme that SQLAlchemy 2 refuses
        url = "postgresql://" + url[len("postgres://"):]
    return url


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


class Config:
    """Defaults; ``create_app`` fills in the instance-dependent ones."""

    REDIS_URL = os.environ.get("REDIS_URL") or None
    TENDER_DATA_KEY = os.environ.get("TENDER_DATA_KEY") or None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = int(os.environ.get("TENDER_MAX_UPLOAD_MB", "30")) * 1024 * 1024
    LANGUAGES = ("zh_CN", "en")
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    DISPLAY_TIMEZONE = "Asia/Shanghai"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a long tender form must not expire while being written
