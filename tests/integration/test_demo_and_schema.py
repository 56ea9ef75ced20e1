"""The demo seed and the audit chain's tamper evidence (migrations: test_database.py)."""

from __future__ import annotations

from sqlalchemy import text

from tender.demo.seed import CLOSED_TITLE, OPEN_TITLE
from tender.models import Bid, Tender, User
from tender.platform import audit
from tender.platform.extensions import db


def test_seed_demo_is_idempotent_and_prints_the_logins(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "buyer@demo.cn" in first.output and "vendor5@demo.cn" in first.output
    runner.invoke(args=["seed-demo"])
    assert {u.role for u in User.query.all()} == {"admin", "buyer", "evaluator", "vendor"}
    assert User.query.filter_by(role="evaluator").count() == 3 and User.query.filter_by(role="vendor").count() == 5
    open_tender = Tender.query.filter_by(title=OPEN_TITLE).one()
    closed = Tender.query.filter_by(title=CLOSED_TITLE).one()
    assert open_tender.current_status == "published" and closed.current_status == "closed"
    assert Bid.query.filter_by(tender_id=closed.id).count() == 5
    assert runner.invoke(args=["audit-verify"]).exit_code == 0


def test_editing_deleting_or_reordering_audit_rows_is_detected(app, users, client, auth):
    for role in ("buyer", "vendor", "admin"):
        auth.login(users[role])
        auth.logout()
    assert audit.verify().ok
    db.session.execute(text("UPDATE audit_record SET actor = 'someone else' WHERE seq = 2"))
    result = audit.verify()
    assert not result.ok and result.broken_seq == 2
    db.session.rollback()
    db.session.execute(text("DELETE FROM audit_record WHERE seq = 3"))
    assert audit.verify().broken_seq == 4
    db.session.rollback()
    db.session.execute(text("UPDATE audit_record SET seq = 100 WHERE seq = 1"))
    db.session.execute(text("UPDATE audit_record SET seq = 1 WHERE seq = 2"))
    assert not audit.verify().ok
    db.session.rollback()
