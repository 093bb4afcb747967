"""Timed work: prompts, nudges, expiries, check-ins, digests, retention. See engine.py."""

from __future__ import annotations

import importlib

# Each module registers its planners and handlers with bot.jobs.engine when imported.
HANDLER_MODULES = [
    "bot.jobs.housekeeping",
]


def load_handlers() -> None:
    for name in HANDLER_MODULES:
        importlib.import_module(name)
