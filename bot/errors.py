"""The project's exceptions. Each carries a message for the person who caused it, saying what to do next.

Listeners do not catch these: the app's one error path (bot/listeners/errors.py) turns them into an ephemeral
reply, or into errors on the modal's fields (`field_errors`, by block id) for a view submission.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["ConfigError", "FieldNotesError", "NotFound", "PermissionDenied", "UsageError"]


class FieldNotesError(Exception):
    """Base class: `message` is shown to the user as is, so it must be short and say what to do."""

    def __init__(self, message: str = "", *, field_errors: Mapping[str, str] | None = None) -> None:
        self.field_errors: dict[str, str] = dict(field_errors or {})
        self.message = message or "\n".join(self.field_errors.values())
        super().__init__(self.message)


class ConfigError(FieldNotesError):
    """A setting is missing or malformed."""


class UsageError(FieldNotesError):
    """A command or form was filled in wrong; the message carries the usage line or the field's problem."""


class PermissionDenied(FieldNotesError):
    """The user may not do this; the message says who can."""


class NotFound(FieldNotesError):
    """Something the user named does not exist."""
