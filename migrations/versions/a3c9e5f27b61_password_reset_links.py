"""password reset links

A person who has forgotten their password asks for a link by email; each link is
stored only as the SHA-256 digest of its token, works once and expires
(PASSWORD_RESET_TTL_MINUTES). Using one revokes the person's other links.

Revision ID: a3c9e5f27b61
Revises: 14d7a032d387
Create Date: 2026-12-08 10:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

import learning_hub.core.database


# revision identifiers, used by Alembic.
revision = "a3c9e5f27b61"
down_revision = "14d7a032d387"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", learning_hub.core.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", learning_hub.core.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", learning_hub.core.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", learning_hub.core.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_password_resets_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_password_resets_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_password_resets_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_resets_user_id"))
        batch_op.drop_index(batch_op.f("ix_password_resets_expires_at"))

    op.drop_table("password_resets")
