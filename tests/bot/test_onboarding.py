"""Onboarding over HTTP against the fake Slack: the installer becomes an admin and is welcomed once, the Get started
checklist tracks the workspace's real state and each of its controls does the real thing, and a rep's first App
Home visit explains Field Notes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from bot.jobs.onboarding import plan_first_start
from storage.models import DigestSchedule, Person
from tests.conftest import ADMIN_ID, SIGNING_SECRET, ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.calls import CALL, post_hook
from tests.support.feedback import NOW, buttons, freeze, last_modal, notes_in, prompts_in
from tests.support.oauth import install
from tests.support.waiting import wait_until


def _home(slack: SlackSender, fake: FakeSlack, user: str = ADMIN_ID) -> dict[str, Any]:
    published = len(fake.calls_to("views.publish"))
    assert slack.app_home_opened(user).status_code == 200
    fake.wait_for_calls("views.publish", published + 1, timeout=30)
    home = fake.home_view(user)
    assert home is not None
    return home


def _checklist(home: dict[str, Any]) -> str:
    [header] = [
        b["text"]["text"] for b in home["blocks"] if b["type"] == "header" and "Get started" in b["text"]["text"]
    ]
    return str(header)


def _pick(slack: SlackSender, fake: FakeSlack, home: dict[str, Any], action_id: str, **fields: Any) -> dict[str, Any]:
    """Use a checklist control on App Home as Slack sends it; the Home tab as republished after it."""
    published = len(fake.calls_to("views.publish"))
    kind = {
        ids.ACTION_SETUP_REPS: "multi_users_select",
        ids.ACTION_SETUP_MARKETERS: "multi_users_select",
        ids.ACTION_SETUP_DIGEST_CHANNEL: "conversations_select",
        ids.ACTION_SETUP_REPS_CHANNEL: "conversations_select",
    }.get(action_id, "button")
    value = "test" if kind == "button" else None
    response = slack.block_action(
        action_id, value, user_id=ADMIN_ID, action_type=kind, action_fields=fields, view=home, block_id="setup"
    )
    assert response.status_code == 200
    fake.wait_for_calls("views.publish", published + 1, timeout=30)
    republished = fake.home_view(ADMIN_ID)
    assert republished is not None
    return republished


@pytest.fixture
def installed(oauth_app: ServedApp, fake_slack: FakeSlack) -> Iterator[SlackSender]:
    """A fresh workspace installed through OAuth by UADMIN, who is no workspace admin in Slack."""
    fake_slack.state.oauth_installer = ADMIN_ID
    freeze(oauth_app)
    install(oauth_app)
    with SlackSender(oauth_app.url, SIGNING_SECRET, team_id=fake_slack.team_id) as sender:
        yield sender


def test_a_fresh_workspace_walks_the_whole_checklist(
    oauth_app: ServedApp, installed: SlackSender, fake_slack: FakeSlack
) -> None:
    slack, served = installed, oauth_app
    # Install → the installer is an admin and gets the welcome DM, once, whatever runs again.
    [welcome] = wait_until(lambda: fake_slack.messages(ADMIN_ID))
    assert "you are its admin" in welcome["text"] or "you are its admin" in json.dumps(welcome["blocks"])
    served.tick(NOW + timedelta(minutes=1))
    install(served, code="code-2")
    wait_until(lambda: len(fake_slack.calls_to("oauth.v2.access")) == 2)
    served.tick(NOW + timedelta(minutes=2))
    with served.runtime.session_factory() as session:
        admin = session.scalar(select(Person).where(Person.slack_user_id == ADMIN_ID))
        assert admin is not None and admin.is_admin and admin.welcomed_at is not None

    home = _home(slack, fake_slack)
    assert _checklist(home) == "Get started: 0 of 5 done"
    shown = json.dumps(home["blocks"])
    url, secret = re.search(r"POST each ended call to `([^`]+)`, signed with the secret `([0-9a-f]+)`", shown).groups()
    assert url == f"{served.url}/hooks/calls".replace("http://", "https://")  # Slack reaches apps over HTTPS

    # 1. The digest channel: a channel picker that adds a digest schedule.
    home = _pick(slack, fake_slack, home, ids.ACTION_SETUP_DIGEST_CHANNEL, selected_conversation="CMKT")
    with served.runtime.session_factory() as session:
        [schedule] = session.scalars(select(DigestSchedule))
    assert (schedule.channel_id, schedule.weekday, schedule.hour, schedule.tz) == ("CMKT", 0, 9, "Europe/London")
    assert _checklist(home) == "Get started: 1 of 5 done"

    # 2. Reps and marketers: user pickers, and "the members of #sales are reps".
    fake_slack.add_channel("CSALES", "sales", members=["UREP1", "UREP2", fake_slack.bot_user_id])
    home = _pick(slack, fake_slack, home, ids.ACTION_SETUP_REPS_CHANNEL, selected_conversation="CSALES")
    assert _checklist(home) == "Get started: 1 of 5 done"  # no marketer yet
    home = _pick(slack, fake_slack, home, ids.ACTION_SETUP_MARKETERS, selected_users=["UMKT"])
    assert _checklist(home) == "Get started: 2 of 5 done"
    with served.runtime.session_factory() as session:
        reps = set(session.scalars(select(Person.slack_user_id).where(Person.is_rep.is_(True))))
    assert reps == {"UREP1", "UREP2"}

    # 3. The call webhook: *Send a test call* prompts the admin through the prompt job.
    home = _pick(slack, fake_slack, home, ids.ACTION_SETUP_TEST_CALL)
    assert _checklist(home) == "Get started: 3 of 5 done"
    dm = fake_slack.dm_channel_id(ADMIN_ID)
    prompt_msg = fake_slack.messages(dm)[-1]
    assert "Test call" in prompt_msg["text"] and ids.ACTION_LOG_FEEDBACK in buttons(prompt_msg)
    # The URL and secret shown are the real ones: a CRM signing with them is accepted.
    call = {**CALL, "rep_email": "ana@example.com", "team_id": fake_slack.team_id}
    assert post_hook(served, call, secret=secret).status_code == 202

    # 4. The first note: the admin answers the test prompt by replying in its thread in the app's DM.
    reply = slack.message(
        "Acme: they think we cost twice what Gong does", user_id=ADMIN_ID, channel_id=dm, thread_ts=prompt_msg["ts"]
    )
    assert reply.status_code == 200
    [note] = notes_in(served)
    assert note.source == "dm" and note.call_id is not None
    assert [p.state for p in prompts_in(served) if p.note_id == note.id] == ["answered"]
    home = _home(slack, fake_slack)
    assert _checklist(home) == "Get started: 4 of 5 done"

    # 5. The first digest preview: a modal with the digest, and it is recorded.
    home = _pick(slack, fake_slack, home, ids.ACTION_SETUP_PREVIEW)
    preview = last_modal(fake_slack, ids.VIEW_SETUP_PREVIEW)
    assert preview["title"]["text"] == "Digest preview" and len(preview["blocks"]) > 1
    assert all(b["type"] != "actions" for b in preview["blocks"])
    assert _checklist(home) == "Get started: 5 of 5 done"
    assert "All set" in json.dumps(home["blocks"])
    served.drain()
    assert len(fake_slack.messages(ADMIN_ID)) >= 1
    assert sum("you are its admin" in json.dumps(m.get("blocks")) for m in fake_slack.messages(ADMIN_ID)) == 1


def test_single_workspace_first_start_welcomes_the_first_admin_once(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    freeze(served)
    plan_first_start(served.runtime)
    served.tick(NOW)
    plan_first_start(served.runtime)  # a restart, or a second replica starting
    served.tick(NOW + timedelta(minutes=1))
    messages = fake_slack.messages(ADMIN_ID)
    assert len(messages) == 1 and "you are its admin" in json.dumps(messages[0]["blocks"])
    assert _checklist(_home(slack, fake_slack)) == "Get started: 0 of 5 done"


def test_a_reps_first_home_visit_explains_field_notes_in_three_lines(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    first = _home(slack, fake_slack, "UREP1")
    intro = first["blocks"][0]["text"]["text"]
    assert intro.startswith("*Field Notes*") and len(intro.splitlines()) == 3
    assert "Get started" not in json.dumps(first["blocks"])
    again = _home(slack, fake_slack, "UREP1")
    assert "*Field Notes*" not in json.dumps(again["blocks"])


def test_checklist_controls_are_for_admins(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    home = _home(slack, fake_slack, "UREP1")
    response = slack.block_action(
        ids.ACTION_SETUP_TEST_CALL, "test", user_id="UREP1", view=home, block_id="setup:webhook"
    )
    assert response.status_code == 200
    fake_slack.wait_for_calls("chat.postMessage", timeout=30)  # told, in their DM
    served.drain()
    assert prompts_in(served) == []
    assert "Only Field Notes admins" in fake_slack.messages("UREP1")[-1]["text"]


def test_fieldnotes_setup_shows_the_checklist_and_its_controls_answer_in_place(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    refused = slack.command(ids.CMD_FIELDNOTES, "setup", user_id="UREP1", response_url=fake_slack.response_url())
    assert refused.status_code == 200
    [(_, body)] = fake_slack.wait_for_responses(1, timeout=30)
    assert "Only Field Notes admins" in body["text"]
    url = fake_slack.response_url()
    assert slack.command(ids.CMD_FIELDNOTES, "setup", user_id=ADMIN_ID, response_url=url).status_code == 200
    [_, (_, shown)] = fake_slack.wait_for_responses(2, timeout=30)
    assert shown["response_type"] == "ephemeral"
    assert "Get started: 0 of 5 done" in json.dumps(shown["blocks"])
    assert "/hooks/calls" in json.dumps(shown["blocks"])
    # A control used in that message: the change is made and the message shows the checklist again.
    message = {"type": "message", "ts": "1764085000.000900", "text": "Get started", "blocks": shown["blocks"]}
    response = slack.block_action(
        ids.ACTION_SETUP_MARKETERS,
        user_id=ADMIN_ID,
        action_type="multi_users_select",
        action_fields={"selected_users": ["UMKT"]},
        channel_id="C0001",
        message=message,
        response_url=fake_slack.response_url(),
        container={"type": "message", "message_ts": message["ts"], "channel_id": "C0001", "is_ephemeral": True},
    )
    assert response.status_code == 200
    [*_, (_, again)] = fake_slack.wait_for_responses(3, timeout=30)
    assert again["replace_original"] is True and "0 marketers" not in json.dumps(again["blocks"])
    assert "1 marketer." in json.dumps(again["blocks"])
