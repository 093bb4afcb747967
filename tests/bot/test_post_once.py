"""Leases and post_once: a job touches Slack only while it holds its lease, and a post is never guessed.

Handlers here call post_once over HTTP against the fake Slack, run by the real engine (run_tick).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.jobs import engine
from bot.jobs.delivery import HISTORY_LIMIT, post_once
from bot.runtime import Runtime, make_runtime, utcnow
from storage.models import Job, SlackPost
from storage.repositories import jobs
from tests.conftest import make_settings
from tests.fakes.slack_api import FakeSlack

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TEAM = "T0001"
KIND = "test.post"


@pytest.fixture
def rt(db_url: str, fake_slack: FakeSlack) -> Iterator[Runtime]:
    runtime = make_runtime(make_settings(db_url, fake_slack.url, fieldnotes_job_lease_seconds=3))
    yield runtime
    runtime.engine.dispose()


@engine.handler(KIND)
def _post(ctx: engine.JobContext) -> None:
    client = ctx.runtime.clients.for_team(TEAM)
    post_once(ctx, client, channel=str(ctx.job.payload["channel"]), key=ctx.job.key, text=f"about {ctx.job.key}")


def _plan(rt: Runtime, key: str, channel: str = "CMKT", kind: str = KIND) -> None:
    with rt.session_factory.begin() as session:
        jobs.plan(session, kind=kind, key=key, due_at=AT, now=AT, team_id=TEAM, payload={"channel": channel})


def _job(rt: Runtime, key: str) -> Job:
    with rt.session_factory() as session:
        return session.scalars(select(Job).where(Job.key == key)).one()


def _mark(rt: Runtime, key: str) -> SlackPost | None:
    with rt.session_factory() as session:
        return session.scalars(select(SlackPost).where(SlackPost.key == key)).one_or_none()


def _keys_in(fake: FakeSlack, channel: str) -> list[str]:
    return [m["metadata"]["event_payload"]["key"] for m in fake.messages(channel) if m.get("metadata")]


def test_a_post_that_went_through_behind_a_5xx_is_not_resent_and_is_found_once(
    rt: Runtime, fake_slack: FakeSlack
) -> None:
    _plan(rt, "k1")
    fake_slack.fail_next("chat.postMessage", status=500, carried_out=True)
    report = engine.run_tick(rt, AT)
    assert report.retried[KIND] == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 1  # the client did not re-send it
    assert fake_slack.calls_to("conversations.history") == []
    mark = _mark(rt, "k1")
    assert mark is not None and mark.state == "posting"

    assert engine.run_tick(rt, AT + timedelta(hours=1)).done[KIND] == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    [lookup] = fake_slack.calls_to("conversations.history")
    assert int(lookup.params["limit"]) == HISTORY_LIMIT
    assert float(lookup.params["oldest"]) >= (mark.started_at - timedelta(minutes=1)).timestamp() - 0.001
    assert _keys_in(fake_slack, "CMKT") == ["k1"]
    mark = _mark(rt, "k1")
    assert mark is not None and mark.state == "posted" and mark.message_ts == fake_slack.messages("CMKT")[0]["ts"]


def test_a_post_lost_behind_a_5xx_is_posted_after_looking(rt: Runtime, fake_slack: FakeSlack) -> None:
    _plan(rt, "k1")
    fake_slack.fail_next("chat.postMessage", status=503)
    engine.run_tick(rt, AT)
    assert engine.run_tick(rt, AT + timedelta(hours=1)).done[KIND] == 1
    assert len(fake_slack.calls_to("conversations.history")) == 1
    assert _keys_in(fake_slack, "CMKT") == ["k1"]


def test_a_failed_lookup_means_try_later_and_holds_up_no_other_job(rt: Runtime, fake_slack: FakeSlack) -> None:
    _plan(rt, "k1")
    fake_slack.fail_next("chat.postMessage", status=500, carried_out=True)
    engine.run_tick(rt, AT)
    attempts = _job(rt, "k1").attempts
    _plan(rt, "k2")
    fake_slack.fail_next("conversations.history", status=429, retry_after=60)
    before = utcnow()
    report = engine.run_tick(rt, AT + timedelta(hours=1))
    assert report.done[KIND] == 1 and report.retried[KIND] == 1  # k2 went out; k1 waits for Slack
    assert len(fake_slack.calls_to("conversations.history")) == 1  # no waiting on Retry-After inside the tick
    job = _job(rt, "k1")
    assert job.state == "due" and job.attempts == attempts  # a rate limit is not a failed attempt
    assert job.due_at >= before + timedelta(seconds=59)
    assert sorted(_keys_in(fake_slack, "CMKT")) == ["k1", "k2"]  # k1 once (behind the 5xx), not guessed again

    fake_slack.fail_next("conversations.history", status=200, error="missing_scope")
    assert engine.run_tick(rt, job.due_at + timedelta(minutes=1)).retried[KIND] == 1
    assert _job(rt, "k1").attempts == attempts + 1  # any other failed lookup counts: in the end admins hear of it
    assert engine.run_tick(rt, job.due_at + timedelta(hours=1)).done[KIND] == 1
    assert sorted(_keys_in(fake_slack, "CMKT")) == ["k1", "k2"]


def test_history_is_read_only_for_a_post_interrupted_mid_way(rt: Runtime, fake_slack: FakeSlack) -> None:
    fake_slack.add_channel("CGONE", "gone", members=["UMKT"])
    _plan(rt, "k1", channel="CGONE")
    engine.run_tick(rt, AT)  # not_in_channel: certainly not posted
    assert _mark(rt, "k1") is None
    with fake_slack.lock:
        fake_slack.state.channels["CGONE"].members.append(fake_slack.bot_user_id)
    assert engine.run_tick(rt, AT + timedelta(hours=1)).done[KIND] == 1
    assert fake_slack.calls_to("conversations.history") == []
    assert _keys_in(fake_slack, "CGONE") == ["k1"]


def test_a_job_whose_lease_was_taken_over_touches_nothing(rt: Runtime, fake_slack: FakeSlack) -> None:
    @engine.handler("test.stolen")
    def stolen(ctx: engine.JobContext) -> None:
        with ctx.runtime.session_factory.begin() as session:  # another process takes the job over meanwhile
            session.execute(update(Job).where(Job.id == ctx.job.id).values(claimed_by="other#1"))
        _post(ctx)

    _plan(rt, "k1", kind="test.stolen")
    report = engine.run_tick(rt, AT)
    assert report.lost["test.stolen"] == 1 and not report.done["test.stolen"] and not report.retried
    assert fake_slack.calls_to("chat.postMessage") == []
    job = _job(rt, "k1")
    assert (job.state, job.claimed_by) == ("running", "other#1")  # neither finished nor failed by the loser


def test_finish_and_fail_only_by_the_holder(rt: Runtime) -> None:
    _plan(rt, "k1")
    lease = timedelta(seconds=30)
    with rt.session_factory.begin() as session:
        [job] = jobs.claim_due(session, as_of=AT, now=utcnow(), worker="a#1", lease=lease)
        assert not jobs.finish(session, job.id, worker="b#2", now=AT)
        assert not jobs.fail(session, job.id, worker="b#2", error="x", retry_at=None)
        assert jobs.finish(session, job.id, worker="a#1", now=AT)
    assert _job(rt, "k1").state == "done"


def test_leases_count_from_the_claim_on_the_clock_and_are_renewed_while_the_job_runs(rt: Runtime) -> None:
    seen: list[datetime] = []
    renewed = threading.Event()

    @engine.handler("test.long")
    def long_job(ctx: engine.JobContext) -> None:
        first = _job(ctx.runtime, ctx.job.key).lease_until
        assert first is not None
        seen.append(first)
        # A tick acting as of the past: the lease is still counted from now, on the clock.
        assert first > utcnow() + timedelta(seconds=2)

        def lease_moved() -> bool:
            until = _job(ctx.runtime, ctx.job.key).lease_until
            return until is not None and until > first

        for _ in range(200):  # the heartbeat renews every second (a third of the 3 s lease)
            if lease_moved():
                renewed.set()
                return
            renewed.wait(0.05)

    _plan(rt, "long", kind="test.long")
    assert engine.run_tick(rt, AT).done["test.long"] == 1
    assert renewed.is_set(), "the lease was not renewed while the job ran"
