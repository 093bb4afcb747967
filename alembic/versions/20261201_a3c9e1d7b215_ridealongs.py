"""ride-alongs: upcoming calls, marketers' requests to join them, and reps' opt-out

Revision ID: a3c9e1d7b215
Revises: a3f9c2d41b77
Create Date: 2026-12-01 19:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a3c9e1d7b215'
down_revision: str | None = 'a3f9c2d41b77'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.add_column(sa.Column('ridealong_opt_out', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'upcoming_calls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('external_id', sa.String(length=255), nullable=False),
        sa.Column('rep_id', sa.Integer(), nullable=False),
        sa.Column('account', sa.String(length=255), nullable=False),
        sa.Column('deal_stage', sa.String(length=255), nullable=True),
        sa.Column('segment', sa.String(length=255), nullable=True),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('meeting_url', sa.String(length=2000), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['rep_id'], ['people.id'], name=op.f('fk_upcoming_calls_rep_id_people'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['team_id'], ['workspaces.team_id'], name=op.f('fk_upcoming_calls_team_id_workspaces'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_upcoming_calls')),
        sa.UniqueConstraint('team_id', 'external_id', name=op.f('uq_upcoming_calls_team_id_external_id')),
    )
    op.create_index(
        op.f('ix_upcoming_calls_team_id_starts_at'), 'upcoming_calls', ['team_id', 'starts_at'], unique=False
    )
    op.create_table(
        'ridealongs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('call_id', sa.Integer(), nullable=False),
        sa.Column('marketer_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('request_channel_id', sa.String(length=32), nullable=True),
        sa.Column('request_ts', sa.String(length=32), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('learned', sa.Text(), nullable=True),
        sa.Column('learned_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['call_id'], ['upcoming_calls.id'], name=op.f('fk_ridealongs_call_id_upcoming_calls'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['marketer_id'], ['people.id'], name=op.f('fk_ridealongs_marketer_id_people'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['team_id'], ['workspaces.team_id'], name=op.f('fk_ridealongs_team_id_workspaces'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ridealongs')),
        sa.UniqueConstraint('call_id', 'marketer_id', name=op.f('uq_ridealongs_call_id_marketer_id')),
    )
    op.create_index(
        op.f('ix_ridealongs_team_id_state_learned_at'), 'ridealongs', ['team_id', 'state', 'learned_at'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_ridealongs_team_id_state_learned_at'), table_name='ridealongs')
    op.drop_table('ridealongs')
    op.drop_index(op.f('ix_upcoming_calls_team_id_starts_at'), table_name='upcoming_calls')
    op.drop_table('upcoming_calls')
    with op.batch_alter_table('people') as batch:
        batch.drop_column('ridealong_opt_out')
