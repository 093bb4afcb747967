"""Shared fixtures: databases built by the migrations, the fake Slack, the real app served over HTTP.

Every test that takes `db_url` runs on SQLite, and on PostgreSQL when FIELDNOTES_TEST_DATABASE_URL is set
(otherwise that variant is skipped, and pytest's summary says why).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import uvicorn
from pydantic import SecretStr
from sqlalchemy import text

from bot.runtime import Runtime, make_runtime
from bot.settings import Settings, load_settings
from storage import migrations
from storage.db import make_engine, normalise_url
from storage.models import Base
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.tag_counts import assert_counts_match, has_counts_table
from tests.support.waiting import wait_until

SIGNING_SECRET = "test-signing-secret"
WEBHOOK_SECRET = "test-webhook-secret"
BOT_TOKEN = "xoxb-test-token"
ADMIN_ID = "UADMIN"
PG_ENV = "FIELDNOTES_TEST_DATABASE_URL"


def _pg_url() -> str | None:
    url = os.environ.get(PG_ENV)
    return normalise_url(url) if url else None


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test: migrating once keeps the suite fast."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrations.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _pg_migrated() -> str | None:
    url = _pg_url()
    if url is None:
        return None
    migrations.downgrade(url, "base")
    migrations.upgrade(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, _sqlite_template: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "fieldnotes.db"
        shutil.copy(_sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("_pg_migrated")
        if url is None:
            pytest.skip(f"PostgreSQL variant: set {PG_ENV} to a PostgreSQL database URL to run it")
        _truncate_all(url)
    yield url
    _check_tag_counts(url)


def _check_tag_counts(url: str) -> None:
    """After every test on a database, whatever wrote its tags (tagging, *Fix tags*, stage mapping, deletes,
    retention, the demo...): the weekly digest's tag_day_counts equals the tags recounted."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if has_counts_table(conn):  # a migration test may leave the database at an older revision
                assert_counts_match(conn)
    finally:
        engine.dispose()


def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """For commands run through click: an empty SQLite file named by DATABASE_URL, a fresh working directory
    (no `.env` to read), and settings read anew before and after."""
    from bot.settings import get_settings

    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 't.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user(ADMIN_ID, name="admin", real_name="Ada Admin", email="ada@example.com", tz="Europe/London")
        fake.add_user("UREP1", name="ana", real_name="Ana Rep", email="ana@example.com", tz="America/New_York")
        fake.add_user("UREP2", name="ben", real_name="Ben Rep", email="ben@example.com", tz="Europe/Berlin")
        fake.add_user("UMKT", name="mia", real_name="Mia Marketer", email="mia@example.com", tz="America/Chicago")
        fake.add_channel("CMKT", "marketing", members=["UMKT", fake.bot_user_id])
        fake.add_channel("C0001", "general", members=[ADMIN_ID, "UREP1", "UREP2", "UMKT", fake.bot_user_id])
        yield fake


def make_settings(db_url: str, slack_api_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "_env_file": None,
        "database_url": db_url,
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack_api_url,
        "fieldnotes_webhook_secret": WEBHOOK_SECRET,
        "fieldnotes_admins": ADMIN_ID,
        "fieldnotes_scheduler": "off",
    }
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def settings(db_url: str, fake_slack: FakeSlack) -> Settings:
    return make_settings(db_url, fake_slack.url)


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = make_runtime(settings)
    yield rt
    rt.engine.dispose()


class ServedApp:
    """The real app (Bolt + Starlette) served by uvicorn on a free port in a background thread."""

    def __init__(self, runtime: Runtime) -> None:
        from bot.app import create_app
        from bot.http.server import create_http_app

        self.runtime = runtime
        self.bolt = create_app(runtime)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_http_app(runtime, self.bolt), host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServedApp:
        self.thread.start()
        wait_until(lambda: self.server.started, what="the app started")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.drain()  # before the database goes away

    def drain(self) -> None:
        """Let every lazy listener and background batch finish (Bolt runs them on the runtime's pool): nothing
        posts after this."""
        self.runtime.executor.shutdown(wait=True)

    def tick(self, at: datetime) -> str:
        """`fieldnotes tick --at <at>`, the real command, with this app's settings as its environment (and no
        `.env` file to read): its output."""
        from click.testing import CliRunner

        from bot.cli import cli
        from bot.settings import get_settings

        env = {
            name.upper(): value.get_secret_value() if isinstance(value, SecretStr) else value
            for name, value in self.runtime.settings.model_dump().items()
        }
        runner = CliRunner()
        get_settings.cache_clear()
        try:
            with tempfile.TemporaryDirectory() as empty, contextlib.chdir(empty):
                result = runner.invoke(
                    cli,
                    ["tick", "--at", at.isoformat()],
                    env={k: None if v is None else str(v) for k, v in env.items()},
                )
        finally:
            get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        return result.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(runtime: Runtime) -> Iterator[ServedApp]:
    with ServedApp(runtime) as app:
        yield app


@pytest.fixture
def slack(served: ServedApp, fake_slack: FakeSlack) -> Iterator[SlackSender]:
    with SlackSender(served.url, SIGNING_SECRET, team_id=fake_slack.team_id) as sender:
        yield sender
