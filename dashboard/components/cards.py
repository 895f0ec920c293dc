"""KPI cards: YTD value with n, target, gap, status in words and symbol (colour only repeats it)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard import formatting as fmt
from dashboard.i18n import label, t
from metrics.definitions import metric
from metrics.trajectory import Trajectory

# blue / orange / red-vermilion read apart with the common colour-vision deficiencies; the text says it anyway
STATUS_COLOURS = {
    "on_track": "blue", "at_risk": "orange", "off_track": "red", "no_target": "gray", "no_data": "gray"
}


def status_text(status: str) -> str:
    """The status as symbol + words, e.g. "⚠ À surveiller"."""
    return t(f"status.{status}")


def trajectory_card(tr: Trajectory) -> None:
    """One metric's card."""
    m = metric(tr.metric)
    with st.container(border=True):
        change = tr.change_vs_last_month
        st.metric(
            label(m.label),
            fmt.value(m, tr.value),
            delta=None
            if change is None
            else f"{fmt.number(change, m.decimals, signed=True)} {t('card.change')}",
            delta_color="off",  # a month-on-month move is not tested for noise, so it is never coloured
            help=label(m.description),
        )
        margin = fmt.margin(m, tr.moe, tr.n)  # "n trop petit" stands alone, never "± n trop petit"
        shown = t("card.moe", moe=margin) if tr.moe == tr.moe else margin
        st.caption(f"{t('card.n', n=fmt.integer(tr.n))} · {shown}")
        st.markdown(f":{STATUS_COLOURS[tr.status]}[**{status_text(tr.status)}**]")
        if tr.target is None:
            st.caption(t("card.no_target"))
        else:
            st.caption(
                t(
                    "card.target",
                    target=fmt.target(m, tr.target),
                    gap=fmt.number(tr.gap, m.decimals, signed=True),
                )
            )


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
    parts = []
    if tr.target is not None and tr.months_left == 0:
        parts.append(t("traj.year_over"))
    elif tr.target is not None and tr.reachable is False:
        parts.append(
            t("traj.unreachable", target=fmt.target(m, tr.target), best=fmt.value(m, tr.best_possible))
        )
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
