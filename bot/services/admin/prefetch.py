"""What a `/fieldnotes` command needs from Slack, read before its transaction opens.

Slack is slow and rate-limited, and SQLite has one write lock for the whole file: a command asks Slack first
(`gather`, in a short read session and then the Slack calls), and only then runs its database part with the
answers (`SlackFacts`). A command names what it needs through `Command.slack_needs()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.services.admin import model as m
from bot.services.admin.permissions import is_admin, is_workspace_admin
from bot.services.directory import Directory, UserProfile
from storage.repositories import people

__all__ = ["ChannelCheck", "Channels", "SlackFacts", "gather"]


@dataclass(frozen=True)
class ChannelCheck:
    ok: bool
    name: str = ""
    problem: str = ""  # what to do when not ok


class Channels(Protocol):
    def can_post(self, channel_id: str) -> ChannelCheck: ...


@dataclass(frozen=True)
class SlackFacts:
    """Slack's answers for one command: profiles by user id (None: not in the workspace) and channel checks."""

    profiles: Mapping[str, UserProfile | None] = field(default_factory=dict)
    channels: Mapping[str, ChannelCheck] = field(default_factory=dict)

    def user(self, user_id: str) -> UserProfile | None:
        """The profile read beforehand; None for a user Slack was not asked about (or does not know)."""
        return self.profiles.get(user_id)


def gather(
    factory: sessionmaker[Session],
    team_id: str,
    user_id: str,
    command: m.Command,
    directory: Directory,
    channels: Channels,
) -> SlackFacts:
    """Ask Slack what `command` needs, outside any transaction. Someone who is not allowed to run it gets
    nothing more than their own profile: no channel is joined on their behalf."""
    needs = command.slack_needs()
    with factory() as session:
        stored_admin = is_admin(session, team_id, user_id, None)
        person = people.get_by_slack_id(session, team_id, user_id)
        stored_tz = person.tz if person is not None else None
        known = person is not None
    admin_only = not isinstance(command, m.OPEN_COMMANDS)
    profiles: dict[str, UserProfile | None] = {}
    if (admin_only and not stored_admin) or needs.actor or (needs.actor_tz and known and stored_tz is None):
        profiles[user_id] = directory.user(user_id)
    if admin_only and not stored_admin and not is_workspace_admin(SlackFacts(profiles), user_id):
        return SlackFacts(profiles)  # refused in the transaction, which names the admins
    for uid in needs.users:
        profile = directory.user(uid)
        profiles[uid] = profile
        if profile is None or profile.is_bot:
            break  # the command stops at this one: nobody after it is looked at
    checks = {channel: channels.can_post(channel) for channel in needs.channels}
    return SlackFacts(profiles, checks)
