"""Calls reported by the webhook, and the prompts that follow them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Call, Prompt
from storage.repositories._upsert import insert_ignore

__all__ = ["create_call_once", "create_prompt_once", "get_call", "get_prompt", "prompt_by_key"]


def create_call_once(
    session: Session,
    *,
    team_id: str,
    external_id: str,
    rep_id: int,
    account: str,
    deal_stage: str | None,
    ended_at: datetime,
    now: datetime,
    stage: str | None = None,
) -> Call | None:
    """The new call, or None when this call id was reported before (nothing changes then)."""
    inserted = insert_ignore(
        session,
        Call,
        {
            "team_id": team_id,
            "external_id": external_id,
            "rep_id": rep_id,
            "account": account,
            "deal_stage": deal_stage,
            "stage": stage,
            "ended_at": ended_at,
            "created_at": now,
        },
        ["team_id", "external_id"],
    )
    if not inserted:
        return None
    return session.scalar(select(Call).where(Call.team_id == team_id, Call.external_id == external_id))


def get_call(session: Session, team_id: str, call_id: int) -> Call | None:
    return session.scalar(select(Call).where(Call.team_id == team_id, Call.id == call_id))


def create_prompt_once(
    session: Session,
    *,
    team_id: str,
    kind: str,
    dedupe_key: str,
    rep_id: int,
    due_at: datetime,
    now: datetime,
    call_id: int | None = None,
    reply_id: int | None = None,
) -> Prompt | None:
    inserted = insert_ignore(
        session,
        Prompt,
        {
            "team_id": team_id,
            "kind": kind,
            "dedupe_key": dedupe_key,
            "rep_id": rep_id,
            "due_at": due_at,
            "call_id": call_id,
            "reply_id": reply_id,
            "state": "scheduled",
            "created_at": now,
        },
        ["team_id", "dedupe_key"],
    )
    return prompt_by_key(session, team_id, dedupe_key) if inserted else None


def prompt_by_key(session: Session, team_id: str, dedupe_key: str) -> Prompt | None:
    return session.scalar(select(Prompt).where(Prompt.team_id == team_id, Prompt.dedupe_key == dedupe_key))


def get_prompt(session: Session, team_id: str, prompt_id: int) -> Prompt | None:
    return session.scalar(select(Prompt).where(Prompt.team_id == team_id, Prompt.id == prompt_id))
