"""The database layer on both backends: URLs, migrations, and what holds under concurrency.

The concurrency tests use several connections at once, as several gunicorn workers
would; they run on PostgreSQL (``TEST_DATABASE_URL``), where row and advisory locks
exist. On SQLite the embedded default is one worker, so they are skipped there.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from tender import create_app
from tender.models import AuditRecord, BidVersion, User, utcnow
from tender.platform import audit
from tender.platform.config import database_url, engine_options, normalize_database_url
from tender.platform.extensions import db
from tender.services import DeadlinePassed, WrongState
from tender.services import bids as bid_service
from tests.integration.conftest import POSTGRES, app_config
from tests.integration.helpers import document_file, published, quote_file

postgres_only = pytest.mark.skipif(POSTGRES is None, reason="row and advisory locks: PostgreSQL only")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db.example/tender", "postgresql+psycopg://u:p@db.example/tender"),
        ("postgresql://u@127.0.0.1:5432/tender", "postgresql+psycopg://u@127.0.0.1:5432/tender"),
        ("postgresql+psycopg://u@127.0.0.1/tender", "postgresql+psycopg://u@127.0.0.1/tender"),
        ("sqlite:////srv/tender.sqlite", "sqlite:////srv/tender.sqlite"),
    ],
)
def test_database_urls_name_psycopg_for_postgresql(given, expected):
    assert normalize_database_url(given) == expected


def test_an_unset_database_url_means_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url(str(tmp_path)) == "sqlite:///" + str(tmp_path / "tender.sqlite")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/d")
    assert database_url(str(tmp_path)) == "postgresql+psycopg://u@h/d"
    assert database_url(str(tmp_path), "sqlite:///x.db") == "sqlite:///x.db"  # instance config first


def test_postgresql_connections_are_checked_before_use_and_sqlite_waits_for_a_writer():
    assert engine_options("postgresql+psycopg://u@h/d")["pool_pre_ping"] is True
    assert engine_options("sqlite:///x.db")["connect_args"] == {"timeout": 30}
    assert engine_options("sqlite:///x.db", {"echo": True})["echo"] is True


def test_database_url_from_the_instance_config_picks_the_database(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = app_config(tmp_path)
    del config["SQLALCHEMY_DATABASE_URI"]
    app = create_app({**config, "DATABASE_URL": "postgres://someone@127.0.0.1/elsewhere"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@127.0.0.1/elsewhere"
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


def test_migrations_build_the_schema_of_the_models(tmp_path, empty_database_url):
    """``flask db upgrade`` on an empty database leaves no difference for autogenerate to find."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from flask_migrate import upgrade

    app = create_app(app_config(tmp_path, SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        db.engine.dispose()


def _in_threads(app, count: int, work) -> list[BaseException]:
    """Run ``work(n)`` in ``count`` threads at once, each with its own app context and session."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(n):
        with app.app_context():
            try:
                start.wait()
                work(n)
            except BaseException as error:  # noqa: BLE001  (reported by the test)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@postgres_only
def test_concurrent_writers_extend_one_audit_chain_without_forking_it(app):
    """8 connections × 10 records at once: 80 links, each chaining from the one before."""

    def append_ten(n):
        for i in range(10):
            audit.record("system", "concurrency_test", f"writer:{n}", i=i)
            db.session.commit()

    assert _in_threads(app, 8, append_ten) == []
    db.session.expire_all()
    result = audit.verify()
    assert result.ok and result.count == 80, result
    assert AuditRecord.query.filter_by(action="concurrency_test").count() == 80


@postgres_only
def test_a_confirmation_received_before_the_deadline_counts_though_it_waits_past_it(app, users):
    """The deadline is judged on when the confirmation reached the server, not on when it
    could store: another transaction (an extension being written, say) holds the tender
    row past the deadline; a confirmation received 1 s before the deadline waits for it,
    and is accepted with that time of receipt."""
    vendor = users["vendor"]
    tender = published(users["buyer"])
    preview = bid_service.upload(
        vendor,
        tender.public_id,
        bid_service.Upload("报价单.xlsx", quote_file(tender)),
        bid_service.Upload("投标文件.docx", document_file(tender)),
    )
    tender.bid_deadline = utcnow() + dt.timedelta(seconds=1)
    db.session.commit()
    tender_id, vendor_id, preview_id = tender.id, vendor.id, preview.public_id
    locked, outcome = threading.Event(), {}

    def hold_the_tender_row():
        with app.app_context():
            db.session.execute(db.text("SELECT id FROM tender WHERE id = :id FOR UPDATE"), {"id": tender_id})
            locked.set()
            threading.Event().wait(2.0)  # past the deadline
            db.session.rollback()
            db.session.remove()

    def confirm():
        with app.app_context():
            locked.wait(5)
            outcome["received_at"] = utcnow()  # the time of receipt the route would pass on
            try:
                bid_service.confirm(db.session.get(User, vendor_id), preview_id, now=outcome["received_at"])
                outcome["result"] = "accepted"
                outcome["stored_at"] = utcnow()
            except DeadlinePassed as error:
                outcome["result"] = error.message
            finally:
                db.session.remove()

    threads = [threading.Thread(target=hold_the_tender_row), threading.Thread(target=confirm)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.session.expire_all()
    assert outcome["result"] == "accepted"
    assert outcome["received_at"] < tender.bid_deadline < outcome["stored_at"]  # it waited past the deadline
    version = BidVersion.query.filter_by(public_id=preview_id).one()
    assert version.status == "submitted" and version.submitted_at == outcome["received_at"]
    assert AuditRecord.query.filter_by(action="bid_refused_late").count() == 0


@postgres_only
def test_confirmations_of_different_vendors_do_not_wait_for_each_other(app, users):
    """A confirmation shares the tender row (FOR SHARE): one still in its transaction does
    not hold up another vendor's."""
    from tests.integration.conftest import make_user

    tender = published(users["buyer"])
    other = make_user("vendor", "other@example.cn")
    previews = {}
    for vendor in (users["vendor"], other):
        previews[vendor.id] = bid_service.upload(
            vendor,
            tender.public_id,
            bid_service.Upload("报价单.xlsx", quote_file(tender)),
            bid_service.Upload("投标文件.docx", document_file(tender)),
        ).public_id
    tender_id = tender.id
    shared, done = threading.Event(), threading.Event()

    def first_confirmation_in_progress():
        with app.app_context():
            db.session.execute(db.text("SELECT id FROM tender WHERE id = :id FOR SHARE"), {"id": tender_id})
            shared.set()
            done.wait(10)
            db.session.rollback()
            db.session.remove()

    holder = threading.Thread(target=first_confirmation_in_progress)
    holder.start()
    shared.wait(5)
    try:
        db.session.execute(db.text("SET LOCAL lock_timeout = '2s'"))  # would fail if it had to wait
        bid_service.confirm(other, previews[other.id])
    finally:
        done.set()
        holder.join(timeout=30)
    assert BidVersion.query.filter_by(public_id=previews[other.id]).one().status == "submitted"


@postgres_only
def test_a_double_confirmation_submits_once(app, users):
    """Two confirmations of the same upload at once (a double click): the bid's row lock
    lets one through; the other is told it was already confirmed; one audit record."""
    vendor = users["vendor"]
    tender = published(users["buyer"])
    preview_id = bid_service.upload(
        vendor,
        tender.public_id,
        bid_service.Upload("报价单.xlsx", quote_file(tender)),
        bid_service.Upload("投标文件.docx", document_file(tender)),
    ).public_id
    vendor_id, outcomes = vendor.id, []

    def confirm(n):
        try:
            bid_service.confirm(db.session.get(User, vendor_id), preview_id)
            outcomes.append("accepted")
        except WrongState as error:
            outcomes.append(error.message)

    assert _in_threads(app, 2, confirm) == []
    assert sorted(outcomes)[0] == "accepted" and len(outcomes) == 2 and outcomes.count("accepted") == 1
    db.session.expire_all()
    assert AuditRecord.query.filter_by(action="bid_submitted").count() == 1
    assert BidVersion.query.filter_by(public_id=preview_id).one().status == "submitted"
