"""The commands listeners. Each module here has a `register(app, runtime)`: the only place a Slack ID meets
a handler. This package registers every module it holds, so adding a file is all a new feature needs."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners._discover import register_package
from bot.runtime import Runtime


def register(app: App, runtime: Runtime) -> None:
    register_package(__name__, app, runtime)
