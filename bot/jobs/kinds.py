"""Every kind of timed job, named once: planners (services, jobs) and handlers (jobs) use these."""

from __future__ import annotations

__all__ = [
    "CHECKIN_SEND",
    "DIGEST_SEND",
    "HOUSEKEEPING_PRUNE",
    "NOTES_TAG",
    "ONBOARDING_START",
    "ONBOARDING_WELCOME",
    "PROMPT_EXPIRE",
    "PROMPT_NUDGE",
    "PROMPT_SEND",
    "REPLY_DELIVER",
    "RETENTION_PURGE",
    "REVIEW_ANSWER",
    "REVIEW_DELIVER",
    "RIDEALONG_ANSWER",
    "RIDEALONG_ASK",
    "RIDEALONG_CHANGED",
    "RIDEALONG_DEBRIEF",
    "RIDEALONG_REMIND",
    "WORKSPACE_PURGE",
]

PROMPT_SEND = "prompt.send"
PROMPT_NUDGE = "prompt.nudge"
PROMPT_EXPIRE = "prompt.expire"
CHECKIN_SEND = "checkin.send"
DIGEST_SEND = "digest.send"
REPLY_DELIVER = "reply.deliver"
NOTES_TAG = "notes.tag"
RETENTION_PURGE = "retention.purge"
HOUSEKEEPING_PRUNE = "housekeeping.prune"
WORKSPACE_PURGE = "workspace.purge"
RIDEALONG_ASK = "ridealong.ask"
RIDEALONG_ANSWER = "ridealong.answer"
RIDEALONG_REMIND = "ridealong.remind"
RIDEALONG_DEBRIEF = "ridealong.debrief"
RIDEALONG_CHANGED = "ridealong.changed"
ONBOARDING_START = "onboarding.start"
ONBOARDING_WELCOME = "onboarding.welcome"
REVIEW_DELIVER = "review.deliver"
REVIEW_ANSWER = "review.answer"
