"""Secrets at rest: bot tokens and webhook secrets are sealed with Fernet when FIELDNOTES_ENCRYPTION_KEY
is set. A sealed value carries a prefix, so values stored before the key was set still read (and are sealed the
next time they are written); a sealed value without the key is an error that says what to do."""

from __future__ import annotations

import functools

from cryptography.fernet import Fernet, InvalidToken

from bot.errors import ConfigError

__all__ = ["SEALED_PREFIX", "Sealer", "new_key", "sealer_for"]

SEALED_PREFIX = "fernet:"


def new_key() -> str:
    """A fresh key for FIELDNOTES_ENCRYPTION_KEY."""
    return Fernet.generate_key().decode()


class Sealer:
    """Seals and opens secret strings with one key, or passes them through when there is none."""

    def __init__(self, key: str | None) -> None:
        self._fernet: Fernet | None = None
        if key:
            try:
                self._fernet = Fernet(key.encode())
            except ValueError:
                raise ConfigError(
                    "FIELDNOTES_ENCRYPTION_KEY is invalid: it must be 32 url-safe base64-encoded bytes; make one with "
                    '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.'
                ) from None

    @property
    def enabled(self) -> bool:
        return self._fernet is not None

    def seal(self, value: str) -> str:
        if self._fernet is None:
            return value
        return SEALED_PREFIX + self._fernet.encrypt(value.encode()).decode()

    def open(self, stored: str) -> str:
        if not stored.startswith(SEALED_PREFIX):
            return stored  # stored before a key was set
        if self._fernet is None:
            raise ConfigError(
                "A stored secret is encrypted but FIELDNOTES_ENCRYPTION_KEY is not set: set it to the key it was "
                "encrypted with."
            )
        try:
            return self._fernet.decrypt(stored[len(SEALED_PREFIX) :].encode()).decode()
        except InvalidToken:
            raise ConfigError(
                "A stored secret cannot be decrypted with FIELDNOTES_ENCRYPTION_KEY: set the key it was encrypted with."
            ) from None


@functools.cache
def sealer_for(key: str | None) -> Sealer:
    """One Sealer per key (settings are read once; this keeps callers from building Fernet objects per call)."""
    return Sealer(key)
