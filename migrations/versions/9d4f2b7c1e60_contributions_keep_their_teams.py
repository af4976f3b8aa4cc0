"""Contributions keep the teams they were made in: membership spells, participation by team

Group figures used to join a team's *current* members to all their past writing and
scores, so one join or leave changed every past figure, and two downloads around it
gave that person's own figures away. Now a contribution counts for the teams its
author was in when it was made:

- ``membership_spells`` records each stretch of time a person belonged to a team. The
  upgrade gives every membership as it stands today one spell with no start ("since
  before records began"): attribution of everything written before this migration is
  to the teams people are in on the day it runs, which is the best that can be known.
  From then on the application opens a spell when someone joins and ends it when they
  leave.
- ``participation_months`` gains the team a count belongs to (part of its key), and
  counts three more kinds of learning: peer reflections on cases, responses to them,
  and actions completed. The upgrade recounts every kind from the rows: writing in a
  team's own space (agenda items, case reflections and responses, actions) for that
  team, writing of one's own (module reflections, responses, self-checks) for the
  teams its author is in today.
- The covering index of ``period_scores`` holds ``submitted_at``, by which a score is
  attributed to the teams of its moment.

Revision ID: 9d4f2b7c1e60
Revises: 3b7e1c5a9d20
Create Date: 2026-12-08 01:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import learning_hub.core.database


# revision identifiers, used by Alembic.
revision = '9d4f2b7c1e60'
down_revision = '3b7e1c5a9d20'
branch_labels = None
depends_on = None

# (kind, source table and the join to its team, the person, when it counts, condition).
# ``team`` is the SQL of the team a row counts for; None: the author's teams today.
KINDS = (
    ("reflections", "reflections r", None, "r.author_id", "r.created_at", ""),
    ("responses", "reflection_responses r", None, "r.author_id", "r.created_at", ""),
    ("self_checks", "self_checks r", None, "r.user_id", "r.submitted_at",
     " AND r.status = 'submitted'"),
    ("agenda_items", "agenda_items r JOIN review_sessions s ON s.id = r.session_id",
     "s.team_id", "r.raised_by_id", "r.created_at", ""),
    ("case_reflections", "case_reflections r JOIN cases c ON c.id = r.case_id",
     "c.team_id", "r.author_id", "r.created_at", ""),
    ("case_responses",
     "case_responses r JOIN case_reflections cr ON cr.id = r.reflection_id "
     "JOIN cases c ON c.id = cr.case_id",
     "c.team_id", "r.author_id", "r.created_at", ""),
    ("actions_done", "actions r", "r.team_id", "r.owner_id", "r.done_at", ""),
)


def upgrade():
    op.create_table('membership_spells',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('started_at', learning_hub.core.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', learning_hub.core.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_membership_spells_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_membership_spells_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_spells'))
    )
    op.create_index('ix_membership_spells_team', 'membership_spells', ['team_id', 'user_id'], unique=False)
    op.create_index(op.f('ix_membership_spells_user_id'), 'membership_spells', ['user_id'], unique=False)
    op.execute(
        "INSERT INTO membership_spells (user_id, team_id, started_at, ended_at) "
        "SELECT user_id, team_id, NULL, NULL FROM memberships"
    )

    op.drop_table('participation_months')
    op.create_table('participation_months',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('month_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_participation_months_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_participation_months_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'month_on', 'user_id', 'kind', name=op.f('pk_participation_months')),
    sqlite_with_rowid=False,
    )
    op.create_index('ix_participation_months_user', 'participation_months', ['user_id'], unique=False)

    # Months in UTC: SQLite holds the naive UTC time, PostgreSQL a timestamptz.
    if op.get_bind().dialect.name == "postgresql":
        month = "CAST(date_trunc('month', {0} AT TIME ZONE 'UTC') AS DATE)"
    else:
        month = "date({0}, 'start of month')"
    for kind, source, team, person, when, extra in KINDS:
        if team is None:
            source += f" JOIN memberships m ON m.user_id = {person}"
            team = "m.team_id"
        op.execute(
            "INSERT INTO participation_months (team_id, user_id, month_on, kind, count) "
            f"SELECT {team}, {person}, {month.format(when)}, '{kind}', count(*) FROM {source} "
            f"WHERE {person} IS NOT NULL AND {when} IS NOT NULL{extra} "
            f"GROUP BY {team}, {person}, {month.format(when)}"
        )

    with op.batch_alter_table('period_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_period_scores_cover')
        batch_op.create_index('ix_period_scores_cover', ['user_id', 'period_on', 'principle', 'score', 'submitted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('period_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_period_scores_cover')
        batch_op.create_index('ix_period_scores_cover', ['user_id', 'period_on', 'principle', 'score'], unique=False)

    # Back to one count per person, month and kind of the four kinds counted before.
    op.drop_index('ix_participation_months_user', table_name='participation_months')
    op.execute(
        "CREATE TABLE participation_months_per_person AS "
        "SELECT user_id, month_on, kind, CASE WHEN kind = 'agenda_items' THEN sum(count) ELSE max(count) END AS count FROM participation_months "
        "WHERE kind IN ('reflections', 'responses', 'self_checks', 'agenda_items') "
        "GROUP BY user_id, month_on, kind"
    )
    op.drop_table('participation_months')
    op.create_table('participation_months',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('month_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_participation_months_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'month_on', 'kind', name=op.f('pk_participation_months')),
    sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO participation_months (user_id, month_on, kind, count) "
        "SELECT user_id, month_on, kind, count FROM participation_months_per_person"
    )
    op.drop_table('participation_months_per_person')

    op.drop_index(op.f('ix_membership_spells_user_id'), table_name='membership_spells')
    op.drop_index('ix_membership_spells_team', table_name='membership_spells')
    op.drop_table('membership_spells')
