"""GroupRunner: callers that wait for their result share one run of the work with those arriving meanwhile."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.runtime import GroupRunner
from tests.support.waiting import wait_until


def test_a_lone_caller_runs_at_once_and_callers_arriving_meanwhile_share_the_next_run() -> None:
    groups: list[list[int]] = []
    release = threading.Event()

    def double(items: list[int]) -> list[int]:
        groups.append(list(items))
        if items == [1]:
            release.wait(5)  # the first run is slow: the others arrive while it lasts
        return [i * 2 for i in items]

    runner = GroupRunner(double, size=3)
    with ThreadPoolExecutor(6) as pool:
        first = pool.submit(runner.run, 1)
        wait_until(lambda: groups == [[1]])  # it did not wait for company
        later = [pool.submit(runner.run, i) for i in range(2, 7)]
        wait_until(lambda: runner.waiting == 5)
        release.set()
        assert first.result(5) == 2
        assert [f.result(5) for f in later] == [4, 6, 8, 10, 12]  # each caller gets its own result
    assert [len(g) for g in groups] == [1, 3, 2]  # the five waiting ran in two runs of at most `size`
    assert sorted(i for g in groups for i in g) == [1, 2, 3, 4, 5, 6]  # each item ran once
    assert runner.waiting == 0


def test_a_failed_run_raises_in_every_caller_of_its_group_and_the_next_group_still_runs() -> None:
    release, started = threading.Event(), threading.Event()

    def work(items: list[str]) -> list[str]:
        if items == ["slow"]:
            started.set()
            release.wait(5)
            return ["ok"]
        if "bad" in items:
            raise RuntimeError("boom")
        return [i.upper() for i in items]

    runner = GroupRunner(work)
    with ThreadPoolExecutor(4) as pool:
        slow = pool.submit(runner.run, "slow")
        assert started.wait(5)
        group = [pool.submit(runner.run, item) for item in ("bad", "good")]
        wait_until(lambda: runner.waiting == 2)
        release.set()
        assert slow.result(5) == "ok"
        for future in group:
            with pytest.raises(RuntimeError, match="boom"):
                future.result(5)
    assert runner.run("after") == "AFTER"  # the runner is free again


def test_work_that_answers_the_wrong_number_of_results_is_an_error() -> None:
    runner = GroupRunner(lambda items: [])
    with pytest.raises(RuntimeError, match="0 results for 1 items"):
        runner.run("x")
