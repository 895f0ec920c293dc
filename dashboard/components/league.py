"""The regions league: ranked by value, verdict and the year's status in words, small samples flagged.

Colour only repeats what the words say. The decisive columns (target, gap, verdict) come right after
the pinned region with short headers and fixed widths, so a 400 px screen shows them without
scrolling sideways; value, status and the details follow.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import display as fmt
from dashboard.components.cards import STATUS_COLOURS, status_text
from dashboard.components.tables import dim_label, download
from dashboard.i18n import t
from metrics.catalogue import N_
from metrics.semantic.definitions import Metric

# Okabe-Ito blue for better, vermilion for worse; "within noise" stays uncoloured
HIGHLIGHT = "background-color: #FFF3C4; font-weight: 700"  # the sidebar's regions, with a ★ in the rank
GOOD, BAD = "color: #0072B2; font-weight: 600", "color: #B23C00; font-weight: 600"  # 5.0:1 and 6.0:1 on white


def _verdict(v: str, d: float, m: Metric) -> str:
    if v in ("above", "below"):
        return f"{t('cmp.' + v)} ({fmt.number(d, m.decimals, signed=True)})"
    return t("cmp.noise") if v == "noise" else "–"  # "small": untested, said in the note


def league_display(
    frame: pd.DataFrame, m: Metric, min_n: int, highlight: Sequence[str] = ()
) -> pd.io.formats.style.Styler:
    """Region, value, target, gap, the year's status, verdict vs the rest, then rank, n, margin, interval.

    Every region is ranked; the regions chosen in the sidebar are highlighted, not filtered out, since
    a rank means something only among all of them.
    """
    verdict_col, status_col = t("col.vs_company"), t("regions.col_status")
    out = pd.DataFrame(
        {
            t("col.region"): [str(r) for r in frame["region"]],
            t("col.value"): [fmt.value(m, v) for v in frame["value"]],
            t("col.target"): [fmt.target(m, v) for v in frame["target"]],
            t("col.vs_target"): [fmt.number(v, m.decimals, signed=True) for v in frame["vs_target"]],
            status_col: [status_text(s) for s in frame["status"]],  # the Trajectory page's verdict
            verdict_col: [
                _verdict(v, d, m) for v, d in zip(frame["verdict"], frame["difference"], strict=True)
            ],
            t("col.rank"): [
                ("" if pd.isna(r) else str(int(r))) + (" ★" if str(g) in highlight else "")
                for r, g in zip(frame["rank"], frame["region"], strict=True)
            ],
            t("col.n"): [fmt.integer(v) for v in frame["n"]],
            t("col.moe"): [fmt.margin(m, v, n) for v, n in zip(frame["moe"], frame["n"], strict=True)],
            t("col.interval"): [
                fmt.interval(lo, hi, m.decimals) for lo, hi in zip(frame["low"], frame["high"], strict=True)
            ],
            t("col.note"): [
                t("cmp.small", min_n=min_n) if s else (t("regions.small_flag") if f else "")
                for s, f in zip(frame["small"], frame["flag"], strict=True)
            ],
        }
    )
    styles = ["" if pd.isna(b) else (GOOD if b else BAD) for b in frame["better"]]
    status_styles = [{"blue": GOOD, "red": BAD}.get(STATUS_COLOURS[s], "") for s in frame["status"]]
    chosen = [HIGHLIGHT if str(r) in highlight else "" for r in frame["region"]]
    return (
        out.style.apply(lambda _: chosen, axis=0, subset=[t("col.rank"), t("col.region")])
        .apply(lambda _: styles, subset=[verdict_col])
        .apply(lambda _: status_styles, subset=[status_col])
    )


def league_table(
    display: pd.io.formats.style.Styler, raw: pd.DataFrame, name: str, decimals: int
) -> str | None:
    """The league as a grid whose rows can be clicked; returns the clicked region, if any."""
    # pixel widths: the checkbox (about 33 px) + these four columns = 367 px, within the 368 px a 400 px
    # phone leaves; Streamlit cannot tell the screen's width to Python, so the order and widths do the work
    decisive = {
        N_("col.region"): (N_("col.region"), 84),
        N_("col.target"): (N_("col.target"), 62),
        N_("col.vs_target"): (N_("col.gap_short"), 52),
        N_("col.vs_company"): (N_("col.vs_company_short"), 136),  # "▼ en dessous (-10,4)" whole
    }
    rest = (
        N_("col.value"), N_("regions.col_status"), N_("col.rank"), N_("col.n"), N_("col.moe"),
        N_("col.interval"), N_("col.note"),
    )
    got = st.dataframe(
        display,
        hide_index=True,
        width="stretch",
        key=f"tbl_{name}",
        on_select="rerun",
        selection_mode="single-row",
        column_order=[t(c) for c in (*decisive, *rest)],
        column_config={
            t(c): st.column_config.TextColumn(t(header), width=px, pinned=c == "col.region")
            for c, (header, px) in decisive.items()
        },
    )
    download(raw, name, decimals)
    rows = got.selection.rows if got is not None else []
    return str(raw["region"].iloc[rows[0]]) if rows else None


def sites_display(frame: pd.DataFrame, m: Metric) -> pd.DataFrame:
    """Site name first (code beside it), type, value, n, margin and the small-sample flag, as text."""
    return pd.DataFrame(
        {
            t("regions.col_site_name"): [
                n if n else dim_label("site", s) for n, s in zip(frame["name"], frame["site"], strict=True)
            ],
            t("col.site"): [dim_label("site", s) for s in frame["site"]],
            t("col.site_type"): [dim_label("site_type", v) for v in frame["site_type"]],
            t("col.value"): [fmt.value(m, v) for v in frame["value"]],
            t("col.n"): [fmt.integer(v) for v in frame["n"]],
            t("col.moe"): [fmt.margin(m, v, n) for v, n in zip(frame["moe"], frame["n"], strict=True)],
            t("regions.col_flag"): [t("regions.small_flag") if f else "" for f in frame["flag"]],
        }
    )
