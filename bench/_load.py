"""The load generator both HTTP benchmarks share: signed Slack requests from keep-alive client threads.

It uses the standard library's http.client: the load generator shares the machine's cores with the app it
measures, and http.client spends less CPU per request than httpx (the bare app in bench/ack went from
742–976 to 1,685–2,606 req/s when this changed).
"""

from __future__ import annotations

import http.client
import threading
import time
from urllib.parse import urlsplit

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

    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        try:
            while True:
                with lock:
                    body = next(pending, None)
                if body is None:
                    return
                headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, secret)}
                began = time.perf_counter()
                conn.request("POST", "/slack/events", body=body, headers=headers)
                response = conn.getresponse()
                content = response.read()
                elapsed = time.perf_counter() - began
                if response.status != 200 or (expect_empty and content):
                    raise SystemExit(f"unexpected answer {response.status}: {content[:200]!r}")
                with lock:
                    latencies.append(elapsed)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - began
