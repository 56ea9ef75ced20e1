"""Scores per lot (domain §13): a subjective score names the lot it is for ("" without lots)

Revision ID: f1c4d7a2b8e3
Revises: e7a3c9f1b2d4
"""

import sqlalchemy as sa
from alembic import op

revision = "f1c4d7a2b8e3"
down_revision = "e7a3c9f1b2d4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("subjective_score", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lot", sa.String(length=32), server_default="", nullable=False))
        batch_op.drop_constraint("uq_score_tender_evaluator_bid_criterion", type_="unique")
        batch_op.create_unique_constraint(
            "uq_score_tender_evaluator_bid_lot_criterion",
            ["tender_id", "evaluator_id", "bid_id", "lot", "criterion_id"],
        )


def downgrade():
    with op.batch_alter_table("subjective_score", schema=None) as batch_op:
        batch_op.drop_constraint("uq_score_tender_evaluator_bid_lot_criterion", type_="unique")
        batch_op.create_unique_constraint(
            "uq_score_tender_evaluator_bid_criterion", ["tender_id", "evaluator_id", "bid_id", "criterion_id"]
        )
        batch_op.drop_column("lot")
