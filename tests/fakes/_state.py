"""The fake workspace's data: users, channels, messages, views, files.

Everything here is plain data plus the lookups Slack's own answers depend on (who is in which channel,
which DM belongs to whom). `FakeSlack` owns one `SlackState` and guards it with a lock; the method
handlers in `_web_methods` read and change it. Ids and timestamps come from counters so that two runs
of the same test produce the same ids, which keeps snapshots stable.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["Call", "FakeChannel", "FakeFile", "SlackApiError", "SlackState"]

# Message ts values start here so they look like real epoch seconds and sort like them.
_TS_BASE = 1_700_000_000

# Slack labels zones by their long names; zoneinfo knows only the abbreviations.
_TZ_LABELS = {
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "UTC": "Coordinated Universal Time",
}


class SlackApiError(Exception):
    """Raised by a method handler to answer `{"ok": false, "error": code}` (HTTP 200, as Slack does)."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra


@dataclass(frozen=True)
class Call:
    """One request the fake received. `params` has JSON fields (blocks, view, ...) already decoded.

    `failed` is True when `FakeSlack.fail_next` made this call fail; `status` and `response` are what
    the fake answered.
    """

    method: str
    params: dict[str, Any]
    token: str | None
    at: float
    failed: bool = False
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass
class FakeChannel:
    id: str
    name: str
    members: list[str] = field(default_factory=list)
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    im_user: str | None = None
    is_archived: bool = False
    created: int = _TS_BASE
    topic: str = ""
    purpose: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class FakeFile:
    """A file uploaded with `files_upload_v2`; `content` holds the bytes the app sent."""

    id: str
    name: str
    title: str | None = None
    content: bytes | None = None
    length: int | None = None
    alt_text: str | None = None
    snippet_type: str | None = None
    channel_id: str | None = None
    thread_ts: str | None = None
    initial_comment: str | None = None
    completed: bool = False

    @property
    def text(self) -> str:
        """The content decoded as UTF-8 (handy for CSV uploads)."""
        return (self.content or b"").decode("utf-8")


@dataclass
class SlackState:
    team_id: str
    team_name: str
    team_domain: str
    bot_user_id: str
    bot_id: str
    app_id: str
    bot_name: str
    scopes: list[str]
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, FakeChannel] = field(default_factory=dict)
    dm_by_user: dict[str, str] = field(default_factory=dict)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    home_views: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, FakeFile] = field(default_factory=dict)
    responses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    response_url_uses: dict[str, int] = field(default_factory=dict)
    used_triggers: set[str] = field(default_factory=set)
    expired_triggers: set[str] = field(default_factory=set)
    used_oauth_codes: set[str] = field(default_factory=set)
    single_use_triggers: bool = True
    oauth_installer: str = "U0001"
    valid_tokens: set[str] | None = None
    _counters: dict[str, itertools.count[int]] = field(default_factory=dict)
    _last_ts_micros: int = 0

    # ---- ids -----------------------------------------------------------------------------------------
    def next_number(self, kind: str) -> int:
        counter = self._counters.setdefault(kind, itertools.count(1))
        return next(counter)

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{self.next_number(prefix):04d}"

    def next_ts(self) -> str:
        """Message timestamps as Slack makes them: the clock's seconds and microseconds, strictly increasing
        (so `oldest`/`latest` bounds computed from the app's clock select what they would on Slack)."""
        micros = max(int(time.time() * 1_000_000), self._last_ts_micros + 1)
        self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def next_hash(self) -> str:
        n = self.next_number("hash")
        return f"{_TS_BASE + n}.H{n:07d}"

    # ---- users ---------------------------------------------------------------------------------------
    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        real_name: str | None,
        email: str | None,
        tz: str,
        is_admin: bool,
        is_owner: bool,
        is_bot: bool,
        team_id: str,
        **extra: Any,
    ) -> dict[str, Any]:
        real = real_name if real_name is not None else name
        user: dict[str, Any] = {
            "id": user_id,
            "team_id": team_id,
            "name": name,
            "deleted": False,
            "color": "9f69e7",
            "real_name": real,
            "tz": tz,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": _TS_BASE,
            "profile": {
                "real_name": real,
                "real_name_normalized": real,
                "display_name": name,
                "display_name_normalized": name,
                "first_name": real.split(" ")[0],
                "last_name": " ".join(real.split(" ")[1:]),
                "title": "",
                "image_72": f"https://avatars.example.invalid/{user_id}_72.png",
                "team": team_id,
            },
        }
        if email is not None:
            user["profile"]["email"] = email
        if is_bot:
            user["profile"]["bot_id"] = self.bot_id if user_id == self.bot_user_id else f"B{user_id}"
        user.update(extra)
        self.users[user_id] = user
        return user

    def user_object(self, user_id: str) -> dict[str, Any]:
        """The user as users.info answers, with tz_offset and tz_label computed for now."""
        user = self.users.get(user_id)
        if user is None:
            raise SlackApiError("user_not_found")
        now = datetime.now(ZoneInfo(user["tz"]))
        offset = now.utcoffset()
        abbreviation = now.tzname() or ""
        answer = dict(user)
        answer.setdefault("tz_offset", int(offset.total_seconds()) if offset else 0)
        answer.setdefault("tz_label", _TZ_LABELS.get(abbreviation, abbreviation))
        return answer

    # ---- channels ------------------------------------------------------------------------------------
    def add_channel(self, channel: FakeChannel) -> FakeChannel:
        self.channels[channel.id] = channel
        return channel

    def channel_by_ref(self, ref: str | None) -> FakeChannel:
        """Find a channel by id, `#name` or name; a user id means that user's DM (opened if needed)."""
        if not ref:
            raise SlackApiError("channel_not_found")
        if ref in self.channels:
            return self.channels[ref]
        if ref[0] in "UW" and ref in self.users:
            return self.open_dm(ref)
        name = ref.removeprefix("#")
        for channel in self.channels.values():
            if channel.name == name and not channel.is_im:
                return channel
        raise SlackApiError("channel_not_found")

    def visible_channel(self, ref: str | None) -> FakeChannel:
        """Like `channel_by_ref`, but private channels the bot is not in do not exist (as in Slack)."""
        channel = self.channel_by_ref(ref)
        if channel.is_private and self.bot_user_id not in channel.members:
            raise SlackApiError("channel_not_found")
        return channel

    def check_can_post(self, channel: FakeChannel) -> None:
        if channel.is_archived:
            raise SlackApiError("is_archived")
        if channel.is_im or channel.is_mpim or self.bot_user_id in channel.members:
            return
        if not channel.is_private and "chat:write.public" in self.scopes:
            return
        raise SlackApiError("not_in_channel")

    def open_dm(self, user_id: str) -> FakeChannel:
        if user_id not in self.users:
            raise SlackApiError("user_not_found")
        dm_id = self.dm_by_user.get(user_id)
        if dm_id is None:
            dm_id = self.next_id("D")
            self.dm_by_user[user_id] = dm_id
            self.channels[dm_id] = FakeChannel(
                id=dm_id,
                name=dm_id,
                members=[user_id, self.bot_user_id],
                is_private=True,
                is_im=True,
                im_user=user_id,
            )
        return self.channels[dm_id]

    def channel_object(self, channel: FakeChannel) -> dict[str, Any]:
        if channel.is_im:
            return {
                "id": channel.id,
                "created": channel.created,
                "is_im": True,
                "is_org_shared": False,
                "user": channel.im_user,
                "is_user_deleted": False,
                "priority": 0,
            }
        answer: dict[str, Any] = {
            "id": channel.id,
            "name": channel.name,
            "name_normalized": channel.name,
            "is_channel": not channel.is_private and not channel.is_mpim,
            "is_group": channel.is_private and not channel.is_mpim,
            "is_im": False,
            "is_mpim": channel.is_mpim,
            "is_private": channel.is_private,
            "is_archived": channel.is_archived,
            "is_general": channel.name == "general",
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "is_member": self.bot_user_id in channel.members,
            "created": channel.created,
            "creator": channel.members[0] if channel.members else "",
            "context_team_id": self.team_id,
            "topic": {"value": channel.topic, "creator": "", "last_set": 0},
            "purpose": {"value": channel.purpose, "creator": "", "last_set": 0},
        }
        answer.update(channel.extra)
        return answer

    # ---- messages ------------------------------------------------------------------------------------
    def find_message(self, channel: FakeChannel, ts: str | None) -> dict[str, Any]:
        for message in channel.messages:
            if message["ts"] == ts:
                return message
        raise SlackApiError("message_not_found")

    def append_message(self, channel: FakeChannel, message: dict[str, Any]) -> dict[str, Any]:
        thread_ts = message.get("thread_ts")
        parent = next((m for m in channel.messages if m["ts"] == thread_ts), None)
        if parent is not None and thread_ts != message["ts"]:
            parent["thread_ts"] = thread_ts
            parent["reply_count"] = parent.get("reply_count", 0) + 1
            parent["latest_reply"] = message["ts"]
        channel.messages.append(message)
        return message

    def permalink(self, channel_id: str, ts: str) -> str:
        return f"https://{self.team_domain}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"
