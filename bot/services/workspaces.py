"""A workspace's defaults (questions, taxonomy, admins) and its taxonomy as the tagger sees it."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.services import workspace_models
from bot.services.stages import DEFAULT_STAGES
from nlp.taxonomy import Competitor, Label, Taxonomy, default_taxonomy
from storage.models import Workspace
from storage.repositories import lifecycle, people, workspaces

__all__ = [
    "DEFAULT_QUESTIONS",
    "OUTCOMES",
    "QuestionDef",
    "WorkspaceConfig",
    "config_for",
    "ensure_workspace",
    "grant_admins",
    "mark_uninstalled",
    "taxonomy_for",
]

OUTCOMES = ["progressing", "won", "lost", "stalled", "no decision"]

# Keys with a meaning of their own: the rest are free questions an admin added.
# An empty option list on `objections`/`competitors` means "the workspace's taxonomy".
DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {"key": "account", "label": "Account", "type": "text", "options": [], "optional": False},
    {"key": "outcome", "label": "Outcome", "type": "select", "options": OUTCOMES, "optional": False},
    {"key": "stage", "label": "Deal stage", "type": "select", "options": list(DEFAULT_STAGES), "optional": True},
    {"key": "said", "label": "What the customer said", "type": "long", "options": [], "optional": False},
    {"key": "objections", "label": "Objections heard", "type": "multiselect", "options": [], "optional": True},
    {"key": "competitors", "label": "Competitors mentioned", "type": "multiselect", "options": [], "optional": True},
    {"key": "worked", "label": "What helped", "type": "long", "options": [], "optional": True},
    {"key": "helped", "label": "What would have helped", "type": "long", "options": [], "optional": True},
]


def ensure_workspace(
    session: Session,
    team_id: str,
    *,
    now: datetime,
    admin_ids: Iterable[str] = (),
    name: str = "",
    enterprise_id: str | None = None,
) -> Workspace:
    """The workspace row, created with the shipped defaults the first time it is seen; `enterprise_id`, when a
    request says the workspace is in an Enterprise Grid org, is recorded."""
    if workspaces.create_if_missing(session, team_id=team_id, now=now, name=name):
        _seed(session, team_id)
        grant_admins(session, team_id, admin_ids)
    if enterprise_id:
        workspaces.set_enterprise(session, team_id, enterprise_id)
    workspace = workspaces.get(session, team_id)
    if workspace is None:  # created above or by another transaction: only a concurrent purge gets here
        raise LookupError(f"workspace {team_id} vanished while it was being set up")
    return workspace


def grant_admins(session: Session, team_id: str, admin_ids: Iterable[str]) -> None:
    """FIELDNOTES_ADMINS are admins (SPEC §2): when the workspace is made, and again at each start of the app (so
    someone added to the setting later is one too; `admins remove` lasts until the next start for them)."""
    for user_id in admin_ids:
        person = people.ensure(session, team_id, user_id)
        if not person.is_admin:
            person.is_admin = True


def _seed(session: Session, team_id: str) -> None:
    workspaces.replace_questions(session, team_id, DEFAULT_QUESTIONS)
    taxonomy = default_taxonomy()
    for label in taxonomy.themes:
        workspaces.add_label(
            session, team_id, kind="theme", name=label.name, description=label.description, phrases=list(label.phrases)
        )
    for label in taxonomy.objections:
        workspaces.add_label(
            session,
            team_id,
            kind="objection",
            name=label.name,
            description=label.description,
            phrases=list(label.phrases),
        )
    for competitor in taxonomy.competitors:
        workspaces.add_competitor(session, team_id, name=competitor.name, aliases=list(competitor.aliases))


@dataclass(frozen=True)
class QuestionDef:
    key: str
    label: str
    type: str
    options: tuple[str, ...]
    optional: bool


@dataclass(frozen=True)
class WorkspaceConfig:
    version: int
    taxonomy: Taxonomy
    questions: tuple[QuestionDef, ...]
    nlp_model: str | None = None  # a model trained for this workspace (`fieldnotes nlp train --team`)


# Per process, keyed by the workspace's config_version, which every edit bumps in the same transaction: each
# note costs one small query instead of reading every label, competitor and question again.
_CONFIG: dict[str, WorkspaceConfig] = {}
_CONFIG_LOCK = threading.Lock()


def config_for(session: Session, team_id: str) -> WorkspaceConfig:
    """The workspace's questions, taxonomy and NLP model as stored now: edits take effect on the next note."""
    version = workspaces.config_version(session, team_id) or 0
    with _CONFIG_LOCK:
        cached = _CONFIG.get(team_id)
    if cached is not None and cached.version == version:
        return cached
    workspace = workspaces.get(session, team_id)
    config = WorkspaceConfig(
        version=version,
        nlp_model=workspace_models.local_path(session, team_id, workspace.nlp_model) if workspace else None,
        taxonomy=_load_taxonomy(session, team_id),
        questions=tuple(
            QuestionDef(q.key, q.label, q.type, tuple(q.options or ()), bool(q.optional))
            for q in workspaces.questions(session, team_id)
        ),
    )
    with _CONFIG_LOCK:
        _CONFIG[team_id] = config
    return config


def taxonomy_for(session: Session, team_id: str) -> Taxonomy:
    """The workspace's taxonomy as stored now: edits take effect on the next note."""
    return config_for(session, team_id).taxonomy


def _load_taxonomy(session: Session, team_id: str) -> Taxonomy:
    rows = workspaces.labels(session, team_id)
    return Taxonomy(
        themes=tuple(Label(r.name, r.description, tuple(r.phrases)) for r in rows if r.kind == "theme"),
        objections=tuple(Label(r.name, r.description, tuple(r.phrases)) for r in rows if r.kind == "objection"),
        competitors=tuple(Competitor(c.name, tuple(c.aliases)) for c in workspaces.competitors(session, team_id)),
    )


def mark_uninstalled(session: Session, team_id: str, *, now: datetime) -> bool:
    """The app left the workspace: its jobs stop, and its data is purged after the grace period unless it is
    installed again. True the first time."""
    return lifecycle.mark_uninstalled(session, team_id, now=now)
