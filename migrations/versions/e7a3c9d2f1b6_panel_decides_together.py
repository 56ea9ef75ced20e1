"""the panel decides together: chair, proposals and votes, outlier confirmations,
explanations of abnormally low prices, signatures of the evaluation report (§15, §16)

Revision ID: e7a3c9d2f1b6
Revises: e7a3c9d1f2b6
Create Date: 2026-11-30 21:00:00

Decisions recorded before votes existed (qualification overrides, agreed bands,
abnormal-low decisions) are kept as proposals that passed, so every decision in force has
its proposal. The first evaluator assigned to a tender's panel becomes its chair.
"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e7a3c9d2f1b6"
down_revision = "e7a3c9d1f2b6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("evaluator_assignment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chair", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "panel_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["bid_id"],
            ["bid.id"],
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"],
            ["tender.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
    )
    op.create_index("ix_panel_proposal_tender_id", "panel_proposal", ["tender_id"])
    op.create_table(
        "panel_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("evaluator_id", sa.Integer(), nullable=False),
        sa.Column("agree", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evaluator_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["panel_proposal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id", "evaluator_id", name="uq_vote_proposal_evaluator"),
    )
    op.create_index("ix_panel_vote_proposal_id", "panel_vote", ["proposal_id"])
    op.create_table(
        "outlier_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("evaluator_id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bid_id"],
            ["bid.id"],
        ),
        sa.ForeignKeyConstraint(
            ["evaluator_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"],
            ["tender.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outlier_confirmation_tender_id", "outlier_confirmation", ["tender_id"])
    op.create_table(
        "explanation_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.DateTime(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["bid_id"],
            ["bid.id"],
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"],
            ["tender.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tender_id", "bid_id", name="uq_explanation_tender_bid"),
    )
    op.create_index("ix_explanation_request_tender_id", "explanation_request", ["tender_id"])
    op.create_table(
        "explanation_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=128), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["explanation_request.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
    )
    op.create_index("ix_explanation_file_request_id", "explanation_file", ["request_id"])
    op.create_table(
        "report_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("evaluator_id", sa.Integer(), nullable=False),
        sa.Column("report_sha256", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["evaluator_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"],
            ["tender.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_signature_tender_id", "report_signature", ["tender_id"])
    _existing_decisions_passed()


def _existing_decisions_passed():
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE evaluator_assignment SET chair = :yes WHERE id IN "
            "(SELECT MIN(id) FROM evaluator_assignment GROUP BY tender_id)"
        ),
        {"yes": True},
    )
    insert = sa.text(
        "INSERT INTO panel_proposal (public_id, tender_id, kind, bid_id, subject, value, reason, proposed_by_id, "
        "proposed_at, outcome, decided_at) VALUES (:public_id, :tender_id, :kind, :bid_id, :subject, :value, "
        ":reason, :by, :at, 'passed', :at)"
    )
    queries = {
        "override": "SELECT tender_id, bid_id, rule, passed, reason, evaluator_id, at FROM qualification_override",
        "band": "SELECT tender_id, bid_id, criterion_id, label, '', recorded_by_id, at FROM agreed_band",
        "abnormal_low": "SELECT tender_id, bid_id, '', decision, note, decided_by_id, decided_at FROM abnormal_low_decision",
    }
    for kind, query in queries.items():
        for tender_id, bid_id, subject, value, reason, by, at in bind.execute(sa.text(query)).fetchall():
            if kind == "override":
                value = "pass" if value else "fail"
            bind.execute(
                insert,
                {
                    "public_id": secrets.token_urlsafe(12),
                    "tender_id": tender_id,
                    "kind": kind,
                    "bid_id": bid_id,
                    "subject": subject,
                    "value": value,
                    "reason": reason or "",
                    "by": by,
                    "at": at,
                },
            )


def downgrade():
    for table in (
        "report_signature",
        "explanation_file",
        "explanation_request",
        "outlier_confirmation",
        "panel_vote",
        "panel_proposal",
    ):
        op.drop_table(table)
    with op.batch_alter_table("evaluator_assignment", schema=None) as batch_op:
        batch_op.drop_column("chair")
