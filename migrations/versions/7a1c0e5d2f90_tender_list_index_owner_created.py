"""the buyer's paginated tender list: index (owner_id, created_at)

Revision ID: 7a1c0e5d2f90
Revises: 6e61844bbf6e
Create Date: 2026-11-26 02:40:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "7a1c0e5d2f90"
down_revision = "6e61844bbf6e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.create_index("ix_tender_owner_created", ["owner_id", "created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.drop_index("ix_tender_owner_created")
