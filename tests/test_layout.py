"""The project's layering, checked on the source: what each package may import (README, "How it is built")."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imports(package: str) -> Iterator[tuple[str, str]]:
    """(file, imported module) for every import in the package, at any depth of the file."""
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield str(path.relative_to(ROOT)), alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                yield str(path.relative_to(ROOT)), node.module
                for alias in node.names:
                    yield str(path.relative_to(ROOT)), f"{node.module}.{alias.name}"


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("storage", ("bot",)),  # storage and nlp import nothing of ours
        ("nlp", ("bot", "storage")),
        ("bot/services", ("slack_bolt", "slack_sdk")),  # the domain holds no Slack types
        ("bot/listeners", ("storage",)),  # listeners call services; all SQL lives in storage
        ("bot/blocks", ("storage.db", "slack_bolt", "bot.listeners")),  # builders are pure
    ],
)
def test_package_does_not_import(package: str, forbidden: tuple[str, ...]) -> None:
    found = [(f, m) for f, m in _imports(package) if m.split(".")[0] in forbidden or m.startswith(forbidden)]
    assert found == []


def test_no_module_reaches_into_a_listener_module() -> None:
    """Listeners share helpers through bot/listeners/common.py, never through each other's modules."""
    shared = ("common", "errors", "register_listeners")
    found = [
        (f, m)
        for f, m in _imports("bot")
        if m.startswith("bot.listeners.")
        and m.split(".")[2] not in shared
        and not f.startswith(f"bot/listeners/{m.split('.')[2]}")
        and f != "bot/listeners/__init__.py"
    ]
    assert found == []


def test_no_test_module_imports_another() -> None:
    """Shared test code lives in tests/support/ and the conftest fixtures."""
    found = [(f, m) for f, m in _imports("tests") if _test_module(m)]
    assert found == []


def _test_module(module: str) -> bool:
    parts = module.split(".")
    for end in range(1, len(parts) + 1):
        path = ROOT.joinpath(*parts[:end]).with_suffix(".py")
        if path.is_file():
            return path.name.startswith("test_")
    return False


def test_nothing_imports_a_conftest_but_the_root_one() -> None:
    """A folder's conftest.py holds its fixtures; helpers that tests share live in tests/support/."""
    found = [(f, m) for f, m in _imports("tests") if m.endswith(".conftest") and m != "tests.conftest"]
    assert found == []


#: Modules allowed past MAX_LINES: declarations, not logic.
LONG_DATA_MODULES = {"storage/models.py"}  # the schema: one class a table, as Alembic compares it
MAX_LINES = 400


@pytest.mark.parametrize("package", ["bot", "storage"])
def test_modules_stay_under_400_lines(package: str) -> None:
    long = [
        (str(path.relative_to(ROOT)), n)
        for path in sorted((ROOT / package).rglob("*.py"))
        if (n := path.read_text().count("\n")) > MAX_LINES and str(path.relative_to(ROOT)) not in LONG_DATA_MODULES
    ]
    assert long == []
