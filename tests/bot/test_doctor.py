"""`fieldnotes doctor` says what is wrong and how to fix it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet

from bot.app import BOT_SCOPES
from bot.cli import cli
from bot.crypto import sealer_for
from bot.services.webhook_secrets import current_secret
from bot.services.workspaces import ensure_workspace
from bot.settings import get_settings
from storage import migrations
from storage.db import make_engine, make_session_factory
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.fakes.slack_api import FakeSlack
from tests.fakes.socket_mode import FakeSocketMode


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    with FakeSlack() as fake:
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'd.db'}")
        monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
        monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
        monkeypatch.setenv("SLACK_API_URL", fake.url)
        monkeypatch.setenv("FIELDNOTES_WEBHOOK_SECRET", "s")
        fake.scopes = list(BOT_SCOPES)  # the app installed from app.yaml
        get_settings.cache_clear()
        yield fake
        get_settings.cache_clear()


def test_doctor_all_good(env: FakeSlack, tmp_path: Path) -> None:
    migrations.upgrade(f"sqlite:///{tmp_path / 'd.db'}")
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "all good" in result.output
    assert "team T0001" in result.output


def test_doctor_names_each_problem_and_its_fix(env: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    env.scopes = [s for s in env.scopes if s != "users:read.email"]
    monkeypatch.delenv("FIELDNOTES_WEBHOOK_SECRET")
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "signed with the workspace's own secret (`/fieldnotes webhook`) only" in result.output
    assert "run `fieldnotes db upgrade`" in result.output  # the database was never migrated
    assert "add users:read.email" in result.output
    assert "2 problem(s)" in result.output


def test_doctor_warns_when_secrets_are_not_encrypted(env: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(cli, ["doctor"])
    assert "warn FIELDNOTES_ENCRYPTION_KEY is not set" in result.output
    assert "Fernet.generate_key()" in result.output
    monkeypatch.setenv("FIELDNOTES_ENCRYPTION_KEY", Fernet.generate_key().decode())
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["doctor"])
    assert "ok   FIELDNOTES_ENCRYPTION_KEY is set" in result.output and "warn" not in result.output


def test_doctor_reports_a_bad_token(env: FakeSlack) -> None:
    env.fail_next("auth.test", status=200, error="invalid_auth")
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "invalid_auth" in result.output


def test_doctor_asks_for_groups_history(env: FakeSlack, tmp_path: Path) -> None:
    # Without it, whether a digest reached a private channel cannot be checked after an interrupted post.
    migrations.upgrade(f"sqlite:///{tmp_path / 'd.db'}")
    env.scopes = [s for s in env.scopes if s != "groups:history"]
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "add groups:history" in result.output


def test_doctor_wants_no_scope_the_app_does_not_use(env: FakeSlack, tmp_path: Path) -> None:
    migrations.upgrade(f"sqlite:///{tmp_path / 'd.db'}")
    assert "groups:history" in BOT_SCOPES and "team:read" not in BOT_SCOPES
    env.scopes = [*BOT_SCOPES, "team:read"]  # installed from an older manifest
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "FAIL no scope granted that the app does not use" in result.output
    assert "remove team:read from the app's scopes" in result.output


def test_doctor_checks_the_socket_mode_token(env: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    migrations.upgrade(f"sqlite:///{tmp_path / 'd.db'}")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xoxb-not-an-app-token")
    get_settings.cache_clear()
    assert "FAIL SLACK_APP_TOKEN is an app-level token" in CliRunner().invoke(cli, ["doctor"]).output
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-test")
    get_settings.cache_clear()
    env.fail_next("apps.connections.open", status=200, error="invalid_auth")
    refused = CliRunner().invoke(cli, ["doctor"])
    assert refused.exit_code == 1 and "FAIL Socket Mode: apps.connections.open: invalid_auth" in refused.output
    with FakeSocketMode(env):
        result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "ok   Socket Mode: the app-level token opens a connection" in result.output


def test_doctor_checks_the_oauth_settings(env: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    migrations.upgrade(f"sqlite:///{tmp_path / 'd.db'}")
    monkeypatch.setenv("SLACK_CLIENT_ID", "123.456")
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "FAIL OAuth settings: SLACK_CLIENT_SECRET is missing" in result.output
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "shh")
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["doctor"])
    assert "ok   OAuth mode: install at /slack/install" in result.output
    assert "/slack/oauth_redirect" in result.output
    assert "warn SLACK_BOT_TOKEN is ignored in OAuth mode" in result.output


def test_doctor_checks_stored_webhook_secrets_open_with_the_key(
    env: FakeSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    migrations.upgrade(url)
    key = Fernet.generate_key().decode()
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        ensure_workspace(session, "T0001", now=datetime(2026, 11, 27, tzinfo=UTC))
        current_secret(session, "T0001", now=datetime(2026, 11, 27, tzinfo=UTC), sealer=sealer_for(key))
    engine.dispose()
    monkeypatch.setenv("FIELDNOTES_ENCRYPTION_KEY", key)
    get_settings.cache_clear()
    assert "ok   stored webhook secrets: 1 readable" in CliRunner().invoke(cli, ["doctor"]).output
    monkeypatch.setenv("FIELDNOTES_ENCRYPTION_KEY", Fernet.generate_key().decode())  # the key was lost
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "FAIL stored webhook secrets: workspace T0001: A stored secret cannot be decrypted" in result.output
