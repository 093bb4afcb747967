"""Nothing acked is lost: `fieldnotes run` killed right after a burst of acked `/feedback <text>` notes keeps
every one of them; stopped with SIGTERM, it also finishes the work after the acks (the answers with the tags),
with one worker process or several."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import select

from bot import ids
from storage.db import make_engine, make_session_factory
from storage.models import Note
from tests.conftest import ADMIN_ID, BOT_TOKEN, SIGNING_SECRET, WEBHOOK_SECRET, _free_port
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.waiting import wait_until

BURST = 24
_RUN = [sys.executable, "-m", "bot.cli", "run", "--http", "--host", "127.0.0.1"]


class App:
    """`fieldnotes run --http` in a process of its own, against `db_url` and the fake Slack."""

    def __init__(self, db_url: str, fake: FakeSlack, tmp: Path, name: str, workers: int = 1) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FIELDNOTES_", "DATABASE_URL"))}
        env.update(
            DATABASE_URL=db_url,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.url,
            FIELDNOTES_WEBHOOK_SECRET=WEBHOOK_SECRET,
            FIELDNOTES_ADMINS=ADMIN_ID,
            FIELDNOTES_SCHEDULER="off",
        )
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(tmp / f"{name}.log", "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [*_RUN, "--port", str(port), "--workers", str(workers)],
            env=env,
            cwd=tmp,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self._up, timeout=180, what="fieldnotes run answering /healthz")

    def _up(self) -> bool:
        assert self.proc.poll() is None, f"fieldnotes run exited early; see {self.log.name}"
        try:
            return httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self, sig: signal.Signals) -> int:
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=60)
        finally:
            self.log.close()


def _burst(app: App, fake: FakeSlack, start: int) -> list[int]:
    def send(i: int) -> int:
        with SlackSender(app.url, SIGNING_SECRET, team_id=fake.team_id) as slack:
            text = f"Acct{i}: note number {i} about pricing"
            return slack.command(ids.CMD_FEEDBACK, text, user_id="UREP1", response_url=fake.response_url()).status_code

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(send, range(start, start + BURST)))


def _accounts(db_url: str) -> set[str]:
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            return {n.account or "" for n in session.scalars(select(Note))}
    finally:
        engine.dispose()


def test_acked_notes_survive_a_kill_and_a_graceful_stop_finishes_their_answers(
    db_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    first = App(db_url, fake_slack, tmp_path, "killed")
    assert _burst(first, fake_slack, 0) == [200] * BURST
    assert first.stop(signal.SIGKILL) == -signal.SIGKILL  # right after the last ack
    assert _accounts(db_url) == {f"Acct{i}" for i in range(BURST)}

    fake_slack.reset_calls()
    answered_before = len(fake_slack.responses)
    second = App(db_url, fake_slack, tmp_path, "stopped")
    assert _burst(second, fake_slack, BURST) == [200] * BURST
    assert second.stop(signal.SIGTERM) == 0
    assert _accounts(db_url) == {f"Acct{i}" for i in range(2 * BURST)}
    answers = [body for _, body in fake_slack.responses[answered_before:]]
    # Every note of the second burst was answered with its tags before the process exited.
    assert sum("blocks" in body for body in answers) == BURST


def test_workers_stopped_with_sigterm_finish_the_work_after_the_acks(
    db_url: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    app = App(db_url, fake_slack, tmp_path, "workers", workers=2)
    assert _burst(app, fake_slack, 0) == [200] * BURST
    assert app.stop(signal.SIGTERM) == 0  # right after the last ack: uvicorn's parent stops each worker
    assert _accounts(db_url) == {f"Acct{i}" for i in range(BURST)}
    answers = [body for _, body in fake_slack.responses]
    # Every note was answered with its tags before the worker that took it exited.
    assert sum("blocks" in body for body in answers) == BURST
    log = (tmp_path / "workers.log").read_text(errors="replace")
    assert "Traceback" not in log and log.count("stopped: the work after the acks is done") == 2
