"""Reminders are claimed before they are sent, and marked sent or failed after

send-reminders commits a claim on each (session, person) before handing the
message to the SMTP server, then marks it sent or failed, so a run that stops
part-way neither repeats nor blocks anyone. ``sent_at`` becomes empty until the
message has gone. Existing rows were all sent: they become "sent", claimed when
they were sent.

Revision ID: 5c2e9a7d41b3
Revises: 5b7e3c1d9a24
Create Date: 2026-12-07 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import learning_hub.core.database


# revision identifiers, used by Alembic.
revision = '5c2e9a7d41b3'
down_revision = '5b7e3c1d9a24'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'status',
                sa.Enum('claimed', 'sent', 'failed', name='reminderstatus', native_enum=False,
                        length=8),
                server_default='sent',
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column('claimed_at', learning_hub.core.database.UTCDateTime(timezone=True),
                      nullable=True)
        )
    op.execute("UPDATE reminders_sent SET claimed_at = sent_at")
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.alter_column(
            'claimed_at', existing_type=learning_hub.core.database.UTCDateTime(timezone=True),
            nullable=False,
        )
        batch_op.alter_column(
            'sent_at', existing_type=learning_hub.core.database.UTCDateTime(timezone=True),
            nullable=True,
        )


def downgrade():
    # Only what was sent stays a record of a sent reminder; claims and failures go,
    # so the older code (which knows only "sent") may send those once more.
    op.execute("DELETE FROM reminders_sent WHERE status <> 'sent' OR sent_at IS NULL")
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.alter_column(
            'sent_at', existing_type=learning_hub.core.database.UTCDateTime(timezone=True),
            nullable=False,
        )
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('status')
