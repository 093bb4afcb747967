"""Socket Mode that stops gracefully: on SIGTERM it stops taking Slack's envelopes, finishes those in hand (their
acks go back over the socket), then closes the connection; `fieldnotes run` then finishes the work after the acks.

An envelope that arrives once the stop began is left unacknowledged: Slack sends it again, to a connection that is
still open (another replica) or after the restart."""

from __future__ import annotations

import logging
import threading

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.builtin.client import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.runtime import Runtime

__all__ = ["DrainingSocketModeHandler"]

logger = logging.getLogger(__name__)


class DrainingSocketModeHandler(SocketModeHandler):
    def __init__(self, app: App, app_token: str, runtime: Runtime) -> None:
        super().__init__(app, app_token)
        self._runtime = runtime
        self._stopping = False
        self._in_hand = 0
        self._idle = threading.Condition()

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        with self._idle:
            if self._stopping:
                logger.info("stopping: envelope %s left for Slack to send again", req.envelope_id)
                return
            self._in_hand += 1
        try:
            # Counted like an HTTP request: the work after the acks gives way meanwhile (acks first).
            with self._runtime.handling_request():
                super().handle(client, req)
        finally:
            with self._idle:
                self._in_hand -= 1
                self._idle.notify_all()

    def stop(self, grace: float) -> bool:
        """Take no more envelopes, wait up to `grace` s for those in hand, then disconnect: False if some were
        still in hand (Slack sends them again)."""
        with self._idle:
            self._stopping = True
            finished = self._idle.wait_for(lambda: self._in_hand == 0, grace)
        if not finished:
            logger.warning("stopping: Socket Mode envelopes still in hand after %.0f s", grace)
        self.close()
        return finished
