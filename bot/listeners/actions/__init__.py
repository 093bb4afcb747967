"""Buttons: the only place an action_id meets its handler."""

from __future__ import annotations

import re

from slack_bolt import App

from bot import ids
from bot.listeners.actions.admin_home import handle_admin_digests_open, handle_admin_questions_open
from bot.listeners.actions.candidates import handle_candidate_confirm, handle_vendor_add
from bot.listeners.actions.drilldown import handle_notes_filter, handle_notes_open, handle_notes_page
from bot.listeners.actions.fix_tags import handle_fix_tags_click
from bot.listeners.actions.glossary import (
    handle_glossary_decide,
    handle_glossary_propose_open,
)
from bot.listeners.actions.legacy import handle_legacy_button_press
from bot.listeners.actions.prompts import handle_log_feedback_click, handle_prompt_skip, handle_prompt_snooze
from bot.listeners.actions.replies import handle_answer_open, handle_ask_open, handle_reply_open
from bot.listeners.actions.reviews import handle_review_open
from bot.listeners.actions.ridealongs import (
    handle_ridealong_decide,
    handle_ridealong_join,
    handle_ridealong_learned_open,
    handle_ridealong_opt,
)
from bot.listeners.actions.setup import STEP_ACTIONS, handle_setup_preview, handle_setup_step
from bot.listeners.common import ack_only

__all__ = ["register"]


def register(app: App) -> None:
    app.action(ids.ACTION_ADMIN_EDIT_QUESTIONS)(handle_admin_questions_open)
    app.action(ids.ACTION_ADMIN_EDIT_DIGESTS)(handle_admin_digests_open)
    app.action(ids.ACTION_FIX_TAGS)(handle_fix_tags_click)
    app.action(ids.ACTION_LOG_FEEDBACK)(handle_log_feedback_click)
    # The ack is instant; the change and the message update run after it.
    app.action(ids.ACTION_SNOOZE)(ack=ack_only, lazy=[handle_prompt_snooze])
    app.action(ids.ACTION_SKIP)(ack=ack_only, lazy=[handle_prompt_skip])
    app.action(ids.ACTION_CHECKIN_NO)(ack=ack_only, lazy=[handle_prompt_skip])
    app.action(ids.ACTION_REPLY_TO_REPS)(ack=ack_only, lazy=[handle_reply_open])
    app.action(ids.ACTION_ASK_REPS)(ack=ack_only, lazy=[handle_ask_open])
    app.action(ids.ACTION_ANSWER_ASK)(ack=ack_only, lazy=[handle_answer_open])
    app.action(ids.ACTION_RIDEALONG_JOIN)(ack=ack_only, lazy=[handle_ridealong_join])
    app.action(ids.ACTION_RIDEALONG_APPROVE)(ack=ack_only, lazy=[handle_ridealong_decide])
    app.action(ids.ACTION_RIDEALONG_DECLINE)(ack=ack_only, lazy=[handle_ridealong_decide])
    app.action(ids.ACTION_RIDEALONG_LEARNED)(ack=ack_only, lazy=[handle_ridealong_learned_open])
    app.action(ids.ACTION_RIDEALONG_OPT)(ack=ack_only, lazy=[handle_ridealong_opt])
    app.action(ids.ACTION_GLOSSARY_PROPOSE)(ack=ack_only, lazy=[handle_glossary_propose_open])
    app.action(ids.ACTION_GLOSSARY_APPROVE)(ack=ack_only, lazy=[handle_glossary_decide])
    app.action(ids.ACTION_GLOSSARY_REJECT)(ack=ack_only, lazy=[handle_glossary_decide])
    app.action(ids.ACTION_SEE_NOTES)(ack=ack_only, lazy=[handle_notes_open])
    app.action(ids.ACTION_NOTES_PAGE)(ack=ack_only, lazy=[handle_notes_page])
    app.action(ids.ACTION_NOTES_STAGE)(ack=ack_only, lazy=[handle_notes_filter])
    app.action(ids.ACTION_NOTES_SEGMENT)(ack=ack_only, lazy=[handle_notes_filter])
    app.action(ids.ACTION_REVIEW_OPEN)(ack=ack_only, lazy=[handle_review_open])
    # Any legacy attachment button, whatever its callback_id.
    app.action({"type": "interactive_message", "callback_id": re.compile(".*", re.DOTALL)})(handle_legacy_button_press)
    # Candidate buttons share one block, where action ids must differ: `confirm_candidate_tag:<n>`.
    app.action(re.compile(rf"^{re.escape(ids.ACTION_CONFIRM_CANDIDATE)}(:\d+)?$"))(
        ack=ack_only, lazy=[handle_candidate_confirm]
    )
    app.action(ids.ACTION_ADD_VENDOR)(ack=ack_only, lazy=[handle_vendor_add])
    # The Get started checklist: the preview opens a modal while the trigger is fresh; the rest run after the ack.
    app.action(ids.ACTION_SETUP_PREVIEW)(handle_setup_preview)
    for action_id in STEP_ACTIONS:
        app.action(action_id)(ack=ack_only, lazy=[handle_setup_step])
