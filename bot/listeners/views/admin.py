"""Submissions of the admin modals: the same commands `/fieldnotes` runs, with errors shown on the fields.

They run in the ack (a few quick queries, and for a digest the channel check) so a mistake is shown in the
modal instead of vanishing; App Home is republished afterwards in a lazy listener.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks.admin import parse_digest_values, parse_question_values
from bot.errors import FieldNotesError
from bot.listeners.common import publish_home, run_admin_command, team_id
from bot.listeners.errors import reported
from bot.runtime import Runtime
from bot.services.admin import model as m

__all__ = ["handle_admin_digest_submit", "handle_admin_question_submit", "handle_admin_saved"]


def handle_admin_question_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    _run(runtime, client, team_id(context), body, parse_question_values(view["state"]["values"]), field="label")
    ack()


def handle_admin_digest_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime
) -> None:
    _run(runtime, client, team_id(context), body, parse_digest_values(view["state"]["values"]), field="channel")
    ack()


@reported
def handle_admin_saved(body: dict[str, Any], client: WebClient, context: BoltContext, runtime: Runtime) -> None:
    publish_home(runtime, client, team_id(context), body["user"]["id"])


def _run(runtime: Runtime, client: WebClient, team: str, body: dict[str, Any], cmd: m.Command, field: str) -> None:
    """Run the command; its refusal is shown on `field` (the modal's field errors come from parsing)."""
    try:
        run_admin_command(runtime, client, team, body["user"]["id"], cmd)
    except FieldNotesError as exc:
        raise type(exc)(exc.message, field_errors={field: exc.message}) from exc
