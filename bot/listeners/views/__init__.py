"""Modal submissions: the only place a view's callback_id meets its handler."""

from __future__ import annotations

from slack_bolt import App

from bot import ids
from bot.listeners.common import ack_only
from bot.listeners.views.admin import handle_admin_digest_submit, handle_admin_question_submit, handle_admin_saved
from bot.listeners.views.feedback import handle_feedback_submit
from bot.listeners.views.fix_tags import handle_fix_tags_saved, handle_fix_tags_submit
from bot.listeners.views.glossary import ack_propose_submit, handle_propose_submit
from bot.listeners.views.replies import (
    ack_answer_submit,
    ack_ask_submit,
    ack_reply_submit,
    handle_answer_submit,
    handle_ask_submit,
    handle_reply_submit,
)
from bot.listeners.views.reviews import (
    ack_review_answer,
    ack_review_submit,
    handle_review_answer,
    handle_review_submit,
)
from bot.listeners.views.ridealongs import ack_learned_submit, handle_learned_submit

__all__ = ["register"]


def register(app: App) -> None:
    app.view(ids.VIEW_FEEDBACK)(handle_feedback_submit)
    app.view(ids.VIEW_FIX_TAGS)(ack=handle_fix_tags_submit, lazy=[handle_fix_tags_saved])
    app.view(ids.VIEW_REPLY)(ack=ack_reply_submit, lazy=[handle_reply_submit])
    app.view(ids.VIEW_ASK)(ack=ack_ask_submit, lazy=[handle_ask_submit])
    app.view(ids.VIEW_ASK_ANSWER)(ack=ack_answer_submit, lazy=[handle_answer_submit])
    app.view(ids.VIEW_RIDEALONG_LEARNED)(ack=ack_learned_submit, lazy=[handle_learned_submit])
    app.view(ids.VIEW_GLOSSARY_PROPOSE)(ack=ack_propose_submit, lazy=[handle_propose_submit])
    app.view(ids.VIEW_REVIEW)(ack=ack_review_submit, lazy=[handle_review_submit])
    app.view(ids.VIEW_REVIEW_ANSWER)(ack=ack_review_answer, lazy=[handle_review_answer])
    app.view(ids.VIEW_ADMIN_QUESTIONS)(ack=handle_admin_question_submit, lazy=[handle_admin_saved])
    app.view(ids.VIEW_ADMIN_DIGESTS)(ack=handle_admin_digest_submit, lazy=[handle_admin_saved])
    # The notes modal has no submit button; a submission (Enter in no input, an old client) just closes it.
    app.view(ids.VIEW_NOTES)(ack_only)
    app.view(ids.VIEW_SETUP_PREVIEW)(ack_only)  # the preview has no submit button; a stray submission is a no-op
