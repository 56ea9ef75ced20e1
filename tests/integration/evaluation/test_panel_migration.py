"""The migration of the panel's votes keeps every decision made before votes existed as a
proposal that passed (so each decision in force has its proposal), and makes the first
evaluator assigned to each panel its chair."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tender import create_app
from tender.platform.extensions import db
from tests.conftest import app_config

BEFORE = "d5f2b8c1e4a7"
TABLES = (
    "user",
    "tender",
    "bid",
    "evaluator_assignment",
    "qualification_override",
    "abnormal_low_decision",
    "agreed_band",
)


def _filler(column, row_id: int):
    """A value for a required column: the row's id for keys, something of the column's type else."""
    if column.primary_key or column.foreign_keys:
        return row_id if column.primary_key else 1
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.DateTime):
        return dt.datetime(2026, 11, 1, 8, 0)
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.LargeBinary):
        return b""
    return f"x{row_id}"


def test_existing_decisions_become_passed_proposals_and_the_first_evaluator_chairs(tmp_path):
    from flask_migrate import upgrade

    url = "sqlite:///" + str(tmp_path / "before.sqlite")
    app = create_app(app_config(tmp_path, SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        upgrade(revision=BEFORE)
        meta = sa.MetaData()
        meta.reflect(bind=db.engine)
        with db.engine.begin() as connection:
            rows = {"user": [1, 2, 3], "evaluator_assignment": [1, 2]}
            for name in TABLES:
                table = meta.tables[name]
                for row_id in rows.get(name, [1]):
                    values = {c.name: _filler(c, row_id) for c in table.columns if c.primary_key or not c.nullable}
                    if name == "evaluator_assignment":
                        values["evaluator_id"] = row_id + 1  # two evaluators on tender 1
                    if name == "qualification_override":
                        values.update(rule="具有相关行业服务经验", passed=False, reason="业绩为物流客服")
                    if name == "abnormal_low_decision":
                        values.update(decision="reject", note="低于人工成本")
                    if name == "agreed_band":
                        values.update(criterion_id="plan", label="二档")
                    connection.execute(table.insert().values(**values))
        upgrade()
        with db.engine.connect() as connection:
            proposals = connection.execute(
                sa.text("SELECT kind, subject, value, reason, outcome, decided_at FROM panel_proposal ORDER BY kind")
            ).all()
            chairs = (
                connection.execute(sa.text("SELECT evaluator_id FROM evaluator_assignment WHERE chair")).scalars().all()
            )
            lots = {  # decisions per lot (§13): a decision made before lots is the undivided tender's, lot ""
                name: connection.execute(sa.text(f"SELECT lot FROM {name}")).scalars().all()
                for name in ("qualification_override", "abnormal_low_decision", "agreed_band", "panel_proposal")
            }
        db.engine.dispose()
    assert [(p.kind, p.subject, p.value, p.reason, p.outcome) for p in proposals] == [
        ("abnormal_low", "", "reject", "低于人工成本", "passed"),
        ("band", "plan", "二档", "", "passed"),
        ("override", "具有相关行业服务经验", "fail", "业绩为物流客服", "passed"),
    ]
    assert all(p.decided_at is not None for p in proposals)
    assert chairs == [2]  # the first evaluator assigned (assignment 1)
    assert lots == {
        "qualification_override": [""],
        "abnormal_low_decision": [""],
        "agreed_band": [""],
        "panel_proposal": ["", "", ""],
    }
