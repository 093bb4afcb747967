"""Every Slack interaction the app handles, by kind: commands/, actions/ (buttons), views/ (modal submissions),
events/, shortcuts/. Each kind's `register(app)` is the only place a Slack id meets its handler; handlers are
module-level `handle_<noun>_<verb>` functions that get the Runtime from Bolt's context (see bot/app.py)."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, events, shortcuts, views

__all__ = ["register_listeners"]


def register_listeners(app: App) -> None:
    commands.register(app)
    actions.register(app)
    views.register(app)
    events.register(app)
    shortcuts.register(app)
