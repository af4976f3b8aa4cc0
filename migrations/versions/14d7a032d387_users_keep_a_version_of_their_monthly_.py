"""Users keep a version of their monthly self-check scores

Home and the self-check profile remember a person's own drift figures against a
version of the rows they come from. That version was a count and two maxima over
the person's ``period_scores``, read on every view, a cost that grew with the
months of history; it is now a number on the person's row, bumped whenever
their scores change, and read with the person. Existing people start at 0: a
process remembering figures from before the upgrade is restarted by the deploy.

Revision ID: 14d7a032d387
Revises: 2f004d49139a
Create Date: 2026-12-07 03:09:07.403897

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '14d7a032d387'
down_revision = '2f004d49139a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('scores_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('scores_version')
