"""What the verbatims say: theme shares, NPS with and without each theme, impact, trends and examples.

The universe is the scored answers with a comment (`share`, `nps_with`, `nps_without`). The impact is on
the whole NPS of the scope and adds up: each commented detractor weighs 100 / N_all points (what turning
them passive would add), shared equally among the themes their comment names in complaint (not in
praise, see themes.praised), so the impacts of all themes sum to the points of the detractors who
complained about a theme, never more than `points_available` (100 x commented detractors / N_all). Its
interval is Wilson's on the shared count. Themes named by fewer than MIN_EXAMPLES_N answers are not
shown. Each theme's with/without gap is tested (two-sample NPS test) and corrected for every row of the
table at once (Holm over all themes and all groups of a split), so a gap is called significant only
after the correction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from metrics import fragments, stats
from metrics.catalogue import N_
from metrics.contracts.datasets import DATASETS
from metrics.contracts.naming import closest
from metrics.errors import UnknownName
from metrics.insights import scope
from metrics.insights.themes import Theme, load_themes, mentions_all, praised, tag
from metrics.semantic.definitions import metric
from metrics.store import Store

MIN_EXAMPLES_N = 10  # a theme (its row, its comments) is shown only with at least this many answers
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
            match = closest(dim, ds.dimensions)
            key = N_("verbatims.unknown_dim_hint") if match else N_("verbatims.unknown_dim")
            raise UnknownName(key, dim=dim, match=match)
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


def _complaints(rows: pd.DataFrame, themes: Sequence[Theme]) -> dict[str, frozenset[str]]:
    """Per distinct comment of tagged `rows`, the themes it names in complaint: named, not only in praise.

    Only the themes the whole comment names are read clause by clause, which keeps this to a fraction
    of the tagging's own cost.
    """
    out = {}
    for text, flags in zip(rows["comment"], rows[[t.key for t in themes]].to_numpy(), strict=True):
        if text not in out:
            named = [t for t, hit in zip(themes, flags, strict=True) if hit]
            out[text] = frozenset(t.key for t in named) - praised(text, named)
    return out


def _rows(frame: pd.DataFrame, themes: Sequence[Theme], lang: str) -> pd.DataFrame:
    """One row per theme for one group of tagged counts, before the floor and the Holm correction."""
    commented = frame[frame["comment"].notna()]
    n_all = float(frame["n"].sum())
    n_commented = float(commented["n"].sum())
    # share-out: a detractor whose comment complains about k themes gives 1/k of their weight to each
    angry = commented[commented["detractors"] > 0]
    named = _complaints(angry, themes)
    sets = [named[c] for c in angry["comment"]]
    weight = angry["detractors"].to_numpy(dtype=float) / np.array([max(len(f), 1) for f in sets])
    rows = []
    for theme in themes:
        w = commented[commented[theme.key]]
        o = commented[~commented[theme.key]]
        shared = weight[np.fromiter((theme.key in f for f in sets), bool, len(sets))].sum()
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
                "detractors_shared": float(shared),
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
    impact = stats.wilson_interval(out["detractors_shared"], np.full(len(out), n_all))
    out["impact"], out["impact_low"], out["impact_high"] = impact.value, impact.low, impact.high
    out["points_available"] = 100 * float(commented["detractors"].sum()) / n_all if n_all else np.nan
    return out


# the columns of a theme table, in order (a split adds its dimension first)
KEEP = ("theme", "label", "share", "mentions", "comments", "nps_with", "moe_with", "nps_without",
        "moe_without", "n_without", "difference", "p_value", "p_holm", "significant", "impact", "impact_low",
        "impact_high", "points_available")  # fmt: skip


def _finish(rows: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Hide themes under the floor, then Holm over every row left (all groups at once), ranked by impact."""
    out = rows[rows["mentions"] >= MIN_EXAMPLES_N].copy()
    out["p_holm"] = stats.holm(out["p_value"])
    out["significant"] = out["p_holm"] < 0.05
    keys = [by, "impact"] if by else ["impact"]
    out = out.sort_values(keys, ascending=[True, False] if by else [False], kind="stable")
    return out[[by, *KEEP] if by else list(KEEP)].reset_index(drop=True)


def theme_table(frame: pd.DataFrame, themes: Sequence[Theme], lang: str = "fr") -> pd.DataFrame:
    """One row per theme named by at least MIN_EXAMPLES_N answers, ranked by impact (largest first)."""
    return _finish(_rows(frame, themes, lang))


def impact_budget(table: pd.DataFrame) -> tuple[float, float]:
    """The impacts shown, summed, and the points available: what a reader checks to see they add up."""
    if table.empty:
        return 0.0, 0.0
    return float(table["impact"].sum()), float(table["points_available"].iloc[0])


def themes_report(
    store: Store,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str | None = None,
    lang: str = "fr",
    where: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Theme table of the scope, or of each value of `by` (a column `by` added, Holm over the whole table)."""
    themes = load_themes()
    frame = tagged(comment_counts(store, start, end, (by,) if by else (), where), themes)
    if not by:
        return theme_table(frame, themes, lang)
    parts = [_rows(g, themes, lang).assign(**{by: v}) for v, g in frame.groupby(by, sort=True)]
    if not parts:
        return theme_table(frame, themes, lang).assign(**{by: None}).head(0)[[by, *KEEP]]
    return _finish(pd.concat(parts, ignore_index=True), by)


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
