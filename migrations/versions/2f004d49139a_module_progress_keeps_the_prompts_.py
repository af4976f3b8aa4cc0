"""Module progress keeps the prompts answered

The home page and the module library showed each module's status from the
distinct prompts of every reflection the person had written, a cost that grew
with their history. The progress record (one per module started) now keeps the
sorted ids of the prompts answered, written with the record on every change;
the upgrade fills it from the reflections already there.

Revision ID: 2f004d49139a
Revises: 786d65f27403
Create Date: 2026-12-07 01:16:03.069847

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2f004d49139a'
down_revision = '786d65f27403'
branch_labels = None
depends_on = None

ANSWERED = (
    "SELECT DISTINCT prompt_id FROM reflections WHERE reflections.author_id = "
    "module_progress.user_id AND reflections.module_slug = module_progress.module_slug"
)


def upgrade():
    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answered_prompts', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE module_progress SET answered_prompts = (SELECT "
            f"coalesce(json_agg(prompt_id ORDER BY prompt_id), '[]'::json) FROM ({ANSWERED}) AS a)"
        )
    else:
        op.execute(
            "UPDATE module_progress SET answered_prompts = (SELECT json_group_array(prompt_id) "
            f"FROM ({ANSWERED} ORDER BY prompt_id))"
        )


def downgrade():
    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.drop_column('answered_prompts')
