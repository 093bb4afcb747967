"""notes: a partial index on the notes not tagged yet (the notes.tag safety-net job)

Revision ID: 5d0c7a1e9b42
Revises: b34895ee2bef
Create Date: 2026-11-27 08:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5d0c7a1e9b42'
down_revision: str | None = 'b34895ee2bef'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_notes_untagged',
        'notes',
        ['created_at'],
        unique=False,
        postgresql_where=sa.text('tagged_at IS NULL'),
        sqlite_where=sa.text('tagged_at IS NULL'),
    )


def downgrade() -> None:
    op.drop_index('ix_notes_untagged', table_name='notes')
