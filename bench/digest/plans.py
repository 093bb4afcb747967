"""Where a digest's time goes: every SQL statement it runs (warm), slowest first, with its plan.

.venv/bin/python -m bench.digest.plans <database url>     (or bench/digest/run.py --profile)
"""

from __future__ import annotations

import sys
import time
from typing import Any

from sqlalchemy import event, text

from bench.digest.run import TEAM, WEEK


def main(url: str) -> None:
    from bot.blocks.digest import build_digest
    from bot.services.digest import build_digest_data, week_period
    from storage.db import make_engine, make_session_factory

    engine = make_engine(url)
    period = week_period(WEEK, "UTC")
    statements: list[tuple[float, str, Any]] = []
    started: list[float] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        started.append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        statements.append((time.perf_counter() - started.pop(), statement, params))

    factory = make_session_factory(engine)
    with factory() as session:  # warm-up: imports, models, caches
        build_digest(build_digest_data(session, TEAM, period))
    statements.clear()
    t0 = time.perf_counter()
    with factory() as session:
        build_digest(build_digest_data(session, TEAM, period))
    total = time.perf_counter() - t0
    sql = sum(s for s, _, _ in statements)
    print(f"digest {total:.3f} s: {len(statements)} statements {sql:.3f} s, Python {total - sql:.3f} s")
    postgres = url.startswith("postgresql")
    with engine.connect() as conn:
        for seconds, statement, params in sorted(statements, key=lambda s: -s[0])[:8]:
            print(f"\n--- {seconds * 1000:.0f} ms\n{' '.join(statement.split())[:600]}")
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
            raw = conn.connection.driver_connection
            assert raw is not None
            cursor = raw.cursor()
            cursor.execute(prefix + statement, params)
            for row in cursor.fetchall():
                print("   ", row[-1])
        if postgres:
            print(conn.execute(text("SELECT version()")).scalar())


if __name__ == "__main__":
    main(sys.argv[1])
