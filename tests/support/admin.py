"""`/fieldnotes` as an admin types it: send the command, read the answer (the ack, or the response_url's)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from storage.models import Note
from storage.repositories import notes, people
from storage.repositories.notes import AnswerIn, TagIn
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender

__all__ = ["add_note", "answer", "run", "send"]


def answer(fake: FakeSlack, url_id: str) -> dict[str, Any]:
    """The body the app posted to this response_url (waits for the lazy listener)."""
    for count in range(1, 200):
        mine = [b for uid, b in fake.wait_for_responses(count) if uid == url_id]
        if mine:
            assert mine[-1]["response_type"] == "ephemeral"
            return mine[-1]
    raise AssertionError("no answer")


def send(slack: SlackSender, fake: FakeSlack, text: str, user: str = "UADMIN") -> tuple[str | None, str]:
    """Send `/fieldnotes <text>`: (text of the ack, or None; the response_url id)."""
    url = fake.response_url()
    response = slack.command("/fieldnotes", text, user_id=user, response_url=url)
    assert response.status_code == 200, response.text
    acked = response.json().get("text") if response.content else None
    return acked, url.rsplit("/", 1)[1]


def run(slack: SlackSender, fake: FakeSlack, text: str, user: str = "UADMIN") -> str:
    """The answer to `/fieldnotes <text>`: from the ack body, or else the one posted to the response_url."""
    acked, url_id = send(slack, fake, text, user)
    if acked:
        return acked
    return str(answer(fake, url_id)["text"])


TEAM = "T0001"


def add_note(
    served: ServedApp,
    user_id: str,
    text: str,
    *,
    days_ago: float = 0,
    account: str | None = "Acme",
    tags: list[tuple[str, str]] = (),  # type: ignore[assignment]
    source: str = "rule",
) -> int:
    """A tagged note of a lost deal, `days_ago` before the app's clock, with answers an export must carry."""
    at = served.runtime.now() - timedelta(days=days_ago)
    with served.runtime.session_factory.begin() as session:
        author = people.ensure(session, TEAM, user_id)
        note, _ = notes.create_once(
            session,
            team_id=TEAM,
            author_id=author.id,
            source="modal",
            dedupe_key=None,
            text=text,
            now=at,
            account=account,
            outcome="lost",
            helped='=HYPERLINK("x")',
            answers=[AnswerIn("said", "What the customer said", text), AnswerIn("q7", "Champions", ["cfo", "cto"])],
        )
        notes.replace_tags(session, TEAM, note.id, [TagIn(kind, label, 0.9, source) for kind, label in tags])
        # As the tagger leaves it (else the notes.tag safety net would tag it again).
        session.get_one(Note, note.id).tagged_at = at
        return note.id
