"""Alerts and themes as tables of text for people: labels translated, numbers formatted, n beside each."""

from __future__ import annotations

import pandas as pd

from dashboard import display as fmt
from dashboard.i18n import label, t
from metrics.catalogue import N_
from metrics.insights.verbatims import impact_budget
from metrics.semantic.definitions import metric

# the words of an alert's chart, direction (and whether it is better) and rules (metrics.insights.alerts)
GRAINS = {"week": N_("alerts.grain_week"), "month": N_("alerts.grain_month")}
DIRECTIONS = {
    ("up", True): N_("alerts.up_better"),
    ("up", False): N_("alerts.up_worse"),
    ("down", True): N_("alerts.down_better"),
    ("down", False): N_("alerts.down_worse"),
}
RULES = {"point": N_("alerts.rule_point"), "shift": N_("alerts.rule_shift")}
# hand-off measures and groups (metrics.insights.handoffs)
HANDOFF_WORDS = {
    "nps": N_("handoffs.nps"),
    "resolution_days_mean": N_("handoffs.resolution_days_mean"),
    "resolution_days_median": N_("handoffs.resolution_days_median"),
    "several_contacts_pct": N_("handoffs.several_contacts_pct"),
    "all": N_("handoffs.all"),
    "one": N_("handoffs.one"),
    "several": N_("handoffs.several"),
}


def _since(day: object, grain: str) -> str:
    """A weekly alert's Monday as a day, a monthly one's month as a month."""
    return fmt.month(day) if grain == "month" else fmt.day(day)


def alerts_display(found: pd.DataFrame) -> pd.DataFrame:
    """One row per alert: metric, scope, chart, direction (better or worse), rules, start, value, n."""
    metrics = [metric(k) for k in found["metric"]]
    grains = list(found["grain"])
    return pd.DataFrame(
        {
            t("alerts.col_metric"): [label(m.label) for m in metrics],
            t("alerts.col_scope"): found["group"].astype(str),
            t("alerts.col_grain"): [t(GRAINS[g]) for g in grains],
            t("alerts.col_direction"): [
                t(DIRECTIONS[d, bool(b)])
                for d, b in zip(found["direction"], found["better"], strict=True)
            ],
            t("alerts.col_rule"): [
                " + ".join(t(RULES[r]) for r in s.split("+")) for s in found["rule"]
            ],
            t("alerts.col_started"): [_since(d, g) for d, g in zip(found["started"], grains, strict=True)],
            t("alerts.col_detected"): [_since(d, g) for d, g in zip(found["detected"], grains, strict=True)],
            t("alerts.col_periods"): [fmt.integer(w) for w in found["periods"]],
            t("col.value"): [fmt.value(m, v) for m, v in zip(metrics, found["value"], strict=True)],
            t("alerts.col_center"): [fmt.value(m, v) for m, v in zip(metrics, found["center"], strict=True)],
            t("col.n"): [fmt.integer(n) for n in found["n"]],
        }
    )


def alert_names(found: pd.DataFrame) -> list[str]:
    """Each alert in a few words, for a list to choose from: metric · scope · since."""
    return [
        f"{label(metric(k).label)} · {g} · {_since(d, grain)}"
        for k, g, d, grain in zip(
            found["metric"], found["group"], found["started"], found["grain"], strict=True
        )
    ]


def themes_display(table: pd.DataFrame) -> pd.DataFrame:
    """One row per theme, by impact; the gap is shown only when significant after the Holm correction."""
    nps = metric("nps")
    return pd.DataFrame(
        {
            t("verbatims.col_theme"): table["label"],
            t("verbatims.col_share"): [fmt.percent(100 * s, 1) for s in table["share"]],
            t("verbatims.col_mentions"): [fmt.integer(n) for n in table["mentions"]],
            t("verbatims.col_nps_with"): [
                f"{fmt.value(nps, v)} ± {fmt.number(e)}"
                for v, e in zip(table["nps_with"], table["moe_with"], strict=True)
            ],
            t("verbatims.col_nps_without"): [
                f"{fmt.value(nps, v)} (n = {fmt.integer(n)})"
                for v, n in zip(table["nps_without"], table["n_without"], strict=True)
            ],
            t("verbatims.col_gap"): [
                fmt.value(nps, d, signed=True) if sig else t("verbatims.noise")
                for d, sig in zip(table["difference"], table["significant"], strict=True)
            ],
            t("verbatims.col_impact"): [fmt.number(v, 2) for v in table["impact"]],
            t("verbatims.col_impact_interval"): [
                fmt.interval(lo, hi, 2)
                for lo, hi in zip(table["impact_low"], table["impact_high"], strict=True)
            ],
        }
    )


def impact_budget_text(table: pd.DataFrame) -> str:
    """The sentence that shows the impacts add up: their sum against the points available."""
    shown, available = impact_budget(table)
    return t("verbatims.budget", shown=fmt.number(shown, 2), available=fmt.number(available, 2))


def comments_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Comments with how many answers gave them, as plain text cells."""
    return pd.DataFrame({t("verbatims.col_comment"): frame["comment"].astype(str), t("col.n"): frame["n"]})


# the declared metric whose unit and decimals each hand-off measure is shown with
HANDOFF_UNITS = {
    "several_contacts_pct": "repeat_contact_rate",
    "resolution_days_median": "resolution_days_median",
    "resolution_days_mean": "resolution_days_median",
    "nps": "nps",
}


def _handoff_interval(measure: str, low: float, high: float, decimals: int) -> str:
    """A hand-off interval in words: a median may have too few complaints, or an unreached high bound."""
    if measure == "resolution_days_median" and pd.isna(low):
        return t("handoffs.too_few")
    if measure == "resolution_days_median" and pd.isna(high):
        return t("handoffs.open_ended", low=fmt.number(low, decimals))
    return fmt.interval(low, high, decimals)


def handoffs_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Each hand-off figure with n, margin and interval; the gap only where the test says it is real."""
    units = [metric(HANDOFF_UNITS[k]) for k in frame["measure"]]
    return pd.DataFrame(
        {
            t("handoffs.col_measure"): [t(HANDOFF_WORDS[k]) for k in frame["measure"]],
            t("handoffs.col_group"): [t(HANDOFF_WORDS[g]) for g in frame["group"]],
            t("col.value"): [fmt.value(m, v) for m, v in zip(units, frame["value"], strict=True)],
            t("col.n"): [fmt.integer(n) for n in frame["n"]],
            t("handoffs.col_open"): ["" if pd.isna(k) else fmt.integer(k) for k in frame["open"]],
            t("col.moe"): [fmt.number(v, m.decimals) for m, v in zip(units, frame["moe"], strict=True)],
            t("handoffs.col_interval"): [
                _handoff_interval(k, lo, hi, m.decimals)
                for k, lo, hi, m in zip(frame["measure"], frame["low"], frame["high"], units, strict=True)
            ],
            t("handoffs.col_gap"): [
                fmt.value(m, d, signed=True)
                if s is True
                else ("" if s is not False else t("verbatims.noise"))
                for m, d, s in zip(units, frame["difference"], frame["significant"], strict=True)
            ],
        }
    )
