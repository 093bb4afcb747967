"""Database reads the command line needs, each in its own short session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.cli._runtime import runtime_or_exit
from bot.services import workspace_models
from bot.services.notes import human_examples as _human_examples
from storage.repositories import workspaces

__all__ = ["human_examples", "use_model", "workspace_model"]


def human_examples(team_id: str | None) -> list[dict[str, Any]]:
    """Notes whose tags a person fixed, as labelled-data dicts {"text", "themes", "objections", "competitors"}.

    `None` reads every workspace (one install may serve several)."""
    runtime = runtime_or_exit()
    try:
        with runtime.session_factory() as session:
            teams = [team_id] if team_id else workspaces.team_ids(session)
            return [example for team in teams for example in _human_examples(session, team)]
    finally:
        runtime.engine.dispose()


def use_model(team_id: str, directory: Path) -> str | None:
    """Store the pipeline saved in `directory` in the database and make the workspace tag its notes with it, in
    every process: its reference (`db:<id>`), or None for an unknown workspace."""
    runtime = runtime_or_exit()
    try:
        with runtime.session_factory.begin() as session:
            return workspace_models.store(session, team_id, directory, now=runtime.now())
    finally:
        runtime.engine.dispose()


def workspace_model(team_id: str) -> tuple[bool, str | None]:
    """Whether the workspace exists, and where the model it tags with is on this machine (None: the shipped one)."""
    runtime = runtime_or_exit()
    try:
        with runtime.session_factory() as session:
            workspace = workspaces.get(session, team_id)
            if workspace is None:
                return False, None
            return True, workspace_models.local_path(session, team_id, workspace.nlp_model)
    finally:
        runtime.engine.dispose()
