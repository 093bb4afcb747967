"""Logging: plain text by default, or one JSON object a line (FIELDNOTES_LOG_FORMAT=json) carrying the workspace,
Slack request and job the line was written for. The request middleware (bot/app.py) and the job engine set those
ids in context variables; every log record picks them up."""

from __future__ import annotations

import contextvars
import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

__all__ = ["JsonFormatter", "configure_logging", "log_context", "new_request_id"]

_TEAM = contextvars.ContextVar[str | None]("fieldnotes_team_id", default=None)
_REQUEST = contextvars.ContextVar[str | None]("fieldnotes_request_id", default=None)
_JOB = contextvars.ContextVar[str | None]("fieldnotes_job_id", default=None)
_FIELDS = (("team_id", _TEAM), ("request_id", _REQUEST), ("job_id", _JOB))

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


@contextmanager
def log_context(
    *, team_id: str | None = None, request_id: str | None = None, job_id: str | None = None
) -> Iterator[None]:
    """Within the block, log records carry these ids (those given; the others keep their current values)."""
    tokens = [
        (var, var.set(value))
        for (_, var), value in zip(_FIELDS, (team_id, request_id, job_id), strict=True)
        if value is not None
    ]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in _FIELDS:
            if not hasattr(record, name):
                setattr(record, name, var.get())
        return True


class _AlembicPreamble(logging.Filter):
    """Drops the two INFO lines alembic writes each time it looks at a database ("Context impl SQLiteImpl.",
    "Will assume non-transactional DDL."): every command checks the schema revision first, so they would come
    before every answer, and turn a one-line error ("run `fieldnotes db upgrade`") into three lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.INFO and str(record.msg).startswith(("Context impl", "Will assume")))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the context ids, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, var in _FIELDS:
            # Set by the filter configure_logging adds; read here too for handlers added without it (formatting
            # happens in the thread that logged, where the context variables hold).
            value = getattr(record, name, None) or var.get()
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(fmt: str = "text", *, level: int = logging.INFO) -> None:
    """Root logging to stderr in `fmt` ("text" or "json"), unless the root logger has handlers already (as
    logging.basicConfig: a host such as pytest keeps its own)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(_ContextFilter())
    logging.basicConfig(level=level, handlers=[handler])
    alembic = logging.getLogger("alembic.runtime.migration")
    if level > logging.DEBUG and not any(isinstance(f, _AlembicPreamble) for f in alembic.filters):
        alembic.addFilter(_AlembicPreamble())
