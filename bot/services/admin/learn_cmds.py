"""`/fieldnotes glossary [<term>]`, `themes|objections describe <label> "<definition>"` and `ridealong [filter]`:
the shared vocabulary and the calls marketers could join."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.services import glossary, reviews, ridealong_list
from bot.services import ridealongs as rides
from bot.services.admin import model as m
from bot.services.admin import results as r
from bot.services.admin.context import Context, Runner
from bot.services.directory import timezone_of

__all__ = ["RUNNERS", "GlossaryShown", "LabelDescribed", "ReviewForm", "RideAlongsListed"]


@dataclass(frozen=True)
class GlossaryShown(r.Result):
    entries: tuple[glossary.Entry, ...]
    single: bool


@dataclass(frozen=True)
class LabelDescribed(r.Result):
    kind: str
    name: str
    definition: str


@dataclass(frozen=True)
class RideAlongsListed(r.Result):
    found: ridealong_list.Joinable


@dataclass(frozen=True)
class ReviewForm(r.Result):
    segments: tuple[str, ...]


def open_review(session: Session, ctx: Context, cmd: m.ReviewOpen) -> r.Result:
    rides.check_may_join(session, ctx.team_id, ctx.user_id, ())  # marketers and admins
    return ReviewForm(tuple(reviews.segments(session, ctx.team_id, ctx.now)))


def show_glossary(session: Session, ctx: Context, cmd: m.GlossaryShow) -> r.Result:
    return GlossaryShown(tuple(glossary.entries(session, ctx.team_id, cmd.term)), cmd.term is not None)


def describe_label(session: Session, ctx: Context, cmd: m.LabelsDescribe) -> r.Result:
    name = glossary.describe(session, ctx.team_id, cmd.kind, cmd.name, cmd.definition)
    return LabelDescribed(cmd.kind, name, " ".join(cmd.definition.split()))


def list_ridealongs(session: Session, ctx: Context, cmd: m.RideAlongList) -> r.Result:
    rides.check_may_join(session, ctx.team_id, ctx.user_id, ())
    where = ridealong_list.parse_filter(session, ctx.team_id, cmd.filter)
    found = ridealong_list.joinable(session, ctx.team_id, ctx.user_id, now=ctx.now, where=where)
    profile = ctx.slack.user(ctx.user_id)
    if timezone_of(session, ctx.team_id, ctx.user_id) == "UTC" and profile is not None and profile.tz:
        found = ridealong_list.Joinable(found.calls, profile.tz, found.filter)
    return RideAlongsListed(found)


RUNNERS: dict[type[m.Command], Runner] = {
    m.GlossaryShow: show_glossary,
    m.LabelsDescribe: describe_label,
    m.RideAlongList: list_ridealongs,
    m.ReviewOpen: open_review,
}
