"""`/feedback` over HTTP: the modal, a note at once, help, retries and bad input; App Home."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot import ids
from bot.messages.feedback import STORE_FAILED
from bot.services import notes as note_service
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.feedback import break_storing, buttons, freeze, last_modal, notes_in, tags_in
from tests.support.waiting import wait_until


def _feedback(slack: SlackSender, fake: FakeSlack, text: str, user: str = "UREP1") -> dict:
    response = slack.command(ids.CMD_FEEDBACK, text, user_id=user, response_url=fake.response_url())
    assert response.status_code == 200
    return response.json() if response.content else {}


def test_bare_command_opens_the_modal(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    assert _feedback(slack, fake_slack, "") == {}
    modal = last_modal(fake_slack)
    assert modal["title"]["text"] == "Call feedback"
    assert [b["block_id"] for b in modal["blocks"] if b["type"] == "input"] == [
        "q:account", "q:outcome", "q:stage", "q:said", "q:objections", "q:competitors", "q:worked", "q:helped",
    ]  # fmt: skip
    said = next(b for b in modal["blocks"] if b["block_id"] == "q:said")
    assert said["element"]["max_length"] == 3000 and said["optional"] is False


def test_command_with_text_stores_tags_and_answers_with_fix_tags(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    freeze(served)
    _feedback(slack, fake_slack, "Acme: they think we cost twice what Gong does")
    [(_, body)] = fake_slack.wait_for_responses(1, timeout=30)
    [note] = notes_in(served)
    assert (note.account, note.text, note.source) == ("Acme", "they think we cost twice what Gong does", "command")
    assert ("theme", "pricing", "rule") in tags_in(served, note.id)
    assert body["response_type"] == "ephemeral"
    assert ids.ACTION_FIX_TAGS in buttons(body)
    assert "pricing" in json.dumps(body["blocks"])


def test_retried_command_stores_one_note(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    _feedback(slack, fake_slack, "Acme: budget is frozen until Q3")
    assert slack.resend(retry_num=1).status_code == 200
    fake_slack.wait_for_responses(1, timeout=30)
    served.drain()
    assert len(notes_in(served)) == 1
    assert len(fake_slack.responses) == 1


def test_retried_bare_command_does_not_reuse_the_trigger(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _feedback(slack, fake_slack, "")
    slack.resend(retry_num=1)
    served.drain()
    assert len(fake_slack.calls_to("views.open")) == 1
    assert fake_slack.responses == []


def test_help(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    body = _feedback(slack, fake_slack, "help")
    assert "/feedback Acme:" in body["text"]
    assert notes_in(served) == []


def test_expired_trigger_gets_a_clear_message(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    fake_slack.expire_trigger("1.2.expired")
    slack.command(
        ids.CMD_FEEDBACK, "", user_id="UREP1", response_url=fake_slack.response_url(), trigger_id="1.2.expired"
    )
    [(_, body)] = fake_slack.wait_for_responses(1, timeout=30)
    assert "again" in body["text"]


def test_too_long_text_is_refused_whole(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    body = _feedback(slack, fake_slack, "x" * 40_000)
    assert "40,000 characters" in body["text"] and "Nothing was saved" in body["text"]
    served.drain()
    assert notes_in(served) == []


def test_text_as_slack_escapes_it_is_stored_as_typed(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    # Slack sends `&`, `<` and `>` typed in a command as entities.
    _feedback(slack, fake_slack, "Smith &amp; Co: they said &lt;cheap&gt; &amp; fast")
    [(_, body)] = fake_slack.wait_for_responses(1, timeout=30)
    [note] = notes_in(served)
    assert (note.account, note.text) == ("Smith & Co", "they said <cheap> & fast")
    shown = json.dumps(body["blocks"], ensure_ascii=False)
    assert "Smith &amp; Co" in shown and "&lt;cheap&gt; &amp; fast" in shown and "&amp;amp;" not in shown


@pytest.mark.parametrize("text", ["Acme Corp:", ":", " : :: "])
def test_an_account_or_a_colon_without_a_note_is_refused(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, text: str
) -> None:
    body = _feedback(slack, fake_slack, text)
    assert "Nothing was saved" in body["text"] and "after the colon" in body["text"]
    served.drain()
    assert notes_in(served) == []


@pytest.mark.parametrize(
    ("text", "account", "stored"),
    [
        ("Umbrella:\x07 they asked\x00 about SSO 🙂", "Umbrella", "they asked about SSO 🙂"),
        ("Müller GmbH: zu teuer, sagt der Einkauf", "Müller GmbH", "zu teuer, sagt der Einkauf"),
        ("<!channel> <@U999|bob> said: ping everyone", None, "<!channel> <@U999|bob> said: ping everyone"),
        ("'; DROP TABLE notes; --", None, "'; DROP TABLE notes; --"),
    ],
)
def test_odd_text_is_stored_as_given_and_shown_escaped(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, text: str, account: str | None, stored: str
) -> None:
    _feedback(slack, fake_slack, text)
    [(_, body)] = fake_slack.wait_for_responses(1, timeout=30)
    [note] = notes_in(served)
    assert (note.account, note.text) == (account, stored)
    shown = json.dumps(body["blocks"], ensure_ascii=False)
    assert "<!channel>" not in shown and "<@U999" not in shown


def test_home_shows_notes_pending_prompts_and_log_button(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    assert slack.app_home_opened("UREP1").status_code == 200
    fake_slack.wait_for_calls("views.publish", timeout=30)
    empty = fake_slack.home_view("UREP1")
    assert empty is not None and ids.ACTION_LOG_FEEDBACK in buttons(empty)
    _feedback(slack, fake_slack, "Acme: <b>too expensive</b> & slow")
    fake_slack.wait_for_responses(1, timeout=30)
    slack.app_home_opened("UREP1")
    fake_slack.wait_for_calls("views.publish", 2, timeout=30)
    home = fake_slack.home_view("UREP1")
    assert home is not None and len(home["blocks"]) <= 100
    shown = json.dumps(home["blocks"])
    assert "&lt;b&gt;too expensive&lt;/b&gt; &amp; slow" in shown and "Acme" in shown
    assert ids.ACTION_FIX_TAGS in buttons(home)
    # The Home button opens the modal.
    slack.block_action(ids.ACTION_LOG_FEEDBACK, "", user_id="UREP1", view=home)
    assert last_modal(fake_slack)["private_metadata"] == "{}"


def test_retried_home_event_publishes_once(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    slack.app_home_opened("UREP1")
    slack.resend(retry_num=1)
    fake_slack.wait_for_calls("views.publish", timeout=30)
    served.drain()
    assert len(fake_slack.calls_to("views.publish")) == 1


def test_fix_tags_refused_for_someone_else(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    _feedback(slack, fake_slack, "Acme: pricing is too high")
    fake_slack.wait_for_responses(1, timeout=30)
    [note] = wait_until(lambda: notes_in(served))
    dm = fake_slack.dm_channel_id("UREP2")
    slack.block_action(ids.ACTION_FIX_TAGS, str(note.id), user_id="UREP2", channel_id=dm, message={"ts": "1.1"})
    fake_slack.wait_for_calls("chat.postEphemeral", timeout=30)
    assert fake_slack.calls_to("views.open") == []


def _stored_in_groups(
    served: ServedApp, slack: SlackSender, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch, texts: list[str]
) -> tuple[list[int], list[dict]]:
    """Send `/feedback <text>` for each text at once, the first held in its transaction until the others wait
    behind it: the sizes of the groups stored, and each command's ack body (in the order of `texts`)."""
    groups: list[int] = []
    release = threading.Event()
    real_create = note_service.create_notes

    def create_notes(session: Any, team_id: str, drafts: Any, *, now: Any) -> Any:
        groups.append(len(drafts))
        if len(groups) == 1:
            release.wait(10)  # the others arrive while the first note is being stored
        return real_create(session, team_id, drafts, now=now)

    monkeypatch.setattr(note_service, "create_notes", create_notes)
    with ThreadPoolExecutor(len(texts)) as pool:
        first = pool.submit(_feedback, slack, fake, texts[0])
        wait_until(lambda: groups == [1])
        rest = [pool.submit(_feedback, slack, fake, text) for text in texts[1:]]
        wait_until(lambda: served.runtime.waiting_together() == len(texts) - 1)
        release.set()
        acks = [first.result(), *(f.result() for f in rest)]
    monkeypatch.setattr(note_service, "create_notes", real_create)
    return groups, acks


def test_commands_arriving_together_are_stored_together_before_their_acks(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ["Zeta: first in", "Acme: pricing is way too high", "Globex: compared us with Gong", "Initech: no budget"]
    groups, acks = _stored_in_groups(served, slack, fake_slack, monkeypatch, texts)
    assert groups == [1, 3]  # one transaction for the three that arrived together
    assert acks == [{}, {}, {}, {}]  # each acked once stored
    assert sorted(n.account or "" for n in notes_in(served)) == ["Acme", "Globex", "Initech", "Zeta"]
    answers = fake_slack.wait_for_responses(4, timeout=30)
    assert all(body["response_type"] == "ephemeral" and "blocks" in body for _, body in answers)
    assert slack.resend(retry_num=1).status_code == 200  # Slack's retry of the last one
    served.runtime.executor.shutdown(wait=True)
    assert len(notes_in(served)) == 4 and len(fake_slack.responses) == 4  # stored nothing, answered nothing


def test_a_note_that_cannot_be_stored_loses_no_other_and_its_ack_says_so(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_storing(monkeypatch)
    texts = ["Zeta: first in", "Acme: pricing is way too high", "this one breaks the database", "Initech: no budget"]
    groups, acks = _stored_in_groups(served, slack, fake_slack, monkeypatch, texts)
    assert groups[:2] == [1, 3]  # the group of three failed, then each was stored on its own
    assert acks[2] == {"response_type": "ephemeral", "text": STORE_FAILED}
    assert acks[:2] + acks[3:] == [{}, {}, {}]
    assert sorted(n.account or "" for n in notes_in(served)) == ["Acme", "Initech", "Zeta"]
    answers = [body for _, body in fake_slack.wait_for_responses(3, timeout=30)]
    assert all("blocks" in body for body in answers)  # the other three were stored, tagged and answered
