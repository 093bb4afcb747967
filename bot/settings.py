"""Configuration, read once from the environment and an optional `.env` file (docs/operations.md lists them).

Nothing else in the project reads `os.environ`: call `get_settings()`.
"""

from __future__ import annotations

import functools
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError
from storage.db import normalise_url

__all__ = ["Settings", "get_settings", "load_settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite:///fieldnotes.db"
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    fieldnotes_webhook_secret: SecretStr | None = None
    fieldnotes_encryption_key: SecretStr | None = None
    fieldnotes_admins: str = ""
    fieldnotes_scheduler: Literal["on", "off"] = "on"
    fieldnotes_log_format: Literal["text", "json"] = "text"
    fieldnotes_max_body_bytes: int = Field(default=1_048_576, ge=1024)
    fieldnotes_purge_after_days: int = Field(default=30, ge=0, le=3650)
    port: int = Field(default=3000, ge=1, le=65535)
    # How often the embedded clock ticks, and how long a claim on a job lasts unless renewed (it is renewed every
    # third of it while the job runs): a process that dies mid-job leaves it to another after this long.
    fieldnotes_tick_seconds: int = Field(default=30, ge=1, le=3600)
    fieldnotes_job_lease_seconds: int = Field(default=60, ge=3, le=3600)

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # WebClient joins with urljoin: without the slash the last segment is silently dropped.
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError("must be a SQLAlchemy URL such as sqlite:///fieldnotes.db")
        return normalise_url(value)

    @field_validator("fieldnotes_encryption_key")
    @classmethod
    def _fernet_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value():
            from cryptography.fernet import Fernet

            try:
                Fernet(value.get_secret_value().encode())
            except ValueError:
                raise ValueError(
                    'must be a Fernet key (32 url-safe base64-encoded bytes): make one with `python -c "from '
                    'cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`'
                ) from None
        return value

    @field_validator("fieldnotes_admins")
    @classmethod
    def _admins(cls, value: str) -> str:
        for item in filter(None, (part.strip() for part in value.split(","))):
            if not item.startswith(("U", "W")):
                raise ValueError(f"{item!r} is not a Slack user ID (they look like U0123ABCD)")
        return value

    @property
    def admin_ids(self) -> tuple[str, ...]:
        """FIELDNOTES_ADMINS, in the single-workspace install only: a user id means nothing across OAuth workspaces
        (and one listed id must not make its holder admin of every workspace that installs the app)."""
        if self.oauth_enabled:
            return ()
        return tuple(filter(None, (part.strip() for part in self.fieldnotes_admins.split(","))))

    @property
    def oauth_enabled(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def scheduler_enabled(self) -> bool:
        return self.fieldnotes_scheduler == "on"

    def secret(self, name: str) -> str | None:
        value = getattr(self, name)
        return value.get_secret_value() if value is not None else None


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into one line that names the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise ConfigError(f"{name} is invalid: {first['msg']}. Fix it in the environment or in .env.") from None


@functools.cache
def get_settings() -> Settings:
    return load_settings()
