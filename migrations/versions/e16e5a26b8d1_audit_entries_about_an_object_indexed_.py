"""audit entries about an object indexed newest first

A case page shows the latest entries about that case. With an index on the
object alone, each view sorted every entry the case had ever collected, one
more on every view; with the time and id in the index the latest few are read
straight off it.

Revision ID: e16e5a26b8d1
Revises: b85f95e991fe
Create Date: 2026-12-02 10:03:51.809669

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "e16e5a26b8d1"
down_revision = "b85f95e991fe"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_object")
        batch_op.create_index(
            "ix_audit_entries_object_recent",
            ["object_type", "object_id", "created_at", "id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_object_recent")
        batch_op.create_index("ix_audit_entries_object", ["object_type", "object_id"], unique=False)
