"""The notes behind a count: what *See the N notes* lists, newest first, a page at a time, redacted, filterable
by stage and segment. The query travels in button values and the modal's private_metadata as compact JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from bot.errors import PermissionDenied, UsageError
from bot.messages import funnel as say
from bot.services.directory import UserProfile
from bot.services.funnel import redacted_quote
from bot.services.replies import may_reply_by_role
from bot.services.stages import valid_stage
from nlp.taxonomy import KINDS
from storage.repositories import funnel_stats, notes, people, workspaces
from storage.repositories.digest_stats import NoteFilter

__all__ = ["PAGE", "DrillNote", "DrillPage", "DrillQuery", "check_may_see", "notes_page"]

PAGE = 10  # two blocks a note: a page stays far below a modal's 100 blocks
NOTE_CHARS = 600
STALE = "That button is out of date: open the latest digest and try again."


@dataclass(frozen=True)
class DrillQuery:
    """Which notes: [start, end) in UTC (shown in `tz`), optionally one tag, stage, segment, account, outcome."""

    start: datetime
    end: datetime
    tz: str = "UTC"
    kind: str | None = None
    label: str | None = None
    stage: str | None = None
    segment: str | None = None
    account: str | None = None

    def to_json(self) -> str:
        data: dict[str, object] = {"s": int(self.start.timestamp()), "e": int(self.end.timestamp())}
        for key, value in (
            ("z", None if self.tz == "UTC" else self.tz),
            ("k", self.kind),
            ("l", self.label),
            ("st", self.stage),
            ("sg", self.segment),
            ("a", self.account),
        ):
            if value is not None:
                data[key] = value
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, value: str | None) -> DrillQuery:
        """Raises UsageError on anything malformed (an old or tampered button)."""
        try:
            data = json.loads(value or "")
            query = cls(
                start=datetime.fromtimestamp(int(data["s"]), UTC),
                end=datetime.fromtimestamp(int(data["e"]), UTC),
                tz=str(data.get("z") or "UTC"),
                kind=_opt(data.get("k")),
                label=_opt(data.get("l")),
                stage=_opt(data.get("st")),
                segment=_opt(data.get("sg")),
                account=_opt(data.get("a")),
            )
        except (ValueError, KeyError, TypeError, OverflowError, OSError):
            raise UsageError(STALE) from None
        if query.end <= query.start or (query.kind is not None and query.kind not in KINDS):
            raise UsageError(STALE)
        if query.stage is not None and valid_stage(query.stage) is None:
            raise UsageError(STALE)
        return query

    def filtered(self, *, stage: str | None = "", segment: str | None = "") -> DrillQuery:
        """The same query with the stage and/or segment filter replaced ("" leaves one as it is, None clears it)."""
        return replace(
            self,
            stage=self.stage if stage == "" else valid_stage(stage),
            segment=self.segment if segment == "" else segment,
        )


def check_may_see(
    session: Session, team_id: str, user_id: str, admin_ids: Iterable[str], profile: UserProfile | None
) -> None:
    """The notes behind a count are for marketers and admins (Field Notes' own, or the workspace's admins and
    owners), as the digest's other views are; never for a guest. `profile` is the viewer as Slack describes them
    (read beforehand, outside any transaction). Raises PermissionDenied naming who can."""
    if profile is not None and profile.is_guest:
        raise PermissionDenied(say.NOTES_NOT_FOR_GUESTS)
    if may_reply_by_role(session, team_id, user_id, admin_ids):
        return
    if profile is not None and profile.is_admin and not profile.is_bot:
        return
    admins = [p.slack_user_id for p in people.by_role(session, team_id, "is_admin")]
    ask = say.ASK_AN_ADMIN.format(mentions=", ".join(f"<@{a}>" for a in admins)) if admins else ""
    raise PermissionDenied(say.NOTES_FOR_MARKETERS + ask)


def _opt(value: object) -> str | None:
    return str(value)[:255] if value not in (None, "") else None


@dataclass(frozen=True)
class DrillNote:
    id: int
    created_at: datetime
    account: str | None
    stage: str | None
    segment: str | None
    author: str | None  # Slack user id when the workspace's quotes are attributed
    text: str  # redacted, not escaped
    tags: tuple[tuple[str, str], ...]  # (kind, label)


@dataclass(frozen=True)
class DrillPage:
    query: DrillQuery
    offset: int
    total: int
    notes: tuple[DrillNote, ...]
    segments: tuple[str, ...]  # the period's segments, for the filter

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.notes) < self.total


def notes_page(session: Session, team_id: str, query: DrillQuery, *, offset: int = 0, limit: int = PAGE) -> DrillPage:
    offset = max(0, offset)
    flt = NoteFilter(stage=query.stage, segment=query.segment, account=query.account)
    page = funnel_stats.notes_behind(
        session,
        team_id,
        query.start,
        query.end,
        kind=query.kind,
        label=query.label,
        flt=flt,
        offset=offset,
        limit=limit,
    )
    workspace = workspaces.get(session, team_id)
    attributed = workspace is not None and workspace.quotes == "attributed"
    tags = notes.tags_of(session, team_id, [note.id for note, _ in page.notes])
    items = tuple(
        DrillNote(
            id=note.id,
            created_at=note.created_at,
            account=note.account,
            stage=note.stage,
            segment=note.segment,
            author=author if attributed else None,
            text=redacted_quote(note.text, NOTE_CHARS),
            tags=tuple((t.kind, t.label) for t in tags[note.id]),
        )
        for note, author in page.notes
    )
    segments = tuple(funnel_stats.segment_values(session, team_id, query.start, query.end))
    return DrillPage(query, offset, page.total, items, segments)
