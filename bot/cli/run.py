"""`fieldnotes run`: serve the app over HTTP (uvicorn) or Socket Mode, with the embedded clock."""

from __future__ import annotations

import logging
import signal
import threading
from typing import TYPE_CHECKING

import click

from bot.cli._runtime import runtime_or_exit, settings_or_exit, slack_settings_or_exit
from bot.runtime import STOP_GRACE_SECONDS, Runtime, finish_work_after_acks

if TYPE_CHECKING:
    from slack_bolt import App

logger = logging.getLogger(__name__)

#: On SIGTERM: how long requests in hand, then the work after their acks, may take to finish.
GRACE_SECONDS = STOP_GRACE_SECONDS


@click.command()
@click.option("--http", "mode", flag_value="http", help="Serve HTTP (the default without SLACK_APP_TOKEN).")
@click.option("--socket", "mode", flag_value="socket", help="Use Socket Mode (needs SLACK_APP_TOKEN).")
@click.option("--port", type=click.IntRange(1, 65535), help="HTTP port (default: PORT, 3000).")
@click.option("--host", default="0.0.0.0", show_default=True, help="HTTP interface to bind.")
@click.option("--no-scheduler", is_flag=True, help="Do not run the clock here (another replica does).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="HTTP worker processes (one per core is a good start).",
)
@click.option(
    "--migrate",
    is_flag=True,
    help="Apply pending migrations first (always on SQLite; on PostgreSQL the release step: `fieldnotes db upgrade`).",
)
def run(mode: str | None, port: int | None, host: str, no_scheduler: bool, workers: int, migrate: bool) -> None:
    """Serve Field Notes (on SQLite, or with --migrate, after applying migrations)."""
    from bot.app import create_app
    from bot.jobs.clock import start_clock
    from bot.jobs.onboarding import plan_first_start

    settings = settings_or_exit()
    slack_settings_or_exit(settings)
    runtime = runtime_or_exit(migrate=migrate or settings.database_url.startswith("sqlite"))
    app_token = settings.secret("slack_app_token")
    mode = mode or ("socket" if app_token else "http")
    if mode == "socket" and not app_token:
        raise click.ClickException("SLACK_APP_TOKEN is not set: Socket Mode needs an xapp- app-level token.")
    bolt_app = create_app(runtime)
    plan_first_start(runtime)  # single workspace: the first admin's welcome DM, sent once by a tick
    if workers == 1 or mode == "socket":
        from bot.http.server import warm_up

        # Before the clock starts: loading spaCy holds the GIL for long stretches, which would starve the
        # renewal of the leases of jobs claimed meanwhile.
        warm_up(runtime)
    scheduler = None
    if settings.scheduler_enabled and not no_scheduler:
        scheduler = start_clock(runtime)
    try:
        if mode == "socket":
            _serve_socket_mode(runtime, bolt_app, app_token or "", host, port or settings.port)
        elif workers > 1:
            if scheduler is not None:  # each worker runs its own clock instead (claims are safe)
                scheduler.shutdown(wait=False)
                scheduler = None
            _serve_workers(workers, host, port or settings.port, clock=settings.scheduler_enabled and not no_scheduler)
        else:
            import uvicorn

            from bot.http.server import create_http_app

            # On SIGTERM uvicorn stops taking requests and finishes those in hand (up to GRACE_SECONDS), then
            # raises the signal again for the handler it found: this one lets the drain below run instead of dying.
            signal.signal(signal.SIGTERM, lambda *_: logger.info("SIGTERM: finishing the work in hand"))
            uvicorn.run(
                create_http_app(runtime, bolt_app),
                host=host,
                port=port or settings.port,
                log_level="info",
                log_config=None,  # uvicorn's lines go through our logging (FIELDNOTES_LOG_FORMAT)
                proxy_headers=True,
                timeout_graceful_shutdown=GRACE_SECONDS,
            )
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)  # a job cut short is safe: its lease ends and another takes it over
        # The work after the acks (tagging, confirmations) finishes before the process exits. (With --workers,
        # each worker process does this itself, bot/http/server.py: this one served nothing.)
        if mode == "socket" or workers == 1:
            finish_work_after_acks(runtime, GRACE_SECONDS)


def _serve_socket_mode(runtime: Runtime, bolt_app: App, app_token: str, host: str, port: int) -> None:
    """Socket Mode until SIGTERM (or Ctrl-C): then no new envelopes, those in hand finished (bot/socket_mode.py)."""
    from bot.http.server import BackgroundServer, create_http_app
    from bot.socket_mode import DrainingSocketModeHandler

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    # Slack's requests come over the socket; the call webhook, /healthz and /metrics still need HTTP.
    sidecar = BackgroundServer(create_http_app(runtime, bolt_app, slack_events=False), host, port).start()
    handler = DrainingSocketModeHandler(bolt_app, app_token, runtime)
    handler.connect()
    stop.wait()
    logger.info("stopping: finishing the Socket Mode envelopes in hand")
    handler.stop(GRACE_SECONDS)
    sidecar.stop()


def _serve_workers(workers: int, host: str, port: int, *, clock: bool) -> None:
    """uvicorn's worker processes, each building the app from the environment, as this process did."""
    import os
    import tempfile

    import uvicorn

    os.environ["FIELDNOTES_SCHEDULER"] = "on" if clock else "off"
    # prometheus-client's multiprocess mode: each worker writes its metrics there, and any worker's /metrics adds
    # them up (bot/metrics.py). A fresh directory per start: files of dead workers from another run never count.
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="fieldnotes-metrics-"))
    uvicorn.run(
        "bot.http.server:create_app_from_settings",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        log_config=None,
        proxy_headers=True,
        # On SIGTERM each worker stops taking requests, finishes those in hand (up to this long), then the work
        # after their acks (its lifespan shutdown, bot/http/server.py).
        timeout_graceful_shutdown=GRACE_SECONDS,
    )
