"""Candidate competitors (vendors notes compare with, not on the list) shown to admins in `/fieldnotes competitors
list` and App Home; adding one re-tags the past notes that name it. The share of corrected notes on App Home.
Signed requests over HTTP against the fake Slack, with the real tagger."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot import ids
from bot.services import corrections
from storage.models import Note, VendorMention
from storage.repositories import vendors, workspaces
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.admin import run
from tests.support.feedback import NOW, buttons, freeze, notes_in, tags_in
from tests.support.waiting import wait_until

TEAM = "T0001"
NOTES = (
    "they are also piloting Freshsales",
    "Globex: switching from Freshsales next quarter <!channel>, write to ana@example.com",
    "their founder spoke at a Freshsales event once",  # named in passing: no candidate, no competitor
)


def _write_notes(served: ServedApp, slack: SlackSender, fake: FakeSlack, texts: tuple[str, ...] = NOTES) -> list[Note]:
    freeze(served)
    for i, text in enumerate(texts):
        served.runtime.clock = lambda i=i: NOW + timedelta(minutes=i)  # type: ignore[misc]
        slack.command(ids.CMD_FEEDBACK, text, user_id="UREP1", response_url=fake.response_url())
        fake.wait_for_responses(i + 1, timeout=30)
    return wait_until(
        lambda: [n for n in notes_in(served) if n.tagged_at] if len(notes_in(served)) == len(texts) else []
    )


def _home(fake: FakeSlack, slack: SlackSender, user: str) -> dict[str, Any]:
    before = len(fake.calls_to("views.publish"))
    slack.app_home_opened(user)
    fake.wait_for_calls("views.publish", before + 1, timeout=30)
    view = fake.home_view(user)
    assert view is not None
    return view


def _competitors(served: ServedApp) -> list[str]:
    with served.runtime.session_factory() as session:
        return [c.name for c in workspaces.competitors(session, TEAM)]


def test_competitors_list_shows_candidates_to_admins_and_add_retags_past_notes(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    notes = _write_notes(served, slack, fake_slack)
    listed = run(slack, fake_slack, "competitors list")
    assert "*Candidates* (1)" in listed
    assert (
        "• Freshsales — 2 notes, latest: “switching from Freshsales next quarter &lt;!channel&gt;, write to [email]”"
        in listed
    )
    assert "ana@example.com" not in listed and "<!channel>" not in listed  # redacted, escaped
    assert "Only Field Notes admins" in run(slack, fake_slack, "competitors list", user="UREP1")
    assert not any(kind == "competitor" for n in notes for kind, _, _ in tags_in(served, n.id))

    # A person's tag on the third note stays; the machine's competitor tags come from the new list.
    with served.runtime.session_factory.begin() as session:
        corrections.fix_tags(session, TEAM, notes[2].id, "UREP1", {"theme": ["support"]}, now=NOW)
    answer = run(slack, fake_slack, "competitors add Freshsales")
    assert "Added competitor “Freshsales”" in answer and "2 notes now count it" in answer
    assert "Freshsales" in _competitors(served)
    assert ("competitor", "Freshsales", "rule") in tags_in(served, notes[0].id)
    assert ("competitor", "Freshsales", "rule") in tags_in(served, notes[1].id)
    assert tags_in(served, notes[2].id) == [("theme", "support", "human")]
    assert "*Candidates*" not in run(slack, fake_slack, "competitors list")
    with served.runtime.session_factory() as session:
        assert session.scalars(select(VendorMention)).all() == []


def test_admin_home_offers_add_as_competitor_and_shows_the_share_corrected(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    notes = _write_notes(served, slack, fake_slack, NOTES[:2])
    with served.runtime.session_factory.begin() as session:
        corrections.fix_tags(session, TEAM, notes[0].id, "UREP1", {"theme": ["pricing"]}, now=NOW)
    home = _home(fake_slack, slack, "UADMIN")
    text = json.dumps(home["blocks"])
    assert "1 of 2 notes corrected in the last 30 days (50 %)" in text
    assert "Candidate competitors" in text and "*Freshsales* \\u2014 2 notes" in text
    assert "&lt;!channel&gt;" in text and "ana@example.com" not in text
    add = buttons(home)[ids.ACTION_ADD_VENDOR]
    assert add["value"] == "Freshsales"
    rep_home = json.dumps(_home(fake_slack, slack, "UREP1")["blocks"])
    assert "Candidate competitors" not in rep_home and "corrected in the last" not in rep_home

    # A rep's click (a stale or forged Home) is refused and changes nothing.
    slack.block_action(ids.ACTION_ADD_VENDOR, "Freshsales", user_id="UREP1", view={"id": "VH1", "type": "home"})
    wait_until(
        lambda: [c for c in fake_slack.calls_to("chat.postMessage") if "Only Field Notes admins" in str(c.params)]
    )
    assert "Freshsales" not in _competitors(served)

    published = len(fake_slack.calls_to("views.publish"))
    slack.block_action(ids.ACTION_ADD_VENDOR, "Freshsales", user_id="UADMIN", view={"id": "VH2", "type": "home"})
    fake_slack.wait_for_calls("views.publish", published + 1, timeout=30)
    assert "Freshsales" in _competitors(served)
    assert ("competitor", "Freshsales", "rule") in tags_in(served, notes[1].id)
    after = json.dumps(fake_slack.home_view("UADMIN")["blocks"])  # type: ignore[index]
    assert "Candidate competitors" not in after


def test_candidates_are_kept_per_workspace_and_per_note_once(served: ServedApp) -> None:
    from bot.services.workspaces import ensure_workspace
    from storage.repositories.notes import NoteIn, create_many
    from storage.repositories.people import ensure

    with served.runtime.session_factory.begin() as session:
        ids_by_team = {}
        for team in ("TAAA", "TBBB"):
            ensure_workspace(session, team, now=NOW)
            author = ensure(session, team, "U1")
            new = [NoteIn(team, author.id, "command", f"{team}-{i}", f"piloting Acmesoft {i}", NOW) for i in range(2)]
            ids_by_team[team] = [n.id for n, _ in create_many(session, team, new)]
        a1, a2 = ids_by_team["TAAA"]
        vendors.record(session, "TAAA", {a1: ["Acmesoft"], a2: ["acmesoft ", "Zed"]}, {a1: NOW, a2: NOW})
        later = NOW + timedelta(days=1)
        vendors.record(session, "TAAA", {a1: ["Acmesoft"]}, {a1: later})  # the same note seen again
    with served.runtime.session_factory() as session:
        found = {c.key: c for c in vendors.candidates(session, "TAAA")}
        assert vendors.candidates(session, "TBBB") == []
        assert vendors.notes_naming(session, "TBBB", ["Zed"], limit=10) == {}
    assert set(found) == {"acmesoft", "zed"} and found["acmesoft"].notes == 2
    assert (found["acmesoft"].first_seen, found["acmesoft"].last_seen) == (NOW, later)
    assert found["acmesoft"].note_id == a1  # the latest seen
