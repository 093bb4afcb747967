"""`/fieldnotes …`: the ack only parses (usage errors and help are answered right there); the command runs in a
lazy listener and answers ephemerally through the response_url. `export` acks "Working on it…" and sends the
CSV to the admin's DM."""

from __future__ import annotations

import tempfile
from typing import Any

from slack_bolt import Ack, BoltContext, BoltRequest, Respond
from slack_sdk import WebClient

from bot.errors import UsageError
from bot.listeners.common import app_url, run_admin_command, team_id
from bot.listeners.errors import reported
from bot.messages import admin as say
from bot.runtime import Runtime
from bot.services.admin import model as m
from bot.services.admin.export import export_filename, write_csv
from bot.services.admin.parser import help_text, parse
from bot.services.admin.permissions import is_admin, is_workspace_admin, require_admin
from bot.slack import SlackDirectory

__all__ = ["ack_fieldnotes_command", "handle_fieldnotes_command"]


def ack_fieldnotes_command(ack: Ack, command: dict[str, Any]) -> None:
    parsed = parse(command.get("text") or "")  # a UsageError is the ephemeral answer
    if isinstance(parsed, m.Help):
        ack(text=help_text(), response_type="ephemeral")
    elif isinstance(parsed, m.Export):
        ack(text=say.WORKING_ON_IT, response_type="ephemeral")
    else:
        ack()


@reported
def handle_fieldnotes_command(
    body: dict[str, Any],
    command: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
    runtime: Runtime,
    request: BoltRequest,
) -> None:
    try:
        parsed = parse(command.get("text") or "")
    except UsageError:
        return  # answered by the ack
    if isinstance(parsed, m.Help):
        return
    team, user_id = team_id(context), command["user_id"]
    if isinstance(parsed, m.Export):
        text = _export(runtime, client, team, user_id, parsed)
        respond(text=text, response_type="ephemeral", replace_original=False)
        return
    reply = run_admin_command(
        runtime, client, team, user_id, parsed, app_url=app_url(request), trigger_id=command.get("trigger_id")
    )
    if reply is None:
        return  # a replay of a command already run: the first one was answered
    if reply.get("view"):  # `review`: its form, on the command's trigger (valid 3 s, so before anything else)
        client.views_open(trigger_id=command["trigger_id"], view=reply["view"])
        return
    respond(text=reply["text"], blocks=reply["blocks"], response_type="ephemeral", replace_original=False)


def _export(runtime: Runtime, client: WebClient, team_id: str, user_id: str, cmd: m.Export) -> str:
    """Checked, read and uploaded without a Slack call inside a transaction; the CSV streams through a temporary
    file, not memory."""
    with runtime.session_factory() as session:
        allowed = is_admin(session, team_id, user_id, None)
    if not allowed and not is_workspace_admin(SlackDirectory(client), user_id):
        with runtime.session_factory() as session:
            require_admin(session, team_id, user_id, None)  # raises, naming the admins
    now = runtime.now()
    period = say.export_period(cmd.days)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", newline="") as out:
        with runtime.session_factory() as session:
            rows = write_csv(session, team_id, out, days=cmd.days, now=now)
        out.flush()
        dm = client.conversations_open(users=user_id)["channel"]["id"]
        filename = export_filename(now)
        client.files_upload_v2(
            channel=dm,
            file=out.name,
            filename=filename,
            title=filename,
            initial_comment=say.export_comment(rows, period),
        )
    return say.export_sent(rows, period)
