from __future__ import annotations

import pytest

from nlp import Tagger, get_tagger


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    """The shipped model (rules + classifier), loaded once for the whole run."""
    return get_tagger()
