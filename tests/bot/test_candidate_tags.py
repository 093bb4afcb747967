"""Candidate tags offered under a saved note: one click adds one as a `human` tag, once, for the note's rep or an
admin only; unconfirmed candidates never count in the digest. Signed requests over HTTP against the fake Slack."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from bot import ids
from bot.blocks.feedback import parse_candidate_value
from bot.services.digest import build_digest_data, rolling_period
from nlp.tagger import Analysis, Tag, Tagger
from nlp.taxonomy import Taxonomy
from storage.models import Note
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.feedback import NOW, buttons, freeze, last_modal, modal_values, notes_in, tags_in
from tests.support.waiting import wait_until

TEAM = "T0001"
# The model is retrained often, so which labels it is unsure of moves: the tests fix the candidates (on top of
# the real tagger's confident tags) to test the Slack side, which is what they are about.
OFFERED = (("objection", "too complex"), ("theme", "usability"), ("theme", "support"), ("theme", "onboarding"))


@pytest.fixture(autouse=True)
def _candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    real = Tagger.analyse_many

    def analyse_many(self: Tagger, texts: Any, taxonomy: Taxonomy | None = None, **kw: Any) -> list[Analysis]:
        out = []
        for analysis in real(self, texts, taxonomy, **kw):
            tagged = {(t.kind, t.label) for t in analysis.tags}
            extra = [Tag(k, lab, 0.6 - i / 10, "model", None, confident=False) for i, (k, lab) in enumerate(OFFERED)]
            out.append(replace(analysis, candidates=[t for t in extra if (t.kind, t.label) not in tagged]))
        return out

    monkeypatch.setattr(Tagger, "analyse_many", analyse_many)


def _candidate_buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: b for k, b in buttons(message).items() if k.startswith(ids.ACTION_CONFIRM_CANDIDATE)}


def _offered(message: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for button in _candidate_buttons(message).values():
        parsed = parse_candidate_value(button["value"])
        assert parsed is not None
        out.append(parsed[1])
    return out


def _click(slack: SlackSender, button: dict[str, Any], user: str, **where: Any) -> None:
    response = slack.block_action(button["action_id"], button["value"], user_id=user, block_id="candidates", **where)
    assert response.status_code == 200


def _counts(served: ServedApp) -> dict[tuple[str, str], int]:
    with served.runtime.session_factory() as session:
        data = build_digest_data(session, TEAM, rolling_period(NOW + timedelta(hours=1)))
    return {(line.kind, line.label): line.count for lines in data.top.values() for line in lines}


def _note(served: ServedApp) -> Note:
    [note] = wait_until(lambda: [n for n in notes_in(served) if n.tagged_at])
    return note


def test_candidates_in_the_answer_to_feedback_text_confirmed_once_by_rep_or_admin(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    freeze(served)
    url = fake_slack.response_url()
    slack.command(ids.CMD_FEEDBACK, "Acme: they think we cost twice what Gong does", user_id="UREP1", response_url=url)
    [(_, answer)] = fake_slack.wait_for_responses(1, timeout=30)
    note = _note(served)
    # At most three, best first, none already a tag; the line names them.
    assert _offered(answer) == list(OFFERED[:3])
    text = json.dumps(answer["blocks"])
    assert "Also about *too complex* (objection), *usability* (theme), *support* (theme)?" in text
    assert ids.ACTION_FIX_TAGS in buttons(answer)
    before = tags_in(served, note.id)
    assert not any(label in ("too complex", "usability", "support") for _, label, _ in before)

    # The rep confirms one: a human tag, the answer replaced (the tag shown as theirs, the others still offered).
    first = _candidate_buttons(answer)[f"{ids.ACTION_CONFIRM_CANDIDATE}:0"]
    _click(slack, first, "UREP1", response_url=fake_slack.response_url(), channel_id="C0001")
    [(_, updated)] = fake_slack.wait_for_responses(2, timeout=30)[1:]
    assert updated["replace_original"] is True
    assert _offered(updated) == [("theme", "usability"), ("theme", "support")]
    assert "too complex* objection (picked by you)" in json.dumps(updated["blocks"])
    assert ("objection", "too complex", "human") in tags_in(served, note.id)
    assert set(before) < set(tags_in(served, note.id))  # the machine tags stay
    [stored] = notes_in(served)
    assert stored.corrected_at is not None

    # Another rep may not; an admin may.
    second = _candidate_buttons(updated)[f"{ids.ACTION_CONFIRM_CANDIDATE}:0"]
    _click(slack, second, "UREP2", response_url=fake_slack.response_url(), channel_id="C0001")
    refusal = wait_until(lambda: [e for e in fake_slack.ephemerals if e["user"] == "UREP2"])
    assert "Only the rep who wrote this note (or an admin)" in refusal[0]["text"]
    assert ("theme", "usability", "human") not in tags_in(served, note.id)
    _click(slack, second, "UADMIN", response_url=fake_slack.response_url(), channel_id="C0001")
    wait_until(lambda: ("theme", "usability", "human") in tags_in(served, note.id))
    fake_slack.wait_for_responses(3, timeout=30)

    # A double click and Slack's retry add nothing.
    _click(slack, first, "UREP1", response_url=fake_slack.response_url(), channel_id="C0001")
    fake_slack.wait_for_responses(4, timeout=30)
    assert slack.resend(retry_num=1).status_code == 200
    served.bolt.listener_runner.listener_executor.shutdown(wait=True)  # type: ignore[attr-defined]
    assert tags_in(served, note.id).count(("objection", "too complex", "human")) == 1
    assert len(fake_slack.responses) == 4  # the retry did not answer again

    # The digest counts stored tags only: the confirmed ones, never a candidate nobody clicked.
    counts = _counts(served)
    assert counts[("objection", "too complex")] == 1 and counts[("theme", "usability")] == 1
    assert ("theme", "support") not in counts


def test_candidates_in_the_confirmation_dm_update_it_in_place(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    freeze(served)
    slack.command(ids.CMD_FEEDBACK, "", user_id="UREP1", response_url=fake_slack.response_url())
    modal = last_modal(fake_slack)
    assert slack.view_submission(modal, modal_values("<!channel> their team found it hard"), user_id="UREP1")
    note = _note(served)
    dm = fake_slack.dm_channel_id("UREP1")
    fake_slack.wait_for_calls("chat.postMessage", 1, timeout=30)
    [confirmation] = fake_slack.messages(dm)
    assert "&lt;!channel&gt;" in json.dumps(confirmation["blocks"])
    offered = _candidate_buttons(confirmation)
    assert len(offered) == 3 and all(len(b["value"]) <= 2000 for b in offered.values())
    before = _offered(confirmation)
    pick = offered[f"{ids.ACTION_CONFIRM_CANDIDATE}:1"]
    _click(slack, pick, "UREP1", channel_id=dm, message=confirmation)
    fake_slack.wait_for_calls("chat.update", 1, timeout=30)
    [shown] = fake_slack.messages(dm)
    clicked = before[1]
    assert _offered(shown) == [before[0], before[2]]  # the clicked label is no longer offered
    assert (*clicked, "human") in tags_in(served, note.id)


def test_a_malformed_or_stale_candidate_click_changes_nothing(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    freeze(served)
    slack.command(ids.CMD_FEEDBACK, "Acme: budget is frozen", user_id="UREP1", response_url=fake_slack.response_url())
    fake_slack.wait_for_responses(1, timeout=30)
    note = _note(served)
    before = tags_in(served, note.id)
    bad: Sequence[str] = ("not json", json.dumps({"n": "1", "t": ["theme", "x"]}), json.dumps({"n": note.id}))
    for value in bad:
        button = {"action_id": f"{ids.ACTION_CONFIRM_CANDIDATE}:0", "value": value}
        _click(slack, button, "UREP1", response_url=fake_slack.response_url(), channel_id="C0001")
    # A label the workspace no longer has is refused with a message, nothing stored.
    gone = {"action_id": f"{ids.ACTION_CONFIRM_CANDIDATE}:0", "value": json.dumps({"n": note.id, "t": ["theme", "x"]})}
    _click(slack, gone, "UREP1", response_url=fake_slack.response_url(), channel_id="C0001")
    wait_until(lambda: any("no longer in this workspace" in e["text"] for e in fake_slack.ephemerals))
    served.bolt.listener_runner.listener_executor.shutdown(wait=True)  # type: ignore[attr-defined]
    assert tags_in(served, note.id) == before
    [stored] = notes_in(served)
    assert stored.corrected_at is None
