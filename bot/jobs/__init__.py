"""Timed work: prompts, nudges, expiries, check-ins, digests, retention. See engine.py.

Every module here other than the machinery registers its planners and handlers when imported.
"""

from __future__ import annotations

import importlib
import pkgutil

_MACHINERY = {"engine", "clock", "delivery", "kinds", "alerts"}


def load_handlers() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _MACHINERY and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
