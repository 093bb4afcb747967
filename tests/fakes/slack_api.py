"""`FakeSlack`: a local, stateful fake of Slack's Web API that records every call.

How a test uses it::

    with FakeSlack() as fake:
        fake.add_user("U0001", name="ana", email="ana@example.com")
        fake.add_channel("C0001", "deals", members=["U0001", fake.bot_user_id])
        client = WebClient(token="xoxb-test", base_url=fake.url)   # url ends with "/api/"
        client.chat_postMessage(channel="C0001", text="hi")
        assert fake.messages("C0001")[0]["text"] == "hi"
        assert fake.calls_to("chat.postMessage")[0].params["channel"] == "C0001"

`fake.response_url()` hands out `response_url`s served by the fake (what Bolt's `respond()` posts to);
read what was posted in `fake.responses`. `fake.fail_next(...)` makes the next calls of a method fail
(429 with Retry-After, 5xx, or `{"ok": false}`). Bolt runs listeners after the ack on another thread, so
wait for their calls with `fake.wait_for_calls("chat.postMessage")` instead of sleeping.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from tests.fakes._server import FakeSlackServer
from tests.fakes._state import Call, FakeChannel, FakeFile, SlackApiError, SlackState

__all__ = ["DEFAULT_SCOPES", "Call", "FakeFile", "FakeSlack", "SlackApiError"]

DEFAULT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "channels:join",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:read",
    "im:write",
    "team:read",
    "users:read",
    "users:read.email",
)


class FakeSlack(FakeSlackServer):
    """A fake Slack workspace served at `url` on 127.0.0.1. Start it with `with FakeSlack() as fake:`."""

    def __init__(
        self,
        *,
        team_id: str = "T0001",
        team_name: str = "Field Notes Test",
        team_domain: str = "fieldnotes-test",
        bot_user_id: str = "UBOT",
        bot_id: str = "B0001",
        app_id: str = "A0001",
        bot_name: str = "fieldnotes",
        scopes: Iterable[str] = DEFAULT_SCOPES,
        valid_tokens: Iterable[str] | None = None,
    ) -> None:
        """With `valid_tokens`, other tokens get `invalid_auth` (oauth.v2.access adds those it issues)."""
        super().__init__(
            SlackState(
                team_id=team_id,
                team_name=team_name,
                team_domain=team_domain,
                bot_user_id=bot_user_id,
                bot_id=bot_id,
                app_id=app_id,
                bot_name=bot_name,
                scopes=list(scopes),
                valid_tokens=set(valid_tokens) if valid_tokens is not None else None,
            )
        )
        self.state.add_user(
            bot_user_id,
            name=bot_name,
            real_name=bot_name,
            email=None,
            tz="America/New_York",
            is_admin=False,
            is_owner=False,
            is_bot=True,
            team_id=team_id,
        )

    # ---- workspace identity --------------------------------------------------------------------------
    @property
    def bot_user_id(self) -> str:
        return self.state.bot_user_id

    @property
    def bot_id(self) -> str:
        return self.state.bot_id

    @property
    def team_id(self) -> str:
        return self.state.team_id

    @property
    def scopes(self) -> list[str]:
        """Scopes reported in the `x-oauth-scopes` header and by oauth.v2.access. Assignable."""
        return list(self.state.scopes)

    @scopes.setter
    def scopes(self, value: Iterable[str]) -> None:
        with self.lock:
            self.state.scopes = list(value)

    # ---- seeding -------------------------------------------------------------------------------------
    def add_user(
        self,
        id: str,
        *,
        name: str,
        real_name: str | None = None,
        email: str | None = None,
        tz: str = "America/New_York",
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        team_id: str = "T0001",
        **extra: Any,
    ) -> dict[str, Any]:
        """Add a user; `extra` keys override fields of the users.info object (e.g. `tz_offset=3600`)."""
        with self.lock:
            return copy.deepcopy(
                self.state.add_user(
                    id,
                    name=name,
                    real_name=real_name,
                    email=email,
                    tz=tz,
                    is_admin=is_admin,
                    is_owner=is_owner,
                    is_bot=is_bot,
                    team_id=team_id,
                    **extra,
                )
            )

    def add_channel(
        self,
        id: str,
        name: str,
        *,
        members: Iterable[str] = (),
        is_private: bool = False,
        is_archived: bool = False,
        topic: str = "",
        purpose: str = "",
        **extra: Any,
    ) -> dict[str, Any]:
        """Add a channel. The bot is a member only if `fake.bot_user_id` is in `members`."""
        with self.lock:
            channel = self.state.add_channel(
                FakeChannel(
                    id=id,
                    name=name,
                    members=list(members),
                    is_private=is_private,
                    is_archived=is_archived,
                    topic=topic,
                    purpose=purpose,
                    extra=extra,
                )
            )
            return self.state.channel_object(channel)

    def add_message(
        self,
        channel: str,
        text: str = "",
        *,
        user: str,
        ts: str | None = None,
        thread_ts: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Seed a message written by `user` (for conversations.history / replies); returns it with its ts."""
        with self.lock:
            target = self.state.channel_by_ref(channel)
            message: dict[str, Any] = {
                "type": "message",
                "user": user,
                "text": text,
                "ts": ts or self.state.next_ts(),
                "team": self.state.team_id,
                **extra,
            }
            for key, value in (("thread_ts", thread_ts), ("blocks", blocks), ("metadata", metadata)):
                if value is not None:
                    message[key] = value
            return copy.deepcopy(self.state.append_message(target, message))

    def expire_trigger(self, trigger_id: str) -> None:
        """views.open/push with this trigger_id will answer `expired_trigger_id`."""
        with self.lock:
            self.state.expired_triggers.add(trigger_id)

    # ---- reading state -------------------------------------------------------------------------------
    def messages(self, channel: str) -> list[dict[str, Any]]:
        """All messages in a channel, oldest first, thread replies included. A user id means their DM."""
        with self.lock:
            return copy.deepcopy(self.state.channel_by_ref(channel).messages)

    def thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """The parent message and its replies, oldest first."""
        return [m for m in self.messages(channel) if thread_ts in (m["ts"], m.get("thread_ts"))]

    def dm_channel_id(self, user_id: str) -> str:
        """The D... id of the bot's DM with `user_id` (the same one conversations.open returns)."""
        with self.lock:
            return self.state.open_dm(user_id).id

    def channel(self, channel: str) -> dict[str, Any]:
        """The conversations.info object plus `members` (to check conversations.join, for example)."""
        with self.lock:
            found = self.state.channel_by_ref(channel)
            return {**self.state.channel_object(found), "members": list(found.members)}

    @property
    def ephemerals(self) -> list[dict[str, Any]]:
        """chat.postEphemeral messages: dicts with channel, user, text, blocks, thread_ts, message_ts."""
        with self.lock:
            return copy.deepcopy(self.state.ephemerals)

    @property
    def views(self) -> dict[str, dict[str, Any]]:
        """Every view (modals and Home tabs) by id, as last opened/updated."""
        with self.lock:
            return copy.deepcopy(self.state.views)

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The App Home view last published for `user_id`, or None."""
        with self.lock:
            view = self.state.home_views.get(user_id)
            return copy.deepcopy(view) if view is not None else None

    @property
    def files(self) -> dict[str, FakeFile]:
        """Uploaded files by id; `FakeFile.content` has the bytes, `.text` the decoded text."""
        with self.lock:
            return copy.deepcopy(self.state.files)

    def file_named(self, name: str) -> FakeFile:
        """The last uploaded file called `name`."""
        matches = [f for f in self.files.values() if f.name == name]
        if not matches:
            raise KeyError(f"no file named {name!r} was uploaded; uploaded: {[f.name for f in self.files.values()]}")
        return matches[-1]

    # ---- response_url --------------------------------------------------------------------------------
    def response_url(self, name: str | None = None) -> str:
        """A response_url served by the fake; put it in a command or action payload."""
        with self.lock:
            url_id = name or self.state.next_id("R")
            self.state.response_url_uses.setdefault(url_id, 0)
            return f"{self.root_url}/response/{url_id}"

    @property
    def responses(self) -> list[tuple[str, dict[str, Any]]]:
        """Bodies posted to response_urls, as (url id, JSON body) in arrival order."""
        with self.lock:
            return copy.deepcopy(self.state.responses)

    def wait_for_responses(self, count: int = 1, timeout: float = 30.0) -> list[tuple[str, dict[str, Any]]]:
        """Block until `count` bodies were posted to response_urls; return them."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.state.responses) >= count, timeout):
                raise AssertionError(
                    f"expected {count} response_url post(s) within {timeout}s; "
                    f"got {len(self.state.responses)}; API calls seen: "
                    f"{[c.method for c in self._calls]}"
                )
            return copy.deepcopy(self.state.responses)
