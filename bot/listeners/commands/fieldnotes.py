"""`/fieldnotes …`: the ack only parses (usage errors and help are answered right there); the command
runs in a lazy listener and answers ephemerally through the response_url. `export` acks "Working on it…"
and sends the CSV to the admin's DM."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids, messages
from bot.errors import FieldNotesError, UsageError
from bot.runtime import Runtime
from bot.services.admin import model as m
from bot.services.admin.commands import ChannelCheck, Context, execute
from bot.services.admin.export import build_csv
from bot.services.admin.parser import help_text, parse
from bot.services.admin.permissions import require_admin
from bot.slack import SlackDirectory

__all__ = ["SlackChannels", "register", "run_command"]

logger = logging.getLogger(__name__)


class SlackChannels:
    """Can the bot post in a channel? Joins public channels it is not in yet."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def can_post(self, channel_id: str) -> ChannelCheck:
        invite = (
            f"I can't post in <#{channel_id}> yet: invite me there with `/invite @Field Notes`, then add the digest "
            "again. Nothing was saved."
        )
        try:
            info: dict[str, Any] = self._client.conversations_info(channel=channel_id)["channel"]
        except SlackApiError:
            return ChannelCheck(False, problem=invite)
        name = str(info.get("name") or "")
        if info.get("is_archived"):
            return ChannelCheck(False, name, f"<#{channel_id}> is archived: pick another channel. Nothing was saved.")
        if info.get("is_member") or info.get("is_im"):
            return ChannelCheck(True, name)
        if info.get("is_private"):
            return ChannelCheck(False, name, invite)
        try:
            self._client.conversations_join(channel=channel_id)
        except SlackApiError:
            logger.info("could not join %s", channel_id, exc_info=True)
            return ChannelCheck(False, name, invite)
        return ChannelCheck(True, name)


def run_command(runtime: Runtime, client: WebClient, team_id: str, user_id: str, command: m.Command) -> Any:
    """Execute in one unit of work; a FieldNotesError rolls it back and becomes the answer."""
    ctx = Context(team_id, user_id, runtime.now(), SlackDirectory(client), SlackChannels(client))
    with runtime.session_factory.begin() as session:
        return execute(session, ctx, command)


def register(app: App, runtime: Runtime) -> None:
    def ack_fieldnotes(ack: Ack, command: dict[str, Any]) -> None:
        try:
            parsed = parse(command.get("text") or "")
        except UsageError as exc:
            ack(text=str(exc), response_type="ephemeral")
            return
        if isinstance(parsed, m.Help):
            ack(text=help_text(), response_type="ephemeral")
        elif isinstance(parsed, m.Export):
            ack(text="Working on it…", response_type="ephemeral")
        else:
            ack()

    def handle_fieldnotes_command(command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        try:
            parsed = parse(command.get("text") or "")
        except UsageError:
            return  # answered by the ack
        if isinstance(parsed, m.Help):
            return
        team_id, user_id = command["team_id"], command["user_id"]
        try:
            if isinstance(parsed, m.Export):
                text = _export(runtime, client, team_id, user_id, parsed)
                respond(text=text, response_type="ephemeral", replace_original=False)
                return
            reply = run_command(runtime, client, team_id, user_id, parsed)
        except FieldNotesError as exc:
            respond(text=str(exc), response_type="ephemeral", replace_original=False)
            return
        except Exception:
            logger.exception("/fieldnotes %s failed", parsed.render())
            respond(text=messages.SOMETHING_WENT_WRONG, response_type="ephemeral", replace_original=False)
            return
        respond(text=reply.text, blocks=reply.blocks, response_type="ephemeral", replace_original=False)

    app.command(ids.CMD_FIELDNOTES)(ack=ack_fieldnotes, lazy=[handle_fieldnotes_command])


def _export(runtime: Runtime, client: WebClient, team_id: str, user_id: str, cmd: m.Export) -> str:
    with runtime.session_factory.begin() as session:
        require_admin(session, team_id, user_id, SlackDirectory(client))
        export = build_csv(session, team_id, days=cmd.days, now=runtime.now())
    dm = client.conversations_open(users=user_id)["channel"]["id"]
    period = "all time" if cmd.days is None else f"the last {cmd.days} days"
    client.files_upload_v2(
        channel=dm,
        content=export.content,
        filename=export.filename,
        title=export.filename,
        initial_comment=f"Field Notes export: {export.rows} notes from {period}.",
    )
    return f"Sent you {export.rows} notes from {period} as a CSV in our DM."
