"""`register_listeners(app, runtime)`: each kind of listener registers its own handlers."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, events, shortcuts, views
from bot.runtime import Runtime

__all__ = ["register_listeners"]


def register_listeners(app: App, runtime: Runtime) -> None:
    commands.register(app, runtime)
    actions.register(app, runtime)
    views.register(app, runtime)
    events.register(app, runtime)
    shortcuts.register(app, runtime)
