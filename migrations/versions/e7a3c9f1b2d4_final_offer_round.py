"""the round of final offers (§12): final_round and final_offer

Revision ID: e7a3c9f1b2d4
Revises: e8a3c6d2f1b9
Create Date: 2026-11-30 20:50:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e7a3c9f1b2d4"
down_revision = "e8a3c6d2f1b9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "final_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.DateTime(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        sa.Column("invited_json", sa.Text(), nullable=False),
        sa.Column("offers_opened_at", sa.DateTime(), nullable=True),
        sa.Column("offers_opened_by_id", sa.Integer(), nullable=True),
        sa.Column("audit_head", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["offers_opened_by_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"],
            ["tender.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tender_id"),
    )
    op.create_table(
        "final_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sealed_data", sa.LargeBinary(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("audit_head", sa.String(length=64), nullable=True),
        sa.Column("hash_ok", sa.Boolean(), nullable=True),
        sa.Column("monthly_cost", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["bid_id"],
            ["bid.id"],
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"],
            ["tender.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bid_id", "number", name="uq_final_offer_bid_number"),
        sa.UniqueConstraint("public_id"),
    )
    with op.batch_alter_table("final_offer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_final_offer_bid_id"), ["bid_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_final_offer_tender_id"), ["tender_id"], unique=False)


def downgrade():
    with op.batch_alter_table("final_offer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_final_offer_tender_id"))
        batch_op.drop_index(batch_op.f("ix_final_offer_bid_id"))
    op.drop_table("final_offer")
    op.drop_table("final_round")
