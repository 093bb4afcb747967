"""`/fieldnotes` asks Slack what it needs (profiles, channels) before its transaction, never inside it: one
writer locks a whole SQLite file, and a Slack call that waits out a 429 there would stall every other request."""

from __future__ import annotations

import pytest

from bot.blocks.admin import build_digest_modal
from tests.conftest import ServedApp
from tests.fakes import conversation_value, plain_text_value, static_select_value
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.admin import run
from tests.support.transactions import SlackCallsInTransactions

SLACK_READS = {"users.info", "conversations.info", "conversations.join"}


@pytest.fixture
def watched(served: ServedApp, fake_slack: FakeSlack, slack: SlackSender) -> SlackCallsInTransactions:
    assert "/fieldnotes help" in run(slack, fake_slack, "help")  # the workspace exists before we watch
    return SlackCallsInTransactions(served.runtime.engine, fake_slack)


def test_commands_that_need_slack_ask_it_before_their_transaction(
    watched: SlackCallsInTransactions, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    # A Slack workspace owner (not yet a Field Notes admin: Slack is asked), a public channel to join,
    # people to look up, a preview (guests may not see it), `me` without a stored time zone.
    fake_slack.add_user("UOWNER", name="olga", email="olga@example.com", tz="UTC", is_owner=True)
    fake_slack.add_channel("CPUB", "sales-wins", members=["UREP1"])
    assert "Scheduled digest" in run(slack, fake_slack, "digests add <#CPUB|sales-wins>", user="UOWNER")
    assert "Added to reps" in run(slack, fake_slack, "reps add <@UREP1|ana> <@UREP2|ben>")
    assert "Digest preview" in run(slack, fake_slack, "digest preview", user="UREP1")
    assert "logged any feedback" in run(slack, fake_slack, "me", user="UMKT")
    assert "can't find" in run(slack, fake_slack, "marketers add <@UGONE>")

    called = watched.methods()
    assert {"users.info", "conversations.info", "conversations.join"} <= set(called)
    assert [m for m in watched.inside() if m in SLACK_READS] == []


def test_a_digest_added_from_the_app_home_modal_checks_the_channel_before_its_transaction(
    watched: SlackCallsInTransactions, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    values = {
        "channel": {"channel": conversation_value("CMKT")},
        "weekday": {"weekday": static_select_value("1")},
        "time": {"time": {"type": "timepicker", "selected_time": "10:30"}},
        "tz": {"tz": plain_text_value("Europe/Berlin")},
    }
    response = slack.view_submission(build_digest_modal("UTC"), values, user_id="UADMIN")
    assert response.status_code == 200 and b"errors" not in response.content
    assert "conversations.info" in watched.methods()
    assert [m for m in watched.inside() if m in SLACK_READS] == []
