"""The insight commands of `python -m metrics`: alerts, themes, hand-offs and the board pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from metrics.cli.args import DATE
from metrics.cli.group import cli, format_option, pass_store
from metrics.contracts.datasets import DATASETS
from metrics.reports import output
from metrics.store import Store


def _as_of(store: Store, as_of: dt.date | None) -> dt.date:
    """The chosen date, else the end of the last complete month with data."""
    from metrics.reports.trajectory import default_as_of

    return as_of or default_as_of(store)


@cli.command("alerts")
@click.option("--since", type=DATE, default=None, help="Only alerts that started on or after this day.")
@click.option(
    "--as-of", "as_of", type=DATE, default=None, help="Last day (default: end of the last complete month)."
)
@click.option("--weeks", type=click.IntRange(min=21), default=52, show_default=True, help="Weeks charted.")
@format_option
@pass_store
def alerts_command(store: Store, since: dt.date | None, as_of: dt.date | None, weeks: int, fmt: str) -> None:
    """List what changed and since when: weekly control charts per region and site (3 sigma, run of 8).

    Example: python -m metrics alerts --since 2026-06-01 --format csv
    """
    from metrics.insights.alerts import alerts

    frame = alerts(store, _as_of(store, as_of), since=since, weeks=weeks)
    output.write(frame, fmt, title="alerts")


@cli.command("themes")
@click.option("--by", "by", type=click.Choice(DATASETS["responses"].dimensions), default=None, help="Split.")
@click.option("--from", "start", type=DATE, default=None, help="First day.")
@click.option("--to", "end", type=DATE, default=None, help="Last day, included.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--trend", is_flag=True, help="Each theme's share of comments month by month instead.")
@format_option
@pass_store
def themes_command(
    store: Store, by: str | None, start: dt.date | None, end: dt.date | None, lang: str, trend: bool, fmt: str
) -> None:
    """List the themes of the comments: share, NPS with and without (Holm-corrected), impact.

    Impact: NPS points gained if the theme's detractors became passives.
    Example: python -m metrics themes --by region --lang en --format csv
    """
    from metrics.insights.verbatims import theme_trend, themes_report

    if trend:
        if by:
            raise click.UsageError("--trend and --by cannot be combined: the trend is the whole scope's")
        output.write(theme_trend(store, start, end), fmt, title="themes by month")
        return
    frame = themes_report(store, start, end, by=by, lang=lang)
    if fmt == "table":
        frame = frame.drop(columns=["p_value", "moe_with", "moe_without"]).round(
            {"share": 3, "nps_with": 1, "nps_without": 1, "difference": 1, "p_holm": 4, "impact": 2}
        )
    output.write(frame, fmt, title="themes")


@cli.command("handoffs")
@click.option("--from", "start", type=DATE, default=None, help="First day.")
@click.option("--to", "end", type=DATE, default=None, help="Last day, included.")
@format_option
@pass_store
def handoffs_command(store: Store, start: dt.date | None, end: dt.date | None, fmt: str) -> None:
    """Show what hand-offs cost: share of complaints with several contacts, resolution days, NPS.

    Each figure comes with n and its 95 % interval; the gap several minus one is tested.
    Example: python -m metrics handoffs --from 2026-01-01 --format json
    """
    from metrics.insights.handoffs import handoffs

    output.write(handoffs(store, start, end), fmt, title="hand-offs")


def _month(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a month (expected YYYY-MM, e.g. 2026-09)") from None


@cli.command("report")
@click.option("--month", default=None, help="YYYY-MM (default: the last complete month with data).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="HTML file.")
@pass_store
def report_command(store: Store, month: str | None, lang: str, out: Path) -> None:
    """Write the monthly board pack: one self-contained HTML file, opened without network.

    Targets with trajectory and probability, regions, alerts with their charts, top themes.
    Example: python -m metrics report --month 2026-09 --lang en --out report.html
    """
    from metrics.reports.board_pack import report_html

    out.write_bytes(report_html(store, _month(month), lang))
    click.echo(f"board pack written to {out}")
