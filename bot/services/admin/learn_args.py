"""Arguments of `/fieldnotes glossary`, `themes|objections describe` and `ridealong` (grammar.py's entries)."""

from __future__ import annotations

from bot.errors import UsageError
from bot.messages import admin_usage as say
from bot.services.admin import model as m
from bot.services.admin import values as v
from bot.services.admin.values import Token

__all__ = ["glossary_show", "labels_describe", "review_open", "ridealong_list"]

NAME_LIMIT = 100


def glossary_show(args: list[Token], group: str) -> m.Command:
    if not args:
        return m.GlossaryShow()
    return m.GlossaryShow(v.clean_name(" ".join(t.text for t in args), "term", limit=NAME_LIMIT))


def labels_describe(args: list[Token], group: str) -> m.Command:
    """`<label> "<definition>"`: the definition is the last, quoted, argument; the label the words before it."""
    if len(args) < 2 or not args[-1].quoted:
        raise UsageError('Give the label, then its definition in quotes: `themes describe pricing "What it costs."`')
    name = v.clean_name(" ".join(t.text for t in args[:-1]), "label", limit=NAME_LIMIT)
    return m.LabelsDescribe(group.removesuffix("s"), name, args[-1].text)


def ridealong_list(args: list[Token], group: str) -> m.Command:
    return m.RideAlongList(" ".join(t.text for t in args))


def review_open(args: list[Token], group: str) -> m.Command:
    if args:
        raise UsageError(say.REVIEW_TAKES_NOTHING)
    return m.ReviewOpen()
