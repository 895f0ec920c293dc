"""Spark as a metric engine: the same metric SQL, rendered for Spark, over the exported Parquet warehouse.

`SparkStore(warehouse)` offers what `metric_frame` needs from a store (`cursor()` and `path`): each
table directory of the warehouse is a temporary view of the same name, each statement is rendered by
`metrics.semantic.dialects` with its values bound, and only the few result rows come back to pandas.
The session is `local[2]` by default; `SPARK_REMOTE` (Spark Connect) or `CX_SPARK_MASTER` (a master
URL, e.g. yarn or spark://host:7077) send the work to a cluster.
"""

from __future__ import annotations

import decimal
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from metrics import settings
from metrics.catalogue import N_
from metrics.errors import CxError
from metrics.semantic.dialects import render

_SESSION: Any = None
_LOCK = threading.Lock()
# (session, view) -> (warehouse table directory, data version) it was last read from: two warehouses, or
# one exported again, in the same session must not be answered from the other's (or the old) files
_VIEWS: dict[tuple[int, str], tuple[Path, int]] = {}


def start(remote: str | None = None, master: str | None = None) -> Any:  # noqa: ANN401
    """A new Spark session: a Spark Connect client when `remote` (sc://host:port) is given, else a driver.

    pyspark is optional, so it is imported here and its types stay out of our signatures.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise CxError(N_("engine.no_pyspark")) from None
    if remote:
        # the Connect client's own builder: pyspark's generic one refuses a remote session in a process
        # that already runs a local driver (SESSION_ALREADY_EXIST) and switches the whole process to
        # Connect mode through an environment variable
        try:
            from pyspark.sql.connect.session import SparkSession as ConnectSession
        except ImportError:
            raise CxError(N_("engine.no_connect_client")) from None
        builder = ConnectSession.builder.remote(remote).appName("cx-metrics")
    else:
        builder = SparkSession.builder.appName("cx-metrics")
        builder = builder.master(master or settings.text("CX_SPARK_MASTER"))
        builder = builder.config("spark.ui.enabled", "false")
        builder = builder.config("spark.ui.showConsoleProgress", "false")
        builder = builder.config("spark.sql.shuffle.partitions", "4")
    builder = builder.config("spark.sql.session.timeZone", "UTC").config(
        "spark.sql.sources.partitionColumnTypeInference.enabled", "false"
    )
    spark = builder.getOrCreate()
    if hasattr(spark, "sparkContext"):  # not on Spark Connect
        spark.sparkContext.setLogLevel("ERROR")
    return spark


def session() -> Any:  # noqa: ANN401 - pyspark is optional, so no type at import time
    """The one Spark session of this process, started on first use (about 9 s locally).

    `SPARK_REMOTE` (Spark Connect) wins over `CX_SPARK_MASTER`.
    """
    global _SESSION
    with _LOCK:
        if _SESSION is None:
            remote = settings.value("SPARK_REMOTE")
            _SESSION = start(str(remote) if remote else None)
        return _SESSION


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Spark's DECIMAL results as floats, as DuckDB returns them."""
    for col in frame.columns:
        if frame[col].dtype == object and frame[col].map(lambda v: isinstance(v, decimal.Decimal)).any():
            frame[col] = frame[col].astype("float64")
    return frame


class SparkResult:
    """The rows of one statement, fetched on demand like a DuckDB result."""

    def __init__(self, frame: Any) -> None:  # noqa: ANN401
        self._frame = frame

    def df(self) -> pd.DataFrame:
        """The result as pandas (metric results are a few rows per period and group)."""
        rows = self._frame.collect()  # not toPandas: that path does not support pandas 3 yet
        return _plain(pd.DataFrame.from_records([tuple(r) for r in rows], columns=self._frame.columns))

    def fetchall(self) -> list[tuple[Any, ...]]:
        """The result as tuples."""
        return [tuple(row) for row in self._frame.collect()]

    def fetchone(self) -> tuple[Any, ...] | None:
        """The first row, or None."""
        rows = self._frame.take(1)
        return tuple(rows[0]) if rows else None


class SparkCursor:
    """DuckDB's cursor surface that `metric_frame` and the privacy rule use, on a Spark session."""

    def __init__(self, spark: Any, tables: Mapping[str, str] | None = None) -> None:  # noqa: ANN401
        """`tables` renames tables in every statement: a scoped reader's views (metrics.access.scoped)."""
        self.spark = spark
        self.tables = dict(tables or {})

    def execute(self, sql: str, params: Sequence[object] = ()) -> SparkResult:
        """Run a DuckDB-dialect statement with `?` parameters, rendered for Spark."""
        return SparkResult(self.spark.sql(render(sql, list(params), "spark", tables=self.tables)))

    def register(self, name: str, frame: pd.DataFrame) -> None:
        """A pandas frame as a temporary view (the privacy rule's published units)."""
        from pyspark.sql import types as T

        kinds = {"f": T.DoubleType(), "i": T.LongType(), "b": T.BooleanType()}
        schema = T.StructType(
            [T.StructField(str(c), kinds.get(frame[c].dtype.kind, T.StringType())) for c in frame.columns]
        )
        rows = [
            tuple(None if pd.isna(v) else v for v in rec) for rec in frame.itertuples(index=False, name=None)
        ]
        self.spark.createDataFrame(rows, schema).createOrReplaceTempView(name)


class SparkStore:
    """A read-only store over a Parquet warehouse written by `python -m metrics export`."""

    def __init__(self, warehouse: Path, spark: Any = None) -> None:  # noqa: ANN401
        """Read `warehouse` on `spark` (default: this process's `session()`, started on first query)."""
        self.path = Path(warehouse)
        if not self.path.is_dir():
            raise CxError(N_("engine.missing_warehouse"), path=str(self.path))
        self._spark = spark
        self._version: tuple[tuple[int, int], int] | None = None  # (meta file's mtime and size, version)

    def table_names(self) -> set[str]:
        """The tables of the warehouse: one directory each."""
        return {p.name for p in self.path.iterdir() if p.is_dir()}

    def _load(self, spark: Any) -> None:  # noqa: ANN401
        """Each table directory as a temporary view, (re)read when it is another's or was exported again."""
        version = self.data_version()
        with _LOCK:
            for name in sorted(self.table_names()):
                source = (self.path / name, version)
                if _VIEWS.get((id(spark), name)) != source:
                    spark.read.parquet(str(source[0])).createOrReplaceTempView(name)
                    _VIEWS[(id(spark), name)] = source

    @contextmanager
    def cursor(self) -> Iterator[SparkCursor]:
        """A cursor whose statements run on Spark over the warehouse's tables."""
        spark = self._spark or session()
        self._load(spark)
        yield SparkCursor(spark)

    def data_version(self) -> int:
        """The data version the warehouse was exported at (its `meta` table), read without starting Spark.

        The dashboard keys its caches on it for every cached call of every rerun, so the file is read
        again only when it changed on disk (a new export); otherwise this is one `stat`.
        """
        import duckdb

        meta = self.path / "meta" / "data.parquet"
        if not meta.is_file():
            return 0
        stamp = meta.stat()
        seen = (stamp.st_mtime_ns, stamp.st_size)
        if self._version is None or self._version[0] != seen:
            sql = "SELECT CAST(value AS BIGINT) FROM read_parquet(?) WHERE key = 'data_version'"
            with duckdb.connect() as con:
                row = con.execute(sql, [str(meta)]).fetchone()
            self._version = (seen, int(row[0]) if row else 0)
        return self._version[1]

    def close(self) -> None:
        """Nothing to release: the session lives as long as the process."""
