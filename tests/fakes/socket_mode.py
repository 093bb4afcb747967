"""`FakeSocketMode`: a local Socket Mode WebSocket server that pushes envelopes and records acks.

How a test uses it::

    with FakeSlack() as fake, FakeSocketMode(fake) as socket_mode:   # fake's apps.connections.open
        handler = SocketModeHandler(app, app_token="xapp-1-test")    # now hands out socket_mode.url
        handler.connect()                                             # returns once connected
        socket_mode.wait_for_connection()
        envelope_id = socket_mode.push_command("/note", "hi", user_id="U0001", response_url=fake.response_url())
        ack = socket_mode.wait_for_ack(envelope_id)                  # {"envelope_id": ..., "payload": ...}
        handler.close()

Like Slack, the server greets each connection with a `hello` message; envelopes go to the newest
connection. Everything the client sends is in `received`; acks (messages with an `envelope_id`) in `acks`.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from typing import TYPE_CHECKING, Any, Self

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from tests.fakes._payloads import Workspace, new_action_ts, new_event_id, new_trigger_id

if TYPE_CHECKING:
    from tests.fakes.slack_api import FakeSlack

__all__ = ["FakeSocketMode"]


class FakeSocketMode:
    """A Socket Mode server on 127.0.0.1. Give it a `FakeSlack` so apps.connections.open returns `url`."""

    def __init__(self, fake: FakeSlack | None = None, *, workspace: Workspace | None = None) -> None:
        self.fake = fake
        self.workspace = workspace or (
            Workspace(team_id=fake.team_id, bot_user_id=fake.bot_user_id, bot_id=fake.bot_id) if fake else Workspace()
        )
        self._lock = threading.Condition()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: list[ServerConnection] = []
        self._envelope_numbers = itertools.count(1)
        self.received: list[dict[str, Any]] = []
        self.connection_count = 0
        self.connection_paths: list[str] = []

    # ---- lifecycle --------------------------------------------------------------------------------------
    def start(self) -> Self:
        self._server = serve(self._serve_connection, "127.0.0.1", 0, compression=None, ping_interval=None)
        self._thread = threading.Thread(target=self._server.serve_forever, name="FakeSocketMode", daemon=True)
        self._thread.start()
        if self.fake is not None:
            self.fake.socket_mode_url = self.url
        return self

    def stop(self) -> None:
        if self.fake is not None and self.fake.socket_mode_url == self.url:
            self.fake.socket_mode_url = None
        if self._server is not None:
            for connection in self.connections:
                connection.close()
            self._server.shutdown()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSocketMode is not running: call start() or use it as a context manager first.")
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket=fake-ticket&app_id={self.workspace.api_app_id}"

    @property
    def connections(self) -> list[ServerConnection]:
        with self._lock:
            return list(self._connections)

    # ---- connections ------------------------------------------------------------------------------------
    def _serve_connection(self, connection: ServerConnection) -> None:
        with self._lock:
            self._connections.append(connection)
            self.connection_count += 1
            self.connection_paths.append(connection.request.path if connection.request else "")
            self._lock.notify_all()
        try:
            connection.send(
                json.dumps(
                    {
                        "type": "hello",
                        "num_connections": len(self._connections),
                        "debug_info": {"host": "fake-socket-mode", "approximate_connection_time": 18060},
                        "connection_info": {"app_id": self.workspace.api_app_id},
                    }
                )
            )
            for text in connection:
                message = json.loads(text)
                with self._lock:
                    self.received.append(message)
                    self._lock.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._connections.remove(connection)
                self._lock.notify_all()

    def wait_for_connection(self, count: int = 1, timeout: float = 30.0) -> None:
        """Block until `count` connections have been made in total (reconnects count)."""
        with self._lock:
            if not self._lock.wait_for(lambda: self.connection_count >= count and self._connections, timeout):
                raise AssertionError(
                    f"no Socket Mode client connected within {timeout}s; is apps.connections.open "
                    "answered by the FakeSlack this server was given?"
                )

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask clients to reconnect, as Slack does every few hours (`{"type": "disconnect"}`)."""
        for connection in self.connections:
            connection.send(json.dumps({"type": "disconnect", "reason": reason, "debug_info": {"host": "fake"}}))

    # ---- envelopes --------------------------------------------------------------------------------------
    def push(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        envelope_id: str | None = None,
    ) -> str:
        """Send an envelope (`type`: "slash_commands", "interactive" or "events_api") to the newest
        connection; returns its envelope_id."""
        connections = self.connections
        if not connections:
            raise AssertionError("no Socket Mode client is connected; call wait_for_connection() first")
        n = next(self._envelope_numbers)
        envelope_id = envelope_id or f"{n:08x}-0000-4000-8000-{n:012x}"
        envelope: dict[str, Any] = {"envelope_id": envelope_id, "payload": payload, "type": type}
        envelope["accepts_response_payload"] = (
            type != "events_api" if accepts_response_payload is None else accepts_response_payload
        )
        if type == "events_api":
            envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        connections[-1].send(json.dumps(envelope))
        return envelope_id

    def push_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str,
        channel_id: str = "C0001",
        response_url: str,
        trigger_id: str | None = None,
        **extra: Any,
    ) -> str:
        fields = self.workspace.command(
            command,
            text,
            user_id=user_id,
            channel_id=channel_id,
            channel_name=None,
            response_url=response_url,
            trigger_id=trigger_id or new_trigger_id(),
        )
        return self.push("slash_commands", {**fields, **extra})

    def push_interactive(self, payload: dict[str, Any]) -> str:
        """Push an interactivity payload, e.g. one built with `SlackSender`'s `workspace` builders."""
        return self.push("interactive", payload)

    def push_shortcut(self, callback_id: str, *, user_id: str, **extra: Any) -> str:
        payload = self.workspace.global_shortcut(
            callback_id, user_id=user_id, trigger_id=new_trigger_id(), action_ts=new_action_ts()
        )
        return self.push("interactive", {**payload, **extra})

    def push_event(self, event: dict[str, Any], *, event_id: str | None = None, retry_attempt: int = 0) -> str:
        envelope = self.workspace.event_callback(
            event, event_id=event_id or new_event_id(), event_time=int(time.time())
        )
        return self.push(
            "events_api", envelope, retry_attempt=retry_attempt, retry_reason="timeout" if retry_attempt else ""
        )

    @property
    def acks(self) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.received if "envelope_id" in m]

    def wait_for_ack(self, envelope_id: str, timeout: float = 30.0) -> dict[str, Any]:
        """Block until the client acks `envelope_id`; return the ack (with `payload` if the app sent one)."""

        def find() -> dict[str, Any] | None:
            return next((m for m in self.received if m.get("envelope_id") == envelope_id), None)

        with self._lock:
            if not self._lock.wait_for(lambda: find() is not None, timeout):
                raise AssertionError(
                    f"envelope {envelope_id} was not acked within {timeout}s; received: {self.received}"
                )
            ack = find()
            assert ack is not None
            return ack
