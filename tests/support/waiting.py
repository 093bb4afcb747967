"""Waiting for what happens after an answer (lazy listeners, batches, other threads): the one polling helper."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["wait_until"]

T = TypeVar("T")


def wait_until(check: Callable[[], T], timeout: float = 30.0, what: str = "condition", every: float = 0.01) -> T:
    """`check()`'s first truthy result. The timeout only guards against a hang: nothing is timed here."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout} s")
        time.sleep(every)
