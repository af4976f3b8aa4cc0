"""users remember when they were erased

An erased person's row stays (their team contributions keep an author, shown
as "Former member"); erased_at marks it, indexed for the admin list and retention.

Revision ID: 86fcd2c5cdcd
Revises: db559cbe36ef
Create Date: 2026-12-01 20:23:26.502978

"""

from alembic import op
import sqlalchemy as sa

import learning_hub.core.database


# revision identifiers, used by Alembic.
revision = "86fcd2c5cdcd"
down_revision = "db559cbe36ef"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("erased_at", learning_hub.core.database.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_users_erased_at"), ["erased_at"], unique=False)


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_erased_at"))
        batch_op.drop_column("erased_at")
