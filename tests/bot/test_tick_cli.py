"""`fieldnotes tick --at`: does what is due at that instant, once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import cli
from storage import migrations
from storage.db import make_engine, make_session_factory
from storage.models import Job


def test_tick_at_runs_due_work_once(cli_database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(cli, ["tick", "--at", "2026-11-30T09:00:00Z"])
    assert first.exit_code == 0, first.output
    assert "tick at 2026-11-30T09:00:00+00:00" in first.output
    assert "housekeeping.prune 1" in first.output
    again = runner.invoke(cli, ["tick", "--at", "2026-11-30T10:00:00Z"])
    assert "housekeeping.prune" not in again.output.split("retrying")[0]  # same day: planned once, done once
    with make_session_factory(make_engine(cli_database))() as session:
        keys = session.scalars(select(Job.key).where(Job.kind == "housekeeping.prune")).all()
    assert keys == ["housekeeping.prune:2026-11-30"]


def test_tick_rejects_a_bad_instant(cli_database: str) -> None:
    result = CliRunner().invoke(cli, ["tick", "--at", "next tuesday"])
    assert result.exit_code == 2
    assert "ISO 8601" in result.output


def test_db_commands_upgrade_report_and_downgrade(cli_database: str) -> None:
    runner = CliRunner()
    before = runner.invoke(cli, ["db", "current"])
    assert "none (empty database)" in before.output and "behind" in before.output
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    assert "up to date" in runner.invoke(cli, ["db", "current"]).output
    assert runner.invoke(cli, ["db", "downgrade", "base"]).exit_code == 0
    assert "none (empty database)" in runner.invoke(cli, ["db", "current"]).output


def test_db_commands_say_where_the_database_is_and_refuse_an_unknown_revision(cli_database: str) -> None:
    runner = CliRunner()
    up = runner.invoke(cli, ["db", "upgrade"])
    assert up.exit_code == 0 and up.output.strip() == f"database at {migrations.head()}"
    down = runner.invoke(cli, ["db", "downgrade", "-1"])
    assert down.exit_code == 0 and "database at -1" not in down.output
    for args in (["db", "upgrade", "nonsense"], ["db", "downgrade", "nonsense"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        assert "Can't locate revision identified by 'nonsense'" in result.output


def test_tick_and_preview_never_migrate_a_database_behind_the_code(cli_database: str) -> None:
    runner = CliRunner()
    for args in (["tick"], ["digest", "preview"], ["workspace", "list"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert result.output.strip().splitlines() == [
            "Error: the database has no schema yet: run `fieldnotes db upgrade` first"
        ]
    assert "none (empty database)" in runner.invoke(cli, ["db", "current"]).output
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(cli, ["db", "downgrade", "-1"]).exit_code == 0
    behind = runner.invoke(cli, ["tick"])
    assert behind.exit_code == 1
    assert "but this code needs" in behind.output and "run `fieldnotes db upgrade`" in behind.output
    assert "behind" in runner.invoke(cli, ["db", "current"]).output


def _fieldnotes(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`fieldnotes ...` as an operator runs it: its own process, only the settings given (no .env, no SLACK_*)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FIELDNOTES_", "DATABASE_URL", "PORT"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_database_behind_or_a_bad_setting_stops_a_command_with_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    behind = _fieldnotes(["tick"], tmp_path, DATABASE_URL=url)
    assert behind.returncode == 1
    assert (behind.stdout + behind.stderr).strip().splitlines() == [
        "Error: the database has no schema yet: run `fieldnotes db upgrade` first"
    ]
    bad = _fieldnotes(["tick"], tmp_path, DATABASE_URL=url, PORT="abc")
    assert bad.returncode == 1
    [line] = (bad.stdout + bad.stderr).strip().splitlines()
    assert line.startswith("Error: PORT is invalid") and "Fix it in the environment or in .env" in line


def test_run_without_slack_secrets_stops_with_one_line_before_migrating(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    result = _fieldnotes(["run", "--http", "--port", "3999"], tmp_path, DATABASE_URL=f"sqlite:///{db}")
    assert result.returncode == 1
    [line] = (result.stdout + result.stderr).strip().splitlines()
    assert line.startswith("Error: SLACK_SIGNING_SECRET is not set")
    no_token = _fieldnotes(["run"], tmp_path, DATABASE_URL=f"sqlite:///{db}", SLACK_SIGNING_SECRET="s")
    assert no_token.returncode == 1
    [line] = (no_token.stdout + no_token.stderr).strip().splitlines()
    assert line.startswith("Error: SLACK_BOT_TOKEN is not set")
    assert not db.exists()  # nothing was migrated for a server that could not start
