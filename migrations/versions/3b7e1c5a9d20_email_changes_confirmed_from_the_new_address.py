"""email changes are confirmed by a link sent to the new address

A pending change keeps the new address and the SHA-256 digest of its single-use,
expiring token; the person's address changes only when the link is opened.

Revision ID: 3b7e1c5a9d20
Revises: 5c2e9a7d41b3
Create Date: 2026-12-07 14:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

import learning_hub.core.database


# revision identifiers, used by Alembic.
revision = "3b7e1c5a9d20"
down_revision = "5c2e9a7d41b3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "email_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("new_email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", learning_hub.core.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", learning_hub.core.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", learning_hub.core.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", learning_hub.core.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_email_changes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_changes")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_email_changes_token_hash")),
    )
    with op.batch_alter_table("email_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_changes_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("email_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_changes_user_id"))
    op.drop_table("email_changes")
