"""Fixtures for the bot tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.jobs import engine


@pytest.fixture
def job_handler(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """`job_handler(kind, fn, **options)` registers a handler for this test only: the registry is as before
    afterwards."""

    monkeypatch.setattr(engine, "_HANDLERS", dict(engine._HANDLERS))  # the registry is put back afterwards

    def register(kind: str, fn: Callable[[engine.JobContext], None], **options: Any) -> None:
        engine.handler(kind, **options)(fn)

    return register
