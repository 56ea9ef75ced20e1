"""closed is derived from the clock; tender.panel_version keys the cache of results

Revision ID: d5f2b8c1e4a7
Revises: 9ec95310fe8f
Create Date: 2026-12-01 10:00:00

A published tender is closed from its deadline on because the lifecycle derives it
(scoring/lifecycle.py); nothing writes ``closed`` any more, so rows written so by the former
list pages go back to ``published`` (their deadline has passed: they read as closed).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d5f2b8c1e4a7"
down_revision = "9ec95310fe8f"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.add_column(sa.Column("panel_version", sa.String(length=16), server_default="", nullable=False))
    op.execute("UPDATE tender SET status = 'published' WHERE status = 'closed'")


def downgrade():
    op.execute("UPDATE tender SET status = 'closed' WHERE status = 'published' AND bid_deadline <= CURRENT_TIMESTAMP")
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.drop_column("panel_version")
