"""Serve the real Field Notes app, or a bare Bolt app with an ack-only `/feedback`, for bench/ack/run.py.

    python -m bench.ack.serve real|bare PORT     (settings from the environment, as `fieldnotes run`)

Both go through the same Starlette route (bot.http.server) on uvicorn with one worker.
"""

from __future__ import annotations

import sys

import uvicorn
from slack_bolt import Ack, App

from bot.app import create_app
from bot.http.server import create_http_app, warm_up
from bot.runtime import make_runtime
from bot.settings import get_settings
from bot.slack import make_web_client


def main() -> None:
    mode, port = sys.argv[1], int(sys.argv[2])
    runtime = make_runtime(get_settings())
    bolt = create_app(runtime)
    if mode == "bare":
        bolt = App(
            signing_secret=runtime.settings.secret("slack_signing_secret"),
            client=make_web_client(runtime.settings, runtime.settings.secret("slack_bot_token")),
            process_before_response=True,
            token_verification_enabled=False,
        )

        @bolt.command("/feedback")
        def ack_only(ack: Ack) -> None:
            ack()

    else:
        # As `fieldnotes run` does: spaCy is loaded before the first request, and notes are tagged by a process of
        # their own.
        warm_up(runtime)
    try:
        uvicorn.run(create_http_app(runtime, bolt), host="127.0.0.1", port=port, workers=1, log_level="warning")
    finally:
        if runtime.tagging_process is not None:
            runtime.tagging_process.stop()


if __name__ == "__main__":
    main()
