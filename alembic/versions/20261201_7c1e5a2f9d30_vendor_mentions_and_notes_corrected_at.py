"""vendor_mentions (candidate competitors named in notes) and notes.corrected_at (when a person corrected the tags)

Revision ID: 7c1e5a2f9d30
Revises: 7f3e2c9a4d10
Create Date: 2026-12-01 17:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7c1e5a2f9d30'
down_revision: str | None = '7f3e2c9a4d10'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('vendor_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('note_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('name_key', sa.String(length=255), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['note_id'], ['notes.id'], name=op.f('fk_vendor_mentions_note_id_notes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['workspaces.team_id'], name=op.f('fk_vendor_mentions_team_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor_mentions')),
    sa.UniqueConstraint('note_id', 'name_key', name=op.f('uq_vendor_mentions_note_id_name_key'))
    )
    with op.batch_alter_table('vendor_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_mentions_team_id_name_key_last_seen'), ['team_id', 'name_key', 'last_seen'], unique=False)

    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_column('corrected_at')

    with op.batch_alter_table('vendor_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendor_mentions_team_id_name_key_last_seen'))

    op.drop_table('vendor_mentions')
