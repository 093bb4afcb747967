"""`fieldnotes doctor`: settings, database revision, Slack auth and scopes; what is wrong and how to fix it."""

from __future__ import annotations

import click

from bot.errors import ConfigError
from bot.settings import Settings


@click.command()
def doctor() -> None:
    """Check the setup and say what to fix."""
    problems = 0

    def report(ok: bool, what: str, fix: str = "") -> None:
        nonlocal problems
        problems += not ok
        click.echo(f"{'ok  ' if ok else 'FAIL'} {what}" + (f"\n     fix: {fix}" if fix and not ok else ""))

    from bot.settings import get_settings

    try:
        settings = get_settings()
    except ConfigError as exc:
        report(False, "settings", str(exc))
        raise SystemExit(1) from None
    report(True, "settings load")
    report(
        bool(settings.secret("slack_signing_secret")),
        "SLACK_SIGNING_SECRET is set",
        "copy the Signing Secret from your Slack app's Basic Information page",
    )
    _check_secrets(settings)

    from storage import migrations
    from storage.db import database_ok, make_engine

    engine = make_engine(settings.database_url)
    if not database_ok(engine):
        report(
            False,
            f"database answers ({engine.url.render_as_string(hide_password=True)})",
            "check DATABASE_URL and that the server is running",
        )
    else:
        revision, head = migrations.current(engine), migrations.head()
        report(revision == head, f"database revision {revision} is head {head}", "run `fieldnotes db upgrade`")

    if settings.oauth_enabled:
        report(True, "OAuth mode: each workspace's token is checked when it installs")
    else:
        _check_slack(settings, report)
    click.echo("all good" if not problems else f"{problems} problem(s)")
    raise SystemExit(1 if problems else 0)


def _warn(what: str, fix: str) -> None:
    """Worth fixing, but the app runs: not counted as a problem."""
    click.echo(f"warn {what}\n     fix: {fix}")


def _check_secrets(settings: Settings) -> None:
    if not settings.secret("fieldnotes_encryption_key"):
        _warn(
            "FIELDNOTES_ENCRYPTION_KEY is not set: bot tokens and webhook secrets are stored in plain text",
            'set it to a key from `python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"` and keep it safe (losing it means reinstalling)',
        )
    else:
        click.echo("ok   FIELDNOTES_ENCRYPTION_KEY is set: tokens and webhook secrets are encrypted at rest")
    if settings.oauth_enabled and settings.secret("fieldnotes_webhook_secret"):
        _warn(
            "FIELDNOTES_WEBHOOK_SECRET is ignored in OAuth mode: each workspace signs with its own secret",
            "remove it; admins read their workspace's secret with `/fieldnotes webhook`",
        )
    elif not settings.oauth_enabled:
        how = "and FIELDNOTES_WEBHOOK_SECRET" if settings.secret("fieldnotes_webhook_secret") else "only"
        click.echo(f"ok   call webhook: signed with the workspace's own secret (`/fieldnotes webhook`) {how}")


def _check_slack(settings: object, report: object) -> None:
    from slack_sdk.errors import SlackApiError

    from bot.app import BOT_SCOPES
    from bot.settings import Settings
    from bot.slack import make_web_client

    assert isinstance(settings, Settings)
    token = settings.secret("slack_bot_token")
    if not token:
        report(False, "SLACK_BOT_TOKEN is set", "install the app and copy its xoxb- bot token")  # type: ignore[operator]
        return
    try:
        response = make_web_client(settings, token).auth_test()
    except SlackApiError as exc:
        report(False, f"Slack auth.test: {exc.response.get('error')}", "the bot token is wrong or revoked")  # type: ignore[operator]
        return
    except Exception as exc:
        report(False, f"Slack reachable at {settings.slack_api_url}: {exc}", "check SLACK_API_URL and the network")  # type: ignore[operator]
        return
    report(True, f"Slack auth.test: team {response['team_id']} as {response.get('user')}")  # type: ignore[operator]
    granted = set(filter(None, (response.headers.get("x-oauth-scopes") or "").split(",")))
    missing = sorted(set(BOT_SCOPES) - {s.strip() for s in granted})
    report(
        not missing,
        "granted scopes cover what the app needs",  # type: ignore[operator]
        f"add {', '.join(missing)} in app.yaml/OAuth settings and reinstall the app",
    )
