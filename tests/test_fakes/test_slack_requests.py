"""SlackSender's requests: signatures Slack's own verifier accepts, and payloads Bolt recognises."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from slack_bolt.request.payload_utils import (
    is_action,
    is_block_actions,
    is_event,
    is_message_shortcut,
    is_options,
    is_shortcut,
    is_slash_command,
    is_view_closed,
    is_view_submission,
    to_action,
    to_command,
    to_event,
    to_view,
)
from slack_sdk.signature import SignatureVerifier

from tests.fakes import SlackSender, checkboxes_value, date_value, plain_text_value, sign

SECRET = "test-signing-secret"


class Captured:
    """An httpx transport that keeps each request and answers 200."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def body(self) -> dict[str, Any]:
        """The request body parsed as Bolt does: JSON, a `payload=` form, or command form fields."""
        raw = self.last.content.decode()
        if self.last.headers["content-type"] == "application/json":
            return dict(json.loads(raw))
        form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        return dict(json.loads(form["payload"])) if "payload" in form else form


@pytest.fixture
def captured() -> Captured:
    return Captured()


@pytest.fixture
def sender(captured: Captured) -> SlackSender:
    client = httpx.Client(transport=httpx.MockTransport(captured))
    return SlackSender("http://app.test/", SECRET, client=client)


def test_sign_matches_slack_sdks_verifier() -> None:
    body = b"token=x&text=hi"
    headers = sign(body, SECRET)
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid(body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
    assert sign(body, SECRET, 1_700_000_000)["X-Slack-Request-Timestamp"] == "1700000000"


def test_requests_go_to_slack_events_signed(sender: SlackSender, captured: Captured) -> None:
    sender.command("/note", "hi", user_id="U0001", response_url="http://fake/response/1")
    request = captured.last
    assert str(request.url) == "http://app.test/slack/events"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert SignatureVerifier(SECRET).is_valid(
        request.content, request.headers["x-slack-request-timestamp"], request.headers["x-slack-signature"]
    )
    assert "x-slack-retry-num" not in request.headers


def test_options_change_headers_only_for_the_copy(sender: SlackSender, captured: Captured) -> None:
    stale = time.time() - 600
    sender.with_options(retry_num=2, timestamp=stale).url_verification("c")
    assert captured.last.headers["x-slack-retry-num"] == "2"
    assert captured.last.headers["x-slack-retry-reason"] == "http_timeout"
    assert captured.last.headers["x-slack-request-timestamp"] == str(int(stale))
    sender.with_options(sign=False).url_verification("c")
    assert "x-slack-signature" not in captured.last.headers
    sender.url_verification("c")
    assert "x-slack-retry-num" not in captured.last.headers and "x-slack-signature" in captured.last.headers


def test_command_has_every_field_slack_sends(sender: SlackSender, captured: Captured) -> None:
    sender.command("/note", "met <@U0002|mia>", user_id="U0001", channel_id="D0001", response_url="http://r")
    fields = captured.body()
    assert set(fields) == {
        "token",
        "team_id",
        "team_domain",
        "channel_id",
        "channel_name",
        "user_id",
        "user_name",
        "command",
        "text",
        "api_app_id",
        "is_enterprise_install",
        "response_url",
        "trigger_id",
    }
    assert fields["channel_name"] == "directmessage"
    assert fields["trigger_id"] == sender.last_trigger_id
    command = to_command(fields)
    assert is_slash_command(fields) and command is not None and command["text"] == "met <@U0002|mia>"


def test_trigger_ids_and_action_ts_are_fresh(sender: SlackSender) -> None:
    sender.global_shortcut("a", user_id="U0001")
    first = (sender.last_trigger_id, sender.last_action_ts)
    sender.global_shortcut("a", user_id="U0001")
    assert sender.last_trigger_id != first[0] and sender.last_action_ts != first[1]


def test_block_action_shapes(sender: SlackSender, captured: Captured) -> None:
    sender.block_action("save", "n1", user_id="U0001", channel_id="C0001", message={"ts": "1.2", "text": "x"})
    body = captured.body()
    assert is_block_actions(body) and is_action(body)
    assert to_action(body) == {
        "action_id": "save",
        "block_id": "block",
        "action_ts": sender.last_action_ts,
        "type": "button",
        "text": {"type": "plain_text", "text": "save", "emoji": True},
        "value": "n1",
    }
    assert body["container"]["message_ts"] == "1.2" and body["channel"]["id"] == "C0001"

    sender.block_action(
        "pick",
        user_id="U0001",
        view={"id": "V1", "callback_id": "m"},
        selected_option={"text": {"type": "plain_text", "text": "A"}, "value": "a"},
    )
    body = captured.body()
    assert body["container"] == {"type": "view", "view_id": "V1"}
    assert body["actions"][0]["type"] == "static_select" and "response_url" not in body


def test_view_submission_and_closed_shapes(sender: SlackSender, captured: Captured) -> None:
    values = {
        "note": {"text": plain_text_value("hi")},
        "when": {"d": date_value("2025-01-31")},
        "tags": {"t": checkboxes_value(["x"])},
    }
    sender.view_submission(
        {"callback_id": "note_modal", "blocks": []}, values, user_id="U0001", view_id="V9", private_metadata="n1"
    )
    body = captured.body()
    assert is_view_submission(body)
    view = to_view(body)
    assert view is not None
    assert (view["id"], view["callback_id"], view["private_metadata"]) == ("V9", "note_modal", "n1")
    assert view["state"]["values"] == values and view["hash"]
    sender.view_closed({"callback_id": "note_modal"}, user_id="U0001")
    assert is_view_closed(captured.body())


def test_shortcuts_and_suggestions(sender: SlackSender, captured: Captured) -> None:
    sender.message_shortcut(
        "save_as_note",
        user_id="U0001",
        message={"ts": "1.2", "text": "x", "user": "U0002"},
        channel_id="C0001",
        response_url="http://r",
    )
    body = captured.body()
    assert is_message_shortcut(body) and body["message_ts"] == "1.2" and body["response_url"] == "http://r"
    sender.global_shortcut("new_note", user_id="U0001")
    assert is_shortcut(captured.body())
    sender.block_suggestion("customer", "ac", user_id="U0001")
    assert is_options(captured.body())


def test_event_envelope(sender: SlackSender, captured: Captured) -> None:
    sender.message("hello", user_id="U0001", channel_id="C0001", thread_ts="1.2")
    body = captured.body()
    assert is_event(body)
    assert body["event_id"] == sender.last_event_id
    assert body["authorizations"][0]["user_id"] == "UBOT"
    event = to_event(body)
    assert event is not None and event["thread_ts"] == "1.2" and event["channel_type"] == "channel"


def test_extra_overrides_payload_fields(sender: SlackSender, captured: Captured) -> None:
    sender.global_shortcut("new_note", user_id="U0001", team={"id": "T9", "domain": "other"})
    assert captured.body()["team"] == {"id": "T9", "domain": "other"}


def test_resend_repeats_the_body_with_retry_headers(sender: SlackSender, captured: Captured) -> None:
    sender.app_mention("<@UBOT> hi", user_id="U0001")
    sender.resend(retry_num=1)
    first, retry = captured.requests[-2:]
    assert retry.content == first.content
    assert retry.headers["x-slack-retry-num"] == "1"
