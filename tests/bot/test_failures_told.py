"""Told, never dropped: a failing digest is retried until next week's replaces it and admins hear of it once,
in words that say what to do; a prompt that cannot be delivered waits in the rep's App Home, and admins hear."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.jobs import digests
from bot.jobs.engine import MAX_ATTEMPTS, run_tick
from bot.jobs.kinds import DIGEST_SEND as KIND
from storage.models import DigestRun, Job
from tests.conftest import ADMIN_ID, ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.calls import CALL, post_hook
from tests.support.digest import BERLIN, add_schedule, digests_in, utc
from tests.support.feedback import NOW, freeze, prompts_in

FIRE = utc("2026-10-26T08:00:00")  # Monday 09:00 in Berlin: the digest of ISO week 2026-W43 is due
INTERNALS = ("HTTP", "500", "Error", "Traceback", "psycopg", "db.internal")


def _admin_dms(fake: FakeSlack) -> list[str]:
    return [m["text"] for m in fake.messages(ADMIN_ID)]


def _digest_jobs(served: ServedApp) -> dict[str, Job]:
    with served.runtime.session_factory() as session:
        return {job.key: job for job in session.scalars(select(Job).where(Job.kind == KIND))}


def test_a_digest_failing_for_days_is_retried_hourly_told_once_and_replaced_by_next_week(
    served: ServedApp, fake_slack: FakeSlack
) -> None:
    add_schedule(served, "CMKT", "marketing", BERLIN)
    fake_slack.fail_next("chat.postMessage", status=500, channel="CMKT", times=1000)
    at = FIRE
    while at < FIRE + timedelta(days=6):
        run_tick(served.runtime, at)
        at += timedelta(hours=3)
    [job] = _digest_jobs(served).values()
    assert job.state == "due" and job.attempts > MAX_ATTEMPTS  # never given up within the week
    assert job.due_at - (at - timedelta(hours=3)) <= timedelta(hours=1)  # back-off capped at an hour
    [told] = _admin_dms(fake_slack)  # once for the whole episode
    assert "marketing" in told and "week 2026-W43" in told and "tried again automatically" in told
    assert not any(word in told for word in INTERNALS)
    assert digests_in(fake_slack, "CMKT") == []

    fake_slack.clear_faults()  # Slack is back, in time for next Monday's digest
    run_tick(served.runtime, FIRE + timedelta(days=7))
    jobs = _digest_jobs(served)
    assert {k: j.state for k, j in jobs.items()} == {job.key: "done", job.key.replace("W43", "W44"): "done"}
    [posted] = digests_in(fake_slack, "CMKT")
    assert "2 Nov" in posted["text"] or "W44" in json.dumps(posted["metadata"])
    with served.runtime.session_factory() as session:
        runs = {r.week: (r.state, r.last_error) for r in session.scalars(select(DigestRun))}
    assert runs["2026-W43"] == ("failed", "superseded by the next week's digest")
    assert runs["2026-W44"][0] == "posted"
    assert len(_admin_dms(fake_slack)) == 1


def test_any_failure_is_told_in_words_without_internal_error_text(
    served: ServedApp, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("psycopg OperationalError: could not connect to db.internal:5432")

    monkeypatch.setattr(digests, "build_digest_data", broken)
    add_schedule(served, "CMKT", "marketing", BERLIN)
    run_tick(served.runtime, FIRE)
    run_tick(served.runtime, FIRE + timedelta(hours=2))
    [told] = _admin_dms(fake_slack)
    assert "problem of its own" in told and "fieldnotes doctor" in told
    assert not any(word in told for word in INTERNALS)
    with served.runtime.session_factory() as session:
        assert "db.internal" in (session.scalars(select(Job.last_error).where(Job.kind == KIND)).one() or "")


def test_a_channel_problem_says_how_to_fix_it(served: ServedApp, fake_slack: FakeSlack) -> None:
    fake_slack.add_channel("CSALES", "sales-marketing", members=["UMKT"])
    add_schedule(served, "CSALES", "sales-marketing", BERLIN)
    run_tick(served.runtime, FIRE)
    run_tick(served.runtime, FIRE + timedelta(hours=1))
    [told] = _admin_dms(fake_slack)
    assert "/invite @Field Notes" in told and "#sales-marketing" in told


def _home_text(slack: SlackSender, fake: FakeSlack, user: str) -> str:
    before = len(fake.calls_to("views.publish"))
    assert slack.app_home_opened(user).status_code == 200
    fake.wait_for_calls("views.publish", before + 1, timeout=30)
    return json.dumps(fake.home_view(user))


@pytest.mark.parametrize("failure", ["user_not_found", "outage"])
def test_a_prompt_that_cannot_be_delivered_waits_in_app_home_and_admins_are_told(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, failure: str
) -> None:
    freeze(served)
    assert post_hook(served, CALL).status_code == 202
    if failure == "user_not_found":  # no retry can fix it: given up at once
        fake_slack.fail_next("conversations.open", status=200, error="user_not_found", times=1)
    else:  # Slack down through every attempt
        fake_slack.fail_next("chat.postMessage", status=503, channel=fake_slack.dm_channel_id("UREP1"), times=100)
    at = NOW + timedelta(minutes=11)
    for _ in range(MAX_ATTEMPTS + 1):
        run_tick(served.runtime, at)
        at += timedelta(hours=1)
    [prompt] = prompts_in(served)
    assert prompt.state == "undelivered"
    [told] = _admin_dms(fake_slack)
    assert "<@UREP1>" in told and "Acme Corp" in told and "App Home" in told
    assert not any(word in told for word in INTERNALS)
    home = _home_text(slack, fake_slack, "UREP1")
    assert "Acme Corp" in home and "could not be sent to you" in home
    with served.runtime.session_factory() as session:
        expiry = session.scalars(select(Job).where(Job.key == f"prompt.expire:{prompt.id}")).one()
    assert expiry.state == "due"  # it still expires like any prompt
