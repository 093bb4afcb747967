"""The one error path: a FieldNotesError reaches its user as a message (or on the modal's fields); anything else
as an apology whose reference is in the log."""

from __future__ import annotations

import json
import logging
import re

import pytest

from bot import ids
from bot.errors import PermissionDenied, UsageError
from bot.listeners.errors import handle_listener_error
from bot.services import corrections
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender

VIEW_BODY = {"type": "view_submission", "user": {"id": "U1"}, "view": {"state": {"values": {"first": {}, "x": {}}}}}


class _NoClient:
    """Where nothing may be sent: the answer goes back in the HTTP response."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"nothing should be sent, but {name} was called")


def test_field_errors_of_a_modal_are_shown_on_their_fields() -> None:
    error = UsageError(field_errors={"x": "Pick a time."})
    response = handle_listener_error(error, VIEW_BODY, _NoClient())  # type: ignore[arg-type]
    assert response.status == 200
    assert json.loads(response.body) == {"response_action": "errors", "errors": {"x": "Pick a time."}}


def test_a_modal_error_without_fields_is_shown_on_the_first_input() -> None:
    response = handle_listener_error(PermissionDenied("Ask an admin."), VIEW_BODY, _NoClient())  # type: ignore[arg-type]
    assert json.loads(response.body) == {"response_action": "errors", "errors": {"first": "Ask an admin."}}


def test_a_slash_command_error_is_the_ephemeral_answer() -> None:
    body = {"command": "/fieldnotes", "user_id": "U1", "text": "frobnicate"}
    response = handle_listener_error(UsageError("Try `/fieldnotes help`."), body, _NoClient())  # type: ignore[arg-type]
    assert json.loads(response.body) == {"text": "Try `/fieldnotes help`.", "response_type": "ephemeral"}


def test_our_failure_is_an_apology_whose_reference_is_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="bot.listeners.errors")
    body = {"command": "/feedback", "user_id": "U1"}
    response = handle_listener_error(RuntimeError("the disk is full"), body, _NoClient())  # type: ignore[arg-type]
    text = json.loads(response.body)["text"]
    reference = re.search(r"reference `([0-9a-f]{8})`", text)
    assert reference and "the disk is full" not in text
    [record] = [r for r in caplog.records if reference.group(1) in r.getMessage()]
    assert record.exc_info is not None and "the disk is full" in str(record.exc_info[1])


def test_a_button_that_fails_tells_the_user_where_they_clicked(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(corrections, "fix_tags_form", broken)
    answer = slack.block_action(ids.ACTION_FIX_TAGS, "1", user_id="UREP1", channel_id="C0001", message={"ts": "1.1"})
    assert answer.status_code == 200  # never a 5xx: Slack would show its own error
    [told] = fake_slack.wait_for_calls("chat.postEphemeral", timeout=30)
    assert told.params["user"] == "UREP1" and told.params["channel"] == "C0001"
    assert re.search(r"Sorry, something went wrong on our side \(reference `[0-9a-f]{8}`\)", told.params["text"])
