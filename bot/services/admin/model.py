"""The typed commands `/fieldnotes` understands. `render()` gives the text that parses back to the command."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.admin.values import WEEKDAYS, format_days

__all__ = [
    "OPEN_COMMANDS",
    "Command",
    "CompetitorsAdd",
    "CompetitorsList",
    "CompetitorsRemove",
    "DigestPreview",
    "DigestsAdd",
    "DigestsList",
    "DigestsRemove",
    "Export",
    "GlossaryShow",
    "Help",
    "LabelsAdd",
    "LabelsDescribe",
    "LabelsList",
    "LabelsRemove",
    "Me",
    "PeopleAdd",
    "PeopleList",
    "PeopleRemove",
    "PromptsCheckin",
    "PromptsDelay",
    "PromptsNudge",
    "PromptsShow",
    "QuestionsAdd",
    "QuestionsList",
    "QuestionsMove",
    "QuestionsRemove",
    "ReviewOpen",
    "RideAlongList",
    "SettingsQuotes",
    "SettingsReplies",
    "SettingsRetention",
    "SettingsShow",
    "Setup",
    "SlackNeeds",
    "WebhookRotate",
    "WebhookShow",
]


def _q(text: str) -> str:
    return f'"{text}"'


def _list(items: tuple[str, ...]) -> str:
    return _q(", ".join(items))


def _hhmm(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


@dataclass(frozen=True)
class SlackNeeds:
    """What a command must learn from Slack before its transaction (see prefetch.gather)."""

    actor: bool = False  # the profile of whoever runs it
    actor_tz: bool = False  # their time zone, when none is stored
    users: tuple[str, ...] = ()  # profiles of the people it names
    channels: tuple[str, ...] = ()  # may the bot post there (joining a public channel if need be)


class Command:
    def render(self) -> str:
        raise NotImplementedError

    def slack_needs(self) -> SlackNeeds:
        return SlackNeeds()


@dataclass(frozen=True)
class Help(Command):
    def render(self) -> str:
        return "help"


@dataclass(frozen=True)
class Me(Command):
    def render(self) -> str:
        return "me"

    def slack_needs(self) -> SlackNeeds:
        return SlackNeeds(actor_tz=True)


@dataclass(frozen=True)
class DigestPreview(Command):
    def render(self) -> str:
        return "digest preview"

    def slack_needs(self) -> SlackNeeds:
        return SlackNeeds(actor=True)  # guests may not see it


@dataclass(frozen=True)
class QuestionsList(Command):
    def render(self) -> str:
        return "questions list"


@dataclass(frozen=True)
class QuestionsAdd(Command):
    label: str
    type: str = "text"  # text | long | select | multiselect
    options: tuple[str, ...] = ()
    optional: bool = False

    def render(self) -> str:
        parts = ["questions add", _q(self.label), self.type]
        if self.options:
            parts += ["options", _list(self.options)]
        if self.optional:
            parts.append("optional")
        return " ".join(parts)


@dataclass(frozen=True)
class QuestionsRemove(Command):
    position: int

    def render(self) -> str:
        return f"questions remove {self.position}"


@dataclass(frozen=True)
class QuestionsMove(Command):
    position: int
    to: int

    def render(self) -> str:
        return f"questions move {self.position} {self.to}"


@dataclass(frozen=True)
class PromptsShow(Command):
    def render(self) -> str:
        return "prompts show"


@dataclass(frozen=True)
class PromptsDelay(Command):
    minutes: int

    def render(self) -> str:
        return f"prompts delay {self.minutes}"


@dataclass(frozen=True)
class PromptsNudge(Command):
    hours: int | None  # None: no nudge

    def render(self) -> str:
        return f"prompts nudge {'off' if self.hours is None else self.hours}"


@dataclass(frozen=True)
class PromptsCheckin(Command):
    days: tuple[int, ...] = ()  # empty: check-ins off
    hour: int = 17
    minute: int = 0

    def render(self) -> str:
        if not self.days:
            return "prompts checkin off"
        return f"prompts checkin {format_days(self.days)} {_hhmm(self.hour, self.minute)}"


@dataclass(frozen=True)
class DigestsList(Command):
    def render(self) -> str:
        return "digests list"


@dataclass(frozen=True)
class DigestsAdd(Command):
    channel_id: str
    channel_name: str = ""
    weekday: int | None = None  # None: Monday
    hour: int | None = None  # None: 09:00
    minute: int = 0
    tz: str | None = None  # None: the admin's own Slack time zone

    def render(self) -> str:
        ref = f"<#{self.channel_id}|{self.channel_name}>" if self.channel_name else f"<#{self.channel_id}>"
        parts = ["digests add", ref]
        if self.weekday is not None:
            parts.append(WEEKDAYS[self.weekday])
        if self.hour is not None:
            parts.append(_hhmm(self.hour, self.minute))
        if self.tz is not None:
            parts.append(self.tz)
        return " ".join(parts)

    def slack_needs(self) -> SlackNeeds:
        return SlackNeeds(actor=self.tz is None, channels=(self.channel_id,))


@dataclass(frozen=True)
class DigestsRemove(Command):
    schedule_id: int

    def render(self) -> str:
        return f"digests remove {self.schedule_id}"


# kind: "theme" or "objection"; the command group is the plural.
@dataclass(frozen=True)
class LabelsList(Command):
    kind: str

    def render(self) -> str:
        return f"{self.kind}s list"


@dataclass(frozen=True)
class LabelsAdd(Command):
    kind: str
    name: str
    phrases: tuple[str, ...] = ()

    def render(self) -> str:
        text = f"{self.kind}s add {_q(self.name)}"
        return f"{text} phrases {_list(self.phrases)}" if self.phrases else text


@dataclass(frozen=True)
class LabelsRemove(Command):
    kind: str
    name: str

    def render(self) -> str:
        return f"{self.kind}s remove {_q(self.name)}"


@dataclass(frozen=True)
class CompetitorsList(Command):
    def render(self) -> str:
        return "competitors list"


@dataclass(frozen=True)
class CompetitorsAdd(Command):
    name: str
    aliases: tuple[str, ...] = ()

    def render(self) -> str:
        text = f"competitors add {_q(self.name)}"
        return f"{text} aliases {_list(self.aliases)}" if self.aliases else text


@dataclass(frozen=True)
class CompetitorsRemove(Command):
    name: str

    def render(self) -> str:
        return f"competitors remove {_q(self.name)}"


# role: "rep", "admin" or "marketer"; the command group is the plural.
@dataclass(frozen=True)
class PeopleList(Command):
    role: str

    def render(self) -> str:
        return f"{self.role}s list"


@dataclass(frozen=True)
class PeopleAdd(Command):
    role: str
    user_ids: tuple[str, ...]

    def render(self) -> str:
        return f"{self.role}s add " + " ".join(f"<@{u}>" for u in self.user_ids)

    def slack_needs(self) -> SlackNeeds:
        return SlackNeeds(users=self.user_ids)


@dataclass(frozen=True)
class PeopleRemove(Command):
    role: str
    user_ids: tuple[str, ...]

    def render(self) -> str:
        return f"{self.role}s remove " + " ".join(f"<@{u}>" for u in self.user_ids)


@dataclass(frozen=True)
class SettingsShow(Command):
    def render(self) -> str:
        return "settings"


@dataclass(frozen=True)
class SettingsQuotes(Command):
    mode: str  # anonymous | attributed

    def render(self) -> str:
        return f"settings quotes {self.mode}"


@dataclass(frozen=True)
class SettingsRetention(Command):
    days: int | None  # None: keep notes forever

    def render(self) -> str:
        return f"settings retention {'off' if self.days is None else self.days}"


@dataclass(frozen=True)
class SettingsReplies(Command):
    channel_members: bool  # digest channel members may reply too, not only marketers and admins

    def render(self) -> str:
        return f"settings replies {'channel' if self.channel_members else 'marketers'}"


@dataclass(frozen=True)
class Export(Command):
    days: int | None = 30  # None: everything

    def render(self) -> str:
        return f"export {'all' if self.days is None else f'{self.days}d'}"


@dataclass(frozen=True)
class Setup(Command):
    """The Get started checklist."""

    def render(self) -> str:
        return "setup"


# Anyone may run these; everything else needs a Field Notes admin.
@dataclass(frozen=True)
class WebhookShow(Command):
    def render(self) -> str:
        return "webhook"


@dataclass(frozen=True)
class WebhookRotate(Command):
    def render(self) -> str:
        return "webhook rotate"


@dataclass(frozen=True)
class GlossaryShow(Command):
    term: str | None = None

    def render(self) -> str:
        return f"glossary {_q(self.term)}" if self.term else "glossary"


@dataclass(frozen=True)
class LabelsDescribe(Command):
    kind: str
    name: str
    definition: str

    def render(self) -> str:
        return f"{self.kind}s describe {_q(self.name)} {_q(self.definition)}"


@dataclass(frozen=True)
class RideAlongList(Command):
    """Marketers and admins (checked by its service, not as an admin command): upcoming calls to join."""

    filter: str = ""

    def render(self) -> str:
        return f"ridealong {self.filter}".strip()

    def slack_needs(self) -> SlackNeeds:
        return SlackNeeds(actor_tz=True)  # call times in the marketer's own timezone


@dataclass(frozen=True)
class ReviewOpen(Command):
    """Marketers and admins (checked by its service): the form to ask reps to review a draft."""

    def render(self) -> str:
        return "review"


OPEN_COMMANDS: tuple[type[Command], ...] = (Help, Me, DigestPreview, GlossaryShow, RideAlongList, ReviewOpen)
