"""What each `/fieldnotes` command did, as data: `bot/blocks/admin_replies.py` turns a result into the answer.

Names and phrases are kept as typed (not escaped): the renderer escapes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.services.digest import DigestData
from bot.services.onboarding import Checklist
from bot.services.vendors import Retagged, VendorCandidate
from bot.services.workspaces import QuestionDef

__all__ = [
    "CheckinSet",
    "CompetitorAdded",
    "CompetitorRemoved",
    "CompetitorsListed",
    "DigestAdded",
    "DigestAlreadyScheduled",
    "DigestPreviewed",
    "DigestRemoved",
    "DigestSchedule",
    "DigestsListed",
    "HelpShown",
    "LabelAdded",
    "LabelRemoved",
    "LabelsListed",
    "MyStats",
    "NamedItems",
    "NudgeSet",
    "PeopleAdded",
    "PeopleListed",
    "PeopleRemoved",
    "PromptDelaySet",
    "PromptsShown",
    "QuestionAdded",
    "QuestionMoved",
    "QuestionRemoved",
    "QuestionsListed",
    "QuotesSet",
    "RepliesSet",
    "Result",
    "RetentionSet",
    "SettingsShown",
    "SetupShown",
    "WebhookRotated",
    "WebhookShown",
]


class Result:
    """Base of every command's result."""


@dataclass(frozen=True)
class HelpShown(Result):
    pass


@dataclass(frozen=True)
class MyStats(Result):
    """`me`; `logged` is False for someone who never logged a note (the counts are then 0)."""

    logged: bool
    this_week: int = 0
    last_30_days: int = 0
    total: int = 0
    streak: int = 0  # weeks in a row with a note
    top: tuple[tuple[str, int], ...] = ()  # (label, notes), most heard first


@dataclass(frozen=True)
class DigestPreviewed(Result):
    data: DigestData


# ---- questions -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QuestionsListed(Result):
    items: tuple[QuestionDef, ...]


@dataclass(frozen=True)
class QuestionAdded(Result):
    position: int
    label: str
    type: str


@dataclass(frozen=True)
class QuestionRemoved(Result):
    position: int
    label: str


@dataclass(frozen=True)
class QuestionMoved(Result):
    label: str
    to: int
    items: tuple[QuestionDef, ...]  # the form after the move


# ---- prompts and settings ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PromptsShown(Result):
    delay_minutes: int
    nudge_hours: int | None
    expiry_hours: int
    checkin_days: tuple[int, ...]  # empty: check-ins off
    checkin_time: str | None


@dataclass(frozen=True)
class PromptDelaySet(Result):
    minutes: int


@dataclass(frozen=True)
class NudgeSet(Result):
    hours: int | None  # None: nudges off


@dataclass(frozen=True)
class CheckinSet(Result):
    days: tuple[int, ...]  # empty: check-ins off
    time: str | None


@dataclass(frozen=True)
class SettingsShown(Result):
    quotes: str
    retention_days: int | None
    replies_by_channel_members: bool


@dataclass(frozen=True)
class QuotesSet(Result):
    mode: str


@dataclass(frozen=True)
class RetentionSet(Result):
    days: int | None


@dataclass(frozen=True)
class RepliesSet(Result):
    channel_members: bool


# ---- digests ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DigestSchedule:
    id: int
    channel_id: str
    weekday: int
    hour: int
    minute: int
    tz: str
    next_at: datetime  # the next (for a new schedule, the first) digest


@dataclass(frozen=True)
class DigestsListed(Result):
    schedules: tuple[DigestSchedule, ...]


@dataclass(frozen=True)
class DigestAdded(Result):
    schedule: DigestSchedule


@dataclass(frozen=True)
class DigestAlreadyScheduled(Result):
    schedule_id: int


@dataclass(frozen=True)
class DigestRemoved(Result):
    schedule_id: int


# ---- taxonomy --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NamedItems:
    """A label with its phrases, or a competitor with its aliases."""

    name: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class LabelsListed(Result):
    kind: str  # theme | objection
    labels: tuple[NamedItems, ...]


@dataclass(frozen=True)
class LabelAdded(Result):
    kind: str
    name: str
    phrases: tuple[str, ...]
    existing: str | None  # the name it already had, when the label was there before


@dataclass(frozen=True)
class LabelRemoved(Result):
    kind: str
    name: str


@dataclass(frozen=True)
class CompetitorsListed(Result):
    competitors: tuple[NamedItems, ...]
    candidates: tuple[VendorCandidate, ...]


@dataclass(frozen=True)
class CompetitorAdded(Result):
    name: str
    aliases: tuple[str, ...]
    existing: str | None
    retagged: Retagged


@dataclass(frozen=True)
class CompetitorRemoved(Result):
    name: str


# ---- people and the webhook -------------------------------------------------------------------------------
@dataclass(frozen=True)
class PeopleListed(Result):
    role: str  # rep | admin | marketer
    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class PeopleAdded(Result):
    role: str
    added: tuple[str, ...]
    already: tuple[str, ...]


@dataclass(frozen=True)
class PeopleRemoved(Result):
    role: str
    removed: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class WebhookShown(Result):
    url: str
    secret: str


@dataclass(frozen=True)
class WebhookRotated(Result):
    secret: str
    old_until: datetime


@dataclass(frozen=True)
class SetupShown(Result):
    checklist: Checklist
    webhook_url: str
    secret: str
