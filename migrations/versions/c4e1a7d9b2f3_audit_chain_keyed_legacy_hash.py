"""the keyed audit chain: audit_record.legacy_hash keeps a record's hash from before keying

Revision ID: c4e1a7d9b2f3
Revises: 7a1c0e5d2f90
Create Date: 2026-11-30 17:00:00

The hashes themselves are recomputed under the audit key by ``tender audit rekey`` (it
needs the key, which migrations never see); see docs/operations.md.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e1a7d9b2f3"
down_revision = "7a1c0e5d2f90"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("legacy_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_record_legacy_hash"), ["legacy_hash"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_record_legacy_hash"))
        batch_op.drop_column("legacy_hash")
