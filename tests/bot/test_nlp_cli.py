"""`fieldnotes nlp train --team`: the workspace's own model is saved and then used for its notes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.cli.nlp_commands import nlp_group
from bot.services import corrections, workspace_models
from bot.services import notes as note_service
from bot.services.workspaces import config_for, ensure_workspace
from storage import migrations
from storage.db import make_engine, make_session_factory
from storage.repositories import workspaces

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


def test_training_for_a_workspace_makes_every_process_use_that_model(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(db)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        ensure_workspace(session, TEAM, now=datetime(2026, 11, 27, tzinfo=UTC))
        assert config_for(session, TEAM).nlp_model is None  # the shipped model until trained
    args = ["train", "--team", TEAM, "--data", str(_small_data(tmp_path)), "--iterations", "2"]
    result = CliRunner().invoke(nlp_group, args)
    assert result.exit_code == 0, result.output
    assert f"workspace {TEAM} now tags new notes with db:1, stored in the database" in result.output
    shutil.rmtree(tmp_path / "models" / TEAM)  # the disk of the machine that trained it is not needed

    # Another process, on another machine as far as it can tell (an empty temporary directory), tags with it.
    other_tmp = tmp_path / "elsewhere"
    other_tmp.mkdir()
    env = {"PATH": os.environ.get("PATH", ""), "TMPDIR": str(other_tmp)}
    done = subprocess.run(
        [sys.executable, "-c", _TAG_ELSEWHERE, db, TEAM], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    seen = json.loads(done.stdout.splitlines()[-1])
    [unpacked] = (other_tmp / "fieldnotes-models" / TEAM).glob("1-*")
    assert seen["model"] == seen["source"] == str(unpacked)
    assert (unpacked / "meta.json").is_file()
    assert "pricing" in seen["themes"]

    # A newer model replaces it on the next note, without a restart.
    assert CliRunner().invoke(nlp_group, args).exit_code == 0
    monkeypatch.setattr(workspace_models, "cache_root", lambda: tmp_path / "here")
    with factory() as session:
        newer = Path(note_service.tagging_input(session, TEAM, []).model or "")
    assert newer.parent == tmp_path / "here" / TEAM and newer.name.startswith("2-")
    doctor = CliRunner().invoke(cli, ["doctor"]).output
    assert f"ok   workspace {TEAM} model db:2 loads from {newer}" in doctor
    with factory.begin() as session:
        workspaces.set_nlp_model(session, TEAM, "db:99")
    doctor = CliRunner().invoke(cli, ["doctor"]).output
    assert f"FAIL workspace {TEAM} model db:99 is missing: its notes are tagged with the shipped model" in doctor
    assert f"fix: retrain it: `fieldnotes nlp train --team {TEAM}`" in doctor
    engine.dispose()


_TAG_ELSEWHERE = """
import json, sys
from bot.runtime import make_runtime
from bot.services import notes as note_service
from bot.settings import load_settings
from nlp import get_tagger

runtime = make_runtime(load_settings(_env_file=None, database_url=sys.argv[1]))
with runtime.session_factory() as session:
    model = note_service.tagging_input(session, sys.argv[2], []).model
tagger = get_tagger(model)
themes = [t.label for t in tagger.tag("the price is far too high, pricing killed it") if t.kind == "theme"]
print(json.dumps({"model": model, "source": tagger.source, "themes": themes}))
"""


def test_training_for_an_unknown_workspace_says_the_model_is_not_in_use(db: str, tmp_path: Path) -> None:
    args = ["train", "--team", "T9999", "--data", str(_small_data(tmp_path)), "--iterations", "2"]
    result = CliRunner().invoke(nlp_group, args)
    assert result.exit_code == 0, result.output
    assert "no workspace T9999 in the database: the model is saved but not in use" in result.output


CORRECTED = [
    ("cfo choked on the number, way over what they budgeted", {"theme": ["pricing"], "objection": ["too expensive"]}),
    ("moved the call to thursday", {}),
    ("they need sso before anything else", {"theme": ["security and compliance"]}),
    ("reps find the ui clunky", {"theme": ["usability"]}),
    ("happy with gong, no reason to switch", {"objection": ["happy with current tool"], "competitor": ["Gong"]}),
    ("legal signed the msa as is", {}),
    ("dashboards are missing the region cut", {"theme": ["reporting and analytics"]}),
    ("come back after the reorg in q3", {"objection": ["bad timing"]}),
    ("support took a week to answer", {"theme": ["support"]}),
    ("nothing left in the budget this year", {"theme": ["pricing"], "objection": ["no budget"]}),
    ("great call, sending the order form", {}),
    ("needs the board to sign off", {"objection": ["needs approval"]}),
]


def _corrected_workspace(db: str) -> None:
    """A workspace whose reps wrote the notes above and fixed their tags."""
    engine = make_engine(db)
    factory = make_session_factory(engine)
    now = datetime(2026, 11, 27, tzinfo=UTC)
    with factory.begin() as session:
        ensure_workspace(session, TEAM, now=now)
        for i, (text, chosen) in enumerate(CORRECTED):
            draft = note_service.Draft(source="modal", dedupe_key=f"v{i}", answers={"said": text})
            note = note_service.create_note(session, TEAM, "U1", draft, now=now)
            corrections.fix_tags(session, TEAM, note.id, "U1", chosen, now=now)
    engine.dispose()


def test_eval_for_a_workspace_scores_its_corrected_notes(db: str) -> None:
    _corrected_workspace(db)
    result = CliRunner().invoke(nlp_group, ["eval", "--team", TEAM, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{") :])
    # a note whose tags were all removed keeps no human tag, so it is not among the corrected notes
    assert report["examples"] == sum(1 for _, chosen in CORRECTED if chosen) == 9
    assert {s["label"] for s in report["groups"]["objection"]["labels"] if s["support"]} >= {"bad timing", "no budget"}


def test_eval_for_a_workspace_says_what_is_missing(db: str) -> None:
    result = CliRunner().invoke(nlp_group, ["eval", "--team", "T9999"])
    assert result.exit_code != 0
    assert "no workspace T9999" in result.output
    result = CliRunner().invoke(nlp_group, ["eval"])
    assert result.exit_code != 0
    assert "either --data" in result.output


def test_training_for_a_workspace_prints_before_and_after_on_held_out_notes(db: str, tmp_path: Path) -> None:
    _corrected_workspace(db)
    args = ["train", "--team", TEAM, "--data", str(_small_data(tmp_path)), "--iterations", "2"]
    result = CliRunner().invoke(nlp_group, args)
    assert result.exit_code == 0, result.output
    assert "7 human-corrected notes from the database, 2 held out" in result.output
    assert "on 2 held-out corrected notes of T0001 (F1):" in result.output
    before = next(line for line in result.output.splitlines() if line.strip().startswith("before"))
    after = next(line for line in result.output.splitlines() if line.strip().startswith("after"))
    assert "themes" in before and "objections" in before and "competitors" in after
