"""`/fieldnotes stages`, `funnel` and `account` as people type them, answered through the response_url; the *See*
buttons of the answers open the notes behind them; a marketing note pinned to an account reaches the rep's next
prompt for it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot import ids
from bot.services.drilldown import DrillQuery
from storage.repositories import people
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.admin import answer, run, send
from tests.support.calls import CALL, CALL_CLOCK, post_hook
from tests.support.digest import TEAM, workspace
from tests.support.funnel import note
from tests.support.waiting import wait_until


def _blocks(slack: SlackSender, fake: FakeSlack, text: str, user: str = "UMKT") -> list[dict[str, Any]]:
    acked, url_id = send(slack, fake, text, user)
    assert acked is None
    blocks = answer(fake, url_id)["blocks"]
    assert blocks, answer(fake, url_id)
    return list(blocks)


def _buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["text"]["text"]: e for b in blocks for e in b.get("elements", []) if e.get("type") == "button"}


def _marketer(served: ServedApp) -> None:
    served.runtime.clock = lambda: CALL_CLOCK
    with served.runtime.session_factory.begin() as session:
        workspace(session, CALL_CLOCK - timedelta(days=60))
        people.ensure(session, TEAM, "UMKT").is_marketer = True


def test_stages_list_and_map(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    _marketer(served)
    assert post_hook(served, {**CALL, "deal_stage": "Stage 3 - Proposal"}).status_code == 202
    assert post_hook(served, {**CALL, "call_id": "crm-2", "deal_stage": "Negotiation"}).status_code == 202
    listed = run(slack, fake_slack, "stages list", user="UMKT")
    assert listed.startswith("*Deal stages*: prospecting → discovery → demo → proposal → negotiation → closed won")
    assert "*CRM names mapped* (1)\n• Negotiation → negotiation (1 calls)" in listed
    assert "*Not mapped yet* (1)\n• Stage 3 - Proposal (1 calls)" in listed
    assert "Only marketers and admins" in run(slack, fake_slack, "stages list", user="UREP1")

    assert "Only Field Notes admins" in run(slack, fake_slack, 'stages map "Stage 3 - Proposal" proposal', user="UMKT")
    refused = run(slack, fake_slack, 'stages map "Stage 3 - Proposal" proposl')
    assert "`proposl` is not a stage" in refused and "Did you mean `proposal`?" in refused
    assert run(slack, fake_slack, 'stages map "Stage 3 - Proposal" proposal') == (
        "CRM stage *Stage 3 - Proposal* now counts as *proposal*."
    )
    listed = run(slack, fake_slack, "stages list")
    assert "Not mapped yet" not in listed and "Stage 3 - Proposal → proposal (1 calls)" in listed
    assert "Usage: `/fieldnotes stages map" in run(slack, fake_slack, "stages map proposal")


def test_funnel_of_a_label_with_its_notes(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    _marketer(served)
    with served.runtime.session_factory.begin() as session:
        for i, (stage, segment) in enumerate([("discovery", "Mid-market")] * 3 + [("proposal", None)] * 2):
            note(
                session,
                CALL_CLOCK - timedelta(days=40 + i),
                [("theme", "pricing")],
                stage=stage,
                segment=segment,
                text=f"Pricing came up again on call {i}: they asked for tiers, mail sam@example.com back.",
            )
        note(session, CALL_CLOCK - timedelta(days=100), [("theme", "pricing")], stage="demo")  # outside 90 days

    blocks = _blocks(slack, fake_slack, "funnel PRICNG 90d")
    text = blocks[0]["text"]["text"]
    assert text.startswith("*pricing* (theme), last 90 days: *5* notes")
    assert "*By stage*: discovery 3 · proposal 2" in text and "*By segment*: Mid-market 3 · no segment 2" in text
    assert "> “Pricing came up again" in text and "sam@example.com" not in text
    buttons = _buttons(blocks)
    assert set(buttons) == {"See the 5 notes", "discovery: see 3", "proposal: see 2"}
    assert DrillQuery.from_json(buttons["proposal: see 2"]["value"]).stage == "proposal"
    assert run(slack, fake_slack, "funnel pricing", user="UMKT") == "*pricing* (theme), last 30 days: *0* notes"
    assert "`vibes` is not a theme, objection or competitor" in run(slack, fake_slack, "funnel vibes", user="UMKT")

    overview = _blocks(slack, fake_slack, "funnel 90d")
    assert "• *discovery* (3 notes): pricing 3" in overview[0]["text"]["text"]

    slack.block_action(ids.ACTION_SEE_NOTES, buttons["See the 5 notes"]["value"], user_id="UMKT")
    views = wait_until(lambda: [v for v in fake_slack.views.values() if v.get("callback_id") == ids.VIEW_NOTES])
    assert "*5* notes" in views[0]["blocks"][0]["text"]["text"]


def test_account_answer_marketing_note_and_the_reps_next_prompt(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _marketer(served)
    segmented = {**CALL, "segment": "Logistics", "industry": "Freight", "region": "EMEA"}
    assert post_hook(served, segmented).status_code == 202
    with served.runtime.session_factory.begin() as session:
        note(
            session,
            CALL_CLOCK - timedelta(days=3),
            [("theme", "integration"), ("competitor", "Gong")],
            account="Acme Corp",
            stage="discovery",
            text="They need the SAP connector before they move; Gong is in the running too.",
        )
        note(
            session,
            CALL_CLOCK - timedelta(days=1),
            [("objection", "too expensive")],
            account="ACME corp",
            author="UREP2",
        )

    blocks = _blocks(slack, fake_slack, "account acme crop")  # case and a small typo forgiven
    head = blocks[0]["text"]["text"]
    assert head.startswith("*Acme Corp* · Logistics · Freight · EMEA\n*2* notes, 22 Nov 2026 – 24 Nov 2026")
    assert "*Stages*: discovery 1" in head and "*Themes*: integration 1" in head
    assert "*Objections*: too expensive 1" in head and "*Competitors*: Gong 1" in head
    assert "*Who spoke to them*: <@UREP1>, <@UREP2>" in head
    assert blocks[1]["text"]["text"].startswith("*Latest notes*\n• 24 Nov: “The customer talked about too expensive")
    see = _buttons(blocks)["See the 2 notes"]
    slack.block_action(ids.ACTION_SEE_NOTES, see["value"], user_id="UMKT")
    views = wait_until(lambda: [v for v in fake_slack.views.values() if v.get("callback_id") == ids.VIEW_NOTES])
    assert "account *Acme Corp*" in views[0]["blocks"][0]["text"]["text"]
    assert "No account called *Nobody Inc*" in run(slack, fake_slack, "account Nobody Inc", user="UMKT")
    assert "Only marketers and admins" in run(slack, fake_slack, "account Acme Corp", user="UREP1")

    saved = run(slack, fake_slack, 'account acme corp note "Logistics campaign <!here> running in Q1"', user="UMKT")
    assert saved == "Pinned to *Acme Corp*: reps see it in their next prompt for that account."
    assert "Pinned to *Logistics*" in run(
        slack, fake_slack, 'account segment "Logistics" note "Freight case study is out"', user="UMKT"
    )
    assert "From marketing" in str(_blocks(slack, fake_slack, "account Acme Corp"))

    # The rep's next prompt for Acme carries both, escaped.
    assert post_hook(served, {**segmented, "call_id": "crm-9"}).status_code == 202
    served.tick(CALL_CLOCK + timedelta(minutes=11))
    dm = fake_slack.dm_channel_id("UREP1")
    prompt = fake_slack.messages(dm)[-1]
    pinned = next(b for b in prompt["blocks"] if b["type"] == "context")["elements"][0]["text"]
    assert pinned == ("*From marketing*: Freight case study is out · Logistics campaign &lt;!here&gt; running in Q1")
