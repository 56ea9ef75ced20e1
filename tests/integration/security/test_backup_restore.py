"""``tender backup`` → wipe → ``tender restore``: bids, their files (decrypted with the
key, matching the receipts' SHA-256), every version and the audit chain come back; the key
is kept apart unless asked; a damaged backup or a non-empty database is refused.

Runs on SQLite, and on PostgreSQL too when ``TEST_DATABASE_URL`` (or ``DATABASE_URL``)
names a PostgreSQL server on which databases may be created."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from tender import create_app
from tender.cli import main
from tender.models import AuditRecord, Bid, BidVersion, StoredFile, User
from tender.platform import audit, storage
from tender.platform.extensions import db
from tender.services import bids as bid_service
from tender.services.backup import MANIFEST
from tests.integration.conftest import app_config, make_user
from tests.integration.helpers import pass_deadline, published, sample_bid, submit


def postgres_url() -> str | None:
    for name in ("TEST_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql")):
            return url
    return None


class Database:
    """A database of its own for one test: a SQLite file, or a new PostgreSQL database."""

    def __init__(self, kind: str, tmp_path: Path):
        self.kind = kind
        if kind == "sqlite":
            self.path = tmp_path / "site.sqlite"
            self.url = f"sqlite:///{self.path}"
        else:
            maintenance = make_url(postgres_url().replace("postgres://", "postgresql://", 1)).set(
                drivername="postgresql+psycopg"
            )
            self.admin = create_engine(maintenance, isolation_level="AUTOCOMMIT", poolclass=NullPool)
            self.name = f"tender_backup_{secrets.token_hex(4)}"
            self.url = maintenance.set(database=self.name).render_as_string(hide_password=False)
            self._execute(f'CREATE DATABASE "{self.name}"')

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(sql))

    def wipe(self) -> None:
        """Lose everything, as a dead disk would."""
        if self.kind == "sqlite":
            self.path.unlink()
        else:
            self._execute(f'DROP DATABASE "{self.name}" WITH (FORCE)')
            self._execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.kind != "sqlite":
            self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.admin.dispose()


KINDS = ["sqlite"] + (["postgresql"] if postgres_url() else [])


@pytest.fixture(params=KINDS)
def site(request, tmp_path, monkeypatch):
    """The app on its own database, the data key in instance/keys (as in production), and
    the command line pointed at the same database and instance folder."""
    database = Database(request.param, tmp_path)
    config = app_config(tmp_path, SQLALCHEMY_DATABASE_URI=database.url, TENDER_DATA_KEY=None)
    app = create_app(config)
    monkeypatch.setenv("DATABASE_URL", database.url)
    monkeypatch.setenv("TENDER_INSTANCE_PATH", app.instance_path)
    monkeypatch.delenv("TENDER_DATA_KEY", raising=False)
    monkeypatch.delenv("TENDER_AUDIT_KEY", raising=False)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        yield {"app": app, "database": database, "kind": request.param, "tmp": tmp_path}
        db.session.remove()
        db.engine.dispose()
    database.drop()


def tender_with_bids():
    """Two vendors' bids (one replaced once), a refused late attempt; the receipts."""
    buyer = make_user("buyer", "buyer@example.cn")
    first = make_user("vendor", "v1@example.cn", company="杭州云客服科技有限公司")
    second = make_user("vendor", "v2@example.cn", company="广州提成制客服服务有限公司")
    tender = published(buyer)
    receipts = [bid_service.receipt(first, submit(first, tender))]
    cheaper = sample_bid()
    cheaper["pricing"]["new_rate"] = 2.2
    receipts.append(bid_service.receipt(first, submit(first, tender, cheaper)))
    receipts.append(bid_service.receipt(second, submit(second, tender, sample_bid("xiaomifeng"))))
    pass_deadline(tender)
    try:
        submit(second, tender)
    except Exception:  # noqa: BLE001 - the refusal is what we want recorded
        db.session.rollback()
    return tender, receipts


def cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def reconnect() -> None:
    db.session.remove()
    db.engine.dispose()


def test_backup_wipe_restore_brings_back_bids_files_and_the_audit_chain(site, capsys):
    tender, receipts = tender_with_bids()
    head_before = audit.head_hash()
    versions_before = [(v.public_id, v.status) for v in BidVersion.query.order_by(BidVersion.id)]
    target = site["tmp"] / "backup"
    code, out, err = cli(capsys, "backup", str(target))
    assert code == 0, err
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["database"]["method"] == ("sqlite" if site["kind"] == "sqlite" else "pg_dump")
    assert manifest["audit"] == {"records": AuditRecord.query.count(), "head": head_before}
    assert manifest["tables"]["bid_version"] == 3 and manifest["tables"]["stored_file"] == 6
    for part in manifest["parts"]:
        assert hashlib.sha256((target / part["name"]).read_bytes()).hexdigest() == part["sha256"]
    assert not (target / "data.key").exists() and manifest["key_included"] is False

    reconnect()
    site["database"].wipe()
    with pytest.raises(DBAPIError):  # no such table (SQLite), undefined table (PostgreSQL)
        db.session.execute(select(User)).all()  # gone
    reconnect()

    code, out, err = cli(capsys, "restore", str(target))
    assert code == 0, err
    assert "audit chain intact" in out and "all 9 sealed items decrypt" in out
    reconnect()
    assert [(v.public_id, v.status) for v in BidVersion.query.order_by(BidVersion.id)] == versions_before
    assert [v.status for v in BidVersion.query.order_by(BidVersion.id)] == ["superseded", "submitted", "submitted"]
    assert Bid.query.count() == 2
    for receipt in receipts:
        version = BidVersion.query.filter_by(public_id=receipt["bid"]["submission"]).one()
        for stored, listed in zip(version.files, receipt["files"]):
            plain = storage.unseal(stored.blob, f"file:{stored.public_id}")
            assert hashlib.sha256(plain).hexdigest() == listed["sha256"] == stored.sha256
            assert plain[:4] == b"PK\x03\x04" and not stored.blob.startswith(b"PK")
        content = storage.unseal_json(version.sealed_data, f"bid_version:{version.public_id}")
        assert content["evaluation"]["monthly_cost"]
    assert audit.verify().ok and audit.head_hash() == head_before
    assert AuditRecord.query.filter_by(action="bid_refused_late").count() == 1
    receipt_path = site["tmp"] / "receipt.json"
    receipt_path.write_text(json.dumps(receipts[-1]), encoding="utf-8")
    assert cli(capsys, "audit", "verify", "--receipt", str(receipt_path))[0] == 0
    # The restored database takes new rows (ids continue after the restored ones).
    make_user("buyer", "after-restore@example.cn")
    audit.record("system", "after_restore", "")
    db.session.commit()
    assert audit.verify().ok


def test_the_portable_logical_dump_round_trips_too(site, capsys):
    tender_with_bids()
    head_before = audit.head_hash()
    target = site["tmp"] / "logical"
    assert cli(capsys, "backup", str(target), "--method", "logical")[0] == 0
    assert (target / "database.jsonl.gz").exists()
    reconnect()
    site["database"].wipe()
    code, out, err = cli(capsys, "restore", str(target))
    assert code == 0, err
    reconnect()
    assert audit.verify().ok and audit.head_hash() == head_before
    assert BidVersion.query.count() == 3 and StoredFile.query.count() == 6
    for stored in StoredFile.query:
        assert hashlib.sha256(storage.unseal(stored.blob, f"file:{stored.public_id}")).hexdigest() == stored.sha256
    make_user("buyer", "after-restore@example.cn")  # sequences moved past the restored ids


def test_the_key_is_left_out_unless_asked_and_then_kept_private(site, capsys):
    make_user("buyer", "b@example.cn")
    target = site["tmp"] / "with-key"
    code, out, err = cli(capsys, "backup", str(target), "--include-key")
    assert code == 0 and "the data key and the audit key are in this backup" in err
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["key_included"] is True
    for name in ("data.key", "audit.key"):
        key_file = target / name
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert key_file.read_text() == (Path(site["app"].instance_path) / "keys" / name).read_text().strip()
        assert name in [p["name"] for p in manifest["parts"]]
        assert key_file.read_text() not in (target / MANIFEST).read_text()
    plain = cli(capsys, "backup", str(site["tmp"] / "without-key"))
    assert plain[0] == 0 and "the data key and the audit key are not in the backup" in plain[1]
    assert sorted(p.name for p in (site["tmp"] / "without-key").iterdir()) == sorted(
        [MANIFEST, "database.pgdump" if site["kind"] == "postgresql" else "database.sqlite"]
    )


def test_a_restore_under_another_audit_key_is_refused_before_anything_is_restored(site, capsys):
    """The chain can only be checked under the key it was written with: a new machine that
    made itself a new audit key is told so, the database stays empty, and
    ``--audit-key-file`` with the kept key lets the restore go through."""
    tender_with_bids()
    head_before = audit.head_hash()
    target = site["tmp"] / "backup"
    assert cli(capsys, "backup", str(target))[0] == 0
    key_path = Path(site["app"].instance_path) / "keys" / "audit.key"
    kept_apart = site["tmp"] / "escrow-audit.key"
    shutil.move(key_path, kept_apart)
    reconnect()
    site["database"].wipe()
    code, out, err = cli(capsys, "restore", str(target))  # the app makes itself a new audit key
    assert code == 2 and "the configured audit key is not the key of the backup" in err
    assert "nothing was restored" in err
    key_path.unlink()
    code, out, err = cli(capsys, "restore", str(target), "--audit-key-file", str(kept_apart))
    assert code == 0, err
    assert "audit chain intact" in out and head_before in out
    assert key_path.read_text() == kept_apart.read_text() and stat.S_IMODE(key_path.stat().st_mode) == 0o600


def test_a_restore_without_the_right_key_says_so_and_key_file_fixes_it(site, capsys):
    tender_with_bids()
    target = site["tmp"] / "backup"
    assert cli(capsys, "backup", str(target))[0] == 0
    key_path = Path(site["app"].instance_path) / "keys" / "data.key"
    kept_apart = site["tmp"] / "escrow.key"
    shutil.move(key_path, kept_apart)  # a new machine: the key comes from where it was kept
    reconnect()
    site["database"].wipe()
    code, out, err = cli(capsys, "restore", str(target))  # the app makes itself a new, wrong key
    assert code == 1
    assert "the configured data key is not the key of the backup" in err
    assert "9 of 9 sealed items do not decrypt" in err
    reconnect()
    site["database"].wipe()
    code, out, err = cli(capsys, "restore", str(target), "--key-file", str(kept_apart))
    assert code == 2 and "holds another key" in err  # never overwrites a key silently
    key_path.unlink()
    code, out, err = cli(capsys, "restore", str(target), "--key-file", str(kept_apart))
    assert code == 0, err
    assert key_path.read_text() == kept_apart.read_text() and stat.S_IMODE(key_path.stat().st_mode) == 0o600


def test_a_restore_into_a_database_with_data_is_refused(site, capsys):
    make_user("buyer", "b@example.cn")
    target = site["tmp"] / "backup"
    assert cli(capsys, "backup", str(target))[0] == 0
    make_user("buyer", "newer@example.cn")
    code, out, err = cli(capsys, "restore", str(target))
    assert code == 2 and "restore goes into an empty database" in err
    reconnect()
    assert User.query.filter_by(email="newer@example.cn").count() == 1  # untouched


def test_a_damaged_or_incomplete_backup_is_refused(site, capsys):
    make_user("buyer", "b@example.cn")
    target = site["tmp"] / "backup"
    assert cli(capsys, "backup", str(target))[0] == 0
    assert cli(capsys, "backup", str(target))[0] == 2  # never writes over a backup
    reconnect()
    site["database"].wipe()
    part = next(p for p in target.iterdir() if p.name.startswith("database."))
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF
    part.write_bytes(bytes(data))
    code, out, err = cli(capsys, "restore", str(target))
    assert code == 2 and "does not match its SHA-256" in err
    (target / MANIFEST).unlink()
    code, out, err = cli(capsys, "restore", str(target))
    assert code == 2 and "not a complete backup" in err


def test_a_backup_from_before_the_chain_was_keyed_restores_and_says_to_rekey(site, capsys):
    """A manifest of the version before keying names no audit key and its chain has plain
    SHA-256 links: the restore accepts that chain (checked link by link) and says to run
    ``tender audit rekey``, which then keys it."""
    from tests.integration.security.test_audit_verify_command import make_old_chain

    tender_with_bids()
    old_head = make_old_chain()
    target = site["tmp"] / "old-backup"
    assert cli(capsys, "backup", str(target))[0] == 0
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    del manifest["audit_key_fingerprint"]  # as the version before keying wrote it
    (target / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    reconnect()
    site["database"].wipe()
    code, out, err = cli(capsys, "restore", str(target))
    assert code == 0, err
    assert f"head {old_head}" in out and "run `tender audit rekey`" in err
    reconnect()
    code, out, err = cli(capsys, "audit", "rekey")
    assert code == 0 and "audit chain rekeyed" in out
    code, out, err = cli(capsys, "audit", "verify", "--expect-head", old_head)
    assert code == 0, err
