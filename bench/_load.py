"""The load generator both HTTP benchmarks share: signed Slack requests from keep-alive client threads."""

from __future__ import annotations

import threading
import time

import httpx

from tests.fakes.slack_requests import sign


def post_signed(
    url: str, bodies: list[bytes], clients: int, secret: str, *, expect_empty: bool = False
) -> tuple[list[float], float]:
    """POST each form body to `url`/slack/events from `clients` threads; per-request latencies and the wall time.

    A non-200 answer (or, with `expect_empty`, an answer with a body, such as modal errors) stops the run.
    """
    latencies: list[float] = []
    lock = threading.Lock()
    pending = iter(bodies)

    def worker() -> None:
        with httpx.Client(timeout=60) as client:
            while True:
                with lock:
                    body = next(pending, None)
                if body is None:
                    return
                headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, secret)}
                began = time.perf_counter()
                response = client.post(f"{url}/slack/events", content=body, headers=headers)
                elapsed = time.perf_counter() - began
                if response.status_code != 200 or (expect_empty and response.content):
                    raise SystemExit(f"unexpected answer {response.status_code}: {response.text[:200]}")
                with lock:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - began
