"""reviews: marketers' drafts put to reps, and the reps' ratings and comments

Revision ID: e4b6a9c2d817
Revises: 3b9d0e6c2a71
Create Date: 2026-12-01 20:25:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e4b6a9c2d817'
down_revision: str | None = '3b9d0e6c2a71'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'reviews',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('dedupe_key', sa.String(length=255), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('draft', sa.Text(), nullable=True),
        sa.Column('link', sa.String(length=2000), nullable=True),
        sa.Column('file_name', sa.String(length=255), nullable=True),
        sa.Column('file_url', sa.String(length=2000), nullable=True),
        sa.Column('channel_id', sa.String(length=32), nullable=True),
        sa.Column('message_ts', sa.String(length=32), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_reviews_author_id_people'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(
            ['team_id'], ['workspaces.team_id'], name=op.f('fk_reviews_team_id_workspaces'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
        sa.UniqueConstraint('team_id', 'dedupe_key', name=op.f('uq_reviews_team_id_dedupe_key')),
    )
    op.create_table(
        'review_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('rating', sa.Integer(), nullable=True),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['person_id'], ['people.id'], name=op.f('fk_review_requests_person_id_people'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['review_id'], ['reviews.id'], name=op.f('fk_review_requests_review_id_reviews'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['team_id'], ['workspaces.team_id'], name=op.f('fk_review_requests_team_id_workspaces'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_requests')),
        sa.UniqueConstraint('review_id', 'person_id', name=op.f('uq_review_requests_review_id_person_id')),
    )
    op.create_index(
        op.f('ix_review_requests_team_id_answered_at'), 'review_requests', ['team_id', 'answered_at'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_review_requests_team_id_answered_at'), table_name='review_requests')
    op.drop_table('review_requests')
    op.drop_table('reviews')
