"""Prometheus metrics: what the process counts as it works, and the job table read at scrape time.

With `fieldnotes run --workers N` every worker is its own process: `run` then points prometheus-client's
multiprocess mode at a fresh directory (PROMETHEUS_MULTIPROC_DIR) before the workers start, and any worker's
/metrics adds up all of them. One process (`--workers 1`, Socket Mode) keeps its metrics in memory.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy.orm import Session, sessionmaker

from storage.repositories import jobs as jobs_repo

__all__ = [
    "CONTENT_TYPE_LATEST",
    "DIGEST_RUNS",
    "JOB_RUNS",
    "REQUESTS",
    "SLACK_CALLS",
    "TAGGING_BATCH_SIZE",
    "TAGGING_QUEUE",
    "JobsCollector",
    "exposition",
    "request_kind",
]

#: Latency buckets around Slack's 3 s ack deadline (and the 100 ms target of bench/ack).
_ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)

REQUESTS = Counter("fieldnotes_slack_requests", "Slack requests handled, by kind.", ["kind"])
ACK_SECONDS = Histogram(
    "fieldnotes_ack_seconds", "Time from a Slack request to its ack, by kind.", ["kind"], buckets=_ACK_BUCKETS
)
SLACK_CALLS = Counter("fieldnotes_slack_api_calls", "Slack Web API calls made, by method.", ["method"])
SLACK_ERRORS = Counter(
    "fieldnotes_slack_api_errors", "Slack Web API calls that failed, by method and error.", ["method", "error"]
)
JOB_RUNS = Counter("fieldnotes_job_runs", "Jobs run by this process, by kind and outcome.", ["kind", "outcome"])
DIGEST_RUNS = Counter("fieldnotes_digest_runs", "Digest posting attempts, by outcome.", ["outcome"])
TAGGING_QUEUE = Gauge(
    "fieldnotes_tagging_queue_depth", "Stored notes waiting to be tagged after their ack.", multiprocess_mode="livesum"
)
TAGGING_BATCH_SIZE = Histogram(
    "fieldnotes_tagging_batch_size",
    "Notes tagged together in one spaCy pass.",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128),
)


def request_kind(body: dict[str, Any]) -> str:
    """command, action, view, shortcut, options, event or other: what a Slack request is, from its body."""
    if "command" in body:
        return "command"
    kind = body.get("type")
    return _KINDS.get(kind, "other") if isinstance(kind, str) else "other"


_KINDS = {
    "block_actions": "action",
    "interactive_message": "action",
    "view_submission": "view",
    "view_closed": "view",
    "shortcut": "shortcut",
    "message_action": "shortcut",
    "block_suggestion": "options",
    "event_callback": "event",
    "url_verification": "event",
}


def timed_request(body: dict[str, Any], handle: Callable[[], Any]) -> Any:
    """Run `handle` (the listener, which acks inline) and count it with its time under the request's kind."""
    kind = request_kind(body)
    started = time.perf_counter()
    try:
        return handle()
    finally:
        counted = _BY_KIND.get(kind)
        if counted is None:  # looked up once per kind: labels() takes a lock and builds a key each time
            counted = _BY_KIND.setdefault(kind, (REQUESTS.labels(kind), ACK_SECONDS.labels(kind)))
        counted[0].inc()
        counted[1].observe(time.perf_counter() - started)


_BY_KIND: dict[str, tuple[Any, Any]] = {}


def slack_call(method: str, call: Callable[[], Any]) -> Any:
    """Count one Web API call, and its failure by Slack's error code (or the exception's class)."""
    SLACK_CALLS.labels(method).inc()
    try:
        return call()
    except Exception as exc:
        response = getattr(exc, "response", None)
        error = response.get("error") if response is not None and hasattr(response, "get") else None
        SLACK_ERRORS.labels(method, str(error or type(exc).__name__)).inc()
        raise


class JobsCollector(Collector):
    """The job table at scrape time: due, scheduled, running and failed jobs (each counted up to COUNT_CAP) and
    the age of the oldest due job, from two index-bounded queries."""

    def __init__(self, session_factory: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        self._session_factory, self._now = session_factory, now

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self._now()
        with self._session_factory() as session:
            counts = jobs_repo.state_counts(session, now=now)
            oldest = jobs_repo.oldest_due_at(session, now=now)
        states = GaugeMetricFamily(
            "fieldnotes_jobs", f"Jobs by state (counted up to {jobs_repo.COUNT_CAP}).", labels=["state"]
        )
        for state, count in counts.items():
            states.add_metric([state], count)
        yield states
        yield GaugeMetricFamily(
            "fieldnotes_oldest_due_job_age_seconds",
            "How long the longest-waiting due job has been due (0 when none is).",
            value=max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0,
        )


def _process_registry() -> CollectorRegistry:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")  # prometheus-client's own setting (bot/cli/run.py)
    if not directory:
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)
    return registry


def exposition(jobs: JobsCollector) -> bytes:
    """The text /metrics answers: this process's (or every worker's) metrics, then the job table's."""
    scraped = CollectorRegistry(auto_describe=False)
    scraped.register(jobs)
    return generate_latest(_process_registry()) + generate_latest(scraped)
