"""No Slack call inside a database transaction: on SQLite one writer locks the whole file, so a Slack call that
waits (a 429 with Retry-After) inside a transaction would stall every other request. Reads take no write lock."""

from __future__ import annotations

import threading

from sqlalchemy import text

from bot import ids
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.feedback import notes_in
from tests.support.waiting import wait_until

RETRY_AFTER = 10  # long beside the second request: it must not wait for it


def _profile_reads(fake: FakeSlack, user: str) -> int:
    return len([c for c in fake.calls_to("users.info") if c.params.get("user") == user])


def test_a_rate_limited_slack_call_after_one_note_does_not_stall_the_next(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    # After UREP1's note is stored, its rep's profile is read from Slack, which answers 429, Retry-After 10 s.
    fake_slack.fail_next("users.info", status=429, retry_after=RETRY_AFTER)
    first = slack.command(ids.CMD_FEEDBACK, "Acme: pricing", user_id="UREP1", response_url=fake_slack.response_url())
    assert first.status_code == 200
    wait_until(lambda: _profile_reads(fake_slack, "UREP1") == 1)  # the client now waits out the Retry-After
    second = slack.command(
        ids.CMD_FEEDBACK, "Globex: no budget", user_id="UREP2", response_url=fake_slack.response_url()
    )
    assert second.status_code == 200
    # UREP2's note was stored and acked while UREP1's profile read was still waiting for Slack.
    assert _profile_reads(fake_slack, "UREP1") == 1
    assert sorted(n.account or "" for n in notes_in(served)) == ["Acme", "Globex"]
    wait_until(lambda: _profile_reads(fake_slack, "UREP1") == 2, timeout=RETRY_AFTER + 30)


def test_reads_take_no_write_lock(served: ServedApp) -> None:
    factory = served.runtime.session_factory
    with factory.begin() as writer:
        writer.execute(text("UPDATE workspaces SET name = name"))  # holds SQLite's write lock until the end
        done = threading.Event()

        def read() -> None:
            with factory() as reader:
                reader.execute(text("SELECT count(*) FROM notes")).scalar()
            done.set()

        threading.Thread(target=read, daemon=True).start()
        assert done.wait(10), "a read waited for the writer"
