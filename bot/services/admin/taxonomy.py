"""`/fieldnotes themes|objections|competitors list|add|remove`: the workspace's taxonomy."""

from __future__ import annotations

import difflib

from sqlalchemy.orm import Session

from bot.errors import NotFound
from bot.messages import admin as say
from bot.services import vendors
from bot.services.admin import model as m
from bot.services.admin import results as r
from bot.services.admin.context import Context, Runner
from storage.repositories import workspaces

__all__ = ["RUNNERS"]


def _did_you_mean(name: str, names: list[str]) -> str | None:
    found = difflib.get_close_matches(name.lower(), [n.lower() for n in names], n=1, cutoff=0.6)
    return next(n for n in names if n.lower() == found[0]) if found else None


def list_labels(session: Session, ctx: Context, cmd: m.LabelsList) -> r.Result:
    rows = workspaces.labels(session, ctx.team_id, cmd.kind)
    return r.LabelsListed(cmd.kind, tuple(r.NamedItems(row.name, tuple(row.phrases or ())) for row in rows))


def add_label(session: Session, ctx: Context, cmd: m.LabelsAdd) -> r.Result:
    rows = workspaces.labels(session, ctx.team_id, cmd.kind)
    existing = next((row.name for row in rows if row.name.lower() == cmd.name.lower()), None)
    workspaces.add_label(session, ctx.team_id, kind=cmd.kind, name=cmd.name, phrases=list(cmd.phrases))
    return r.LabelAdded(cmd.kind, cmd.name, cmd.phrases, existing)


def remove_label(session: Session, ctx: Context, cmd: m.LabelsRemove) -> r.Result:
    rows = workspaces.labels(session, ctx.team_id, cmd.kind)
    if not workspaces.remove_label(session, ctx.team_id, kind=cmd.kind, name=cmd.name):
        guess = _did_you_mean(cmd.name, [row.name for row in rows])
        raise NotFound(say.no_such_label(cmd.kind, cmd.name, guess))
    return r.LabelRemoved(cmd.kind, cmd.name)


def list_competitors(session: Session, ctx: Context, cmd: m.CompetitorsList) -> r.Result:
    rows = workspaces.competitors(session, ctx.team_id)
    return r.CompetitorsListed(
        tuple(r.NamedItems(row.name, tuple(row.aliases or ())) for row in rows),
        tuple(vendors.candidate_vendors(session, ctx.team_id)),
    )


def add_competitor(session: Session, ctx: Context, cmd: m.CompetitorsAdd) -> r.Result:
    rows = workspaces.competitors(session, ctx.team_id)
    existing = next((row.name for row in rows if row.name.lower() == cmd.name.lower()), None)
    added = workspaces.add_competitor(session, ctx.team_id, name=cmd.name, aliases=list(cmd.aliases))
    retagged = vendors.adopt_vendor(session, ctx.team_id, added.name, added.aliases)
    return r.CompetitorAdded(cmd.name, cmd.aliases, existing, retagged)


def remove_competitor(session: Session, ctx: Context, cmd: m.CompetitorsRemove) -> r.Result:
    rows = workspaces.competitors(session, ctx.team_id)
    if not workspaces.remove_competitor(session, ctx.team_id, name=cmd.name):
        guess = _did_you_mean(cmd.name, [row.name for row in rows])
        raise NotFound(say.no_such_competitor(cmd.name, guess))
    return r.CompetitorRemoved(cmd.name)


RUNNERS: dict[type[m.Command], Runner] = {
    m.LabelsList: list_labels,
    m.LabelsAdd: add_label,
    m.LabelsRemove: remove_label,
    m.CompetitorsList: list_competitors,
    m.CompetitorsAdd: add_competitor,
    m.CompetitorsRemove: remove_competitor,
}
