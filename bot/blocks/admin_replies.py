"""The answer to a `/fieldnotes` command, built from its result: `{"text": ..., "blocks": ... | None}`.

Most answers are one mrkdwn text (bot/messages/admin_answers.py); the digest preview is the digest's blocks.
A new result type gets one entry in _TEXTS (or its own builder in build_admin_reply).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.blocks.digest import build_digest
from bot.blocks.funnel_replies import build_funnel_reply
from bot.blocks.learn_replies import build_learn_reply
from bot.blocks.onboarding import build_checklist
from bot.messages import admin_answers as say
from bot.messages.onboarding import CHECKLIST_TITLE
from bot.services.admin import results as r
from bot.services.admin.grammar import help_text

__all__ = ["build_admin_reply"]

_TEXTS: dict[type[r.Result], Callable[[Any], str]] = {
    r.HelpShown: lambda _: help_text(),
    r.MyStats: say.my_stats,
    r.QuestionsListed: say.questions_listed,
    r.QuestionAdded: say.question_added,
    r.QuestionRemoved: say.question_removed,
    r.QuestionMoved: say.question_moved,
    r.PromptsShown: say.prompts_shown,
    r.PromptDelaySet: say.prompt_delay_set,
    r.NudgeSet: say.nudge_set,
    r.CheckinSet: say.checkin_set,
    r.SettingsShown: say.settings_shown,
    r.QuotesSet: say.quotes_set,
    r.RetentionSet: say.retention_set,
    r.RepliesSet: say.replies_set,
    r.DigestsListed: say.digests_listed,
    r.DigestAdded: say.digest_added,
    r.DigestAlreadyScheduled: say.digest_already_scheduled,
    r.DigestRemoved: say.digest_removed,
    r.LabelsListed: say.labels_listed,
    r.LabelAdded: say.label_added,
    r.LabelRemoved: say.label_removed,
    r.CompetitorsListed: say.competitors_listed,
    r.CompetitorAdded: say.competitor_added,
    r.CompetitorRemoved: say.competitor_removed,
    r.PeopleListed: say.people_listed,
    r.PeopleAdded: say.people_added,
    r.PeopleRemoved: say.people_removed,
    r.WebhookShown: say.webhook_shown,
    r.WebhookRotated: say.webhook_rotated,
}


def build_admin_reply(result: r.Result) -> dict[str, Any]:
    learned = build_learn_reply(result)
    if learned is not None:
        return learned
    funnel = build_funnel_reply(result)  # stages, funnel, account: their own builder
    if funnel is not None:
        return funnel
    if isinstance(result, r.SetupShown):
        blocks = build_checklist(result.checklist, webhook_url=result.webhook_url, secret=result.secret)
        return {"text": CHECKLIST_TITLE, "blocks": blocks}
    if isinstance(result, r.DigestPreviewed):
        return {"text": say.DIGEST_PREVIEW, "blocks": build_digest(result.data)["blocks"]}
    return {"text": _TEXTS[type(result)](result), "blocks": None}
