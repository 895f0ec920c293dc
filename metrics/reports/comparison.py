"""Each group against the rest of its scope, with Holm-adjusted p-values over the family shown at once.

When nine regions are each tested at 5 % and all are truly equal, at least one is flagged in about a
third of months. Every page and command that says "above" or "below" for several groups at once
(the Regions league, `compare`) goes through `compare_groups`, which adjusts the family's p-values
with Holm's method before any verdict (docs/methods.md says why Holm).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from metrics import stats
from metrics.catalogue import N_
from metrics.errors import UnknownName
from metrics.semantic.definitions import METRICS, Metric
from metrics.semantic.kinds import KINDS, spec
from metrics.semantic.query import median_split, metric_frame, values_from_sums
from metrics.store import Store

MIN_N = 30
ALPHA = 0.05
VERDICTS = ("above", "below", "noise", "small")
COLUMNS = (
    "value", "n", "moe", "low", "high", "rest_value", "diff", "moe_difference", "p", "p_adjusted", "verdict"
)  # fmt: skip


# kinds with a two-group test (metrics.semantic.kinds); census kinds (count, ratio, backlog) have none
TESTABLE = tuple(k for k, kind in KINDS.items() if kind.testable)


def _median_rest(
    store: Store, m: Metric, by: str, groups: pd.DataFrame, start: dt.date | None, end: dt.date | None,
    where: Mapping[str, Sequence[str]],
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Median of each group's complement (queried, a median does not subtract) and Mood's p-value."""
    values = [g for g in groups[by] if pd.notna(g)]
    rest_values = []
    for group in groups[by]:
        others = [v for v in values if v != group]
        got = metric_frame(store, m, grain="total", start=start, end=end, where={**where, by: others})
        rest_values.append(got["value"].iloc[0] if others and len(got) else np.nan)
    split = median_split(store, m, by, start, end, where).set_index(by)
    above = split["above"].reindex(groups[by]).to_numpy(dtype=float)
    n = split["n"].reindex(groups[by]).to_numpy(dtype=float)
    p = stats.mood_median_test(above, n, above.sum() - above, n.sum() - n)
    return np.asarray(rest_values, dtype=float), np.asarray(p, dtype=float)


def compare_groups(
    store: Store,
    m: Metric,
    *,
    by: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    where: Mapping[str, Sequence[str]] | None = None,
    min_n: int = MIN_N,
) -> pd.DataFrame:
    """One row per value of `by`: the group against the rest of the scope, tested and Holm-adjusted.

    Groups under `min_n` observations get the verdict "small" and stay out of the family. Columns:
    `by`, value, n, moe, low, high, rest_value, diff, moe_difference, p, p_adjusted, verdict.
    """
    if m.kind not in TESTABLE:
        testable = ", ".join(k for k, x in METRICS.items() if x.kind in TESTABLE)
        raise UnknownName(N_("compare.census"), metric=m.key, kind=m.kind.value, metrics=testable)
    where = {k: list(v) for k, v in (where or {}).items()}
    groups = metric_frame(store, m, grain="total", by=(by,), start=start, end=end, where=where)
    if groups.empty:
        return pd.DataFrame(columns=[by, *COLUMNS])
    out = groups[[by, "value", "n", "moe", "low", "high"]].copy()
    if spec(m).median_test:
        out["rest_value"], p = _median_rest(store, m, by, groups, start, end, where)
        out["moe_difference"] = np.nan
    else:
        scope = metric_frame(store, m, grain="total", start=start, end=end, where=where)
        sums = [c for c in (*m.measures, "exposure") if c in groups.columns]
        rest = pd.DataFrame({c: scope[c].iloc[0] - groups[c] for c in sums})
        # values_from_sums drops an empty rest (one group is the whole scope): realign on a row number
        valued = values_from_sums(m, rest.assign(row=np.arange(len(rest)))).set_index("row")["value"]
        out["rest_value"] = valued.reindex(np.arange(len(rest))).to_numpy()
        test = spec(m).test
        assert test is not None  # testable and not a median: a test on sums
        cmp = test(m, groups, rest)
        p = np.asarray(cmp.p_value, dtype=float)
        out["moe_difference"] = cmp.moe_difference
    out["diff"] = out["value"] - out["rest_value"]
    small = (out["n"] < min_n).to_numpy()
    out["p"] = np.where(small, np.nan, p)
    out["p_adjusted"] = stats.holm(out["p"])
    significant = out["p_adjusted"] < ALPHA
    out["verdict"] = np.select(
        [small, ~significant, out["diff"] > 0], ["small", "noise", "above"], default="below"
    )
    return out.reset_index(drop=True)
