"""`fieldnotes demo` end to end, then `fieldnotes digest preview` on the database it made."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli import cli
from bot.settings import get_settings
from storage.db import make_engine, make_session_factory
from storage.models import Note, Prompt, Tag


@pytest.fixture
def clean_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.slow
def test_demo_makes_the_four_outputs_then_preview_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_settings: None
) -> None:
    users_db = tmp_path / "users.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{users_db}")
    out = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert not users_db.exists()  # the user's DATABASE_URL is never touched
    assert "Field Notes digest · " in result.output and "[Reply to reps] [Ask reps]" in result.output
    message = json.loads((out / "digest.json").read_text())
    assert 10 < len(message["blocks"]) <= 50
    assert (out / "digest.html").read_text().startswith("<!doctype html>")
    assert (out / "themes.png").read_bytes().startswith(b"\x89PNG")
    assert (out / "stages.png").read_bytes().startswith(b"\x89PNG")  # the stage heatmap
    assert "Where it comes up" in result.output and "Why we win" in result.output
    # Learning together: ride-alongs held and what marketing learned, reviews answered, the glossary.
    assert "marketing joined 3 calls with reps (ride-alongs)" in result.output
    assert "SOC 2 report" in result.output and "reps answered 3 times on 1 of marketing's draft" in result.output
    assert "2 upcoming to join" in result.output and "Glossary: pricing = What it costs" in result.output

    engine = make_engine(f"sqlite:///{out / 'fieldnotes-demo.db'}")
    with make_session_factory(engine)() as session:
        notes = session.scalar(select(func.count(Note.id))) or 0
        assert 600 < notes < 1500
        assert (session.scalar(select(func.count(func.distinct(Note.text)))) or 0) >= 0.98 * notes  # varied
        assert session.scalar(select(func.count(func.distinct(Note.account)))) >= 25
        assert (session.scalar(select(func.count(Tag.id))) or 0) > notes
        assert (session.scalar(select(func.count(Prompt.id))) or 0) > notes
    engine.dispose()
    text = json.dumps(message)
    assert "*Gong*" in text and "spike" in text  # the competitor spike of the latest week is called out
    assert "*pricing*" in text

    # The same database through the ordinary settings: the preview prints without posting.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{out / 'fieldnotes-demo.db'}")
    get_settings.cache_clear()
    week = message["blocks"][0]["text"]["text"]
    shown = CliRunner().invoke(cli, ["digest", "preview", "--format", "text"], catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    assert week in shown.output
    as_json = CliRunner().invoke(cli, ["digest", "preview", "--format", "json", "--team", "TDEMO"])
    assert json.loads(as_json.output)["blocks"][0]["text"]["text"] == week
    as_html = CliRunner().invoke(cli, ["digest", "preview", "--format", "html", "--week", "2026-W01"])
    assert as_html.exit_code == 0 and "No feedback was logged this week" in as_html.output
    by_stage = CliRunner().invoke(cli, ["digest", "preview", "--by", "stage"], catch_exceptions=False)
    headers = [line for line in by_stage.output.splitlines() if line.startswith("======== stage: ")]
    assert headers[:2] == ["======== stage: prospecting ========", "======== stage: discovery ========"]
    by_segment = CliRunner().invoke(cli, ["digest", "preview", "--by", "segment", "--format", "json"])
    assert {part["segment"] for part in json.loads(by_segment.output)} == {"Enterprise", "Mid-market", "SMB"}
    bad = CliRunner().invoke(cli, ["digest", "preview", "--week", "soon"])
    assert bad.exit_code != 0 and "ISO week" in bad.output
