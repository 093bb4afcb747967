"""What `/fieldnotes` says when a command is typed wrong: each sentence says what to type instead.

The parser adds the usage line of the command being parsed after these.
"""

from __future__ import annotations

from bot.blocks.text import escape, truncate

#: How much of a mistyped word an answer shows back.
SHOWN_WORD = 60


def _shown(word: str) -> str:
    """A word the person typed, as an answer shows it: cut short, and escaped so `<!channel>` pings no one."""
    return escape(truncate(word, SHOWN_WORD))


# ---- the command line as a whole ----------------------------------------------------------------------
SEE_HELP = "Type `/fieldnotes help` for every command."
UNCLOSED_QUOTE = "A quote was opened but never closed."


def unknown_command(word: str) -> str:
    return f"Unknown command `{_shown(word)}`. {SEE_HELP}"


def unknown_subcommand(group: str, word: str, hint: str) -> str:
    return f"Unknown `{group}` command `{_shown(word)}`. {hint}"


def did_you_mean(word: str, guess: str) -> str:
    return f"Unknown command `{_shown(word)}`. Did you mean `{guess}`?"


def unexpected(word: str, hint: str = "") -> str:
    return f"Unexpected `{_shown(word)}`{hint}."


QUOTE_LABEL_HINT = " (put a label with spaces in quotes)"
UNEXPECTED_IN_SCHEDULE_HINT = ": give a weekday, a time (HH:MM), then a time zone"

# ---- names, lists, people, channels --------------------------------------------------------------------
GIVE_NAME = "Give a name."
GIVE_LABEL_IN_QUOTES = "Give the question's label in quotes."
MENTION_PERSON = "Mention the person with @."
ONE_PERSON = "One person at a time, please."
AT_MOST_50_PEOPLE = "At most 50 people at a time."
NAME_CHANNEL = "Name the channel: type # and pick it from the list."
NAME_ACCOUNT = "Name the account."
GIVE_CRM_STAGE = "Give the CRM's stage name in quotes, then the stage it means."
REVIEW_TAKES_NOTHING = "`/fieldnotes review` takes nothing more: the form asks for the draft and the reps."


def control_characters(what: str) -> str:
    return f"The {what} contains control characters."


def empty(what: str) -> str:
    return f"The {what} is empty."


def too_long(what: str, length: int, limit: int) -> str:
    return f"The {what} is too long ({length} characters; at most {limit})."


def no_double_quotes(what: str) -> str:
    return f"The {what} can't contain double quotes."


def at_least_one(what: str) -> str:
    return f"Give at least one {what}, separated by commas."


def too_many(what: str, count: int, most: int) -> str:
    return f"Too many {what}s ({count}; at most {most})."


def not_a_person(word: str) -> str:
    return f"`{_shown(word)}` is not a person: mention them with @ and pick them from the list."


def not_a_channel(word: str) -> str:
    return f"`{_shown(word)}` is not a channel: type # and pick the channel from the list."


# ---- numbers, days, times -----------------------------------------------------------------------------
QUESTION_NUMBER = "Give the number of the question, as `questions list` shows it."
QUESTION_MOVE = "Give the question's number and its new place."
DELAY_MINUTES = "Give the delay in minutes."
NUDGE_HOURS = "Give the hours before the nudge, or off."
CHECKIN_DAYS_TIME = "Give the weekdays and the local time, or off."
SCHEDULE_ID = "Give the schedule's id, as `digests list` shows it."
QUOTES_MODE = "Quotes are either anonymous or attributed."
RETENTION_DAYS = "Give the number of days to keep notes, or off."
REPLIES_MODE = (
    "Who may reply to reps from a digest: `marketers` (marketers and admins) or `channel` (also members of "
    "the digest channel)."
)


def not_a_weekday(word: str) -> str:
    return f"`{_shown(word)}` is not a weekday (mon, tue, wed, thu, fri, sat, sun)."


def not_weekdays(text: str) -> str:
    return f"`{_shown(text)}` is not a list of weekdays: try `mon-fri` or `tue,thu`."


def not_a_time(word: str) -> str:
    return f"`{_shown(word)}` is not a time: write it as HH:MM, 24-hour (e.g. 09:00 or 17:30)."


def not_a_zone(word: str) -> str:
    return f"`{_shown(word)}` is not a time zone: use an IANA name such as Europe/Berlin."


def not_a_number(word: str, what: str) -> str:
    if what in ("minutes", "hours", "days"):
        return f"`{_shown(word)}` is not a number of {what}."
    return f"`{_shown(word)}` is not a number: give the {what}."


def out_of_range(what: str, low: int, high: int, value: int) -> str:
    return f"{what.capitalize()} must be between {low} and {high} (got {value})."


def not_a_period(word: str) -> str:
    return f"`{_shown(word)}` is not a period: use 7d, 30d, 90d or all."


def not_a_funnel_period(word: str) -> str:
    return f"`{_shown(word)}` is not a period of the funnel: use 30d or 90d."


def no_options(qtype: str) -> str:
    return f"A {qtype} question has no options: use select or multiselect."
