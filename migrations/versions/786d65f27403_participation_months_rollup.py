"""Participation months: each person's monthly count of each kind of writing

The leaders' dashboard counted reflections, responses, self-checks and agenda
items raised over the range's rows on every view, so its cost grew with the
organisation's history; it now reads this rollup, which the application keeps
up to date on every write (``learning_hub.dashboard.participation``). The upgrade fills it
from the rows already there.

Revision ID: 786d65f27403
Revises: e16e5a26b8d1
Create Date: 2026-12-07 00:43:15.569395

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '786d65f27403'
down_revision = 'e16e5a26b8d1'
branch_labels = None
depends_on = None

# (kind, table, the person's column, the column whose month it counts in, extra condition)
KINDS = (
    ("reflections", "reflections", "author_id", "created_at", ""),
    ("responses", "reflection_responses", "author_id", "created_at", ""),
    ("self_checks", "self_checks", "user_id", "submitted_at", " AND status = 'submitted'"),
    ("agenda_items", "agenda_items", "raised_by_id", "created_at", ""),
)


def upgrade():
    op.create_table('participation_months',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('month_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_participation_months_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'month_on', 'kind', name=op.f('pk_participation_months')),
    sqlite_with_rowid=False,
    )

    # Months in UTC: SQLite holds the naive UTC time, PostgreSQL a timestamptz.
    if op.get_bind().dialect.name == "postgresql":
        month = "CAST(date_trunc('month', {0} AT TIME ZONE 'UTC') AS DATE)"
    else:
        month = "date({0}, 'start of month')"
    for kind, table, person, when, extra in KINDS:
        op.execute(
            f"INSERT INTO participation_months (user_id, month_on, kind, count) "
            f"SELECT {person}, {month.format(when)}, '{kind}', count(*) FROM {table} "
            f"WHERE {person} IS NOT NULL AND {when} IS NOT NULL{extra} "
            f"GROUP BY {person}, {month.format(when)}"
        )


def downgrade():
    op.drop_table('participation_months')
