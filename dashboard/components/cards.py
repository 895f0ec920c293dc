"""KPI cards: YTD value with n, target, gap, status in words and symbol (colour only repeats it)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import display as fmt
from dashboard.i18n import current_lang, label, t
from metrics.reports import formatting as words
from metrics.reports.trajectory import Trajectory
from metrics.semantic.definitions import metric

# blue / orange / red-vermilion read apart with the common colour-vision deficiencies; the text says it anyway
STATUS_COLOURS = {
    "on_track": "blue",
    "met": "blue",
    "at_risk": "orange",
    "off_track": "red",
    "out_of_reach": "red",
    "missed": "red",
    "no_target": "gray",
    "no_data": "gray",
}


def status_of(tr: Trajectory) -> str:
    """The card's status key, the same one the CLI prints (met/missed once the year is over)."""
    return words.status_key(
        metric(tr.metric),
        tr.status,
        value=tr.value,
        target=tr.target,
        months_left=tr.months_left,
        reachable=tr.reachable,
    )


def status_text(tr: Trajectory) -> str:
    """The status as symbol + words, e.g. "⚠ À surveiller", from the vocabulary the CLI shares."""
    return words.STATUS_WORDS[status_of(tr)][current_lang()]


def month_change(tr: Trajectory) -> tuple[pd.Timestamp, pd.Timestamp, float] | None:
    """The last month's own value against the month before (not the year-to-date's drift)."""
    shown = tr.months.dropna(subset=["value"])
    if len(shown) < 2:
        return None
    last, previous = shown.iloc[-1], shown.iloc[-2]
    return last["period"], previous["period"], float(last["value"] - previous["value"])


def _delta(tr: Trajectory) -> tuple[str | None, str]:
    """The delta text and arrow: no arrow when the change rounds to zero."""
    m = metric(tr.metric)
    change = month_change(tr)
    if change is None:
        return None, "off"
    period, before, amount = change
    text = t(
        "card.change",
        change=fmt.gap(m, amount),
        month=fmt.month_name(period),
        previous=fmt.month_name(before),
    )
    return text, "off" if round(amount, m.decimals) == 0 else "auto"


def trajectory_card(tr: Trajectory) -> None:
    """One metric's card."""
    m = metric(tr.metric)
    status = status_of(tr)
    with st.container(border=True):
        delta, arrow = _delta(tr)
        st.metric(
            label(m.label),
            fmt.value(m, tr.value),
            delta=delta,
            delta_color="off",  # a month-on-month move is not tested for noise, so it is never coloured
            delta_arrow=arrow,
            help=label(m.description),
        )
        margin = fmt.margin(m, tr.moe, tr.n)  # "n trop petit" stands alone, never "± n trop petit"
        shown = t("card.moe", moe=margin) if tr.moe == tr.moe else margin
        st.caption(f"{t('card.n', n=fmt.integer(tr.n))} · {shown}")  # text-safe: catalogue words, numbers
        st.markdown(f":{STATUS_COLOURS[status]}[**{status_text(tr)}**]")  # text-safe: catalogue words
        if tr.target is None:
            st.caption(t("card.no_target"))
        else:
            st.caption(
                t(
                    "card.target",
                    target=fmt.target(m, tr.target),
                    gap=fmt.gap(m, tr.gap),
                )
            )
        if status == "out_of_reach" and tr.best_possible is not None:
            st.caption(t("card.best", best=fmt.value(m, tr.best_possible)))


def trajectory_cards(trajectories: Sequence[Trajectory], per_row: int = 4) -> None:
    """The cards in rows of `per_row`."""
    for start in range(0, len(trajectories), per_row):
        cols = st.columns(per_row)
        for col, tr in zip(cols, trajectories[start : start + per_row], strict=False):
            with col:
                trajectory_card(tr)


def sentence(tr: Trajectory) -> str:
    """What the rest of the year must deliver, e.g. "Objectif 40 : les 3 mois restants … 59,5"."""
    m = metric(tr.metric)
    status = status_of(tr)
    parts = []
    if status in ("met", "missed"):
        parts.append(t(f"traj.year_{status}", target=fmt.target(m, tr.target), value=fmt.value(m, tr.value)))
    elif status == "out_of_reach":
        best = fmt.value(m, tr.best_possible) if tr.best_possible is not None else "—"
        parts.append(t("traj.unreachable", target=fmt.target(m, tr.target), best=best))
    elif tr.target is not None and tr.required is not None:
        parts.append(
            t(
                "traj.required",
                target=fmt.target(m, tr.target),
                months=tr.months_left,
                required=fmt.value(m, tr.required),
            )
        )
    if tr.projection is not None and tr.months_left > 0:
        parts.append(t("traj.projection", projection=fmt.value(m, tr.projection)))
    return " ".join(parts)
