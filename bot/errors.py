"""The project's exceptions. Each message says what happened and what to do about it."""

from __future__ import annotations

__all__ = ["ConfigError", "FieldNotesError", "NotFound", "PermissionDenied", "UsageError"]


class FieldNotesError(Exception):
    """Base class: the message is shown to the user as is, so it must be short and actionable."""


class ConfigError(FieldNotesError):
    """A setting is missing or malformed."""


class UsageError(FieldNotesError):
    """A command was typed wrong; the message carries the usage line."""


class PermissionDenied(FieldNotesError):
    """The user may not do this; the message says who can."""


class NotFound(FieldNotesError):
    """Something the user named does not exist."""
