"""The release step: `fieldnotes db upgrade` migrates under a PostgreSQL advisory lock, and `run` on PostgreSQL
does not migrate unless told to (a database behind the code stops it with one line)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import make_url, text

from bot.cli import cli
from storage import migrations
from storage.db import make_engine, normalise_url
from tests.conftest import PG_ENV
from tests.support.waiting import wait_until


@pytest.fixture
def empty_pg_url() -> Iterator[str]:
    """A database of its own, empty, next to the test database (named after it, so runs do not share it)."""
    if not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL only: set {PG_ENV} to a PostgreSQL database URL to run it")
    base = make_url(normalise_url(os.environ[PG_ENV]))
    name = f"{base.database}_release"
    # No statement timeout: CREATE and DROP DATABASE wait for a checkpoint, which takes its time on a busy server.
    admin = make_engine(
        base.render_as_string(hide_password=False), statement_timeout_ms=None, isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()


def test_upgrade_waits_for_the_migration_lock(empty_pg_url: str) -> None:
    engine = make_engine(empty_pg_url)
    holder = engine.connect()
    holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": migrations.MIGRATION_LOCK_KEY})
    holder.commit()
    done = threading.Event()
    errors: list[BaseException] = []

    def release() -> None:
        try:
            migrations.upgrade(empty_pg_url)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            done.set()

    worker = threading.Thread(target=release, daemon=True)
    worker.start()
    waiting = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = :key")
    with engine.connect() as conn:
        wait_until(
            lambda: conn.execute(waiting, {"key": migrations.MIGRATION_LOCK_KEY}).scalar_one() == 1 or done.is_set(),
            what="the upgrade queued on the advisory lock",
        )
    assert not done.is_set() and migrations.current(engine) is None  # it waits: nothing migrated meanwhile
    holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": migrations.MIGRATION_LOCK_KEY})
    holder.close()
    worker.join(timeout=120)
    assert done.is_set() and not errors, errors
    assert migrations.current(engine) == migrations.head()
    engine.dispose()


def test_run_on_postgres_stops_on_a_database_behind_the_code(
    empty_pg_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from bot.settings import get_settings

    monkeypatch.chdir(str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", empty_pg_url)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")  # settings complete: the schema is what stops it
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["run", "--http", "--no-scheduler"])
        assert result.exit_code == 1
        assert result.output.strip() == "Error: the database has no schema yet: run `fieldnotes db upgrade` first"
        engine = make_engine(empty_pg_url)
        assert migrations.current(engine) is None  # run did not migrate
        engine.dispose()
    finally:
        get_settings.cache_clear()
