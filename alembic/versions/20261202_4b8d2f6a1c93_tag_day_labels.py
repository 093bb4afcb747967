"""tag_day_labels: tags counted per UTC day, kind and label only, kept by triggers on tags

Revision ID: 4b8d2f6a1c93
Revises: 9a4e1c7b3d25
Create Date: 2026-12-02 02:15:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4b8d2f6a1c93"
down_revision: str | None = "9a4e1c7b3d25"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "team_id, day, kind, label"
ORDER = 'team_id COLLATE "C", day, kind COLLATE "C", label COLLATE "C"'
PG_ROWS = "SELECT team_id, (created_at AT TIME ZONE 'UTC')::date AS day, kind, label, {sign} AS n FROM {table}"


def _pg_upsert(changed: str) -> str:
    return (
        f"INSERT INTO tag_day_labels ({KEY}, n) SELECT {KEY}, sum(n) FROM ({changed}) AS changed "
        f"GROUP BY {KEY} HAVING sum(n) <> 0 ORDER BY {ORDER} "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = tag_day_labels.n + excluded.n"
    )


_OLD, _NEW = PG_ROWS.format(sign=-1, table="old_rows"), PG_ROWS.format(sign=1, table="new_rows")
# As tag_day_counts' (migration 9a4e1c7b3d25): per statement, keys upserted in one order. These triggers are named
# to sort before tag_day_counts' (PostgreSQL fires a table's triggers for one event in name order), so a writer
# locks a label's row here before any of its rows there: two writers cannot lock them in opposite orders.
PG_FUNCTION = f"""
CREATE FUNCTION tag_day_labels_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_pg_upsert(_NEW)};
    ELSIF TG_OP = 'DELETE' THEN
        {_pg_upsert(_OLD)};
    ELSE
        {_pg_upsert(_OLD + " UNION ALL " + _NEW)};
    END IF;
    RETURN NULL;
END
$$
"""
RUN = "FOR EACH STATEMENT EXECUTE FUNCTION tag_day_labels_follow()"
PG_TRIGGERS = (
    f"CREATE TRIGGER tags_counted_by_label_insert AFTER INSERT ON tags REFERENCING NEW TABLE AS new_rows {RUN}",
    f"CREATE TRIGGER tags_counted_by_label_delete AFTER DELETE ON tags REFERENCING OLD TABLE AS old_rows {RUN}",
    "CREATE TRIGGER tags_counted_by_label_update AFTER UPDATE ON tags "
    f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {RUN}",
)


def _sqlite_upsert(row: str, sign: str) -> str:
    return (
        f"INSERT INTO tag_day_labels ({KEY}, n) VALUES ({row}.team_id, date({row}.created_at), {row}.kind, "
        f"{row}.label, {sign}1) ON CONFLICT ({KEY}) DO UPDATE SET n = n {sign} 1;"
    )


SQLITE_TRIGGERS = (
    f"CREATE TRIGGER tags_counted_by_label_insert AFTER INSERT ON tags BEGIN {_sqlite_upsert('NEW', '+')} END",
    f"CREATE TRIGGER tags_counted_by_label_delete AFTER DELETE ON tags BEGIN {_sqlite_upsert('OLD', '-')} END",
    "CREATE TRIGGER tags_counted_by_label_update AFTER UPDATE OF team_id, created_at, kind, label ON tags "
    f"BEGIN {_sqlite_upsert('OLD', '-')} {_sqlite_upsert('NEW', '+')} END",
)


def upgrade() -> None:
    op.create_table(
        "tag_day_labels",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_tag_day_labels_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "day", "kind", "label", name=op.f("pk_tag_day_labels")),
        sqlite_with_rowid=False,
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    day = "(created_at AT TIME ZONE 'UTC')::date" if postgres else "date(created_at)"
    op.execute(
        f"INSERT INTO tag_day_labels ({KEY}, n) SELECT team_id, {day}, kind, label, count(*) FROM tags GROUP BY 1, 2, 3, 4"
    )
    if postgres:
        op.execute(PG_FUNCTION)
    for trigger in PG_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for action in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER tags_counted_by_label_{action}" + (" ON tags" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION tag_day_labels_follow()")
    op.drop_table("tag_day_labels")
