"""``tender audit verify``: recompute the chain, name the first broken record, exit 1 when
broken; a head hash printed in a receipt reveals that the newest records were deleted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from tender.cli import main
from tender.models import AuditRecord
from tender.platform import audit
from tender.platform.extensions import db
from tender.services import bids as bid_service
from tests.integration.helpers import published, submit


@pytest.fixture
def cli_env(app, monkeypatch):
    """The command line sees the test app's database and instance folder."""
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("TENDER_INSTANCE_PATH", app.instance_path)
    return {**os.environ}


@pytest.fixture
def chain(app, users, cli_env, tmp_path):
    """A submitted bid (its receipt saved as a file) followed by more audited actions."""
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    receipt = bid_service.receipt(users["vendor"], version)
    receipt_path = tmp_path / "receipt.json"
    receipt_path.write_text(json.dumps(receipt, ensure_ascii=False), encoding="utf-8")
    for n in range(3):
        audit.record(users["admin"], "report_exported", f"tender:{tender.public_id}", n=n)
    db.session.commit()
    receipt_seq = AuditRecord.query.filter_by(hash=receipt["audit_head"]).one().seq
    return {"receipt": receipt, "receipt_path": receipt_path, "receipt_seq": receipt_seq, "last_seq": audit.head().seq}


def run(capsys, *args):
    code = main(["audit", "verify", *args])
    out, err = capsys.readouterr()
    return code, out, err


def tamper(sql: str, **params) -> None:
    db.session.execute(text(sql), params)
    db.session.commit()


def test_an_intact_chain_passes_and_prints_its_head(chain, capsys):
    code, out, err = run(capsys, "--receipt", str(chain["receipt_path"]))
    assert code == 0, err
    assert f"audit chain intact: {chain['last_seq']} records, head {audit.head_hash()}" in out
    assert f"head {chain['receipt']['audit_head']} is in the chain (record {chain['receipt_seq']})" in out
    assert "审计链完整" in out


def test_an_edited_record_is_named(chain, capsys):
    tamper("UPDATE audit_record SET details_json = :d WHERE seq = :s", d='{"n": 7}', s=chain["last_seq"] - 1)
    code, out, err = run(capsys)
    assert code == 1
    assert f"audit chain broken at record {chain['last_seq'] - 1}: record content does not match its hash" in err
    assert f"审计链在第 {chain['last_seq'] - 1} 条记录处断开" in err


def test_an_edited_time_is_named(chain, capsys):
    record = AuditRecord.query.filter_by(seq=2).one()
    tamper("UPDATE audit_record SET at = :at WHERE seq = 2", at=record.at.replace(tzinfo=None, year=2020))
    code, out, err = run(capsys)
    assert code == 1 and "broken at record 2:" in err


def test_a_deleted_record_is_named_by_the_one_after_it(chain, capsys):
    tamper("DELETE FROM audit_record WHERE seq = 3")
    code, out, err = run(capsys)
    assert code == 1 and "audit chain broken at record 4: sequence gap: expected 3" in err


def test_reordered_records_are_detected(chain, capsys):
    # Swap the contents (not the sequence numbers) of records 2 and 3.
    columns = ("at", "actor", "action", "object", "details_json", "prev_hash", "hash")
    rows = {r.seq: {c: getattr(r, c) for c in columns} for r in AuditRecord.query.filter(AuditRecord.seq.in_([2, 3]))}
    tamper("UPDATE audit_record SET hash = 'x' || substr(hash, 2) WHERE seq IN (2, 3)")  # hash is unique
    for seq, other in ((2, 3), (3, 2)):
        values = dict(rows[other])
        values["at"] = values["at"].replace(tzinfo=None)
        tamper(
            "UPDATE audit_record SET " + ", ".join(f"{c} = :{c}" for c in columns) + " WHERE seq = :seq",
            seq=seq,
            **values,
        )
    code, out, err = run(capsys)
    assert code == 1 and "audit chain broken at record 2: previous hash does not match" in err


def test_deleting_the_newest_records_is_caught_by_the_head_in_a_receipt(chain, capsys):
    tamper("DELETE FROM audit_record WHERE seq >= :s", s=chain["receipt_seq"])
    code, out, err = run(capsys)
    assert code == 0  # the shortened chain is consistent in itself …
    code, out, err = run(capsys, "--receipt", str(chain["receipt_path"]))
    assert code == 1  # … but no longer holds the head the vendor was given
    assert f"the head {chain['receipt']['audit_head']} printed earlier is not in the chain" in err
    code, out, err = run(capsys, "--expect-head", chain["receipt"]["audit_head"].upper())
    assert code == 1


def test_records_after_the_printed_head_may_follow_it(chain, capsys):
    """A receipt proves what existed when it was given; later records only extend the chain."""
    tamper("DELETE FROM audit_record WHERE seq > :s", s=chain["receipt_seq"])
    code, out, err = run(capsys, "--receipt", str(chain["receipt_path"]))
    assert code == 0, err


def test_an_unreadable_receipt_is_refused(chain, capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert run(capsys, "--receipt", str(bad))[0] == 2
    empty = tmp_path / "empty.json"
    empty.write_text("{}", encoding="utf-8")
    code, out, err = run(capsys, "--receipt", str(empty))
    assert code == 2 and "no audit_head" in err


def test_the_installed_command_runs_in_its_own_process(chain, cli_env):
    command = [sys.executable, "-m", "tender.cli", "audit", "verify", "--receipt", str(chain["receipt_path"])]
    done = subprocess.run(command, env=cli_env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "audit chain intact" in done.stdout
    tamper("UPDATE audit_record SET actor = 'someone else' WHERE seq = 1")
    done = subprocess.run(command, env=cli_env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "broken at record 1" in done.stderr


def test_evaluate_and_template_still_work(tmp_path, capsys):
    from pathlib import Path

    samples = Path(__file__).resolve().parents[3] / "samples"
    assert main(["template", str(samples / "tender.json"), "-o", str(tmp_path / "q.xlsx")]) == 0
    assert (tmp_path / "q.xlsx").read_bytes()[:2] == b"PK"
    assert main(["evaluate", str(samples / "tender.json"), str(samples / "bids" / "yunkefu.json")]) == 0


# --------------------------------------------------------------------------- the keyed chain


def recompute_from(seq: int, link) -> None:
    """What someone who can write to the database would do after editing record ``seq``:
    recompute its hash and every later one with ``link(prev_hash, canonical_json)``."""
    records = AuditRecord.query.order_by(AuditRecord.seq).all()
    prev = records[seq - 2].hash if seq > 1 else audit.GENESIS
    for entry in records[seq - 1 :]:
        body = audit.canonical(entry.seq, entry.at, entry.actor, entry.action, entry.object, entry.details)
        tamper(
            "UPDATE audit_record SET prev_hash = :p, hash = :h WHERE seq = :s", p=prev, h=link(prev, body), s=entry.seq
        )
        prev = link(prev, body)
    db.session.expire_all()


def test_an_edit_with_every_later_hash_recomputed_in_plain_sha256_is_named(chain, capsys):
    """Without the audit key a database writer can only recompute plain SHA-256 links:
    the edited record is the first whose hash is not the keyed one."""
    edited = chain["last_seq"] - 2
    tamper("UPDATE audit_record SET details_json = :d WHERE seq = :s", d='{"n": 99}', s=edited)
    recompute_from(edited, audit.plain_hash)
    code, out, err = run(capsys)
    assert code == 1
    assert f"audit chain broken at record {edited}: record hashed without the audit key (plain SHA-256)" in err
    assert f"审计链在第 {edited} 条记录处断开" in err


def test_an_edit_recomputed_under_another_key_is_named(chain, capsys):
    tamper("UPDATE audit_record SET actor = 'someone else' WHERE seq = 2")
    recompute_from(2, lambda prev, body: audit.chain_hash(prev, body, b"\x01" * 32))
    code, out, err = run(capsys)
    assert code == 1 and "audit chain broken at record 2: record content does not match its hash" in err


def test_the_chain_is_hmac_sha256_under_the_audit_key_kept_in_the_instance_folder(app, chain):
    from pathlib import Path

    key_file = Path(app.instance_path) / "keys" / "audit.key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    key = app.extensions["tender_audit_key"]
    assert key_file.read_text().strip() == __import__("base64").urlsafe_b64encode(key).decode()
    first = AuditRecord.query.filter_by(seq=1).one()
    body = audit.canonical(1, first.at, first.actor, first.action, first.object, first.details)
    import hashlib
    import hmac

    assert first.hash == hmac.new(key, (audit.GENESIS + body).encode("utf-8"), hashlib.sha256).hexdigest()
    assert first.hash != hashlib.sha256((audit.GENESIS + body).encode("utf-8")).hexdigest()


def make_old_chain() -> str:
    """Turn the chain into one written by the version before keying (plain SHA-256
    links, no former hashes); return its head, as a receipt of that time printed it."""
    tamper("UPDATE audit_record SET hash = 'old-' || seq, legacy_hash = NULL")
    recompute_from(1, audit.plain_hash)
    return audit.head_hash()


def test_an_old_plain_chain_is_reported_then_rekeyed_and_its_printed_heads_still_found(chain, capsys, tmp_path):
    make_old_chain()
    old_receipt_head = AuditRecord.query.filter_by(seq=chain["receipt_seq"]).one().hash
    old_head = audit.head_hash()
    code, out, err = run(capsys)
    assert code == 1
    assert "audit chain broken at record 1: record hashed without the audit key (plain SHA-256)" in err
    assert "run `tender audit rekey` first" in err

    # After the upgrade, before the rekey, the app keeps writing (keyed) records.
    audit.record("system", "after_upgrade", "")
    db.session.commit()
    appended_head = audit.head_hash()

    code = main(["audit", "rekey"])
    out, err = capsys.readouterr()
    assert code == 0, err
    records = chain["last_seq"] + 1
    assert f"audit chain rekeyed: {records} records" in out
    assert f"former head {appended_head}" in out
    new_head = audit.head_hash()
    assert f"new head {new_head}" in out and new_head not in (old_head, appended_head)
    # Every record now carries its keyed hash and keeps the one printed before.
    assert AuditRecord.query.filter(AuditRecord.legacy_hash.is_(None)).count() == 0
    code, out, err = run(
        capsys, "--expect-head", old_receipt_head, "--expect-head", old_head, "--expect-head", appended_head
    )
    assert code == 0, err
    assert f"audit chain intact: {records} records, head {new_head}" in out
    assert f"head {old_receipt_head} is in the chain (record {chain['receipt_seq']})" in out
    assert f"head {old_head} is in the chain (record {chain['last_seq']})" in out
    # The receipt file of that time still checks out.
    receipt = dict(chain["receipt"], audit_head=old_receipt_head)
    receipt_path = tmp_path / "old-receipt.json"
    receipt_path.write_text(json.dumps(receipt), encoding="utf-8")
    assert run(capsys, "--receipt", str(receipt_path))[0] == 0
    # Nothing left to do the second time; new records chain on under the key.
    assert main(["audit", "rekey"]) == 0
    assert "already keyed" in capsys.readouterr().out
    audit.record("system", "after_rekey", "")
    db.session.commit()
    assert audit.verify().ok and audit.verify().count == records + 1


def test_after_the_rekey_an_edit_recomputed_in_plain_sha256_is_still_named(chain, capsys):
    make_old_chain()
    assert main(["audit", "rekey"]) == 0
    tamper("UPDATE audit_record SET details_json = :d WHERE seq = 2", d='{"n": 5}')
    recompute_from(2, audit.plain_hash)
    code, out, err = run(capsys)
    assert code == 1 and "audit chain broken at record 2: record hashed without the audit key" in err


def test_a_former_hash_cannot_be_planted_to_fake_a_deleted_head(chain, capsys):
    """The newest records are deleted and the printed head written into a former-hash
    column: the former hashes are recomputed from the records, so that is found too."""
    old_head = make_old_chain()
    assert main(["audit", "rekey"]) == 0
    capsys.readouterr()
    tamper("DELETE FROM audit_record WHERE seq = :s", s=chain["last_seq"])
    tamper("UPDATE audit_record SET legacy_hash = :h WHERE seq = :s", h=old_head, s=chain["last_seq"] - 1)
    code, out, err = run(capsys, "--expect-head", old_head)
    assert code == 1
    assert f"audit chain broken at record {chain['last_seq'] - 1}: former (pre-rekey) hash does not match" in err


def test_a_broken_old_chain_is_not_rekeyed(chain, capsys):
    make_old_chain()
    tamper("UPDATE audit_record SET action = 'something_else' WHERE seq = 3")  # edited, not recomputed
    before = [(r.seq, r.hash) for r in AuditRecord.query.order_by(AuditRecord.seq)]
    code = main(["audit", "rekey"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "audit chain broken at record 3: record content does not match its hash" in err
    assert "nothing was changed" in err
    db.session.expire_all()
    assert [(r.seq, r.hash) for r in AuditRecord.query.order_by(AuditRecord.seq)] == before


def test_the_audit_key_can_come_from_the_environment(app, tmp_path):
    from tender import create_app
    from tender.platform.storage import generate_key

    key = generate_key()
    other = create_app({**app.config, "TENDER_AUDIT_KEY": key, "INSTANCE_PATH": str(tmp_path / "other")})
    assert other.extensions["tender_audit_key"] == __import__("base64").urlsafe_b64decode(key)
    assert not (tmp_path / "other" / "keys" / "audit.key").exists()
