"""Every Slack identifier the app registers or renders, defined once.

Listeners, Block Kit builders, app.yaml (checked by tests/test_manifest.py) and tests all use these.
"""

from __future__ import annotations

# Slash commands
CMD_FEEDBACK = "/feedback"
CMD_FIELDNOTES = "/fieldnotes"

# Shortcuts
SHORTCUT_LOG_MESSAGE = "log_message_as_feedback"

# Views (callback_id)
VIEW_FEEDBACK = "feedback_modal"
VIEW_FIX_TAGS = "fix_tags_modal"
VIEW_REPLY = "reply_to_reps_modal"
VIEW_ASK = "ask_reps_modal"
VIEW_ASK_ANSWER = "ask_answer_modal"
VIEW_ADMIN_QUESTIONS = "admin_questions_modal"
VIEW_ADMIN_DIGESTS = "admin_digests_modal"
VIEW_RIDEALONG_LEARNED = "ridealong_learned_modal"
VIEW_GLOSSARY_PROPOSE = "glossary_propose_modal"
VIEW_REVIEW = "review_modal"
VIEW_REVIEW_ANSWER = "review_answer_modal"
VIEW_NOTES = "notes_behind_modal"
VIEW_SETUP_PREVIEW = "setup_digest_preview"

# Actions (action_id)
ACTION_LOG_FEEDBACK = "log_feedback"
ACTION_SNOOZE = "prompt_snooze"
ACTION_SKIP = "prompt_skip"
ACTION_FIX_TAGS = "fix_tags"
ACTION_CONFIRM_CANDIDATE = "confirm_candidate_tag"
ACTION_ADD_VENDOR = "add_candidate_competitor"
ACTION_CHECKIN_NO = "checkin_no"
ACTION_REPLY_TO_REPS = "reply_to_reps"
ACTION_ASK_REPS = "ask_reps"
ACTION_ANSWER_ASK = "answer_ask"
ACTION_ADMIN_EDIT_QUESTIONS = "admin_edit_questions"
ACTION_ADMIN_EDIT_DIGESTS = "admin_edit_digests"
ACTION_RIDEALONG_JOIN = "ridealong_join"
ACTION_RIDEALONG_APPROVE = "ridealong_approve"
ACTION_RIDEALONG_DECLINE = "ridealong_decline"
ACTION_RIDEALONG_LEARNED = "ridealong_learned"
ACTION_RIDEALONG_OPT = "ridealong_opt"
ACTION_GLOSSARY_PROPOSE = "glossary_propose"
ACTION_GLOSSARY_APPROVE = "glossary_approve"
ACTION_GLOSSARY_REJECT = "glossary_reject"
ACTION_REVIEW_OPEN = "review_open"
ACTION_SEE_NOTES = "see_notes"
ACTION_NOTES_PAGE = "notes_page"
ACTION_NOTES_STAGE = "notes_filter_stage"
ACTION_NOTES_SEGMENT = "notes_filter_segment"
# The Get started checklist (App Home, `/fieldnotes setup`)
ACTION_SETUP_DIGEST_CHANNEL = "setup_digest_channel"
ACTION_SETUP_REPS = "setup_reps"
ACTION_SETUP_MARKETERS = "setup_marketers"
ACTION_SETUP_REPS_CHANNEL = "setup_reps_channel"
ACTION_SETUP_TEST_CALL = "setup_test_call"
ACTION_SETUP_PREVIEW = "setup_preview_digest"

# Events
EVENT_APP_HOME_OPENED = "app_home_opened"
EVENT_APP_UNINSTALLED = "app_uninstalled"
EVENT_TOKENS_REVOKED = "tokens_revoked"
# The manifest's name for `message` events in the app's DM; Bolt matches them by type and subtype.
EVENT_MESSAGE_IM = "message.im"
MESSAGE = "message"
MESSAGE_CHANGED = "message_changed"
MESSAGE_DELETED = "message_deleted"

# Message metadata event type: marks what the app posted, so a crash mid-send never posts twice.
METADATA_EVENT = "fieldnotes_delivery"
