"""Glossary buttons: *Propose a definition or a term* (anyone) and an admin's *Approve* / *Decline* in App Home.

Each acks at once; the lazy listener does the work. A proposal is decided once, whatever is clicked twice.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext, BoltRequest
from slack_sdk import WebClient

from bot import ids
from bot.blocks.glossary import build_propose_modal
from bot.listeners.common import action_id, action_value, is_retry, publish_home, team_id, tell_user
from bot.listeners.errors import reported
from bot.messages import glossary as say
from bot.runtime import Runtime
from bot.services import glossary as service
from bot.services.admin.permissions import require_admin

__all__ = ["handle_glossary_decide", "handle_glossary_propose_open"]


@reported
def handle_glossary_propose_open(
    body: dict[str, Any], client: WebClient, request: BoltRequest, context: BoltContext, runtime: Runtime
) -> None:
    if is_retry(request):
        return
    kind, _, label = action_value(body).partition("|")
    view = build_propose_modal(label, kind) if label else build_propose_modal()
    client.views_open(trigger_id=body["trigger_id"], view=view)


@reported
def handle_glossary_decide(
    body: dict[str, Any], client: WebClient, request: BoltRequest, context: BoltContext, runtime: Runtime
) -> None:
    """*Approve* or *Reject*: which one was clicked decides."""
    approve = action_id(body) == ids.ACTION_GLOSSARY_APPROVE
    value, team, user_id = action_value(body), team_id(context), body["user"]["id"]
    if not value.isdigit() or is_retry(request):
        return
    with runtime.session_factory.begin() as session:
        require_admin(session, team, user_id, None)
        decided = service.decide(session, team, int(value), user_id, approve=approve, now=runtime.now())
    if decided is None:
        tell_user(client, body, user_id, say.ALREADY_DECIDED)
    elif decided.proposer_user_id and decided.proposer_user_id != user_id:
        client.chat_postMessage(
            channel=decided.proposer_user_id, text=say.decided(approve, decided.kind, decided.label)
        )
    publish_home(runtime, client, team, user_id)
