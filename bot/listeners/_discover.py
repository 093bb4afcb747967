from __future__ import annotations

import importlib
import pkgutil

from slack_bolt import App

from bot.runtime import Runtime


def register_package(package: str, app: App, runtime: Runtime) -> None:
    """Call `register(app, runtime)` of every module in `package`, in name order."""
    module = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(module.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        importlib.import_module(f"{package}.{info.name}").register(app, runtime)
