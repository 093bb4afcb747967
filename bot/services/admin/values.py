"""The small pieces of `/fieldnotes` text: tokens, mentions, channels, weekdays, times, zones, numbers.

Every function here either returns a value or raises `UsageError` with a short reason; the parser adds
the usage line of the command being parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

from bot.errors import UsageError
from bot.messages import admin_usage as say
from bot.services.notes import slack_unescape

__all__ = [
    "WEEKDAYS",
    "Token",
    "channel",
    "clean_name",
    "format_days",
    "is_time",
    "is_weekday",
    "number",
    "parse_days",
    "parse_time",
    "parse_tz",
    "split_list",
    "tokenize",
    "user",
    "weekday",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_ALIASES = {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
# Straight and curly double quotes; Slack (and macOS) turn "..." into “...” as people type.
_OPEN_QUOTES = {'"': '"', "“": "”", "”": "”", "„": "“"}
_CLOSE_QUOTES = {'"', "“", "”"}
_USER_RE = re.compile(r"<@([UW][A-Z0-9]{1,31})(?:\|([^>]*))?>")
_CHANNEL_RE = re.compile(r"<#([CG][A-Z0-9]{1,31})(?:\|([^>]*))?>")
_TIME_RE = re.compile(r"([01]?\d|2[0-3])[:.h]([0-5]\d)")
_NUMBER_RE = re.compile(r"(\d{1,7})([a-z]*)")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Token:
    text: str
    quoted: bool = False

    def is_word(self, *words: str) -> bool:
        return not self.quoted and self.text.lower() in words


def tokenize(text: str) -> list[Token]:
    """Split on whitespace; "double quotes" (straight or curly) keep spaces; `<...>` (a mention) is one token."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in _OPEN_QUOTES:
            end = i + 1
            while end < n and text[end] not in _CLOSE_QUOTES:
                end += 1
            if end >= n:
                raise UsageError(say.UNCLOSED_QUOTE)
            tokens.append(Token(slack_unescape(text[i + 1 : end]), quoted=True))
            i = end + 1
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] not in _OPEN_QUOTES:
            if text[i] == "<":
                close = text.find(">", i)
                if close != -1:
                    i = close + 1
                    continue
            i += 1
        word = text[start:i]
        tokens.append(Token(word if word.startswith("<") else slack_unescape(word)))
    return tokens


def clean_name(text: str, what: str, *, limit: int = 100) -> str:
    """A label, name or phrase: whitespace collapsed, no control characters, not empty, not too long."""
    if _CONTROL_RE.search(text):
        raise UsageError(say.control_characters(what))
    name = " ".join(text.split())
    if not name:
        raise UsageError(say.empty(what))
    if len(name) > limit:
        raise UsageError(say.too_long(what, len(name), limit))
    if any(q in name for q in _OPEN_QUOTES):
        raise UsageError(say.no_double_quotes(what))
    return name


def split_list(text: str, what: str, *, limit: int = 100, most: int = 50) -> tuple[str, ...]:
    """ "a, b, c" -> ("a", "b", "c"), duplicates dropped (case-insensitively), order kept."""
    items: dict[str, str] = {}
    for part in text.split(","):
        if part.strip():
            item = clean_name(part, what, limit=limit)
            items.setdefault(item.lower(), item)
    if not items:
        raise UsageError(say.at_least_one(what))
    if len(items) > most:
        raise UsageError(say.too_many(what, len(items), most))
    return tuple(items.values())


def user(token: Token) -> str:
    """`<@U123|ana>` or `<@U123>` -> "U123"."""
    match = _USER_RE.fullmatch(token.text)
    if token.quoted or match is None:
        raise UsageError(say.not_a_person(token.text))
    return match.group(1)


def channel(token: Token) -> tuple[str, str]:
    """`<#C123|name>` or `<#C123>` -> ("C123", "name")."""
    match = _CHANNEL_RE.fullmatch(token.text)
    if token.quoted or match is None:
        raise UsageError(say.not_a_channel(token.text))
    return match.group(1), match.group(2) or ""


def _day(word: str) -> int | None:
    word = word.lower()
    if word in WEEKDAYS:
        return WEEKDAYS.index(word)
    if word in _FULL_DAYS:
        return _FULL_DAYS.index(word)
    return _DAY_ALIASES.get(word)


def is_weekday(token: Token) -> bool:
    return not token.quoted and _day(token.text) is not None


def weekday(token: Token) -> int:
    day = None if token.quoted else _day(token.text)
    if day is None:
        raise UsageError(say.not_a_weekday(token.text))
    return day


def parse_days(text: str) -> tuple[int, ...]:
    """`mon-fri`, `tue,thu`, `mon,wed-fri`, `weekdays`, `daily` -> sorted weekday numbers (0 = Monday)."""
    lowered = text.lower()
    if lowered in ("weekdays", "workdays"):
        return (0, 1, 2, 3, 4)
    if lowered in ("daily", "everyday", "all"):
        return tuple(range(7))
    days: set[int] = set()
    for part in lowered.split(","):
        first, sep, last = part.partition("-")
        start, end = _day(first.strip()), _day(last.strip()) if sep else None
        if start is None or (sep and end is None):
            raise UsageError(say.not_weekdays(text))
        if end is None:
            days.add(start)
        else:
            span = (end - start) % 7
            days.update((start + k) % 7 for k in range(span + 1))
    return tuple(sorted(days))


def format_days(days: tuple[int, ...]) -> str:
    """The shortest way to write `days`: `mon-fri`, `tue,thu`, `mon,wed-fri`."""
    parts: list[str] = []
    run: list[int] = []
    for day in sorted(days):
        if run and day == run[-1] + 1:
            run.append(day)
            continue
        if run:
            parts.append(_run(run))
        run = [day]
    if run:
        parts.append(_run(run))
    return ",".join(parts)


def _run(run: list[int]) -> str:
    if len(run) >= 3:
        return f"{WEEKDAYS[run[0]]}-{WEEKDAYS[run[-1]]}"
    return ",".join(WEEKDAYS[d] for d in run)


def is_time(token: Token) -> bool:
    return not token.quoted and _TIME_RE.fullmatch(token.text) is not None


def parse_time(token: Token) -> tuple[int, int]:
    """`9:00`, `09:30`, `17.45` -> (hour, minute), 24-hour clock."""
    match = None if token.quoted else _TIME_RE.fullmatch(token.text)
    if match is None:
        raise UsageError(say.not_a_time(token.text))
    return int(match.group(1)), int(match.group(2))


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    names = available_timezones() | {"UTC"}
    return {name.lower(): name for name in names}


def parse_tz(token: Token) -> str:
    """An IANA zone name (any case) -> its canonical spelling, e.g. `europe/berlin` -> `Europe/Berlin`."""
    found = _zones().get(token.text.lower())
    if found is None:
        raise UsageError(say.not_a_zone(token.text))
    return found


def number(token: Token, what: str, *, low: int, high: int, units: tuple[str, ...] = ()) -> int:
    """A whole number between `low` and `high`, with an optional unit suffix (`30`, `30m`, `4h`, `90d`)."""
    match = None if token.quoted else _NUMBER_RE.fullmatch(token.text.lower())
    if match is None or (match.group(2) and match.group(2) not in units):
        raise UsageError(say.not_a_number(token.text, what))
    value = int(match.group(1))
    if not low <= value <= high:
        raise UsageError(say.out_of_range(what, low, high, value))
    return value
