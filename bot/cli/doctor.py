"""`fieldnotes doctor`: settings, database revision, workspace models, stored secrets, Slack auth, the Socket Mode
token and scopes; what is wrong and how to fix it."""

from __future__ import annotations

import click

from bot.cli import _checks
from bot.errors import ConfigError


@click.command()
def doctor() -> None:
    """Check the setup and say what to fix."""
    from bot.settings import get_settings

    report = _checks.Report()
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
    _checks.oauth_settings(settings, report)
    _checks.secrets_settings(settings, report)
    _checks.database(settings, report)
    _checks.socket_mode(settings, report)
    if settings.oauth_enabled:
        report(True, "OAuth mode: each workspace's token and scopes are checked when it installs")
    else:
        _checks.slack(settings, report)
    click.echo("all good" if not report.problems else f"{report.problems} problem(s)")
    raise SystemExit(1 if report.problems else 0)
