"""Is the probability of reaching a target calibrated? Simulated NPS years whose truth is known.

Each simulated series has 36 months (two years before this one, and this one) of true NPS levels:
- flat: a constant level, each month straying from it by N(0, tau²), tau drawn in 0-2 points a year;
- trend: the same around a line rising or falling 0.3 point a month (the sign drawn at random: a
  population of only falling years would reward a model that assumes falls);
- random_walk: a level that steps by N(0, 1) point a month, months straying by tau as above;
- high_volume: flat with 20,000 answers a month instead of 1,000, so tau dwarfs the sampling error.
Answers are drawn month by month (multinomial: 30 % passives, promoters and detractors around the
level). At a random as-of month (January to November) the product's function gets the year to date,
the last 24 months and a target around the year-to-date value, drawn from what was seen only; the
event is the simulated year's real NPS reaching it.

`python -m tests.calibration` prints each scenario's table (predicted against observed per tenth of
probability); `--old FILE` runs another version of `metrics/reports/probability.py` instead, as it
was called (its last 6 months, `draws`), e.g. the one `git show HEAD:metrics/reports/probability.py`
prints. Used by tests/test_probability_calibration.py.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

SCENARIOS = ("flat", "trend", "random_walk", "high_volume")
HISTORY = 36
PERIODS = pd.date_range("2024-01-01", periods=HISTORY, freq="MS")
PASSIVES = 0.30
BINS = np.linspace(0.0, 1.0, 11)

# (ytd, recent, remaining, months_left, target) -> the product's outlook (or None)
Predict = Callable[[dict, pd.DataFrame, float, int, float], object]


@dataclass(frozen=True)
class Year:
    """One simulated year: what the product is given, and what really happened."""

    ytd: dict
    recent: pd.DataFrame
    remaining: float
    months_left: int
    target: float
    final: float  # the year's real NPS
    reached: bool


def true_levels(rng: np.random.Generator, scenario: str) -> np.ndarray:
    """HISTORY monthly true NPS levels."""
    start = rng.uniform(10.0, 50.0)
    tau = rng.uniform(0.0, 2.0)
    months = np.arange(HISTORY)
    if scenario == "trend":
        path = start + rng.choice([-0.3, 0.3]) * months
    elif scenario == "random_walk":
        path = start + np.cumsum(rng.normal(0.0, 1.0, HISTORY))
    else:
        path = np.full(HISTORY, start)
    return path + rng.normal(0.0, tau, HISTORY)


def simulate(rng: np.random.Generator, scenario: str, recent_months: int = 24) -> Year:
    """One year of `scenario`, cut at a random as-of month."""
    n = 20_000 if scenario == "high_volume" else 1_000
    nps = np.clip(true_levels(rng, scenario), -65.0, 65.0) / 100
    shares = np.column_stack([(1 - PASSIVES + nps) / 2, (1 - PASSIVES - nps) / 2, np.full(HISTORY, PASSIVES)])
    counts = rng.multinomial(n, shares)[:, :2]  # promoters, detractors
    monthly = 100 * (counts[:, 0] - counts[:, 1]) / n
    done = int(rng.integers(1, 12))  # months of this year seen
    january = HISTORY - 12
    now = january + done  # the first month to come
    value = float(monthly[january:now].mean())  # equal volumes: the YTD NPS is the months' mean
    final = float(monthly[january:].mean())
    # the target: around the year so far, as far as last year's months spread, times the share of
    # the year to come; drawn from what was seen only, or it would test nothing
    width = 2 * monthly[now - 12 : now].std() * (12 - done) / 12
    target = value + rng.uniform(-width, width)
    first = now - recent_months
    recent = pd.DataFrame(
        {"period": PERIODS[first:now], "promoters": counts[first:now, 0], "detractors": counts[first:now, 1]}
    ).assign(n=n)
    seen = counts[january:now].sum(axis=0)
    ytd = {"promoters": float(seen[0]), "detractors": float(seen[1]), "n": float(n * done), "value": value}
    return Year(ytd, recent, float(n * (12 - done)), 12 - done, float(target), final, final >= target)


def run(predict: Predict, scenario: str, years: int, seed: int, recent_months: int = 24) -> pd.DataFrame:
    """One row per simulated year: the outlook the product gave, and whether the target was reached."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(years):
        y = simulate(rng, scenario, recent_months)
        got = predict(y.ytd, y.recent, y.remaining, y.months_left, y.target)
        rows.append({"outlook": got, "reached": y.reached})
    frame = pd.DataFrame(rows)
    frame["p"] = [np.nan if o is None else o.probability for o in frame["outlook"]]
    return frame


def bins(frame: pd.DataFrame) -> pd.DataFrame:
    """Per tenth of predicted probability: years, mean prediction, observed frequency, and their gap in
    standard errors, the error of a count of events each happening with its own predicted probability."""
    cut = pd.cut(frame["p"], BINS, include_lowest=True)
    grouped = frame.assign(var=frame["p"] * (1 - frame["p"])).groupby(cut, observed=True)
    got = grouped.agg(
        n=("p", "size"), predicted=("p", "mean"), observed=("reached", "mean"), var=("var", "sum")
    )
    got["gap"] = got["observed"] - got["predicted"]
    got["z"] = got["gap"] * got["n"] / np.sqrt(got["var"])
    return got.drop(columns="var").reset_index(names="bin")


def product(ytd: dict, recent: pd.DataFrame, remaining: float, months_left: int, target: float) -> object:
    """The product's function, called as `reports.outlook` calls it for an NPS."""
    from metrics.reports.probability import target_probability
    from metrics.semantic.definitions import StatKind

    return target_probability(
        StatKind.NPS, ytd, recent, remaining=remaining, months_left=months_left, target=target
    )


def tolerance_z(comparisons: int, alpha: float = 0.01) -> float:
    """The gap, in standard errors, that a calibrated model exceeds somewhere among `comparisons` bins
    with probability `alpha` (two-sided, Bonferroni)."""
    return float(norm.isf(alpha / (2 * comparisons)))


def _old(path: str) -> Predict:
    spec = importlib.util.spec_from_file_location("probability_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    from metrics.semantic.definitions import StatKind

    def predict(ytd: dict, recent: pd.DataFrame, remaining: float, months_left: int, target: float) -> object:
        return module.target_probability(
            StatKind.NPS, ytd, recent.tail(6), remaining=remaining, months_left=months_left, target=target,
            draws=4000,
        )

    return predict


def main() -> None:
    """Print each scenario's calibration table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=2000, help="simulated years per scenario")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--old", help="another probability.py, called as it was (6 recent months)")
    args = parser.parse_args()
    predict = _old(args.old) if args.old else product
    pd.set_option("display.width", 120)
    for i, scenario in enumerate(SCENARIOS):
        frame = run(predict, scenario, args.years, args.seed + i)
        sd = [getattr(o, "month_sd", getattr(o, "between_months_sd", np.nan)) for o in frame["outlook"]]
        zero = np.mean(np.asarray(sd) == 0)
        print(f"\n{scenario}: {len(frame)} years, month-to-month sd estimated at 0 in {zero:.0%} of them")
        print(bins(frame).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
