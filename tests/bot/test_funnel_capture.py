"""Stages and segments captured: from the call webhook, mapped from CRM names, and from the modal's stage question."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot import ids
from bot.services.stages import map_stage, stage_listing
from storage.models import Account, Call, StageMapping
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.calls import CALL, post_hook
from tests.support.feedback import NOW, buttons, freeze, last_modal, modal_values, notes_in
from tests.support.waiting import wait_until

SEGMENTED = {**CALL, "segment": "Mid-market", "industry": "Logistics", "company_size": "200-500", "region": "EMEA"}


def _log_from_prompt(
    served: ServedApp, slack: SlackSender, fake: FakeSlack, call: dict[str, Any], **values: Any
) -> Any:
    freeze(served)
    assert post_hook(served, call).status_code == 202
    served.tick(NOW + timedelta(minutes=6))
    dm = fake.dm_channel_id("UREP1")
    prompt_msg = fake.messages(dm)[-1]
    value = buttons(prompt_msg)[ids.ACTION_LOG_FEEDBACK]["value"]
    assert slack.block_action(ids.ACTION_LOG_FEEDBACK, value, user_id="UREP1", channel_id=dm, message=prompt_msg)
    modal = last_modal(fake)
    assert slack.view_submission(modal, modal_values(**values), user_id="UREP1").status_code == 200
    return modal


def test_webhook_segment_and_stage_reach_the_account_the_modal_and_the_note(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    modal = _log_from_prompt(served, slack, fake_slack, SEGMENTED, worked="The ROI calculator landed well")
    stage_block = next(b for b in modal["blocks"] if b.get("block_id") == "q:stage")
    assert stage_block["element"]["initial_option"]["value"] == "negotiation"  # "Negotiation" maps itself
    assert "closed won" in [o["value"] for o in stage_block["element"]["options"]]
    assert any(b.get("block_id") == "q:worked" for b in modal["blocks"])
    [note] = wait_until(lambda: notes_in(served))
    assert (note.stage, note.segment, note.worked) == ("negotiation", "Mid-market", "The ROI calculator landed well")
    with served.runtime.session_factory() as session:
        account = session.scalars(select(Account)).one()
        assert (account.name, account.name_key, account.segment, account.industry) == (
            "Acme Corp",
            "acme corp",
            "Mid-market",
            "Logistics",
        )
        assert (account.company_size, account.region, account.stage) == ("200-500", "EMEA", "negotiation")

    # The same call again changes nothing, and a later call for "ACME  corp" is the same account.
    assert post_hook(served, {**SEGMENTED, "segment": "Enterprise"}).status_code == 200
    assert post_hook(served, {**CALL, "call_id": "crm-2", "account": "ACME  corp", "region": "NA"}).status_code == 202
    with served.runtime.session_factory() as session:
        account = session.scalars(select(Account)).one()
        assert (account.segment, account.region) == ("Mid-market", "NA")


def test_a_crm_stage_name_waits_unmapped_until_an_admin_maps_it(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _log_from_prompt(served, slack, fake_slack, {**CALL, "deal_stage": "Stage 3 - Proposal"})
    [note] = wait_until(lambda: notes_in(served))
    assert note.stage is None
    with served.runtime.session_factory.begin() as session:
        listing = stage_listing(session, "T0001")
        assert listing.unmapped == (("Stage 3 - Proposal", 1),) and listing.mapped == ()
        result = map_stage(session, "T0001", "stage 3 -  proposal", "Proposal", now=NOW)
        assert (result.stage, result.notes_changed) == ("proposal", 1)
    assert notes_in(served)[0].stage == "proposal"
    with served.runtime.session_factory() as session:
        assert session.scalars(select(Call.stage)).one() == "proposal"
        assert session.scalars(select(StageMapping.stage)).one() == "proposal"
        assert stage_listing(session, "T0001").mapped == (("Stage 3 - Proposal", "proposal", 1),)


def test_the_reps_stage_answer_wins_over_the_crms(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    _log_from_prompt(served, slack, fake_slack, CALL, stage="closed lost")
    [note] = wait_until(lambda: notes_in(served))
    assert note.stage == "closed lost" and note.segment is None
