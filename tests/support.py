"""Helpers shared by test modules (import as `from tests.support import ...`)."""

from __future__ import annotations

from metrics.store import Store


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, to compare the database before and after a refusal."""
    with store.cursor() as cur:
        tables = [r[0] for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
        ).fetchall()]
        return {t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
