"""The weekly digest posted by the timed-work engine: right local time across DST, once, with the chart."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.ids import ACTION_REPLY_TO_REPS, METADATA_EVENT
from bot.jobs import kinds
from bot.jobs.digests import job_key
from bot.jobs.engine import run_tick
from bot.runtime import utcnow
from storage.models import DigestRun, Job
from storage.repositories import digests as repo
from storage.repositories import jobs, posts
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.support.digest import BERLIN, NEW_YORK, TEAM, add_schedule, digests_in, seed_known_weeks, utc


def section_texts(message: dict[str, Any]) -> str:
    parts = []
    for block in message["blocks"]:
        if "text" in block:
            parts.append(block["text"]["text"])
        for f in block.get("fields", []):
            parts.append(f["text"])
        for e in block.get("elements", []):
            if e.get("type") == "mrkdwn":
                parts.append(e["text"])
    return "\n".join(parts)


def test_posted_at_local_time_across_dst_in_two_timezones_once(served: ServedApp, fake_slack: FakeSlack) -> None:
    berlin = add_schedule(served, "CMKT", "marketing", BERLIN, created="2026-10-20T00:00:00")
    new_york = add_schedule(served, "C0001", "general", NEW_YORK)
    with served.runtime.session_factory.begin() as session:
        seed_known_weeks(session, "2026-10-19T00:00:00", BERLIN)  # ISO week 2026-W43, ends as DST ends

    # 09:00 in Berlin on Monday 26 Oct is 08:00 UTC (CET), no longer 07:00 UTC (CEST).
    served.tick(utc("2026-10-26T07:00:00"))
    served.tick(utc("2026-10-26T07:59:00"))
    assert digests_in(fake_slack, "CMKT") == []
    served.tick(utc("2026-10-26T08:00:00"))
    served.tick(utc("2026-10-26T08:05:00"))
    posted = digests_in(fake_slack, "CMKT")
    assert len(posted) == 1
    message = posted[0]
    assert message["blocks"][0]["text"]["text"] == "Field Notes digest · 19–25 Oct 2026"
    text = section_texts(message)
    assert "*Notes*\n8" in text and "*Reps reporting*\n2" in text
    assert "75% (3 of 4 prompts)" in text
    assert "*pricing*  6  ▲ +4 vs last week" in text
    assert "*integration*  2  ▼ −1 vs last week" in text
    assert "*Gong*  3  ▲ +3 vs last week" in text
    assert "pricing-next-week" not in text
    assert "too expensive (2)" in text  # objections in lost deals
    assert "“A pricing one-pager” (×3)" in text
    assert "Spikes" in text
    assert "“Needs &lt;!channel&gt; &amp; a native Salesforce sync before they sign”" in text
    assert "buyer@example.com" not in text and "555 0100" not in text

    # The chart is in the digest's thread.
    chart = fake_slack.file_named("themes.png")
    assert chart.content is not None and chart.content.startswith(b"\x89PNG")
    assert chart.thread_ts == message["ts"] and chart.channel_id == "CMKT"

    with served.runtime.session_factory() as session:
        run = session.scalars(select(DigestRun).where(DigestRun.schedule_id == berlin)).one()
        assert (run.week, run.state, run.message_ts) == ("2026-W43", "posted", message["ts"])
    buttons = [b for b in message["blocks"] if b["type"] == "actions"]
    assert buttons and buttons[0]["elements"][0]["action_id"] == ACTION_REPLY_TO_REPS
    assert f'"r":{run.id}' in buttons[0]["elements"][0]["value"]

    # New York: 09:00 EST on Monday 2 Nov is 14:00 UTC (it was 13:00 UTC a week earlier, in EDT).
    # The first tick found New York's 19 Oct digest due (week 42): it went out then, once.
    assert len(digests_in(fake_slack, "C0001")) == 1
    served.tick(utc("2026-11-02T13:00:00"))  # 08:00 EST: only the 26 Oct (09:00 EDT) digest is due
    ny = digests_in(fake_slack, "C0001")
    assert len(ny) == 2 and ny[-1]["blocks"][0]["text"]["text"] == "Field Notes digest · 19–25 Oct 2026"
    served.tick(utc("2026-11-02T14:00:00"))
    served.tick(utc("2026-11-02T14:30:00"))
    ny = digests_in(fake_slack, "C0001")
    assert len(ny) == 3
    assert ny[-1]["blocks"][0]["text"]["text"] == "Field Notes digest · 26 Oct – 1 Nov 2026"
    with served.runtime.session_factory() as session:
        weeks = session.scalars(select(DigestRun.week).where(DigestRun.schedule_id == new_york)).all()
        assert sorted(weeks) == ["2026-W42", "2026-W43", "2026-W44"]


def test_missed_while_down_sends_only_the_latest_week_once(served: ServedApp, fake_slack: FakeSlack) -> None:
    add_schedule(served, "CMKT", "marketing", BERLIN)
    served.tick(utc("2026-11-18T10:00:00"))  # a Wednesday, weeks after the last tick
    posted = digests_in(fake_slack, "CMKT")
    assert len(posted) == 1
    assert posted[0]["blocks"][0]["text"]["text"] == "Field Notes digest · 9–15 Nov 2026"
    assert "No feedback was logged this week" in section_texts(posted[0])
    served.tick(utc("2026-11-19T10:00:00"))
    assert len(digests_in(fake_slack, "CMKT")) == 1


def test_two_concurrent_ticks_post_once(served: ServedApp, fake_slack: FakeSlack) -> None:
    add_schedule(served, "CMKT", "marketing", BERLIN)
    at = utc("2026-10-26T08:00:00")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def tick() -> None:
        try:
            barrier.wait()
            # The engine itself, in two threads: the command swaps process-wide state (environment, output) and
            # cannot run twice at once in one process. tests/bot/test_jobs_engine.py runs two tick processes.
            run_tick(served.runtime, at)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(digests_in(fake_slack, "CMKT")) == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


def test_killed_mid_post_and_restarted_posts_once(served: ServedApp, fake_slack: FakeSlack) -> None:
    schedule_id = add_schedule(served, "CMKT", "marketing", BERLIN)
    fire = utc("2026-10-26T08:00:00")
    key = job_key(schedule_id, "2026-W43")
    # What a crash mid-post leaves behind: the job running under a dead process's lease, the run and the post
    # marked `posting`, and the message out in Slack.
    with served.runtime.session_factory.begin() as session:
        jobs.plan(
            session,
            kind=kinds.DIGEST_SEND,
            key=key,
            due_at=fire,
            now=fire,
            team_id=TEAM,
            payload={"schedule_id": schedule_id, "week": "2026-W43"},
        )
        job = session.scalars(select(Job).where(Job.key == key)).one()
        lease = utcnow() + timedelta(minutes=1)
        job.state, job.attempts, job.lease_until, job.claimed_by = "running", 1, lease, "dead:1"
        run = repo.begin_run(
            session,
            team_id=TEAM,
            schedule_id=schedule_id,
            week="2026-W43",
            period_start=fire - timedelta(days=7),
            period_end=fire,
            channel_id="CMKT",
            now=fire,
        )
        repo.mark_posting(session, run.id)
        posts.start(session, TEAM, key, now=utcnow())
    earlier = fake_slack.add_message(
        "CMKT",
        "Field Notes digest",
        user=fake_slack.bot_user_id,
        metadata={"event_type": METADATA_EVENT, "event_payload": {"key": key}},
    )
    served.tick(fire + timedelta(minutes=2))  # the lease is not over yet: nobody touches the job
    assert fake_slack.calls_to("chat.postMessage") == [] and fake_slack.calls_to("conversations.history") == []
    with served.runtime.session_factory.begin() as session:
        session.scalars(select(Job).where(Job.key == key)).one().lease_until = utcnow() - timedelta(seconds=1)
    served.tick(fire + timedelta(minutes=6))
    assert fake_slack.calls_to("chat.postMessage") == []
    [lookup] = fake_slack.calls_to("conversations.history")
    assert int(lookup.params["limit"]) <= 15 and float(lookup.params["oldest"]) > 0
    assert len(fake_slack.messages("CMKT")) == 1
    with served.runtime.session_factory() as session:
        run = session.scalars(select(DigestRun)).one()
        assert (run.state, run.message_ts) == ("posted", earlier["ts"])


def test_rate_limited_then_success_posts_once(served: ServedApp, fake_slack: FakeSlack) -> None:
    add_schedule(served, "CMKT", "marketing", BERLIN)
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=0)
    served.tick(utc("2026-10-26T08:00:00"))
    calls = fake_slack.calls_to("chat.postMessage")
    assert [c.failed for c in calls] == [True, False]
    assert len(digests_in(fake_slack, "CMKT")) == 1


def test_not_in_channel_tells_admins_once_and_retries(served: ServedApp, fake_slack: FakeSlack) -> None:
    fake_slack.add_channel("CSALES", "sales-marketing", members=["UMKT"])
    add_schedule(served, "CSALES", "sales-marketing", BERLIN)
    at = utc("2026-10-26T08:00:00")
    served.tick(at)
    served.tick(at + timedelta(minutes=3))  # retried after back-off: still failing
    assert digests_in(fake_slack, "CSALES") == []
    dms = fake_slack.messages("UADMIN")
    assert len(dms) == 1
    assert "/invite @Field Notes" in dms[0]["text"] and "#sales-marketing" in dms[0]["text"]
    with served.runtime.session_factory() as session:
        run = session.scalars(select(DigestRun)).one()
        assert run.state == "posting" and run.last_error == "not_in_channel"
    with fake_slack.lock:  # someone follows the advice
        fake_slack.state.channels["CSALES"].members.append(fake_slack.bot_user_id)
    served.tick(at + timedelta(minutes=20))
    assert len(digests_in(fake_slack, "CSALES")) == 1
    assert len(fake_slack.messages("UADMIN")) == 1
