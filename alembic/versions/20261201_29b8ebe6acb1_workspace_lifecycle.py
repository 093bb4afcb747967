"""workspaces: when the app was uninstalled (jobs stop, data purged after a grace period), and whether digest
channel members may reply to reps

Revision ID: 29b8ebe6acb1
Revises: 7d71772ff783
Create Date: 2026-12-01 16:45:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '29b8ebe6acb1'
down_revision: str | None = '7d71772ff783'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uninstalled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('replies_by_channel_members', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('workspaces', schema=None) as batch_op:
        batch_op.drop_column('replies_by_channel_members')
        batch_op.drop_column('uninstalled_at')
