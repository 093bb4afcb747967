"""`/fieldnotes export` (CSV in the admin's DM, rows matching the database) and the nightly retention job."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from storage.models import Note, NoteAnswer, Tag
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.admin import add_note, answer, run, send

TEAM = "T0001"


@pytest.fixture(autouse=True)
def _workspace(slack: SlackSender, fake_slack: FakeSlack) -> None:
    """The app creates the workspace (defaults, FIELDNOTES_ADMINS) on its first request."""
    assert "/fieldnotes help" in run(slack, fake_slack, "help")


def test_export_sends_a_csv_matching_the_database(slack: SlackSender, fake_slack: FakeSlack, served: ServedApp) -> None:
    served.runtime.clock = lambda: datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    recent = add_note(
        served,
        "UREP1",
        'Pricing is <b>2x</b> Gong, "ouch"\nnew line',
        tags=[("theme", "pricing"), ("competitor", "Gong")],
    )
    old = add_note(
        served, "UREP2", "Security review took months", days_ago=20, tags=[("objection", "security concern")]
    )
    add_note(served, "UREP2", "Ancient note", days_ago=200)

    acked, url_id = send(slack, fake_slack, "export 30d")
    assert acked == "Working on it…"
    assert "Sent you 2 notes" in answer(fake_slack, url_id)["text"]
    upload = fake_slack.file_named("fieldnotes-export-2026-11-25.csv")
    assert upload.channel_id == fake_slack.dm_channel_id("UADMIN")
    rows = list(csv.DictReader(io.StringIO(upload.text)))
    assert [int(r["id"]) for r in rows] == [old, recent]
    with served.runtime.session_factory() as session:
        for row in rows:
            note = session.get(Note, int(row["id"]))
            assert note is not None
            assert row["text"] == note.text and row["account"] == note.account and row["outcome"] == note.outcome
            assert row["created_at"] == note.created_at.isoformat()
            assert row["helped"] == "'" + (note.helped or "")  # a formula is defused
            answers = {
                a.question_key: a.value
                for a in session.scalars(select(NoteAnswer).where(NoteAnswer.note_id == note.id))
            }
            assert json.loads(row["answers"]) == answers
            tags = session.scalars(select(Tag).where(Tag.note_id == note.id)).all()
            for kind, column in (("theme", "themes"), ("objection", "objections"), ("competitor", "competitors")):
                assert set(filter(None, row[column].split("; "))) == {t.label for t in tags if t.kind == kind}
    assert rows[1]["author"] == "UREP1" and "theme:pricing=rule" in rows[1]["tag_sources"]

    acked, url_id = send(slack, fake_slack, "export all")
    assert "Sent you 3 notes" in answer(fake_slack, url_id)["text"]


def test_retention_deletes_old_notes_with_their_tags_and_answers(
    slack: SlackSender, fake_slack: FakeSlack, served: ServedApp
) -> None:
    now = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    served.runtime.clock = lambda: now
    keep = add_note(served, "UREP1", "Fresh", days_ago=10, tags=[("theme", "pricing")])
    add_note(served, "UREP1", "Stale", days_ago=31, tags=[("theme", "pricing")])
    served.tick(now)
    with served.runtime.session_factory() as session:
        assert session.scalar(select(func.count(Note.id))) == 2  # no retention set: nothing deleted
    assert "30 days" in run(slack, fake_slack, "settings retention 30")
    served.tick(now + timedelta(days=1))
    served.tick(now + timedelta(days=1, hours=1))  # once a day
    with served.runtime.session_factory() as session:
        assert list(session.scalars(select(Note.id))) == [keep]
        assert set(session.scalars(select(Tag.note_id))) == {keep}
        assert set(session.scalars(select(NoteAnswer.note_id))) == {keep}


def test_every_export_cell_is_defused(slack: SlackSender, fake_slack: FakeSlack, served: ServedApp) -> None:
    served.runtime.clock = lambda: datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    add_note(
        served,
        "UREP1",
        "+1 they asked us to call back",
        account="@SUM(1+1)",
        tags=[("theme", '=HYPERLINK("http://evil.example")'), ("objection", " -2+3"), ("competitor", "@Evil")],
        source="human",
    )
    _, url_id = send(slack, fake_slack, "export all")
    assert "Sent you 1 notes" in answer(fake_slack, url_id)["text"]
    rows = list(csv.reader(io.StringIO(fake_slack.file_named("fieldnotes-export-2026-11-25.csv").text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells and not [c for c in cells if c.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["themes"] == '\'=HYPERLINK("http://evil.example")' and row["account"] == "'@SUM(1+1)"
