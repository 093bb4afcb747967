from __future__ import annotations

import pytest

from nlp import Tagger, get_tagger


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    """The shipped model (rules + classifier), loaded once for the whole run."""
    return get_tagger()


def labels(tags, kind: str) -> set[str]:
    return {t.label for t in tags if t.kind == kind}
