"""Reading parts of Slack payloads that several listeners share."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["private_metadata"]


def private_metadata(view: Mapping[str, Any]) -> dict[str, Any]:
    """A view's private_metadata as a dict; {} when it is missing or not a JSON object."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}
