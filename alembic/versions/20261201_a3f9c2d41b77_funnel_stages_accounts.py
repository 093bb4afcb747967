"""funnel: stage mappings, accounts, marketing notes; notes carry stage, segment and what helped

Revision ID: a3f9c2d41b77
Revises: 7c1e5a2f9d30
Create Date: 2026-12-01 19:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a3f9c2d41b77'
down_revision: str | None = '7c1e5a2f9d30'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'stage_mappings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('crm_name', sa.String(length=255), nullable=False),
        sa.Column('name_key', sa.String(length=255), nullable=False),
        sa.Column('stage', sa.String(length=32), nullable=True),
        sa.Column('calls', sa.Integer(), nullable=False),
        sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['team_id'], ['workspaces.team_id'], name=op.f('fk_stage_mappings_team_id_workspaces'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_mappings')),
        sa.UniqueConstraint('team_id', 'name_key', name=op.f('uq_stage_mappings_team_id_name_key')),
    )
    op.create_table(
        'accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('name_key', sa.String(length=255), nullable=False),
        sa.Column('segment', sa.String(length=64), nullable=True),
        sa.Column('industry', sa.String(length=64), nullable=True),
        sa.Column('company_size', sa.String(length=64), nullable=True),
        sa.Column('region', sa.String(length=64), nullable=True),
        sa.Column('stage', sa.String(length=32), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['team_id'], ['workspaces.team_id'], name=op.f('fk_accounts_team_id_workspaces'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
        sa.UniqueConstraint('team_id', 'name_key', name=op.f('uq_accounts_team_id_name_key')),
    )
    op.create_table(
        'marketing_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=True),
        sa.Column('segment', sa.String(length=64), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['account_id'], ['accounts.id'], name=op.f('fk_marketing_notes_account_id_accounts'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['author_id'], ['people.id'], name=op.f('fk_marketing_notes_author_id_people'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['team_id'], ['workspaces.team_id'], name=op.f('fk_marketing_notes_team_id_workspaces'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_notes')),
    )
    op.create_index(
        op.f('ix_marketing_notes_team_id_account_id'), 'marketing_notes', ['team_id', 'account_id'], unique=False
    )
    op.create_index(op.f('ix_marketing_notes_team_id_segment'), 'marketing_notes', ['team_id', 'segment'], unique=False)
    with op.batch_alter_table('notes') as batch:
        batch.add_column(sa.Column('worked', sa.Text(), nullable=True))
        batch.add_column(sa.Column('stage', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('segment', sa.String(length=64), nullable=True))
    with op.batch_alter_table('calls') as batch:
        batch.add_column(sa.Column('stage', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('calls') as batch:
        batch.drop_column('stage')
    with op.batch_alter_table('notes') as batch:
        batch.drop_column('segment')
        batch.drop_column('stage')
        batch.drop_column('worked')
    op.drop_index(op.f('ix_marketing_notes_team_id_segment'), table_name='marketing_notes')
    op.drop_index(op.f('ix_marketing_notes_team_id_account_id'), table_name='marketing_notes')
    op.drop_table('marketing_notes')
    op.drop_table('accounts')
    op.drop_table('stage_mappings')
