"""`/fieldnotes setup` (admins): the Get started checklist, as App Home shows it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.services import onboarding
from bot.services.admin import model as m
from bot.services.admin import results as r
from bot.services.admin.context import Context, Runner
from bot.services.webhook_secrets import current_secret

__all__ = ["RUNNERS"]


def show_setup(session: Session, ctx: Context, cmd: m.Setup) -> r.Result:
    checklist = onboarding.checklist(session, ctx.team_id)
    if ctx.webhook is None:  # the webhook step shows where to point a CRM only when the app's URL is known
        return r.SetupShown(checklist, "", "")
    secret = current_secret(session, ctx.team_id, now=ctx.now, sealer=ctx.webhook.sealer)
    return r.SetupShown(checklist, ctx.webhook.url, secret)


RUNNERS: dict[type[m.Command], Runner] = {m.Setup: show_setup}
