"""End to end over HTTP: webhook -> tick -> DM -> Log feedback -> modal -> saved, tagged -> confirmation -> Fix tags."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from bot.blocks.feedback import INPUT_ACTION
from bot.messages.feedback import SAVE_FAILED_IN_MODAL
from bot.services import notes as note_service
from storage.models import NoteAnswer
from tests.conftest import ServedApp
from tests.fakes import checkboxes_value, multi_select_value
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.calls import CALL, post_hook
from tests.support.feedback import (
    NOW,
    break_storing,
    buttons,
    freeze,
    last_modal,
    modal_values,
    notes_in,
    prompt_for_call,
    prompts_in,
    tags_in,
)
from tests.support.waiting import wait_until


def test_call_to_note_to_fixed_tags(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    freeze(served)
    assert post_hook(served, CALL).status_code == 202
    dm = fake_slack.dm_channel_id("UREP1")
    served.tick(NOW)  # 10 minutes after the call is not yet
    assert fake_slack.messages(dm) == []
    served.tick(NOW + timedelta(minutes=6))
    [prompt_msg] = fake_slack.messages(dm)
    assert "Acme Corp" in prompt_msg["text"] and "Negotiation" in prompt_msg["text"]
    assert "<!date^" in prompt_msg["text"]
    assert set(buttons(prompt_msg)) == {ids.ACTION_LOG_FEEDBACK, ids.ACTION_SNOOZE, ids.ACTION_SKIP}
    prompt_id = buttons(prompt_msg)[ids.ACTION_LOG_FEEDBACK]["value"]

    # A second tick sends nothing more.
    served.tick(NOW + timedelta(minutes=7))
    assert len(fake_slack.messages(dm)) == 1

    response = slack.block_action(
        ids.ACTION_LOG_FEEDBACK, prompt_id, user_id="UREP1", channel_id=dm, message=prompt_msg
    )
    assert response.status_code == 200
    modal = last_modal(fake_slack)
    assert json.loads(modal["private_metadata"]) == {"prompt_id": int(prompt_id)}
    account = next(b for b in modal["blocks"] if b.get("block_id") == "q:account")
    assert account["element"]["initial_value"] == "Acme Corp"
    objections = next(b for b in modal["blocks"] if b.get("block_id") == "q:objections")
    assert "too expensive" in [o["value"] for o in objections["element"]["options"]]

    values = modal_values(objections=["too expensive"], competitors=["Gong"], helped="A pricing one-pager")
    response = slack.view_submission(modal, values, user_id="UREP1")
    assert response.status_code == 200 and not response.content
    [note] = wait_until(lambda: [n for n in notes_in(served) if n.tagged_at])
    assert (note.account, note.outcome, note.source) == ("Acme Corp", "stalled", "modal")
    assert note.helped == "A pricing one-pager"
    tags = tags_in(served, note.id)
    assert ("objection", "too expensive", "human") in tags
    assert ("competitor", "Gong", "human") in tags
    assert any(kind == "theme" and label == "pricing" for kind, label, _ in tags), tags
    with served.runtime.session_factory() as session:
        keys = {a.question_key for a in session.scalars(select(NoteAnswer).where(NoteAnswer.note_id == note.id))}
    assert keys == {"account", "outcome", "said", "objections", "competitors", "helped"}
    [prompt] = prompts_in(served)
    assert (prompt.state, prompt.note_id) == ("answered", note.id)

    # The prompt was updated in place (no buttons left), and a confirmation DM shows the tags.
    fake_slack.wait_for_calls("chat.postMessage", 2, timeout=30)
    messages = fake_slack.messages(dm)
    assert buttons(messages[0]) == {} and "logged" in messages[0]["text"]
    confirmation = messages[1]
    assert ids.ACTION_FIX_TAGS in buttons(confirmation)
    shown = json.dumps(confirmation["blocks"])
    assert "pricing" in shown and "picked by you" in shown

    # Fix tags: the modal shows the note's tags checked; saving makes them all human.
    slack.block_action(ids.ACTION_FIX_TAGS, str(note.id), user_id="UREP1", channel_id=dm, message=confirmation)
    fix = last_modal(fake_slack, ids.VIEW_FIX_TAGS)
    theme_block = next(b for b in fix["blocks"] if b.get("block_id") == "fix:theme")
    assert "pricing" in [o["value"] for o in theme_block["element"].get("initial_options", [])]
    fixed = {
        "fix:theme": {INPUT_ACTION: checkboxes_value(["pricing", "contract and legal"])},
        "fix:objection": {INPUT_ACTION: checkboxes_value(["too expensive"])},
        "fix:competitor": {INPUT_ACTION: multi_select_value([])},
    }
    assert slack.view_submission(fix, fixed, user_id="UREP1").status_code == 200
    assert tags_in(served, note.id) == [
        ("objection", "too expensive", "human"),
        ("theme", "contract and legal", "human"),
        ("theme", "pricing", "human"),
    ]
    fake_slack.wait_for_calls("chat.update", 2, timeout=30)  # the confirmation now shows the fixed tags
    assert "contract and legal" in json.dumps(fake_slack.messages(dm)[1]["blocks"])


def test_empty_said_is_refused_in_the_modal(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    slack.command(ids.CMD_FEEDBACK, "", user_id="UREP1", response_url=fake_slack.response_url())
    modal = last_modal(fake_slack)
    for said in ("", "   ", "\x00\x01"):
        response = slack.view_submission(modal, modal_values(said), user_id="UREP1")
        assert response.json() == {
            "response_action": "errors",
            "errors": {"q:said": "Please write what the customer said."},
        }
    assert notes_in(served) == []


def test_resubmitted_view_makes_one_note(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    slack.command(ids.CMD_FEEDBACK, "", user_id="UREP1", response_url=fake_slack.response_url())
    modal = last_modal(fake_slack)
    slack.view_submission(modal, modal_values(), user_id="UREP1")
    slack.resend()
    slack.view_submission(modal, modal_values(), user_id="UREP1")  # same view id, a fresh request
    wait_until(lambda: [n for n in notes_in(served) if n.tagged_at])
    fake_slack.wait_for_calls("chat.postMessage", 1, timeout=30)
    served.drain()
    assert len(notes_in(served)) == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_two_modals_for_one_prompt_make_one_note(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    dm, prompt_msg, value = prompt_for_call(served, fake_slack)
    slack.block_action(ids.ACTION_LOG_FEEDBACK, value, user_id="UREP1", channel_id=dm, message=prompt_msg)
    first = last_modal(fake_slack)
    slack.block_action(ids.ACTION_LOG_FEEDBACK, value, user_id="UREP1", channel_id=dm, message=prompt_msg)
    second = [v for v in fake_slack.views.values() if v["id"] != first["id"]][-1]
    assert slack.view_submission(first, modal_values(), user_id="UREP1").content == b""
    refused = slack.view_submission(second, modal_values(), user_id="UREP1").json()
    assert refused["response_action"] == "errors" and "already logged" in refused["errors"]["q:said"]
    assert len(notes_in(served)) == 1


def test_message_shortcut_prefills_text_and_author(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    message = fake_slack.add_message("C0001", "Globex said <!channel> pricing is too high", user="UREP2")
    slack.message_shortcut(
        ids.SHORTCUT_LOG_MESSAGE,
        user_id="UREP1",
        message=message,
        channel_id="C0001",
        response_url=fake_slack.response_url(),
        # A domain no link is built from: the link is Slack's own, asked with chat.getPermalink after the ack.
        team={"id": fake_slack.team_id, "domain": "not-the-link-domain"},
    )
    link = f"https://fieldnotes-test.slack.com/archives/C0001/p{message['ts'].replace('.', '')}"
    [asked] = fake_slack.wait_for_calls("chat.getPermalink", timeout=30)
    assert asked.params["message_ts"] == message["ts"]
    modal = wait_until(lambda: [m for m in [last_modal(fake_slack)] if link in json.dumps(m["blocks"][0])])[0]
    assert len(fake_slack.calls_to("views.open")) == 1 and len(fake_slack.calls_to("views.update")) == 1
    said = next(b for b in modal["blocks"] if b.get("block_id") == "q:said")
    assert said["element"]["initial_value"] == "Globex said <!channel> pricing is too high"

    context = json.dumps(modal["blocks"][0])
    assert "<@UREP2>" in context and "not-the-link-domain" not in context
    assert json.loads(modal["private_metadata"])["message"]["link"] == link
    slack.view_submission(modal, modal_values(said["element"]["initial_value"]), user_id="UREP1")
    [note] = wait_until(lambda: [n for n in notes_in(served) if n.tagged_at])
    assert note.source == "shortcut"
    with served.runtime.session_factory() as session:
        answer = session.scalar(select(NoteAnswer).where(NoteAnswer.question_key == "message"))
    assert answer is not None and answer.value["author"] == "UREP2"
    fake_slack.wait_for_calls("chat.postMessage", 1, timeout=30)
    confirmation = fake_slack.messages(fake_slack.dm_channel_id("UREP1"))[-1]
    assert "<!channel>" not in json.dumps(confirmation["blocks"])  # escaped: pings no one
    assert "&lt;!channel&gt;" in json.dumps(confirmation["blocks"])


def test_submissions_arriving_together_share_a_transaction_and_a_refused_one_loses_no_other(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    dm, prompt_msg, value = prompt_for_call(served, fake_slack)
    modals = []
    for _ in range(2):  # two modals for one call: only one note may answer it
        slack.block_action(ids.ACTION_LOG_FEEDBACK, value, user_id="UREP1", channel_id=dm, message=prompt_msg)
        modals.append(last_modal(fake_slack))
    for _ in range(2):
        slack.command(ids.CMD_FEEDBACK, "", user_id="UREP1", response_url=fake_slack.response_url())
        modals.append(last_modal(fake_slack))
    assert len({m["id"] for m in modals}) == 4
    blocker, for_call, again_for_call, empty = modals[2], modals[0], modals[1], modals[3]

    groups: list[int] = []
    release = threading.Event()
    real_create = note_service.create_notes

    def create_notes(session: Any, team_id: str, drafts: Any, *, now: Any) -> Any:
        groups.append(len(drafts))
        if len(groups) == 1:
            release.wait(10)  # the others arrive while the first submission is being stored
        return real_create(session, team_id, drafts, now=now)

    monkeypatch.setattr(note_service, "create_notes", create_notes)
    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(slack.view_submission, blocker, modal_values("Budget is frozen"), user_id="UREP1")
        wait_until(lambda: groups == [1])
        rest = [
            pool.submit(slack.view_submission, view, modal_values(said), user_id="UREP1")
            for view, said in ((for_call, "Too pricey"), (again_for_call, "Gong is cheaper"), (empty, ""))
        ]
        wait_until(lambda: served.runtime.waiting_together() == 3)  # all three queued behind the first
        release.set()
        answers = [first.result(30), *(f.result(30) for f in rest)]

    assert groups == [1, 2, 1, 1]  # the two notes for the call together, then each on its own (one was refused)
    assert answers[0].content == b""
    # Whichever of the two for the call came first was stored; the other was refused in its modal.
    [won] = [said for said, a in zip(("Too pricey", "Gong is cheaper"), answers[1:3], strict=True) if a.content == b""]
    [refused] = [a.json() for a in answers[1:3] if a.content != b""]
    assert refused["response_action"] == "errors" and "already logged" in refused["errors"]["q:said"]
    invalid = answers[3].json()
    assert invalid == {"response_action": "errors", "errors": {"q:said": "Please write what the customer said."}}
    wait_until(lambda: len(notes_in(served)) == 2 and all(n.tagged_at for n in notes_in(served)))
    stored = notes_in(served)
    assert sorted(n.text for n in stored) == sorted(["Budget is frozen", won])
    with served.runtime.session_factory() as session:
        answered = session.scalars(select(NoteAnswer.note_id).where(NoteAnswer.question_key == "said")).all()
    assert sorted(answered) == sorted(n.id for n in stored)  # no answer of the refused note was kept
    [prompt] = prompts_in(served)
    assert prompt.state == "answered" and prompt.note_id == next(n.id for n in stored if n.text == won)


def test_a_database_failure_keeps_the_modal_open_with_a_message(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_create = break_storing(monkeypatch)
    slack.command(ids.CMD_FEEDBACK, "", user_id="UREP1", response_url=fake_slack.response_url())
    modal = last_modal(fake_slack)
    answer = slack.view_submission(modal, modal_values("this one breaks the database"), user_id="UREP1")
    assert answer.json() == {"response_action": "errors", "errors": {"q:said": SAVE_FAILED_IN_MODAL}}
    assert notes_in(served) == []
    # The rep submits again once the database is back: the same view is stored, once.
    monkeypatch.setattr(note_service, "create_notes", real_create)
    assert slack.view_submission(modal, modal_values("this one breaks the database"), user_id="UREP1").content == b""
    assert [n.text for n in notes_in(served)] == ["this one breaks the database"]


def test_message_shortcut_prefills_the_text_as_typed(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    # Message text comes from Slack with `&`, `<` and `>` as entities; the form shows what the person typed.
    message = fake_slack.add_message("C0001", "Smith &amp; Co: price &gt; budget", user="UREP2")
    slack.message_shortcut(
        ids.SHORTCUT_LOG_MESSAGE,
        user_id="UREP1",
        message=message,
        channel_id="C0001",
        response_url=fake_slack.response_url(),
    )
    fake_slack.wait_for_calls("views.open", timeout=30)
    said = next(b for b in last_modal(fake_slack)["blocks"] if b.get("block_id") == "q:said")
    assert said["element"]["initial_value"] == "Smith & Co: price > budget"
