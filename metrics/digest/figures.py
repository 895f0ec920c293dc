"""A recipient's figures: the followed metrics in their scope, and the alerts raised in it, as plain data.

Everything is read through `scoped(store, caller)`, so a regional director's digest is computed from
their regions' rows only (never the sender's, who runs the command as admin), and a workload figure
goes through the privacy rule inside `metric_frame`. The figures are plain JSON-able data, rounded to
each metric's decimals: what the digest shows is what `history` remembers and compares next time, so
float noise never counts as a move.

- one line per followed metric and scope: the whole company for a caller who reads every region,
  else one per region of theirs (with the region's own target when it has one);
- the status is `verdict.decide` (one status everywhere), the run-rate `trajectory`'s `required`;
- alerts: those `alerts.watch` raises in the recipient's scope for followed metrics, that started or
  were detected from the month of the previous digest's as-of on (the month of this one's for a first
  digest), less those an earlier digest already told.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from metrics.access.caller import Caller
from metrics.months import month_start
from metrics.reports.formatting import missing

if TYPE_CHECKING:
    from metrics.access.scoped import ScopedStore
    from metrics.store import Store

    Reader = Store | ScopedStore

Figures = dict[str, object]
ALERT_KEY = ("metric", "dimension", "group", "direction", "started")


def readable_metrics(caller: Caller, keys: Sequence[str]) -> tuple[list[str], list[str]]:
    """`keys` split into those whose dataset the caller reads and those they do not."""
    from metrics.semantic.definitions import metric

    mine = [k for k in keys if metric(k).dataset in caller.datasets]
    return mine, [k for k in keys if k not in mine]


def followed(view: Reader, caller: Caller, chosen: Sequence[str], as_of: dt.date | None) -> list[str]:
    """The recipient's metrics: those chosen, else those with a target in the digest's year."""
    from metrics.reports.trajectory import default_as_of, targeted_metrics

    if chosen:
        return list(chosen)
    year = (as_of or default_as_of(view)).year
    return readable_metrics(caller, targeted_metrics(view, year))[0]


def _rounded(x: object, decimals: int) -> float | None:
    return None if missing(x) else round(float(x), decimals) + 0.0  # type: ignore[arg-type]


def line(view: Reader, key: str, region: str | None, as_of: dt.date | None) -> dict[str, object]:
    """One metric in one scope: year-to-date value, n, target, required run-rate and the verdict."""
    from metrics.reports.outlook import probability
    from metrics.reports.trajectory import trajectory
    from metrics.reports.verdict import decide
    from metrics.semantic.definitions import metric

    tr = trajectory(view, metric(key), as_of=as_of, region=region)
    judged = decide(tr, probability(view, tr))
    d = tr.metric.decimals
    return {
        "metric": key, "region": region, "as_of": tr.as_of.isoformat(), "value": _rounded(tr.value, d),
        "n": int(tr.n), "target": _rounded(tr.target, 6), "required": _rounded(tr.required, d),
        "best_possible": _rounded(tr.best_possible, d), "status": judged.status,
    }  # fmt: skip


def window_alerts(found: pd.DataFrame, keys: Sequence[str], since: dt.date) -> list[dict[str, object]]:
    """The alerts of `found` on `keys` that started or were detected on or after `since`, as data."""
    out = []
    for row in found.itertuples(index=False):
        started, detected = pd.Timestamp(row.started).date(), pd.Timestamp(row.detected).date()
        if row.metric in keys and max(started, detected) >= since:
            out.append({"metric": row.metric, "dimension": row.dimension, "group": str(row.group),
                        "direction": row.direction, "started": started.isoformat(),
                        "better": bool(row.better), "grain": row.grain})  # fmt: skip
    return out


def alert_key(alert: Mapping[str, object]) -> tuple[str, ...]:
    """What identifies an alert from one digest to the next."""
    return tuple(str(alert.get(k)) for k in ALERT_KEY)


def alerts(
    view: Reader, keys: Sequence[str], end: dt.date, previous: Mapping[str, object] | None
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """(new, seen): the alerts of the window in the recipient's scope, and those no earlier digest had.

    The window starts at the month of the previous digest's end (this one's for a first digest);
    `seen` is remembered, so an alert is told once however many digests its window spans.
    """
    from metrics.insights.alerts import ALERT_METRICS, watch

    watched = [k for k in keys if k in ALERT_METRICS]
    if not watched:
        return [], []
    last_end = dt.date.fromisoformat(str(previous["alerts_end"])) if previous else end
    # every alert metric is charted, as on the Alerts page: the family's limit is the page's
    seen = window_alerts(watch(view, end).alerts, watched, month_start(min(last_end, end)))
    known = {alert_key(a) for a in (previous or {}).get("alerts_seen", [])}  # type: ignore[attr-defined]
    return [a for a in seen if alert_key(a) not in known], seen


def figures(
    view: Reader,
    caller: Caller,
    keys: Sequence[str],
    as_of: dt.date | None,
    previous: Mapping[str, object] | None,
) -> Figures:
    """Everything one digest says, as JSON-able data: its lines, its new alerts and their window."""
    from metrics.reports.trajectory import default_as_of

    regions: tuple[str | None, ...] = caller.region_filter or (None,)
    lines = [line(view, key, region, as_of) for key in keys for region in regions]
    end = as_of or default_as_of(view)
    new, seen = alerts(view, keys, end, previous)
    return {
        "scope": scope_key(caller),
        "as_of": max((str(x["as_of"]) for x in lines), default=end.isoformat()),
        "lines": lines,
        "alerts": new,
        "alerts_seen": seen,
        "alerts_end": end.isoformat(),
    }


def scope_key(caller: Caller) -> dict[str, object]:
    """What the recipient reads; a digest whose scope changed is a first digest, not a comparison."""
    regions = caller.region_filter
    return {"regions": None if regions is None else sorted(regions), "datasets": sorted(caller.datasets)}
