"""The `/fieldnotes` grammar: examples, malformed input, and properties (never a stray exception; round trips)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks.text import escape
from bot.errors import UsageError
from bot.services.admin import model as m
from bot.services.admin.parser import USAGE, help_text, parse
from bot.services.admin.values import format_days, parse_days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", m.Help()),
        ("help", m.Help()),
        ("me", m.Me()),
        ("digest preview", m.DigestPreview()),
        ("questions", m.QuestionsList()),
        ('questions add "Budget owner" text optional', m.QuestionsAdd("Budget owner", "text", (), True)),
        ("questions add “Budget owner” long", m.QuestionsAdd("Budget owner", "long")),
        (
            'questions add "Deal size" options “small, medium , large,small”',
            m.QuestionsAdd("Deal size", "select", ("small", "medium", "large")),
        ),
        (
            'questions add Champion multiselect options "cfo, cto" optional',
            m.QuestionsAdd("Champion", "multiselect", ("cfo", "cto"), True),
        ),
        ("questions remove 3", m.QuestionsRemove(3)),
        ("questions move 4 1", m.QuestionsMove(4, 1)),
        ("prompts", m.PromptsShow()),
        ("prompts show", m.PromptsShow()),
        ("prompts delay 30", m.PromptsDelay(30)),
        ("prompts delay 15m", m.PromptsDelay(15)),
        ("prompts nudge 6h", m.PromptsNudge(6)),
        ("prompts nudge off", m.PromptsNudge(None)),
        ("prompts checkin mon-fri 17:30", m.PromptsCheckin((0, 1, 2, 3, 4), 17, 30)),
        ("prompts checkin tue,thu 9:05", m.PromptsCheckin((1, 3), 9, 5)),
        ("prompts checkin fri-mon 08:00", m.PromptsCheckin((0, 4, 5, 6), 8, 0)),
        ("prompts checkin off", m.PromptsCheckin()),
        ("digests list", m.DigestsList()),
        ("digests add <#CMKT|marketing>", m.DigestsAdd("CMKT", "marketing")),
        ("digests add <#CMKT>", m.DigestsAdd("CMKT", "")),
        ("digests add <#CMKT|marketing> tue 10:30", m.DigestsAdd("CMKT", "marketing", 1, 10, 30)),
        ("digests add <#CMKT|m> Friday 16:00 europe/berlin", m.DigestsAdd("CMKT", "m", 4, 16, 0, "Europe/Berlin")),
        ("digests add <#CMKT|m> mon 09:00 UTC", m.DigestsAdd("CMKT", "m", 0, 9, 0, "UTC")),
        ("digests remove 12", m.DigestsRemove(12)),
        ("themes list", m.LabelsList("theme")),
        (
            'themes add data residency phrases "eu hosting, gdpr"',
            m.LabelsAdd("theme", "data residency", ("eu hosting", "gdpr")),
        ),
        ('objections add "legal review"', m.LabelsAdd("objection", "legal review")),
        ("objections remove legal review", m.LabelsRemove("objection", "legal review")),
        ("themes add R&amp;D &lt;tools&gt;", m.LabelsAdd("theme", "R&D <tools>")),
        ("competitors", m.CompetitorsList()),
        ('competitors add Gong aliases "gong.io, Gong Labs"', m.CompetitorsAdd("Gong", ("gong.io", "Gong Labs"))),
        ("competitors remove Gong", m.CompetitorsRemove("Gong")),
        ("reps add <@UREP1|ana> <@UREP2>", m.PeopleAdd("rep", ("UREP1", "UREP2"))),
        ("reps remove <@UREP1>", m.PeopleRemove("rep", ("UREP1",))),
        ("admins list", m.PeopleList("admin")),
        ("admins add <@UREP1|ana>", m.PeopleAdd("admin", ("UREP1",))),
        ("marketers add <@UMKT|mia>", m.PeopleAdd("marketer", ("UMKT",))),
        ("settings", m.SettingsShow()),
        ("settings quotes attributed", m.SettingsQuotes("attributed")),
        ("settings retention 365", m.SettingsRetention(365)),
        ("settings retention off", m.SettingsRetention(None)),
        ("export", m.Export(30)),
        ("export 7d", m.Export(7)),
        ("export all", m.Export(None)),
        ("EXPORT 90D", m.Export(90)),
    ],
)
def test_parses(text: str, expected: m.Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "usage_key", "says"),
    [
        ("questons list", "questions list", "Did you mean `questions`"),
        ("question ad x", "questions add", "Did you mean `questions add`"),
        ('questions add "unclosed', None, "never closed"),
        ("questions add", "questions add", "label"),
        ('questions add "x" select', "questions add", "needs its options"),
        ('questions add "x" text options "a"', "questions add", "no options"),
        ('questions add "x" colour', "questions add", "Unexpected"),
        ("questions remove", "questions remove", "number"),
        ("questions remove zero", "questions remove", "not a number"),
        ("questions remove 0", "questions remove", "between 1 and 50"),
        ("questions move 1", "questions move", "new place"),
        ("prompts delay -5", "prompts delay", "not a number"),
        ("prompts delay 2000", "prompts delay", "between 0 and 1440"),
        ("prompts nudge 48", "prompts nudge", "between 1 and 47"),
        ("prompts checkin someday 17:00", "prompts checkin", "weekdays"),
        ("prompts checkin mon-fri 25:00", "prompts checkin", "HH:MM"),
        ("prompts checkin mon-fri", "prompts checkin", "local time"),
        ("digests add #marketing", "digests add", "not a channel"),
        ("digests add <#CMKT|m> funday", "digests add", "Unexpected"),
        ("digests add <#CMKT|m> mon 9:00 Mars/Olympus", "digests add", "not a time zone"),
        ("digests remove abc", "digests remove", "not a number"),
        ("themes add", "themes add", "name"),
        ("themes add x phrases", "themes add", "phrases"),
        ("themes remove", "themes remove", "name"),
        ("reps add ana", "reps add", "not a person"),
        ("reps add", "reps add", "Mention"),
        ("admins add <@U1> <@U2>", "admins add", "One person"),
        ("settings quotes loud", "settings quotes", "anonymous or attributed"),
        ("settings retention 3", "settings retention", "between 7 and 3650"),
        ("settings colour", "settings quotes", "takes"),
        ("export 1y", "export", "not a period"),
        ("me too", "me", "Unexpected"),
        ("frobnicate", None, "Unknown command"),
    ],
)
def test_malformed_commands_get_the_nearest_usage_line(text: str, usage_key: str | None, says: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(text)
    message = str(caught.value)
    assert says in message
    if usage_key is not None:
        assert f"`{USAGE[usage_key]}`" in message


def test_help_lists_every_command() -> None:
    text = help_text()
    for line in USAGE.values():
        assert line in text


def test_days_round_trip() -> None:
    assert format_days((0, 1, 2, 3, 4)) == "mon-fri"
    assert format_days((1, 3)) == "tue,thu"
    assert format_days((0, 2, 3, 4)) == "mon,wed-fri"
    assert parse_days("weekdays") == (0, 1, 2, 3, 4)


# ---- properties -----------------------------------------------------------------------------------------
_alphabet = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters='"“”„,')
_name = st.text(_alphabet, min_size=1, max_size=40).map(lambda s: " ".join(s.split())).filter(bool)
_names = st.lists(_name, min_size=1, max_size=5, unique_by=str.lower).map(tuple)
_user = st.from_regex(r"U[A-Z0-9]{2,10}", fullmatch=True)
_days = st.sets(st.integers(0, 6), min_size=1).map(lambda s: tuple(sorted(s)))
_zones = st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney"])


def _question(label: str, qtype: str, options: tuple[str, ...], optional: bool) -> m.QuestionsAdd:
    return m.QuestionsAdd(label, qtype, options if qtype in ("select", "multiselect") else (), optional)


commands = st.one_of(
    st.sampled_from(
        [m.Help(), m.Me(), m.DigestPreview(), m.QuestionsList(), m.PromptsShow(), m.DigestsList(), m.CompetitorsList()]
    ),
    st.builds(_question, _name, st.sampled_from(["text", "long", "select", "multiselect"]), _names, st.booleans()),
    st.builds(m.QuestionsRemove, st.integers(1, 50)),
    st.builds(m.QuestionsMove, st.integers(1, 50), st.integers(1, 50)),
    st.builds(m.PromptsDelay, st.integers(0, 1440)),
    st.builds(m.PromptsNudge, st.none() | st.integers(1, 47)),
    st.builds(m.PromptsCheckin, _days, st.integers(0, 23), st.integers(0, 59)),
    st.just(m.PromptsCheckin()),
    st.builds(
        m.DigestsAdd,
        st.from_regex(r"C[A-Z0-9]{2,10}", fullmatch=True),
        st.from_regex(r"[a-z0-9_-]{0,20}", fullmatch=True),
        st.none() | st.integers(0, 6),
        st.none() | st.integers(0, 23),
        st.integers(0, 59),
        st.none() | _zones,
    ).filter(lambda c: c.hour is not None or c.minute == 0),
    st.builds(m.DigestsRemove, st.integers(1, 9_999_999)),
    st.builds(m.LabelsList, st.sampled_from(["theme", "objection"])),
    st.builds(m.LabelsAdd, st.sampled_from(["theme", "objection"]), _name, st.just(()) | _names),
    st.builds(m.LabelsRemove, st.sampled_from(["theme", "objection"]), _name),
    st.builds(m.CompetitorsAdd, _name, st.just(()) | _names),
    st.builds(m.CompetitorsRemove, _name),
    st.builds(m.PeopleList, st.sampled_from(["rep", "admin", "marketer"])),
    st.builds(
        m.PeopleAdd,
        st.sampled_from(["rep", "marketer"]),
        st.lists(_user, min_size=1, max_size=5, unique=True).map(tuple),
    ),
    st.builds(m.PeopleRemove, st.just("admin"), _user.map(lambda u: (u,))),
    st.builds(m.SettingsQuotes, st.sampled_from(["anonymous", "attributed"])),
    st.builds(m.SettingsRetention, st.none() | st.integers(7, 3650)),
    st.builds(m.Export, st.sampled_from([7, 30, 90, None])),
    st.just(m.SettingsShow()),
)


@settings(max_examples=400, deadline=None)
@given(commands)
def test_valid_commands_round_trip(command: m.Command) -> None:
    # Slack escapes &, < and > in the text it sends (but not its own <@U…> and <#C…> markup).
    sent = command.render()
    if not isinstance(command, (m.PeopleAdd, m.PeopleRemove, m.DigestsAdd)):
        sent = escape(sent)
    assert parse(sent) == command


_words = st.sampled_from(
    [
        *{k.split()[0] for k in USAGE},
        "add",
        "remove",
        "list",
        "move",
        "options",
        "phrases",
        "aliases",
        "off",
        "optional",
        "<@U1|a>",
        "<#C1|c>",
        "<@U1",
        "mon-fri",
        "25:99",
        "09:00",
        "Europe/Berlin",
        "Mars/X",
        "7d",
        '"',
        "“",
        "”",
        "&amp;",
        "&lt;",
        "-1",
        "0",
        "99999999",
        "\x00",
        "é",
        "🙂",
        "'; DROP TABLE notes; --",
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(_words, max_size=8).map(" ".join)))
def test_no_input_raises_anything_but_usage_error(text: str) -> None:
    try:
        parse(text)
    except UsageError as exc:
        assert str(exc)
