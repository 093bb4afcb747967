"""Slash commands: the only place a command name meets its handler."""

from __future__ import annotations

from slack_bolt import App

from bot import ids
from bot.listeners.commands.feedback import handle_feedback_command
from bot.listeners.commands.fieldnotes import ack_fieldnotes_command, handle_fieldnotes_command

__all__ = ["register"]


def register(app: App) -> None:
    app.command(ids.CMD_FEEDBACK)(handle_feedback_command)
    app.command(ids.CMD_FIELDNOTES)(ack=ack_fieldnotes_command, lazy=[handle_fieldnotes_command])
