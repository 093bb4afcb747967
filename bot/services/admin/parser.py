"""The `/fieldnotes` grammar: text in, a typed command out, or `UsageError` with the nearest usage line.

Pure: no I/O. `parse(text)` never raises anything but `UsageError`. Which words make which command is the
table in grammar.py; the arguments of each are read in arguments.py.
"""

from __future__ import annotations

import difflib

from bot.errors import UsageError
from bot.messages import admin_usage as say
from bot.services.admin import model as m
from bot.services.admin import values as v
from bot.services.admin.grammar import GRAMMAR, GROUPS, USAGE, help_text, usage
from bot.services.admin.values import Token

__all__ = ["GROUPS", "USAGE", "help_text", "parse", "usage"]

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
    "preview": "digest",
}
_SUB_ALIASES = {"ls": "list", "show": "list", "new": "add", "create": "add", "rm": "remove", "delete": "remove"}


def _nearest(word: str, choices: list[str]) -> str | None:
    found = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    return found[0] if found else None


def _fail(key: str, reason: str = "") -> UsageError:
    return UsageError(f"{reason}\n{usage(key)}".strip())


def parse(text: str) -> m.Command:
    try:
        tokens = v.tokenize(text)
    except UsageError as exc:
        raise UsageError(f"{exc}\n{say.SEE_HELP}") from None
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
            raise UsageError(f"{say.did_you_mean(tokens[0].text, guess)}\n{usage(key)}")
        raise UsageError(say.unknown_command(tokens[0].text))
    return _parse_group(group, tokens[1:])


def _parse_group(group: str, rest: list[Token]) -> m.Command:
    subs = [key.split()[1] for key in GRAMMAR if key.split()[0] == group and " " in key]
    if group in GRAMMAR and (not rest or not subs):
        return _run(group, rest, group)
    if not rest:
        default = "list" if "list" in subs else ("show" if "show" in subs else subs[0])
        return _run(f"{group} {default}", [], group)
    word = rest[0].text.lower()
    sub = word if word in subs else _SUB_ALIASES.get(word, word)
    if group == "prompts" and sub == "list":
        sub = "show"
    if group == "digests" and word == "preview" and not rest[0].quoted:  # `digest preview`, typed plural
        return _parse_group("digest", rest)
    if group in GRAMMAR and sub == "list" and sub not in subs and not rest[0].quoted:  # `webhook show`
        return _run(group, rest[1:], group)
    if rest[0].quoted or sub not in subs:
        guess = _nearest(word, subs)
        key = f"{group} {guess or subs[0]}"
        hint = f"Did you mean `{key}`?" if guess else f"`{group}` takes: " + " | ".join(subs) + "."
        raise _fail(key, say.unknown_subcommand(group, rest[0].text, hint))
    return _run(f"{group} {sub}", rest[1:], group)


def _run(key: str, args: list[Token], group: str) -> m.Command:
    try:
        return GRAMMAR[key].parse(args, group)
    except UsageError as exc:
        raise _fail(key, str(exc)) from None
