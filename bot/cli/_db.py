"""Database reads the command line needs, each in its own short session."""

from __future__ import annotations

from typing import Any

from bot.cli._runtime import runtime_or_exit
from bot.services.notes import human_examples as _human_examples

__all__ = ["human_examples"]


def human_examples(team_id: str) -> list[dict[str, Any]]:
    """Notes whose tags a person fixed, as labelled-data dicts {"text", "themes", "objections", "competitors"}."""
    runtime = runtime_or_exit()
    try:
        with runtime.session_factory() as session:
            return _human_examples(session, team_id)
    finally:
        runtime.engine.dispose()
