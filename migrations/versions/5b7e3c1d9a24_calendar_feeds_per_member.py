"""Calendar feeds: each member has their own token for a team's feed

A team's feed had one token, shared by everyone who had ever opened the team's
sessions page, so a person who left the team kept a working address. Each feed now
belongs to one person: their own feed (no team), or their feed of one team, which
answers only while they are in that team and active.

Existing team tokens are deleted: those addresses stop working, and each member
finds their own new address on the team's sessions page. Personal feeds are kept.

Revision ID: 5b7e3c1d9a24
Revises: a3c9e5f27b61
Create Date: 2026-12-08 10:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5b7e3c1d9a24"
down_revision = "a3c9e5f27b61"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM calendar_feeds WHERE team_id IS NOT NULL")
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_calendar_feeds_one_owner"), type_="check")
        batch_op.drop_constraint(op.f("uq_calendar_feeds_team_id"), type_="unique")
        batch_op.drop_constraint(op.f("uq_calendar_feeds_user_id"), type_="unique")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(
            op.f("uq_calendar_feeds_user_team"), ["user_id", "team_id"]
        )
        batch_op.create_index(op.f("ix_calendar_feeds_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            op.f("uq_calendar_feeds_personal"),
            ["user_id"],
            unique=True,
            sqlite_where=sa.text("team_id IS NULL"),
            postgresql_where=sa.text("team_id IS NULL"),
        )


def downgrade():
    op.execute("DELETE FROM calendar_feeds WHERE team_id IS NOT NULL")
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index(op.f("uq_calendar_feeds_personal"))
        batch_op.drop_index(op.f("ix_calendar_feeds_team_id"))
        batch_op.drop_constraint(op.f("uq_calendar_feeds_user_team"), type_="unique")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_unique_constraint(op.f("uq_calendar_feeds_user_id"), ["user_id"])
        batch_op.create_unique_constraint(op.f("uq_calendar_feeds_team_id"), ["team_id"])
        batch_op.create_check_constraint("one_owner", "(team_id IS NULL) <> (user_id IS NULL)")
