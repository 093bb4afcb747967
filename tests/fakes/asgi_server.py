"""Serve an ASGI app (or a Bolt `App`) over real HTTP on 127.0.0.1, in a background thread.

How a test uses it::

    app = App(signing_secret="s", token="xoxb-t", client=WebClient(base_url=fake.url),
              token_verification_enabled=False)
    with BoltServer(app) as server:
        sender = SlackSender(server.url, "s")
        sender.command(...)

`AsgiServer(asgi_app)` serves any ASGI app (the project's own Starlette app, for instance) the same way.
It runs uvicorn, as production does, with one worker, no lifespan and no WebSocket support.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import TYPE_CHECKING, Any, Self

import uvicorn
from slack_bolt import App
from slack_bolt.adapter.starlette import SlackRequestHandler
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

__all__ = ["AsgiServer", "BoltServer", "bolt_asgi_app"]


def bolt_asgi_app(app: App | AsyncApp, path: str = "/slack/events") -> Starlette:
    """A Starlette app routing POST `path` (and Bolt's OAuth GET paths, if any) to `app`."""
    handler: Any
    if isinstance(app, App):
        handler = SlackRequestHandler(app)
    else:
        # Imported here: Bolt's async side needs aiohttp, which only AsyncApp users install.
        from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

        handler = AsyncSlackRequestHandler(app)

    async def endpoint(request: Request) -> Response:
        response: Response = await handler.handle(request)
        return response

    routes = [Route(path, endpoint, methods=["POST"])]
    flow = app.oauth_flow
    if flow is not None:
        routes.append(Route(flow.install_path, endpoint, methods=["GET"]))
        routes.append(Route(flow.redirect_uri_path, endpoint, methods=["GET"]))
    return Starlette(routes=routes)


class AsgiServer:
    """Runs `asgi_app` under uvicorn on a free port; `url` is `http://127.0.0.1:PORT`."""

    def __init__(self, asgi_app: Any) -> None:
        self._asgi_app = asgi_app
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    def start(self, timeout: float = 10.0) -> Self:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        config = uvicorn.Config(
            self._asgi_app, log_level="warning", lifespan="off", ws="none", access_log=False, workers=1
        )
        server = uvicorn.Server(config)
        self._server = server
        sockets = [self._socket]
        self._thread = threading.Thread(target=lambda: server.run(sockets=sockets), name="AsgiServer", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("uvicorn did not start; run the test with -s to see its log output")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self._server = None

    @property
    def url(self) -> str:
        if self._socket is None:
            raise RuntimeError("the server is not running: call start() or use it as a context manager first.")
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class BoltServer(AsgiServer):
    """Serves a Bolt `App` or `AsyncApp` at `url + path` through Bolt's Starlette adapter."""

    def __init__(self, app: App | AsyncApp, path: str = "/slack/events") -> None:
        super().__init__(bolt_asgi_app(app, path))
        self.app = app
