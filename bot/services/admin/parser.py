"""The `/fieldnotes` grammar: text in, a typed command out, or `UsageError` with the nearest usage line.

Pure: no I/O. `parse(text)` never raises anything but `UsageError`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from bot.errors import UsageError
from bot.services.admin import model as m
from bot.services.admin import values as v
from bot.services.admin.values import Token

__all__ = ["GROUPS", "USAGE", "help_text", "parse", "usage"]

QUESTION_TYPES = ("text", "long", "select", "multiselect")
MAX_POSITION = 50
LABEL_LIMIT = 150  # questions.label
NAME_LIMIT = 100
OPTION_LIMIT = 75  # static_select option text

# One usage line per command, in help order. Keys are "<group> <sub>" (or the group alone).
USAGE: dict[str, str] = {
    "help": "/fieldnotes help",
    "me": "/fieldnotes me",
    "digest preview": "/fieldnotes digest preview",
    "questions list": "/fieldnotes questions list",
    "questions add": (
        '/fieldnotes questions add "<label>" [text|long|select|multiselect] [options "a, b, c"] [optional]'
    ),
    "questions remove": "/fieldnotes questions remove <n>",
    "questions move": "/fieldnotes questions move <n> <m>",
    "prompts show": "/fieldnotes prompts show",
    "prompts delay": "/fieldnotes prompts delay <minutes>",
    "prompts nudge": "/fieldnotes prompts nudge <hours>|off",
    "prompts checkin": "/fieldnotes prompts checkin <mon-fri|days> <HH:MM>|off",
    "digests list": "/fieldnotes digests list",
    "digests add": "/fieldnotes digests add #channel [<weekday> <HH:MM> [<IANA tz>]]",
    "digests remove": "/fieldnotes digests remove <id>",
    "themes list": "/fieldnotes themes list",
    "themes add": '/fieldnotes themes add <name> [phrases "p1, p2"]',
    "themes remove": "/fieldnotes themes remove <name>",
    "objections list": "/fieldnotes objections list",
    "objections add": '/fieldnotes objections add <name> [phrases "p1, p2"]',
    "objections remove": "/fieldnotes objections remove <name>",
    "competitors list": "/fieldnotes competitors list",
    "competitors add": '/fieldnotes competitors add <name> [aliases "a1, a2"]',
    "competitors remove": "/fieldnotes competitors remove <name>",
    "reps list": "/fieldnotes reps list",
    "reps add": "/fieldnotes reps add @user…",
    "reps remove": "/fieldnotes reps remove @user…",
    "admins list": "/fieldnotes admins list",
    "admins add": "/fieldnotes admins add @user",
    "admins remove": "/fieldnotes admins remove @user",
    "marketers list": "/fieldnotes marketers list",
    "marketers add": "/fieldnotes marketers add @user…",
    "marketers remove": "/fieldnotes marketers remove @user…",
    "settings": "/fieldnotes settings",
    "settings quotes": "/fieldnotes settings quotes anonymous|attributed",
    "settings retention": "/fieldnotes settings retention <days>|off",
    "settings replies": "/fieldnotes settings replies marketers|channel",
    "export": "/fieldnotes export [7d|30d|90d|all]",
    "webhook": "/fieldnotes webhook",
    "webhook rotate": "/fieldnotes webhook rotate",
}

GROUPS: tuple[str, ...] = tuple(dict.fromkeys(key.split()[0] for key in USAGE))
# Singular and other forgiving spellings of group names.
_GROUP_ALIASES = {
    "question": "questions",
    "prompt": "prompts",
    "digests": "digests",
    "theme": "themes",
    "objection": "objections",
    "competitor": "competitors",
    "rep": "reps",
    "admin": "admins",
    "marketer": "marketers",
    "setting": "settings",
    "stats": "me",
}
_SUB_ALIASES = {"ls": "list", "show": "list", "new": "add", "create": "add", "rm": "remove", "delete": "remove"}


def usage(key: str) -> str:
    return f"Usage: `{USAGE[key]}`"


def help_text() -> str:
    lines = ["*Field Notes commands* (anyone may use `help`, `me` and `digest preview`; the rest need an admin)"]
    lines += [f"• `{line}`" for line in USAGE.values()]
    return "\n".join(lines)


def _nearest(word: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    return found[0] if found else None


def _fail(key: str, reason: str = "") -> UsageError:
    return UsageError(f"{reason}\n{usage(key)}".strip())


def parse(text: str) -> m.Command:
    try:
        tokens = v.tokenize(text)
    except UsageError as exc:
        raise UsageError(f"{exc}\nType `/fieldnotes help` for every command.") from None
    if not tokens:
        return m.Help()
    head = tokens[0].text.lower()
    group = _GROUP_ALIASES.get(head, head)
    if tokens[0].quoted or group not in GROUPS:
        guess = _nearest(head, [*GROUPS, *_GROUP_ALIASES])
        if guess is not None:
            guess = _GROUP_ALIASES.get(guess, guess)
            sub = tokens[1].text.lower() if len(tokens) > 1 else ""
            key = f"{guess} {sub}" if f"{guess} {sub}" in USAGE else next(k for k in USAGE if k.split()[0] == guess)
            raise UsageError(f"Unknown command `{tokens[0].text}`. Did you mean `{guess}`?\n{usage(key)}")
        raise UsageError(f"Unknown command `{tokens[0].text}`. Type `/fieldnotes help` for every command.")
    return _parse_group(group, tokens[1:])


def _parse_group(group: str, rest: list[Token]) -> m.Command:
    if group in _SIMPLE:
        return _SIMPLE[group](rest)
    subs = [key.split()[1] for key in USAGE if key.split()[0] == group and " " in key]
    if not rest:
        if group == "settings":
            return m.SettingsShow()
        default = "list" if "list" in subs else ("show" if "show" in subs else subs[0])
        return _SUBCOMMANDS[(group, default)]([], group)
    word = rest[0].text.lower()
    sub = word if word in subs else _SUB_ALIASES.get(word, word)
    if group == "prompts" and sub == "list":
        sub = "show"
    if rest[0].quoted or sub not in subs:
        guess = _nearest(word, subs)
        key = f"{group} {guess or subs[0]}"
        hint = f"Did you mean `{key}`?" if guess else f"`{group}` takes: " + " | ".join(subs) + "."
        raise _fail(key, f"Unknown `{group}` command `{rest[0].text}`. {hint}")
    try:
        return _SUBCOMMANDS[(group, sub)](rest[1:], group)
    except UsageError as exc:
        raise _fail(f"{group} {sub}", str(exc)) from None


def _no_more(args: list[Token]) -> None:
    if args:
        raise UsageError(f"Unexpected `{args[0].text}`.")


# ---- help, me, digest preview, export ------------------------------------------------------------------
def _help(rest: list[Token]) -> m.Command:
    return m.Help()


def _me(rest: list[Token]) -> m.Command:
    if rest:
        raise _fail("me", f"Unexpected `{rest[0].text}`.")
    return m.Me()


_EXPORT_PERIODS = {"7d": 7, "30d": 30, "90d": 90, "all": None, "7": 7, "30": 30, "90": 90}


def _export(rest: list[Token]) -> m.Command:
    if not rest:
        return m.Export()
    word = rest[0].text.lower()
    if len(rest) > 1 or rest[0].quoted or word not in _EXPORT_PERIODS:
        raise _fail("export", f"`{rest[0].text}` is not a period: use 7d, 30d, 90d or all.")
    return m.Export(days=_EXPORT_PERIODS[word])


def _webhook(rest: list[Token]) -> m.Command:
    if not rest:
        return m.WebhookShow()
    if len(rest) == 1 and not rest[0].quoted and rest[0].text.lower() == "rotate":
        return m.WebhookRotate()
    raise _fail("webhook rotate", f"Unexpected `{rest[0].text}`.")


_SIMPLE: dict[str, Callable[[list[Token]], m.Command]] = {
    "help": _help,
    "me": _me,
    "export": _export,
    "webhook": _webhook,
}


# ---- questions -----------------------------------------------------------------------------------------
def _questions_list(args: list[Token], group: str) -> m.Command:
    _no_more(args)
    return m.QuestionsList()


def _questions_add(args: list[Token], group: str) -> m.Command:
    if not args:
        raise UsageError("Give the question's label in quotes.")
    label = v.clean_name(args[0].text, "question label", limit=LABEL_LIMIT)
    qtype: str | None = None
    options: tuple[str, ...] = ()
    optional = False
    i = 1
    while i < len(args):
        token = args[i]
        if token.is_word(*QUESTION_TYPES) and qtype is None:
            qtype = token.text.lower()
        elif token.is_word("options", "option") and not options:
            if i + 1 >= len(args):
                raise UsageError('Give the options in quotes, separated by commas: options "a, b, c".')
            options = v.split_list(args[i + 1].text, "option", limit=OPTION_LIMIT, most=100)
            i += 1
        elif token.is_word("optional") and not optional:
            optional = True
        elif token.is_word("required"):
            optional = False
        else:
            raise UsageError(
                f"Unexpected `{token.text}`" + (" (put a label with spaces in quotes)." if i == 1 else ".")
            )
        i += 1
    if qtype is None:
        qtype = "select" if options else "text"
    if qtype in ("select", "multiselect") and not options:
        raise UsageError(f'A {qtype} question needs its options: options "a, b, c".')
    if qtype in ("text", "long") and options:
        raise UsageError(f"A {qtype} question has no options: use select or multiselect.")
    return m.QuestionsAdd(label=label, type=qtype, options=options, optional=optional)


def _position(token: Token) -> int:
    return v.number(token, "question number", low=1, high=MAX_POSITION)


def _questions_remove(args: list[Token], group: str) -> m.Command:
    if len(args) != 1:
        raise UsageError("Give the number of the question, as `questions list` shows it.")
    return m.QuestionsRemove(_position(args[0]))


def _questions_move(args: list[Token], group: str) -> m.Command:
    if len(args) != 2:
        raise UsageError("Give the question's number and its new place.")
    return m.QuestionsMove(_position(args[0]), _position(args[1]))


# ---- prompts -------------------------------------------------------------------------------------------
def _prompts_show(args: list[Token], group: str) -> m.Command:
    _no_more(args)
    return m.PromptsShow()


def _prompts_delay(args: list[Token], group: str) -> m.Command:
    if len(args) != 1:
        raise UsageError("Give the delay in minutes.")
    return m.PromptsDelay(v.number(args[0], "minutes", low=0, high=1440, units=("m", "min", "mins", "minutes")))


def _prompts_nudge(args: list[Token], group: str) -> m.Command:
    if len(args) != 1:
        raise UsageError("Give the hours before the nudge, or off.")
    if args[0].is_word("off", "none", "never"):
        return m.PromptsNudge(None)
    return m.PromptsNudge(v.number(args[0], "hours", low=1, high=47, units=("h", "hr", "hrs", "hours")))


def _prompts_checkin(args: list[Token], group: str) -> m.Command:
    if len(args) == 1 and args[0].is_word("off", "none", "never"):
        return m.PromptsCheckin()
    if len(args) != 2:
        raise UsageError("Give the weekdays and the local time, or off.")
    if args[0].quoted:
        raise UsageError(f"`{args[0].text}` is not a list of weekdays: try `mon-fri` or `tue,thu`.")
    days = v.parse_days(args[0].text)
    hour, minute = v.parse_time(args[1])
    return m.PromptsCheckin(days=days, hour=hour, minute=minute)


# ---- digests -------------------------------------------------------------------------------------------
def _digests_list(args: list[Token], group: str) -> m.Command:
    _no_more(args)
    return m.DigestsList()


def _digests_add(args: list[Token], group: str) -> m.Command:
    if not args:
        raise UsageError("Name the channel: type # and pick it from the list.")
    channel_id, channel_name = v.channel(args[0])
    weekday = hour = tz = None
    minute = 0
    for token in args[1:]:
        if weekday is None and hour is None and tz is None and v.is_weekday(token):
            weekday = v.weekday(token)
        elif hour is None and tz is None and v.is_time(token):
            hour, minute = v.parse_time(token)
        elif tz is None and not token.quoted and ("/" in token.text or token.is_word("utc", "gmt")):
            tz = v.parse_tz(token)
        else:
            raise UsageError(f"Unexpected `{token.text}`: give a weekday, a time (HH:MM), then a time zone.")
    return m.DigestsAdd(channel_id, channel_name, weekday, hour, minute, tz)


def _digests_remove(args: list[Token], group: str) -> m.Command:
    if len(args) != 1:
        raise UsageError("Give the schedule's id, as `digests list` shows it.")
    token = Token(args[0].text.removeprefix("#"), args[0].quoted)
    return m.DigestsRemove(v.number(token, "schedule id", low=1, high=9_999_999))


# ---- themes, objections, competitors ------------------------------------------------------------------
def _name_then(args: list[Token], keyword: str, what: str) -> tuple[str, tuple[str, ...]]:
    """`<name words…> [keyword "a, b"]` -> (name, items); `what` is the singular of `keyword`."""
    words: list[str] = []
    items: tuple[str, ...] = ()
    i = 0
    while i < len(args):
        if args[i].is_word(keyword, what) and words:
            if i + 2 != len(args):
                raise UsageError(f'Give the {keyword} in quotes, separated by commas: {keyword} "a, b".')
            items = v.split_list(args[i + 1].text, what, limit=NAME_LIMIT)
            break
        if args[i].quoted and words:
            raise UsageError(f"Unexpected `{args[i].text}`.")
        words.append(args[i].text)
        i += 1
    if not words:
        raise UsageError("Give a name.")
    return v.clean_name(" ".join(words), "name", limit=NAME_LIMIT), items


def _name(args: list[Token]) -> str:
    if not args:
        raise UsageError("Give a name.")
    return v.clean_name(" ".join(t.text for t in args), "name", limit=NAME_LIMIT)


def _labels_list(args: list[Token], group: str) -> m.Command:
    _no_more(args)
    return m.LabelsList(group.removesuffix("s"))


def _labels_add(args: list[Token], group: str) -> m.Command:
    name, phrases = _name_then(args, "phrases", "phrase")
    return m.LabelsAdd(group.removesuffix("s"), name, phrases)


def _labels_remove(args: list[Token], group: str) -> m.Command:
    return m.LabelsRemove(group.removesuffix("s"), _name(args))


def _competitors_list(args: list[Token], group: str) -> m.Command:
    _no_more(args)
    return m.CompetitorsList()


def _competitors_add(args: list[Token], group: str) -> m.Command:
    name, aliases = _name_then(args, "aliases", "alias")
    return m.CompetitorsAdd(name, aliases)


def _competitors_remove(args: list[Token], group: str) -> m.Command:
    return m.CompetitorsRemove(_name(args))


# ---- reps, admins, marketers ---------------------------------------------------------------------------
def _people(args: list[Token], group: str, *, one: bool) -> tuple[str, ...]:
    if not args:
        raise UsageError("Mention the person with @.")
    users = tuple(dict.fromkeys(v.user(token) for token in args))
    if one and len(users) > 1:
        raise UsageError("One person at a time, please.")
    if len(users) > 50:
        raise UsageError("At most 50 people at a time.")
    return users


def _people_list(args: list[Token], group: str) -> m.Command:
    _no_more(args)
    return m.PeopleList(group.removesuffix("s"))


def _people_add(args: list[Token], group: str) -> m.Command:
    return m.PeopleAdd(group.removesuffix("s"), _people(args, group, one=group == "admins"))


def _people_remove(args: list[Token], group: str) -> m.Command:
    return m.PeopleRemove(group.removesuffix("s"), _people(args, group, one=group == "admins"))


# ---- settings, digest preview --------------------------------------------------------------------------
def _settings_quotes(args: list[Token], group: str) -> m.Command:
    if len(args) != 1 or not args[0].is_word("anonymous", "attributed"):
        raise UsageError("Quotes are either anonymous or attributed.")
    return m.SettingsQuotes(args[0].text.lower())


def _settings_retention(args: list[Token], group: str) -> m.Command:
    if len(args) != 1:
        raise UsageError("Give the number of days to keep notes, or off.")
    if args[0].is_word("off", "forever", "never"):
        return m.SettingsRetention(None)
    return m.SettingsRetention(v.number(args[0], "days", low=7, high=3650, units=("d", "days")))


def _settings_replies(args: list[Token], group: str) -> m.Command:
    if len(args) != 1 or not args[0].is_word("marketers", "channel"):
        raise UsageError(
            "Who may reply to reps from a digest: `marketers` (marketers and admins) or `channel` (also members of "
            "the digest channel)."
        )
    return m.SettingsReplies(channel_members=args[0].text.lower() == "channel")


def _digest_preview(args: list[Token], group: str) -> m.Command:
    _no_more(args)
    return m.DigestPreview()


_SUBCOMMANDS: dict[tuple[str, str], Callable[[list[Token], str], m.Command]] = {
    ("digest", "preview"): _digest_preview,
    ("questions", "list"): _questions_list,
    ("questions", "add"): _questions_add,
    ("questions", "remove"): _questions_remove,
    ("questions", "move"): _questions_move,
    ("prompts", "show"): _prompts_show,
    ("prompts", "delay"): _prompts_delay,
    ("prompts", "nudge"): _prompts_nudge,
    ("prompts", "checkin"): _prompts_checkin,
    ("digests", "list"): _digests_list,
    ("digests", "add"): _digests_add,
    ("digests", "remove"): _digests_remove,
    ("competitors", "list"): _competitors_list,
    ("competitors", "add"): _competitors_add,
    ("competitors", "remove"): _competitors_remove,
    ("settings", "quotes"): _settings_quotes,
    ("settings", "retention"): _settings_retention,
    ("settings", "replies"): _settings_replies,
}
for _kind in ("themes", "objections"):
    _SUBCOMMANDS[(_kind, "list")] = _labels_list
    _SUBCOMMANDS[(_kind, "add")] = _labels_add
    _SUBCOMMANDS[(_kind, "remove")] = _labels_remove
for _role in ("reps", "admins", "marketers"):
    _SUBCOMMANDS[(_role, "list")] = _people_list
    _SUBCOMMANDS[(_role, "add")] = _people_add
    _SUBCOMMANDS[(_role, "remove")] = _people_remove
