"""`fieldnotes doctor` says what is wrong and how to fix it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet

from bot.cli import cli
from bot.settings import get_settings
from storage import migrations
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    with FakeSlack() as fake:
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'd.db'}")
        monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
        monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
        monkeypatch.setenv("SLACK_API_URL", fake.url)
        monkeypatch.setenv("FIELDNOTES_WEBHOOK_SECRET", "s")
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
