"""Fixtures for the bot tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.jobs import engine
from bot.runtime import make_runtime
from tests.conftest import ServedApp, make_settings
from tests.fakes.slack_api import FakeSlack


@pytest.fixture
def job_handler(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """`job_handler(kind, fn, **options)` registers a handler for this test only: the registry is as before
    afterwards."""

    monkeypatch.setattr(engine, "_HANDLERS", dict(engine._HANDLERS))  # the registry is put back afterwards

    def register(kind: str, fn: Callable[[engine.JobContext], None], **options: Any) -> None:
        engine.handler(kind, **options)(fn)

    return register


@pytest.fixture
def oauth_app(db_url: str, fake_slack: FakeSlack) -> Iterator[ServedApp]:
    """The app served in OAuth (multi-workspace) mode: no bot token, a client id and secret."""
    settings = make_settings(
        db_url, fake_slack.url, slack_bot_token=None, slack_client_id="111.222", slack_client_secret="shh"
    )
    runtime = make_runtime(settings)
    with ServedApp(runtime) as app:
        yield app
    runtime.engine.dispose()
