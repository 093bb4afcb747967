"""The arguments of each `/fieldnotes` subcommand: tokens in, a typed command out.

Each function takes the tokens after the subcommand and the command group as typed, and returns the command or
raises `UsageError` with a short reason (the parser adds the usage line). grammar.py says which runs for what.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.errors import UsageError
from bot.messages import admin_usage as say
from bot.services.admin import model as m
from bot.services.admin import values as v
from bot.services.admin.values import Token

QUESTION_TYPES = ("text", "long", "select", "multiselect")
MAX_POSITION = 50
LABEL_LIMIT = 150  # questions.label
NAME_LIMIT = 100
OPTION_LIMIT = 75  # static_select option text


def no_more(args: list[Token]) -> None:
    if args:
        raise UsageError(say.unexpected(args[0].text))


def bare(make: Callable[[], m.Command]) -> Callable[[list[Token], str], m.Command]:
    """The parser of a subcommand that takes no words: anything after it is refused."""

    def parse(args: list[Token], group: str) -> m.Command:
        no_more(args)
        return make()

    return parse


# ---- help, me, digest preview, export ------------------------------------------------------------------
def help_(args: list[Token], group: str) -> m.Command:
    return m.Help()


me = bare(m.Me)


_EXPORT_PERIODS = {"7d": 7, "30d": 30, "90d": 90, "all": None, "7": 7, "30": 30, "90": 90}


def export(args: list[Token], group: str) -> m.Command:
    if not args:
        return m.Export()
    word = args[0].text.lower()
    if len(args) > 1 or args[0].quoted or word not in _EXPORT_PERIODS:
        raise UsageError(say.not_a_period(args[0].text))
    return m.Export(days=_EXPORT_PERIODS[word])


setup = bare(m.Setup)


webhook_show = bare(m.WebhookShow)


webhook_rotate = bare(m.WebhookRotate)


settings_show = bare(m.SettingsShow)


# ---- questions -----------------------------------------------------------------------------------------
questions_list = bare(m.QuestionsList)


def questions_add(args: list[Token], group: str) -> m.Command:
    if not args:
        raise UsageError(say.GIVE_LABEL_IN_QUOTES)
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
            raise UsageError(say.unexpected(token.text, say.QUOTE_LABEL_HINT if i == 1 else ""))
        i += 1
    if qtype is None:
        qtype = "select" if options else "text"
    if qtype in ("select", "multiselect") and not options:
        raise UsageError(f'A {qtype} question needs its options: options "a, b, c".')
    if qtype in ("text", "long") and options:
        raise UsageError(say.no_options(qtype))
    return m.QuestionsAdd(label=label, type=qtype, options=options, optional=optional)


def _position(token: Token) -> int:
    return v.number(token, "question number", low=1, high=MAX_POSITION)


def questions_remove(args: list[Token], group: str) -> m.Command:
    if len(args) != 1:
        raise UsageError(say.QUESTION_NUMBER)
    return m.QuestionsRemove(_position(args[0]))


def questions_move(args: list[Token], group: str) -> m.Command:
    if len(args) != 2:
        raise UsageError(say.QUESTION_MOVE)
    return m.QuestionsMove(_position(args[0]), _position(args[1]))


# ---- prompts -------------------------------------------------------------------------------------------
prompts_show = bare(m.PromptsShow)


def prompts_delay(args: list[Token], group: str) -> m.Command:
    if len(args) != 1:
        raise UsageError(say.DELAY_MINUTES)
    return m.PromptsDelay(v.number(args[0], "minutes", low=0, high=1440, units=("m", "min", "mins", "minutes")))


def prompts_nudge(args: list[Token], group: str) -> m.Command:
    if len(args) != 1:
        raise UsageError(say.NUDGE_HOURS)
    if args[0].is_word("off", "none", "never"):
        return m.PromptsNudge(None)
    return m.PromptsNudge(v.number(args[0], "hours", low=1, high=47, units=("h", "hr", "hrs", "hours")))


def prompts_checkin(args: list[Token], group: str) -> m.Command:
    if len(args) == 1 and args[0].is_word("off", "none", "never"):
        return m.PromptsCheckin()
    if len(args) != 2:
        raise UsageError(say.CHECKIN_DAYS_TIME)
    if args[0].quoted:
        raise UsageError(say.not_weekdays(args[0].text))
    days = v.parse_days(args[0].text)
    hour, minute = v.parse_time(args[1])
    return m.PromptsCheckin(days=days, hour=hour, minute=minute)


# ---- digests -------------------------------------------------------------------------------------------
digests_list = bare(m.DigestsList)


def digests_add(args: list[Token], group: str) -> m.Command:
    if not args:
        raise UsageError(say.NAME_CHANNEL)
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
            raise UsageError(say.unexpected(token.text, say.UNEXPECTED_IN_SCHEDULE_HINT))
    return m.DigestsAdd(channel_id, channel_name, weekday, hour, minute, tz)


def digests_remove(args: list[Token], group: str) -> m.Command:
    if len(args) != 1:
        raise UsageError(say.SCHEDULE_ID)
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
            raise UsageError(say.unexpected(args[i].text))
        words.append(args[i].text)
        i += 1
    if not words:
        raise UsageError(say.GIVE_NAME)
    return v.clean_name(" ".join(words), "name", limit=NAME_LIMIT), items


def _name(args: list[Token]) -> str:
    if not args:
        raise UsageError(say.GIVE_NAME)
    return v.clean_name(" ".join(t.text for t in args), "name", limit=NAME_LIMIT)


def labels_list(args: list[Token], group: str) -> m.Command:
    no_more(args)
    return m.LabelsList(group.removesuffix("s"))


def labels_add(args: list[Token], group: str) -> m.Command:
    name, phrases = _name_then(args, "phrases", "phrase")
    return m.LabelsAdd(group.removesuffix("s"), name, phrases)


def labels_remove(args: list[Token], group: str) -> m.Command:
    return m.LabelsRemove(group.removesuffix("s"), _name(args))


competitors_list = bare(m.CompetitorsList)


def competitors_add(args: list[Token], group: str) -> m.Command:
    name, aliases = _name_then(args, "aliases", "alias")
    return m.CompetitorsAdd(name, aliases)


def competitors_remove(args: list[Token], group: str) -> m.Command:
    return m.CompetitorsRemove(_name(args))


# ---- reps, admins, marketers ---------------------------------------------------------------------------
def _people(args: list[Token], group: str, *, one: bool) -> tuple[str, ...]:
    # People list mentions with commas as often as with spaces: `@ana, @ben` and `@ana,@ben` mean `@ana @ben`.
    words = [
        Token(part.strip()) if not token.quoted else token
        for token in args
        for part in ([token.text] if token.quoted else token.text.split(","))
        if token.quoted or part.strip()
    ]
    if not words:
        raise UsageError(say.MENTION_PERSON)
    users = tuple(dict.fromkeys(v.user(token) for token in words))
    if one and len(users) > 1:
        raise UsageError(say.ONE_PERSON)
    if len(users) > 50:
        raise UsageError(say.AT_MOST_50_PEOPLE)
    return users


def people_list(args: list[Token], group: str) -> m.Command:
    no_more(args)
    return m.PeopleList(group.removesuffix("s"))


def people_add(args: list[Token], group: str) -> m.Command:
    return m.PeopleAdd(group.removesuffix("s"), _people(args, group, one=group == "admins"))


def people_remove(args: list[Token], group: str) -> m.Command:
    return m.PeopleRemove(group.removesuffix("s"), _people(args, group, one=group == "admins"))


# ---- settings, digest preview --------------------------------------------------------------------------
def settings_quotes(args: list[Token], group: str) -> m.Command:
    if len(args) != 1 or not args[0].is_word("anonymous", "attributed"):
        raise UsageError(say.QUOTES_MODE)
    return m.SettingsQuotes(args[0].text.lower())


def settings_retention(args: list[Token], group: str) -> m.Command:
    if len(args) != 1:
        raise UsageError(say.RETENTION_DAYS)
    if args[0].is_word("off", "forever", "never"):
        return m.SettingsRetention(None)
    return m.SettingsRetention(v.number(args[0], "days", low=7, high=3650, units=("d", "days")))


def settings_replies(args: list[Token], group: str) -> m.Command:
    if len(args) != 1 or not args[0].is_word("marketers", "channel"):
        raise UsageError(say.REPLIES_MODE)
    return m.SettingsReplies(channel_members=args[0].text.lower() == "channel")


digest_preview = bare(m.DigestPreview)
