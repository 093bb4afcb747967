"""GET /metrics over HTTP after real requests and a real tick; the job table as read at scrape time; JSON logs."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot import ids
from bot.logs import JsonFormatter
from storage.repositories import jobs
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.feedback import NOW, freeze, notes_in
from tests.support.waiting import wait_until

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(base_url: str) -> Samples:
    response = httpx.get(f"{base_url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_slack_calls_tagging_and_jobs(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    freeze(served)
    with served.runtime.session_factory.begin() as session:
        jobs.plan(session, kind="test.unknown", key="test.unknown:1", due_at=NOW - timedelta(minutes=10), now=NOW)
    before = scrape(served.url)
    assert value(before, "fieldnotes_jobs", state="due") == 1
    assert value(before, "fieldnotes_oldest_due_job_age_seconds") == 600

    response = slack.command(
        ids.CMD_FEEDBACK, "Acme: pricing is too high", user_id="UREP1", response_url=fake_slack.response_url()
    )
    assert response.status_code == 200
    wait_until(lambda: notes_in(served) and notes_in(served)[0].tagged_at is not None, what="the note tagged")
    assert slack.app_home_opened("UREP2").status_code == 200
    fake_slack.wait_for_calls("views.publish")
    served.drain()  # the work after the acks (tagging, the profile lookup) is done: every Slack call is made
    served.tick(NOW)
    after = scrape(served.url)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("fieldnotes_slack_requests_total", kind="command") == 1
    assert delta("fieldnotes_slack_requests_total", kind="event") == 1
    assert delta("fieldnotes_ack_seconds_count", kind="command") == 1
    assert delta("fieldnotes_tagging_batch_size_count") == 1
    assert value(after, "fieldnotes_tagging_queue_depth") == 0
    # Bolt authorises the first request with auth.test on a client of its own, before any middleware: not counted.
    for method in {call.method for call in fake_slack.calls} - {"auth.test"}:
        made = len(fake_slack.calls_to(method))
        assert delta("fieldnotes_slack_api_calls_total", method=method) == made, method
    assert delta("fieldnotes_job_runs_total", kind="test.unknown", outcome="failed") == 1  # no handler for it
    assert delta("fieldnotes_job_runs_total", kind="housekeeping.prune", outcome="done") == 1
    assert value(after, "fieldnotes_jobs", state="failed") == 1
    assert value(after, "fieldnotes_jobs", state="due") == 0
    assert value(after, "fieldnotes_oldest_due_job_age_seconds") == 0


def test_slack_api_errors_are_counted_by_method_and_error(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    before = scrape(served.url)
    fake_slack.fail_next("views.open", error="trigger_expired")
    slack.command(ids.CMD_FEEDBACK, "", user_id="UREP1", response_url=fake_slack.response_url())
    served.drain()
    after = scrape(served.url)
    name, labels = "fieldnotes_slack_api_errors_total", {"method": "views.open", "error": "trigger_expired"}
    assert value(after, name, **labels) - value(before, name, **labels) == 1


def test_json_logs_are_one_object_a_line(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'j.db'}", "FIELDNOTES_LOG_FORMAT": "json", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, cwd=tmp_path, capture_output=True, check=True
    )
    lines = done.stderr.decode().splitlines()
    assert lines
    entries = [json.loads(line) for line in lines]
    assert {entry["logger"] for entry in entries} == {"alembic.runtime.migration"}
    assert all({"time", "level", "message"} <= set(entry) for entry in entries)


def test_json_log_lines_carry_the_request_team_and_job(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    freeze(served)
    with served.runtime.session_factory.begin() as session:
        jobs.plan(session, kind="test.unknown", key="test.unknown:2", due_at=NOW, now=NOW, team_id=fake_slack.team_id)
        [job] = [j for j in jobs.pending(session) if j.key == "test.unknown:2"]
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter())
    watched = [logging.getLogger("bot.app"), logging.getLogger("bot.jobs.engine")]
    levels = [logger.level for logger in watched]
    for logger in watched:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        assert slack.app_home_opened("UREP1").status_code == 200
        assert slack.resend().status_code == 200  # Slack's retry: logged as a duplicate, in the request's context
        served.tick(NOW)
    finally:
        for logger, level in zip(watched, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
    entries = [json.loads(line) for line in lines.getvalue().splitlines()]
    duplicate = next(e for e in entries if e["message"].startswith("duplicate"))
    assert duplicate["team_id"] == fake_slack.team_id and len(duplicate["request_id"]) == 16
    assert "job_id" not in duplicate
    unknown = next(e for e in entries if "no handler" in e["message"])
    assert unknown["job_id"] == str(job.id) and unknown["team_id"] == fake_slack.team_id
    assert unknown["level"] == "WARNING" and "request_id" not in unknown
