"""A tick in its own process, for the engine's concurrency and crash tests.

python -m tests.support.tick_worker DB_URL LOG_FILE AT_ISO [DIE_ON_KEY]
Runs run_tick (its clock starting at AT_ISO) with a `test.record` handler that appends each job's key to
LOG_FILE; with DIE_ON_KEY, the process dies abruptly (os._exit) in the middle of that job, as a killed process
would.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta

from bot.jobs import engine
from bot.runtime import make_runtime
from bot.settings import load_settings


def main() -> None:
    url, log_file, at = sys.argv[1], sys.argv[2], datetime.fromisoformat(sys.argv[3])
    die_on = sys.argv[4] if len(sys.argv) > 4 else None

    @engine.handler("test.record")
    def record(ctx: engine.JobContext) -> None:
        with open(log_file, "a") as log:
            log.write(f"start {ctx.job.key} {os.getpid()} {ctx.job.attempts}\n")
        if ctx.job.key == die_on:
            os._exit(9)
        time.sleep(0.002)
        with open(log_file, "a") as log:
            log.write(f"done {ctx.job.key} {os.getpid()}\n")

    settings = load_settings(
        _env_file=None,
        database_url=url,
        slack_bot_token="xoxb-x",
        fieldnotes_scheduler="off",
        fieldnotes_job_lease_seconds=300,
    )
    runtime = make_runtime(settings)
    # The clock (which leases run on) starts at AT_ISO, so a test moves it by starting a worker later in time.
    started = time.monotonic()
    runtime.clock = lambda: at + timedelta(seconds=time.monotonic() - started)
    engine.run_tick(runtime, at)


if __name__ == "__main__":
    main()
