"""SQLAlchemy 2.0 models for the whole domain.

Every row that belongs to a workspace carries `team_id`; repositories filter on it in every query.
The schema itself is created only by Alembic (see alembic/versions).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    select,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "Account",
    "Base",
    "Call",
    "Competitor",
    "DigestRun",
    "DigestSchedule",
    "GlossaryProposal",
    "Job",
    "LabelSwap",
    "MarketingNote",
    "NlpModel",
    "Note",
    "NoteAnswer",
    "Person",
    "Prompt",
    "Question",
    "Reply",
    "ReplyRecipient",
    "Review",
    "ReviewRequest",
    "RideAlong",
    "SlackDelivery",
    "SlackPost",
    "StageMapping",
    "Tag",
    "TaxonomyLabel",
    "UpcomingCall",
    "VendorMention",
    "WebhookSecret",
    "Workspace",
]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on every backend: SQLite keeps no offset, so it is stored as naive UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database: pass an aware one (UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[str]: JSON}


# OAuth (multi-workspace) tables of slack-sdk's stores, in our metadata so Alembic owns them.
INSTALLATIONS_TABLE = SQLAlchemyInstallationStore.build_installations_table(Base.metadata, "slack_installations")
BOTS_TABLE = SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots")
OAUTH_STATES_TABLE = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, "slack_oauth_states")


class Workspace(Base):
    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime]
    quotes: Mapped[str] = mapped_column(String(16), default="anonymous")  # anonymous | attributed
    retention_days: Mapped[int | None]
    prompt_delay_minutes: Mapped[int] = mapped_column(Integer, default=10)
    nudge_hours: Mapped[int | None] = mapped_column(Integer, default=4)  # None: no nudge
    expiry_hours: Mapped[int] = mapped_column(Integer, default=48)
    checkin_days: Mapped[str | None] = mapped_column(String(32))  # "mon,tue,wed,thu,fri"; None: off
    checkin_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM", rep's local time
    nlp_model: Mapped[str | None] = mapped_column(String(255))  # installed spaCy package or path
    # A new random number at every change to questions, labels or competitors: processes cache those by it.
    config_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When Slack said the app was uninstalled: jobs stop, and the data is purged after a grace period.
    uninstalled_at: Mapped[datetime | None]
    # Reply to reps / Ask reps: marketers and admins only, unless an admin lets digest channel members too.
    replies_by_channel_members: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The Enterprise Grid org it belongs to, as its requests say: an org-wide install has no installation row per
    # workspace, so jobs (which know only the team id) find the org's bot through this.
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    # When an admin first previewed the digest (the Get started checklist's last step).
    digest_previewed_at: Mapped[datetime | None]


class WebhookSecret(Base):
    """A workspace's key for the call webhook. The current one has no `expires_at`; a rotated-out one
    keeps working until its `expires_at`, so the CRM can be switched over without a gap."""

    __tablename__ = "webhook_secrets"
    __table_args__ = (Index(None, "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    secret: Mapped[str] = mapped_column(String(512))  # encrypted when FIELDNOTES_ENCRYPTION_KEY is set
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]


class NlpModel(Base):
    """A spaCy pipeline trained for one workspace (`fieldnotes nlp train --team`), as a gzipped tar of its
    directory: every replica loads it from here (the workspace's `nlp_model` is `db:<id>`), none needs the disk
    of the machine that trained it."""

    __tablename__ = "nlp_models"
    __table_args__ = (Index(None, "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    sha256: Mapped[str] = mapped_column(String(64))  # of `data`: names the unpacked copy, whatever the database
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("team_id", "slack_user_id"), Index(None, "team_id", "email"))

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(255), default="")
    tz: Mapped[str | None] = mapped_column(String(64))
    is_rep: Mapped[bool] = mapped_column(Boolean, default=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_marketer: Mapped[bool] = mapped_column(Boolean, default=False)
    profile_checked_at: Mapped[datetime | None]
    # A rep who takes no ride-along requests: marketers do not see their calls as joinable.
    ridealong_opt_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Onboarding: when the welcome DM went out (an installer or first admin), and the first App Home visit.
    welcomed_at: Mapped[datetime | None]
    home_seen_at: Mapped[datetime | None]


class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (UniqueConstraint("team_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(255))
    rep_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    account: Mapped[str] = mapped_column(String(255))
    deal_stage: Mapped[str | None] = mapped_column(String(255))  # as the CRM names it
    stage: Mapped[str | None] = mapped_column(String(32))  # the workspace stage it maps to, when mapped
    ended_at: Mapped[datetime]
    created_at: Mapped[datetime]


class UpcomingCall(Base):
    """A call not yet held (the webhook's `starts_at`), offered to marketers as a ride-along. A move or a
    cancellation bumps `version`: reminders planned for an older version do nothing."""

    __tablename__ = "upcoming_calls"
    __table_args__ = (UniqueConstraint("team_id", "external_id"), Index(None, "team_id", "starts_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(255))
    rep_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    account: Mapped[str] = mapped_column(String(255))
    deal_stage: Mapped[str | None] = mapped_column(String(255))
    segment: Mapped[str | None] = mapped_column(String(255))
    starts_at: Mapped[datetime]
    meeting_url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(16), default="scheduled")  # scheduled | cancelled
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RideAlong(Base):
    """A marketer's request to join a rep's upcoming call, the rep's answer, and what the marketer learned."""

    __tablename__ = "ridealongs"
    __table_args__ = (UniqueConstraint("call_id", "marketer_id"), Index(None, "team_id", "state", "learned_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    call_id: Mapped[int] = mapped_column(ForeignKey("upcoming_calls.id", ondelete="CASCADE"))
    marketer_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default="requested")  # requested | approved | declined
    request_channel_id: Mapped[str | None] = mapped_column(String(32))  # the rep's DM asking for approval
    request_ts: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None]
    learned: Mapped[str | None] = mapped_column(Text)
    learned_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Review(Base):
    """A marketer's draft (text, link or file) put to chosen reps with a question; answers collect in the thread
    of `message_ts` in the marketer's DM."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("team_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    dedupe_key: Mapped[str] = mapped_column(String(255))  # the modal's view id: a double submit is one review
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(Text)
    draft: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(2000))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_url: Mapped[str | None] = mapped_column(String(2000))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]


class ReviewRequest(Base):
    __tablename__ = "review_requests"
    __table_args__ = (UniqueConstraint("review_id", "person_id"), Index(None, "team_id", "answered_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    sent_at: Mapped[datetime | None]
    rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]


class Prompt(Base):
    """A DM asking a rep for feedback: after a call, at an end-of-day check-in, or a marketer's follow-up."""

    __tablename__ = "prompts"
    __table_args__ = (
        UniqueConstraint("team_id", "dedupe_key"),
        Index(None, "team_id", "rep_id", "state"),
        Index(None, "team_id", "channel_id", "message_ts"),  # a reply in a prompt's thread finds the prompt
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="call")  # call | checkin | ask
    dedupe_key: Mapped[str] = mapped_column(String(255))  # call:<id>, checkin:<rep>:<date>, ask:<reply>:<rep>
    rep_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="SET NULL"))
    # scheduled -> sent -> (answered | skipped | expired); snoozed goes back to scheduled.
    state: Mapped[str] = mapped_column(String(16), default="scheduled")
    due_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    nudged_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    note_id: Mapped[int | None] = mapped_column(ForeignKey("notes.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class Note(Base):
    __tablename__ = "notes"
    __table_args__ = (
        UniqueConstraint("team_id", "dedupe_key"),
        # Covering for the digest's week counts (notes, reps, outcomes, stages) and joins by id: index-only scans.
        Index(None, "team_id", "created_at", "id", "outcome", "author_id", "stage"),
        Index(None, "team_id", "author_id", "created_at"),
        # The digest's free-text answers of a week: only the notes that have one, without reading their text.
        Index(
            "ix_notes_answered",
            "team_id",
            "created_at",
            "helped",
            "worked",
            sqlite_where=text("helped IS NOT NULL OR worked IS NOT NULL"),
            postgresql_where=text("helped IS NOT NULL OR worked IS NOT NULL"),
        ),
        # Small: only notes the live tagger has not reached yet (the notes.tag safety net looks for them).
        Index(
            "ix_notes_untagged",
            "created_at",
            postgresql_where=text("tagged_at IS NULL"),
            sqlite_where=text("tagged_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16))  # modal | command | shortcut | ask | demo
    dedupe_key: Mapped[str | None] = mapped_column(String(255))  # view id, trigger id: a retry is a no-op
    account: Mapped[str | None] = mapped_column(String(255))
    outcome: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)  # what the customer said, or the free text
    helped: Mapped[str | None] = mapped_column(Text)  # what would have helped (content requests)
    worked: Mapped[str | None] = mapped_column(Text)  # what helped (the gain beside `helped`)
    # Where in the funnel the note was heard, and the account's segment then: copied onto the note so the
    # digest groups a week by them without a join.
    stage: Mapped[str | None] = mapped_column(String(32))
    segment: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    tagged_at: Mapped[datetime | None]
    # When a person first corrected the note's tags (*Fix tags*, or a candidate tag confirmed): the share of
    # corrected notes is a health figure for admins, and corrected notes are training examples.
    corrected_at: Mapped[datetime | None]


class StageMapping(Base):
    """A deal-stage name a CRM sent, and the workspace stage it means (None: not mapped yet, listed for admins)."""

    __tablename__ = "stage_mappings"
    __table_args__ = (UniqueConstraint("team_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    crm_name: Mapped[str] = mapped_column(String(255))  # as the CRM first wrote it
    name_key: Mapped[str] = mapped_column(String(255))  # lower case, single spaces
    stage: Mapped[str | None] = mapped_column(String(32))
    calls: Mapped[int] = mapped_column(Integer, default=0)
    last_seen: Mapped[datetime]


class Account(Base):
    """A customer account as the webhook describes it: the latest segment, industry, size, region and stage."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("team_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255))  # lower case, single spaces
    segment: Mapped[str | None] = mapped_column(String(64))
    industry: Mapped[str | None] = mapped_column(String(64))
    company_size: Mapped[str | None] = mapped_column(String(64))
    region: Mapped[str | None] = mapped_column(String(64))
    stage: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime]


class MarketingNote(Base):
    """What marketing pinned to an account or a segment ("logistics campaign running in Q1"), shown to reps."""

    __tablename__ = "marketing_notes"
    __table_args__ = (Index(None, "team_id", "account_id"), Index(None, "team_id", "segment"))

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    segment: Mapped[str | None] = mapped_column(String(64))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class NoteAnswer(Base):
    __tablename__ = "note_answers"
    __table_args__ = (UniqueConstraint("note_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    question_key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(255))
    value: Mapped[Any] = mapped_column(JSON)  # str, or list[str] for multi-select


def _note_created_at(context: Any) -> datetime:
    """Default of tags.created_at: the created_at of the tag's note."""
    note_id = context.get_current_parameters()["note_id"]
    found: datetime = context.connection.execute(select(Note.created_at).where(Note.id == note_id)).scalar_one()
    return found


def _note_stage(context: Any) -> str | None:
    """Default of tags.stage: the stage of the tag's note."""
    note_id = context.get_current_parameters()["note_id"]
    found: str | None = context.connection.execute(select(Note.stage).where(Note.id == note_id)).scalar_one()
    return found


def _note_outcome(context: Any) -> str | None:
    """Default of tags.outcome: the outcome of the tag's note."""
    note_id = context.get_current_parameters()["note_id"]
    found: str | None = context.connection.execute(select(Note.outcome).where(Note.id == note_id)).scalar_one()
    return found


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (
        UniqueConstraint("note_id", "kind", "label"),
        Index(None, "team_id", "kind", "label"),
        # Covering for per-week label counts (digest trends, loop statistics) and the funnel's counts by stage and
        # outcome (where it comes up, why we win, objections in lost deals): no join to notes.
        Index(None, "team_id", "created_at", "kind", "label", "stage", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # theme | objection | competitor
    label: Mapped[str] = mapped_column(String(255))
    score: Mapped[float] = mapped_column(Float, default=1.0)
    source: Mapped[str] = mapped_column(String(8))  # rule | model | human
    matched: Mapped[str | None] = mapped_column(Text)
    # The note's created_at, copied (notes never change it): when a writer leaves it out, it is read
    # from the note at insert time, so every tag row carries it.
    created_at: Mapped[datetime] = mapped_column(default=_note_created_at)
    # The note's stage and outcome, copied the same way, and kept in step when a note's stage is set later
    # (storage.repositories.funnel.apply_stage): the funnel counts a week's tags by them without a join.
    stage: Mapped[str | None] = mapped_column(String(32), default=_note_stage)
    outcome: Mapped[str | None] = mapped_column(String(32), default=_note_outcome)


class TagDayCount(Base):
    """How many tags there are per UTC day of their note's created_at, kind, label, stage and outcome ('' for
    none): the digest's weekly counts read these rows instead of scanning every tag of eight weeks.

    Triggers on `tags` (migration 9a4e1c7b3d25) keep it in the transaction of every write to tags, whoever makes
    it (tagging, *Fix tags*, stage mapping, deletes cascading from notes or retention): an insert adds one, a
    delete takes one off, an update moves one, each an upsert so concurrent writers never lose a count. A key
    whose tags are all gone keeps a row with n = 0. `fieldnotes db recount` rebuilds it from `tags`."""

    __tablename__ = "tag_day_counts"
    __table_args__ = {"sqlite_with_rowid": False}

    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    label: Mapped[str] = mapped_column(String(255), primary_key=True)
    stage: Mapped[str] = mapped_column(String(32), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(32), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class TagDayLabel(Base):
    """tag_day_counts summed over stages and outcomes: tags per UTC day, kind and label, which is all the digest's
    weeks before the last two need (a few dozen rows a day). Kept the same way, by triggers on `tags` (migration
    4b8d2f6a1c93); `fieldnotes db recount` rebuilds it."""

    __tablename__ = "tag_day_labels"
    __table_args__ = {"sqlite_with_rowid": False}

    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    label: Mapped[str] = mapped_column(String(255), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class NoteDayCount(Base):
    """How many notes there are per UTC day of created_at, author, outcome and stage ('' for none): the digest's
    note, rep, outcome and stage counts of a week read these rows. Kept like tag_day_counts, by triggers on
    `notes` (migration 9a4e1c7b3d25) in the transaction of every write; `fieldnotes db recount` rebuilds it."""

    __tablename__ = "note_day_counts"
    __table_args__ = {"sqlite_with_rowid": False}

    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    author_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    outcome: Mapped[str] = mapped_column(String(32), primary_key=True)
    stage: Mapped[str] = mapped_column(String(32), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class TaxonomyLabel(Base):
    __tablename__ = "taxonomy_labels"
    __table_args__ = (UniqueConstraint("team_id", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # theme | objection
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    phrases: Mapped[list[str]] = mapped_column(JSON, default=list)


class GlossaryProposal(Base):
    """Anyone's proposed definition of a label (or a new label): an admin approves or rejects it from App Home."""

    __tablename__ = "glossary_proposals"
    __table_args__ = (UniqueConstraint("team_id", "dedupe_key"), Index(None, "team_id", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    dedupe_key: Mapped[str] = mapped_column(String(255))  # the modal's view id: a double submit is one proposal
    kind: Mapped[str] = mapped_column(String(16))  # theme | objection
    label: Mapped[str] = mapped_column(String(255))
    definition: Mapped[str] = mapped_column(Text)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | approved | rejected
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class LabelSwap(Base):
    """*Fix tags* replaced one label with another of the same kind on a note: where reps and the tagger read a
    term differently (vocabulary drift, shown to admins as terms to clarify)."""

    __tablename__ = "label_swaps"
    __table_args__ = (
        UniqueConstraint("note_id", "kind", "from_label", "to_label"),
        Index(None, "team_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    from_label: Mapped[str] = mapped_column(String(255))
    to_label: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class Competitor(Base):
    __tablename__ = "competitors"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)


class VendorMention(Base):
    """A vendor outside the workspace's competitor list that a note names with a comparison cue ("also piloting
    Freshsales"): one row per note and vendor, shown to admins as a candidate competitor until it is added."""

    __tablename__ = "vendor_mentions"
    __table_args__ = (
        UniqueConstraint("note_id", "name_key"),
        Index(None, "team_id", "name_key", "last_seen"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))  # as the note wrote it
    name_key: Mapped[str] = mapped_column(String(255))  # lower case: one candidate however it is written
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(64))  # account, outcome, said, objections, competitors, helped, q7...
    label: Mapped[str] = mapped_column(String(150))
    type: Mapped[str] = mapped_column(String(16))  # text | long | select | multiselect
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    optional: Mapped[bool] = mapped_column(Boolean, default=False)


class DigestSchedule(Base):
    __tablename__ = "digest_schedules"
    __table_args__ = (Index(None, "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(32))
    channel_name: Mapped[str] = mapped_column(String(255), default="")
    weekday: Mapped[int] = mapped_column(Integer, default=0)  # 0 = Monday
    hour: Mapped[int] = mapped_column(Integer, default=9)
    minute: Mapped[int] = mapped_column(Integer, default=0)
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime]


class DigestRun(Base):
    """One digest for one schedule and ISO week: recorded before and after posting, so it posts once."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("schedule_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    schedule_id: Mapped[int] = mapped_column(ForeignKey("digest_schedules.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(8))  # ISO week "2026-W48" of the period covered
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | posting | posted | failed
    channel_id: Mapped[str] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    posted_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Reply(Base):
    """A marketer's answer (or follow-up question) to the reps who raised a label in a period."""

    __tablename__ = "replies"
    __table_args__ = (UniqueConstraint("team_id", "dedupe_key"), Index(None, "team_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8), default="reply")  # reply | ask
    dedupe_key: Mapped[str] = mapped_column(String(255))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    digest_run_id: Mapped[int | None] = mapped_column(ForeignKey("digest_runs.id", ondelete="SET NULL"))
    tag_kind: Mapped[str] = mapped_column(String(16))
    tag_label: Mapped[str] = mapped_column(String(255))
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime]


class ReplyRecipient(Base):
    __tablename__ = "reply_recipients"
    __table_args__ = (UniqueConstraint("reply_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    reply_id: Mapped[int] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    sent_at: Mapped[datetime | None]
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))


class SlackDelivery(Base):
    """A Slack request already handled (event id, view id, action ts): retries and double clicks are no-ops."""

    __tablename__ = "slack_deliveries"
    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[datetime]


class Job(Base):
    """Timed work: what is due, when, and whether it is done. Claimed row by row, so it runs once."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("key"), Index(None, "state", "due_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(255))  # unique: planning the same work twice is a no-op
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="due")  # due | running | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class SlackPost(Base):
    """A message a job posts, keyed by what it is for: `posting` before the call to Slack, `posted` after.

    A `posting` row found later means an attempt stopped mid-post (killed, or Slack answered 5xx or not at
    all): only then is the channel's history asked whether the message went out.
    """

    __tablename__ = "slack_posts"
    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16))  # posting | posted
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime]
    posted_at: Mapped[datetime | None]
