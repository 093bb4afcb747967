"""Notes typed in the app's DM, over signed `message.im` events as Slack sends them: a message is a note stored
before the ack, a reply in a prompt's thread answers the prompt, edits and deletions within 10 minutes follow."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest

from bot import ids
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.feedback import NOW, buttons, freeze, notes_in, prompt_for_call, prompts_in, tags_in
from tests.support.waiting import wait_until

TS = "1764085000.000100"


def _say(slack: SlackSender, fake: FakeSlack, text: str, *, ts: str = TS, **extra: Any) -> httpx.Response:
    """UREP1 types `text` in the app's DM, as Slack's message.im event carries it (text escaped, with blocks)."""
    response = slack.message(
        text,
        user_id="UREP1",
        channel_id=fake.dm_channel_id("UREP1"),
        ts=ts,
        channel_type="im",
        client_msg_id=f"cm-{ts}",
        blocks=[{"type": "rich_text", "block_id": "b1", "elements": []}],
        **extra,
    )
    assert response.status_code == 200
    return response


def _edit(slack: SlackSender, fake: FakeSlack, old: str, new: str, *, ts: str = TS) -> None:
    dm = fake.dm_channel_id("UREP1")
    edited_at = f"{float(ts) + 60:.6f}"
    event = {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": dm,
        "channel_type": "im",
        "ts": edited_at,
        "event_ts": edited_at,
        "message": {
            "type": "message",
            "user": "UREP1",
            "text": new,
            "ts": ts,
            "edited": {"user": "UREP1", "ts": edited_at},
            "client_msg_id": f"cm-{ts}",
        },
        "previous_message": {"type": "message", "user": "UREP1", "text": old, "ts": ts, "client_msg_id": f"cm-{ts}"},
    }
    assert slack.event(event).status_code == 200


def _delete(slack: SlackSender, fake: FakeSlack, old: str, *, ts: str = TS) -> None:
    dm = fake.dm_channel_id("UREP1")
    deleted_at = f"{float(ts) + 120:.6f}"
    event = {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": dm,
        "channel_type": "im",
        "ts": deleted_at,
        "event_ts": deleted_at,
        "deleted_ts": ts,
        "previous_message": {"type": "message", "user": "UREP1", "text": old, "ts": ts},
    }
    assert slack.event(event).status_code == 200


def _answers(fake: FakeSlack, count: int) -> list[dict[str, Any]]:
    """The app's own posts in UREP1's DM, once there are `count` of them."""
    fake.wait_for_calls("chat.postMessage", count, timeout=30)
    return [m for m in fake.messages("UREP1") if m.get("bot_id") or m.get("user") == fake.bot_user_id]


def test_a_dm_is_a_note_stored_before_the_ack_and_answered_with_its_tags(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    freeze(served)
    _say(slack, fake_slack, "Acme &amp; Co: they think we cost twice what Gong does &lt;ouch&gt;")
    [note] = notes_in(served)  # read as soon as the ack came: stored before it
    assert (note.account, note.source) == ("Acme & Co", "dm")
    assert note.text == "they think we cost twice what Gong does <ouch>"
    [answer] = _answers(fake_slack, 1)
    assert ids.ACTION_FIX_TAGS in buttons(answer) and "Saved your note" in answer["text"]
    assert ("theme", "pricing", "rule") in tags_in(served, note.id)
    shown = json.dumps(answer["blocks"])
    assert "pricing" in shown and "&lt;ouch&gt;" in shown and "<ouch>" not in shown


def test_slacks_retries_and_a_second_delivery_of_the_message_store_one_note(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _say(slack, fake_slack, "Initech: no budget until Q3")
    assert slack.resend(retry_num=1).status_code == 200  # the same event id
    _say(slack, fake_slack, "Initech: no budget until Q3")  # the same message (ts) under a new event id
    _answers(fake_slack, 1)
    served.drain()
    assert len(notes_in(served)) == 1
    assert len(_answers(fake_slack, 1)) == 1


def test_the_apps_own_posts_other_bots_and_other_subtypes_make_no_note(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    dm = fake_slack.dm_channel_id("UREP1")
    own = {"type": "message", "user": fake_slack.bot_user_id, "bot_id": fake_slack.bot_id, "text": "Saved your note"}
    for event in (
        {**own, "channel": dm, "channel_type": "im", "ts": "1.000001"},
        {"type": "message", "subtype": "bot_message", "bot_id": "B9", "text": "hi", "channel": dm, "ts": "1.000002"},
        {"type": "message", "subtype": "channel_join", "user": "UREP1", "text": "joined", "channel": "C0001"},
        {"type": "message", "user": "UREP1", "text": "Acme: pricing", "channel": "C0001", "channel_type": "channel"},
    ):
        assert slack.event({**event, "event_ts": "1.5"}).status_code == 200
    served.drain()
    assert notes_in(served) == []
    assert fake_slack.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("text", "said"),
    [("x" * 3001, "3,001 characters"), ("help", "Type what the customer said"), ("  ", "Type what the customer said")],
)
def test_text_that_is_no_note_stores_nothing_and_says_what_to_do(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, text: str, said: str
) -> None:
    _say(slack, fake_slack, text)
    [answer] = _answers(fake_slack, 1)
    assert said in answer["text"]
    assert notes_in(served) == []


def test_a_reply_in_a_prompts_thread_answers_the_prompt(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    dm, prompt_msg, _ = prompt_for_call(served, fake_slack)
    _say(slack, fake_slack, "they asked for SSO before signing", ts="1764085500.000200", thread_ts=prompt_msg["ts"])
    [note] = notes_in(served)
    [prompt] = prompts_in(served)
    assert (prompt.state, prompt.note_id) == ("answered", note.id)
    assert note.call_id is not None and note.account == "Acme Corp"
    fake_slack.wait_for_calls("chat.update", timeout=30)
    assert buttons(fake_slack.messages(dm)[0]) == {}  # the prompt's buttons are gone
    confirmation = wait_until(lambda: [m for m in fake_slack.thread(dm, prompt_msg["ts"]) if "Saved" in m["text"]])
    assert ids.ACTION_FIX_TAGS in buttons(confirmation[0])
    # A second reply in the same thread is a note of its own: the prompt was answered already.
    _say(slack, fake_slack, "also: legal wants a DPA", ts="1764085600.000300", thread_ts=prompt_msg["ts"])
    assert len(notes_in(served)) == 2 and prompts_in(served)[0].note_id == note.id


def test_an_edit_within_ten_minutes_retags_the_note(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    freeze(served)
    _say(slack, fake_slack, "Acme: the onboarding took weeks")
    _answers(fake_slack, 1)
    [note] = notes_in(served)
    wait_until(lambda: tags_in(served, note.id))
    freeze(served, NOW + timedelta(minutes=9))
    _edit(slack, fake_slack, "Acme: the onboarding took weeks", "Globex: they think we cost twice what Gong does")
    [edited] = notes_in(served)
    assert (edited.id, edited.account, edited.text) == (note.id, "Globex", "they think we cost twice what Gong does")
    updated = _answers(fake_slack, 2)[-1]
    assert "Updated your note" in updated["text"] and "Globex" in updated["text"]
    assert ("theme", "pricing", "rule") in tags_in(served, note.id)
    assert ("theme", "onboarding", "rule") not in tags_in(served, note.id)


def test_an_unfurl_is_no_edit_and_an_edit_after_ten_minutes_is_explained(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    freeze(served)
    _say(slack, fake_slack, "Acme: pricing was the blocker")
    _answers(fake_slack, 1)
    _edit(slack, fake_slack, "Acme: pricing was the blocker", "Acme: pricing was the blocker")  # same text
    freeze(served, NOW + timedelta(minutes=11))
    _edit(slack, fake_slack, "Acme: pricing was the blocker", "Acme: security review was the blocker")
    told = _answers(fake_slack, 2)[-1]
    assert "more than 10 minutes ago" in told["text"] and ids.ACTION_FIX_TAGS in buttons(told)
    [note] = notes_in(served)
    assert note.text == "pricing was the blocker"
    served.drain()
    assert len(fake_slack.calls_to("chat.postMessage")) == 2


def test_deleting_the_message_within_ten_minutes_removes_the_note_and_later_does_not(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    freeze(served)
    _say(slack, fake_slack, "Acme: pricing was the blocker")
    _say(slack, fake_slack, "Globex: happy with their current tool", ts="1764085100.000100")
    _answers(fake_slack, 2)
    freeze(served, NOW + timedelta(minutes=5))
    _delete(slack, fake_slack, "Acme: pricing was the blocker")
    assert [n.account for n in notes_in(served)] == ["Globex"]
    assert "removed its note" in _answers(fake_slack, 3)[-1]["text"]
    freeze(served, NOW + timedelta(minutes=30))
    _delete(slack, fake_slack, "Globex: happy with their current tool", ts="1764085100.000100")
    told = _answers(fake_slack, 4)[-1]
    assert "no longer removes it" in told["text"] and ids.ACTION_FIX_TAGS in buttons(told)
    assert [n.account for n in notes_in(served)] == ["Globex"]


def test_someone_elses_deletion_and_malformed_edits_change_nothing(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _say(slack, fake_slack, "Acme: pricing was the blocker")
    _answers(fake_slack, 1)
    event = {
        "type": "message",
        "subtype": "message_deleted",
        "channel": fake_slack.dm_channel_id("UREP1"),
        "channel_type": "im",
        "deleted_ts": TS,
        "event_ts": "2.0",
        "previous_message": {"type": "message", "user": "UREP2", "text": "x", "ts": TS},
    }
    assert slack.event(event).status_code == 200
    for odd in ({"subtype": "message_changed", "message": "not an object"}, {"subtype": "message_deleted"}):
        malformed = {"type": "message", "channel": event["channel"], "channel_type": "im", "event_ts": "3.0", **odd}
        assert slack.event(malformed).status_code == 200  # signed but odd: nothing happens, and no 5xx
    served.drain()
    assert len(notes_in(served)) == 1
