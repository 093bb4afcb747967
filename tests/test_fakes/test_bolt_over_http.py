"""A tiny real Bolt App served over HTTP (uvicorn + Starlette adapter), driven by SlackSender, talking to FakeSlack."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltRequest, Respond
from slack_sdk import WebClient

from tests.fakes import BoltServer, FakeSlack, SlackSender, plain_text_value, static_select_value
from tests.support.slack_client import BOT_TOKEN
from tests.support.waiting import wait_until

SECRET = "test-signing-secret"
NOTE_MODAL = {
    "type": "modal",
    "callback_id": "note_modal",
    "title": {"type": "plain_text", "text": "New note"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "note",
            "label": {"type": "plain_text", "text": "Note"},
            "element": {"type": "plain_text_input", "action_id": "text"},
        }
    ],
}


def build_app(fake: FakeSlack, seen: dict[str, Any]) -> App:
    app = App(
        signing_secret=SECRET,
        client=WebClient(token=BOT_TOKEN, base_url=fake.url),
        token_verification_enabled=False,
    )

    @app.command("/note")
    def handle_note_command(ack: Ack, respond: Respond, client: WebClient, command: dict[str, Any]) -> None:
        ack()
        respond(f"Saved: {command['text']}")
        client.chat_postMessage(channel=command["channel_id"], text=f"<@{command['user_id']}> noted something")

    @app.shortcut("new_note")
    def handle_new_note_shortcut(ack: Ack, client: WebClient, shortcut: dict[str, Any]) -> None:
        ack()
        client.views_open(trigger_id=shortcut["trigger_id"], view=NOTE_MODAL)

    @app.action("note_save")
    def handle_note_save(ack: Ack, respond: Respond, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        seen["action"], seen["action_body"] = action, body
        respond(replace_original=True, text=f"saved {action['value']}")

    @app.view("note_modal")
    def handle_note_submit(ack: Ack, view: dict[str, Any], client: WebClient, body: dict[str, Any]) -> None:
        text = view["state"]["values"]["note"]["text"]["value"] or ""
        if len(text) < 3:
            ack(response_action="errors", errors={"note": "Write at least 3 characters."})
            return
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text=f"Saved: {text}")

    @app.options("customer")
    def handle_customer_options(ack: Ack, payload: dict[str, Any]) -> None:
        ack(options=[{"text": {"type": "plain_text", "text": f"{payload['value']} Corp"}, "value": "c1"}])

    @app.event("app_home_opened")
    def handle_home_opened(client: WebClient, event: dict[str, Any]) -> None:
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    @app.event("app_mention")
    def handle_mention(request: BoltRequest, event: dict[str, Any], body: dict[str, Any]) -> None:
        seen.setdefault("mentions", []).append(
            (body["event_id"], request.headers.get("x-slack-retry-num", [None])[0], event["text"])
        )

    return app


@pytest.fixture
def seen() -> dict[str, Any]:
    return {}


@pytest.fixture
def sender(fake: FakeSlack, seen: dict[str, Any]) -> Iterator[SlackSender]:
    with BoltServer(build_app(fake, seen)) as server, SlackSender(server.url, SECRET) as sender:
        yield sender


def test_slash_command_responds_and_posts(fake: FakeSlack, sender: SlackSender) -> None:
    response = sender.command("/note", "met ACME", user_id="U0001", response_url=fake.response_url("cmd"))
    assert response.status_code == 200
    assert fake.wait_for_responses() == [("cmd", {"text": "Saved: met ACME"})]
    [post] = fake.wait_for_calls("chat.postMessage")
    assert post.params["text"] == "<@U0001> noted something"
    assert fake.messages("C0001")[-1]["text"] == "<@U0001> noted something"


def test_shortcut_opens_a_modal_with_its_trigger(fake: FakeSlack, sender: SlackSender) -> None:
    assert sender.global_shortcut("new_note", user_id="U0001").status_code == 200
    [call] = fake.wait_for_calls("views.open")
    assert call.params["trigger_id"] == sender.last_trigger_id
    assert call.params["view"]["callback_id"] == "note_modal"
    assert call.response["view"]["id"] in fake.views


def test_block_action_from_a_message(fake: FakeSlack, sender: SlackSender, seen: dict[str, Any]) -> None:
    message = fake.add_message("C0001", "draft", user=fake.bot_user_id)
    response = sender.block_action(
        "note_save", "n1", user_id="U0001", channel_id="C0001", message=message, response_url=fake.response_url()
    )
    assert response.status_code == 200
    [(_, body)] = fake.wait_for_responses()
    assert body == {"text": "saved n1", "replace_original": True}
    assert seen["action"]["action_ts"] == sender.last_action_ts
    assert seen["action_body"]["container"] == {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": "C0001",
        "is_ephemeral": False,
    }


def test_view_submission_can_answer_with_errors(fake: FakeSlack, sender: SlackSender) -> None:
    response = sender.view_submission(NOTE_MODAL, {"note": {"text": plain_text_value("hi")}}, user_id="U0001")
    assert response.status_code == 200
    assert response.json() == {"response_action": "errors", "errors": {"note": "Write at least 3 characters."}}
    assert fake.calls_to("chat.postMessage") == []


def test_view_submission_accepted(fake: FakeSlack, sender: SlackSender) -> None:
    response = sender.view_submission(
        NOTE_MODAL,
        {"note": {"text": plain_text_value("long enough")}, "x": {"y": static_select_value("a")}},
        user_id="U0001",
        private_metadata="n1",
    )
    assert response.status_code == 200 and response.text == ""
    [post] = fake.wait_for_calls("chat.postMessage")
    assert post.response["channel"] == fake.dm_channel_id("U0001")


def test_block_suggestion_returns_options(sender: SlackSender) -> None:
    response = sender.block_suggestion("customer", "Acme", user_id="U0001")
    assert response.json() == {"options": [{"text": {"type": "plain_text", "text": "Acme Corp"}, "value": "c1"}]}


def test_app_home_opened_publishes_a_home(fake: FakeSlack, sender: SlackSender) -> None:
    sender.app_home_opened("U0001", channel_id=fake.dm_channel_id("U0001"))
    fake.wait_for_calls("views.publish")
    assert fake.home_view("U0001") is not None


def test_events_carry_event_ids_and_retry_headers(sender: SlackSender, seen: dict[str, Any]) -> None:
    sender.app_mention("<@UBOT> hello", user_id="U0001", channel_id="C0001")
    first_id = sender.last_event_id
    sender.resend(retry_num=1)
    sender.with_options(retry_num=2).app_mention("<@UBOT> hello", user_id="U0001", event_id=first_id)
    wait_until(lambda: len(seen.get("mentions", [])) == 3)
    assert {m[0] for m in seen["mentions"]} == {first_id}
    assert {m[1] for m in seen["mentions"]} == {None, "1", "2"}


def test_url_verification_echoes_the_challenge(sender: SlackSender) -> None:
    response = sender.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


@pytest.mark.parametrize(
    "options",
    [{"sign": False}, {"timestamp": time.time() - 600}],
    ids=["unsigned", "stale"],
)
def test_bad_signatures_are_refused(fake: FakeSlack, sender: SlackSender, options: dict[str, Any]) -> None:
    response = sender.with_options(**options).command("/note", "x", user_id="U0001", response_url=fake.response_url())
    assert response.status_code == 401
    assert fake.calls_to("chat.postMessage") == []


def test_a_wrong_secret_is_refused(fake: FakeSlack, sender: SlackSender) -> None:
    with SlackSender(sender.url.removesuffix("/slack/events"), "wrong-secret") as intruder:
        response = intruder.command("/note", "x", user_id="U0001", response_url=fake.response_url())
    assert response.status_code == 401
