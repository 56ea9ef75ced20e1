"""Backups of the database and their restore ("nothing lost").

Bid files are stored encrypted inside the database (:mod:`tender.platform.storage`), so one
consistent copy of the database holds every bid, file, audit record and account. A backup
is a directory:

``manifest.json``
    what was copied and how: the method, the Alembic revision, the number of rows of each
    table, the audit chain's length and head hash, fingerprints of the data key and of the
    audit key (not the keys) and the SHA-256 and size of every part. Written last: a directory without it is
    an unfinished backup.
``database.sqlite``  (SQLite, method ``sqlite``)
    a copy made with SQLite's online backup API: consistent even while the app writes.
``database.pgdump``  (PostgreSQL, method ``pg_dump``)
    ``pg_dump --format=custom`` run on a snapshot exported from the transaction that
    read the manifest's counts, so both describe the same moment.
``database.jsonl.gz``  (any database, method ``logical``)
    a portable dump through SQLAlchemy, read in one snapshot (a ``REPEATABLE READ``
    transaction on PostgreSQL; a backup-API copy on SQLite). Used on PostgreSQL when
    ``pg_dump`` is missing or fails, and to move between SQLite and PostgreSQL.
``data.key`` and ``audit.key``  (only with ``include_key``)
    the data key and the audit chain's key. By default neither is in the backup: whoever
    holds the data key and a backup can read every sealed bid, and whoever holds the audit
    key and the database can rewrite the audit trail, so keep them apart (see
    docs/operations.md).

:func:`restore` checks every part against the manifest, refuses a database that is not
empty, restores, and then checks the result: the row counts, the audit chain and its
head (under the configured audit key, which must be the backup's: checked before anything
is restored), and whether the configured data key opens the sealed bids.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from tender.platform import audit, storage
from tender.platform.extensions import db

MANIFEST = "manifest.json"
FORMAT = "tender-backup"
FORMAT_VERSION = 1
KEY_PART = "data.key"
AUDIT_KEY_PART = "audit.key"
PARTS = {"sqlite": "database.sqlite", "pg_dump": "database.pgdump", "logical": "database.jsonl.gz"}
METHODS = tuple(PARTS)
BATCH = 500


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is bilingual (Chinese / English)."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


@dataclass
class RestoreReport:
    method: str
    tables: dict[str, int]
    audit_records: int
    audit_head: str
    sealed_total: int = 0
    sealed_unreadable: int = 0
    key_matches: bool | None = None
    audit_plain_records: int = 0  # a backup from before the chain was keyed: `tender audit rekey`
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.sealed_unreadable == 0 and self.key_matches is not False


# --------------------------------------------------------------------------- helpers


def key_fingerprint(key: bytes) -> str:
    """Names the data key without revealing it (a restore can tell whether it has the right one)."""
    return hashlib.sha256(b"tender-data-key-fingerprint\x00" + key).hexdigest()[:32]


def audit_key_fingerprint(key: bytes) -> str:
    """Names the audit key without revealing it (nor anything that would help forge a link)."""
    return hashlib.sha256(b"tender-audit-key-fingerprint\x00" + key).hexdigest()[:32]


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _tables(connection: Connection) -> list:
    """The application's tables that exist in this database, parents before children."""
    existing = set(inspect(connection).get_table_names())
    return [table for table in db.metadata.sorted_tables if table.name in existing]


def _revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def snapshot_facts(connection: Connection) -> dict:
    """Revision, row counts and audit head as this connection's transaction sees them."""
    tables = {
        table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
        for table in _tables(connection)
    }
    head = {"records": 0, "head": audit.GENESIS}
    if "audit_record" in tables:
        audit_table = db.metadata.tables["audit_record"]
        last = connection.execute(
            select(audit_table.c.seq, audit_table.c.hash).order_by(audit_table.c.seq.desc()).limit(1)
        ).first()
        if last is not None:
            head = {"records": tables["audit_record"], "head": last.hash}
    return {"alembic_revision": _revision(connection), "tables": tables, "audit": head}


def _libpq(url) -> tuple[str, dict]:
    """A libpq URI without the password, and the environment that carries the password."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _empty_check(connection: Connection) -> list[str]:
    """Tables that hold rows (a restore goes into an empty database only)."""
    return [
        table.name
        for table in _tables(connection)
        if connection.execute(select(func.count()).select_from(table)).scalar_one()
    ]


# --------------------------------------------------------------------------- backup


def backup(target: Path, *, include_key: bool = False, method: str | None = None) -> dict:
    """Write a backup into ``target`` (a new or empty directory); return its manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"备份目录不为空：{target}", f"the backup directory is not empty: {target}")
    dialect = db.engine.dialect.name
    chosen = method or ("sqlite" if dialect == "sqlite" else "pg_dump" if dialect == "postgresql" else "logical")
    if chosen not in METHODS:
        raise BackupError(f"未知的备份方式：{chosen}", f"unknown backup method: {chosen}")
    if chosen == "sqlite" and dialect != "sqlite" or chosen == "pg_dump" and dialect != "postgresql":
        raise BackupError(
            f"备份方式 {chosen} 不适用于 {dialect} 数据库",
            f"the {chosen} method does not apply to a {dialect} database",
        )
    target.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    if chosen == "pg_dump" and shutil.which("pg_dump") is None:
        if method:
            raise BackupError("找不到 pg_dump", "pg_dump is not installed")
        notes.append("pg_dump not found: logical dump")
        chosen = "logical"
    if chosen == "sqlite":
        facts = _backup_sqlite(target / PARTS["sqlite"])
    elif chosen == "pg_dump":
        try:
            facts = _backup_pg_dump(target / PARTS["pg_dump"])
        except BackupError as error:
            if method:
                raise
            (target / PARTS["pg_dump"]).unlink(missing_ok=True)
            notes.append(f"pg_dump failed ({error.en}): logical dump")
            chosen = "logical"
    if chosen == "logical":
        facts = _backup_logical(target / PARTS["logical"])
    key = current_app.extensions["tender_data_key"]
    chain_key = current_app.extensions["tender_audit_key"]
    parts = [PARTS[chosen]]
    if include_key:
        for name, value in ((KEY_PART, key), (AUDIT_KEY_PART, chain_key)):
            fd = os.open(target / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.urlsafe_b64encode(value).decode("ascii"))
            parts.append(name)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {"dialect": dialect, "method": chosen},
        **facts,
        "key_fingerprint": key_fingerprint(key),
        "audit_key_fingerprint": audit_key_fingerprint(chain_key),
        "key_included": include_key,
        "parts": [
            {"name": name, "size": (target / name).stat().st_size, "sha256": _sha256_file(target / name)}
            for name in parts
        ],
        "notes": notes,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("只能备份 SQLite 数据库文件", "only an SQLite database file can be backed up")
    return Path(database)


def _backup_sqlite(path: Path) -> dict:
    """SQLite's online backup API: a consistent copy even while others write."""
    source = sqlite3.connect(_sqlite_path())
    copy = sqlite3.connect(path)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return _facts_of_sqlite_file(path)


def _facts_of_sqlite_file(path: Path) -> dict:
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return snapshot_facts(connection)
    finally:
        engine.dispose()


def _backup_pg_dump(path: Path) -> dict:
    """pg_dump on the snapshot of the transaction that reads the manifest's facts."""
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            connection.execute(text("SET TRANSACTION READ ONLY"))
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            facts = snapshot_facts(connection)
            uri, env = _libpq(db.engine.url)
            done = subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={path}",
                    f"--dbname={uri}",
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise BackupError(
                    f"pg_dump 失败：{done.stderr.strip()[:300]}", f"pg_dump failed: {done.stderr.strip()[:300]}"
                )
    return facts


def _encode(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    return value


def _decode(value):
    if isinstance(value, dict) and len(value) == 1:
        ((tag, text_value),) = value.items()
        if tag == "$b64":
            return base64.b64decode(text_value)
        if tag == "$datetime":
            return dt.datetime.fromisoformat(text_value)
        if tag == "$date":
            return dt.date.fromisoformat(text_value)
        if tag == "$decimal":
            return decimal.Decimal(text_value)
    return value


def _write_logical(connection: Connection, path: Path) -> None:
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        out = _Lines(raw)
        for table in _tables(connection):
            columns = [column.name for column in table.columns]
            out.write({"table": table.name, "columns": columns})
            rows = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
                table.select().order_by(*table.primary_key.columns)
            )
            for row in rows:
                out.write({"row": [_encode(value) for value in row]})


class _Lines:
    """JSON lines into a binary stream."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, item: dict) -> None:
        self.stream.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")


def _backup_logical(path: Path) -> dict:
    if db.engine.dialect.name == "sqlite":
        # One snapshot: dump a backup-API copy rather than the live file.
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "snapshot.sqlite"
            facts = _backup_sqlite(copy)
            engine = create_engine(f"sqlite:///{copy}", poolclass=NullPool)
            try:
                with engine.connect() as connection:
                    _write_logical(connection, path)
            finally:
                engine.dispose()
            return facts
    options = {"isolation_level": "REPEATABLE READ"} if db.engine.dialect.name == "postgresql" else {}
    with db.engine.connect().execution_options(**options) as connection:
        with connection.begin():
            if db.engine.dialect.name == "postgresql":
                connection.execute(text("SET TRANSACTION READ ONLY"))
            facts = snapshot_facts(connection)
            _write_logical(connection, path)
    return facts


# --------------------------------------------------------------------------- restore


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.exists():
        raise BackupError(
            f"{source} 中没有 {MANIFEST}：不是完整的备份", f"no {MANIFEST} in {source}: not a complete backup"
        )
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError("不认识的备份格式", "not a backup of this tool (unknown format)")
    return manifest


def check_parts(source: Path, manifest: dict) -> None:
    """Every part present with the size and SHA-256 the manifest says."""
    for part in manifest["parts"]:
        path = Path(source) / part["name"]
        if not path.exists():
            raise BackupError(f"备份缺少 {part['name']}", f"the backup lacks {part['name']}")
        if path.stat().st_size != part["size"] or _sha256_file(path) != part["sha256"]:
            raise BackupError(
                f"{part['name']} 的 SHA-256 与清单不符：文件已损坏或被改动",
                f"{part['name']} does not match its SHA-256 in the manifest: damaged or altered",
            )


def restore(source: Path) -> RestoreReport:
    """Restore a backup into the configured, empty database, then check the result."""
    source = Path(source)
    manifest = read_manifest(source)
    check_parts(source, manifest)
    method = manifest["database"]["method"]
    dialect = db.engine.dialect.name
    expected_audit_key = manifest.get("audit_key_fingerprint")
    if expected_audit_key and audit_key_fingerprint(current_app.extensions["tender_audit_key"]) != expected_audit_key:
        raise BackupError(
            "配置的审计密钥不是备份时的密钥，无法核对审计链：用 --audit-key-file 或 TENDER_AUDIT_KEY "
            "提供备份时的审计密钥（未恢复任何数据）",
            "the configured audit key is not the key of the backup, so the audit chain cannot be "
            "checked: give the backup's audit key with --audit-key-file or TENDER_AUDIT_KEY "
            "(nothing was restored)",
        )
    db.session.remove()
    with db.engine.connect() as connection:
        full = _empty_check(connection)
        schema_present = bool(_tables(connection))
    if full:
        raise BackupError(
            f"目标数据库不是空的（{', '.join(full)} 中有数据）：只能恢复到空数据库",
            f"the database is not empty (rows in {', '.join(full)}): restore goes into an empty database",
        )
    part = source / PARTS[method]
    if method == "sqlite":
        if dialect != "sqlite":
            raise BackupError("SQLite 备份只能恢复到 SQLite", "an SQLite backup restores into SQLite only")
        _restore_sqlite(part)
    elif method == "pg_dump":
        if dialect != "postgresql":
            raise BackupError("pg_dump 备份只能恢复到 PostgreSQL", "a pg_dump backup restores into PostgreSQL only")
        _restore_pg_dump(part, clean=schema_present)
    else:
        _restore_logical(part, manifest.get("alembic_revision"), schema_present)
    return _check_restored(manifest)


def _restore_sqlite(part: Path) -> None:
    target = _sqlite_path()
    db.engine.dispose()
    target.parent.mkdir(parents=True, exist_ok=True)
    backup_copy = sqlite3.connect(part)
    live = sqlite3.connect(target)
    try:
        backup_copy.backup(live)
    finally:
        live.close()
        backup_copy.close()
    db.engine.dispose()


def _restore_pg_dump(part: Path, clean: bool) -> None:
    uri, env = _libpq(db.engine.url)
    db.engine.dispose()
    command = [
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={uri}",
        str(part),
    ]
    if clean:  # the empty schema of `db upgrade` is there: replace it
        command[1:1] = ["--clean", "--if-exists"]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            f"pg_restore 失败：{done.stderr.strip()[:300]}", f"pg_restore failed: {done.stderr.strip()[:300]}"
        )


def _restore_logical(part: Path, revision: str | None, schema_present: bool) -> None:
    if not schema_present:
        from flask_migrate import upgrade

        upgrade(revision=revision or "head")
        db.session.remove()
    with db.engine.begin() as connection:
        present = _revision(connection)
        if revision and present != revision:
            raise BackupError(
                f"数据库结构版本 {present} 与备份的 {revision} 不同",
                f"the database schema is at revision {present}, the backup at {revision}",
            )
        table, columns, batch = None, [], []

        def flush():
            if batch:
                connection.execute(table.insert(), batch)
                batch.clear()

        with gzip.open(part, "rb") as lines:
            for line in lines:
                item = json.loads(line)
                if "table" in item:
                    flush()
                    if item["table"] not in db.metadata.tables:
                        raise BackupError(
                            f"备份中有未知的表 {item['table']}", f"unknown table in the backup: {item['table']}"
                        )
                    table, columns = db.metadata.tables[item["table"]], item["columns"]
                else:
                    batch.append(dict(zip(columns, (_decode(value) for value in item["row"]))))
                    if len(batch) >= BATCH:
                        flush()
        flush()
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)


def _reset_sequences(connection: Connection) -> None:
    """After inserting explicit ids, move each id sequence past the largest id."""
    for table in _tables(connection):
        if len(table.primary_key.columns) != 1:
            continue
        column = next(iter(table.primary_key.columns))
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": f'"{table.name}"', "c": column.name}
        ).scalar()
        if sequence:
            connection.execute(
                text(f'SELECT setval(:s, COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'),
                {"s": sequence},
            )


def _check_restored(manifest: dict) -> RestoreReport:
    """Compare the restored database with the manifest; try the key on every sealed value."""
    from tender.models import BidVersion, StoredFile

    db.session.remove()
    with db.engine.connect() as connection:
        facts = snapshot_facts(connection)
    report = RestoreReport(
        method=manifest["database"]["method"],
        tables=facts["tables"],
        audit_records=facts["audit"]["records"],
        audit_head=facts["audit"]["head"],
    )
    expected = {name: count for name, count in manifest["tables"].items()}
    if {k: v for k, v in facts["tables"].items() if k in expected} != expected:
        raise BackupError(
            "恢复后的行数与清单不符",
            f"row counts after the restore differ from the manifest: {facts['tables']} ≠ {expected}",
        )
    # A backup made before the chain was keyed holds plain SHA-256 links: accepted here
    # (the restore then says to run `tender audit rekey`), never once the manifest names a key.
    check = audit.verify(allow_plain="audit_key_fingerprint" not in manifest)
    report.audit_plain_records = check.plain_records
    if not check.ok:
        raise BackupError(
            f"恢复后审计链在第 {check.broken_seq} 条断开",
            f"after the restore the audit chain breaks at record {check.broken_seq}: {check.reason}",
        )
    if check.head != manifest["audit"]["head"]:
        raise BackupError("恢复后的审计链头与清单不符", "the audit head after the restore differs from the manifest")
    key = current_app.extensions["tender_data_key"]
    report.key_matches = key_fingerprint(key) == manifest.get("key_fingerprint")
    for stored in db.session.scalars(select(StoredFile).execution_options(yield_per=100)):
        report.sealed_total += 1
        try:
            storage.unseal(stored.blob, f"file:{stored.public_id}")
        except storage.SealBroken:
            report.sealed_unreadable += 1
    for version in db.session.scalars(select(BidVersion).execution_options(yield_per=100)):
        report.sealed_total += 1
        try:
            storage.unseal(version.sealed_data, f"bid_version:{version.public_id}")
        except storage.SealBroken:
            report.sealed_unreadable += 1
    db.session.remove()
    return report
