"""Where metric SQL runs: the embedded DuckDB file, or Spark over a Parquet warehouse.

An engine is anything with `cursor()` (a context manager whose cursor has `execute(sql, params)`
returning `.df()` / `.fetchall()`, and `register(name, frame)`) and a `path` that names its data:
`metrics.store.Store` for DuckDB, `metrics.engines.spark.SparkStore` for Spark. `metric_frame` is
the one query function for both; the SQL is the same, rendered for Spark by `metrics.semantic.dialects`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from metrics import settings
from metrics.catalogue import N_
from metrics.errors import CxError

ENGINES = ("duckdb", "spark")


def chosen_engine(engine: str | None = None) -> str:
    """The engine asked for (`--engine`, else `CX_ENGINE`, else duckdb), checked."""
    name = (engine or settings.text("CX_ENGINE")).strip().lower()
    if name not in ENGINES:
        raise CxError(N_("engine.unknown"), name=repr(name), engines=", ".join(ENGINES))
    return name


def open_engine(engine: str | None, db: Path, warehouse: Path | None = None) -> Any:  # noqa: ANN401
    """A store for `engine`: the DuckDB file `db`, or Spark over the Parquet `warehouse` (`CX_WAREHOUSE`)."""
    from metrics.store import Store

    if chosen_engine(engine) == "duckdb":
        return Store(db)
    where = warehouse or settings.path("CX_WAREHOUSE")
    if where is None:
        raise CxError(N_("engine.no_warehouse"))
    from metrics.engines.spark import SparkStore

    return SparkStore(where)
