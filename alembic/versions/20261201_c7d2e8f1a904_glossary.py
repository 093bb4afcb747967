"""glossary: proposed label definitions, and the label swaps of Fix tags (vocabulary drift)

Revision ID: c7d2e8f1a904
Revises: a3c9e1d7b215
Create Date: 2026-12-01 20:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c7d2e8f1a904'
down_revision: str | None = 'a3c9e1d7b215'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'glossary_proposals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('dedupe_key', sa.String(length=255), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('label', sa.String(length=255), nullable=False),
        sa.Column('definition', sa.Text(), nullable=False),
        sa.Column('proposer_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('decided_by', sa.String(length=32), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['proposer_id'], ['people.id'], name=op.f('fk_glossary_proposals_proposer_id_people'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['team_id'], ['workspaces.team_id'], name=op.f('fk_glossary_proposals_team_id_workspaces'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_glossary_proposals')),
        sa.UniqueConstraint('team_id', 'dedupe_key', name=op.f('uq_glossary_proposals_team_id_dedupe_key')),
    )
    op.create_index(
        op.f('ix_glossary_proposals_team_id_state'), 'glossary_proposals', ['team_id', 'state'], unique=False
    )
    op.create_table(
        'label_swaps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('note_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('from_label', sa.String(length=255), nullable=False),
        sa.Column('to_label', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['note_id'], ['notes.id'], name=op.f('fk_label_swaps_note_id_notes'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['team_id'], ['workspaces.team_id'], name=op.f('fk_label_swaps_team_id_workspaces'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_label_swaps')),
        sa.UniqueConstraint(
            'note_id', 'kind', 'from_label', 'to_label', name=op.f('uq_label_swaps_note_id_kind_from_label_to_label')
        ),
    )
    op.create_index(op.f('ix_label_swaps_team_id_created_at'), 'label_swaps', ['team_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_label_swaps_team_id_created_at'), table_name='label_swaps')
    op.drop_table('label_swaps')
    op.drop_index(op.f('ix_glossary_proposals_team_id_state'), table_name='glossary_proposals')
    op.drop_table('glossary_proposals')
