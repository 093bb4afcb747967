"""FakeSocketMode with Bolt's SocketModeHandler (slack-sdk's built-in client), offline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, Say
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes import FakeSlack, FakeSocketMode
from tests.support.slack_client import BOT_TOKEN


@pytest.fixture(scope="module")
def sm_fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user("U0001", name="ana")
        fake.add_channel("C0001", "general", members=["U0001", fake.bot_user_id])
        yield fake


# Module-scoped: slack-sdk's built-in client takes about 3 s to close its worker threads.
@pytest.fixture(scope="module")
def _socket_mode(sm_fake: FakeSlack) -> Iterator[FakeSocketMode]:
    fake = sm_fake
    app = App(client=WebClient(token=BOT_TOKEN, base_url=fake.url), token_verification_enabled=False)

    @app.command("/note")
    def handle_note(ack: Ack, say: Say, command: dict[str, Any]) -> None:
        ack(f"Saved: {command['text']}")
        say("noted")

    @app.event("app_mention")
    def handle_mention(say: Say) -> None:
        say("hello")

    @app.shortcut("new_note")
    def handle_shortcut(ack: Ack, client: WebClient, shortcut: dict[str, Any]) -> None:
        ack()
        client.views_open(
            trigger_id=shortcut["trigger_id"],
            view={"type": "modal", "title": {"type": "plain_text", "text": "Note"}, "blocks": []},
        )

    with FakeSocketMode(fake) as server:
        handler = SocketModeHandler(app, app_token="xapp-1-A0001-test")
        handler.connect()
        server.wait_for_connection()
        yield server
        handler.close()


@pytest.fixture
def socket_mode(_socket_mode: FakeSocketMode, sm_fake: FakeSlack) -> FakeSocketMode:
    sm_fake.reset_calls()
    return _socket_mode


def test_the_client_connects_to_the_url_apps_connections_open_hands_out(_socket_mode: FakeSocketMode) -> None:
    assert _socket_mode.connection_count == 1
    assert _socket_mode.connection_paths == ["/link/?ticket=fake-ticket&app_id=A0001"]


def test_slash_command_is_acked_with_its_response_payload(sm_fake: FakeSlack, socket_mode: FakeSocketMode) -> None:
    envelope_id = socket_mode.push_command("/note", "hi", user_id="U0001", response_url=sm_fake.response_url())
    assert socket_mode.wait_for_ack(envelope_id) == {"envelope_id": envelope_id, "payload": {"text": "Saved: hi"}}
    assert sm_fake.wait_for_calls("chat.postMessage")[0].params["text"] == "noted"


def test_events_and_shortcuts(sm_fake: FakeSlack, socket_mode: FakeSocketMode) -> None:
    event_id = socket_mode.push_event(
        {
            "type": "app_mention",
            "user": "U0001",
            "text": "<@UBOT> hi",
            "channel": "C0001",
            "ts": "1.2",
            "event_ts": "1.2",
        }
    )
    assert socket_mode.wait_for_ack(event_id) == {"envelope_id": event_id}
    sm_fake.wait_for_calls("chat.postMessage")
    shortcut_id = socket_mode.push_shortcut("new_note", user_id="U0001")
    socket_mode.wait_for_ack(shortcut_id)
    sm_fake.wait_for_calls("views.open")
    assert {event_id, shortcut_id} <= {ack["envelope_id"] for ack in socket_mode.acks}


def test_apps_connections_open_needs_an_app_token(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        WebClient(token=BOT_TOKEN, base_url=fake.url).apps_connections_open(app_token=BOT_TOKEN)
    assert excinfo.value.response["error"] == "not_allowed_token_type"
