"""Key drivers of NPS: how much of the spread between answers each driver accounts for, in NPS points.

Each scored answer is recoded as the NPS counts it (promoter +100, passive 0, detractor -100), so the
mean of the rows is the NPS and a linear model's coefficients are NPS points. The drivers are survey
attributes (effort, channel, journey, segment) and what the customer lived before answering (a
complaint in the 90 days before, several contacts, a long wait, an escalation; the first-time fix rate
of the site that served a field answer), read by `metrics.semantic.driver_rows`.

- Importance is Shapley value regression: each driver's average gain in R² over every order of entry,
  exact over all 2^m subsets of drivers (a categorical driver enters with all its levels at once). The
  shares add up to the model's R², so they stay meaningful when drivers are correlated (a complaint
  and its several contacts), unlike comparing coefficients.
- Intervals: percentile bootstrap (RESAMPLES resamples of answers, seeded). Answers with the same
  values are pooled first; resampling n answers is then a multinomial draw over the pooled rows.
- Test: the F test of the model without the driver against the full model, Holm-adjusted across the
  drivers; a driver that is not significant gets no rank.
- Size in the executive's unit: each driver states a change (first-time fix +5 points, effort -0.5)
  and the effect is coefficient x change x the share of answers the change applies to, the NPS points
  the company would gain if the association held as it is.
- A driver whose smaller level has fewer than MIN_N answers is left out, and said; levels of a
  categorical driver under MIN_N are pooled with its largest level.

These are associations in the data, not effects: a customer who had a bad experience may both rate
effort high and answer low, and an unmeasured cause (a network outage) may drive several drivers at
once. Answers without effort are left out of the model when effort is analysed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special  # not scipy.stats: 1.4 s of import at every start (metrics.stats)

from metrics import stats
from metrics.insights import scope
from metrics.semantic.driver_rows import driver_rows_sql, visit_rows_sql
from metrics.store import Store

RESAMPLES = 200
SEED = 20260930
MIN_N = 30
MAX_DRIVERS = 10  # 2^10 subsets per resample: exact Shapley stays well under a second
ALPHA = 0.05
COLUMNS = (
    "driver", "kind", "n_base", "base_share", "share", "share_low", "share_high", "r2", "effect",
    "effect_low", "effect_high", "p_value", "p_holm", "significant", "rank", "worst", "best", "change",
)  # fmt: skip


@dataclass(frozen=True, kw_only=True, slots=True)
class Driver:
    """One driver: the row column it reads, how it enters the model and the change it is sized for.

    `base` names the 0/1 row column of the answers the change applies to (None: every answer), e.g.
    several contacts changes among answers from customers who complained.
    """

    key: str
    kind: str  # "binary" (0/1 column, entered in points of share), "continuous" or "categorical"
    column: str
    change: float  # binary: points of share; continuous: units; categorical: points of answers moved
    base: str | None = None
    # known only on some answers (a field visit's site-month): those are its base, the rest take its mean
    centred_on_base: bool = False


DRIVERS: tuple[Driver, ...] = (
    Driver(key="effort", kind="continuous", column="effort", change=-0.5),
    Driver(key="channel", kind="categorical", column="channel", change=5.0),
    Driver(key="journey", kind="categorical", column="journey", change=5.0),
    Driver(key="segment", kind="categorical", column="segment", change=5.0),
    Driver(key="complained", kind="binary", column="complained", change=-5.0),
    Driver(key="several", kind="binary", column="several", change=-5.0, base="complained"),
    Driver(key="slow", kind="binary", column="slow", change=-5.0, base="complained"),
    Driver(key="escalated", kind="binary", column="escalated", change=-5.0, base="complained"),
    Driver(key="ftf", kind="continuous", column="ftf_pct", change=5.0, centred_on_base=True),
)


# what goes with fixing first time: the intervention's kind and contractor, where it happened (the
# site's type is not one: an in-house site is exactly a visit without a contractor, so the two would
# say the same thing twice and the model could not tell them apart)
VISIT_DRIVERS: tuple[Driver, ...] = (
    Driver(key="kind", kind="categorical", column="kind", change=5.0),
    Driver(key="contractor", kind="categorical", column="contractor", change=5.0),
    Driver(key="region", kind="categorical", column="region", change=5.0),
)


@dataclass(frozen=True, slots=True)
class Excluded:
    """A driver left out: why ("few", "constant" or "too_many") and the count behind it."""

    driver: str
    reason: str
    n: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Analysis:
    """The drivers table (COLUMNS) with what it was computed on and what it leaves out."""

    table: pd.DataFrame
    n: int
    nps: float
    r2: float
    r2_low: float
    r2_high: float
    excluded: tuple[Excluded, ...] = ()
    no_effort: int = 0  # answers left out because effort was not given
    resamples: int = RESAMPLES
    min_n: int = MIN_N
    region: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    target: float | None = None
    missing: float | None = None  # NPS points still missing to the target (None: no target or reached)
    levels: dict[str, tuple[str, ...]] = field(default_factory=dict)  # categorical levels kept
    metric: str = "nps"  # the outcome: NPS (answers) or first_time_fix_rate (interventions)


def recode(rows: pd.DataFrame) -> np.ndarray:
    """Each answer as the NPS counts it: +100 promoter, 0 passive, -100 detractor."""
    return 100.0 * rows["promoter"].to_numpy(float) - 100.0 * rows["detractor"].to_numpy(float)


def fixed(rows: pd.DataFrame) -> np.ndarray:
    """Each intervention as the first-time-fix rate counts it: 100 fixed at the first visit, else 0."""
    return 100.0 * rows["ftf"].to_numpy(float)


def _design(
    rows: pd.DataFrame, drivers: Sequence[Driver], min_n: int
) -> tuple[list[Driver], list[np.ndarray], list[np.ndarray], list[Excluded], dict[str, tuple[str, ...]]]:
    """Each kept driver's columns and base indicator; drivers under `min_n` or constant are excluded."""
    kept, blocks, bases, excluded, levels = [], [], [], [], {}
    n = len(rows)
    for d in drivers:
        if d.column not in rows:
            continue
        base = np.ones(n) if d.base is None else rows[d.base].fillna(0).to_numpy(float)
        if d.kind == "categorical":
            values = rows[d.column].fillna("").astype(str)
            counts = values.value_counts()
            reference = str(counts.index[0]) if len(counts) else ""
            big = [str(v) for v, c in counts.items() if c >= min_n and str(v) != reference]
            if len(counts) < 2:  # one value only (a region's own analysis by region): nothing to compare
                excluded.append(Excluded(d.key, "constant", int(counts.iloc[0]) if len(counts) else 0))
                continue
            if not big:
                excluded.append(Excluded(d.key, "few", int(counts.iloc[1])))
                continue
            levels[d.key] = (reference, *big)
            block = np.column_stack([100.0 * (values == v).to_numpy(float) for v in big])
        elif d.kind == "binary":
            x = rows[d.column].fillna(0).to_numpy(float)
            ones, zeros = int((x[base == 1] == 1).sum()), int((x[base == 1] == 0).sum())
            if min(ones, zeros) < min_n:
                excluded.append(Excluded(d.key, "few", min(ones, zeros)))
                continue
            block = 100.0 * x[:, None]
        else:
            x = rows[d.column].to_numpy(float)
            known = ~np.isnan(x)
            if d.centred_on_base:
                base = known.astype(float)
            if known.sum() < min_n:
                excluded.append(Excluded(d.key, "few", int(known.sum())))
                continue
            if np.nanstd(x) == 0:
                excluded.append(Excluded(d.key, "constant", int(known.sum())))
                continue
            block = np.where(known, x - (np.nanmean(x) if d.centred_on_base else 0.0), 0.0)[:, None]
        kept.append(d)
        blocks.append(block)
        bases.append(base)
    for d in kept[MAX_DRIVERS:]:
        excluded.append(Excluded(d.key, "too_many", 0))
    m = min(len(kept), MAX_DRIVERS)
    return kept[:m], blocks[:m], bases[:m], excluded, levels


def _r2_all(moments: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    """R² of every subset of drivers (bit j of the index: driver j in), for each resample: (2^m, B)."""
    m = len(groups)
    k = moments.shape[1] - 1  # the last row and column are y
    cov_xy, var_y = moments[:, :k, k], moments[:, k, k]
    out = np.zeros((2**m, moments.shape[0]))
    for mask in range(1, 2**m):
        idx = np.concatenate([groups[j] for j in range(m) if mask >> j & 1])
        sxx = moments[:, idx][:, :, idx]
        sxy = cov_xy[:, idx]
        try:
            beta = np.linalg.solve(sxx, sxy[..., None])[..., 0]
        except np.linalg.LinAlgError:
            beta = np.einsum("bij,bj->bi", np.linalg.pinv(sxx), sxy)
        r2 = np.einsum("bi,bi->b", beta, sxy) / var_y
        # collinear drivers (a level of one is a level of another) make `solve` return noise without
        # failing: an R² outside [0, 1] is redone with the pseudo-inverse, which gives the true one
        odd = (r2 < -1e-9) | (r2 > 1 + 1e-9)
        if odd.any():
            r2[odd] = np.einsum(
                "bi,bi->b", np.einsum("bij,bj->bi", np.linalg.pinv(sxx[odd]), sxy[odd]), sxy[odd]
            )
            r2[odd] /= var_y[odd]
        out[mask] = r2
    return out


def shapley(r2: np.ndarray, m: int) -> np.ndarray:
    """Each driver's Shapley value of R² from the R² of every subset (index bits): shape (m, ...)."""
    weights = [math.factorial(s) * math.factorial(m - s - 1) / math.factorial(m) for s in range(m)]
    out = np.zeros((m, *r2.shape[1:]))
    for j in range(m):
        for mask in range(2**m):
            if not mask >> j & 1:
                out[j] += weights[bin(mask).count("1")] * (r2[mask | 1 << j] - r2[mask])
    return out


def _moments(patterns: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Covariance matrices of [X, y] for each weighting of the pooled rows: (B, k+1, k+1)."""
    out = np.empty((len(weights), patterns.shape[1], patterns.shape[1]))
    for b, w in enumerate(weights):
        total = w.sum()
        mean = w @ patterns / total
        out[b] = (patterns.T * w) @ patterns / total - np.outer(mean, mean)
    return out


def analyse(
    rows: pd.DataFrame,
    drivers: Sequence[Driver] = DRIVERS,
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
    min_n: int = MIN_N,
    outcome: Callable[[pd.DataFrame], np.ndarray] = recode,
) -> Analysis:
    """Shapley shares, tests and point effects of `drivers` over `rows`, the outcome in points.

    `outcome` turns each row into points whose mean is the metric: `recode` for NPS (answers),
    `fixed` for the first-time-fix rate (interventions).
    """
    rows = rows.reset_index(drop=True)
    no_effort = 0
    uses_effort = any(d.column == "effort" for d in drivers) and "effort" in rows
    if uses_effort and rows["effort"].notna().sum() >= min_n:
        no_effort = int(rows["effort"].isna().sum())
        rows = rows[rows["effort"].notna()].reset_index(drop=True)
    y = outcome(rows)
    kept, blocks, bases, excluded, levels = _design(rows, drivers, min_n)
    empty = pd.DataFrame(columns=list(COLUMNS))
    n, nan = len(rows), math.nan
    if not kept or n <= 2:
        return Analysis(table=empty, n=n, nps=float(y.mean()) if n else nan, r2=nan, r2_low=nan,
                        r2_high=nan, excluded=tuple(excluded), no_effort=no_effort, min_n=min_n)  # fmt: skip
    x = np.column_stack(blocks)
    widths = np.cumsum([0, *(b.shape[1] for b in blocks)])
    groups = [np.arange(widths[j], widths[j + 1]) for j in range(len(kept))]
    patterns, counts = np.unique(np.column_stack([x, y, *bases]), axis=0, return_counts=True)
    rng = np.random.default_rng(seed)
    weights = np.vstack([counts, rng.multinomial(n, counts / n, size=resamples)]).astype(float)
    k = x.shape[1]
    moments = _moments(patterns[:, : k + 1], weights)
    r2 = _r2_all(moments, groups)
    m, full = len(kept), 2 ** len(kept) - 1
    shares = shapley(r2, m)
    beta = np.linalg.solve(moments[:, :k, :k], moments[:, :k, k][..., None])[..., 0]
    base_share = weights @ patterns[:, k + 1 :] / n  # (B, m)
    df2 = n - k - 1
    rows_out = []
    for j, d in enumerate(kept):
        q = len(groups[j])
        gain = r2[full, 0] - r2[full & ~(1 << j), 0]
        f_stat = (gain / q) / ((1 - r2[full, 0]) / df2) if df2 > 0 else nan
        p = float(special.fdtrc(q, df2, f_stat)) if df2 > 0 else nan  # F(q, df2) upper tail
        worst = best = None
        if d.kind == "categorical":
            coef = np.column_stack([np.zeros(len(weights)), beta[:, groups[j]]])  # the reference is 0
            lo, hi = int(np.argmin(coef[0])), int(np.argmax(coef[0]))
            worst, best = levels[d.key][lo], levels[d.key][hi]
            effect = d.change * (coef[:, hi] - coef[:, lo])
        else:
            effect = d.change * beta[:, groups[j][0]] * base_share[:, j]
        share = 100 * shares[j] / r2[full]
        rows_out.append({
            "driver": d.key, "kind": d.kind, "n_base": round(float(base_share[0, j]) * n),
            "base_share": float(base_share[0, j]), "share": float(share[0]),
            "share_low": float(np.percentile(share[1:], 2.5)),
            "share_high": float(np.percentile(share[1:], 97.5)),
            "r2": float(shares[j, 0]), "effect": float(effect[0]),
            "effect_low": float(np.percentile(effect[1:], 2.5)),
            "effect_high": float(np.percentile(effect[1:], 97.5)),
            "p_value": p, "worst": worst, "best": best, "change": d.change,
        })  # fmt: skip
    table = pd.DataFrame(rows_out)
    table["p_holm"] = stats.holm(table["p_value"].to_numpy(float))
    table["significant"] = table["p_holm"] < ALPHA
    order = table[table["significant"]].sort_values("share", ascending=False).index
    table["rank"] = pd.Series(range(1, len(order) + 1), index=order, dtype="Int64")
    rest = table[~table["significant"]].sort_values("driver").index  # no order implied among them
    table = table.loc[[*order, *rest]].reset_index(drop=True).reindex(columns=list(COLUMNS))
    return Analysis(
        table=table, n=n, nps=float(y.mean()), r2=float(r2[full, 0]),
        r2_low=float(np.percentile(r2[full, 1:], 2.5)), r2_high=float(np.percentile(r2[full, 1:], 97.5)),
        excluded=tuple(excluded), no_effort=no_effort, resamples=resamples, min_n=min_n, levels=levels,
    )  # fmt: skip


def driver_rows(
    store: Store, start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] = ()
) -> pd.DataFrame:
    """One row per scored answer of the period with its drivers (driver_rows.ROW_COLUMNS)."""
    sql, params = driver_rows_sql(start, end, regions)
    return scope.read(store, sql, params)


def visit_rows(
    store: Store, start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] = ()
) -> pd.DataFrame:
    """One row per intervention with an outcome (driver_rows.VISIT_COLUMNS)."""
    sql, params = visit_rows_sql(start, end, regions)
    return scope.read(store, sql, params)


# the outcomes a driver analysis can explain: the rows it reads, its drivers and its points
OUTCOMES = {
    "nps": (driver_rows, DRIVERS, recode),
    "first_time_fix_rate": (visit_rows, VISIT_DRIVERS, fixed),
}


def key_drivers(
    store: Store,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    region: str | None = None,
    metric_key: str = "nps",
) -> Analysis:
    """The year-to-date drivers of `metric_key` (company, or one region), with the points missing to target.

    NPS is read from the answers (OUTCOMES), the first-time-fix rate from the interventions.
    """
    from dataclasses import replace

    from metrics.reports.trajectory import default_as_of, trajectory
    from metrics.semantic.definitions import metric

    rows_of, drivers, outcome = OUTCOMES[metric_key]
    tr = trajectory(store, metric(metric_key), year=year, as_of=as_of or default_as_of(store), region=region)
    start = dt.date(tr.year, 1, 1)  # the trajectory's year to date, so the gap and the drivers agree
    found = analyse(rows_of(store, start, tr.as_of, (region,) if region else ()), drivers, outcome=outcome)
    missing = -tr.gap if tr.gap is not None and tr.gap < 0 else None
    return replace(
        found, region=region, start=start, end=tr.as_of, target=tr.target, missing=missing, metric=metric_key
    )
