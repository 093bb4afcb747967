"""Prompt life over HTTP and ticks: snooze, skip, nudge, expiry, quiet hours, check-ins, double clicks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot import ids
from storage.models import Person, Workspace
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.calls import CALL, post_hook
from tests.support.feedback import NOW, buttons, freeze, notes_in, prompts_in
from tests.support.waiting import wait_until

SENT = NOW + timedelta(minutes=6)


def _prompted(served: ServedApp, fake: FakeSlack) -> tuple[str, dict]:
    freeze(served)
    assert post_hook(served, CALL).status_code == 202
    served.tick(SENT)
    dm = fake.dm_channel_id("UREP1")
    [message] = fake.messages(dm)
    return dm, message


def _click(slack: SlackSender, action: str, dm: str, message: dict) -> None:
    value = buttons(message)[action]["value"]
    assert slack.block_action(action, value, user_id="UREP1", channel_id=dm, message=message).status_code == 200


def test_snooze_resends_an_hour_later_and_a_second_click_changes_nothing(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    dm, message = _prompted(served, fake_slack)
    freeze(served, SENT + timedelta(minutes=1))
    _click(slack, ids.ACTION_SNOOZE, dm, message)
    fake_slack.wait_for_calls("chat.update", timeout=30)
    _click(slack, ids.ACTION_SNOOZE, dm, message)  # the double click
    fake_slack.wait_for_calls("chat.postEphemeral", timeout=30)
    assert "already" in fake_slack.ephemerals[0]["text"]
    [prompt] = prompts_in(served)
    assert prompt.state == "scheduled"
    assert prompt.due_at == SENT + timedelta(hours=1, minutes=1)
    assert "Snoozed" in fake_slack.messages(dm)[0]["text"] and buttons(fake_slack.messages(dm)[0]) == {}
    served.tick(SENT + timedelta(minutes=30))
    assert len(fake_slack.messages(dm)) == 1
    served.tick(SENT + timedelta(hours=1, minutes=2))
    messages = fake_slack.messages(dm)
    assert len(messages) == 2 and ids.ACTION_LOG_FEEDBACK in buttons(messages[1])
    assert prompts_in(served)[0].state == "sent"


def test_skip_closes_the_prompt_in_place(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    dm, message = _prompted(served, fake_slack)
    _click(slack, ids.ACTION_SKIP, dm, message)
    fake_slack.wait_for_calls("chat.update", timeout=30)
    assert prompts_in(served)[0].state == "skipped"
    assert buttons(fake_slack.messages(dm)[0]) == {}
    _click(slack, ids.ACTION_LOG_FEEDBACK, dm, message)  # a stale button on a used prompt
    fake_slack.wait_for_calls("chat.postEphemeral", timeout=30)
    assert fake_slack.calls_to("views.open") == []
    # Neither nudge nor expiry touch a skipped prompt.
    served.tick(SENT + timedelta(hours=49))
    assert len(fake_slack.messages(dm)) == 1
    assert len(fake_slack.calls_to("chat.update")) == 1


def test_one_nudge_then_expiry(served: ServedApp, fake_slack: FakeSlack) -> None:
    dm, message = _prompted(served, fake_slack)
    served.tick(SENT + timedelta(hours=3, minutes=59))
    assert len(fake_slack.messages(dm)) == 1
    served.tick(SENT + timedelta(hours=4))
    served.tick(SENT + timedelta(hours=5))
    nudges = [m for m in fake_slack.thread(dm, message["ts"]) if m["ts"] != message["ts"]]
    assert len(nudges) == 1 and "reminder" in nudges[0]["text"]
    served.tick(SENT + timedelta(hours=48))
    assert prompts_in(served)[0].state == "expired"
    top = fake_slack.messages(dm)[0]
    assert "expired" in top["text"] and buttons(top) == {}
    served.tick(SENT + timedelta(hours=100))
    assert len(fake_slack.calls_to("chat.update")) == 1


def test_no_nudge_when_switched_off(served: ServedApp, fake_slack: FakeSlack) -> None:
    freeze(served)
    post_hook(served, CALL)
    with served.runtime.session_factory.begin() as session:
        session.execute(update(Workspace).values(nudge_hours=None))
    served.tick(SENT)
    served.tick(SENT + timedelta(hours=10))
    assert len(fake_slack.messages(fake_slack.dm_channel_id("UREP1"))) == 1


def test_call_in_the_evening_is_prompted_next_morning(served: ServedApp, fake_slack: FakeSlack) -> None:
    # Friday 27 November 2026, 17:55 in New York: due 18:05, quiet (18:00-08:00), so Saturday 08:00 New York.
    freeze(served, datetime(2026, 11, 27, 22, 56, tzinfo=UTC))
    response = post_hook(served, {**CALL, "ended_at": "2026-11-27T22:55:00Z"})
    assert response.json()["prompt_at"] == "2026-11-28T13:00:00Z"
    dm = fake_slack.dm_channel_id("UREP1")
    served.tick(datetime(2026, 11, 28, 12, 59, tzinfo=UTC))  # Saturday 07:59 in New York: still quiet
    assert fake_slack.messages(dm) == []
    served.tick(datetime(2026, 11, 28, 13, 0, tzinfo=UTC))
    assert len(fake_slack.messages(dm)) == 1


def test_call_on_a_weekend_afternoon_is_prompted_after_the_delay(served: ServedApp, fake_slack: FakeSlack) -> None:
    # Saturday 28 November 2026, 14:00 in New York: outside the quiet hours, so the default 10 minutes later.
    freeze(served, datetime(2026, 11, 28, 19, 1, tzinfo=UTC))
    response = post_hook(served, {**CALL, "ended_at": "2026-11-28T19:00:00Z"})
    assert response.status_code == 202
    assert response.json()["prompt_at"] == "2026-11-28T19:10:00Z"


def test_webhook_retry_and_double_tick_prompt_once(served: ServedApp, fake_slack: FakeSlack) -> None:
    freeze(served)
    assert post_hook(served, CALL).status_code == 202
    assert post_hook(served, CALL).status_code == 200
    served.tick(SENT)
    served.tick(SENT)
    assert len(fake_slack.messages(fake_slack.dm_channel_id("UREP1"))) == 1
    assert len(prompts_in(served)) == 1


def test_bad_webhook_stores_nothing(served: ServedApp) -> None:
    assert post_hook(served, None, raw=b"\xff\xfe not json").status_code == 400
    assert post_hook(served, {**CALL, "account": ""}).status_code == 400
    assert post_hook(served, {**CALL, "ended_at": "yesterday"}).status_code == 400
    assert prompts_in(served) == []


def _checkin_on(served: ServedApp) -> None:
    with served.runtime.session_factory.begin() as session:
        session.execute(update(Workspace).values(checkin_days="mon,tue,wed,thu,fri", checkin_time="17:30"))
        session.execute(update(Person).where(Person.slack_user_id.in_(["UREP1", "UREP2"])).values(is_rep=True))


def test_checkin_goes_to_reps_who_logged_nothing_that_local_day(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    freeze(served)
    for user in ("UREP1", "UREP2"):  # both become known people with their Slack timezones
        slack.command(ids.CMD_FEEDBACK, "help", user_id=user, response_url=fake_slack.response_url())
    from bot.services.directory import refresh_person
    from bot.slack import SlackDirectory

    directory = SlackDirectory(served.runtime.clients.for_team("T0001"))
    for user in ("UREP1", "UREP2"):
        refresh_person(served.runtime.session_factory, "T0001", user, directory, now=NOW)
    _checkin_on(served)
    # Ben (Berlin) logs a note on Wednesday; Ana (New York) does not.
    slack.command(ids.CMD_FEEDBACK, "Initech: loved the demo", user_id="UREP2", response_url=fake_slack.response_url())
    wait_until(lambda: notes_in(served))
    served.tick(datetime(2026, 11, 25, 16, 31, tzinfo=UTC))  # 17:31 Berlin: Ben logged, nothing to ask
    assert fake_slack.messages(fake_slack.dm_channel_id("UREP2")) == []
    served.tick(datetime(2026, 11, 25, 22, 31, tzinfo=UTC))  # 17:31 New York
    served.tick(datetime(2026, 11, 25, 22, 40, tzinfo=UTC))
    [checkin] = fake_slack.messages(fake_slack.dm_channel_id("UREP1"))
    assert set(buttons(checkin)) == {ids.ACTION_LOG_FEEDBACK, ids.ACTION_CHECKIN_NO}
    slack.block_action(
        ids.ACTION_CHECKIN_NO,
        buttons(checkin)[ids.ACTION_CHECKIN_NO]["value"],
        user_id="UREP1",
        channel_id=fake_slack.dm_channel_id("UREP1"),
        message=checkin,
    )
    fake_slack.wait_for_calls("chat.update", timeout=30)
    assert [p.state for p in prompts_in(served) if p.kind == "checkin"] == ["skipped"]
    # Saturday: not a check-in day.
    served.tick(datetime(2026, 11, 28, 22, 31, tzinfo=UTC))
    assert len(fake_slack.messages(fake_slack.dm_channel_id("UREP1"))) == 1


def test_checkin_is_off_by_default(served: ServedApp, fake_slack: FakeSlack) -> None:
    freeze(served)
    post_hook(served, CALL)  # makes Ana a rep
    served.tick(datetime(2026, 11, 25, 22, 31, tzinfo=UTC))
    assert all(p.kind == "call" for p in prompts_in(served))
