"""The regions league table: verdicts in words and symbols, colour only on significant differences."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard import display as fmt
from dashboard.i18n import t
from metrics.semantic.definitions import Metric

# Okabe-Ito blue for better, vermilion for worse; "within noise" stays uncoloured
HIGHLIGHT = "background-color: #FFF3C4; font-weight: 700"  # the sidebar's regions, with a ★ in the rank
GOOD, BAD = "color: #0072B2; font-weight: 600", "color: #D55E00; font-weight: 600"


def league_display(
    frame: pd.DataFrame, m: Metric, min_n: int, highlight: Sequence[str] = ()
) -> pd.io.formats.style.Styler:
    """Rank, region, value, n, margin, target gap and verdict vs the rest of the company, formatted.

    Every region is ranked; the regions chosen in the sidebar are highlighted, not filtered out, since
    a rank means something only among all of them.
    """
    verdict_col = t("col.vs_company")
    out = pd.DataFrame(
        {
            t("col.rank"): [
                ("" if pd.isna(r) else str(int(r))) + (" ★" if str(g) in highlight else "")
                for r, g in zip(frame["rank"], frame["region"], strict=True)
            ],
            t("col.region"): [str(r) for r in frame["region"]],
            t("col.value"): [fmt.value(m, v) for v in frame["value"]],
            t("col.n"): [fmt.integer(v) for v in frame["n"]],
            t("col.moe"): [fmt.margin(m, v, n) for v, n in zip(frame["moe"], frame["n"], strict=True)],
            t("col.interval"): [
                f"[{fmt.number(lo, m.decimals)} ; {fmt.number(hi, m.decimals)}]"
                for lo, hi in zip(frame["low"], frame["high"], strict=True)
            ],
            t("col.target"): [fmt.target(m, v) for v in frame["target"]],
            t("col.vs_target"): [fmt.number(v, m.decimals, signed=True) for v in frame["vs_target"]],
            verdict_col: [
                f"{t('cmp.' + v)} ({fmt.number(d, m.decimals, signed=True)})"
                if v in ("above", "below")
                else (t("cmp.noise") if v == "noise" else "–")  # "small": untested, said in the note
                for v, d in zip(frame["verdict"], frame["difference"], strict=True)
            ],
            t("col.note"): [t("cmp.small", min_n=min_n) if s else "" for s in frame["small"]],
        }
    )
    styles = ["" if pd.isna(b) else (GOOD if b else BAD) for b in frame["better"]]
    chosen = [HIGHLIGHT if str(r) in highlight else "" for r in frame["region"]]
    return out.style.apply(lambda _: chosen, axis=0, subset=[t("col.rank"), t("col.region")]).apply(
        lambda _: styles, subset=[verdict_col]
    )
