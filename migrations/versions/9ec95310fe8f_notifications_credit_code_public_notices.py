"""notifications (in-app, e-mailed as jobs), the vendor's unified social credit code (also
kept on each opened bid, as at the opening), and the index the public tender notices read

Revision ID: 9ec95310fe8f
Revises: c4e1a7d9b2f3
Create Date: 2026-11-30 17:51:39.875759

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9ec95310fe8f"
down_revision = "c4e1a7d9b2f3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=True),
        sa.Column("params_json", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["tender_id"], ["tender.id"], name=op.f("fk_notification_tender_id_tender")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_notification_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("public_id", name=op.f("uq_notification_public_id")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_tender_id"), ["tender_id"], unique=False)
        batch_op.create_index("ix_notification_user_created", ["user_id", "created_at"], unique=False)
        batch_op.create_index("ix_notification_user_read", ["user_id", "read_at"], unique=False)

    with op.batch_alter_table("opened_bid", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credit_code", sa.String(length=18), nullable=True))

    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.create_index("ix_tender_published_at", ["published_at"], unique=False)

    with op.batch_alter_table("vendor_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credit_code", sa.String(length=18), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_vendor_profile_credit_code"), ["credit_code"])


def downgrade():
    with op.batch_alter_table("vendor_profile", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_vendor_profile_credit_code"), type_="unique")
        batch_op.drop_column("credit_code")

    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.drop_index("ix_tender_published_at")

    with op.batch_alter_table("opened_bid", schema=None) as batch_op:
        batch_op.drop_column("credit_code")

    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_user_read")
        batch_op.drop_index("ix_notification_user_created")
        batch_op.drop_index(batch_op.f("ix_notification_tender_id"))

    op.drop_table("notification")
