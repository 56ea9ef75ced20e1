"""``tender audit verify``: recompute the chain, name the first broken record, exit 1 when
broken; a head hash printed in a receipt reveals that the newest records were deleted."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from tender.platform import audit
from tender.cli import main
from tender.platform.extensions import db
from tender.models import AuditRecord
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
    return {"receipt": receipt, "receipt_path": receipt_path, "receipt_seq": receipt_seq,
            "last_seq": audit.head().seq}


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
        tamper("UPDATE audit_record SET " + ", ".join(f"{c} = :{c}" for c in columns) + " WHERE seq = :seq",
               seq=seq, **values)
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
