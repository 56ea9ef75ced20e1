"""Panel decisions per lot (domain §13): qualification overrides, agreed bands, abnormal-low
decisions and the proposals that lead to them name the lot they are for ("" without lots)

Revision ID: a9d3e5b7c1f4
Revises: f1c4d7a2b8e3
"""

import sqlalchemy as sa
from alembic import op

revision = "a9d3e5b7c1f4"
down_revision = "f1c4d7a2b8e3"
branch_labels = None
depends_on = None

# table: (old unique constraint, its columns, new unique constraint, its columns)
UNIQUES = {
    "qualification_override": (
        "uq_override_tender_bid_rule",
        ["tender_id", "bid_id", "rule"],
        "uq_override_tender_bid_lot_rule",
        ["tender_id", "bid_id", "lot", "rule"],
    ),
    "abnormal_low_decision": (
        "uq_abnormal_low_tender_bid",
        ["tender_id", "bid_id"],
        "uq_abnormal_low_tender_bid_lot",
        ["tender_id", "bid_id", "lot"],
    ),
    "agreed_band": (
        "uq_band_tender_bid_criterion",
        ["tender_id", "bid_id", "criterion_id"],
        "uq_band_tender_bid_lot_criterion",
        ["tender_id", "bid_id", "lot", "criterion_id"],
    ),
}


def upgrade():
    for table, (old, _old_columns, new, columns) in UNIQUES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("lot", sa.String(length=32), server_default="", nullable=False))
            batch_op.drop_constraint(old, type_="unique")
            batch_op.create_unique_constraint(new, columns)
    with op.batch_alter_table("panel_proposal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lot", sa.String(length=32), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("panel_proposal", schema=None) as batch_op:
        batch_op.drop_column("lot")
    for table, (old, old_columns, new, _columns) in UNIQUES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(new, type_="unique")
            batch_op.create_unique_constraint(old, old_columns)
            batch_op.drop_column("lot")
