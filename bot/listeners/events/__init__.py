"""Events: the only place an event type meets its handler."""

from __future__ import annotations

from slack_bolt import App

from bot import ids
from bot.listeners.common import ack_only
from bot.listeners.events.dm import handle_dm_changed, handle_dm_deleted, handle_dm_message
from bot.listeners.events.home import handle_home_opened
from bot.listeners.events.lifecycle import handle_app_uninstalled, handle_tokens_revoked

__all__ = ["register"]


def register(app: App) -> None:
    app.event(ids.EVENT_APP_HOME_OPENED)(ack=ack_only, lazy=[handle_home_opened])
    app.event(ids.EVENT_APP_UNINSTALLED)(handle_app_uninstalled)
    app.event(ids.EVENT_TOKENS_REVOKED)(handle_tokens_revoked)
    # Messages in the app's DM: new ones are notes, edits and deletions change them; Bolt runs the first
    # listener that matches, and any other subtype (joins, files, bots) is acknowledged and left alone.
    app.event({"type": ids.MESSAGE, "subtype": None})(handle_dm_message)
    app.event({"type": ids.MESSAGE, "subtype": ids.MESSAGE_CHANGED})(handle_dm_changed)
    app.event({"type": ids.MESSAGE, "subtype": ids.MESSAGE_DELETED})(handle_dm_deleted)
    app.event(ids.MESSAGE)(ack_only)
