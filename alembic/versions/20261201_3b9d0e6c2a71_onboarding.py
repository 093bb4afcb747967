"""onboarding: workspaces.digest_previewed_at, people.welcomed_at and home_seen_at; prompts by their message

Revision ID: 3b9d0e6c2a71
Revises: b7e4d2a9c813
Create Date: 2026-12-01 19:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '3b9d0e6c2a71'
down_revision: str | None = 'b7e4d2a9c813'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_previewed_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('welcomed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('home_seen_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('prompts', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_prompts_team_id_channel_id_message_ts'), ['team_id', 'channel_id', 'message_ts'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('prompts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prompts_team_id_channel_id_message_ts'))
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('home_seen_at')
        batch_op.drop_column('welcomed_at')
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.drop_column('digest_previewed_at')
