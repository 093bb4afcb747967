"""Block Kit for reviews: the marketer's modal, the message answers thread under, the rep's DM, the rating modal,
and parsers of what the modals submit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot import ids
from bot.blocks import kit
from bot.blocks.text import plain
from bot.errors import UsageError
from bot.messages import reviews as say
from bot.services.reviews import MAX_TEXT, Draft, ReviewInfo

__all__ = [
    "build_answer_line",
    "build_review_answer_modal",
    "build_review_dm",
    "build_review_message",
    "build_review_modal",
    "parse_answer",
    "parse_review",
]

QUESTION, DRAFT, LINK, FILE, REPS, SEGMENT = "question", "draft", "link", "file", "reps", "segment"
RATING, COMMENT = "rating", "comment"
INPUT = "value"


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": kit.plain_text(label),
        "element": {**element, "action_id": INPUT},
    }
    if optional:
        block["optional"] = True
    return block


def build_review_modal(segments: Sequence[str]) -> dict[str, Any]:
    text = {"type": "plain_text_input", "multiline": True, "max_length": MAX_TEXT}
    blocks = [
        kit.section("Share a draft with reps and ask them one question. Each answers with a 1–5 rating and a comment."),
        _input(QUESTION, "Your question", {"type": "plain_text_input", "max_length": 500}),
        _input(DRAFT, "The draft (text)", text, optional=True),
        _input(LINK, "Or a link to it", {"type": "url_text_input"}, optional=True),
        _input(FILE, "Or a file", {"type": "file_input", "max_files": 1}, optional=True),
        _input(REPS, "Reps to ask", {"type": "multi_users_select"}, optional=True),
    ]
    if segments:
        options = [kit.option(s) for s in segments[: kit.SELECT_OPTIONS]]
        blocks.append(
            _input(SEGMENT, "Or every rep of a segment", {"type": "static_select", "options": options}, optional=True)
        )
    return {
        "type": "modal",
        "callback_id": ids.VIEW_REVIEW,
        "title": kit.plain_text("Ask reps to review", kit.MODAL_TITLE),
        "submit": kit.plain_text("Send", kit.MODAL_TITLE),
        "close": kit.plain_text("Cancel", kit.MODAL_TITLE),
        "blocks": blocks,
    }


def _value(view: dict[str, Any], block: str) -> dict[str, Any]:
    return (((view.get("state") or {}).get("values") or {}).get(block) or {}).get(INPUT) or {}


def parse_review(view: dict[str, Any]) -> Draft:
    """The draft, or UsageError with errors by field."""
    question = str(_value(view, QUESTION).get("value") or "").strip()
    text = str(_value(view, DRAFT).get("value") or "").strip() or None
    link = str(_value(view, LINK).get("value") or "").strip() or None
    files = _value(view, FILE).get("files") or []
    file = files[0] if files else {}
    reps = tuple(_value(view, REPS).get("selected_users") or ())
    segment = (_value(view, SEGMENT).get("selected_option") or {}).get("value")
    errors = {}
    if not question:
        errors[QUESTION] = say.WRITE_QUESTION
    if not (text or link or file):
        errors[DRAFT] = say.GIVE_DRAFT
    if link and not link.lower().startswith(("http://", "https://")):
        errors[LINK] = "Only http:// or https:// links can be shared."
    if not (reps or segment):
        errors[REPS] = say.PICK_REPS
    if errors:
        raise UsageError(field_errors=errors)
    url = file.get("permalink") or file.get("url_private")
    return Draft(question, text, link, file.get("name") or file.get("title"), url, reps, segment)


def _draft_lines(review: ReviewInfo) -> str:
    lines = []
    if review.draft:
        lines.append(f"> {plain(review.draft, 1500)}".replace("\n", "\n> "))
    if review.link:
        lines.append(f"Link: {plain(review.link, 500)}")
    if review.file_url:
        lines.append(f"File: <{review.file_url}|{plain(review.file_name or 'the draft', 100)}>")
    return "\n".join(lines)


def build_review_message(review: ReviewInfo) -> tuple[str, list[dict[str, Any]]]:
    """The marketer's record of the review; the reps' answers thread under it."""
    text = f"*Review requested:* {plain(review.question, 500)}\n{_draft_lines(review)}\n{say.sent(review.asked)}"
    return text, [kit.section(text)]


def build_review_dm(review: ReviewInfo) -> tuple[str, list[dict[str, Any]]]:
    text = (
        f"<@{review.author_user_id}> from marketing asks for your review: *{plain(review.question, 500)}*\n"
        f"{_draft_lines(review)}"
    )
    button = kit.button("Review", ids.ACTION_REVIEW_OPEN, str(review.id), "primary")
    return text, [kit.section(text), {"type": "actions", "block_id": f"review:{review.id}", "elements": [button]}]


def build_review_answer_modal(review: ReviewInfo) -> dict[str, Any]:
    options = [
        kit.option(f"{n} – {word}", str(n)) for n, word in enumerate(("poor", "weak", "okay", "good", "great"), 1)
    ]
    return {
        "type": "modal",
        "callback_id": ids.VIEW_REVIEW_ANSWER,
        "private_metadata": str(review.id),
        "title": kit.plain_text("Review", kit.MODAL_TITLE),
        "submit": kit.plain_text("Send", kit.MODAL_TITLE),
        "close": kit.plain_text("Cancel", kit.MODAL_TITLE),
        "blocks": [
            kit.section(f"*{plain(review.question, 500)}*\n{_draft_lines(review)}"),
            _input(RATING, "Your rating", {"type": "static_select", "options": options}),
            _input(
                COMMENT,
                "Comment",
                {"type": "plain_text_input", "multiline": True, "max_length": MAX_TEXT},
                optional=True,
            ),
        ],
    }


def parse_answer(view: dict[str, Any]) -> tuple[int, str | None]:
    rating = (_value(view, RATING).get("selected_option") or {}).get("value") or ""
    if not str(rating).isdigit() or not 1 <= int(rating) <= 5:
        raise UsageError(field_errors={RATING: say.PICK_RATING})
    return int(rating), (str(_value(view, COMMENT).get("value") or "").strip() or None)


def build_answer_line(user_id: str, rating: int, comment: str | None) -> str:
    said = f": “{plain(comment, 1500)}”" if comment else ""
    return f"<@{user_id}> rated it {rating}/5{said}"
