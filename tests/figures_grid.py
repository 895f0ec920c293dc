"""Every metric x grain x split on a small demo database: the grid the golden and engine tests compare.

The demo is small (1,500 answers) so the grid runs in seconds on DuckDB and a couple of minutes on Spark.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from metrics.demo import generate, load
from metrics.errors import CxError
from metrics.semantic.definitions import METRICS
from metrics.semantic.query import dimensions_of
from metrics.store import Store, open_store

AS_OF = dt.date(2026, 10, 31)
RESPONSES = 1_500
GRAINS = ("month", "quarter", "ytd")
SPLITS = ((), ("region",), ("site",))
# a part-month range and a whole-year "total", so the bounded and summed paths are covered too
EXTRA = (
    ("total", (), dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
    ("week", (), dt.date(2026, 9, 3), dt.date(2026, 9, 20)),
)
FIGURES = ("value", "n", "low", "high")


def demo_store(root: Path) -> Store:
    """A demo database under `root`, loaded through the normal import."""
    store = open_store(root / "cx.duckdb", idle_seconds=5)
    reports = load(store, generate(root / "files", responses=RESPONSES, seed=7, as_of=AS_OF))
    assert all(r.rejected == 0 for r in reports)
    return store


def cases() -> Iterator[tuple[str, str, tuple[str, ...], dt.date | None, dt.date | None]]:
    """(metric, grain, split, start, end) for every allowed combination."""
    for key, m in METRICS.items():
        allowed = dimensions_of(m)
        for grain in GRAINS:
            for by in SPLITS:
                if set(by) <= set(allowed):
                    yield key, grain, by, None, None
        for grain, by, start, end in EXTRA:
            yield key, grain, by, start, end


def case_id(key: str, grain: str, by: tuple[str, ...], start: dt.date | None, end: dt.date | None) -> str:
    """A stable name for one case, e.g. `nps/month/region`."""
    bounds = f"/{start}..{end}" if start is not None else ""
    return f"{key}/{grain}/{'+'.join(by) or '-'}{bounds}"


def _number(x: object) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return float(x)


def _label(x: object) -> object:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def rows(frame: pd.DataFrame, by: tuple[str, ...]) -> list[dict[str, object]]:
    """The figures of a result frame as plain JSON-ready rows, in period and group order."""
    frame = frame.sort_values(["period", *by], kind="stable") if not frame.empty else frame
    out = []
    for rec in frame.to_dict("records"):
        row: dict[str, object] = {"period": str(rec["period"]), **{d: _label(rec[d]) for d in by}}
        row |= {c: _number(rec[c]) for c in (*FIGURES, "moe")}
        row["suppressed"] = bool(rec["suppressed"])
        out.append(row)
    return out


def compute(store: Store, key: str, grain: str, by: tuple[str, ...], start: dt.date | None,
            end: dt.date | None, **options: object) -> list[dict[str, object]] | str:
    """The rows of one case, or the refusal's message (e.g. a backlog has no "total" grain)."""
    from metrics.semantic.query import metric_frame

    try:
        frame = metric_frame(store, METRICS[key], grain=grain, by=by, start=start, end=end, **options)
    except CxError as err:
        return f"refused: {err}"
    return rows(frame, by)


def close(a: float | None, b: float | None, tol: float = 1e-9) -> bool:
    """Equal to `tol` (relative for large values), both missing counting as equal."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def differences(want: list[dict[str, object]] | str, got: list[dict[str, object]] | str) -> list[str]:
    """What differs between two row lists, as short readable lines (empty when equal)."""
    if isinstance(want, str) or isinstance(got, str):
        return [] if want == got else [f"expected {want!r:.200}, found {got!r:.200}"]
    if len(want) != len(got):
        return [f"{len(want)} rows expected, {len(got)} found"]
    found = []
    for i, (w, g) in enumerate(zip(want, got, strict=True)):
        for col, wv in w.items():
            gv = g.get(col)
            same = close(wv, gv) if isinstance(wv, float) or wv is None else wv == gv
            if not same:
                found.append(f"row {i} {col}: expected {wv!r}, found {gv!r}")
    return found
