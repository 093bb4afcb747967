"""slack_posts: each message a job posts, marked before the call to Slack and after it

Revision ID: 7f3e2c9a4d10
Revises: 29b8ebe6acb1
Create Date: 2026-12-01 16:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7f3e2c9a4d10'
down_revision: str | None = '29b8ebe6acb1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'slack_posts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('channel_id', sa.String(length=32), nullable=True),
        sa.Column('message_ts', sa.String(length=32), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_slack_posts')),
        sa.UniqueConstraint('team_id', 'key', name=op.f('uq_slack_posts_team_id_key')),
    )


def downgrade() -> None:
    op.drop_table('slack_posts')
