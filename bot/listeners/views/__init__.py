"""The views listeners: `register(app, runtime)` is the only place a Slack ID meets a handler."""

from __future__ import annotations

from slack_bolt import App

from bot.runtime import Runtime


def register(app: App, runtime: Runtime) -> None:
    pass
