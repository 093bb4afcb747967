"""`/fieldnotes webhook` and `webhook rotate` (admins): the call webhook's URL and this workspace's secret."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.errors import UsageError
from bot.messages import admin as say
from bot.services.admin import model as m
from bot.services.admin import results as r
from bot.services.admin.context import Context, Runner, WebhookInfo
from bot.services.webhook_secrets import ROTATION_GRACE, current_secret, rotate

__all__ = ["RUNNERS"]


def _info(ctx: Context, cmd: m.Command) -> WebhookInfo:
    if ctx.webhook is None:  # only `/fieldnotes` itself knows the app's URL
        raise UsageError(say.cannot_do_here(cmd.render()))
    return ctx.webhook


def show_webhook(session: Session, ctx: Context, cmd: m.WebhookShow) -> r.Result:
    info = _info(ctx, cmd)
    return r.WebhookShown(info.url, current_secret(session, ctx.team_id, now=ctx.now, sealer=info.sealer))


def rotate_webhook(session: Session, ctx: Context, cmd: m.WebhookRotate) -> r.Result:
    secret = rotate(session, ctx.team_id, now=ctx.now, sealer=_info(ctx, cmd).sealer)
    return r.WebhookRotated(secret, ctx.now + ROTATION_GRACE)


RUNNERS: dict[type[m.Command], Runner] = {m.WebhookShow: show_webhook, m.WebhookRotate: rotate_webhook}
