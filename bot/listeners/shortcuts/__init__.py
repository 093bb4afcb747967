"""Shortcuts: the only place a callback_id of a shortcut meets its handler."""

from __future__ import annotations

from slack_bolt import App

from bot import ids
from bot.listeners.shortcuts.log_message import handle_log_message_shortcut

__all__ = ["register"]


def register(app: App) -> None:
    app.shortcut(ids.SHORTCUT_LOG_MESSAGE)(handle_log_message_shortcut)
