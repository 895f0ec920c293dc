"""The metric commands of `python -m metrics`: query, metrics, trajectory, summary, demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from metrics import clock
from metrics.catalogue import N_, text
from metrics.cli.args import DATE, FROM_OPTION, LANG_OPTION, METRIC, TO_OPTION, WHERE_OPTION
from metrics.cli.args import parse_where as _where
from metrics.cli.group import cli, format_option, pass_store
from metrics.cli.imports import print_report
from metrics.reports import formatting, output
from metrics.semantic.query_kinds import GRAINS
from metrics.semantic.records import Metric
from metrics.store import Store

if TYPE_CHECKING:  # pandas and the query layer load when a command runs, not at CLI start
    import pandas as pd


def YEAR_AS_OF_OPTIONS(func: Callable[..., Any]) -> Callable[..., Any]:
    """--year and --as-of, shared by the commands that read a year up to a date."""
    func = click.option(
        "--as-of", "as_of", type=DATE, default=None, help=text(N_("cli.help.as_of_data"), "en")
    )(func)
    return click.option("--year", type=int, default=None, help=text(N_("cli.help.year_as_of"), "en"))(func)


@cli.command("query")
@click.argument("m", metavar="METRIC", type=METRIC)
@click.option("--grain", type=click.Choice(GRAINS), default="month", show_default=True)
@click.option("--by", "dims", multiple=True, help=text(N_("cli.help.by_repeatable"), "en"))
@FROM_OPTION
@TO_OPTION
@WHERE_OPTION
@LANG_OPTION
@format_option
@pass_store
def query_command(
    store: Store,
    m: Metric,
    grain: str,
    dims: tuple[str, ...],
    start: dt.date | None,
    end: dt.date | None,
    wheres: tuple[str, ...],
    lang: str,
    fmt: str,
) -> None:
    """Print METRIC per period with n and margin of error: exactly what the query API returns.

    Example: python -m metrics query nps --grain quarter --by region
    """
    from metrics.reports import readable
    from metrics.reports import trajectory as trajectory_mod
    from metrics.semantic.query import last_per_group, metric_frame

    frame = metric_frame(store, m, grain=grain, by=dims, start=start, end=end, where=_where(wheres))
    if frame.empty:
        asked = [f"grain {grain}", *(f"by {d}" for d in dims), *(f"where {w}" for w in wheres)]
        asked += [f"from {start}"] if start else []
        asked += [f"to {end}"] if end else []
        from metrics.reports.no_data import why_no_rows

        why = why_no_rows(store, m, end, _where(wheres))
        click.echo(text(N_("cli.no_data"), "en", metric=m.key, asked=", ".join(asked), why=why), err=True)
    from metrics.reports.notes import carried_base, carried_share

    # a rate that carried a missing month's customer base forward says so (on stderr: data stays clean)
    share = carried_share(last_per_group(frame, dims) if grain == "ytd" else frame)
    note = carried_base(share, lang)
    if note:
        click.echo(f"{m.key}: {note}", err=True)
    if fmt != "table" or frame.empty:
        output.write(frame, fmt, title=m.key)  # full precision for scripts
        return
    data_end = min(filter(None, (end, trajectory_mod.default_as_of(store, m))))
    output.write(readable.metric_table(frame, m, grain, data_end, lang), fmt, title=m.label[lang])


@cli.command("metrics")
@format_option
def metrics_command(fmt: str) -> None:
    """List the metric registry with labels, units and datasets.

    Example: python -m metrics metrics --format csv
    """
    import pandas as pd

    from metrics.semantic.definitions import METRICS
    from metrics.semantic.query import dimensions_of

    rows = [
        {
            "metric": m.key,
            "label_fr": m.label["fr"],
            "label_en": m.label["en"],
            "unit": m.unit.value,
            "kind": m.kind.value,
            "dataset": m.dataset,
            "higher_is_better": m.higher_is_better,
            "dimensions": ", ".join(dimensions_of(m)),
        }
        for m in METRICS.values()
    ]
    output.write(pd.DataFrame(rows), fmt, title="metrics")


YES_NO = (N_("data.no"), N_("data.yes"))
SUMMARY_HEADERS = (
    N_("summary.metric"),
    N_("summary.region"),
    N_("summary.ytd"),
    N_("summary.n"),
    N_("summary.moe"),
    N_("summary.target"),
    N_("summary.gap"),
    N_("summary.glide"),
    N_("summary.status"),
    N_("summary.projection"),
    N_("summary.required"),
    N_("summary.reachable"),
)


def _readable(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The summary with labels, status words and numbers formatted for `lang` (33,5 in French).

    `status` and `reachable` are the verdict's (reports.verdict), as the pages and the board pack show them.
    """
    import pandas as pd

    from metrics.semantic.definitions import METRICS

    rows = []
    company = text("summary.company", lang)
    for r in frame.itertuples(index=False):
        m = METRICS[r.metric]
        reachable = None if r.reachable is None or pd.isna(r.reachable) else bool(r.reachable)
        reach = "" if reachable is None else text(YES_NO[reachable], lang)
        rows.append(
            (
                m.label[lang],
                company if pd.isna(r.region) else r.region,
                formatting.value(m, r.value, lang),
                formatting.number(r.n, 0, lang),
                formatting.number(r.moe, m.decimals, lang),
                formatting.value(m, r.target, lang),
                formatting.gap(m, r.gap, lang),
                formatting.value(m, r.glide, lang),
                formatting.status_words(r.status, lang),
                formatting.value(m, r.projection, lang),
                # a required value beyond what the metric can take is no requirement: say so (board pack too)
                formatting.required(m, r.required, r.best_possible, lang),
                reach,
            )
        )
    return pd.DataFrame(rows, columns=[text(key, lang) for key in SUMMARY_HEADERS])


def _as_of_year(store: Store, year: int | None, as_of: dt.date | None) -> tuple[int | None, dt.date | None]:
    from metrics.reports import trajectory as trajectory_mod

    day = as_of
    if day is None and year is not None:
        day = min(trajectory_mod.default_as_of(store), dt.date(year, 12, 31))
        # a year the data has not reached yet is read up to today, not up to a December to come
        day = min(dt.date(year, 12, 31), clock.today()) if day.year < year else day
    return year, day


@cli.command("trajectory")
@click.argument("m", metavar="METRIC", type=METRIC)
@YEAR_AS_OF_OPTIONS
@click.option("--region", default=None, help=text(N_("cli.help.region_company"), "en"))
@LANG_OPTION
@format_option
@pass_store
def trajectory_command(
    store: Store,
    m: Metric,
    year: int | None,
    as_of: dt.date | None,
    region: str | None,
    lang: str,
    fmt: str,
) -> None:
    """Print METRIC month by month against its target, then the YTD summary.

    Example: python -m metrics trajectory nps --year 2025 --as-of 2025-09-30
    """
    import pandas as pd

    from metrics.reports import readable
    from metrics.reports import trajectory as trajectory_mod
    from metrics.reports.verdict import verdict

    year, day = _as_of_year(store, year, as_of)
    tr = trajectory_mod.trajectory(store, m, year=year, as_of=day, region=region)
    judged = verdict(store, tr)  # the status the pages and the board pack show
    ytd = {**tr.headline(), "status": judged.status, "reachable": judged.reachable,
           "probability": judged.probability}  # fmt: skip
    if fmt == "table":
        output.write(readable.metric_table(tr.months, m, "month", tr.as_of, lang), fmt, title=m.label[lang])
        headline = pd.DataFrame([{"metric": m.key, "region": region, **ytd}])
        output.write(_readable(headline, lang), fmt)
        return
    months = tr.months.copy()
    months.insert(0, "row", "month")
    summary_row = {"row": "ytd", "period": tr.as_of, **ytd}
    frame = pd.concat([months, pd.DataFrame([summary_row])], ignore_index=True)
    output.write(frame, fmt, title=f"{m.key} {tr.year}")


@cli.command("summary")
@YEAR_AS_OF_OPTIONS
@click.option(
    "--by", "by", type=click.Choice(["region"]), default=None, help=text(N_("cli.help.by_region"), "en")
)
@LANG_OPTION
@format_option
@pass_store
def summary_command(
    store: Store, year: int | None, as_of: dt.date | None, by: str | None, lang: str, fmt: str
) -> None:
    """Print the headline table: every targeted metric, YTD against target, status and what is required.

    Example: python -m metrics summary --by region --lang en
    """
    from metrics.reports import outlook as outlook_mod

    year, day = _as_of_year(store, year, as_of)
    frame = outlook_mod.summary(store, year=year, as_of=day, by_region=by == "region")
    if fmt == "table":
        output.write(_readable(frame, lang), fmt, title=text("summary.title", lang))
    else:
        output.write(frame, fmt)


@cli.command("demo")
@click.option(
    "--responses", type=click.IntRange(min=100), default=None, help=text(N_("cli.help.responses"), "en")
)
@click.option("--seed", type=int, default=None, help=text(N_("cli.help.seed"), "en"))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=text(N_("cli.help.demo_out"), "en"),
)
@click.option("--load", "load_", is_flag=True, help=text(N_("cli.help.load"), "en"))
@click.option("--clear", is_flag=True, help=text(N_("cli.help.clear"), "en"))
@pass_store
def demo_command(
    store: Store, responses: int | None, seed: int | None, out: Path | None, load_: bool, clear: bool
) -> None:
    """Write a demo operator as French-style CSV files; --load puts it in the database, --clear removes it.

    Example: python -m metrics demo --responses 100000 --load
    """
    from metrics import demo
    from metrics.ingest import history

    if clear:
        ids = history.demo_import_ids(store)
        for import_id in ids:
            history.rollback(store, import_id)
        click.echo(text("count.demo_rolled_back", "en", n=len(ids)))
        return
    size, chosen_seed = responses or demo.DEFAULT_RESPONSES, seed or demo.DEFAULT_SEED
    if out is not None or not load_:
        files = demo.generate(out or Path("data/demo"), responses=size, seed=chosen_seed)
        for key, path in files.items():
            click.echo(f"{key}: {path}")
    if load_:
        # the same rows as importing the files (tests/test_demo_direct.py), in memory bounded by one chunk
        for report in demo.load_direct(store, responses=size, seed=chosen_seed):
            print_report(report)
