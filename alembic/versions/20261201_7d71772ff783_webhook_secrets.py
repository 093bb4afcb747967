"""webhook secrets: each workspace's key for the call webhook, the old one kept 24 h after a rotation

Revision ID: 7d71772ff783
Revises: 5d0c7a1e9b42
Create Date: 2026-12-01 16:18:19+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7d71772ff783'
down_revision: str | None = '5d0c7a1e9b42'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'webhook_secrets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('secret', sa.String(length=512), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['team_id'],
            ['workspaces.team_id'],
            name=op.f('fk_webhook_secrets_team_id_workspaces'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_secrets')),
    )
    op.create_index(op.f('ix_webhook_secrets_team_id'), 'webhook_secrets', ['team_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_webhook_secrets_team_id'), table_name='webhook_secrets')
    op.drop_table('webhook_secrets')
