"""A proposed definition (or a new label) for the glossary, submitted from its modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.glossary import DEFINITION_BLOCK, DEFINITION_INPUT, KIND_BLOCK, KIND_INPUT, LABEL_BLOCK, LABEL_INPUT
from bot.errors import UsageError
from bot.listeners.common import team_id
from bot.listeners.errors import reported
from bot.messages import glossary as say
from bot.runtime import Runtime
from bot.services import glossary as service

__all__ = ["ack_propose_submit", "handle_propose_submit"]


def _values(view: dict[str, Any]) -> tuple[str, str, str]:
    values = (view.get("state") or {}).get("values") or {}
    kind = ((values.get(KIND_BLOCK, {}).get(KIND_INPUT) or {}).get("selected_option") or {}).get("value") or ""
    label = (values.get(LABEL_BLOCK, {}).get(LABEL_INPUT) or {}).get("value") or ""
    definition = (values.get(DEFINITION_BLOCK, {}).get(DEFINITION_INPUT) or {}).get("value") or ""
    return str(kind), str(label).strip(), str(definition).strip()


def ack_propose_submit(ack: Ack, view: dict[str, Any]) -> None:
    _kind, label, definition = _values(view)
    errors = {}
    if not label:
        errors[LABEL_BLOCK] = say.NAME_THE_LABEL
    if not definition:
        errors[DEFINITION_BLOCK] = say.WRITE_DEFINITION
    elif len(definition) > service.MAX_DEFINITION:
        errors[DEFINITION_BLOCK] = say.too_long(service.MAX_DEFINITION)
    if errors:
        raise UsageError(field_errors=errors)
    ack()


@reported
def handle_propose_submit(
    body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    kind, label, definition = _values(view)
    if not label or not definition:
        return  # the ack refused it already
    user_id = body["user"]["id"]
    with runtime.session_factory.begin() as session:
        created = service.propose(
            session,
            team_id(context),
            user_id,
            kind=kind,
            label=label,
            definition=definition,
            key=f"view:{view['id']}",
            now=runtime.now(),
        )
    if created:  # a double submit says thanks once
        client.chat_postMessage(channel=user_id, text=say.PROPOSED)
