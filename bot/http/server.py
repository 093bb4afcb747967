"""The ASGI app: Slack requests, OAuth, the call webhook and the health check."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot import metrics
from bot.http import guard, webhook
from bot.http.calls import CallsHook
from bot.installations import prune_oauth_states
from bot.runtime import Runtime, finish_work_after_acks
from bot.slack import ack_path
from storage.db import database_ok

__all__ = ["create_http_app"]

logger = logging.getLogger(__name__)


WEBHOOK_MAX_BODY_BYTES = 64 * 1024
HEALTH_TIMEOUT_SECONDS = 1.0


def create_http_app(
    runtime: Runtime, bolt_app: App, *, slack_events: bool = True, on_shutdown: Callable[[], object] | None = None
) -> Starlette:
    """Every endpoint; without `slack_events` (Socket Mode, where Slack's requests come over the socket) the rest:
    OAuth, the call webhook, /healthz and /metrics. `on_shutdown` runs (off the event loop) once uvicorn has
    stopped taking requests and finished those in hand."""
    endpoints = _Endpoints(runtime, bolt_app)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        if on_shutdown is not None:
            await run_in_threadpool(on_shutdown)

    routes = [Route("/slack/events", endpoints.events, methods=["POST"])] if slack_events else []
    return Starlette(
        lifespan=lifespan,
        routes=[
            *routes,
            Route("/slack/install", endpoints.oauth, methods=["GET"]),
            Route("/slack/oauth_redirect", endpoints.oauth, methods=["GET"]),
            Route("/hooks/calls", endpoints.calls_hook, methods=["POST"]),
            Route("/healthz", endpoints.healthz, methods=["GET"]),
            Route("/metrics", endpoints.metrics, methods=["GET"]),
        ],
    )


class _Endpoints:
    """The handlers behind the routes; blocking work (Bolt, the database) runs off the event loop."""

    def __init__(self, runtime: Runtime, bolt_app: App) -> None:
        self.runtime = runtime
        self.bolt_app = bolt_app
        self.signing_secret = runtime.settings.secret("slack_signing_secret") or ""
        self.health = _HealthCheck(runtime)
        self.calls = CallsHook(runtime)
        self.jobs = metrics.JobsCollector(runtime.session_factory, runtime.now)

    async def events(self, request: Request) -> Response:
        # Counted while handled: the work after the ack gives way meanwhile (acks first, bot/runtime.py).
        with self.runtime.handling_request():
            try:
                body = await guard.read_limited(request, self.runtime.settings.fieldnotes_max_body_bytes)
                if not guard.slack_signature_ok(
                    self.signing_secret, body, request.headers.get(_SLACK_TS), request.headers.get(_SLACK_SIGNATURE)
                ):
                    raise guard.BadRequest(401, "invalid or missing signature")
                bolt_request = guard.slack_request(body, {k: v for k, v in request.headers.items()}, request.url.query)
            except guard.BadRequest as refused:
                return JSONResponse({"error": refused.message}, status_code=refused.status)
            # Bolt's dispatch is blocking (database, Slack calls in acks): keep it off the event loop.
            bolt_response = await run_in_threadpool(_dispatch_on_ack_path, self.bolt_app, bolt_request)
        return to_starlette_response(bolt_response)

    async def oauth(self, request: Request) -> Response:
        flow = self.bolt_app.oauth_flow
        if flow is None:
            return PlainTextResponse("OAuth is not configured: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.", 404)
        bolt_request = to_bolt_request(request, b"")
        if request.url.path == flow.install_path:
            await run_in_threadpool(prune_oauth_states, self.runtime.engine)
            return to_starlette_response(await run_in_threadpool(flow.handle_installation, bolt_request))
        return to_starlette_response(await run_in_threadpool(flow.handle_callback, bolt_request))

    async def calls_hook(self, request: Request) -> Response:
        try:
            body = await guard.read_limited(request, WEBHOOK_MAX_BODY_BYTES)
        except guard.BadRequest as refused:
            return JSONResponse({"error": refused.message}, status_code=refused.status)
        return await run_in_threadpool(
            self.calls.handle,
            body,
            request.headers.get(webhook.TIMESTAMP_HEADER),
            request.headers.get(webhook.SIGNATURE_HEADER),
        )

    async def healthz(self, _request: Request) -> Response:
        ok = await self.health.check()
        return JSONResponse({"database": "ok" if ok else "unreachable"}, status_code=200 if ok else 503)

    async def metrics(self, _request: Request) -> Response:
        # The job table is read at scrape time: off the event loop, like every database call here.
        body = await run_in_threadpool(metrics.exposition, self.jobs)
        return Response(body, media_type=metrics.CONTENT_TYPE_LATEST)


_SLACK_TS = "X-Slack-Request-Timestamp"
_SLACK_SIGNATURE = "X-Slack-Signature"


def _dispatch_on_ack_path(bolt_app: App, bolt_request: BoltRequest) -> BoltResponse:
    with ack_path():
        try:
            return bolt_app.dispatch(bolt_request)
        except Exception:
            # Bolt re-raises what a middleware raised; a signed request we could not make sense of is a bad request
            # (logged with its traceback, since it may be ours), not a 5xx.
            logger.exception("could not handle a signed Slack request")
            return BoltResponse(status=400, body='{"error": "request could not be handled"}')


class _HealthCheck:
    """`SELECT 1` on its own thread, answered within HEALTH_TIMEOUT_SECONDS: a hung database is a 503, and
    while one probe hangs, later checks wait on that same probe instead of piling threads onto the database."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")
        self._pending: Future[bool] | None = None
        self._lock = threading.Lock()

    async def check(self) -> bool:
        with self._lock:
            if self._pending is None or self._pending.done():
                self._pending = self._executor.submit(database_ok, self._runtime.engine)
            pending = self._pending
        try:
            return await asyncio.wait_for(asyncio.wrap_future(pending), HEALTH_TIMEOUT_SECONDS)
        except TimeoutError:
            logger.warning("health check: the database did not answer within %.1f s", HEALTH_TIMEOUT_SECONDS)
            return False


def create_app_from_settings() -> Starlette:
    """uvicorn factory for `fieldnotes run --workers N`: each worker process builds its own app from settings."""
    from bot.app import create_app
    from bot.jobs.clock import start_clock
    from bot.logs import configure_logging
    from bot.runtime import make_runtime
    from bot.settings import get_settings

    settings = get_settings()
    configure_logging(settings.fieldnotes_log_format)  # a worker process starts with no logging configured
    runtime = make_runtime(settings)
    bolt_app = create_app(runtime)
    warm_up(runtime)
    # The parent passes --no-scheduler down through the environment; claims are safe either way.
    scheduler = start_clock(runtime) if runtime.settings.scheduler_enabled else None

    def stop() -> None:
        # SIGTERM to the worker: uvicorn has stopped taking requests and finished those in hand; now the clock
        # stops (a job cut short is safe: its lease ends and another replica takes it over) and the work after
        # the acks finishes.
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        finish_work_after_acks(runtime)

    return create_http_app(runtime, bolt_app, on_shutdown=stop)


def warm_up(runtime: Runtime) -> None:
    """Start the process that tags `runtime`'s notes (bot/tagging.py), and load the tagger there and here before
    the first request, so no rep waits for spaCy to import."""
    from bot.tagging import TaggingProcess
    from nlp.tagger import get_tagger

    runtime.tagging_process = TaggingProcess(runtime.settings)
    get_tagger()  # here too: the notes.tag safety net, and a batch whose tagging process died, tag in this process
    runtime.tagging_process.ready()


class BackgroundServer:
    """uvicorn in a daemon thread: in Socket Mode, the endpoints other than /slack/events on PORT."""

    def __init__(self, app: Starlette, host: str, port: int) -> None:
        import uvicorn

        config = uvicorn.Config(app, host=host, port=port, log_config=None, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="http-sidecar", daemon=True)

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)
