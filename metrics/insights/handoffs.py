"""Hand-offs: how many complaints needed more than one contact, and what that costs in days and in NPS.

Three answers, each with n and a 95 % interval: the share of complaints with more than one contact
(the declared `repeat_contact_rate`), the resolution time of one-contact against several-contact
complaints (medians with order-statistic intervals; the gap tested on means, Welch), and the NPS of
the same customers' answers given on or after their first complaint of the period, linked by
`customer_id` (a customer counts as "several" if any of their complaints took more than one contact).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from metrics import stats
from metrics.contracts.datasets import DATASETS
from metrics.fragments import one_of, period
from metrics.insights import scope
from metrics.semantic.definitions import metric
from metrics.semantic.query import metric_frame
from metrics.store import Store

GROUPS = ("one", "several")
COLUMNS = ("measure", "group", "value", "n", "moe", "low", "high", "difference", "p_value", "significant")


def _test(cmp: stats.Comparison) -> dict[str, object]:
    """The gap "several minus one", its p-value and whether it is significant, for the "several" row."""
    return {
        "difference": float(cmp.difference),
        "p_value": float(cmp.p_value),
        "significant": bool(cmp.significant),
    }


def _scope(
    start: dt.date | None, end: dt.date | None, column: str, regions: Sequence[str]
) -> tuple[str, list[object]]:
    conditions, params = period(column, start, end)
    if regions:
        condition, region_params = one_of('c."region"', regions)
        conditions.append(condition)
        params += region_params
    return " AND ".join(conditions), params


def _flagged_complaints(
    start: dt.date | None, end: dt.date | None, regions: Sequence[str]
) -> tuple[str, list[object]]:
    """Complaints of the period with a known contact count: customer, opened, days (if closed), several."""
    contacts = metric("repeat_contact_rate")
    resolution = metric("resolution_days_median")  # its `where` says which complaints have a duration
    ds = DATASETS[contacts.dataset]
    where, params = _scope(start, end, f'c."{contacts.date}"', regions)
    sql = (
        f'SELECT c."customer_id" AS customer, c."{contacts.date}" AS opened, '
        f"CASE WHEN {resolution.where} THEN {resolution.measures['x']} END AS days, "
        f"{contacts.measures['successes']} = 1 AS several FROM {ds.table} c "
        f"WHERE {where} AND {contacts.measures['n']} = 1"
    )
    return sql, params


def resolution(
    store: Store, start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] = ()
) -> pd.DataFrame:
    """Median and mean resolution days of one- and several-contact complaints, with the Welch test."""
    flagged, params = _flagged_complaints(start, end, regions)
    # order-statistic interval of the median: ranks n/2 -+ 0.98 sqrt(n) (as metrics.semantic.query does)
    sql = (
        f"-- hand-offs: resolution days by number of contacts\n"
        f"SELECT several, count(days) AS n, median(days) AS median, "
        f"list_sort(list(days))[greatest(1, CAST(floor(count(days) / 2.0 - 0.98 * sqrt(count(days))) "
        f"AS BIGINT))] AS low, list_sort(list(days))[least(count(days), CAST(ceil(count(days) / 2.0 + 1 "
        f"+ 0.98 * sqrt(count(days))) AS BIGINT))] AS high, sum(days) AS total, sum(days * days) AS total_sq "
        f"FROM ({flagged}) f WHERE days IS NOT NULL GROUP BY several ORDER BY several"
    )
    got = scope.read(store, sql, params).set_index("several")
    test: dict[str, object] = {}
    if {False, True} <= set(got.index):
        one, several = got.loc[False], got.loc[True]
        test = _test(stats.compare_means(
            several["total"], several["total_sq"], several["n"], one["total"], one["total_sq"], one["n"]
        ))  # fmt: skip
    rows = []
    for flag, name in ((False, "one"), (True, "several")):
        if flag not in got.index:
            continue
        r = got.loc[flag]
        rows.append(
            {"measure": "resolution_days_median", "group": name, "value": r["median"], "n": int(r["n"]),
             "moe": (r["high"] - r["low"]) / 2, "low": r["low"], "high": r["high"]}
        )  # fmt: skip
        iv = stats.mean_interval(r["total"], r["total_sq"], r["n"])
        rows.append(
            {"measure": "resolution_days_mean", "group": name, "value": iv.value, "n": int(r["n"]),
             "moe": iv.moe, "low": iv.low, "high": iv.high, **(test if flag else {})}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(COLUMNS))


def linked_nps(
    store: Store, start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] = ()
) -> pd.DataFrame:
    """NPS of the answers customers gave on or after their first complaint, one- against several-contact."""
    flagged, params = _flagged_complaints(start, end, regions)
    nps = metric("nps")
    answers = DATASETS[nps.dataset]
    sql = (
        f"-- metric: nps of customers by number of complaint contacts\n"
        f"WITH customers AS (SELECT customer, bool_or(several) AS several, min(opened) AS first "
        f"FROM ({flagged}) f WHERE customer IS NOT NULL GROUP BY customer) "
        f"SELECT c.several, {scope.nps_sums(nps)}, sum({nps.measures['n']}) AS n "
        f'FROM customers c JOIN {answers.table} r ON r."customer_id" = c.customer '
        f'AND r."{nps.date}" >= c.first GROUP BY c.several ORDER BY c.several'
    )
    got = scope.read(store, sql, params)
    got = got[got["n"] > 0]
    test: dict[str, object] = {}
    if len(got) == 2:
        one, several = got.iloc[0], got.iloc[1]
        test = _test(stats.compare_nps(
            several["promoters"], several["detractors"], several["n"],
            one["promoters"], one["detractors"], one["n"],
        ))  # fmt: skip
    rows = []
    for r in got.itertuples(index=False):
        iv = stats.nps_interval(r.promoters, r.detractors, r.n)
        rows.append(
            {"measure": "nps", "group": "several" if r.several else "one", "value": iv.value, "n": int(r.n),
             "moe": iv.moe, "low": iv.low, "high": iv.high, **(test if r.several else {})}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(COLUMNS))


def handoffs(
    store: Store, start: dt.date | None = None, end: dt.date | None = None, regions: Sequence[str] = ()
) -> pd.DataFrame:
    """The three answers in one long table: measure, group, value, n, moe, low, high, test on the gap.

    `regions` keeps the complaints of those regions (and the answers of their customers, wherever given).
    """
    where = {"region": list(regions)} if regions else {}
    share = metric_frame(store, "repeat_contact_rate", grain="total", start=start, end=end, where=where)
    first = share[["value", "n", "moe", "low", "high"]].assign(measure="several_contacts_pct", group="all")
    found = (resolution(store, start, end, regions), linked_nps(store, start, end, regions))
    parts = [p for p in (first, *found) if not p.empty]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(COLUMNS))
    return out.reindex(columns=list(COLUMNS))
