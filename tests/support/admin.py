"""`/fieldnotes` as an admin types it: send the command, read the answer (the ack, or the response_url's)."""

from __future__ import annotations

from typing import Any

from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender

__all__ = ["answer", "run", "send"]


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
