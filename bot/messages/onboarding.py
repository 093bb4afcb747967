"""Getting started: the welcome DM, the Get started checklist, a rep's first App Home visit."""

from __future__ import annotations

WELCOME = (
    "Hi <@{user}>, Field Notes is installed and you are its admin. Five short steps take you to your first "
    "digest (about ten minutes): open my *Home* tab for the *Get started* checklist, or type `/fieldnotes setup`."
)
WELCOME_FALLBACK = "Field Notes is installed and you are its admin: /fieldnotes setup shows how to get started."

# A rep's first App Home visit: Field Notes in three lines.
REP_INTRO = (
    "*Field Notes* passes what your customers say to marketing, in a minute after each call.\n"
    "After a call I DM you: log feedback in the form, or snooze or skip it.\n"
    "Any time: `/feedback Acme: what they said`, or type it here in my Messages tab."
)

CHECKLIST_TITLE = "Get started"
ALL_SET = ":tada: All set: the first digest goes out on its schedule. `/fieldnotes help` lists everything else."
STEP_DIGEST = "*Choose the digest channel*: marketing's weekly digest lands there (Mondays 09:00, your time zone)."
STEP_DIGEST_DONE = "*Digest channel*: {channels}. More with `/fieldnotes digests add`."
STEP_PEOPLE = "*Mark reps and marketers*: reps get the post-call prompts, marketers may reply to them from the digest."
STEP_PEOPLE_DONE = "*Reps and marketers*: {reps}, {marketers}. Pick more below."
STEP_PEOPLE_SO_FAR = "Now: {reps}, {marketers}."
STEP_WEBHOOK = (
    "*Connect your CRM or dialer*: have it POST each ended call to `{url}`, signed with the secret `{secret}` "
    "(`/fieldnotes webhook` says how). *Send a test call* prompts you the way a rep is prompted."
)
STEP_WEBHOOK_WAITING = "A test prompt is on its way to your DMs."
STEP_WEBHOOK_DONE = "*Call webhook*: connected. `/fieldnotes webhook` shows the URL and secret again."
STEP_NOTE = (
    "*Log a first note*: `/feedback Acme: they think we cost twice what Gong does`, or type it in my Messages tab."
)
STEP_NOTE_DONE = "*First note*: logged ({notes} so far)."
STEP_PREVIEW = "*Preview the digest*: see what marketing will read, from the notes so far."
STEP_PREVIEW_DONE = "*Digest preview*: seen. *Preview digest* shows it again."
REPS_CHANNEL_DONE = "Marked {count} members of <#{channel}> as reps."
PREVIEW_TITLE = "Digest preview"
