"""KPI cards: YTD value with n, target, gap, status in words and symbol (colour only repeats it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from dashboard import display as fmt
from dashboard.i18n import current_lang, label, t
from metrics.catalogue import N_
from metrics.reports import formatting as words
from metrics.reports.notes import carried_base
from metrics.reports.trajectory import Trajectory
from metrics.reports.verdict import Verdict

# blue / orange / red-vermilion read apart with the common colour-vision deficiencies; the text says it anyway
STATUS_COLOURS = {
    "on_track": "blue",
    "met": "blue",
    "at_risk": "orange",
    "off_track": "red",
    "out_of_reach": "red",
    "unlikely": "red",
    "missed": "red",
    "no_target": "gray",
    "no_data": "gray",
    "no_data_yet": "gray",
}


def status_text(status: str) -> str:
    """A status key as symbol + words, e.g. "⚠ À surveiller", from the vocabulary the CLI shares."""
    return words.status_words(status, current_lang())


def month_change(tr: Trajectory) -> tuple[pd.Timestamp, pd.Timestamp, float] | None:
    """The last month's own value against the month before (not the year-to-date's drift)."""
    shown = tr.months.dropna(subset=["value"])
    if len(shown) < 2:
        return None
    last, previous = shown.iloc[-1], shown.iloc[-2]
    return last["period"], previous["period"], float(last["value"] - previous["value"])


def _delta(tr: Trajectory) -> tuple[str | None, str]:
    """The delta text and arrow: no arrow when the change rounds to zero."""
    m = tr.metric
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


def sparkline(tr: Trajectory) -> list[float]:
    """The months' own values, January first, months without data left out (a line, not a gap)."""
    return [float(v) for v in tr.months["value"].dropna()]


def sparkline_svg(values: Sequence[float], width: int = 160, height: int = 32) -> str:
    """A line of `values` as a small SVG: lowest value at the bottom edge, highest at the top.

    Drawn as an image, not a chart: `st.metric(chart_data=...)` loads a charting library that cost
    0,6 s of every reload of the Trajectory page in the browser.
    """
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{(height - 2) - (v - low) / span * (height - 4):.1f}" for i, v in enumerate(values)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><polyline fill="none" stroke="#0072B2" stroke-width="2" '
        f'points="{points}"/></svg>'
    )


def trajectory_card(
    tr: Trajectory,
    judged: Verdict,
    last_year: float | None = None,
    on_pick: Callable[[str], None] | None = None,
) -> None:
    """One metric's card: value with its sparkline, n and margin, status, target, same period last year.

    `judged` is the verdict the CLI and the board pack show (reports.verdict). `on_pick(metric key)`
    runs when the card's button is pressed: the page shows that metric's chart.
    """
    m = tr.metric
    status = judged.status
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
        if len(sparkline(tr)) > 1:  # numbers only in this SVG: no user text reaches it
            st.image(sparkline_svg(sparkline(tr)), caption=t("card.sparkline"))
        margin = fmt.margin(m, tr.moe, tr.n)  # "n trop petit" stands alone, never "± n trop petit"
        shown = t("card.moe", moe=margin) if tr.moe == tr.moe else margin
        st.caption(f"{t('card.n', n=fmt.integer(tr.n))} · {shown}")  # text-safe: catalogue words, numbers
        st.markdown(f":{STATUS_COLOURS[status]}[**{status_text(status)}**]")  # text-safe: catalogue words
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
        note = carried_base(tr.base_carried, current_lang())
        if note:  # a month without its customer base: the region's last known one was carried forward
            st.caption(note)  # text-safe: catalogue words and a formatted number
        if status == "out_of_reach" and tr.best_possible is not None:
            st.caption(t("card.best", best=fmt.value(m, tr.best_possible)))
        year = tr.year - 1
        st.caption(  # text-safe: catalogue sentences with a year and a formatted number
            t("card.last_year", year=year, value=fmt.value(m, last_year))
            if last_year is not None
            else t("card.last_year_none", year=year)
        )
        if on_pick is not None:
            st.button(
                t("card.show_chart"),
                key=f"pick_{tr.metric.key}",
                on_click=on_pick,
                args=(tr.metric.key,),
                icon=":material/show_chart:",
                type="tertiary",
            )


def trajectory_cards(
    trajectories: Sequence[Trajectory],
    verdicts: Sequence[Verdict],
    last_years: Sequence[float | None] | None = None,
    on_pick: Callable[[str], None] | None = None,
    per_row: int = 4,
) -> None:
    """The cards in rows of `per_row` (Streamlit stacks them on a narrow screen)."""
    last_years = list(last_years) if last_years is not None else [None] * len(trajectories)
    cards = list(zip(trajectories, verdicts, last_years, strict=True))
    for start in range(0, len(cards), per_row):
        cols = st.columns(per_row)
        for col, (tr, judged, before) in zip(cols, cards[start : start + per_row], strict=False):
            with col:
                trajectory_card(tr, judged, before, on_pick)


def _target_line(tr: Trajectory) -> str:
    """The target and gap when no run-rate applies (a median), else "no target"."""
    if tr.target is None or tr.gap is None:
        return t("card.no_target")
    m = tr.metric
    return t("card.target", target=fmt.target(m, tr.target), gap=fmt.gap(m, tr.gap))


def answer(tr: Trajectory, judged: Verdict) -> str:
    """One line per targeted metric for the top of the page: label, status in words, the sentence."""
    return t(
        "traj.answer",
        metric=label(tr.metric.label),
        status=status_text(judged.status),
        sentence=sentence(tr, judged) or _target_line(tr),
    )


# the sentence of a year that is over, by status
YEAR_ENDED = {"met": N_("traj.year_met"), "missed": N_("traj.year_missed")}


def sentence(tr: Trajectory, judged: Verdict) -> str:
    """What the rest of the year must deliver, e.g. "Objectif 40 : les 3 mois restants … 59,5"."""
    m = tr.metric
    status = judged.status
    parts = []
    if status in ("met", "missed"):
        parts.append(t(YEAR_ENDED[status], target=fmt.target(m, tr.target), value=fmt.value(m, tr.value)))
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
    if status == "unlikely":  # why: the model's chance and the realism check (reports.verdict)
        best = fmt.value(m, judged.best_month)
        parts.append(t("traj.unlikely", p=fmt.chance(judged.probability), best=best))
    if tr.projection is not None and tr.months_left > 0:
        parts.append(t("traj.projection", projection=fmt.value(m, tr.projection)))
    return " ".join(parts)
