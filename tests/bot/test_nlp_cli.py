"""`fieldnotes nlp train --team`: the workspace's own model is saved and then used for its notes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.nlp_commands import nlp_group
from bot.services import notes as note_service
from bot.services.workspaces import config_for, ensure_workspace
from storage import migrations
from storage.db import make_engine, make_session_factory

ROOT = Path(__file__).resolve().parents[2]
TEAM = "T0001"


@pytest.fixture
def db(cli_database: str) -> str:
    migrations.upgrade(cli_database)
    return cli_database


def _small_data(tmp_path: Path) -> Path:
    data = tmp_path / "t.jsonl"
    data.write_text("\n".join((ROOT / "nlp" / "data" / "train.jsonl").read_text().splitlines()[:60]) + "\n")
    return data


def test_training_for_a_workspace_makes_it_use_that_model(db: str, tmp_path: Path) -> None:
    engine = make_engine(db)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        ensure_workspace(session, TEAM, now=datetime(2026, 11, 27, tzinfo=UTC))
        assert config_for(session, TEAM).nlp_model is None  # the shipped model until trained
    args = ["train", "--team", TEAM, "--data", str(_small_data(tmp_path)), "--iterations", "2"]
    result = CliRunner().invoke(nlp_group, args)
    assert result.exit_code == 0, result.output
    model = (tmp_path / "models" / TEAM).resolve()
    assert (model / "meta.json").exists()
    assert f"workspace {TEAM} now tags new notes with {model}" in result.output
    with factory() as session:
        assert note_service.tagging_input(session, TEAM, []).model == str(model)  # no restart needed
    engine.dispose()


def test_training_for_an_unknown_workspace_says_the_model_is_not_in_use(db: str, tmp_path: Path) -> None:
    args = ["train", "--team", "T9999", "--data", str(_small_data(tmp_path)), "--iterations", "2"]
    result = CliRunner().invoke(nlp_group, args)
    assert result.exit_code == 0, result.output
    assert "no workspace T9999 in the database: the model is saved but not in use" in result.output
