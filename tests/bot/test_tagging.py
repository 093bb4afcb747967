"""Tagging after the ack: the batcher, batch tagging, and the notes.tag safety net for notes a process left."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from bot.jobs import engine, kinds
from bot.jobs.tagging import GRACE
from bot.runtime import Batcher, Runtime
from bot.services import notes as svc
from bot.services.workspaces import ensure_workspace
from bot.tagging import tag_notes
from storage.repositories import notes
from tests.fakes import FakeSlack

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
TEAM = "T0001"


# ---- the batcher ---------------------------------------------------------------------------------------
def test_batcher_runs_a_lone_item_at_once_and_batches_what_arrives_meanwhile() -> None:
    seen: list[list[int]] = []
    release = threading.Event()
    started = threading.Event()

    def work(items: list[int]) -> None:
        seen.append(items)
        started.set()
        release.wait(5)

    with ThreadPoolExecutor(2) as pool:
        batcher = Batcher(pool, work, size=3)
        batcher.add(1)
        assert started.wait(5)  # the first item did not wait for company
        for i in range(2, 7):  # these arrive while the first batch is being handled
            batcher.add(i)
        release.set()
    assert seen == [[1], [2, 3, 4], [5, 6]]


class _FakeTime:
    """A monotonic clock that moves only when the batcher sleeps; its first sleep waits for the test to go on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeping, self.go = threading.Event(), threading.Event()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeping.set()
        assert self.go.wait(5)
        self.now += seconds


def test_batcher_gives_way_to_requests_in_flight_for_at_most_yield_for() -> None:
    ran: list[tuple[list[str], float]] = []
    busy = threading.Event()
    busy.set()
    done = threading.Event()
    clock = _FakeTime()

    def work(items: list[str]) -> None:
        ran.append((items, clock()))
        done.set()

    with ThreadPoolExecutor(2) as pool:
        batcher = Batcher(pool, work, busy=busy.is_set, yield_for=0.5, clock=clock, sleep=clock.sleep)
        added = clock()
        batcher.add("a")
        assert clock.sleeping.wait(5)  # a request is in flight: the batch gives way
        batcher.add("b")  # arrives while the first waits: they make one batch
        clock.go.set()
        assert done.wait(5)
        # Requests were in flight all along: the batch waited `yield_for`, and not a step longer.
        assert ran[0][0] == ["a", "b"] and 0.5 <= ran[0][1] - added < 0.5 + 0.005 + 1e-9
        done.clear()
        busy.clear()  # no request in flight: a new item runs at once
        added = clock()
        batcher.add("c")
        assert done.wait(5)
        assert ran[1] == (["c"], added)


def test_batcher_keeps_going_after_a_failed_batch(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[list[str]] = []
    done = threading.Event()

    def work(items: list[str]) -> None:
        if "bad" in items:
            raise RuntimeError("boom")
        seen.append(items)
        done.set()

    with ThreadPoolExecutor(1) as pool:
        batcher = Batcher(pool, work)
        batcher.add("bad")
        pool.submit(lambda: None).result()  # the failed batch has run
        batcher.add("good")
        assert done.wait(5)
    assert seen == [["good"]]
    assert "batch work work failed for 1 items" in caplog.text


# ---- batch tagging and the safety net -----------------------------------------------------------------
def _store(runtime: Runtime, key: str, said: str, *, at: datetime = NOW) -> int:
    draft = svc.Draft(source="modal", dedupe_key=key, answers={"said": said, "objections": ["too expensive"]})
    with runtime.session_factory.begin() as session:
        ensure_workspace(session, TEAM, now=NOW)
        return svc.create_note(session, TEAM, "UREP1", draft, now=at).id


def _tags(runtime: Runtime, note_id: int) -> set[tuple[str, str, str]]:
    with runtime.session_factory() as session:
        return {(t.kind, t.label, t.source) for t in notes.tags_of(session, TEAM, [note_id])[note_id]}


def test_tag_notes_tags_a_batch_once_beside_the_human_tags(runtime: Runtime) -> None:
    first = _store(runtime, "view:A", "Way too pricey for them, and they keep bringing up Gong")
    second = _store(runtime, "view:B", "Security review stalled the deal: SOC 2 report missing")
    tagged = tag_notes(runtime, TEAM, [first, second])
    assert set(tagged) == {first, second}
    assert ("competitor", "Gong", "rule") in _tags(runtime, first)
    assert ("objection", "too expensive", "human") in _tags(runtime, first)
    assert any(kind == "theme" and label == "security and compliance" for kind, label, _ in _tags(runtime, second))
    assert {(t.kind, t.label, t.source) for t in tagged[first].tags} == _tags(runtime, first)
    assert tag_notes(runtime, TEAM, [first, second]) == {}  # each note is tagged once


def test_safety_net_tags_notes_a_process_left_untagged(runtime: Runtime, fake_slack: FakeSlack) -> None:
    old = _store(runtime, "view:old", "they said we are way too expensive compared to Gong")
    young = _store(runtime, "view:young", "pricing came up again", at=NOW + GRACE)
    report = engine.run_tick(runtime, NOW + GRACE + timedelta(minutes=1))
    assert report.done[kinds.NOTES_TAG] == 1
    assert ("competitor", "Gong", "rule") in _tags(runtime, old)
    with runtime.session_factory() as session:
        assert notes.untagged(session, TEAM, [old, young]) == {young: "pricing came up again"}
    assert fake_slack.calls_to("chat.postMessage") == []  # late tags come without a DM
    # The next slot's job finds the young note once it is old enough.
    report = engine.run_tick(runtime, NOW + GRACE + timedelta(minutes=11))
    assert report.done[kinds.NOTES_TAG] == 1
    with runtime.session_factory() as session:
        assert notes.untagged(session, TEAM, [old, young]) == {}
