"""Reading the tagger's output in NLP tests."""

from __future__ import annotations

from collections.abc import Iterable

from nlp import Tag

__all__ = ["labels"]


def labels(tags: Iterable[Tag], kind: str) -> set[str]:
    """The labels of `kind` among `tags`."""
    return {t.label for t in tags if t.kind == kind}
