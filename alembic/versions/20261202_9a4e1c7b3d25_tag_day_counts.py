"""tag_day_counts: tags counted per UTC day, kind, label, stage and outcome, kept by triggers on tags

Revision ID: 9a4e1c7b3d25
Revises: f1c3b5d7e902
Create Date: 2026-12-02 02:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9a4e1c7b3d25"
down_revision: str | None = "f1c3b5d7e902"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "team_id, day, kind, label, stage, outcome"
ORDER = 'team_id COLLATE "C", day, kind COLLATE "C", label COLLATE "C", stage COLLATE "C", outcome COLLATE "C"'

# PostgreSQL: one statement-level trigger function for the three writes. Each write's rows are counted per key
# first, then one upsert per key in key order, text compared by code point (COLLATE "C", the order in which
# storage.repositories.tags sorts the rows it inserts one statement each): two transactions lock the rows they
# share in the same order, so one waits for the other instead of deadlocking. An update that leaves every key as
# it was writes nothing.
PG_ROWS = (
    "SELECT team_id, (created_at AT TIME ZONE 'UTC')::date AS day, kind, label, coalesce(stage, '') AS stage, "
    "coalesce(outcome, '') AS outcome, {sign} AS n FROM {table}"
)
PG_UPSERT = (
    f"INSERT INTO tag_day_counts ({KEY}, n) SELECT {KEY}, sum(n) FROM ({{rows}}) AS changed "
    f"GROUP BY {KEY} HAVING sum(n) <> 0 ORDER BY {ORDER} "
    f"ON CONFLICT ({KEY}) DO UPDATE SET n = tag_day_counts.n + excluded.n"
)
PG_FUNCTION = f"""
CREATE FUNCTION tag_day_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {PG_UPSERT.format(rows=PG_ROWS.format(sign=1, table="new_rows"))};
    ELSIF TG_OP = 'DELETE' THEN
        {PG_UPSERT.format(rows=PG_ROWS.format(sign=-1, table="old_rows"))};
    ELSE
        {PG_UPSERT.format(rows=PG_ROWS.format(sign=-1, table="old_rows") + " UNION ALL " + PG_ROWS.format(sign=1, table="new_rows"))};
    END IF;
    RETURN NULL;
END
$$
"""
PG_TRIGGERS = (
    "CREATE TRIGGER tags_counted_insert AFTER INSERT ON tags REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION tag_day_counts_follow()",
    "CREATE TRIGGER tags_counted_delete AFTER DELETE ON tags REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION tag_day_counts_follow()",
    "CREATE TRIGGER tags_counted_update AFTER UPDATE ON tags REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION tag_day_counts_follow()",
)


def _sqlite_upsert(row: str, sign: str) -> str:
    return (
        f"INSERT INTO tag_day_counts ({KEY}, n) VALUES ({row}.team_id, date({row}.created_at), {row}.kind, "
        f"{row}.label, coalesce({row}.stage, ''), coalesce({row}.outcome, ''), {sign}1) "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = n {sign} 1;"
    )


# SQLite: row-level triggers (SQLite has no other kind); foreign-key cascades fire them too.
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER tags_counted_insert AFTER INSERT ON tags BEGIN {_sqlite_upsert('NEW', '+')} END",
    f"CREATE TRIGGER tags_counted_delete AFTER DELETE ON tags BEGIN {_sqlite_upsert('OLD', '-')} END",
    "CREATE TRIGGER tags_counted_update AFTER UPDATE OF team_id, created_at, kind, label, stage, outcome ON tags "
    f"BEGIN {_sqlite_upsert('OLD', '-')} {_sqlite_upsert('NEW', '+')} END",
)


def upgrade() -> None:
    op.create_table(
        "tag_day_counts",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_tag_day_counts_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "day", "kind", "label", "stage", "outcome", name=op.f("pk_tag_day_counts")),
        sqlite_with_rowid=False,
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    day = "(created_at AT TIME ZONE 'UTC')::date" if postgres else "date(created_at)"
    op.execute(
        f"INSERT INTO tag_day_counts ({KEY}, n) "
        f"SELECT team_id, {day}, kind, label, coalesce(stage, ''), coalesce(outcome, ''), count(*) FROM tags "
        "GROUP BY 1, 2, 3, 4, 5, 6"
    )
    if postgres:
        op.execute(PG_FUNCTION)
    for trigger in PG_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    for name in ("tags_counted_insert", "tags_counted_delete", "tags_counted_update"):
        op.execute(
            f"DROP TRIGGER {name} ON tags" if op.get_bind().dialect.name == "postgresql" else f"DROP TRIGGER {name}"
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION tag_day_counts_follow()")
    op.drop_table("tag_day_counts")
