"""compose.yaml and the Dockerfile agree with the code: every `fieldnotes …` command they run exists with those
options in the click CLI, every environment name they set is a setting, and the health check asks an endpoint the
app serves. (CI has no Docker daemon; this is what can be checked without one.)"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from bot.cli import cli
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {name.upper() for name in Settings.model_fields}


def _compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def _app_services() -> dict[str, dict[str, Any]]:
    return {name: s for name, s in _compose()["services"].items() if s.get("build")}


def check_command(args: list[str]) -> None:
    """Parse `args` (after "fieldnotes") as click would, down to the leaf command: unknown ones fail."""
    command: click.Command = cli
    ctx = command.make_context("fieldnotes", list(args), resilient_parsing=False)
    while isinstance(command, click.Group):
        rest = [*ctx._protected_args, *ctx.args]
        name, sub, rest = command.resolve_command(ctx, rest)
        assert sub is not None and name is not None
        command, ctx = sub, sub.make_context(name, rest, parent=ctx)


def test_the_checker_refuses_what_the_cli_refuses() -> None:
    check_command(["run", "--http", "--no-scheduler"])
    for wrong in (["serve"], ["run", "--http2"], ["db", "upgrayedd"]):
        with pytest.raises(click.UsageError):
            check_command(wrong)


def test_compose_runs_the_release_step_then_two_replicas_one_with_the_scheduler() -> None:
    services = _app_services()
    commands = {name: service["command"] for name, service in services.items()}
    assert commands["migrate"] == ["fieldnotes", "db", "upgrade"]
    for command in commands.values():
        assert command[0] == "fieldnotes"
        check_command(command[1:])
    serving = {name: s for name, s in services.items() if s["command"][1] == "run"}
    assert len(serving) == 2
    schedulers = [name for name, s in serving.items() if s["environment"]["FIELDNOTES_SCHEDULER"] == "on"]
    assert len(schedulers) == 1
    for service in serving.values():
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "--migrate" not in service["command"]  # the migrate service is the release step


def test_compose_sets_only_names_the_settings_read() -> None:
    for name, service in _app_services().items():
        unknown = set(service["environment"]) - SETTINGS
        assert not unknown, f"{name} sets {unknown}, which no setting reads"
        for value in service["environment"].values():
            for variable in re.findall(r"\$\{(\w+)", str(value)):
                assert variable in SETTINGS, f"{name} passes through {variable}, which no setting reads"
        assert Settings(_env_file=None, **{k.lower(): v for k, v in service["environment"].items() if "$" not in v})


def test_the_image_runs_the_cli_and_checks_health_on_a_served_path() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert cmd is not None
    command = json.loads(cmd.group(1))
    assert command[0] == "fieldnotes"
    check_command(command[1:])
    healthcheck = re.search(r"^HEALTHCHECK .*\n\s+CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert healthcheck is not None and "/healthz" in healthcheck.group(1)
    assert "\nUSER fieldnotes\n" in dockerfile  # not root
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) >= 2  # multi-stage: no build tools in the image
    for variable in re.findall(r"^ENV (.*?)(?=^\S)", dockerfile, re.MULTILINE | re.DOTALL):
        for name in re.findall(r"(\w+)=", variable):
            assert name in SETTINGS or not name.startswith(("FIELDNOTES_", "SLACK_")), name
