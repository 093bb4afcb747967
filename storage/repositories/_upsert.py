from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignore(session: Session, model: Any, values: dict[str, Any], conflict: list[str]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when a row was inserted. Safe across processes."""
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    table = inspect(model).local_table
    key = next(iter(table.primary_key.columns))
    # RETURNING tells inserted from skipped reliably on both backends (rowcount does not, with psycopg).
    stmt = module.insert(table).values(**values).on_conflict_do_nothing(index_elements=conflict).returning(key)
    return session.execute(stmt).first() is not None
