"""Ack latency of signed `/feedback <text>` over HTTP, the real app beside a bare ack-only Bolt app.

    .venv/bin/python -m bench.ack.run [--requests 2000] [--clients 32]

Each app runs in its own uvicorn process (one worker) on a fresh SQLite file, talking to a FakeSlack served
by this process; 32 keep-alive clients send signed slash commands. Prints p50/p99 and requests/s of each
and the ratio. Targets (docs/performance.md): real p99 < 100 ms and >= 70 % of the bare app's requests/s.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench._load import post_signed
from storage import migrations
from tests.fakes import FakeSlack

SECRET = "bench-signing-secret"
ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "Acme: they think we cost twice what Gong does",
    "Globex: security review is blocking, they need SOC 2 before legal signs",
    "Initech: the Salesforce integration was the main question; onboarding looked too long",
    "no budget until next quarter, happy with their current tool for now",
]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(mode: str, fake: FakeSlack, db: Path | str, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    env = {
        **os.environ,
        "DATABASE_URL": db if isinstance(db, str) else f"sqlite:///{db}",
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        "FIELDNOTES_SCHEDULER": "off",
        "PYTHONPATH": str(ROOT),
    }
    if workers > 1:  # the production command, with its worker processes
        command = ["-m", "bot.cli", "run", "--http", "--port", str(port), "--workers", str(workers), "--no-scheduler"]
    else:
        command = ["-m", "bench.ack.serve", mode, str(port)]
    proc = subprocess.Popen([sys.executable, *command], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    # Each process loads spaCy before serving: on a loaded machine, with several workers, that takes minutes.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    # SIGTERM, not SIGKILL: uvicorn's parent stops its worker processes (killed, it would leave them running).
    proc.terminate()
    proc.wait(timeout=60)
    raise SystemExit(f"the {mode} app did not start")


def _body(i: int, fake: FakeSlack) -> bytes:
    fields = {
        "team_id": fake.team_id,
        "team_domain": "bench",
        "channel_id": "C0001",
        "channel_name": "general",
        "user_id": f"UREP{i % 2 + 1}",
        "user_name": "rep",
        "command": "/feedback",
        "text": TEXTS[i % len(TEXTS)],
        "api_app_id": "A0001",
        "response_url": fake.response_url(f"bench{i}"),
        "trigger_id": f"{i}.{i}.bench{i:08d}",
    }
    return urlencode(fields).encode()


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process `pid` (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    """Child processes of `pid` (the real app's tagging process)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by process `pid` and all its descendants alive now (worker and tagging processes)."""
    return _cpu(pid) + sum(tree_cpu(child) for child in _children(pid))


def _load(url: str, fake: FakeSlack, start: int, count: int, clients: int) -> tuple[list[float], float]:
    bodies = [_body(start + i, fake) for i in range(count)]
    return post_signed(url, bodies, clients, SECRET)


def _measure(mode: str, fake: FakeSlack, requests: int, clients: int, tmp: Path) -> dict[str, float]:
    db = tmp / f"{mode}.db"
    migrations.upgrade(f"sqlite:///{db}")
    proc, url = _serve(mode, fake, db)
    try:
        _load(url, fake, 10_000_000, 64, clients)  # warm up: workspace row, spaCy loaded, connections
        time.sleep(2)
        children = _children(proc.pid)
        before = _cpu(proc.pid), sum(map(_cpu, children)), time.process_time()
        latencies, seconds = _load(url, fake, 0 if mode == "real" else 5_000_000, requests, clients)
        after = _cpu(proc.pid), sum(map(_cpu, children)), time.process_time()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    quantiles = statistics.quantiles(latencies, n=100)
    cpu = [(a - b) * 1000 / len(latencies) for a, b in zip(after, before, strict=True)]
    return {
        "p50": quantiles[49] * 1000,
        "p99": quantiles[98] * 1000,
        "rps": len(latencies) / seconds,
        "cpu_app": cpu[0],
        "cpu_tagging": cpu[1],
        "cpu_load": cpu[2],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    with FakeSlack() as fake, tempfile.TemporaryDirectory() as tmp:
        fake.add_user("UREP1", name="ana", email="ana@example.com", tz="America/New_York")
        fake.add_user("UREP2", name="ben", email="ben@example.com", tz="Europe/Berlin")
        fake.add_channel("C0001", "general", members=["UREP1", "UREP2", fake.bot_user_id])
        results = {mode: _measure(mode, fake, args.requests, args.clients, Path(tmp)) for mode in ("real", "bare")}
    cores = os.cpu_count()
    print(f"{args.requests} signed /feedback <text> requests, {args.clients} keep-alive clients, {cores} cores")
    for mode, r in results.items():
        print(
            f"{mode:>5}: p50 {r['p50']:6.1f} ms   p99 {r['p99']:6.1f} ms   {r['rps']:7.1f} req/s   CPU a request"
            f" during the run: app {r['cpu_app']:.2f} ms, its tagging process {r['cpu_tagging']:.2f} ms,"
            f" load generator and fake Slack {r['cpu_load']:.2f} ms"
        )
    ratio = results["real"]["rps"] / results["bare"]["rps"]
    ok = results["real"]["p99"] < 100 and ratio >= 0.7
    print(f"ratio real/bare: {ratio:.0%}  (targets: p99 < 100 ms, ratio >= 70 %): {'OK' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
