"""`/fieldnotes stages`, `funnel` and `account`: the commands, their words, their work and their results, in one
module (the group's GRAMMAR entries and RUNNERS are merged into the tables of grammar.py and commands.py).

`stages map` changes the workspace: admins only. `stages list`, `funnel` and `account` (and pinning a marketing
note) are for marketers and admins: they are not OPEN_COMMANDS, and check who runs them here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.errors import PermissionDenied, UsageError
from bot.messages import admin_usage as usage_say
from bot.services import accounts, funnel_answers, stages
from bot.services.admin import model as m
from bot.services.admin import values as v
from bot.services.admin.arguments import bare
from bot.services.admin.context import Context, Runner
from bot.services.admin.permissions import admin_mentions, is_admin
from bot.services.admin.results import Result
from bot.services.funnel import FunnelData
from bot.services.workspaces import ensure_workspace
from storage.repositories import people

__all__ = [
    "GRAMMAR",
    "MARKETER_COMMANDS",
    "RUNNERS",
    "AccountNote",
    "AccountNoted",
    "AccountShow",
    "AccountShown",
    "FunnelShow",
    "FunnelShown",
    "LabelFunnelShown",
    "StageMapped",
    "StagesList",
    "StagesListed",
    "StagesMap",
]

PERIODS = {"30d": 30, "90d": 90, "30": 30, "90": 90}
# A last word that means a period the funnel does not offer (7d, 1y, all): refused, not read as part of the label.
_PERIOD_LIKE = re.compile(r"^(\d+[dwmy]|all)$", re.IGNORECASE)


# ---- commands ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StagesList(m.Command):
    def render(self) -> str:
        return "stages list"

    def slack_needs(self) -> m.SlackNeeds:
        return m.SlackNeeds(actor=True)


@dataclass(frozen=True)
class StagesMap(m.Command):
    crm_name: str
    stage: str

    def render(self) -> str:
        return f'stages map "{self.crm_name}" {self.stage}'


@dataclass(frozen=True)
class FunnelShow(m.Command):
    label: str | None = None
    days: int = 30

    def render(self) -> str:
        return " ".join(["funnel", *([f'"{self.label}"'] if self.label else []), f"{self.days}d"])

    def slack_needs(self) -> m.SlackNeeds:
        return m.SlackNeeds(actor=True)


@dataclass(frozen=True)
class AccountShow(m.Command):
    name: str

    def render(self) -> str:
        return f'account "{self.name}"'

    def slack_needs(self) -> m.SlackNeeds:
        return m.SlackNeeds(actor=True)


@dataclass(frozen=True)
class AccountNote(m.Command):
    text: str
    account: str | None = None
    segment: str | None = None

    def render(self) -> str:
        target = f'segment "{self.segment}"' if self.segment is not None else f'"{self.account}"'
        return f'account {target} note "{self.text}"'

    def slack_needs(self) -> m.SlackNeeds:
        return m.SlackNeeds(actor=True)


MARKETER_COMMANDS: tuple[type[m.Command], ...] = (StagesList, FunnelShow, AccountShow, AccountNote)


# ---- words -------------------------------------------------------------------------------------------


def _stages_map(args: list[v.Token], group: str) -> m.Command:
    if len(args) < 2:
        raise UsageError(usage_say.GIVE_CRM_STAGE)
    crm = " ".join(t.text for t in args[:-1]) if not args[0].quoted else args[0].text
    stage = " ".join(t.text for t in (args[1:] if args[0].quoted else args[-1:]))
    return StagesMap(v.clean_name(crm, "CRM stage", limit=255), stage)


def _funnel(args: list[v.Token], group: str) -> m.Command:
    days = 30
    if args and not args[-1].quoted and args[-1].text.lower() in PERIODS:
        days = PERIODS[args[-1].text.lower()]
        args = args[:-1]
    elif args and not args[-1].quoted and _PERIOD_LIKE.match(args[-1].text):
        raise UsageError(usage_say.not_a_funnel_period(args[-1].text))
    label = " ".join(t.text for t in args).strip() or None
    return FunnelShow(v.clean_name(label, "label", limit=255) if label else None, days)


def _account(args: list[v.Token], group: str) -> m.Command:
    words = [t.is_word("note") for t in args]
    if True in words:
        at = words.index(True)
        target, rest = args[:at], args[at + 1 :]
        text = " ".join(t.text for t in rest).strip()
        if not target or not text:
            raise UsageError('Name the account (or `segment "<name>"`), then `note "<text>"`.')
        if len(target) > 1 and target[0].is_word("segment"):
            segment = v.clean_name(" ".join(t.text for t in target[1:]), "segment", limit=64)
            return AccountNote(text, segment=segment)
        return AccountNote(text, account=v.clean_name(" ".join(t.text for t in target), "account", limit=255))
    if not args:
        raise UsageError(usage_say.NAME_ACCOUNT)
    return AccountShow(v.clean_name(" ".join(t.text for t in args), "account", limit=255))


ArgParser = Callable[[list[v.Token], str], m.Command]

#: usage line and argument parser of each subcommand, merged into grammar.GRAMMAR.
GRAMMAR: dict[str, tuple[str, ArgParser]] = {
    "stages list": ("/fieldnotes stages list", bare(StagesList)),
    "stages map": ('/fieldnotes stages map "<CRM stage>" <stage>', _stages_map),
    "funnel": ("/fieldnotes funnel [<label>] [30d|90d]", _funnel),
    "account": ('/fieldnotes account <name> | account <name> note "<text>"', _account),
}


# ---- results -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StagesListed(Result):
    listing: stages.StageListing


@dataclass(frozen=True)
class StageMapped(Result):
    mapped: stages.MapResult


@dataclass(frozen=True)
class FunnelShown(Result):
    start: datetime
    end: datetime
    days: int
    funnel: FunnelData


@dataclass(frozen=True)
class LabelFunnelShown(Result):
    answer: funnel_answers.LabelFunnel


@dataclass(frozen=True)
class AccountShown(Result):
    view: accounts.AccountView
    end: datetime


@dataclass(frozen=True)
class AccountNoted(Result):
    target: str
    segment: bool


# ---- work --------------------------------------------------------------------------------------------
def _require_marketer(session: Session, ctx: Context) -> None:
    person = people.get_by_slack_id(session, ctx.team_id, ctx.user_id)
    if (person is not None and person.is_marketer) or is_admin(session, ctx.team_id, ctx.user_id, ctx.slack):
        return
    mentions = admin_mentions(session, ctx.team_id)
    raise PermissionDenied(
        "Only marketers and admins can do that."
        + (f" Ask an admin ({mentions}) to add you with `/fieldnotes marketers add`." if mentions else "")
    )


def list_stages(session: Session, ctx: Context, cmd: StagesList) -> Result:
    _require_marketer(session, ctx)
    return StagesListed(stages.stage_listing(session, ctx.team_id))


def map_stage(session: Session, ctx: Context, cmd: StagesMap) -> Result:
    ensure_workspace(session, ctx.team_id, now=ctx.now)
    return StageMapped(stages.map_stage(session, ctx.team_id, cmd.crm_name, cmd.stage, now=ctx.now))


def show_funnel(session: Session, ctx: Context, cmd: FunnelShow) -> Result:
    _require_marketer(session, ctx)
    if cmd.label:
        return LabelFunnelShown(
            funnel_answers.label_funnel(session, ctx.team_id, cmd.label, days=cmd.days, now=ctx.now)
        )
    start, end, data = funnel_answers.funnel_overview(session, ctx.team_id, days=cmd.days, now=ctx.now)
    return FunnelShown(start, end, cmd.days, data)


def show_account(session: Session, ctx: Context, cmd: AccountShow) -> Result:
    _require_marketer(session, ctx)
    workspace = ensure_workspace(session, ctx.team_id, now=ctx.now)
    view = accounts.account_view(session, ctx.team_id, cmd.name, attributed=workspace.quotes == "attributed")
    return AccountShown(view, ctx.now)


def note_account(session: Session, ctx: Context, cmd: AccountNote) -> Result:
    _require_marketer(session, ctx)
    target = accounts.pin_note(
        session, ctx.team_id, ctx.user_id, text=cmd.text, now=ctx.now, account=cmd.account, segment=cmd.segment
    )
    return AccountNoted(target, cmd.segment is not None)


RUNNERS: dict[type[m.Command], Runner] = {
    StagesList: list_stages,
    StagesMap: map_stage,
    FunnelShow: show_funnel,
    AccountShow: show_account,
    AccountNote: note_account,
}
