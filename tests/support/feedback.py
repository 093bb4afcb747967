"""The rep's side: a fixed clock, a call through the webhook, the prompt, the modal and what got stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from bot.blocks.feedback import INPUT_ACTION, block_id
from bot.services import notes as note_service
from storage.models import Note, Prompt, Tag
from tests.conftest import ServedApp
from tests.fakes import multi_select_value, plain_text_value, static_select_value
from tests.fakes.slack_api import FakeSlack
from tests.support.calls import CALL, post_hook

# Wednesday 25 November 2026, 10:35 in New York (UREP1's timezone).
NOW = datetime(2026, 11, 25, 15, 35, tzinfo=UTC)


def freeze(served: ServedApp, at: datetime = NOW) -> None:
    served.runtime.clock = lambda: at


def buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """action_id -> button element of a message's (or view's) blocks."""
    out = {}
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("type") == "button":
                out[element["action_id"]] = element
        accessory = block.get("accessory")
        if accessory and accessory.get("type") == "button":
            out.setdefault(accessory["action_id"], accessory)
    return out


def modal_values(
    said: str | None = "They think we cost twice what Gong does.",
    *,
    account: str | None = "Acme Corp",
    outcome: str | None = "stalled",
    objections: list[str] | None = None,
    competitors: list[str] | None = None,
    helped: str | None = None,
    stage: str | None = None,
    worked: str | None = None,
) -> dict[str, Any]:
    values = {
        block_id("account"): {INPUT_ACTION: plain_text_value(account)},
        block_id("outcome"): {INPUT_ACTION: static_select_value(outcome)},
        block_id("said"): {INPUT_ACTION: plain_text_value(said)},
        block_id("objections"): {INPUT_ACTION: multi_select_value(objections or [])},
        block_id("competitors"): {INPUT_ACTION: multi_select_value(competitors or [])},
        block_id("helped"): {INPUT_ACTION: plain_text_value(helped)},
    }
    if stage is not None:
        values[block_id("stage")] = {INPUT_ACTION: static_select_value(stage)}
    if worked is not None:
        values[block_id("worked")] = {INPUT_ACTION: plain_text_value(worked)}
    return values


def last_modal(fake: FakeSlack, callback_id: str = ids.VIEW_FEEDBACK) -> dict[str, Any]:
    views = [v for v in fake.views.values() if v.get("callback_id") == callback_id]
    assert views, f"no {callback_id} view was opened"
    return views[-1]


def notes_in(served: ServedApp) -> list[Note]:
    with served.runtime.session_factory() as session:
        return list(session.scalars(select(Note).order_by(Note.id)))


def tags_in(served: ServedApp, note_id: int) -> list[tuple[str, str, str]]:
    with served.runtime.session_factory() as session:
        rows = session.scalars(select(Tag).where(Tag.note_id == note_id).order_by(Tag.kind, Tag.label))
        return [(t.kind, t.label, t.source) for t in rows]


def prompts_in(served: ServedApp) -> list[Prompt]:
    with served.runtime.session_factory() as session:
        return list(session.scalars(select(Prompt).order_by(Prompt.id)))


def prompt_for_call(served: ServedApp, fake: FakeSlack) -> tuple[str, dict[str, Any], str]:
    """A call through the webhook and the prompt DM it brings (clock frozen at NOW): the DM channel, the
    prompt message and its *Log feedback* button's value."""
    freeze(served)
    post_hook(served, CALL)
    served.tick(NOW + timedelta(minutes=6))
    dm = fake.dm_channel_id("UREP1")
    [prompt_msg] = fake.messages(dm)
    return dm, prompt_msg, buttons(prompt_msg)[ids.ACTION_LOG_FEEDBACK]["value"]


def break_storing(monkeypatch: pytest.MonkeyPatch, marker: str = "breaks the database") -> Any:
    """Make storing fail, as a lost database would, for any group of notes with `marker` in what the customer
    said; the real `create_notes` is returned, to put back."""
    real_create = note_service.create_notes

    def create_notes(session: Any, team_id: str, drafts: Any, *, now: Any) -> Any:
        if any(marker in draft.answers["said"] for _, draft in drafts):
            raise RuntimeError("the database went away")
        return real_create(session, team_id, drafts, now=now)

    monkeypatch.setattr(note_service, "create_notes", create_notes)
    return real_create
