"""`fieldnotes run`: serve the app over HTTP (uvicorn) or Socket Mode, with the embedded clock."""

from __future__ import annotations

import logging

import click

from bot.cli._runtime import runtime_or_exit

logger = logging.getLogger(__name__)


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
def run(mode: str | None, port: int | None, host: str, no_scheduler: bool, workers: int) -> None:
    """Apply migrations, then serve Field Notes."""
    from bot.app import create_app
    from bot.jobs.clock import start_clock

    runtime = runtime_or_exit(migrate=True)
    settings = runtime.settings
    app_token = settings.secret("slack_app_token")
    mode = mode or ("socket" if app_token else "http")
    if mode == "socket" and not app_token:
        raise click.ClickException("SLACK_APP_TOKEN is not set: Socket Mode needs an xapp- app-level token.")
    bolt_app = create_app(runtime)
    scheduler = None
    if settings.scheduler_enabled and not no_scheduler:
        scheduler = start_clock(runtime)
    try:
        if mode == "socket":
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            from bot.http.server import warm_up

            warm_up()
            SocketModeHandler(bolt_app, app_token).start()
        elif workers > 1:
            if scheduler is not None:  # each worker runs its own clock instead (claims are safe)
                scheduler.shutdown(wait=False)
                scheduler = None
            _serve_workers(workers, host, port or settings.port, clock=settings.scheduler_enabled and not no_scheduler)
        else:
            import uvicorn

            from bot.http.server import create_http_app, warm_up

            warm_up()
            uvicorn.run(
                create_http_app(runtime, bolt_app),
                host=host,
                port=port or settings.port,
                log_level="info",
                proxy_headers=True,
            )
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)


def _serve_workers(workers: int, host: str, port: int, *, clock: bool) -> None:
    """uvicorn's worker processes, each building the app from the environment, as this process did."""
    import os

    import uvicorn

    os.environ["FIELDNOTES_SCHEDULER"] = "on" if clock else "off"
    uvicorn.run(
        "bot.http.server:create_app_from_settings",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=True,
    )
