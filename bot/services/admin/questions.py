"""`/fieldnotes questions list|add|remove|move`: the workspace's feedback form."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.errors import NotFound, UsageError
from bot.messages import admin as say
from bot.services.admin import model as m
from bot.services.admin import results as r
from bot.services.admin.context import Context, Runner
from bot.services.workspaces import QuestionDef
from storage.repositories import workspaces

__all__ = ["PROTECTED_QUESTIONS", "RUNNERS"]

PROTECTED_QUESTIONS = ("account", "outcome", "said")
MAX_QUESTIONS = 20  # each question is a block or two of a 100-block modal


def _items(session: Session, team_id: str) -> list[QuestionDef]:
    return [
        QuestionDef(q.key, q.label, q.type, tuple(q.options or ()), bool(q.optional))
        for q in workspaces.questions(session, team_id)
    ]


def _save(session: Session, team_id: str, items: list[QuestionDef]) -> None:
    rows = [
        {"key": q.key, "label": q.label, "type": q.type, "options": list(q.options), "optional": q.optional}
        for q in items
    ]
    workspaces.replace_questions(session, team_id, rows)


def _nth(items: list[QuestionDef], position: int) -> QuestionDef:
    if not 1 <= position <= len(items):
        raise NotFound(say.no_such_question(position, len(items)))
    return items[position - 1]


def list_questions(session: Session, ctx: Context, cmd: m.QuestionsList) -> r.Result:
    return r.QuestionsListed(tuple(_items(session, ctx.team_id)))


def add_question(session: Session, ctx: Context, cmd: m.QuestionsAdd) -> r.Result:
    items = _items(session, ctx.team_id)
    if any(q.label.lower() == cmd.label.lower() for q in items):
        raise UsageError(say.question_exists(cmd.label))
    if len(items) >= MAX_QUESTIONS:
        raise UsageError(say.too_many_questions(MAX_QUESTIONS))
    taken = {q.key for q in items}
    key = next(f"q{n}" for n in range(len(items) + 1, 1000) if f"q{n}" not in taken)
    items.append(QuestionDef(key, cmd.label, cmd.type, tuple(cmd.options), cmd.optional))
    _save(session, ctx.team_id, items)
    return r.QuestionAdded(len(items), cmd.label, cmd.type)


def remove_question(session: Session, ctx: Context, cmd: m.QuestionsRemove) -> r.Result:
    items = _items(session, ctx.team_id)
    q = _nth(items, cmd.position)
    if q.key in PROTECTED_QUESTIONS:
        raise UsageError(say.question_built_in(q.label))
    items.remove(q)
    _save(session, ctx.team_id, items)
    return r.QuestionRemoved(cmd.position, q.label)


def move_question(session: Session, ctx: Context, cmd: m.QuestionsMove) -> r.Result:
    items = _items(session, ctx.team_id)
    q = _nth(items, cmd.position)
    if cmd.to > len(items):
        raise UsageError(say.no_such_place(len(items)))
    items.remove(q)
    items.insert(cmd.to - 1, q)
    _save(session, ctx.team_id, items)
    return r.QuestionMoved(q.label, cmd.to, tuple(items))


RUNNERS: dict[type[m.Command], Runner] = {
    m.QuestionsList: list_questions,
    m.QuestionsAdd: add_question,
    m.QuestionsRemove: remove_question,
    m.QuestionsMove: move_question,
}
