"""workspaces.enterprise_id: the Enterprise Grid org a workspace belongs to, so that jobs for a workspace inside an
org-wide install (no installation row of its own) find the org's bot token

Revision ID: b7e4d2a9c813
Revises: c5e8a1f03d27
Create Date: 2026-12-01 20:05:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b7e4d2a9c813'
down_revision: str | None = 'c5e8a1f03d27'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('workspaces') as batch_op:
        batch_op.add_column(sa.Column('enterprise_id', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('workspaces') as batch_op:
        batch_op.drop_column('enterprise_id')
