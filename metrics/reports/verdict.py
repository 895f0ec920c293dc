"""One verdict per metric and scope, and one order of the regions: every surface shows these.

The Trajectory cards, the Regions page, the CLI `summary`/`trajectory` and the board pack used to
decide on their own (the card said "off track" where the CLI said "reachable: yes" for an NPS that
needed 62,8 a month after a best month of 33,7 and a 0 % chance). The rules, in order:

1. no target: `no_target`; a target with nothing measured: `no_data` (`no_data_yet` on 1 January);
2. a finished year: `met` or `missed`;
3. a required run-rate beyond what the metric can take (NPS over 100, a share over 100 %): `out_of_reach`;
4. a chance of reaching the target under `UNLIKELY` (5 %), unless the year's best month already did
   what the months to come must average: `unlikely`. The model's chance and the realism check must
   agree: one good month is noise, and the model assumes the recent trend holds;
5. otherwise where the year to date stands against the glide path: `on_track`, `at_risk` (behind by
   less than the margin of error) or `off_track` (`reports.trajectory`).

`reachable` answers "can the rest of the year still deliver the target?" from the same verdict: no for
`out_of_reach` and `unlikely`, yes for the glide statuses, nothing when the question does not arise.
Method and limits: docs/methods.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.reports.trajectory import Trajectory
from metrics.semantic.definitions import Metric
from metrics.store import Store

UNLIKELY = 0.05  # under 1 chance in 20 of reaching the target
GLIDE = ("on_track", "at_risk", "off_track")
NOT_JUDGED = ("no_target", "no_data", "no_data_yet")


@dataclass(frozen=True, kw_only=True, slots=True)
class Verdict:
    """The status of one metric in one scope, and the figures it was decided on."""

    status: str  # one of formatting.STATUSES
    reachable: bool | None
    probability: float | None  # 0-1, None where the model cannot tell
    best_month: float | None  # the year's best month so far


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _at_least(m: Metric, a: float, b: float) -> bool:
    """True when `a` is at least as good as `b`."""
    return a >= b if m.higher_is_better else a <= b


def best_month(m: Metric, months: pd.DataFrame) -> float | None:
    """The best monthly value of the year so far (highest, or lowest when lower is better)."""
    values = months["value"].dropna().astype(float)
    if values.empty:
        return None
    return float(values.max() if m.higher_is_better else values.min())


def decide(tr: Trajectory, probability: float | None) -> Verdict:
    """The verdict of `tr` given its chance of reaching the target (rules in the module docstring)."""
    m = tr.metric
    best = best_month(m, tr.months)
    p = None if _missing(probability) else float(probability)  # type: ignore[arg-type]

    def verdict(status: str, reachable: bool | None) -> Verdict:
        return Verdict(status=status, reachable=reachable, probability=p, best_month=best)

    if tr.target is None:
        return verdict("no_target", None)
    if tr.status in NOT_JUDGED or _missing(tr.value):
        return verdict(tr.status if tr.status in NOT_JUDGED else "no_data", None)
    if tr.months_left <= 0:
        return verdict("met" if _at_least(m, tr.value, tr.target) else "missed", None)
    if tr.reachable is False:
        return verdict("out_of_reach", False)
    done_before = tr.required is not None and best is not None and _at_least(m, best, tr.required)
    if p is not None and p < UNLIKELY and not done_before:
        return verdict("unlikely", False)
    return verdict(tr.status if tr.status in GLIDE else "no_target", True)


def verdict(store: Store, tr: Trajectory) -> Verdict:
    """`decide` with the chance of reaching the target computed from the store (reports.outlook)."""
    from metrics.reports.outlook import probability  # outlook reads trajectories too

    return decide(tr, probability(store, tr))


def rank_regions(m: Metric, frame: pd.DataFrame) -> pd.DataFrame:
    """Regions ordered by value, best first, small samples last; `rank` 1, 2, ... for the others only.

    The one order of the Regions page and the board pack. `frame` needs `value` and `small`.
    """
    out = frame.sort_values(["small", "value"], ascending=[True, not m.higher_is_better], kind="stable")
    ranks = pd.Series(np.arange(1, len(out) + 1), index=out.index, dtype="Int64")
    out = out.assign(rank=ranks.where(~out["small"].astype(bool)))
    return out.reset_index(drop=True)
