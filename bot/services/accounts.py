"""Accounts: what the field said about one account over time, marketing notes pinned to an account or a segment,
and the name matching that forgives case and small typos. Slack-free."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.errors import NotFound, UsageError
from bot.messages import funnel as say
from bot.services.funnel import redacted_quote
from bot.services.stages import DEFAULT_STAGES
from storage.repositories import funnel as repo
from storage.repositories import funnel_stats, people
from storage.repositories.funnel import name_key

__all__ = ["MAX_MARKETING_NOTE", "AccountView", "account_view", "marketing_lines", "match_account", "pin_note"]

MAX_MARKETING_NOTE = 500
RECENT = 3


def match_account(session: Session, team_id: str, typed: str) -> str:
    """The account name `typed` means: the same name whatever the case and spacing, else the closest known one
    (difflib); NotFound naming the nearest otherwise."""
    key = name_key(typed)
    names = funnel_stats.account_names(session, team_id)
    by_key = {name_key(n): n for n in names}
    if key in by_key:
        return by_key[key]
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.75)
    if close:
        return by_key[close[0]]
    nearest = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.4)
    raise NotFound(say.no_account(typed, [by_key[n] for n in nearest]))


@dataclass(frozen=True)
class AccountView:
    name: str
    segment: str | None
    industry: str | None
    company_size: str | None
    region: str | None
    notes: int
    first: datetime | None
    last: datetime | None
    stages: tuple[tuple[str, int], ...]  # funnel order
    labels: dict[str, tuple[tuple[str, int], ...]]  # kind -> (label, notes), most first
    recent: tuple[tuple[datetime, str | None, str, str | None], ...]  # (when, stage, redacted text, rep or None)
    reps: tuple[str, ...]  # Slack ids of the reps who spoke to them, most notes first
    marketing: tuple[str, ...]  # notes pinned by marketing, newest first
    attributed: bool


def account_view(session: Session, team_id: str, typed: str, *, attributed: bool) -> AccountView:
    name = match_account(session, team_id, typed)
    account = repo.account_by_key(session, team_id, name_key(name))
    summary = funnel_stats.account_summary(session, team_id, name, recent=RECENT)
    pinned = repo.marketing_notes_for(
        session, team_id, account_id=account.id if account else None, segment=account.segment if account else None
    )
    return AccountView(
        name=account.name if account else name,
        segment=account.segment if account else None,
        industry=account.industry if account else None,
        company_size=account.company_size if account else None,
        region=account.region if account else None,
        notes=summary.notes,
        first=summary.first,
        last=summary.last,
        stages=tuple(sorted(summary.stages, key=lambda item: _stage_order(item[0]))),
        labels=summary.labels,
        recent=tuple(
            (at, stage, redacted_quote(text), author if attributed else None)
            for at, stage, text, author in summary.recent
        ),
        reps=summary.reps,
        marketing=tuple(n.text for n in pinned),
        attributed=attributed,
    )


def _stage_order(stage: str) -> int:
    return DEFAULT_STAGES.index(stage) if stage in DEFAULT_STAGES else len(DEFAULT_STAGES)


def pin_note(
    session: Session, team_id: str, user_id: str, *, text: str, now: datetime, account: str | None, segment: str | None
) -> str:
    """Pin a marketing note to an account (matched forgivingly) or a segment; the name it was pinned to."""
    text = " ".join(text.split())
    if not text:
        raise UsageError(say.EMPTY_MARKETING_NOTE)
    if len(text) > MAX_MARKETING_NOTE:
        raise UsageError(say.MARKETING_NOTE_TOO_LONG.format(limit=MAX_MARKETING_NOTE))
    author = people.ensure(session, team_id, user_id)
    if segment is not None:
        repo.add_marketing_note(session, team_id, author_id=author.id, text=text, now=now, segment=segment)
        return segment
    assert account is not None
    name = match_account(session, team_id, account)
    row = repo.upsert_account(session, team_id, name, now=now)
    repo.add_marketing_note(session, team_id, author_id=author.id, text=text, now=now, account_id=row.id)
    return row.name


def marketing_lines(session: Session, team_id: str, account: str | None, *, now: datetime) -> tuple[str, ...]:
    """What marketing pinned to this account or its segment in the last 90 days, for the rep's prompt."""
    if not account:
        return ()
    row = repo.account_by_key(session, team_id, name_key(account))
    if row is None:
        return ()
    pinned = repo.marketing_notes_for(session, team_id, account_id=row.id, segment=row.segment)
    return tuple(n.text for n in pinned if n.created_at >= now - timedelta(days=90))
