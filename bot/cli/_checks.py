"""The checks `fieldnotes doctor` runs, each printing `ok`, `warn` (worth fixing, the app runs) or `FAIL` (counted
as a problem) with the fix."""

from __future__ import annotations

from typing import Any

import click

from bot.settings import Settings

__all__ = ["Report", "database", "oauth_settings", "secrets_settings", "slack", "socket_mode"]


class Report:
    def __init__(self) -> None:
        self.problems = 0

    def __call__(self, ok: bool, what: str, fix: str = "") -> None:
        self.problems += not ok
        click.echo(f"{'ok  ' if ok else 'FAIL'} {what}" + (f"\n     fix: {fix}" if fix and not ok else ""))

    def warn(self, what: str, fix: str) -> None:
        click.echo(f"warn {what}\n     fix: {fix}")


def oauth_settings(settings: Settings, report: Report) -> None:
    has_id, has_secret = bool(settings.slack_client_id), bool(settings.secret("slack_client_secret"))
    if has_id != has_secret:
        missing = "SLACK_CLIENT_SECRET" if has_id else "SLACK_CLIENT_ID"
        report(False, f"OAuth settings: {missing} is missing", "set both (multi-workspace) or neither (one workspace)")
    elif has_id:
        report(True, "OAuth mode: install at /slack/install")
        click.echo(
            "     the app's redirect URL (app.yaml oauth_config.redirect_urls) must be https://<your host>"
            "/slack/oauth_redirect"
        )
        if settings.secret("slack_bot_token"):
            report.warn("SLACK_BOT_TOKEN is ignored in OAuth mode", "remove it: each workspace's token is stored")


def secrets_settings(settings: Settings, report: Report) -> None:
    if not settings.secret("fieldnotes_encryption_key"):
        report.warn(
            "FIELDNOTES_ENCRYPTION_KEY is not set: bot tokens and webhook secrets are stored in plain text",
            'set it to a key from `python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"` and keep it safe (losing it means reinstalling)',
        )
    else:
        click.echo("ok   FIELDNOTES_ENCRYPTION_KEY is set: tokens and webhook secrets are encrypted at rest")
    if settings.oauth_enabled and settings.secret("fieldnotes_webhook_secret"):
        report.warn(
            "FIELDNOTES_WEBHOOK_SECRET is ignored in OAuth mode: each workspace signs with its own secret",
            "remove it; admins read their workspace's secret with `/fieldnotes webhook`",
        )
    elif not settings.oauth_enabled:
        how = "and FIELDNOTES_WEBHOOK_SECRET" if settings.secret("fieldnotes_webhook_secret") else "only"
        click.echo(f"ok   call webhook: signed with the workspace's own secret (`/fieldnotes webhook`) {how}")


def database(settings: Settings, report: Report) -> None:
    """Reachable, at the code's revision; then what is stored: webhook secrets readable, workspace models load."""
    from storage import migrations
    from storage.db import database_ok, make_engine

    engine = make_engine(settings.database_url)
    try:
        if not database_ok(engine):
            shown = engine.url.render_as_string(hide_password=True)
            report(False, f"database answers ({shown})", "check DATABASE_URL and that the server is running")
            return
        revision, head = migrations.pending(engine)
        report(revision == head, f"database revision {revision} is head {head}", "run `fieldnotes db upgrade`")
        if revision == head:
            _stored(settings, engine, report)
    finally:
        engine.dispose()


def _stored(settings: Settings, engine: Any, report: Report) -> None:
    from bot.crypto import sealer_for
    from bot.runtime import utcnow
    from bot.services import webhook_secrets
    from storage.db import make_session_factory

    factory = make_session_factory(engine)
    with factory() as session:
        sealer = sealer_for(settings.secret("fieldnotes_encryption_key"))
        check = webhook_secrets.check_stored(session, now=utcnow(), sealer=sealer)
    if check.error:
        report(False, f"stored webhook secrets: {check.error}", "set FIELDNOTES_ENCRYPTION_KEY to the key used before")
    else:
        report(True, f"stored webhook secrets: {check.readable} readable")
        if check.plain and sealer.enabled:
            report.warn(
                f"{check.plain} webhook secret(s) stored before the encryption key was set are in plain text",
                "admins can re-issue them encrypted with `/fieldnotes webhook rotate`",
            )
    _models(factory, report)


def _models(factory: Any, report: Report) -> None:
    from bot.services import workspace_models
    from nlp import get_tagger
    from storage.repositories import workspaces

    with factory() as session:
        trained = workspaces.trained_models(session)
    for team_id, reference in trained:
        try:
            with factory() as session:
                path = workspace_models.local_path(session, team_id, reference)
            tagger = get_tagger(path)
            ok = path is not None and tagger.source == path
            detail = f"loads from {path}" if ok else "is missing: its notes are tagged with the shipped model"
        except Exception as exc:  # whatever loading a pipeline raises, the fix is the same
            ok, detail = False, f"does not load ({exc.__class__.__name__}: {exc})"
        report(
            ok,
            f"workspace {team_id} model {reference} {detail}",
            f"retrain it: `fieldnotes nlp train --team {team_id}`",
        )


def socket_mode(settings: Settings, report: Report) -> None:
    from slack_sdk.errors import SlackApiError

    from bot.slack import make_web_client

    token = settings.secret("slack_app_token")
    if not token:
        return
    if not token.startswith("xapp-"):
        report(
            False,
            "SLACK_APP_TOKEN is an app-level token",
            "use the xapp- token from Basic Information, App-Level Tokens",
        )
        return
    try:
        make_web_client(settings, token).apps_connections_open(app_token=token)
    except SlackApiError as exc:
        error = exc.response.get("error")
        report(False, f"Socket Mode: apps.connections.open: {error}", "make an app-level token with connections:write")
        return
    except Exception as exc:
        report(False, f"Slack reachable at {settings.slack_api_url}: {exc}", "check SLACK_API_URL and the network")
        return
    report(True, "Socket Mode: the app-level token opens a connection")


def slack(settings: Settings, report: Report) -> None:
    from slack_sdk.errors import SlackApiError

    from bot.app import BOT_SCOPES
    from bot.slack import make_web_client

    token = settings.secret("slack_bot_token")
    if not token:
        report(False, "SLACK_BOT_TOKEN is set", "install the app and copy its xoxb- bot token")
        return
    try:
        response = make_web_client(settings, token).auth_test()
    except SlackApiError as exc:
        report(False, f"Slack auth.test: {exc.response.get('error')}", "the bot token is wrong or revoked")
        return
    except Exception as exc:
        report(False, f"Slack reachable at {settings.slack_api_url}: {exc}", "check SLACK_API_URL and the network")
        return
    report(True, f"Slack auth.test: team {response['team_id']} as {response.get('user')}")
    granted = {s.strip() for s in (response.headers.get("x-oauth-scopes") or "").split(",") if s.strip()}
    missing, unused = sorted(set(BOT_SCOPES) - granted), sorted(granted - set(BOT_SCOPES))
    report(
        not missing,
        "granted scopes cover what the app needs",
        f"add {', '.join(missing)} in app.yaml/OAuth settings and reinstall the app",
    )
    report(
        not unused,
        "no scope granted that the app does not use",
        f"remove {', '.join(unused)} from the app's scopes (app.yaml) and reinstall it: ask for no more than is used",
    )
