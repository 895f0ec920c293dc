"""Why a metric has no rows: nothing imported, a column it needs that no file provided, or the filters.

"No rows match... import some" is false when 865 complaints are there and only their closing date is
missing; the user needs the column's name and how to provide it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from metrics.catalogue import N_, text
from metrics.contracts.datasets import DATASETS
from metrics.semantic.definitions import Settings
from metrics.semantic.dialects import columns_read
from metrics.semantic.query import missing_closings
from metrics.semantic.records import Metric
from metrics.store import Store


def needed_columns(m: Metric) -> list[str]:
    """The dataset columns the metric reads: its measures, its filter, its date and closing date."""
    read: set[str] = set()
    for expr in (*m.measures.values(), *([m.where] if m.where else [])):
        read |= columns_read(expr)
    declared = [c.name for c in DATASETS[m.dataset].columns]
    wanted = read | {c for c in (m.date, m.closed_column) if c}
    return [c for c in declared if c in wanted]


def why_no_rows(
    store: Store, m: Metric, end: dt.date | None = None, where: Mapping[str, Sequence[str]] | None = None
) -> str:
    """The sentence for an empty answer, naming the fix (English, as the CLI speaks)."""
    ds = DATASETS[m.dataset]
    none_yet = text(N_("no_data.none_yet"), "en", dataset=ds.key)
    if ds.table not in store.table_names():
        return none_yet
    counts = ", ".join(f'count("{c}")' for c in needed_columns(m))
    with store.cursor() as cur:
        total, *filled = cur.execute(f"SELECT count(*), {counts} FROM {ds.table}").fetchall()[0]
    if not total:
        return none_yet
    empty = [c for c, n in zip(needed_columns(m), filled, strict=True) if not n]
    if empty:
        return text(N_("no_data.column_empty"), "en", total=total, dataset=ds.key, columns=", ".join(empty),
                    metric=m.key, column=empty[0])  # fmt: skip
    gap = missing_closings(store, m, end, where or {}, Settings.from_env())
    if gap is not None:
        return gap.sentence(m.key, ds.key)
    unbased = _without_base(store, m, total)
    if unbased:
        return unbased
    return text(N_("no_data.no_match"), "en", dataset=ds.key)


def _without_base(store: Store, m: Metric, total: int) -> str | None:
    """A rate's rows that no customer base covers (none of their region up to their month), said so.

    A missing month is carried from the region's last known base (semantic.query_kinds.rate_sql); rows
    with no base at or before their month cannot be divided by anything.
    """
    if m.exposure is None:
        return None
    ds, base = DATASETS[m.dataset], DATASETS[m.exposure.dataset]
    said = {"dataset": ds.key, "base": base.key, "metric": m.key}
    if base.table not in store.table_names():
        return text(N_("no_data.no_base"), "en", total=total, **said)
    dim, month = m.exposure.dimension, m.exposure.month
    with store.cursor() as cur:
        (alone,) = cur.execute(
            f'SELECT count(*) FROM {ds.table} t WHERE t."{m.date}" IS NOT NULL AND NOT EXISTS '
            f'(SELECT 1 FROM {base.table} c WHERE c."{dim}" = t."{dim}" '
            f'AND CAST(c."{month}" AS DATE) <= CAST(t."{m.date}" AS DATE))'
        ).fetchone()
    if not alone:
        return None
    return text(N_("no_data.without_base"), "en", alone=alone, total=total, dim=dim, **said)
