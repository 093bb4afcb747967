"""Every `/fieldnotes` subcommand, in help order: its usage line and the function that parses its arguments.

A key is "<group> <sub>", or the group alone: a bare group entry answers the group typed with nothing after it
(`settings`, `webhook`), or takes all the arguments when the group has no subcommands (`help`, `me`, `export`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.messages import admin as say
from bot.services.admin import arguments as a
from bot.services.admin import funnel_cmds
from bot.services.admin import learn_args as la
from bot.services.admin import model as m
from bot.services.admin.values import Token

__all__ = ["GRAMMAR", "GROUPS", "USAGE", "Entry", "help_text", "usage"]

ArgParser = Callable[[list[Token], str], m.Command]


@dataclass(frozen=True)
class Entry:
    usage: str
    parse: ArgParser


GRAMMAR: dict[str, Entry] = {
    "help": Entry("/fieldnotes help", a.help_),
    "me": Entry("/fieldnotes me", a.me),
    "digest preview": Entry("/fieldnotes digest preview", a.digest_preview),
    "questions list": Entry("/fieldnotes questions list", a.questions_list),
    "questions add": Entry(
        '/fieldnotes questions add "<label>" [text|long|select|multiselect] [options "a, b, c"] [optional]',
        a.questions_add,
    ),
    "questions remove": Entry("/fieldnotes questions remove <n>", a.questions_remove),
    "questions move": Entry("/fieldnotes questions move <n> <m>", a.questions_move),
    "prompts show": Entry("/fieldnotes prompts show", a.prompts_show),
    "prompts delay": Entry("/fieldnotes prompts delay <minutes>", a.prompts_delay),
    "prompts nudge": Entry("/fieldnotes prompts nudge <hours>|off", a.prompts_nudge),
    "prompts checkin": Entry("/fieldnotes prompts checkin <mon-fri|days> <HH:MM>|off", a.prompts_checkin),
    "digests list": Entry("/fieldnotes digests list", a.digests_list),
    "digests add": Entry("/fieldnotes digests add #channel [<weekday> <HH:MM> [<IANA tz>]]", a.digests_add),
    "digests remove": Entry("/fieldnotes digests remove <id>", a.digests_remove),
    "themes list": Entry("/fieldnotes themes list", a.labels_list),
    "themes add": Entry('/fieldnotes themes add <name> [phrases "p1, p2"]', a.labels_add),
    "themes remove": Entry("/fieldnotes themes remove <name>", a.labels_remove),
    "objections list": Entry("/fieldnotes objections list", a.labels_list),
    "objections add": Entry('/fieldnotes objections add <name> [phrases "p1, p2"]', a.labels_add),
    "objections remove": Entry("/fieldnotes objections remove <name>", a.labels_remove),
    "themes describe": Entry('/fieldnotes themes describe <label> "<definition>"', la.labels_describe),
    "objections describe": Entry('/fieldnotes objections describe <label> "<definition>"', la.labels_describe),
    "glossary": Entry("/fieldnotes glossary [<term>]", la.glossary_show),
    "review": Entry("/fieldnotes review", la.review_open),
    "ridealong": Entry("/fieldnotes ridealong [theme|objection|stage|segment|account <value>]", la.ridealong_list),
    "competitors list": Entry("/fieldnotes competitors list", a.competitors_list),
    "competitors add": Entry('/fieldnotes competitors add <name> [aliases "a1, a2"]', a.competitors_add),
    "competitors remove": Entry("/fieldnotes competitors remove <name>", a.competitors_remove),
    "reps list": Entry("/fieldnotes reps list", a.people_list),
    "reps add": Entry("/fieldnotes reps add @user…", a.people_add),
    "reps remove": Entry("/fieldnotes reps remove @user…", a.people_remove),
    "admins list": Entry("/fieldnotes admins list", a.people_list),
    "admins add": Entry("/fieldnotes admins add @user", a.people_add),
    "admins remove": Entry("/fieldnotes admins remove @user", a.people_remove),
    "marketers list": Entry("/fieldnotes marketers list", a.people_list),
    "marketers add": Entry("/fieldnotes marketers add @user…", a.people_add),
    "marketers remove": Entry("/fieldnotes marketers remove @user…", a.people_remove),
    "settings": Entry("/fieldnotes settings", a.settings_show),
    "settings quotes": Entry("/fieldnotes settings quotes anonymous|attributed", a.settings_quotes),
    "settings retention": Entry("/fieldnotes settings retention <days>|off", a.settings_retention),
    "settings replies": Entry("/fieldnotes settings replies marketers|channel", a.settings_replies),
    "export": Entry("/fieldnotes export [7d|30d|90d|all]", a.export),
    "setup": Entry("/fieldnotes setup", a.setup),
    "webhook": Entry("/fieldnotes webhook", a.webhook_show),
    "webhook rotate": Entry("/fieldnotes webhook rotate", a.webhook_rotate),
    **{key: Entry(line, parse) for key, (line, parse) in funnel_cmds.GRAMMAR.items()},
}

#: The usage line of each command, by key.
USAGE: dict[str, str] = {key: entry.usage for key, entry in GRAMMAR.items()}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(key.split()[0] for key in GRAMMAR))


def usage(key: str) -> str:
    return f"Usage: `{USAGE[key]}`"


def help_text() -> str:
    return "\n".join([say.HELP_TITLE, *(f"• `{line}`" for line in USAGE.values())])
