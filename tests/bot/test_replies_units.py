"""Reply/ask building blocks without Slack: button values, validation, escaping and Slack's limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import ids
from bot.blocks.replies import (
    build_answer_modal,
    build_answer_record,
    build_ask_dm,
    build_reply_dm,
    build_reply_modal,
    build_thread_record,
)
from bot.errors import UsageError
from bot.services.replies import LabelRef, parse_action_value, validate_link, validate_message

REF = LabelRef(7, "theme", "pricing", datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC))


def test_button_value_round_trips_and_is_compact() -> None:
    value = REF.action_value()
    assert value == '{"r":7,"k":"theme","l":"pricing","s":"2026-11-16","e":"2026-11-23"}'
    assert parse_action_value(value) == REF
    # An inclusive last day (Sunday) is read as the same week.
    inclusive = '{"r":null,"k":"competitor","l":"Gong","s":"2026-11-16","e":"2026-11-22"}'
    assert parse_action_value(inclusive).end == REF.end
    assert LabelRef.from_metadata(REF.metadata()) == REF


def test_button_value_days_are_in_the_schedules_timezone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    week = LabelRef(
        None,
        "theme",
        "pricing",
        datetime(2026, 11, 23, tzinfo=berlin).astimezone(UTC),  # Sunday 23:00 UTC
        datetime(2026, 11, 30, tzinfo=berlin).astimezone(UTC),
        "Europe/Berlin",
    )
    value = week.action_value()
    assert value == '{"r":null,"k":"theme","l":"pricing","s":"2026-11-23","e":"2026-11-30","z":"Europe/Berlin"}'
    assert parse_action_value(value) == week
    assert LabelRef.from_metadata(week.metadata()) == week


@pytest.mark.parametrize(
    "value",
    [
        '{"k":"theme","l":"x","s":"2026-11-16","e":"2026-11-23","z":"Mars/Olympus"}',
        None,
        "",
        "{",
        "[]",
        '{"k":"theme"}',
        '{"k":"mood","l":"x","s":"2026-11-16","e":"2026-11-23"}',
        '{"k":"theme","l":" ","s":"2026-11-16","e":"2026-11-23"}',
        '{"k":"theme","l":"x","s":"2026-11-23","e":"2026-11-16"}',
        '{"r":"abc","k":"theme","l":"x","s":"2026-11-16","e":"2026-11-23"}',
    ],
)
def test_malformed_button_values_are_a_usage_error(value: str | None) -> None:
    with pytest.raises(UsageError):
        parse_action_value(value)


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "ftp://x.com/a", "data:text/html,hi", "http://", "https://a.com/<!channel>", "x.com"],
)
def test_only_http_links_pass(link: str) -> None:
    with pytest.raises(UsageError):
        validate_link(link)


def test_http_links_and_empty_pass() -> None:
    assert validate_link(" https://example.com/a?b=1 ") == "https://example.com/a?b=1"
    assert validate_link("HTTP://EXAMPLE.COM") == "HTTP://EXAMPLE.COM"
    assert validate_link("") is None and validate_link(None) is None


def test_message_is_required_cleaned_and_bounded() -> None:
    assert validate_message("  hi\x00 there\n ") == "hi there"
    for bad in ("", "   ", None, "x" * 3001):
        with pytest.raises(UsageError):
            validate_message(bad)


def test_reply_modal_respects_limits_and_lists_the_reps() -> None:
    reps = [f"U{i:08d}" for i in range(400)]
    view = build_reply_modal(REF, reps)
    assert view["callback_id"] == ids.VIEW_REPLY and view["submit"]["text"] == "Send"
    assert len(view["blocks"]) <= 100 and len(view["private_metadata"]) <= 3000
    context = view["blocks"][1]["elements"][0]["text"]
    assert context.startswith("Will be sent to: <@U00000000>") and context.endswith("and 250 more")
    assert len(context) <= 3000
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["message"]["element"]["max_length"] == 3000 and inputs["link"]["optional"] is True
    assert inputs["link"]["element"]["type"] == "url_text_input"


@given(st.text(max_size=4000), st.text(max_size=4000))
def test_dms_and_records_escape_user_text_and_fit(message: str, note: str) -> None:
    text, blocks = build_reply_dm("pricing <!channel>", message, "https://example.com", note)
    ask_text, ask_blocks = build_ask_dm(3, "pricing", message, note)
    assert text == "Marketing answered about Pricing &lt;!channel&gt;"
    assert ask_text == "Marketing has a question about Pricing"
    for block in [*blocks, *ask_blocks]:
        for part in [block.get("text") or {}, *block.get("elements", [])]:
            body = part.get("text") if isinstance(part.get("text"), str) else ""
            assert len(body) <= 3000
            assert "<!" not in body.replace("<!channel>", "")  # nothing user-written can ping
    assert "&lt;!channel&gt;" in json.dumps(blocks)
    record = build_thread_record("reply", "UMKT", 2, "pricing", message)
    assert record.startswith("<@UMKT> replied to 2 reps about *Pricing*:")
    assert "<" not in record.split(":", 1)[1]
    answer = build_answer_record("UREP1", message)
    assert "<" not in answer.removeprefix("<@UREP1>") and len(answer) < 3000


def test_answer_modal_carries_the_question() -> None:
    view = build_answer_modal(12, "pricing", "Which <plan>?")
    assert json.loads(view["private_metadata"]) == {"a": 12}
    assert "Which &lt;plan&gt;?" in view["blocks"][0]["text"]["text"]
