"""Deal-stage mappings from CRM names, accounts with their segments, and marketing notes pinned to them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Account, Call, MarketingNote, Note, StageMapping, Tag
from storage.repositories._upsert import insert_ignore

__all__ = [
    "account_by_key",
    "accounts",
    "add_marketing_note",
    "apply_stage",
    "mapping",
    "mappings",
    "marketing_notes_for",
    "name_key",
    "seen_stage",
    "segments_of",
    "set_mapping",
    "upsert_account",
]


def name_key(name: str) -> str:
    """One key however a name is written: lower case, single spaces."""
    return " ".join(name.split()).casefold()[:255]


# ---- stages ------------------------------------------------------------------------------------------
def mapping(session: Session, team_id: str, crm_name: str) -> StageMapping | None:
    return session.scalar(
        select(StageMapping).where(StageMapping.team_id == team_id, StageMapping.name_key == name_key(crm_name))
    )


def mappings(session: Session, team_id: str) -> list[StageMapping]:
    return list(
        session.scalars(select(StageMapping).where(StageMapping.team_id == team_id).order_by(StageMapping.name_key))
    )


def seen_stage(session: Session, team_id: str, crm_name: str, *, guess: str | None, now: datetime) -> StageMapping:
    """The mapping row of a CRM stage name, created (mapped to `guess`, possibly None) the first time it is seen;
    its call count and last sighting updated."""
    key = name_key(crm_name)
    insert_ignore(
        session,
        StageMapping,
        {"team_id": team_id, "crm_name": crm_name[:255], "name_key": key, "stage": guess, "calls": 0, "last_seen": now},
        ["team_id", "name_key"],
    )
    session.execute(
        update(StageMapping)
        .where(StageMapping.team_id == team_id, StageMapping.name_key == key)
        .values(calls=StageMapping.calls + 1, last_seen=now)
    )
    row = mapping(session, team_id, crm_name)
    assert row is not None
    session.refresh(row)
    return row


def set_mapping(session: Session, team_id: str, crm_name: str, stage: str, *, now: datetime) -> StageMapping:
    key = name_key(crm_name)
    insert_ignore(
        session,
        StageMapping,
        {"team_id": team_id, "crm_name": crm_name[:255], "name_key": key, "stage": stage, "calls": 0, "last_seen": now},
        ["team_id", "name_key"],
    )
    session.execute(
        update(StageMapping).where(StageMapping.team_id == team_id, StageMapping.name_key == key).values(stage=stage)
    )
    row = mapping(session, team_id, crm_name)
    assert row is not None
    session.refresh(row)
    return row


def apply_stage(session: Session, team_id: str, crm_name: str, stage: str) -> int:
    """Give the unmapped calls reported with this CRM stage name, and their notes that have no stage yet, the
    stage. Returns how many notes changed. (Only unmapped calls are read: a handful, whatever the history.)"""
    key = name_key(crm_name)
    unmapped = session.execute(
        select(Call.id, Call.deal_stage).where(
            Call.team_id == team_id, Call.stage.is_(None), Call.deal_stage.is_not(None)
        )
    ).all()
    call_ids = [call_id for call_id, deal_stage in unmapped if name_key(deal_stage or "") == key]
    if not call_ids:
        return 0
    session.execute(update(Call).where(Call.team_id == team_id, Call.id.in_(call_ids)).values(stage=stage))
    changing = select(Note.id).where(Note.team_id == team_id, Note.call_id.in_(call_ids), Note.stage.is_(None))
    # The notes' tags carry their stage (the digest counts by it): they follow first, while the notes are found.
    session.execute(
        update(Tag)
        .where(Tag.team_id == team_id, Tag.note_id.in_(changing))
        .values(stage=stage)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(
        update(Note)
        .where(Note.team_id == team_id, Note.call_id.in_(call_ids), Note.stage.is_(None))
        .values(stage=stage)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# ---- accounts ----------------------------------------------------------------------------------------
def upsert_account(session: Session, team_id: str, name: str, *, now: datetime, **fields: str | None) -> Account:
    """The account of that name, created the first time; fields given (not None) replace the stored ones."""
    key = name_key(name)
    insert_ignore(
        session,
        Account,
        {"team_id": team_id, "name": name[:255], "name_key": key, "updated_at": now},
        ["team_id", "name_key"],
    )
    given = {field: value for field, value in fields.items() if value is not None}
    if given:
        session.execute(
            update(Account).where(Account.team_id == team_id, Account.name_key == key).values(**given, updated_at=now)
        )
    found = account_by_key(session, team_id, key)
    assert found is not None
    session.refresh(found)
    return found


def account_by_key(session: Session, team_id: str, key: str) -> Account | None:
    return session.scalar(select(Account).where(Account.team_id == team_id, Account.name_key == key))


def accounts(session: Session, team_id: str) -> list[Account]:
    return list(session.scalars(select(Account).where(Account.team_id == team_id).order_by(Account.name_key)))


_ACCOUNTS = cast(Table, Account.__table__)
# Built once: the ack path looks segments up for every group of notes it stores.
_SEGMENTS = select(_ACCOUNTS.c.name_key, _ACCOUNTS.c.segment).where(
    _ACCOUNTS.c.team_id == bindparam("team_id"), _ACCOUNTS.c.name_key.in_(bindparam("keys", expanding=True))
)


def segments_of(session: Session, team_id: str, account_names: Iterable[str]) -> dict[str, str | None]:
    """Each named account's segment (None when unknown), by the name as given: one query for them all."""
    keys = {name: name_key(name) for name in account_names}
    if not keys:
        return {}
    rows = session.execute(_SEGMENTS, {"team_id": team_id, "keys": sorted(set(keys.values()))})
    found: dict[str, str | None] = {key: segment for key, segment in rows}
    return {name: found.get(key) for name, key in keys.items()}


# ---- marketing notes ---------------------------------------------------------------------------------
def add_marketing_note(
    session: Session,
    team_id: str,
    *,
    author_id: int,
    text: str,
    now: datetime,
    account_id: int | None = None,
    segment: str | None = None,
) -> MarketingNote:
    if (account_id is None) == (segment is None):
        raise ValueError("a marketing note is pinned to an account or to a segment")
    row = MarketingNote(
        team_id=team_id, account_id=account_id, segment=segment, author_id=author_id, text=text, created_at=now
    )
    session.add(row)
    session.flush()
    return row


def marketing_notes_for(
    session: Session, team_id: str, *, account_id: int | None, segment: str | None, limit: int = 3
) -> list[MarketingNote]:
    """The latest notes pinned to the account or to its segment, newest first."""
    wanted = []
    if account_id is not None:
        wanted.append(MarketingNote.account_id == account_id)
    if segment:
        wanted.append(MarketingNote.segment == segment)
    if not wanted:
        return []

    return list(
        session.scalars(
            select(MarketingNote)
            .where(MarketingNote.team_id == team_id, or_(*wanted))
            .order_by(MarketingNote.created_at.desc(), MarketingNote.id.desc())
            .limit(limit)
        )
    )
