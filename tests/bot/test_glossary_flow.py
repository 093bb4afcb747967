"""The glossary end to end: anyone proposes a definition (modal), an admin approves it once from App Home, the
definition is the label's; *Fix tags* swaps become "terms to clarify" for admins; entries carry what counts and
recent redacted quotes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import ids
from bot.blocks.glossary import DEFINITION_BLOCK, DEFINITION_INPUT, KIND_BLOCK, KIND_INPUT, LABEL_BLOCK, LABEL_INPUT
from bot.services import corrections, glossary
from bot.services.workspaces import ensure_workspace
from storage.models import GlossaryProposal, TaxonomyLabel
from storage.repositories import people
from tests.conftest import ServedApp
from tests.fakes._payloads import plain_text_value, static_select_value
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.admin import answer, run, send
from tests.support.notes import seed_note
from tests.support.ridealongs import button_in, open_home, settle

T = "T0001"
NOW = datetime(2026, 11, 25, 15, 35, tzinfo=UTC)


def _workspace(served: ServedApp) -> None:
    served.runtime.clock = lambda: NOW
    with served.runtime.session_factory.begin() as session:
        ensure_workspace(session, T, now=NOW, admin_ids=["UADMIN"])


def _values(kind: str, label: str, definition: str) -> dict[str, object]:
    return {
        KIND_BLOCK: {KIND_INPUT: static_select_value(kind)},
        LABEL_BLOCK: {LABEL_INPUT: plain_text_value(label)},
        DEFINITION_BLOCK: {DEFINITION_INPUT: plain_text_value(definition)},
    }


def _propose(slack: SlackSender, fake: FakeSlack, served: ServedApp, user: str, value: str, values: dict) -> None:
    message = fake.add_message(fake.dm_channel_id(user), "glossary", user=fake.bot_user_id)
    response = slack.block_action(
        ids.ACTION_GLOSSARY_PROPOSE, value, user_id=user, channel_id=fake.dm_channel_id(user), message=message
    )
    assert response.status_code == 200
    fake.wait_for_calls("views.open", 1)
    [view] = [v for v in fake.views.values() if v.get("callback_id") == ids.VIEW_GLOSSARY_PROPOSE]
    assert slack.view_submission(view, values, user_id=user, view_id=view["id"]).status_code == 200
    assert slack.view_submission(view, values, user_id=user, view_id=view["id"]).status_code == 200  # double submit
    settle(served)


def test_a_proposal_is_approved_once_and_becomes_the_definition(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _workspace(served)
    definition = "Anything about what the product costs <!channel>, including seats & tiers."
    _propose(slack, fake_slack, served, "UREP1", "theme|pricing", _values("theme", "pricing", definition))
    assert [m["text"] for m in fake_slack.messages("UREP1") if m["text"].startswith("Thanks")] != []
    with served.runtime.session_factory() as session:
        assert len(session.scalars(select(GlossaryProposal)).all()) == 1

    home = open_home(slack, fake_slack, "UADMIN")
    shown = json.dumps(home["blocks"], ensure_ascii=False)
    assert "<@UREP1> proposes for the theme *pricing*" in shown and "&lt;!channel&gt;" in shown
    approve = button_in(home["blocks"], ids.ACTION_GLOSSARY_APPROVE)
    for _ in range(2):  # a double click
        assert (
            slack.block_action(ids.ACTION_GLOSSARY_APPROVE, approve["value"], user_id="UADMIN", view=home).status_code
            == 200
        )
    settle(served)
    with served.runtime.session_factory() as session:
        label = session.scalar(select(TaxonomyLabel).where(TaxonomyLabel.name == "pricing"))
        assert label is not None and label.description == definition
    told = [m for m in fake_slack.messages("UREP1") if "approved your proposed definition" in m["text"]]
    assert len(told) == 1
    assert ids.ACTION_GLOSSARY_APPROVE not in json.dumps(fake_slack.home_view("UADMIN"))


def test_a_new_term_approved_becomes_a_label_and_only_admins_decide(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _workspace(served)
    _propose(slack, fake_slack, served, "UREP2", "", _values("objection", "Vendor lock-in", "Fear of being stuck."))
    home = open_home(slack, fake_slack, "UADMIN")
    assert "the new objection *vendor lock-in*" in json.dumps(home["blocks"])
    value = button_in(home["blocks"], ids.ACTION_GLOSSARY_APPROVE)["value"]
    slack.block_action(ids.ACTION_GLOSSARY_APPROVE, value, user_id="UREP1", view=home)  # not an admin
    settle(served)
    with served.runtime.session_factory() as session:
        assert session.scalar(select(GlossaryProposal.state)) == "open"
    slack.block_action(ids.ACTION_GLOSSARY_APPROVE, value, user_id="UADMIN", view=home)
    settle(served)
    with served.runtime.session_factory() as session:
        names = session.scalars(select(TaxonomyLabel.name).where(TaxonomyLabel.kind == "objection")).all()
        assert "vendor lock-in" in names


def test_empty_definition_is_refused_in_the_modal(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    _workspace(served)
    dm = fake_slack.dm_channel_id("UREP1")
    message = fake_slack.add_message(dm, "g", user=fake_slack.bot_user_id)
    slack.block_action(ids.ACTION_GLOSSARY_PROPOSE, "", user_id="UREP1", channel_id=dm, message=message)
    fake_slack.wait_for_calls("views.open", 1)
    [view] = [v for v in fake_slack.views.values() if v.get("callback_id") == ids.VIEW_GLOSSARY_PROPOSE]
    response = slack.view_submission(view, _values("theme", "pricing", " "), user_id="UREP1")
    assert response.json()["response_action"] == "errors" and DEFINITION_BLOCK in response.json()["errors"]


def test_fix_tags_swaps_show_admins_terms_to_clarify(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _workspace(served)
    with served.runtime.session_factory.begin() as session:
        ana = people.ensure(session, T, "UREP1")
        for day in range(3):
            note = seed_note(session, T, ana, NOW - timedelta(days=day), [("theme", "usability")], "setup was hard")
            chosen = {"theme": ["onboarding"], "objection": [], "competitor": []}
            corrections.fix_tags(session, T, note.id, "UREP1", chosen, now=NOW)
        old = seed_note(session, T, ana, NOW - timedelta(days=40), [("theme", "pricing")], "old")
        corrections.fix_tags(session, T, old.id, "UREP1", {"theme": ["support"]}, now=NOW - timedelta(days=40))
    home = open_home(slack, fake_slack, "UADMIN")
    shown = json.dumps(home["blocks"], ensure_ascii=False)
    assert "*onboarding* ↔ *usability* (themes): swapped on 3 notes" in shown
    assert "support" not in shown.split("Terms to clarify")[1].split("Sharpen")[0]  # older than 30 days


def test_one_entry_has_what_counts_and_recent_redacted_quotes(served: ServedApp) -> None:
    _workspace(served)
    with served.runtime.session_factory.begin() as session:
        ana = people.ensure(session, T, "UREP1")
        seed_note(
            session, T, ana, NOW - timedelta(days=3), [("theme", "pricing")], "Call me on +1 415 555 0100 re price"
        )
        seed_note(session, T, ana, NOW - timedelta(days=1), [("theme", "pricing")], "They want 20% off")
        seed_note(session, T, ana, NOW, [("theme", "onboarding")], "Setup took weeks")
    with served.runtime.session_factory() as session:
        [entry] = glossary.entries(session, T, "Pricing")
        listing = glossary.entries(session, T)
    assert entry.definition.startswith("Price, cost") and "concern" in entry.counts and "not an issue" in entry.excludes
    assert entry.quotes[0] == "They want 20% off" and "[phone]" in entry.quotes[1] and "555" not in entry.quotes[1]
    assert {e.name for e in listing} >= {"pricing", "too expensive"} and all(e.quotes == () for e in listing)


def test_glossary_command_lists_labels_and_admins_describe_them(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _workspace(served)
    with served.runtime.session_factory.begin() as session:
        ana = people.ensure(session, T, "UREP1")
        seed_note(session, T, ana, NOW, [("theme", "pricing")], "They want <!here> 20% off, mail x@y.example")
    listing = json.dumps(answer(fake_slack, send(slack, fake_slack, "glossary", "UREP1")[1]), ensure_ascii=False)
    assert "*pricing* (theme): Price, cost" in listing and "*too expensive* (objection)" in listing
    assert ids.ACTION_GLOSSARY_PROPOSE in listing

    one = json.dumps(answer(fake_slack, send(slack, fake_slack, "glossary Pricing", "UREP1")[1]), ensure_ascii=False)
    assert "*Counts:*" in one and "*Does not count:*" in one
    assert "They want &lt;!here&gt; 20% off, mail [email]" in one and "x@y.example" not in one
    assert "theme|pricing" in one  # the proposal button names the label

    refused = run(slack, fake_slack, 'themes describe pricing "Only list price."', "UREP1")
    assert "admin" in refused.lower()
    said = run(slack, fake_slack, 'themes describe security and compliance "Anything <b>infosec</b> asks for."')
    assert "*security and compliance* now means: Anything &lt;b&gt;infosec&lt;/b&gt; asks for." in said
    after = json.dumps(answer(fake_slack, send(slack, fake_slack, "glossary security and compliance", "UREP1")[1]))
    assert "Anything &lt;b&gt;infosec&lt;/b&gt; asks for." in after
    assert "No label called “nope”" in run(slack, fake_slack, 'objections describe nope "x"')
    assert "Usage" in run(slack, fake_slack, "themes describe pricing unquoted words")
    assert "No label called “nothing”" in run(slack, fake_slack, "glossary nothing", "UREP1")
