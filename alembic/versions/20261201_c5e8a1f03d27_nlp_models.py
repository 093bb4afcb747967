"""nlp_models: each workspace's trained pipeline, stored in the database so that every replica can load it

Revision ID: c5e8a1f03d27
Revises: c7d2e8f1a904
Create Date: 2026-12-01 20:05:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c5e8a1f03d27'
down_revision: str | None = 'c7d2e8f1a904'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'nlp_models',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ['team_id'], ['workspaces.team_id'], name=op.f('fk_nlp_models_team_id_workspaces'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_nlp_models')),
    )
    op.create_index(op.f('ix_nlp_models_team_id'), 'nlp_models', ['team_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_nlp_models_team_id'), table_name='nlp_models')
    op.drop_table('nlp_models')
