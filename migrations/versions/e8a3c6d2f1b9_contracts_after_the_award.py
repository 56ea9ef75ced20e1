"""Contracts after the award and their settled months (domain §14)

Revision ID: e8a3c6d2f1b9
Revises: e7a3c9d2f1b6
"""

import sqlalchemy as sa
from alembic import op

revision = "e8a3c6d2f1b9"
down_revision = "e7a3c9d2f1b6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("vendor_name", sa.String(length=200), nullable=False),
        sa.Column("lot", sa.String(length=32), nullable=False),
        sa.Column("share", sa.String(length=16), nullable=False),
        sa.Column("start_month", sa.String(length=7), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("predicted_cost", sa.String(length=32), nullable=False),
        sa.Column("sealed_terms", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["bid_id"], ["bid.id"]),
        sa.ForeignKeyConstraint(["tender_id"], ["tender.id"]),
        sa.ForeignKeyConstraint(["vendor_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
        sa.UniqueConstraint("tender_id", "bid_id", "lot", name="uq_contract_tender_bid_lot"),
    )
    op.create_index("ix_contract_tender_id", "contract", ["tender_id"])
    op.create_index("ix_contract_vendor_created", "contract", ["vendor_id", "created_at"])
    op.create_table(
        "contract_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("month_json", sa.Text(), nullable=False),
        sa.Column("settlement_json", sa.Text(), nullable=False),
        sa.Column("upload_name", sa.String(length=255), nullable=False),
        sa.Column("upload_sha256", sa.String(length=64), nullable=False),
        sa.Column("sealed_upload", sa.LargeBinary(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("settled_by_id", sa.Integer(), nullable=False),
        sa.Column("settled_at", sa.DateTime(), nullable=False),
        sa.Column("vendor_by_id", sa.Integer(), nullable=True),
        sa.Column("vendor_at", sa.DateTime(), nullable=True),
        sa.Column("vendor_reason", sa.Text(), nullable=False),
        sa.Column("buyer_by_id", sa.Integer(), nullable=True),
        sa.Column("buyer_at", sa.DateTime(), nullable=True),
        sa.Column("buyer_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"]),
        sa.ForeignKeyConstraint(["settled_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["vendor_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["buyer_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
        sa.UniqueConstraint("contract_id", "month", "version", name="uq_contract_month_version"),
    )
    op.create_index("ix_contract_month_current", "contract_month", ["contract_id", "current"])


def downgrade():
    op.drop_index("ix_contract_month_current", table_name="contract_month")
    op.drop_table("contract_month")
    op.drop_index("ix_contract_vendor_created", table_name="contract")
    op.drop_index("ix_contract_tender_id", table_name="contract")
    op.drop_table("contract")
