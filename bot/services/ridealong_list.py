"""Which upcoming calls a marketer could join, filtered by theme, objection, stage, segment or account.

"Calls with accounts that raised pricing": the accounts whose notes carry that tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.errors import UsageError
from bot.services.directory import timezone_of
from bot.services.ridealongs import CallInfo, call_info
from bot.services.workspaces import taxonomy_for
from storage.repositories import people
from storage.repositories import ridealongs as repo

__all__ = ["FILTER_WORDS", "USAGE", "CallFilter", "Joinable", "RepRideAlongs", "joinable", "parse_filter", "rep_state"]

FILTER_WORDS = ("theme", "objection", "stage", "segment", "account")
USAGE = "/fieldnotes ridealong [theme|objection|stage|segment|account &lt;value&gt;]"


@dataclass(frozen=True)
class CallFilter:
    word: str  # one of FILTER_WORDS
    value: str

    def describe(self) -> str:
        if self.word in ("theme", "objection"):
            return f"with accounts that raised {self.value}"
        return (
            f"where {self.word} is {self.value}" if self.word != "account" else f"with accounts matching {self.value}"
        )


@dataclass(frozen=True)
class Joinable:
    calls: list[tuple[CallInfo, str | None]]  # each call, and where the viewer's own request stands
    tz: str  # the viewer's timezone, for the times shown
    filter: CallFilter | None


@dataclass(frozen=True)
class RepRideAlongs:
    is_rep: bool
    opted_out: bool


def parse_filter(session: Session, team_id: str, text: str) -> CallFilter | None:
    """`theme pricing`, `stage negotiation`, ...; a bare label of the taxonomy means calls that raised it."""
    text = " ".join(text.split())
    if not text:
        return None
    word, _, rest = text.partition(" ")
    if word.lower() in FILTER_WORDS:
        if not rest:
            raise UsageError(f"Say which {word.lower()}: `{USAGE}`")
        value = rest.strip().strip('"“”')
        word = word.lower()
    else:
        value, word = text.strip('"“”'), ""
    taxonomy = taxonomy_for(session, team_id)
    if word in ("theme", "objection", ""):
        for kind in ("theme", "objection") if not word else (word,):
            match = next((n for n in taxonomy.names(kind) if n.lower() == value.lower()), None)
            if match is not None:
                return CallFilter(kind, match)
        if word:
            names = ", ".join(taxonomy.names(word)[:12])
            raise UsageError(f"No {word} called {value!r}. Try one of: {names}.")
        return CallFilter("account", value)
    return CallFilter(word, value)


def joinable(
    session: Session, team_id: str, user_id: str, *, now: datetime, where: CallFilter | None = None, limit: int = 20
) -> Joinable:
    kwargs: dict[str, object] = {}
    if where is not None:
        if where.word in ("theme", "objection"):
            kwargs["raised"] = (where.word, where.value)
        else:
            kwargs[where.word] = where.value
    rows = repo.upcoming(session, team_id, after=now, limit=limit, **kwargs)  # type: ignore[arg-type]
    calls = [call_info(call, rep) for call, rep in rows if rep.slack_user_id != user_id]
    me = people.get_by_slack_id(session, team_id, user_id)
    states = repo.rides_of_marketer(session, team_id, me.id, [c.id for c in calls]) if me is not None else {}
    return Joinable([(c, states.get(c.id)) for c in calls], timezone_of(session, team_id, user_id), where)


def rep_state(session: Session, team_id: str, user_id: str) -> RepRideAlongs:
    person = people.get_by_slack_id(session, team_id, user_id)
    if person is None:
        return RepRideAlongs(False, False)
    return RepRideAlongs(person.is_rep, person.ridealong_opt_out)
