"""app.yaml and the code agree: every command, shortcut and event in the manifest is handled, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import ids
from bot.app import BOT_SCOPES
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender

MANIFEST: dict[str, Any] = yaml.safe_load((Path(__file__).parent.parent / "app.yaml").read_text())


def _constants(prefix: str) -> set[str]:
    return {value for name, value in vars(ids).items() if name.startswith(prefix) and isinstance(value, str)}


def test_manifest_lists_exactly_the_commands_shortcuts_and_events_in_ids() -> None:
    features = MANIFEST["features"]
    assert {c["command"] for c in features["slash_commands"]} == _constants("CMD_")
    assert {s["callback_id"] for s in features["shortcuts"]} == _constants("SHORTCUT_")
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == _constants("EVENT_")


def test_manifest_scopes_are_the_apps() -> None:
    assert sorted(MANIFEST["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)


def test_commands_escape_mentions_and_urls_point_at_the_app() -> None:
    for command in MANIFEST["features"]["slash_commands"]:
        assert command["should_escape"] is True
        assert command["url"].endswith("/slack/events")
    assert MANIFEST["settings"]["interactivity"]["request_url"].endswith("/slack/events")
    assert MANIFEST["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_manifest_entry_has_a_listener(slack: SlackSender, fake_slack: FakeSlack) -> None:
    # Bolt answers 404 to a request no listener matched (raise_error_for_unhandled_request=False).
    for command in MANIFEST["features"]["slash_commands"]:
        response = slack.command(command["command"], "help", user_id="UREP1", response_url=fake_slack.response_url())
        assert response.status_code == 200, command["command"]
    for shortcut in MANIFEST["features"]["shortcuts"]:
        message = {"type": "message", "user": "UREP1", "ts": "1700000000.000100", "text": "they said it costs too much"}
        response = slack.message_shortcut(
            shortcut["callback_id"],
            user_id="UREP1",
            message=message,
            channel_id="C0001",
            response_url=fake_slack.response_url(),
        )
        assert response.status_code == 200, shortcut["callback_id"]
    for event in MANIFEST["settings"]["event_subscriptions"]["bot_events"]:
        payload: dict[str, Any] = {"type": event, "user": "UREP1", "event_ts": "1700000000.000200"}
        if event == ids.EVENT_MESSAGE_IM:  # the manifest's name; Slack sends type "message", channel_type "im"
            payload.update(type=ids.MESSAGE, channel="DREP1", channel_type="im", ts="1700000000.000200", text="help")
        if event == ids.EVENT_APP_HOME_OPENED:
            payload.update(tab="home", channel="D0001")
        if event == ids.EVENT_TOKENS_REVOKED:
            payload["tokens"] = {"bot": ["UBOT"]}
        response = slack.event(payload)
        assert response.status_code == 200, event


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_action_and_view_id_has_a_listener(slack: SlackSender, fake_slack: FakeSlack) -> None:
    # What the app renders must be handled: Bolt answers 404 (a warning sign in Slack) when nothing matches.
    for action_id in sorted(_constants("ACTION_")):
        response = slack.block_action(action_id, "{}", user_id="UREP1", response_url=fake_slack.response_url())
        assert response.status_code != 404, action_id
    for callback_id in sorted(_constants("VIEW_")):
        view = {"id": "V0TEST", "type": "modal", "callback_id": callback_id, "private_metadata": "{}"}
        response = slack.view_submission(view, {}, user_id="UREP1")
        assert response.status_code != 404, callback_id
