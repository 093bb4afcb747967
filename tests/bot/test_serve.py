"""`fieldnotes run` for real, in a subprocess: HTTP mode with uvicorn, and Socket Mode."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot import ids
from storage import migrations
from storage.db import make_engine
from tests.conftest import BOT_TOKEN, SIGNING_SECRET, _free_port
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.fakes.socket_mode import FakeSocketMode
from tests.support.waiting import wait_until


def _env(tmp_path: Path, fake: FakeSlack, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FIELDNOTES_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'served.db'}",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.url,
        FIELDNOTES_WEBHOOK_SECRET="hook",
        FIELDNOTES_SCHEDULER="off",
    )
    env.update(extra)
    return env


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def _start(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc: Linux only, like the rest of the test bed)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _stop(process: subprocess.Popen[bytes]) -> str:
    process.terminate()
    try:
        out, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out.decode(errors="replace")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_run_http_migrates_then_serves_signed_requests_only(tmp_path: Path, fake: FakeSlack, workers: str) -> None:
    port = _free_port()
    args = ["run", "--http", "--port", str(port), "--no-scheduler", "--workers", workers]
    process = _start(args, _env(tmp_path, fake), tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"

        def healthy() -> bool:
            assert process.poll() is None, _stop(process)
            try:
                return httpx.get(f"{base}/healthz").status_code == 200
            except httpx.TransportError:
                return False

        # A hang guard, not a speed test: a loaded machine loads spaCy slowly.
        wait_until(healthy, timeout=120, what="fieldnotes run answering /healthz", every=0.2)
        if workers == "2":
            assert len(_children(process.pid)) >= 2  # uvicorn's worker processes
        engine = make_engine(f"sqlite:///{tmp_path / 'served.db'}")
        assert migrations.current(engine) == migrations.head()
        with SlackSender(base, SIGNING_SECRET) as sender:
            response = sender.url_verification("abc")
            assert response.status_code == 200 and response.json() == {"challenge": "abc"}
            assert sender.with_options(sign=False).url_verification("abc").status_code == 401
        assert httpx.post(f"{base}/hooks/calls", json={"call_id": "x"}).status_code == 401
        # With several workers, prometheus-client's multiprocess mode: whichever worker answers adds them all up.
        metrics = httpx.get(f"{base}/metrics")
        assert metrics.status_code == 200 and 'fieldnotes_jobs{state="due"} 0.0' in metrics.text
    finally:
        _stop(process)


def test_run_socket_mode_acks_envelopes_and_serves_the_rest_on_port(tmp_path: Path, fake: FakeSlack) -> None:
    port = _free_port()
    with FakeSocketMode(fake) as socket_mode:
        env = _env(tmp_path, fake, SLACK_APP_TOKEN="xapp-1-test", PORT=str(port))
        process = _start(["run"], env, tmp_path)  # Socket Mode is chosen because SLACK_APP_TOKEN is set
        try:
            # Hang guards, not speed tests: a loaded machine loads spaCy slowly.
            socket_mode.wait_for_connection(timeout=120)
            envelope_id = socket_mode.push_event({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}})
            ack = socket_mode.wait_for_ack(envelope_id, timeout=10)
            assert ack["envelope_id"] == envelope_id
            command = socket_mode.push_command(
                ids.CMD_FIELDNOTES, "help", user_id="UREP1", response_url=fake.response_url()
            )
            socket_mode.wait_for_ack(command, timeout=10)
            # No /slack/events over HTTP in Socket Mode; the webhook, the health check and the metrics are there.
            base = f"http://127.0.0.1:{port}"
            wait_until(lambda: _answers(f"{base}/healthz"), timeout=30, what="the HTTP side server")
            assert httpx.get(f"{base}/healthz").json() == {"database": "ok"}
            assert httpx.post(f"{base}/slack/events", content=b"{}").status_code == 404
            assert httpx.post(f"{base}/hooks/calls", json={"call_id": "x"}).status_code == 401
            metrics = httpx.get(f"{base}/metrics").text
            assert 'fieldnotes_slack_requests_total{kind="command"} 1.0' in metrics
            assert 'fieldnotes_slack_requests_total{kind="event"} 1.0' in metrics
            assert 'fieldnotes_jobs{state="due"}' in metrics
        finally:
            output = _stop(process)
        assert "Traceback" not in output, output


def _answers(url: str) -> bool:
    try:
        return httpx.get(url).status_code == 200
    except httpx.TransportError:
        return False


def _cli(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_missing_setting_fails_with_one_line_naming_it(tmp_path: Path, fake: FakeSlack) -> None:
    result = _cli(_env(tmp_path, fake, PORT="not-a-port"), tmp_path, "db", "current")
    assert result.returncode != 0
    assert "PORT" in result.stderr and "Traceback" not in result.stderr
    env = _env(tmp_path, fake)
    del env["SLACK_SIGNING_SECRET"]
    result = _cli(env, tmp_path, "run", "--http", "--no-scheduler")
    assert result.returncode != 0
    assert "SLACK_SIGNING_SECRET" in result.stderr and "Traceback" not in result.stderr


def test_socket_mode_stopped_with_sigterm_finishes_the_work_after_the_acks(tmp_path: Path, fake: FakeSlack) -> None:
    fake.add_user("UREP1", name="ana", email="ana@example.com", tz="America/New_York")
    with FakeSocketMode(fake) as socket_mode:
        env = _env(tmp_path, fake, SLACK_APP_TOKEN="xapp-1-test", PORT=str(_free_port()))
        process = _start(["run"], env, tmp_path)
        try:
            socket_mode.wait_for_connection(timeout=120)  # a hang guard: a loaded machine loads spaCy slowly
            sent = [
                socket_mode.push_command(
                    ids.CMD_FEEDBACK,
                    f"Acct{i}: they say it costs too much",
                    user_id="UREP1",
                    response_url=fake.response_url(),
                )
                for i in range(8)
            ]
            for envelope_id in sent:
                socket_mode.wait_for_ack(envelope_id, timeout=30)
            process.send_signal(signal.SIGTERM)  # right after the last ack
            out, _ = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                _stop(process)
    output = out.decode(errors="replace")
    assert process.returncode == 0, output  # not killed by the signal: it stopped
    assert "Traceback" not in output, output
    assert "stopped: the work after the acks is done" in output
    # Every note acked over the socket was answered with its tags before the process exited.
    assert sum("blocks" in body for _, body in fake.responses) == len(sent)
