"""tag_day_counts and note_day_counts: tags and notes counted per UTC day, kept by triggers on tags and notes

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

PG_DAY = "({}created_at AT TIME ZONE 'UTC')::date"
SQLITE_DAY = "date({}created_at)"
# (summary table, counted table, its key: (column, expression of the counted row, text compared));
# the counted row's columns are prefixed by `{}` (NEW. or OLD. in SQLite; nothing in PostgreSQL).
COUNTS = (
    (
        "tag_day_counts",
        "tags",
        (
            ("team_id", "{}team_id", True),
            ("day", "{day}", False),
            ("kind", "{}kind", True),
            ("label", "{}label", True),
            ("stage", "coalesce({}stage, '')", True),
            ("outcome", "coalesce({}outcome, '')", True),
        ),
    ),
    (
        "note_day_counts",
        "notes",
        (
            ("team_id", "{}team_id", True),
            ("day", "{day}", False),
            ("author_id", "{}author_id", False),
            ("outcome", "coalesce({}outcome, '')", True),
            ("stage", "coalesce({}stage, '')", True),
        ),
    ),
)


def _exprs(key: Sequence[tuple[str, str, bool]], prefix: str, day: str) -> list[str]:
    return [expr.replace("{day}", day.format(prefix)).format(prefix) for _, expr, _ in key]


# PostgreSQL: one statement-level trigger function per table for the three writes. Each write's rows are counted
# per key first, then one upsert per key in key order, text compared by code point (COLLATE "C", the order in
# which storage.repositories.tags sorts the rows it inserts one statement each): two transactions lock the rows
# they share in the same order, so one waits for the other instead of deadlocking. A write that leaves every key
# as it was (most updates) writes nothing.
def _pg_function(summary: str, key: Sequence[tuple[str, str, bool]]) -> str:
    names = ", ".join(name for name, _, _ in key)
    order = ", ".join(f'{name} COLLATE "C"' if text else name for name, _, text in key)
    exprs = _exprs(key, "", PG_DAY)
    rows = (
        "SELECT "
        + ", ".join(f"{e} AS {name}" for e, (name, _, _) in zip(exprs, key, strict=True))
        + ", {sign} AS n FROM {table}"
    )

    def upsert(changed: str) -> str:
        return (
            f"INSERT INTO {summary} ({names}, n) SELECT {names}, sum(n) FROM ({changed}) AS changed "
            f"GROUP BY {names} HAVING sum(n) <> 0 ORDER BY {order} "
            f"ON CONFLICT ({names}) DO UPDATE SET n = {summary}.n + excluded.n"
        )

    old, new = rows.format(sign=-1, table="old_rows"), rows.format(sign=1, table="new_rows")
    return f"""
CREATE FUNCTION {summary}_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {upsert(new)};
    ELSIF TG_OP = 'DELETE' THEN
        {upsert(old)};
    ELSE
        {upsert(old + " UNION ALL " + new)};
    END IF;
    RETURN NULL;
END
$$
"""


def _pg_triggers(summary: str, table: str) -> list[str]:
    run = f"FOR EACH STATEMENT EXECUTE FUNCTION {summary}_follow()"
    return [
        f"CREATE TRIGGER {table}_counted_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows {run}",
        f"CREATE TRIGGER {table}_counted_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows {run}",
        f"CREATE TRIGGER {table}_counted_update AFTER UPDATE ON {table} "
        f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {run}",
    ]


# SQLite: row-level triggers (SQLite has no other kind), an update's only when it writes a counted column;
# foreign-key cascades fire them too.
def _sqlite_triggers(summary: str, table: str, key: Sequence[tuple[str, str, bool]]) -> list[str]:
    names = ", ".join(name for name, _, _ in key)

    def upsert(row: str, sign: str) -> str:
        values = ", ".join(_exprs(key, f"{row}.", SQLITE_DAY))
        return f"INSERT INTO {summary} ({names}, n) VALUES ({values}, {sign}1) ON CONFLICT ({names}) DO UPDATE SET n = n {sign} 1;"

    columns = ", ".join(sorted({"created_at"} | {name for name, _, _ in key} - {"day"}))
    return [
        f"CREATE TRIGGER {table}_counted_insert AFTER INSERT ON {table} BEGIN {upsert('NEW', '+')} END",
        f"CREATE TRIGGER {table}_counted_delete AFTER DELETE ON {table} BEGIN {upsert('OLD', '-')} END",
        f"CREATE TRIGGER {table}_counted_update AFTER UPDATE OF {columns} ON {table} "
        f"BEGIN {upsert('OLD', '-')} {upsert('NEW', '+')} END",
    ]


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
    op.create_table(
        "note_day_counts",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("author_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["workspaces.team_id"], name=op.f("fk_note_day_counts_team_id_workspaces"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "day", "author_id", "outcome", "stage", name=op.f("pk_note_day_counts")),
        sqlite_with_rowid=False,
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for summary, table, key in COUNTS:
        names = ", ".join(name for name, _, _ in key)
        exprs = _exprs(key, "", PG_DAY if postgres else SQLITE_DAY)
        groups = ", ".join(str(i + 1) for i in range(len(key)))
        op.execute(
            f"INSERT INTO {summary} ({names}, n) SELECT {', '.join(exprs)}, count(*) FROM {table} GROUP BY {groups}"
        )
        if postgres:
            op.execute(_pg_function(summary, key))
        for trigger in _pg_triggers(summary, table) if postgres else _sqlite_triggers(summary, table, key):
            op.execute(trigger)
    # The digest's free-text answers (what would have helped, what helped) of a week: only the notes that have
    # one, without reading their text.
    op.create_index(
        "ix_notes_answered",
        "notes",
        ["team_id", "created_at", "helped", "worked"],
        unique=False,
        sqlite_where=sa.text("helped IS NOT NULL OR worked IS NOT NULL"),
        postgresql_where=sa.text("helped IS NOT NULL OR worked IS NOT NULL"),
    )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.drop_index("ix_notes_answered", table_name="notes")
    for summary, table, _key in COUNTS:
        for action in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER {table}_counted_{action}" + (f" ON {table}" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION {summary}_follow()")
        op.drop_table(summary)
