"""`/fieldnotes` end to end: signed slash commands over HTTP, answers through the fake Slack's response_url."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.blocks.feedback import build_feedback_modal
from bot.runtime import make_runtime
from bot.services import notes as note_service
from bot.services.admin.parser import USAGE
from bot.services.schedule import next_weekly
from bot.services.workspaces import taxonomy_for
from storage.models import DigestSchedule, Person, Workspace
from storage.repositories import people, workspaces
from tests.conftest import ADMIN_ID, SIGNING_SECRET, ServedApp, make_settings
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.admin import add_note, run, send
from tests.support.admin import answer as answer_to
from tests.support.calls import CALL, CALL_CLOCK, post_hook

TEAM = "T0001"
WEDNESDAY = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _workspace(slack: SlackSender, fake_slack: FakeSlack) -> None:
    """The app creates the workspace (defaults, FIELDNOTES_ADMINS) on its first request."""
    assert "/fieldnotes help" in run(slack, fake_slack, "help")


def _ws(served: ServedApp) -> Workspace:
    with served.runtime.session_factory() as session:
        ws = workspaces.get(session, TEAM)
        assert ws is not None
        return ws


CHANGES = [
    'questions add "Budget owner" text optional',
    "questions remove 6",
    "questions move 2 1",
    "questions list",
    "prompts delay 30",
    "prompts nudge off",
    "prompts checkin mon-fri 17:00",
    "prompts show",
    "digests add <#CMKT|marketing>",
    "digests list",
    "digests remove 1",
    'themes add data residency phrases "eu hosting"',
    "themes remove pricing",
    "themes list",
    "objections add legal review",
    "objections remove too expensive",
    'competitors add Chorus aliases "chorus.ai"',
    "competitors remove Gong",
    "reps add <@UREP2|ben>",
    "reps remove <@UREP1|ana>",
    "reps list",
    "admins add <@UREP1|ana>",
    "admins remove <@UADMIN>",
    "admins list",
    "marketers add <@UMKT|mia>",
    "marketers remove <@UMKT>",
    "marketers list",
    "settings quotes attributed",
    "settings retention 30",
    "settings",
    "export 7d",
]


def test_a_non_admin_is_refused_everything_but_help_me_and_preview(
    slack: SlackSender, fake_slack: FakeSlack, served: ServedApp
) -> None:
    before = _snapshot(served)
    for text in CHANGES:
        if text.startswith("export"):
            acked, url_id = send(slack, fake_slack, text, user="UREP1")
            assert acked == "Working on it…"
            answer = str(answer_to(fake_slack, url_id)["text"])
        else:
            answer = run(slack, fake_slack, text, user="UREP1")
        assert "Only Field Notes admins" in answer, text
        assert "<@UADMIN>" in answer, text
    assert _snapshot(served) == before
    assert not fake_slack.files
    assert "/fieldnotes questions add" in run(slack, fake_slack, "help", user="UREP1")
    assert "haven't logged" in run(slack, fake_slack, "me", user="UREP1")


def _snapshot(served: ServedApp) -> tuple[object, ...]:
    with served.runtime.session_factory() as session:
        ws = workspaces.get(session, TEAM)
        assert ws is not None
        return (
            [(q.key, q.label) for q in workspaces.questions(session, TEAM)],
            [(r.kind, r.name, tuple(r.phrases)) for r in workspaces.labels(session, TEAM)],
            [(c.name, tuple(c.aliases)) for c in workspaces.competitors(session, TEAM)],
            sorted((p.slack_user_id, p.is_rep, p.is_admin, p.is_marketer) for p in session.scalars(select(Person))),
            (ws.prompt_delay_minutes, ws.nudge_hours, ws.checkin_days, ws.checkin_time, ws.quotes, ws.retention_days),
            list(session.scalars(select(DigestSchedule.id))),
        )


def test_a_slack_workspace_admin_may_change_things(slack: SlackSender, fake_slack: FakeSlack) -> None:
    fake_slack.add_user("UOWNER", name="olga", email="olga@example.com", tz="UTC", is_owner=True)
    assert "Scheduled digest" in run(slack, fake_slack, "digests add <#CMKT|marketing>", user="UOWNER")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("questons list", "questions list"),
        ('questions add "Budget', None),
        ('questions add "Budget" select', "questions add"),
        ("questions remove x", "questions remove"),
        ("questions move 1", "questions move"),
        ("prompts delay soon", "prompts delay"),
        ("prompts nudge 99", "prompts nudge"),
        ("prompts checkin mon-fri 5pm", "prompts checkin"),
        ("prompt dealy 5", "prompts delay"),
        ("digests add #marketing", "digests add"),
        ("digests add <#CMKT|marketing> mon 9:00 Nowhere/Land", "digests add"),
        ("digests remove", "digests remove"),
        ("digest previe", "digest preview"),
        ("themes add", "themes add"),
        ("objections remov", "objections remove"),
        ("competitors add Gong aliases", "competitors add"),
        ("competitors remove", "competitors remove"),
        ("reps add ana", "reps add"),
        ("admins add <@UREP1> <@UREP2>", "admins add"),
        ("marketers add", "marketers add"),
        ("settings quotes loud", "settings quotes"),
        ("settings retention 5", "settings retention"),
        ("export 1y", "export"),
        ("funnel pricing 7d", "funnel"),
        ("funnel all", "funnel"),
        ("me please", "me"),
    ],
)
def test_malformed_commands_get_the_usage_line_at_once(
    slack: SlackSender, fake_slack: FakeSlack, text: str, key: str | None
) -> None:
    for user in ("UADMIN", "UREP1"):
        answer = run(slack, fake_slack, text, user=user)
        if key is not None:
            assert f"`{USAGE[key]}`" in answer
        assert "Traceback" not in answer
    assert fake_slack.responses == []  # answered in the ack, nothing ran


def test_questions_end_to_end(slack: SlackSender, fake_slack: FakeSlack, served: ServedApp) -> None:
    answer = run(slack, fake_slack, "questions add “Budget owner” text optional")
    assert "Added question 9" in answer
    answer = run(slack, fake_slack, 'questions add "Deal size" options "small, medium, large"')
    assert "select" in answer
    with served.runtime.session_factory() as session:
        specs = note_service.questions_for_modal(session, TEAM)
    modal = build_feedback_modal(specs)
    labels = [b["label"]["text"] for b in modal["blocks"] if b["type"] == "input"]
    assert labels[-2:] == ["Budget owner", "Deal size"]
    deal = next(b for b in modal["blocks"] if b.get("label", {}).get("text") == "Deal size")
    assert [o["value"] for o in deal["element"]["options"]] == ["small", "medium", "large"]

    assert "already a question" in run(slack, fake_slack, 'questions add "budget OWNER"')
    why = run(slack, fake_slack, "questions remove 1")
    assert "built in" in why and "can't be removed" in why
    assert "no question 14" in run(slack, fake_slack, "questions remove 14")
    assert "Moved “Deal size” to place 1" in run(slack, fake_slack, "questions move 10 1")
    assert "Removed question 10: “Budget owner”" in run(slack, fake_slack, "questions remove 10")  # moved down
    listing = run(slack, fake_slack, "questions list")
    assert listing.index("Deal size") < listing.index("Account")
    assert "Budget owner" not in listing
    with served.runtime.session_factory() as session:
        keys = [q.key for q in workspaces.questions(session, TEAM)]
    assert keys == ["q10", "account", "outcome", "stage", "said", "objections", "competitors", "worked", "helped"]


def test_prompts_and_settings(slack: SlackSender, fake_slack: FakeSlack, served: ServedApp) -> None:
    assert "30 min" in run(slack, fake_slack, "prompts delay 30")
    assert "after 6 h" in run(slack, fake_slack, "prompts nudge 6h")
    assert "between 1 and 47" in run(slack, fake_slack, "prompts nudge 48h")  # prompts expire after 48 h
    assert "mon,wed-fri at 17:30" in run(slack, fake_slack, "prompts checkin mon,wed,thu,fri 17:30")
    shown = run(slack, fake_slack, "prompts show")
    assert "30 min" in shown and "after 6 h" in shown and "mon,wed-fri at 17:30" in shown
    ws = _ws(served)
    assert (ws.prompt_delay_minutes, ws.nudge_hours, ws.checkin_days, ws.checkin_time) == (
        30,
        6,
        "mon,wed,thu,fri",
        "17:30",
    )
    assert "off" in run(slack, fake_slack, "prompts nudge off")
    assert "off" in run(slack, fake_slack, "prompts checkin off")
    ws = _ws(served)
    assert (ws.nudge_hours, ws.checkin_days, ws.checkin_time) == (None, None, None)

    assert "attributed" in run(slack, fake_slack, "settings quotes attributed")
    assert "90 days" in run(slack, fake_slack, "settings retention 90d")
    shown = run(slack, fake_slack, "settings")
    assert "attributed" in shown and "90 days" in shown
    ws = _ws(served)
    assert (ws.quotes, ws.retention_days) == ("attributed", 90)
    assert "forever" in run(slack, fake_slack, "settings retention off")
    assert _ws(served).retention_days is None


def test_digests_end_to_end(slack: SlackSender, fake_slack: FakeSlack, served: ServedApp) -> None:
    fake_slack.add_channel("CPUB", "sales-wins", members=["UREP1"])
    fake_slack.add_channel("CPRIV", "secret", members=["UREP1"], is_private=True)
    answer = run(slack, fake_slack, "digests add <#CMKT|marketing>")
    assert "Scheduled digest 1" in answer and "Mon 09:00 Europe/London" in answer
    answer = run(slack, fake_slack, "digests add <#CPUB|sales-wins> thu 16:30 america/new_york")
    assert "Thu 16:30 America/New_York" in answer
    assert fake_slack.bot_user_id in fake_slack.channel("CPUB")["members"]  # joined the public channel
    refused = run(slack, fake_slack, "digests add <#CPRIV|secret> fri 10:00")
    assert "/invite @Field Notes" in refused and "Nothing was saved" in refused
    assert "already scheduled" in run(slack, fake_slack, "digests add <#CMKT|marketing> mon 09:00 Europe/London")

    now = served.runtime.now()
    with served.runtime.session_factory() as session:
        rows = list(session.scalars(select(DigestSchedule).order_by(DigestSchedule.id)))
    got = [(r.channel_id, r.channel_name, r.weekday, r.hour, r.minute, r.tz) for r in rows]
    assert got == [
        ("CMKT", "marketing", 0, 9, 0, "Europe/London"),
        ("CPUB", "sales-wins", 3, 16, 30, "America/New_York"),
    ]
    fire = next_weekly(now, weekday=0, hour=9, minute=0, tz="Europe/London")
    assert fire.weekday() == 0 and fire.astimezone(UTC).hour in (8, 9) and fire > now

    listing = run(slack, fake_slack, "digests list")
    assert "<#CMKT>" in listing and "<#CPUB>" in listing
    assert "Removed digest schedule 2" in run(slack, fake_slack, "digests remove 2")
    assert "no digest schedule 2" in run(slack, fake_slack, "digests remove 2")
    assert "<#CPUB>" not in run(slack, fake_slack, "digests list")


def test_taxonomy_end_to_end(slack: SlackSender, fake_slack: FakeSlack, served: ServedApp) -> None:
    from nlp.tagger import get_tagger

    note = "They asked whether we offer sovereign cloud hosting in Frankfurt."
    assert "Added the theme “data residency”" in run(
        slack, fake_slack, 'themes add data residency phrases "sovereign cloud, data residency"'
    )
    with served.runtime.session_factory() as session:
        taxonomy = taxonomy_for(session, TEAM)
    tags = get_tagger().tag(note, taxonomy)
    assert ("theme", "data residency") in {(t.kind, t.label) for t in tags}

    assert "Added the objection “legal review”" in run(slack, fake_slack, "objections add legal review")
    assert "legal review" in run(slack, fake_slack, "objections list")
    assert "Removed the objection" in run(slack, fake_slack, "objections remove Legal Review")
    missing = run(slack, fake_slack, "themes remove pricng")
    assert "no theme “pricng”" in missing and "Did you mean “pricing”" in missing

    assert "Added competitor “Wingspan”" in run(slack, fake_slack, 'competitors add Wingspan aliases "wingspan.io"')
    with served.runtime.session_factory() as session:
        taxonomy = taxonomy_for(session, TEAM)
    tags = get_tagger().tag("We are also looking at wingspan.io for this.", taxonomy)
    assert ("competitor", "Wingspan") in {(t.kind, t.label) for t in tags}
    assert "Wingspan" in run(slack, fake_slack, "competitors list")
    assert "Removed competitor" in run(slack, fake_slack, "competitors remove wingspan")
    assert "no competitor" in run(slack, fake_slack, "competitors remove wingspan")
    escaped = run(slack, fake_slack, "themes add &lt;!channel&gt; &amp; co")
    assert "&lt;!channel&gt; &amp; co" in escaped and "<!channel>" not in escaped


def test_people_roles_end_to_end(slack: SlackSender, fake_slack: FakeSlack, served: ServedApp) -> None:
    assert "Added to reps: <@UREP1>, <@UREP2>" in run(slack, fake_slack, "reps add <@UREP1|ana> <@UREP2|ben>")
    assert "Already reps: <@UREP1>" in run(slack, fake_slack, "reps add <@UREP1|ana>")
    assert "<@UREP2>" in run(slack, fake_slack, "reps list")
    assert "Removed from reps: <@UREP2>" in run(slack, fake_slack, "reps remove <@UREP2>")
    assert "is a bot" in run(slack, fake_slack, f"reps add <@{fake_slack.bot_user_id}>")
    assert "can't find" in run(slack, fake_slack, "reps add <@UNOBODY>")
    assert "Added to marketers: <@UMKT>" in run(slack, fake_slack, "marketers add <@UMKT|mia>")
    assert "<@UMKT>" in run(slack, fake_slack, "marketers list")

    assert "last Field Notes admin" in run(slack, fake_slack, "admins remove <@UADMIN>")
    assert "Added to admins: <@UREP1>" in run(slack, fake_slack, "admins add <@UREP1|ana>")
    assert "Removed from admins: <@UADMIN>" in run(slack, fake_slack, "admins remove <@UADMIN>", user="UREP1")
    assert "Only Field Notes admins" in run(slack, fake_slack, "settings", user="UADMIN")
    with served.runtime.session_factory() as session:
        ana = people.get_by_slack_id(session, TEAM, "UREP1")
        assert ana is not None
        assert (ana.is_rep, ana.is_admin, ana.email, ana.tz) == (True, True, "ana@example.com", "America/New_York")
        assert [p.slack_user_id for p in people.by_role(session, TEAM, "is_marketer")] == ["UMKT"]


def test_me_counts_streak_and_tags(slack: SlackSender, fake_slack: FakeSlack, served: ServedApp) -> None:
    served.runtime.clock = lambda: WEDNESDAY
    for days_ago in (0, 7, 14, 40):
        add_note(served, "UREP1", f"Too pricey for them ({days_ago})", days_ago=days_ago, tags=[("theme", "pricing")])
    add_note(served, "UREP1", "Gong is cheaper", days_ago=1, tags=[("competitor", "Gong"), ("theme", "pricing")])
    answer = run(slack, fake_slack, "me", user="UREP1")
    assert "2 this week · 4 in the last 30 days · 5 in all" in answer
    assert "Streak: 3 weeks" in answer
    assert "pricing (5), Gong (1)" in answer
    assert "haven't logged" in run(slack, fake_slack, "me", user="UREP2")


def test_digest_preview_is_open_to_everyone(slack: SlackSender, fake_slack: FakeSlack) -> None:
    url = fake_slack.response_url()
    slack.command("/fieldnotes", "digest preview", user_id="UREP1", response_url=url)
    body = fake_slack.wait_for_responses(1)[-1][1]
    assert body["response_type"] == "ephemeral"
    assert body.get("blocks"), body


def test_help_is_answered_in_the_ack(slack: SlackSender, fake_slack: FakeSlack) -> None:
    started = datetime.now(UTC)
    text = run(slack, fake_slack, "", user="UREP1")
    assert "/fieldnotes digests add" in text
    assert (datetime.now(UTC) - started).total_seconds() < 3


@pytest.mark.parametrize(
    "text",
    [
        "<!channel>",
        "reps add <!channel>",
        "digests add <!here>",
        "questions remove <!channel>",
        "digests <!everyone>",
        "prompts checkin <!channel> 17:00",
        "account <!channel>",
        "funnel <!channel> 30d",
        'stages map "Closed Won" <!channel>',
        "glossary <!channel>",
    ],
)
def test_answers_show_what_was_typed_escaped(slack: SlackSender, fake_slack: FakeSlack, text: str) -> None:
    answer = run(slack, fake_slack, text)
    assert "&lt;!" in answer, answer
    assert "<!" not in answer, answer  # shown, not a ping


def test_a_long_mistyped_word_is_shown_cut_short(slack: SlackSender, fake_slack: FakeSlack) -> None:
    for text in ("x" * 5000, "reps add " + "y" * 5000):
        answer = run(slack, fake_slack, text)
        assert len(answer) < 300, answer
        assert "…" in answer


def test_people_may_be_listed_with_commas(slack: SlackSender, fake_slack: FakeSlack, served: ServedApp) -> None:
    assert "<@UREP1>, <@UREP2>" in run(slack, fake_slack, "reps add <@UREP1|ana>, <@UREP2|ben>")
    assert "<@UREP1>, <@UMKT>" in run(slack, fake_slack, "marketers add <@UREP1|ana>,<@UMKT|mia> ,")
    with served.runtime.session_factory() as session:
        rows = session.scalars(select(Person).where(Person.team_id == TEAM)).all()
        assert {p.slack_user_id for p in rows if p.is_rep} == {"UREP1", "UREP2"}
        assert {p.slack_user_id for p in rows if p.is_marketer} == {"UREP1", "UMKT"}
    assert "Mention the person" in run(slack, fake_slack, "reps add ,")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("preview", "Digest preview"), ("digests preview", "Digest preview"), ("webhook show", "Call webhook")],
)
def test_the_obvious_other_spellings_run_the_nearest_command(
    slack: SlackSender, fake_slack: FakeSlack, text: str, expected: str
) -> None:
    assert expected in run(slack, fake_slack, text)


def test_someone_added_to_fieldnotes_admins_later_is_an_admin_after_a_restart(
    slack: SlackSender, fake_slack: FakeSlack, served: ServedApp, db_url: str
) -> None:
    assert "Only Field Notes admins" in run(
        slack, fake_slack, "prompts delay 20", user="UREP2"
    )  # the workspace is made
    # The operator adds Ben to FIELDNOTES_ADMINS and restarts the app on the same database.
    settings = make_settings(db_url, fake_slack.url, fieldnotes_admins=f"{ADMIN_ID},UREP2")
    restarted = make_runtime(settings)
    try:
        with ServedApp(restarted) as app, SlackSender(app.url, SIGNING_SECRET, team_id=fake_slack.team_id) as again:
            assert "20 min" in run(again, fake_slack, "prompts delay 20", user="UREP2")
            assert "<@UREP2>" in run(again, fake_slack, "admins list", user="UREP2")
    finally:
        restarted.engine.dispose()


def test_an_admin_removed_stays_removed_until_the_next_start_whatever_calls_arrive(
    slack: SlackSender, fake_slack: FakeSlack, served: ServedApp
) -> None:
    """FIELDNOTES_ADMINS are granted when the workspace is made and at each start, not by every request."""
    served.runtime.clock = lambda: CALL_CLOCK
    assert "<@UREP2>" in run(slack, fake_slack, "admins add <@UREP2|ben>")
    assert "<@UADMIN>" in run(slack, fake_slack, "admins remove <@UADMIN|admin>", user="UREP2")
    assert post_hook(served, CALL).status_code == 202  # a call from the CRM meanwhile
    assert "<@UADMIN>" not in run(slack, fake_slack, "admins list", user="UREP2")
