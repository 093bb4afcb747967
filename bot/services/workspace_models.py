"""Workspace models for every replica: a pipeline trained with `fieldnotes nlp train --team` is stored in the
database, and the workspace's `nlp_model` names it as `db:<id>`. Any process that tags for the workspace unpacks
it once into a local cache directory (keyed by workspace, id and checksum) and loads it from there; a newer model
has a new id, so it is picked up on the next note, with no restart."""

from __future__ import annotations

import io
import logging
import os
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from storage.repositories import nlp_models, workspaces

__all__ = ["PREFIX", "cache_root", "local_path", "pack", "store", "stored_id"]

logger = logging.getLogger(__name__)

PREFIX = "db:"


def cache_root() -> Path:
    """Where stored models are unpacked: machine-local, safe to delete (they are unpacked again)."""
    return Path(tempfile.gettempdir()) / "fieldnotes-models"


def pack(directory: Path) -> bytes:
    """A saved pipeline directory as a gzipped tar (about 2 MB for a 6 MB pipeline)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(directory, arcname=".")
    return buffer.getvalue()


def store(session: Session, team_id: str, directory: Path, *, now: datetime) -> str | None:
    """Store the pipeline saved at `directory` and make it the workspace's model: its reference (`db:<id>`), or
    None for an unknown workspace."""
    if workspaces.get(session, team_id) is None:
        return None
    model_id = nlp_models.add(session, team_id, pack(directory), now=now)
    reference = f"{PREFIX}{model_id}"
    workspaces.set_nlp_model(session, team_id, reference)
    return reference


def stored_id(reference: str | None) -> int | None:
    """The id in a `db:<id>` reference; None for anything else (the shipped model, a path, a package)."""
    if reference is None or not reference.startswith(PREFIX):
        return None
    number = reference.removeprefix(PREFIX)
    return int(number) if number.isdigit() else None


def local_path(session: Session, team_id: str, reference: str | None, *, root: Path | None = None) -> str | None:
    """What the tagger loads for a workspace's `nlp_model`: a stored model's unpacked directory (unpacked now if
    this machine has not yet), or the reference itself when it is not a stored model. A stored model that is gone
    falls back to the shipped model (None), with a warning."""
    model_id = stored_id(reference)
    if model_id is None:
        return reference
    digest = nlp_models.digest(session, team_id, model_id)
    if digest is None:
        logger.warning("workspace %s: stored model %s is missing; tagging with the shipped model", team_id, model_id)
        return None
    # Named by content too: two databases (staging, production) on one machine never share a copy by mistake.
    target = (root or cache_root()) / team_id / f"{model_id}-{digest[:16]}"
    if (target / "meta.json").is_file():
        return str(target)
    blob = nlp_models.data(session, team_id, model_id)
    if blob is None:  # deleted in between (a purge)
        return None
    _unpack(blob, target)
    return str(target)


def _unpack(blob: bytes, target: Path) -> None:
    """Unpack beside the target, then rename: a process (or thread) never loads a half-written directory, and when
    two unpack at once the first rename wins and the second copy is dropped."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as archive:
        archive.extractall(scratch, filter="data")
    try:
        os.rename(scratch, target)
    except OSError:  # another process got there first: theirs is the same model
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
