"""A crash in the middle of a submission leaves the whole bid or nothing ("nothing
lost"): files, rows and the audit record commit together. The work is killed inside the
store step — by an exception, at the database commit, and by SIGKILL of the process —
and an independent connection then checks what the database holds."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.pool import NullPool

from tender.platform import audit, storage
from tender.platform.extensions import db
from tender.services import bids as bid_service
from tender.services import tenders as tender_service
from tests.integration.helpers import document_file, published, quote_file, sample_bid, submit, upload_data


def committed(app) -> dict:
    """What another connection sees: rows of a submission, and the audit actions."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
    try:
        with engine.connect() as connection:
            count = lambda table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()  # noqa: E731
            return {
                "bid": count("bid"),
                "bid_version": count("bid_version"),
                "stored_file": count("stored_file"),
                "statuses": [
                    row[0] for row in connection.execute(text("SELECT status FROM bid_version ORDER BY number"))
                ],
                "actions": [
                    row[0]
                    for row in connection.execute(
                        text("SELECT action FROM audit_record WHERE action LIKE 'bid_%' ORDER BY seq")
                    )
                ],
            }
    finally:
        engine.dispose()


@pytest.fixture
def crashing_app(app):
    """Errors reach the app's 500 handler (which rolls back), as in production."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def post_bid(client, tender):
    return client.post(
        f"/vendor/tenders/{tender.public_id}/bid", data=upload_data(tender), content_type="multipart/form-data"
    )


def test_an_error_while_sealing_the_second_file_stores_nothing(crashing_app, client, auth, users, monkeypatch):
    tender = published(users["buyer"])
    real_seal, sealed_files = storage.seal, []

    def seal(data, purpose):
        if purpose.startswith("file:"):
            sealed_files.append(purpose)
            if len(sealed_files) == 2:  # the quote is sealed, the bid row flushed; now the document
                raise OSError("disk full")
        return real_seal(data, purpose)

    monkeypatch.setattr(storage, "seal", seal)
    auth.login(users["vendor"])
    response = post_bid(client, tender)
    assert response.status_code == 500 and "Nothing was saved" in response.get_data(as_text=True)
    assert len(sealed_files) == 2
    assert committed(crashing_app) == {"bid": 0, "bid_version": 0, "stored_file": 0, "statuses": [], "actions": []}
    assert audit.verify().ok
    monkeypatch.setattr(storage, "seal", real_seal)
    assert post_bid(client, tender).status_code == 302  # and the vendor can simply try again
    assert committed(crashing_app)["bid_version"] == 1


def test_a_failure_at_the_database_commit_stores_nothing(crashing_app, client, auth, users):
    tender = published(users["buyer"])
    auth.login(users["vendor"])

    def refuse_commit(connection):
        raise OSError("connection lost during COMMIT")

    event.listen(db.engine, "commit", refuse_commit)
    try:
        response = post_bid(client, tender)
    finally:
        event.remove(db.engine, "commit", refuse_commit)
    assert response.status_code == 500
    assert committed(crashing_app) == {"bid": 0, "bid_version": 0, "stored_file": 0, "statuses": [], "actions": []}
    assert audit.verify().ok


def test_an_error_while_confirming_a_replacement_keeps_the_earlier_bid(crashing_app, client, auth, users, monkeypatch):
    tender = published(users["buyer"])
    first = submit(users["vendor"], tender)
    cheaper = sample_bid()
    cheaper["pricing"]["new_rate"] = 2.2
    preview = bid_service.upload(
        users["vendor"],
        tender.public_id,
        bid_service.Upload("报价单.xlsx", quote_file(tender, cheaper)),
        bid_service.Upload("投标文件.docx", document_file(tender, cheaper)),
    )

    def record_then_crash(*args, **kwargs):
        db.session.flush()  # the status changes have reached the database, uncommitted
        raise RuntimeError("worker killed")

    auth.login(users["vendor"])
    monkeypatch.setattr(audit, "record", record_then_crash)
    response = client.post(f"/vendor/submissions/{preview.public_id}/confirm")
    assert response.status_code == 500
    state = committed(crashing_app)
    assert state["statuses"] == ["submitted", "preview"]
    assert state["actions"] == ["bid_uploaded", "bid_submitted", "bid_uploaded"]  # no second submission
    db.session.expire_all()
    assert first.bid.current.public_id == first.public_id
    assert tender_service.bid_count(tender) == 1


# --------------------------------------------------------------------------- SIGKILL

CHILD = r"""
import json, os, signal, sys
from pathlib import Path
config, job = json.loads(sys.argv[1]), json.loads(sys.argv[2])
from tender import create_app
app = create_app(config)
with app.app_context():
    from sqlalchemy import select
    from tender.platform import audit, storage
    from tender.platform.extensions import db
    from tender.models import User
    from tender.services import bids
    vendor = db.session.scalars(select(User).where(User.email == job["vendor"])).one()
    if job["kill_in"] == "seal":
        real, files = storage.seal, []
        def seal(data, purpose):
            if purpose.startswith("file:"):
                files.append(purpose)
                if len(files) == 2:
                    os.kill(os.getpid(), signal.SIGKILL)
            return real(data, purpose)
        storage.seal = seal
        bids.upload(vendor, job["tender"], bids.Upload("报价单.xlsx", Path(job["quote"]).read_bytes()),
                    bids.Upload("投标文件.docx", Path(job["document"]).read_bytes()))
    else:
        def record(*args, **kwargs):
            db.session.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        audit.record = record
        bids.confirm(vendor, job["version"])
print("not killed")
"""


def run_child(app, tmp_path, **job) -> subprocess.CompletedProcess:
    config = {
        key: app.config[key]
        for key in ("SQLALCHEMY_DATABASE_URI", "TENDER_DATA_KEY", "SECRET_KEY", "PASSWORD_HASH_METHOD")
    }
    config["INSTANCE_PATH"] = str(tmp_path / "child-instance")
    db.session.commit()
    return subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(config), json.dumps(job)], capture_output=True, text=True, timeout=180
    )


def test_a_process_killed_while_storing_an_upload_leaves_nothing(app, users, tmp_path):
    tender = published(users["buyer"])
    (tmp_path / "q.xlsx").write_bytes(quote_file(tender))
    (tmp_path / "d.docx").write_bytes(document_file(tender))
    done = run_child(
        app,
        tmp_path,
        kill_in="seal",
        vendor=users["vendor"].email,
        tender=tender.public_id,
        quote=str(tmp_path / "q.xlsx"),
        document=str(tmp_path / "d.docx"),
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert committed(app) == {"bid": 0, "bid_version": 0, "stored_file": 0, "statuses": [], "actions": []}
    db.session.expire_all()
    assert audit.verify().ok
    submit(users["vendor"], tender)  # the database is usable: the killed transaction was rolled back
    assert committed(app)["statuses"] == ["submitted"]


def test_a_process_killed_while_confirming_a_replacement_keeps_the_earlier_bid(app, users, tmp_path):
    tender = published(users["buyer"])
    first = submit(users["vendor"], tender)
    preview = bid_service.upload(
        users["vendor"],
        tender.public_id,
        bid_service.Upload("报价单.xlsx", quote_file(tender)),
        bid_service.Upload("投标文件.docx", document_file(tender)),
    )
    done = run_child(app, tmp_path, kill_in="confirm", vendor=users["vendor"].email, version=preview.public_id)
    assert done.returncode == -signal.SIGKILL, done.stderr
    state = committed(app)
    assert state["statuses"] == ["submitted", "preview"] and state["stored_file"] == 4
    assert state["actions"] == ["bid_uploaded", "bid_submitted", "bid_uploaded"]  # no second submission
    db.session.expire_all()
    assert first.bid.current.public_id == first.public_id and audit.verify().ok
