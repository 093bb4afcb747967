"""The ASGI app: Slack requests, OAuth, the call webhook and the health check (SPEC §4)."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.http import webhook
from bot.runtime import Runtime
from bot.services.calls import receive_call
from bot.slack import SlackDirectory
from storage.db import database_ok

__all__ = ["create_http_app"]

logger = logging.getLogger(__name__)


def create_http_app(runtime: Runtime, bolt_app: App) -> Starlette:
    async def slack_events(request: Request) -> Response:
        # Counted while handled: the work after the ack gives way meanwhile (acks first, bot/runtime.py).
        with runtime.handling_request():
            body = await request.body()
            # Bolt's dispatch is blocking (database, Slack calls in acks): keep it off the event loop.
            bolt_response = await run_in_threadpool(bolt_app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    async def oauth(request: Request) -> Response:
        flow = bolt_app.oauth_flow
        if flow is None:
            return PlainTextResponse("OAuth is not configured: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.", 404)
        bolt_request = to_bolt_request(request, await request.body())
        if request.url.path == flow.install_path:
            return to_starlette_response(await run_in_threadpool(flow.handle_installation, bolt_request))
        return to_starlette_response(await run_in_threadpool(flow.handle_callback, bolt_request))

    async def calls_hook(request: Request) -> Response:
        body = await request.body()
        if not webhook.verify(
            runtime.settings.secret("fieldnotes_webhook_secret"),
            request.headers.get(webhook.TIMESTAMP_HEADER),
            request.headers.get(webhook.SIGNATURE_HEADER),
            body,
        ):
            return JSONResponse({"error": "invalid or missing signature"}, status_code=401)
        parsed = webhook.parse_body(body)
        if isinstance(parsed, str):
            return JSONResponse({"error": parsed}, status_code=400)

        def handle() -> JSONResponse:
            try:
                result = receive_call(
                    runtime.session_factory,
                    parsed,
                    now=runtime.now(),
                    directory_for=lambda team_id: SlackDirectory(
                        runtime.clients.for_team(team_id) if team_id else runtime.clients.single()
                    ),
                    admin_ids=runtime.settings.admin_ids,
                )
            except ValueError as exc:
                return JSONResponse({"error": f"team_id: {exc}"}, status_code=400)
            return JSONResponse(result.body, status_code=result.status)

        return await run_in_threadpool(handle)

    async def healthz(_request: Request) -> Response:
        ok = await run_in_threadpool(database_ok, runtime.engine)
        return JSONResponse({"database": "ok" if ok else "unreachable"}, status_code=200 if ok else 503)

    return Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/slack/install", oauth, methods=["GET"]),
            Route("/slack/oauth_redirect", oauth, methods=["GET"]),
            Route("/hooks/calls", calls_hook, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


def create_app_from_settings() -> Starlette:
    """uvicorn factory for `fieldnotes run --workers N`: each worker process builds its own app from settings."""
    from bot.app import create_app
    from bot.jobs.clock import start_clock
    from bot.runtime import make_runtime
    from bot.settings import get_settings

    runtime = make_runtime(get_settings())
    bolt_app = create_app(runtime)
    warm_up()
    # The parent passes --no-scheduler down through the environment; claims are safe either way.
    if runtime.settings.scheduler_enabled:
        start_clock(runtime)
    return create_http_app(runtime, bolt_app)


def warm_up() -> None:
    """Load the tagger before the first request, so no rep waits for spaCy to import."""
    from nlp.tagger import get_tagger

    get_tagger()
