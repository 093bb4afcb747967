"""The schema comes only from Alembic: models and migrations agree, and every migration reverses."""

from __future__ import annotations

from sqlalchemy import inspect

from storage import migrations
from storage.db import make_engine
from storage.models import Base


def test_models_and_migrations_agree(db_url: str) -> None:
    # db_url is already migrated to head; `alembic check` fails on any difference.
    migrations.check(db_url)


def test_upgrade_downgrade_upgrade(db_url: str) -> None:
    engine = make_engine(db_url)
    assert migrations.current(engine) == migrations.head()
    migrations.downgrade(db_url, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrations.upgrade(db_url)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert migrations.current(engine) == migrations.head()
    engine.dispose()


def test_every_workspace_table_carries_team_id() -> None:
    shared = {"jobs", "slack_installations", "slack_bots", "slack_oauth_states", "slack_deliveries"}
    for name, table in Base.metadata.tables.items():
        if name not in shared:
            assert "team_id" in table.columns, f"{name} has no team_id"
