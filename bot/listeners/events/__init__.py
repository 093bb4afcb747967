"""Events: the only place an event type meets its handler."""

from __future__ import annotations

from slack_bolt import App

from bot import ids
from bot.listeners.common import ack_only
from bot.listeners.events.home import handle_home_opened
from bot.listeners.events.lifecycle import handle_app_uninstalled, handle_tokens_revoked

__all__ = ["register"]


def register(app: App) -> None:
    app.event(ids.EVENT_APP_HOME_OPENED)(ack=ack_only, lazy=[handle_home_opened])
    app.event(ids.EVENT_APP_UNINSTALLED)(handle_app_uninstalled)
    app.event(ids.EVENT_TOKENS_REVOKED)(handle_tokens_revoked)
