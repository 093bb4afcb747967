"""Tagging in a process of its own, as `fieldnotes run` does it (bot/tagging.py, TaggingProcess): notes the serving
process stores before their acks are tagged by the tagging process and answered with their tags from there; if that
process dies, its batch is tagged and answered by the serving process and a new tagging process takes the next one."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator

import pytest

from bot import ids, tagging
from bot.runtime import Runtime
from bot.tagging import TaggingProcess
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.feedback import buttons, last_modal, modal_values, notes_in, tags_in


@pytest.fixture
def tagger(runtime: Runtime) -> Iterator[TaggingProcess]:
    process = TaggingProcess(runtime.settings)
    process.ready()
    runtime.tagging_process = process
    yield process
    runtime.tagging_process = None
    process.stop()


def _note(slack: SlackSender, fake: FakeSlack, text: str) -> None:
    response = slack.command(ids.CMD_FEEDBACK, text, user_id="UREP1", response_url=fake.response_url())
    assert response.status_code == 200 and not response.content  # acked, stored


def test_notes_stored_here_are_tagged_by_the_tagging_process(
    tagger: TaggingProcess,
    served: ServedApp,
    slack: SlackSender,
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def not_here(*_args: object) -> None:
        raise AssertionError("tagged in the serving process")

    monkeypatch.setattr(tagging, "_tag_here", not_here)  # this process cannot tag: the other one does
    monkeypatch.setattr(tagging, "_run_reply", not_here)  # nor answer: the other one does that too
    assert tagger.pid() != os.getpid()
    _note(slack, fake_slack, "Acme: they think we cost twice what Gong does")
    [(_, body)] = fake_slack.wait_for_responses(1, timeout=120)
    [note] = notes_in(served)
    assert ("theme", "pricing", "rule") in tags_in(served, note.id)
    assert ("competitor", "Gong", "rule") in tags_in(served, note.id)
    assert body["response_type"] == "ephemeral" and "pricing" in json.dumps(body["blocks"])


def test_a_batch_whose_tagging_process_died_is_tagged_here_and_the_next_by_a_new_process(
    tagger: TaggingProcess,
    served: ServedApp,
    slack: SlackSender,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    first = tagger.pid()
    os.kill(first, signal.SIGKILL)
    _note(slack, fake_slack, "Globex: the price is too high for them")
    fake_slack.wait_for_responses(1, timeout=120)
    assert "the tagging process stopped" in caplog.text  # so this batch was tagged here
    _note(slack, fake_slack, "Initech: they asked about the Salesforce integration")
    fake_slack.wait_for_responses(2, timeout=120)
    assert tagger.pid() not in (first, os.getpid())
    pricing, integration = sorted(notes_in(served), key=lambda n: n.id)
    assert ("theme", "pricing", "rule") in tags_in(served, pricing.id)
    assert any(kind == "theme" and source == "rule" for kind, _, source in tags_in(served, integration.id))
    answers = [json.dumps(body["blocks"]) for _, body in fake_slack.responses]
    assert "pricing" in answers[0] and "Salesforce" in answers[1]


def test_a_saved_modal_is_confirmed_by_dm_from_the_tagging_process(
    tagger: TaggingProcess,
    served: ServedApp,
    slack: SlackSender,
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def not_here(*_args: object) -> None:
        raise AssertionError("replied from the serving process")

    monkeypatch.setattr(tagging, "_run_reply", not_here)
    opened = slack.command(ids.CMD_FEEDBACK, "", user_id="UREP1", response_url=fake_slack.response_url())
    assert opened.status_code == 200  # the modal is open
    values = modal_values(objections=["too expensive"], competitors=["Gong"])
    response = slack.view_submission(last_modal(fake_slack), values, user_id="UREP1")
    assert response.status_code == 200 and not response.content
    fake_slack.wait_for_calls("chat.postMessage", 1, timeout=120)
    [confirmation] = fake_slack.messages("UREP1")
    assert ids.ACTION_FIX_TAGS in buttons(confirmation)
    assert "picked by you" in json.dumps(confirmation["blocks"])
