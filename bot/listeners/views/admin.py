"""Submissions of the admin modals: the same commands `/fieldnotes` runs, with errors shown on the fields.

They run in the ack (a few quick queries, and for a digest the channel check) so a mistake is shown in
the modal instead of vanishing; App Home is republished afterwards in a lazy listener.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import ids
from bot.blocks.admin import parse_digest_values, parse_question_values
from bot.errors import FieldNotesError, UsageError
from bot.listeners.commands.fieldnotes import run_command
from bot.runtime import Runtime
from bot.services.admin import model as m

logger = logging.getLogger(__name__)

_FIELD = {m.QuestionsAdd: "label", m.DigestsAdd: "channel"}


def _submit(runtime: Runtime, ack: Ack, body: dict[str, Any], client: WebClient, parsed: m.Command) -> None:
    team_id = body["team"]["id"] if isinstance(body.get("team"), dict) else body["user"]["team_id"]
    try:
        run_command(runtime, client, team_id, body["user"]["id"], parsed)
    except FieldNotesError as exc:
        ack(response_action="errors", errors={_FIELD[type(parsed)]: str(exc)[:300]})
        return
    ack()


def _field_errors(exc: UsageError) -> dict[str, str]:
    errors = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {"label": str(exc)}
    return {k: str(v)[:300] for k, v in errors.items()}


def _republish(runtime: Runtime, body: dict[str, Any], client: WebClient) -> None:
    try:
        from bot.listeners.events.home import publish_home
    except ImportError:
        return
    team_id = body["team"]["id"] if isinstance(body.get("team"), dict) else body["user"]["team_id"]
    publish_home(runtime, client, team_id, body["user"]["id"])


def register(app: App, runtime: Runtime) -> None:
    def handle_admin_question_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        try:
            parsed = parse_question_values(view["state"]["values"])
        except UsageError as exc:
            ack(response_action="errors", errors=_field_errors(exc))
            return
        _submit(runtime, ack, body, client, parsed)

    def handle_admin_digest_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        try:
            parsed = parse_digest_values(view["state"]["values"])
        except UsageError as exc:
            ack(response_action="errors", errors=_field_errors(exc))
            return
        _submit(runtime, ack, body, client, parsed)

    def republish_home(body: dict[str, Any], client: WebClient) -> None:
        _republish(runtime, body, client)

    app.view(ids.VIEW_ADMIN_QUESTIONS)(ack=handle_admin_question_submit, lazy=[republish_home])
    app.view(ids.VIEW_ADMIN_DIGESTS)(ack=handle_admin_digest_submit, lazy=[republish_home])
