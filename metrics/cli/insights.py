"""The insight commands of `python -m metrics`: alerts, themes, hand-offs and the board pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from metrics.catalogue import N_, text
from metrics.cli.args import AS_OF_OPTION, DATE, FROM_OPTION, LANG_OPTION, TO_OPTION
from metrics.cli.group import cli, format_option, pass_store
from metrics.contracts.datasets import DATASETS
from metrics.reports import output
from metrics.store import Store


def _as_of(store: Store, as_of: dt.date | None) -> dt.date:
    """The chosen date, else the end of the last complete month with data."""
    from metrics.reports.trajectory import default_as_of

    return as_of or default_as_of(store)


@cli.command("alerts")
@click.option("--since", type=DATE, default=None, help=text(N_("cli.help.since"), "en"))
@AS_OF_OPTION
@click.option(
    "--weeks",
    type=click.IntRange(min=21),
    default=52,
    show_default=True,
    help=text(N_("cli.help.weeks"), "en"),
)
@click.option("--groups", is_flag=True, help=text(N_("cli.help.groups"), "en"))
@LANG_OPTION
@format_option
@pass_store
def alerts_command(
    store: Store, since: dt.date | None, as_of: dt.date | None, weeks: int, groups: bool, lang: str, fmt: str
) -> None:
    """List what changed and since when: control charts per region and site, weekly or monthly.

    Limits are set for the whole family of charts (about one false alert over the window in all);
    how many groups were charted, and why the others were not, is said on stderr.
    Example: python -m metrics alerts --since 2026-06-01 --format csv
    """
    from metrics.insights.alerts import coverage_text, limits_text, watch

    found = watch(store, _as_of(store, as_of), since=since, weeks=weeks)
    if groups:
        output.write(found.groups, fmt, title=text(N_("cli.title.alert_groups"), "en"))
    else:
        output.write(found.alerts, fmt, title="alerts")
    click.echo(coverage_text(found, lang), err=True)
    if limits := limits_text(found, lang):
        click.echo(limits, err=True)


@cli.command("themes")
@click.option(
    "--by", type=click.Choice(DATASETS["responses"].dimensions), help=text(N_("cli.help.split"), "en")
)
@FROM_OPTION
@TO_OPTION
@LANG_OPTION
@click.option("--trend", is_flag=True, help=text(N_("cli.help.trend"), "en"))
@format_option
@pass_store
def themes_command(
    store: Store, by: str | None, start: dt.date | None, end: dt.date | None, lang: str, trend: bool, fmt: str
) -> None:
    """List the themes of the comments: share, NPS with and without (Holm over the whole table), impact.

    Impact: NPS points gained if the detractors who complain about the theme became passives, each
    detractor shared among the themes they complain about, so impacts add up to points_available at
    most; impact_low and impact_high are its 95 % interval. Themes named by fewer than 10 answers are
    not listed.
    Example: python -m metrics themes --by region --lang en --format csv
    """
    from metrics.insights.verbatims import theme_trend, themes_report

    if trend:
        if by:
            raise click.UsageError(text(N_("cli.trend_and_by"), "en"))
        output.write(theme_trend(store, start, end), fmt, title=text(N_("cli.title.themes_by_month"), "en"))
        return
    frame = themes_report(store, start, end, by=by, lang=lang)
    if fmt == "table":
        two = dict.fromkeys(("impact", "impact_low", "impact_high", "points_available"), 2)
        frame = frame.drop(columns=["p_value", "moe_with", "moe_without"]).round(
            {"share": 3, "nps_with": 1, "nps_without": 1, "difference": 1, "p_holm": 4, **two}
        )
    output.write(frame, fmt, title="themes")


@cli.command("handoffs")
@FROM_OPTION
@TO_OPTION
@format_option
@pass_store
def handoffs_command(store: Store, start: dt.date | None, end: dt.date | None, fmt: str) -> None:
    """Show what hand-offs are associated with: share of complaints with several contacts, days, NPS.

    Each figure comes with n and its 95 % interval; the gap several minus one is tested. The gaps are
    associations, not effects. Medians count open complaints (Kaplan-Meier, column open); means use
    closed ones only; below 6 complaints a median has no interval.
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
        raise click.BadParameter(text(N_("cli.not_a_month"), "en", value=repr(value))) from None


@cli.command("report")
@click.option("--month", default=None, help=text(N_("cli.help.month"), "en"))
@LANG_OPTION
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help=text(N_("cli.help.report_out"), "en"),
)
@pass_store
def report_command(store: Store, month: str | None, lang: str, out: Path) -> None:
    """Write the monthly board pack: one self-contained HTML file, opened without network.

    Targets with trajectory and probability, regions, alerts with their charts, top themes.
    Example: python -m metrics report --month 2026-09 --lang en --out report.html
    """
    from metrics.reports.board_pack import report_html

    out.write_bytes(report_html(store, _month(month), lang))
    click.echo(text(N_("cli.board_pack_written"), "en", out=out))
