"""Settings: defaults, normalisation, and one clear line for each bad value."""

from __future__ import annotations

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings


def test_defaults() -> None:
    settings = load_settings(_env_file=None)
    assert settings.database_url == "sqlite:///fieldnotes.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.port == 3000
    assert settings.scheduler_enabled
    assert not settings.oauth_enabled
    assert settings.admin_ids == ()


def test_normalises_what_would_otherwise_fail_quietly() -> None:
    settings = load_settings(
        _env_file=None,
        slack_api_url="http://127.0.0.1:9/api",
        database_url="postgresql://u@h/db",
        fieldnotes_admins=" U1, W2 ,",
    )
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"  # urljoin would drop "api" without the slash
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.admin_ids == ("U1", "W2")


def test_secrets_are_not_shown() -> None:
    settings = load_settings(_env_file=None, slack_bot_token="xoxb-secret")
    assert "xoxb-secret" not in repr(settings)
    assert settings.secret("slack_bot_token") == "xoxb-secret"


@pytest.mark.parametrize(
    ("field", "value", "name"),
    [
        ("port", "eighty", "PORT"),
        ("port", 70000, "PORT"),
        ("fieldnotes_scheduler", "maybe", "FIELDNOTES_SCHEDULER"),
        ("slack_api_url", "slack.com/api", "SLACK_API_URL"),
        ("database_url", "fieldnotes.db", "DATABASE_URL"),
        ("fieldnotes_admins", "ana", "FIELDNOTES_ADMINS"),
        ("fieldnotes_encryption_key", "not-a-key", "FIELDNOTES_ENCRYPTION_KEY"),
        ("fieldnotes_max_body_bytes", "12", "FIELDNOTES_MAX_BODY_BYTES"),
    ],
)
def test_bad_values_name_the_variable(field: str, value: object, name: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(_env_file=None, **{field: value})
    message = str(info.value)
    assert message.startswith(f"{name} is invalid")
    assert "\n" not in message


def test_env_and_dotenv_are_read(tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"  # type: ignore[operator]
    env_file.write_text("PORT=4001\nFIELDNOTES_SCHEDULER=off\n")
    monkeypatch.setenv("PORT", "4002")
    settings = load_settings(_env_file=str(env_file))
    assert settings.port == 4002  # the environment wins over .env
    assert settings.fieldnotes_scheduler == "off"
