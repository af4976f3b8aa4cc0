"""one-time form submission tokens

Each rendered form that creates something carries a random token; the token is
inserted here in the same transaction as the write, so a form sent twice at once
saves once (the unique constraint refuses the second). ``redirect_to`` remembers
where the first submission went, to send the duplicate there too. Old rows are
deleted by ``learning_hub.core.submissions.prune_form_submissions``.

Revision ID: b85f95e991fe
Revises: 86fcd2c5cdcd
Create Date: 2026-12-01 20:25:46.138839

"""

from alembic import op
import sqlalchemy as sa

import learning_hub.core.database


# revision identifiers, used by Alembic.
revision = "b85f95e991fe"
down_revision = "86fcd2c5cdcd"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("redirect_to", sa.String(length=500), nullable=True),
        sa.Column("created_at", learning_hub.core.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_form_submissions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submissions")),
        sa.UniqueConstraint("token", name=op.f("uq_form_submissions_token")),
    )
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_form_submissions_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_form_submissions_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_submissions_user_id"))
        batch_op.drop_index(batch_op.f("ix_form_submissions_created_at"))

    op.drop_table("form_submissions")
