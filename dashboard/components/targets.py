"""The targets editor: metric names, local decimals, regions from a list, ranges checked, changes listed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from babel.numbers import NumberFormatError, parse_decimal

from dashboard import display as fmt
from dashboard.i18n import label, t
from metrics.semantic.definitions import METRICS, Metric, target_range

COLUMNS = ("year", "metric", "target", "region")
COMPANY = ""  # the editor's region cell for a company-wide target


@dataclass(frozen=True, slots=True)
class Edit:
    """The edited table checked: rows ready for `save_targets`, or the problems that stop the save."""

    rows: pd.DataFrame  # year, metric, target, region (None = company)
    problems: tuple[str, ...]


def metric_name(key: str) -> str:
    """How the editor names a metric: its label in the reader's language."""
    return label(METRICS[key].label) if key in METRICS else key


def _metric_key(name: object) -> str | None:
    return next((k for k in METRICS if metric_name(k) == name or k == name), None)


def possible_range(m: Metric) -> str:
    """The values a target may take, e.g. "de -100 à 100" or "0 ou plus"."""
    low, high = target_range(m)
    if high is None:
        return t("targets.range_from", low=fmt.target(m, low))
    return t("targets.range", low=fmt.target(m, low), high=fmt.target(m, high))


def region_name(region: object) -> str:
    """The editor's region cell: the region, or the company's label."""
    return region if isinstance(region, str) and region else t("targets.company")


def editor_frame(current: pd.DataFrame) -> pd.DataFrame:
    """Targets as people read them: metric name, unit and range shown, the target in local decimals."""
    metrics = [METRICS.get(k) for k in current["metric"]]
    return pd.DataFrame(
        {
            "year": current["year"].astype("Int64"),
            "metric": [metric_name(k) for k in current["metric"]],
            "range": [possible_range(m) if m else "" for m in metrics],
            "target": [
                fmt.editable(v, m.decimals if m else 2)
                for v, m in zip(current["target"], metrics, strict=True)
            ],
            "region": [region_name(r) for r in current["region"]],
        }
    )


def _number(text: object) -> float | None:
    """A target typed as "2,5", "2.5" or "40" (either decimal mark, spaces ignored); None if not a number."""
    if isinstance(text, int | float) and not pd.isna(text):
        return float(text)
    cleaned = str(text or "").replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(parse_decimal(cleaned, locale="en"))
    except (NumberFormatError, ValueError):
        return None


def check(edited: pd.DataFrame) -> Edit:
    """Turn the editor's rows back into keys and numbers, refusing what cannot be a target."""
    rows, problems = [], []
    for line, row in enumerate(edited.itertuples(index=False), start=1):
        key = _metric_key(row.metric)
        value = _number(row.target)
        year = None if pd.isna(row.year) else int(row.year)
        if key is None or year is None or value is None:
            problems.append(t("targets.problem_incomplete", line=line, value=str(row.target or "")))
            continue
        m = METRICS[key]
        low, high = target_range(m)
        if (low is not None and value < low) or (high is not None and value > high):
            problems.append(
                t(
                    "targets.problem_range",
                    line=line,
                    metric=metric_name(key),
                    value=fmt.editable(value, m.decimals),
                    range=possible_range(m),
                )
            )
            continue
        company = row.region in (None, COMPANY, t("targets.company")) or pd.isna(row.region)
        region = None if company else row.region
        rows.append({"year": year, "metric": key, "target": value, "region": region})
    frame = pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=object) for c in COLUMNS})
    return Edit(frame, tuple(problems))


def _index(frame: pd.DataFrame) -> dict[tuple[int, str, str | None], float]:
    return {
        (int(r.year), str(r.metric), r.region if isinstance(r.region, str) and r.region else None): float(
            r.target
        )
        for r in frame.itertuples(index=False)
    }


def changes(current: pd.DataFrame, wanted: pd.DataFrame) -> list[str]:
    """One sentence per new or changed target, e.g. "2026 · NPS · Bretagne : 38 → 40"."""
    before, after = _index(current), _index(wanted)
    lines = []
    for (year, key, region), value in after.items():
        m = METRICS[key]
        where = f"{year} · {metric_name(key)} · {region_name(region)}"
        old = before.get((year, key, region))
        if old is None:
            lines.append(t("targets.change_new", where=where, new=fmt.target(m, value)))
        elif old != value:
            lines.append(t("targets.change", where=where, old=fmt.target(m, old), new=fmt.target(m, value)))
    return lines


def removed(current: pd.DataFrame, wanted: pd.DataFrame) -> int:
    """Targets deleted from the table: an import cannot remove them, so they stay in force."""
    after = _index(wanted)
    return sum(k not in after for k in _index(current))


def metric_options() -> Sequence[str]:
    """The metric names the editor offers, in the reader's language."""
    return sorted((metric_name(k) for k in METRICS), key=str.casefold)
