"""tags carry their note's stage and outcome (the funnel counts without a join); notes' covering index has stage

Revision ID: f1c3b5d7e902
Revises: e4b6a9c2d817
Create Date: 2026-12-01 23:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'f1c3b5d7e902'
down_revision: str | None = 'e4b6a9c2d817'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('tags') as batch:
        batch.add_column(sa.Column('stage', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('outcome', sa.String(length=32), nullable=True))
    # Every tag takes its note's stage and outcome (only notes that have either: the rest stay NULL).
    op.execute(
        'UPDATE tags SET '
        'stage = (SELECT notes.stage FROM notes WHERE notes.id = tags.note_id), '
        'outcome = (SELECT notes.outcome FROM notes WHERE notes.id = tags.note_id) '
        'WHERE tags.note_id IN (SELECT id FROM notes WHERE stage IS NOT NULL OR outcome IS NOT NULL)'
    )
    with op.batch_alter_table('tags') as batch:
        batch.drop_index(batch.f('ix_tags_team_id_created_at_kind_label'))
        batch.create_index(
            batch.f('ix_tags_team_id_created_at_kind_label_stage_outcome'),
            ['team_id', 'created_at', 'kind', 'label', 'stage', 'outcome'],
            unique=False,
        )
    with op.batch_alter_table('notes') as batch:
        batch.drop_index(batch.f('ix_notes_team_id_created_at_id_outcome_author_id'))
        batch.create_index(
            batch.f('ix_notes_team_id_created_at_id_outcome_author_id_stage'),
            ['team_id', 'created_at', 'id', 'outcome', 'author_id', 'stage'],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('notes') as batch:
        batch.drop_index(batch.f('ix_notes_team_id_created_at_id_outcome_author_id_stage'))
        batch.create_index(
            batch.f('ix_notes_team_id_created_at_id_outcome_author_id'),
            ['team_id', 'created_at', 'id', 'outcome', 'author_id'],
            unique=False,
        )
    with op.batch_alter_table('tags') as batch:
        batch.drop_index(batch.f('ix_tags_team_id_created_at_kind_label_stage_outcome'))
        batch.create_index(
            batch.f('ix_tags_team_id_created_at_kind_label'), ['team_id', 'created_at', 'kind', 'label'], unique=False
        )
        batch.drop_column('outcome')
        batch.drop_column('stage')
