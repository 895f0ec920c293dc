"""The probability of reaching an annual target: pure, deterministic simulations of the rest of the year.

Sampling error alone understates the risk, because the true level itself moves from month to month.
Each simulation draws (1) the recent level from its uncertainty, (2) each remaining month's true level
around it with the month-to-month variance seen beyond sampling (`tau2`), (3) that month's answers.
NPS and rates are categorical (Dirichlet-multinomial, Beta-binomial: a rate is a two-category NPS);
means, medians and complaint rates use the normal form of the same model. Method: docs/methods.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.semantic.kinds import KINDS, Categories, StatKind

DRAWS = 20_000
SEED = 18


Z95 = 1.959963984540054


@dataclass(frozen=True, kw_only=True, slots=True)
class Outlook:
    """The chance of reaching the target, and the recent level it was computed from."""

    probability: float  # 0-1
    level: float  # the recent level, pooled over the months given
    level_sd: float  # its uncertainty (sampling and month-to-month)
    between_months_sd: float  # sd of the true monthly level beyond sampling (sqrt of tau2)
    months: int  # recent months used
    draws: int


def between_months_variance(values: Sequence[float], sampling_variances: Sequence[float]) -> float:
    """tau2: the variance of monthly values beyond their sampling variance (0 when sampling explains it)."""
    vals = np.asarray(values, dtype=float)
    if len(vals) < 2:
        return 0.0
    return float(max(0.0, vals.var(ddof=1) - float(np.mean(sampling_variances))))


def _reached(final: np.ndarray, target: float, higher_is_better: bool) -> float:
    return float(np.mean(final >= target if higher_is_better else final <= target))


def _month_sizes(remaining: float, months_left: int) -> np.ndarray:
    """The remaining volume spread evenly over the remaining months, in whole answers."""
    total = round(remaining)
    base = np.full(months_left, total // months_left)
    base[: total % months_left] += 1
    return base


@dataclass(frozen=True)
class _Year:
    """What both models simulate from: the year so far, the recent months and what is left to come."""

    ytd: Mapping[str, float]
    recent: pd.DataFrame
    remaining: float
    months_left: int
    target: float
    higher_is_better: bool
    rng: np.random.Generator
    draws: int

    def outlook(self, final: np.ndarray, level: float, level_var: float, tau2: float) -> Outlook:
        """The simulated year-end values summed up: the share reaching the target, and the model's terms."""
        return Outlook(
            probability=_reached(final, self.target, self.higher_is_better),
            level=level,
            level_sd=float(np.sqrt(level_var)),
            between_months_sd=float(np.sqrt(tau2)),
            months=len(self.recent),
            draws=len(final),
        )


def _categorical(spec: Categories, year: _Year) -> Outlook:
    """NPS and proportions: the answers' categories drawn month by month around a Dirichlet level."""
    ytd, recent, remaining, months_left, rng, draws = (
        year.ytd, year.recent, year.remaining, year.months_left, year.rng, year.draws
    )
    scores = np.asarray(spec.scores)
    counts = recent[list(spec.columns)].to_numpy(float)
    counts = np.column_stack([counts, recent["n"].to_numpy(float) - counts.sum(axis=1)])
    n_months = counts.sum(axis=1)
    total = counts.sum(axis=0)
    p = total / total.sum()
    unit_var = float(scores**2 @ p - (scores @ p) ** 2)  # variance of one answer's score
    values = counts @ scores / n_months
    tau2 = between_months_variance(values, unit_var / n_months)
    level_var = unit_var / total.sum() + tau2 / len(recent)
    # a Dirichlet with mean p and concentration c gives the score a variance of unit_var / (c + 1)
    conc = max(unit_var / level_var - 1.0, 1.0) if level_var > 0 else 1e12
    prior = (total + 0.5) / (total.sum() + 0.5 * len(total))  # no category at exactly 0
    base = rng.dirichlet(conc * prior, size=draws)
    sizes = _month_sizes(remaining, months_left)
    if tau2 > 0:
        alpha = max(unit_var / tau2 - 1.0, 1e-3)
        gam = rng.gamma(alpha * base[:, None, :].repeat(months_left, axis=1))
        shares = gam / gam.sum(axis=-1, keepdims=True)
    else:
        shares = base[:, None, :].repeat(months_left, axis=1)
    future = rng.multinomial(sizes[None, :], shares)  # (draws, months, categories)
    ytd_counts = [float(ytd[c]) for c in spec.columns]
    ytd_counts.append(float(ytd["n"]) - sum(ytd_counts))
    final = (np.asarray(ytd_counts) @ scores + future.sum(axis=1) @ scores) / (float(ytd["n"]) + sizes.sum())
    return year.outlook(final, float(scores @ p), level_var, tau2)


def _normal(weight: str, year: _Year) -> Outlook:
    """Means (CLT), medians and rates: each month's value is normal around the level, sd from its moe."""
    ytd, recent, remaining, months_left, rng, draws = (
        year.ytd, year.recent, year.remaining, year.months_left, year.rng, year.draws
    )
    w = recent[weight].to_numpy(float)
    values = recent["value"].to_numpy(float)
    sampling_var = (recent["moe"].to_numpy(float) / Z95) ** 2
    level = float(values @ w / w.sum())
    tau2 = between_months_variance(values, sampling_var)
    # one month's sampling variance scales as 1/weight: var * weight is the per-unit variance
    unit_var = float(np.mean(sampling_var * w))
    level_var = unit_var / w.sum() + tau2 / len(recent)
    sizes = np.full(months_left, remaining / months_left)
    base = rng.normal(level, np.sqrt(level_var), size=draws)
    month_sd = np.sqrt(tau2 + unit_var / sizes)
    future = base[:, None] + rng.normal(0.0, 1.0, size=(draws, months_left)) * month_sd
    # the year's value weighs each month by its volume (exact for means and rates, close for medians)
    final = (float(ytd["value"]) * float(ytd[weight]) + future @ sizes) / (float(ytd[weight]) + remaining)
    return year.outlook(final, level, level_var, tau2)


def target_probability(
    kind: StatKind,
    ytd: Mapping[str, float],
    recent: pd.DataFrame,
    *,
    remaining: float,
    months_left: int,
    target: float,
    higher_is_better: bool = True,
    draws: int = DRAWS,
    seed: int = SEED,
) -> Outlook | None:
    """P(year-end value reaches `target`); None for kinds without a sampling model (counts, workload).

    `ytd` holds the year-to-date row of `metric_frame` (grain "ytd": value, n, moe and measure sums),
    `recent` the last few monthly rows (grain "month"; six give a usable month-to-month variance),
    `remaining` the expected volume still to come, on the same basis as the required run-rate.
    """
    # the kind's record says which model: categories (NPS, proportions) or normal months weighed by a column
    categories, weight = KINDS[kind].categories, KINDS[kind].outlook_weight
    if categories is None and weight is None:
        return None
    recent = recent[recent["n"] > 0]
    if months_left <= 0 or remaining <= 0 or recent.empty:
        value = float(ytd["value"])
        hit = value >= target if higher_is_better else value <= target
        return Outlook(
            probability=float(hit), level=value, level_sd=0.0, between_months_sd=0.0, months=0, draws=0
        )
    rng = np.random.default_rng(seed)
    year = _Year(ytd, recent, remaining, months_left, target, higher_is_better, rng, draws)
    if categories is not None:
        return _categorical(categories, year)
    return _normal(weight, year)
