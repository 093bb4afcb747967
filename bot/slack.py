"""Slack Web API clients, all pointed at SLACK_API_URL: 429s retried after Retry-After; 5xx and connection
errors retried only for calls that are safe to repeat (never a post: Slack may have posted it)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import (
    ConnectionErrorRetryHandler,
    HttpRequest,
    HttpResponse,
    RateLimitErrorRetryHandler,
    RetryHandler,
    RetryState,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.oauth.installation_store import InstallationStore

from bot import metrics
from bot.errors import ConfigError
from bot.messages import admin as say
from bot.services.admin.prefetch import ChannelCheck
from bot.services.directory import UserProfile
from bot.settings import Settings

__all__ = [
    "ACK_PATH_TIMEOUT_SECONDS",
    "NOT_REPEATABLE",
    "AckAwareWebClient",
    "SlackChannels",
    "SlackClients",
    "SlackDirectory",
    "ack_aware_copy",
    "ack_path",
    "make_web_client",
    "on_ack_path",
    "retry_handlers",
]

logger = logging.getLogger(__name__)

# Slack wants its ack within 3 s: a call made before the ack gets this long, once, and never waits on Retry-After.
ACK_PATH_TIMEOUT_SECONDS = 2
_path = threading.local()


@contextmanager
def ack_path() -> Iterator[None]:
    """Marks this thread as handling a Slack request before its ack (lazy listeners run on other threads)."""
    previous = getattr(_path, "ack", False)
    _path.ack = True
    try:
        yield
    finally:
        _path.ack = previous


def on_ack_path() -> bool:
    return bool(getattr(_path, "ack", False))


class _Unless(RetryHandler):
    """A retry handler that retries as `inner` would, except for a request `refuse` turns down: before an ack
    (a retry or a Retry-After sleep there costs the ack), or a call Slack may have carried out already."""

    def __init__(self, inner: RetryHandler, refuse: Callable[[HttpRequest], bool]) -> None:
        super().__init__(max_retry_count=inner.max_retry_count, interval_calculator=inner.interval_calculator)
        self.inner = inner
        self.refuse = refuse

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if self.refuse(request):
            return False
        return self.inner.can_retry(state=state, request=request, response=response, error=error)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        self.inner.prepare_for_next_attempt(state=state, request=request, response=response, error=error)


def _before_ack(request: HttpRequest) -> bool:
    return on_ack_path()


class MeteredWebClient(WebClient):
    """A WebClient that counts its calls and failures by method for /metrics (bot/metrics.py)."""

    def api_call(self, api_method: str, *args: Any, **kwargs: Any) -> Any:
        return metrics.slack_call(
            api_method, lambda: super(MeteredWebClient, self).api_call(api_method, *args, **kwargs)
        )


class AckAwareWebClient(MeteredWebClient):
    """A WebClient whose timeout is ACK_PATH_TIMEOUT_SECONDS on the ack path and its own everywhere else, so the
    per-request client Bolt hands to an ack listener and to its lazy listeners (a copy) behaves right in each."""

    @property
    def timeout(self) -> int:
        return min(self._patient_timeout, ACK_PATH_TIMEOUT_SECONDS) if on_ack_path() else self._patient_timeout

    @timeout.setter
    def timeout(self, value: int) -> None:
        self._patient_timeout = value


def ack_aware_copy(client: WebClient, team_id: str | None = None) -> AckAwareWebClient:
    handlers: list[RetryHandler] = [
        h if isinstance(h, _Unless) and h.refuse is _before_ack else _Unless(h, _before_ack)
        for h in client.retry_handlers or []
    ]
    return AckAwareWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=client.headers,
        team_id=team_id,
        logger=client.logger,
        retry_handlers=handlers,
    )


#: Calls that create something: after a 5xx or a dropped connection Slack may have done it, so repeating them
#: blindly could post twice. A 429 is safe to repeat (Slack documents that nothing was done).
NOT_REPEATABLE = frozenset(
    {"chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage", "chat.meMessage", "files.completeUploadExternal"}
)


def _not_repeatable(request: HttpRequest) -> bool:
    return request.url.rstrip("/").rsplit("/", 1)[-1] in NOT_REPEATABLE


def retry_handlers() -> list[RetryHandler]:
    return [
        _Unless(ConnectionErrorRetryHandler(max_retry_count=2), _not_repeatable),
        RateLimitErrorRetryHandler(max_retry_count=3),  # sleeps Retry-After (plus jitter)
        _Unless(ServerErrorRetryHandler(max_retry_count=2), _not_repeatable),
    ]


def make_web_client(settings: Settings, token: str | None = None, *, team_id: str | None = None) -> WebClient:
    return MeteredWebClient(
        token=token, base_url=settings.slack_api_url, retry_handlers=retry_handlers(), timeout=15, team_id=team_id
    )


class SlackClients:
    """The bot client of each workspace: the single bot token, or the OAuth installation's."""

    def __init__(self, settings: Settings, installation_store: InstallationStore | None = None) -> None:
        self._settings = settings
        self._store = installation_store
        self._single: WebClient | None = None
        self._factory: Callable[[str | None], WebClient] = lambda token: make_web_client(settings, token)

    @property
    def installation_store(self) -> InstallationStore | None:
        """The OAuth installations (None for the single-workspace install)."""
        return self._store

    def single(self) -> WebClient:
        """The client of the single-workspace install (no team id known yet)."""
        if self._store is not None:
            raise ConfigError("team_id is required: several workspaces may be installed (OAuth mode).")
        return self.for_team("")

    def for_team(self, team_id: str) -> WebClient:
        if self._store is not None:
            bot = self._store.find_bot(enterprise_id=None, team_id=team_id)
            if bot is None or not bot.bot_token:
                raise ConfigError(f"Field Notes is not installed in workspace {team_id}: install it at /slack/install.")
            return self._factory(bot.bot_token)
        if self._single is None:
            token = self._settings.secret("slack_bot_token")
            if not token:
                raise ConfigError("SLACK_BOT_TOKEN is not set: copy the bot token from your Slack app's OAuth page.")
            self._single = self._factory(token)
        return self._single


class SlackDirectory:
    """Who a user is, asked of Slack: the only door services have to user profiles."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def team_id(self) -> str:
        return str(self._client.auth_test()["team_id"])

    def user_by_email(self, email: str) -> UserProfile | None:
        try:
            user = self._client.users_lookupByEmail(email=email)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") == "users_not_found":
                return None
            raise
        return _profile(user)

    def user(self, user_id: str) -> UserProfile | None:
        try:
            user = self._client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") in ("user_not_found", "users_not_found"):
                return None
            raise
        return _profile(user)


def _profile(user: dict[str, Any]) -> UserProfile:
    profile = user.get("profile") or {}
    return UserProfile(
        user_id=user["id"],
        name=profile.get("display_name") or user.get("real_name") or user.get("name") or user["id"],
        email=profile.get("email"),
        tz=user.get("tz"),
        is_admin=bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")),
        is_bot=bool(user.get("is_bot")),
        is_guest=bool(user.get("is_restricted") or user.get("is_ultra_restricted")),
    )


class SlackChannels:
    """Can the bot post in a channel? Joins public channels it is not in yet."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def can_post(self, channel_id: str) -> ChannelCheck:
        try:
            info: dict[str, Any] = self._client.conversations_info(channel=channel_id)["channel"]
        except SlackApiError:
            return ChannelCheck(False, problem=say.invite_me(channel_id))
        name = str(info.get("name") or "")
        if info.get("is_archived"):
            return ChannelCheck(False, name, say.channel_archived(channel_id))
        if info.get("is_member") or info.get("is_im"):
            return ChannelCheck(True, name)
        if info.get("is_private"):
            return ChannelCheck(False, name, say.invite_me(channel_id))
        try:
            self._client.conversations_join(channel=channel_id)
        except SlackApiError:
            logger.info("could not join %s", channel_id, exc_info=True)
            return ChannelCheck(False, name, say.invite_me(channel_id))
        return ChannelCheck(True, name)
