"""the result notice's time (tender.notice_at) and bidders' challenges (质疑) with their
encrypted attachments (domain §16)

Revision ID: e7a3c9d1f2b6
Revises: d5f2b8c1e4a7
Create Date: 2026-11-30 21:00:00

An award confirmed before this revision has no notice time: it stays awarded (provisional)
until the buyer's next action; nothing is guessed for it.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e7a3c9d1f2b6"
down_revision = "d5f2b8c1e4a7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notice_at", sa.DateTime(), nullable=True))

    op.create_table(
        "challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lodged_at", sa.DateTime(), nullable=False),
        sa.Column("answer_due", sa.DateTime(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("upheld", sa.Boolean(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["answered_by_id"], ["user.id"], name=op.f("fk_challenge_answered_by_id_user")),
        sa.ForeignKeyConstraint(["bid_id"], ["bid.id"], name=op.f("fk_challenge_bid_id_bid")),
        sa.ForeignKeyConstraint(["tender_id"], ["tender.id"], name=op.f("fk_challenge_tender_id_tender")),
        sa.ForeignKeyConstraint(["vendor_id"], ["user.id"], name=op.f("fk_challenge_vendor_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge")),
        sa.UniqueConstraint("public_id", name=op.f("uq_challenge_public_id")),
    )
    with op.batch_alter_table("challenge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_challenge_bid_id"), ["bid_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_challenge_tender_id"), ["tender_id"], unique=False)

    op.create_table(
        "challenge_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=128), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["challenge_id"], ["challenge.id"], name=op.f("fk_challenge_file_challenge_id_challenge")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge_file")),
        sa.UniqueConstraint("public_id", name=op.f("uq_challenge_file_public_id")),
    )
    with op.batch_alter_table("challenge_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_challenge_file_challenge_id"), ["challenge_id"], unique=False)


def downgrade():
    with op.batch_alter_table("challenge_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_challenge_file_challenge_id"))
    op.drop_table("challenge_file")
    with op.batch_alter_table("challenge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_challenge_tender_id"))
        batch_op.drop_index(batch_op.f("ix_challenge_bid_id"))
    op.drop_table("challenge")
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.drop_column("notice_at")
