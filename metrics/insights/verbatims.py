"""What the verbatims say: theme shares, NPS with and without each theme, impact, trends and examples.

The universe is the scored answers with a comment (`share`, `nps_with`, `nps_without`); the impact is
on the whole NPS of the scope: turning a theme's detractors into passives adds 100 x D_theme / N_all
points. Each theme's with/without gap is tested (two-sample NPS test) and corrected for testing every
theme at once (Holm), so a gap is called significant only after the correction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from metrics import fragments, stats
from metrics.contracts.datasets import DATASETS
from metrics.contracts.naming import did_you_mean
from metrics.errors import UnknownName
from metrics.insights import scope
from metrics.insights.themes import Theme, load_themes, mentions_all, tag
from metrics.semantic.definitions import metric
from metrics.store import Store

MIN_EXAMPLES_N = 10  # comments are shown only for groups of at least this many answers
COMMENT = "comment"


def comment_counts(
    store: Store,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: Sequence[str] = (),
    where: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Scored answers per comment text, month and `by`: comment, period, dims, promoters, detractors, n.

    Answers without a comment come back with comment = None, so totals include them.
    """
    m = metric("nps")
    ds = DATASETS[m.dataset]
    for dim in (*by, *(where or {})):
        if dim not in ds.dimensions:
            raise UnknownName(f"comments cannot be split by {dim!r}{did_you_mean(dim, ds.dimensions)}")
    date = f'"{m.date}"'
    conditions, params = fragments.period(date, start, end)
    conditions.append(m.measures["n"] + " = 1")
    for dim, values in (where or {}).items():
        if values:
            condition, values_params = fragments.one_of(f'"{dim}"', values)
            conditions.append(condition)
            params += values_params
    dims = "".join(f', "{d}"' for d in by)
    sql = (
        f"-- themes: comments of metric nps\n"
        f"SELECT nullif(trim(\"{COMMENT}\"), '') AS comment, CAST(date_trunc('month', {date}) AS DATE) "
        f"AS period{dims}, {scope.nps_sums(m)}, count(*) AS n FROM {ds.table} "
        f"WHERE {' AND '.join(conditions)} GROUP BY 1, 2{dims} ORDER BY 2, 1"
    )
    frame = scope.read(store, sql, params)
    frame["comment"] = frame["comment"].astype(object).where(frame["comment"].notna(), None)
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
    return frame


def tagged(counts: pd.DataFrame, themes: Sequence[Theme]) -> pd.DataFrame:
    """`counts` with one boolean column per theme (each distinct text is tagged once)."""
    texts = counts["comment"].dropna().unique()
    tags = {text: tag(text, themes) for text in texts}
    out = counts.copy()
    found = [tags.get(c, frozenset()) if c is not None else frozenset() for c in out["comment"]]
    for theme in themes:
        out[theme.key] = [theme.key in f for f in found]
    return out


def theme_table(frame: pd.DataFrame, themes: Sequence[Theme], lang: str = "fr") -> pd.DataFrame:
    """One row per theme for one group of tagged counts, ranked by impact (largest first)."""
    commented = frame[frame["comment"].notna()]
    n_all = float(frame["n"].sum())
    n_commented = float(commented["n"].sum())
    rows = []
    for theme in themes:
        w = commented[commented[theme.key]]
        o = commented[~commented[theme.key]]
        rows.append(
            {
                "theme": theme.key,
                "label": theme.label[lang],
                "mentions": int(w["n"].sum()),
                "comments": int(n_commented),
                "promoters_with": float(w["promoters"].sum()),
                "detractors_with": float(w["detractors"].sum()),
                "promoters_without": float(o["promoters"].sum()),
                "detractors_without": float(o["detractors"].sum()),
                "n_without": int(o["n"].sum()),
            }
        )
    out = pd.DataFrame(rows)
    out["share"] = out["mentions"] / n_commented if n_commented else np.nan
    with_iv = stats.nps_interval(out["promoters_with"], out["detractors_with"], out["mentions"])
    without_iv = stats.nps_interval(out["promoters_without"], out["detractors_without"], out["n_without"])
    out["nps_with"], out["moe_with"] = with_iv.value, with_iv.moe
    out["nps_without"], out["moe_without"] = without_iv.value, without_iv.moe
    cmp = stats.compare_nps(
        out["promoters_with"], out["detractors_with"], out["mentions"],
        out["promoters_without"], out["detractors_without"], out["n_without"],
    )  # fmt: skip
    out["difference"] = cmp.difference
    out["p_value"] = cmp.p_value
    out["p_holm"] = stats.holm(out["p_value"])
    out["significant"] = out["p_holm"] < 0.05
    out["impact"] = 100 * out["detractors_with"] / n_all if n_all else np.nan
    out["examples_shown"] = out["mentions"] >= MIN_EXAMPLES_N
    keep = ["theme", "label", "share", "mentions", "comments", "nps_with", "moe_with", "nps_without"]
    keep += ["moe_without", "n_without", "difference", "p_value", "p_holm", "significant", "impact"]
    return out.sort_values("impact", ascending=False, kind="stable")[keep].reset_index(drop=True)


def themes_report(
    store: Store,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str | None = None,
    lang: str = "fr",
    where: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Theme table of the scope, or one per value of `by` (a column `by` added), ranked by impact."""
    themes = load_themes()
    frame = tagged(comment_counts(store, start, end, (by,) if by else (), where), themes)
    if not by:
        return theme_table(frame, themes, lang)
    parts = [theme_table(g, themes, lang).assign(**{by: v}) for v, g in frame.groupby(by, sort=True)]
    if not parts:
        return theme_table(frame, themes, lang).assign(**{by: None}).head(0)
    out = pd.concat(parts, ignore_index=True)
    return out[[by, *[c for c in out.columns if c != by]]]


def theme_trend(store: Store, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """Each theme's share of commented answers month by month over the scope."""
    themes = load_themes()
    return monthly_shares(tagged(comment_counts(store, start, end), themes), themes)


def monthly_shares(frame: pd.DataFrame, themes: Sequence[Theme]) -> pd.DataFrame:
    """Each theme's share of commented answers per month: period, theme, mentions, comments, share."""
    commented = frame[frame["comment"].notna()]
    rows = []
    for period, month in commented.groupby("period", sort=True):
        total = int(month["n"].sum())
        for theme in themes:
            mentions = int(month.loc[month[theme.key], "n"].sum())
            rows.append({"period": period, "theme": theme.key, "mentions": mentions, "comments": total})
    out = pd.DataFrame(rows, columns=["period", "theme", "mentions", "comments"])
    out["share"] = out["mentions"] / out["comments"]
    return out


def examples(frame: pd.DataFrame, theme: str, limit: int = 3) -> list[str]:
    """A few of a theme's most frequent comments, or none when fewer than 10 answers mention it."""
    hits = frame[frame["comment"].notna() & frame[theme]]
    if hits["n"].sum() < MIN_EXAMPLES_N:
        return []
    by_text = hits.groupby("comment", sort=True)["n"].sum().reset_index()
    by_text = by_text.sort_values(["n", "comment"], ascending=[False, True], kind="stable")
    return list(by_text["comment"].head(limit))


def search(frame: pd.DataFrame, query: str, limit: int = 50) -> tuple[int, pd.DataFrame]:
    """Answers whose comment holds every word of `query`: how many, and the texts (none under 10)."""
    texts = frame["comment"].dropna().unique()
    found = {t for t in texts if mentions_all(t, query)}
    hits = frame[frame["comment"].isin(found)]
    total = int(hits["n"].sum())
    if total < MIN_EXAMPLES_N:
        return total, pd.DataFrame(columns=["comment", "n"])
    by_text = hits.groupby("comment", sort=True)["n"].sum().reset_index()
    by_text = by_text.sort_values(["n", "comment"], ascending=[False, True], kind="stable").head(limit)
    return total, by_text.reset_index(drop=True)
