"""The app's fixtures: an app on a temporary instance folder and a test database, its
clients, and one signed-in helper per role (flaskr's pattern). They live here, not in the
root conftest, so the pure domain tests (tests/unit) never import the app.

The database is SQLite unless ``TEST_DATABASE_URL`` names a PostgreSQL server. On SQLite
the schema is built once per run (``create_all`` into a template file) and each test gets
its own copy of that file (a copy costs about a millisecond, ``create_all`` 0.1–0.5 s). On
PostgreSQL the run creates its own database ``tender_test_<random>`` through that URL (the
maintenance database; ``synchronous_commit`` off, as the SQLite files run without fsync),
creates the tables once, empties them after each test (``DELETE`` children first, sequences
restarted) and drops the database at the end of the run. A state many tests start from (the
demo, a tender with its bids in: ``seed_demo``, ``snapshot``) is built once per process and
put back for each later test: a copy of the SQLite file, or on PostgreSQL the rows of every
table (binary ``COPY``) and the sequences' positions.
Either way every app of the run shares the compiled templates (:class:`TemplateBytecode`).

Password hashing uses a cheap method here (scrypt costs ~50 ms a user); the app's
default stays scrypt. CSRF is off for the functional tests; ``csrf_app`` turns it on
for the tests that check it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from flask import Flask
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import close_all_sessions
from sqlalchemy.pool import NullPool
from werkzeug.routing import Rule

from tender import create_app
from tender.models import User, VendorProfile
from tender.platform.catalogues import compile_catalogues
from tender.platform.config import normalize_database_url
from tender.platform.extensions import db
from tender.platform.storage import generate_key
from tender.services import results as results_service

PASSWORD = "correct horse 42"

# Make sure the .mo files match the .po files even when pytest runs without `make` (the
# app's pages need them; the domain tests do not).
compile_catalogues()


class TemplateBytecode(BytecodeCache):
    """The compiled templates, kept in memory for the whole run: each test makes a new app,
    and each new app would compile every template it renders again (≈0.3 s for a few pages).
    A template whose source changed is compiled again (the cache checks its checksum)."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


# Every app of the run is made by create_app, with the same Jinja settings: they can share it.
Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": TemplateBytecode()}


# Every app of the run has the same ~110 routes, and werkzeug compiles two URL builders for
# each rule it adds (an AST made, compiled and executed): ~90 ms of the ~100 ms a create_app
# costs, paid by every test. A builder is a plain function of the rule (it takes the rule as
# its first argument and reads its converters from there), so the run's apps share one per
# rule text, trace, defaults and kind.
_builders: dict[tuple, object] = {}
_compile_builder = Rule._compile_builder


def _shared_builder(self, append_unknown: bool = True):
    key = (self.rule, tuple(self._trace), repr(self.defaults), append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _compile_builder(self, append_unknown)
    return builder


Rule._compile_builder = _shared_builder


@event.listens_for(Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, _record) -> None:
    """A test's SQLite file is thrown away after the test: its commits need not wait for the
    disk (``synchronous = OFF``; locking and transactions are unchanged)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


class PostgresDatabases:
    """Databases of this test run on the server of ``TEST_DATABASE_URL``, dropped at its end."""

    def __init__(self, maintenance_url: str):
        self.maintenance_url = make_url(normalize_database_url(maintenance_url))
        self.prefix = f"tender_test_{secrets.token_hex(4)}"
        self.created: list[str] = []
        self.schema_ready: set[str] = set()

    def _admin(self):
        return create_engine(self.maintenance_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def create(self, suffix: str = "") -> str:
        name = self.prefix + suffix
        engine = self._admin()
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
            connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        engine.dispose()
        self.created.append(name)
        return self.maintenance_url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        engine = self._admin()
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
        self.created.remove(name)

    def drop_all(self) -> None:
        for name in list(self.created):
            self.drop(self.maintenance_url.set(database=name).render_as_string(hide_password=False))


POSTGRES = PostgresDatabases(os.environ["TEST_DATABASE_URL"]) if os.environ.get("TEST_DATABASE_URL") else None
_run_database_url: str | None = None


def run_database_url() -> str | None:
    """The PostgreSQL database shared by this run's tests (made on first use), or None on SQLite."""
    global _run_database_url
    if POSTGRES is not None and _run_database_url is None:
        _run_database_url = POSTGRES.create()
    return _run_database_url


def pytest_sessionfinish(session, exitstatus):
    if POSTGRES is not None:
        POSTGRES.drop_all()
    if _sqlite_template is not None:
        shutil.rmtree(_sqlite_template.parent, ignore_errors=True)
    for kept in [*_snapshots.values(), *([_demo_snapshot] if _demo_snapshot else [])]:
        if "file" in kept:
            shutil.rmtree(kept["file"].parent, ignore_errors=True)


def app_config(tmp_path, **extra) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": run_database_url() or "sqlite:///" + str(tmp_path / "test.sqlite"),
        "SECRET_KEY": "test",
        "TENDER_DATA_KEY": generate_key(),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **extra,
    }


# The SQLite file holding this run's empty schema, made by the first test that needs one.
_sqlite_template: Path | None = None


def prepare_schema(app) -> None:
    """Create the tables: once per run on PostgreSQL; on SQLite, copy the run's template file
    (built by ``create_all`` once) to the test's new file."""
    global _sqlite_template
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if POSTGRES is not None:
        if url.render_as_string(hide_password=False) not in POSTGRES.schema_ready:
            db.create_all()
            POSTGRES.schema_ready.add(url.render_as_string(hide_password=False))
        return
    path = Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
    if path is None or (path.exists() and path.stat().st_size > 0):
        db.create_all()  # in memory, or a file a test made on purpose: build it here
        return
    db.session.remove()
    db.engine.dispose()  # nothing may hold the file while it is replaced
    if _sqlite_template is None:
        template = Path(tempfile.mkdtemp(prefix="tender-schema-")) / "schema.sqlite"
        db.create_all()
        db.engine.dispose()
        shutil.copyfile(path, template)
        _sqlite_template = template
        return
    shutil.copyfile(_sqlite_template, path)


def empty_tables(app) -> None:
    """After a test on PostgreSQL: every table emptied, identities restarted, for the next test."""
    db.session.remove()
    close_all_sessions()  # sessions of app contexts a test left pushed give their connections back
    db.engine.dispose()
    if POSTGRES is not None:
        _postgres_reset(app)


def _postgres_engine(app):
    return create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)


def _postgres_reset(app, kept: dict | None = None) -> None:
    """Every table emptied and every sequence restarted; then, with ``kept`` (what
    :func:`_postgres_dump` read), its rows copied back and its sequences set where they were."""
    # DELETE, children first, and the sequences restarted: a test leaves a few rows, and
    # TRUNCATE (new files for every table) costs 0.5–0.9 s a test where this costs 0.03 s.
    engine = _postgres_engine(app)
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL lock_timeout = '20s'"))  # a test that left a lock fails here
        sequences = (
            connection.execute(
                text("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences")
            )
            .scalars()
            .all()
        )
        connection.exec_driver_sql(
            "; ".join(
                [f'DELETE FROM "{table.name}"' for table in reversed(db.metadata.sorted_tables)]
                + [f"ALTER SEQUENCE {sequence} RESTART" for sequence in sequences]
            )
        )
        if kept is not None:
            cursor = connection.connection.driver_connection.cursor()
            for table in db.metadata.sorted_tables:  # parents first
                if table.name in kept["rows"]:
                    with cursor.copy(f'COPY "{table.name}" FROM STDIN (FORMAT BINARY)') as copy:
                        copy.write(kept["rows"][table.name])
            for sequence, value in kept["sequences"]:
                connection.execute(
                    text("SELECT setval(CAST(:sequence AS regclass), :value)"), {"sequence": sequence, "value": value}
                )
    engine.dispose()


def _postgres_dump(app) -> dict:
    """The rows of every table that has any (binary COPY) and where each used sequence stands."""
    engine = _postgres_engine(app)
    rows = {}
    with engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        for table in db.metadata.sorted_tables:
            if connection.execute(select(func.count()).select_from(table)).scalar():
                with cursor.copy(f'COPY "{table.name}" TO STDOUT (FORMAT BINARY)') as copy:
                    rows[table.name] = b"".join(bytes(chunk) for chunk in copy)
        sequences = connection.execute(
            text(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value"
                " FROM pg_sequences WHERE last_value IS NOT NULL"
            )
        ).all()
    engine.dispose()
    return {"rows": rows, "sequences": [tuple(row) for row in sequences]}


# States the tests of a run build again and again (a tender with its bids in), kept once
# per run: name -> the state it was built from and what ``_keep`` kept of it.
_snapshots: dict[str, dict] = {}


def _database_state() -> tuple:
    """What a snapshot was built on: the rows of every table, and the accounts by id."""
    counts = tuple(
        db.session.execute(select(func.count()).select_from(table)).scalar() for table in db.metadata.sorted_tables
    )
    return counts, tuple(db.session.execute(select(User.id, User.email).order_by(User.id)).all())


def _sqlite_file(app) -> Path | None:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def _can_keep(app) -> bool:
    """A database this run can keep and put back: its PostgreSQL database, or a SQLite file."""
    return POSTGRES is not None or _sqlite_file(app) is not None


def _keep(app, name: str) -> dict:
    """The test's database as it stands (committed), with the keys its files were sealed and
    its audit chain keyed with: a copy of the SQLite file, or PostgreSQL's rows (binary COPY,
    milliseconds where building the state takes seconds)."""
    db.session.commit()
    if POSTGRES is not None:
        kept = {"rows": _postgres_dump(app)}
    else:
        kept = {"file": Path(tempfile.mkdtemp(prefix=f"tender-{name}-")) / "snapshot.sqlite"}
        db.engine.dispose()  # the session's objects stay; no connection holds the file
        shutil.copyfile(_sqlite_file(app), kept["file"])  # no transaction is open: the file is whole
    kept["data_key"] = app.extensions["tender_data_key"]
    kept["audit_key"] = app.extensions["tender_audit_key"]
    return kept


def _restore(app, kept: dict) -> None:
    """The database as ``_keep`` kept it. Every object the test held is detached."""
    db.session.remove()
    db.engine.dispose()  # nothing may hold the file (or the rows) while it is replaced
    if "rows" in kept:
        _postgres_reset(app, kept["rows"])
    else:
        shutil.copyfile(kept["file"], _sqlite_file(app))
    app.extensions["tender_data_key"] = kept["data_key"]
    app.extensions["tender_audit_key"] = kept["audit_key"]
    # The copies share their tender ids: no evaluation of an earlier test is served.
    results_service._evaluations = results_service._Evaluations(results_service.CACHE_SIZE)


def snapshot(app, name: str, build) -> bool:
    """``build()`` (which commits what it makes), once per run for a database in the same
    state: later calls put back the database it left, with the keys its files were sealed
    and its audit chain keyed with. Returns True when put back: every object the test held
    is then detached, and the caller loads again what it hands on."""
    if not _can_keep(app):
        build()
        return False
    state = _database_state()
    kept = _snapshots.get(name)
    if kept is not None and kept["state"] == state:
        _restore(app, kept)
        return True
    build()
    _snapshots[name] = {**_keep(app, name), "state": state}
    return False


# The demo of `flask seed-demo`, seeded once per run: what ``_keep`` kept of it.
_demo_snapshot: dict | None = None


def seed_demo(app, runner) -> None:
    """``flask seed-demo`` on the test's empty database. The first test of the run seeds it and
    keeps it; each later test gets it back with its keys (milliseconds, where seeding takes
    several seconds). On a database that is not empty, it seeds."""
    global _demo_snapshot
    empty = _can_keep(app) and User.query.count() == 0
    if empty and _demo_snapshot is not None:
        _restore(app, _demo_snapshot)
        return
    outcome = runner.invoke(args=["seed-demo"])
    assert outcome.exit_code == 0, outcome.output
    if empty:
        _demo_snapshot = _keep(app, "demo")


@pytest.fixture
def app(tmp_path):
    app = create_app(app_config(tmp_path))
    with app.app_context():
        prepare_schema(app)
        yield app
        empty_tables(app)


@pytest.fixture
def csrf_app(tmp_path):
    app = create_app(app_config(tmp_path, WTF_CSRF_ENABLED=True))
    with app.app_context():
        prepare_schema(app)
        yield app
        empty_tables(app)


@pytest.fixture
def empty_database_url(tmp_path):
    """A database with no table at all (for migrations): its own PostgreSQL database, or a new SQLite file."""
    if POSTGRES is None:
        yield "sqlite:///" + str(tmp_path / "empty.sqlite")
        return
    url = POSTGRES.create(f"_{secrets.token_hex(3)}")
    try:
        yield url
    finally:
        POSTGRES.drop(url)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# PASSWORD hashed once per run (by the method the apps of the tests use): every account of
# the tests has it.
_password_hash: str | None = None


def make_user(
    role: str,
    email: str | None = None,
    name: str | None = None,
    locale: str | None = "en",
    company: str | None = None,
    facts: dict | None = None,
    commit: bool = True,
) -> User:
    """A user of ``role`` (English UI by default, so assertions read in English)."""
    global _password_hash
    email = email or f"{role}{User.query.count() + 1}@example.cn"
    user = User(email=email, name=name or email.split("@")[0], role=role, locale=locale)
    if _password_hash is None:
        user.set_password(PASSWORD)
        _password_hash = user.password_hash
    user.password_hash = _password_hash
    if role == "vendor":
        company = company or f"{email.split('@')[0]}客服有限公司"
        user.vendor_profile = VendorProfile(company_name=company)
        user.vendor_profile.facts = {"company_name": company, **(facts or {})}
    db.session.add(user)
    if commit:
        db.session.commit()
    return user


class Auth:
    """Sign a test client in and out."""

    def __init__(self, client):
        self.client = client

    def login(self, user: User, password: str = PASSWORD):
        return self.client.post("/auth/login", data={"email": user.email, "password": password})

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def users(app):
    """One account per role (two vendors, so one can try the other's bid)."""
    made = {
        "buyer": make_user("buyer", "buyer@example.cn", "Buyer Wang", commit=False),
        "other_buyer": make_user("buyer", "buyer2@example.cn", "Buyer Li", commit=False),
        "vendor": make_user(
            "vendor", "vendor@example.cn", "Vendor Zhao", company="杭州云客服科技有限公司", commit=False
        ),
        "other_vendor": make_user(
            "vendor", "vendor2@example.cn", "Vendor Qian", company="广州提成制客服服务有限公司", commit=False
        ),
        "evaluator": make_user("evaluator", "expert@example.cn", "Expert Sun", commit=False),
        "admin": make_user("admin", "admin@example.cn", "Admin Zhou", commit=False),
    }
    db.session.commit()  # one transaction; the ids follow the order above, as before
    return made


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "page has no CSRF token"
    return match.group(1)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)
