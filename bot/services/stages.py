"""Deal stages: the workspace's funnel, CRM stage names mapped onto it, and the stage a note was heard at."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.errors import UsageError
from bot.messages import funnel as say
from storage.repositories import funnel as repo

__all__ = [
    "DEFAULT_STAGES",
    "MapResult",
    "StageListing",
    "guess_stage",
    "map_stage",
    "record_crm_stage",
    "stage_listing",
    "valid_stage",
]

#: The funnel, in order. CRM stage names map onto these; the modal's stage question offers them.
DEFAULT_STAGES: tuple[str, ...] = (
    "prospecting",
    "discovery",
    "demo",
    "proposal",
    "negotiation",
    "closed won",
    "closed lost",
    "onboarding",
    "renewal",
)

_SEPARATORS = re.compile(r"[\s_\-/.]+")


def _key(name: str) -> str:
    return _SEPARATORS.sub(" ", name).strip().casefold()


def valid_stage(name: str | None) -> str | None:
    """The stage `name` spells (any case, `closed_won`, `Closed-Won`), or None."""
    if not name:
        return None
    key = _key(name)
    return key if key in DEFAULT_STAGES else None


def guess_stage(crm_name: str) -> str | None:
    """A CRM name that is a stage's own name maps itself; anything else waits for an admin."""
    return valid_stage(crm_name)


def record_crm_stage(session: Session, team_id: str, crm_name: str | None, *, now: datetime) -> str | None:
    """Note a CRM stage name seen on a call; the workspace stage it maps to, or None while it is unmapped."""
    if not crm_name or not crm_name.strip():
        return None
    row = repo.seen_stage(session, team_id, crm_name.strip(), guess=guess_stage(crm_name), now=now)
    return row.stage


@dataclass(frozen=True)
class MapResult:
    crm_name: str
    stage: str
    notes_changed: int


def map_stage(session: Session, team_id: str, crm_name: str, stage: str, *, now: datetime) -> MapResult:
    """Map a CRM name onto a stage; calls already reported with it, and their notes without a stage, follow."""
    crm_name = " ".join(crm_name.split())
    if not crm_name:
        raise UsageError(f"Usage: {say.STAGES_USAGE}")
    found = valid_stage(stage)
    if found is None:
        close = difflib.get_close_matches(_key(stage), DEFAULT_STAGES, n=1, cutoff=0.6)
        raise UsageError(say.unknown_stage(stage, DEFAULT_STAGES, close[0] if close else None))
    repo.set_mapping(session, team_id, crm_name, found, now=now)
    changed = repo.apply_stage(session, team_id, crm_name, found)
    return MapResult(crm_name, found, changed)


@dataclass(frozen=True)
class StageListing:
    stages: tuple[str, ...]
    mapped: tuple[tuple[str, str, int], ...]  # (CRM name, stage, calls)
    unmapped: tuple[tuple[str, int], ...]  # (CRM name, calls), the most frequent first


def stage_listing(session: Session, team_id: str) -> StageListing:
    rows = repo.mappings(session, team_id)
    mapped = tuple((r.crm_name, r.stage, r.calls) for r in rows if r.stage)
    unmapped = tuple(sorted(((r.crm_name, r.calls) for r in rows if not r.stage), key=lambda item: -item[1]))
    return StageListing(DEFAULT_STAGES, mapped, unmapped)
