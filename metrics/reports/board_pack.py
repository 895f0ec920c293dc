"""The monthly board pack: one self-contained HTML file (plotly.js inlined, no network needed to open it).

Targets with their trajectory and the probability of reaching them, the regions tables with their
verdicts, the alerts with their control charts, and the themes that cost the most NPS points.
Every text that comes from the data is escaped: region, site and theme names, and comments.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping

import pandas as pd

from metrics import catalogue
from metrics.catalogue import N_
from metrics.contracts.datasets import column_label
from metrics.insights.driver_text import pack_section
from metrics.months import month_end
from metrics.reports import formatting
from metrics.reports.outlook import outlook
from metrics.reports.trajectory import default_as_of, targeted_metrics
from metrics.reports.trajectory import trajectory as trajectory_of
from metrics.reports.verdict import decide
from metrics.semantic.definitions import metric
from metrics.store import Store

ALERT_DAYS = 91  # alerts that started in the last quarter
MAX_ALERT_CHARTS = 6
TOP_THEMES = 5
# each word's message key; where the pages show the same thing, their message, so both read alike
WORDS: Mapping[str, str] = {
    "title": N_("pack.title"),
    "as_of": N_("pack.as_of"),
    "targets": N_("pack.targets"),
    "regions": N_("pack.regions"),
    "alerts": N_("pack.alerts"),
    "themes": N_("pack.themes"),
    "no_alerts": N_("pack.no_alerts"),
    "status": N_("pack.status"),
    "required": N_("pack.required"),
    "probability": N_("pack.probability"),
    "theme": N_("pack.theme"),
    "share": N_("pack.share"),
    "nps_with": N_("pack.nps_with"),
    "nps_without": N_("pack.nps_without"),
    "impact": N_("pack.impact"),
    "examples": N_("pack.examples"),
    "up": N_("pack.up"),
    "down": N_("pack.down"),
    "small": N_("pack.small"),
    "few_examples": N_("pack.few_examples"),
    "chance": N_("pack.chance"),
    "metric": N_("export.metric"),
    "ytd": N_("export.ytd_value"),
    "n": N_("col.n"),
    "moe": N_("col.moe"),
    "target": N_("col.target"),
    "value": N_("col.value"),
    "verdict": N_("col.vs_company"),
    "rank": N_("col.rank"),
    "group": N_("alerts.col_scope"),
    "direction": N_("alerts.col_direction"),
    "rule": N_("alerts.col_rule"),
    "started": N_("alerts.col_started"),
    "grain": N_("alerts.col_grain"),
    "week": N_("alerts.grain_week"),
    "month": N_("alerts.grain_month"),
    "above": N_("cmp.above"),
    "below": N_("cmp.below"),
    "noise": N_("cmp.noise"),
    "point": N_("alerts.rule_point"),
    "shift": N_("alerts.rule_shift"),
}


def _words(lang: str) -> dict[str, str]:
    """The board pack's words in `lang`, the region column named by its declaration."""
    said = {name: catalogue.text(key, lang) for name, key in WORDS.items()}
    return {**said, "region": column_label("region", lang) or "region"}


STYLE = (  # not user-facing: CSS
    "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}"
    "table{border-collapse:collapse;margin:1rem 0;font-size:0.9rem}"
    "td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}"
    "h2{margin-top:2.5rem;border-bottom:2px solid #0072B2}pre{white-space:pre-wrap;font-family:inherit}"
)


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, border=0, na_rep=formatting.MISSING)


def _figure(fig: object) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False})  # type: ignore[attr-defined]


def _targets(store: Store, year: int, as_of: dt.date, lang: str) -> tuple[str, list[str]]:
    from metrics.reports.figures import trajectory_figure

    w, rows, charts = _words(lang), [], []
    for m in map(metric, targeted_metrics(store, year)):
        tr = trajectory_of(store, m, year=year, as_of=as_of)
        out = outlook(store, tr)
        chance = formatting.chance(None if out is None else out.probability, lang)
        judged = decide(tr, None if out is None else out.probability)
        rows.append({
            w["metric"]: m.label[lang], w["ytd"]: formatting.value(m, tr.value, lang),
            w["n"]: formatting.number(tr.n, 0, lang), w["moe"]: formatting.number(tr.moe, m.decimals, lang),
            w["target"]: formatting.value(m, tr.target, lang),
            w["status"]: formatting.status_words(judged.status, lang),  # the pages' and the CLI's verdict
            w["required"]: formatting.required(m, tr.required, tr.best_possible, lang),  # the CLI's words
            w["probability"]: chance,
        })  # fmt: skip
        title = m.label[lang]
        if out is not None:
            title += " · " + w["chance"].format(p=chance, target=formatting.value(m, tr.target, lang))
        charts.append(_figure(trajectory_figure(tr, m, lang, title)))
    return _table(pd.DataFrame(rows)), charts


def _regions(store: Store, year: int, as_of: dt.date, lang: str) -> str:
    from metrics.reports.league import LEAGUE_METRICS
    from metrics.reports.regions import regional_league

    w, parts = _words(lang), []
    for m in map(metric, LEAGUE_METRICS):
        # the Regions page's table: its order (verdict.rank_regions) and each region's verdict
        ranked = regional_league(store, m, dt.date(year, 1, 1), as_of, {}, year)
        if ranked.empty:
            continue
        shown = pd.DataFrame({
            w["rank"]: ["" if pd.isna(r) else str(int(r)) for r in ranked["rank"]],
            w["region"]: ranked["region"].astype(str),
            w["value"]: [formatting.value(m, v, lang) for v in ranked["value"]],
            w["n"]: [formatting.number(n, 0, lang) for n in ranked["n"]],
            w["moe"]: [formatting.number(v, m.decimals, lang) for v in ranked["moe"]],
            w["status"]: [formatting.status_words(s, lang) for s in ranked["status"]],
            w["verdict"]: [w.get(v, v) for v in ranked["verdict"]],
        })  # fmt: skip
        parts.append(f"<h3>{html.escape(m.label[lang])}</h3>{_table(shown)}")
    return "".join(parts)


def _alerts(store: Store, as_of: dt.date, lang: str) -> tuple[str, list[str]]:
    from metrics.insights.alerts import coverage_text, group_chart, limits_text, watch
    from metrics.reports.figures import control_figure

    w = _words(lang)
    found = watch(store, as_of, since=as_of - dt.timedelta(days=ALERT_DAYS))
    # what "no alert" covers: how many groups were charted, at which grain, how many were too small
    said = (coverage_text(found, lang), limits_text(found, lang))
    covered = "".join(f"<p>{html.escape(s)}</p>" for s in said if s)
    if found.alerts.empty:
        return f"{covered}<p>{w['no_alerts']}</p>", []
    alerts = found.alerts
    metrics = [metric(k) for k in alerts["metric"]]  # each alert's declaration, resolved once
    since = [
        formatting.month(d, lang) if g == "month" else formatting.day(d, lang)
        for d, g in zip(alerts["started"], alerts["grain"], strict=True)
    ]
    shown = pd.DataFrame({
        w["metric"]: [m.label[lang] for m in metrics],
        w["group"]: alerts["group"].astype(str),
        w["grain"]: [w[g] for g in alerts["grain"]],
        w["direction"]: [w[d] for d in alerts["direction"]],
        w["rule"]: [" + ".join(w[r] for r in rule.split("+")) for rule in alerts["rule"]],
        w["started"]: since,
        w["value"]: [formatting.value(m, v, lang) for m, v in zip(metrics, alerts["value"], strict=True)],
        w["n"]: [formatting.number(n, 0, lang) for n in alerts["n"]],
    })  # fmt: skip
    charts = []
    for a, m in zip(alerts.head(MAX_ALERT_CHARTS).itertuples(index=False), metrics, strict=False):
        chart = group_chart(store, m, a.dimension, a.group, as_of, grain=a.grain, z=found.z)
        charts.append(_figure(control_figure(chart, m, lang, f"{m.label[lang]} · {a.group}")))
    return covered + _table(shown), charts


def _themes(store: Store, year: int, as_of: dt.date, lang: str) -> tuple[str, list[str]]:
    from metrics.insights.themes import load_themes
    from metrics.insights.verbatims import comment_counts, examples, tagged, theme_table
    from metrics.reports.figures import impact_figure

    w, themes = _words(lang), load_themes()
    frame = tagged(comment_counts(store, dt.date(year, 1, 1), as_of), themes)
    if frame["comment"].notna().sum() == 0:
        return "", []
    top = theme_table(frame, themes, lang).head(TOP_THEMES)
    shown = pd.DataFrame({
        w["theme"]: top["label"],
        w["share"]: [formatting.percent(100 * s, 0, lang) for s in top["share"]],
        w["n"]: [formatting.number(n, 0, lang) for n in top["mentions"]],
        w["nps_with"]: [formatting.number(v, 1, lang) for v in top["nps_with"]],
        w["nps_without"]: [formatting.number(v, 1, lang) for v in top["nps_without"]],
        w["impact"]: [formatting.number(v, 1, lang) for v in top["impact"]],
    })  # fmt: skip
    quotes = []
    for key, label in zip(top["theme"], top["label"], strict=True):
        texts = examples(frame, key)
        body = "\n".join(f"« {t} »" for t in texts) if texts else w["few_examples"]
        quotes.append(f"<h4>{html.escape(label)}</h4><pre>{html.escape(body)}</pre>")
    chart = _figure(impact_figure(top, lang, w["impact"]))
    return _table(shown) + f"<h3>{w['examples']}</h3>" + "".join(quotes), [chart]


def build_report(store: Store, month: dt.date | None = None, lang: str = "fr") -> str:
    """The board pack of `month` (any day in it; default: the last complete month) as one HTML page."""
    import plotly.offline

    from metrics.followup.display import pack_section as followup_section

    as_of = month_end(month) if month else default_as_of(store)
    year, w = as_of.year, _words(lang)
    targets, traj_charts = _targets(store, year, as_of, lang)
    alert_table, alert_charts = _alerts(store, as_of, lang)
    theme_table_html, theme_charts = _themes(store, year, as_of, lang)
    title = f"{w['title']} · {formatting.month(as_of, lang)}"
    body = [
        f"<h1>{html.escape(title)}</h1><p>{w['as_of'].format(day=formatting.day(as_of, lang))}</p>",
        f"<h2>{w['targets']}</h2>{targets}", *traj_charts,
        f"<h2>{w['regions']}</h2>{_regions(store, year, as_of, lang)}",
        pack_section(store, as_of, lang),
        f"<h2>{w['alerts']}</h2>{alert_table}", *alert_charts,
        f"<h2>{w['themes']}</h2>", *theme_charts, theme_table_html,
        followup_section(store, dt.date(year, 1, 1), as_of, lang),  # closing the loop (metrics.followup)
    ]  # fmt: skip
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{STYLE}</style><script>{plotly.offline.get_plotlyjs()}</script></head>"
        f"<body>{''.join(body)}</body></html>"
    )


def report_html(store: Store, month: dt.date | None = None, lang: str = "fr") -> bytes:
    """The board pack as UTF-8 bytes, for a download button."""
    return build_report(store, month, lang).encode("utf-8")
