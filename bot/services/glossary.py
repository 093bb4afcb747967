"""The shared vocabulary: each label's definition, what counts and what does not, recent quotes (redacted);
proposals anyone may make and admins decide; and vocabulary drift, the label pairs *Fix tags* swaps most.

Slack-free: the listeners and the admin commands render what these return.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.errors import NotFound, UsageError
from bot.messages import glossary as say
from bot.services.glossary_defaults import SCOPE
from bot.services.workspaces import taxonomy_for
from nlp.redact import redact
from storage.repositories import glossary as repo
from storage.repositories import people, workspaces

__all__ = [
    "DRIFT_DAYS",
    "MAX_DEFINITION",
    "Drift",
    "Entry",
    "Proposal",
    "decide",
    "describe",
    "drift",
    "entries",
    "open_proposals",
    "propose",
    "record_fix",
    "swaps",
]

LABEL_KINDS = ("theme", "objection")
MAX_DEFINITION = 500
QUOTES = 3
QUOTE_CHARS = 200
DRIFT_DAYS = 30


@dataclass(frozen=True)
class Entry:
    kind: str
    name: str
    definition: str
    counts: str
    excludes: str
    quotes: tuple[str, ...] = ()  # redacted, not escaped


@dataclass(frozen=True)
class Proposal:
    id: int
    kind: str
    label: str
    definition: str
    proposer_user_id: str
    new_label: bool


@dataclass(frozen=True)
class Drift:
    kind: str
    first: str
    second: str
    notes: int


def entries(session: Session, team_id: str, term: str | None = None) -> list[Entry]:
    """Every theme and objection with its definition; with `term`, that label alone, with recent quotes."""
    taxonomy = taxonomy_for(session, team_id)
    found: list[Entry] = []
    for kind in LABEL_KINDS:
        for label in getattr(taxonomy, f"{kind}s"):
            if term is not None and label.name.lower() != term.strip().lower():
                continue
            counts, excludes = SCOPE.get(label.name, ("", ""))
            if not counts and label.phrases:
                counts = "notes that say " + ", ".join(f"“{p}”" for p in label.phrases[:8])
            quotes = _quotes(session, team_id, kind, label.name) if term is not None else ()
            found.append(Entry(kind, label.name, label.description, counts, excludes, quotes))
    if term is not None and not found:
        names = [n for kind in LABEL_KINDS for n in taxonomy.names(kind)]
        raise NotFound(say.no_such_term(term.strip(), names))
    return found


def _quotes(session: Session, team_id: str, kind: str, label: str) -> tuple[str, ...]:
    picked: list[str] = []
    for text in repo.recent_texts(session, team_id, kind, label):
        if text.strip() and text not in picked:
            picked.append(text)
        if len(picked) == QUOTES:
            break
    return tuple(redact(text)[:QUOTE_CHARS] for text in picked)


def _definition(text: str | None) -> str:
    cleaned = " ".join((text or "").split()).strip('"“”')
    if not cleaned:
        raise UsageError(say.WRITE_DEFINITION)
    if len(cleaned) > MAX_DEFINITION:
        raise UsageError(say.too_long(MAX_DEFINITION))
    return cleaned


def describe(session: Session, team_id: str, kind: str, label: str, definition: str) -> str:
    """An admin's definition of an existing label; the label's name as stored."""
    text = _definition(definition)
    name = repo.describe_label(session, team_id, kind, label, text)
    if name is None:
        raise NotFound(say.no_such_term(label, workspaces_names(session, team_id, kind)))
    workspaces.touch(session, team_id)  # processes cache the taxonomy (descriptions included) by config version
    return name


def workspaces_names(session: Session, team_id: str, kind: str) -> list[str]:
    return [row.name for row in workspaces.labels(session, team_id, kind)]


def propose(
    session: Session, team_id: str, user_id: str, *, kind: str, label: str, definition: str, key: str, now: datetime
) -> bool:
    """A proposed definition (or new label); False when this submission was stored already."""
    if kind not in LABEL_KINDS:
        raise UsageError(say.NAME_THE_LABEL)
    name = " ".join((label or "").split()).lower()
    if not name or len(name) > 100:
        raise UsageError(say.NAME_THE_LABEL)
    text = _definition(definition)
    proposer = people.ensure(session, team_id, user_id)
    values = {
        "team_id": team_id,
        "dedupe_key": key[:255],
        "kind": kind,
        "label": name,
        "definition": text,
        "proposer_id": proposer.id,
        "state": "open",
        "created_at": now,
    }
    return repo.add_proposal_once(session, values)


def open_proposals(session: Session, team_id: str) -> list[Proposal]:
    names = {(kind, n.lower()) for kind in LABEL_KINDS for n in workspaces_names(session, team_id, kind)}
    return [
        Proposal(p.id, p.kind, p.label, p.definition, person.slack_user_id, (p.kind, p.label.lower()) not in names)
        for p, person in repo.open_proposals(session, team_id)
    ]


def decide(
    session: Session, team_id: str, proposal_id: int, admin_user_id: str, *, approve: bool, now: datetime
) -> Proposal | None:
    """Approve (the definition is stored; a new label is added) or decline, once: None when decided already.
    The caller checks that the user is an admin."""
    found = repo.get_proposal(session, team_id, proposal_id)
    if found is None:
        raise NotFound(say.PROPOSAL_GONE)
    if not repo.decide_proposal(
        session, team_id, proposal_id, state="approved" if approve else "rejected", by=admin_user_id, now=now
    ):
        return None
    proposer = people.get(session, team_id, found.proposer_id)
    existing = repo.describe_label(session, team_id, found.kind, found.label, found.definition) if approve else None
    if approve and existing is None:
        workspaces.add_label(session, team_id, kind=found.kind, name=found.label, description=found.definition)
    elif approve:
        workspaces.touch(session, team_id)
    user = proposer.slack_user_id if proposer is not None else ""
    return Proposal(found.id, found.kind, existing or found.label, found.definition, user, existing is None)


def swaps(before: Mapping[str, Iterable[str]], after: Mapping[str, Iterable[str]]) -> list[tuple[str, str, str]]:
    """(kind, removed label, added label) for every label *Fix tags* took off a note and one it put on instead."""
    found: list[tuple[str, str, str]] = []
    for kind in LABEL_KINDS:
        old, new = set(before.get(kind, ())), set(after.get(kind, ()))
        found.extend((kind, removed, added) for removed in sorted(old - new) for added in sorted(new - old))
    return found


def record_fix(
    session: Session,
    team_id: str,
    note_id: int,
    before: Mapping[str, Iterable[str]],
    after: Mapping[str, Iterable[str]],
    *,
    now: datetime,
) -> None:
    repo.record_swaps(session, team_id, note_id, swaps(before, after), now=now)


def drift(session: Session, team_id: str, *, now: datetime, limit: int = 5) -> list[Drift]:
    """The label pairs swapped most in the last 30 days, either way round: terms to clarify."""
    pairs: dict[tuple[str, str, str], int] = {}
    for kind, old, new, n in repo.swap_counts(session, team_id, now - timedelta(days=DRIFT_DAYS)):
        first, second = sorted((old, new))
        pairs[(kind, first, second)] = pairs.get((kind, first, second), 0) + n
    ranked = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    return [Drift(kind, first, second, n) for (kind, first, second), n in ranked[:limit]]
