"""`python -m metrics compare`: each group against the rest, Holm-adjusted, as the Regions page shows it."""

from __future__ import annotations

import datetime as dt

import click

from metrics.catalogue import N_, text
from metrics.cli.args import FROM_OPTION, METRIC, TO_OPTION, WHERE_OPTION
from metrics.cli.args import parse_where as _where
from metrics.cli.group import cli, format_option, pass_store
from metrics.reports import output
from metrics.semantic.records import Metric
from metrics.store import Store


def _range(
    year: int | None, start: dt.date | None, end: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """--year Y is 1 January to 31 December; --from/--to give any range; not both."""
    if year is not None and (start or end):
        raise click.UsageError(text(N_("cli.year_or_range"), "en"))
    if year is not None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return start, end


@cli.command("compare")
@click.argument("m", metavar="METRIC", type=METRIC)
@click.option("--by", "dim", required=True, help=text(N_("cli.help.compare_by"), "en"))
@click.option("--year", type=int, default=None, help=text(N_("cli.help.year_one"), "en"))
@FROM_OPTION
@TO_OPTION
@WHERE_OPTION
@click.option("--min-n", default=30, show_default=True, help=text(N_("cli.help.min_n"), "en"))
@format_option
@pass_store
def compare_command(
    store: Store,
    m: Metric,
    dim: str,
    year: int | None,
    start: dt.date | None,
    end: dt.date | None,
    wheres: tuple[str, ...],
    min_n: int,
    fmt: str,
) -> None:
    """Compare each group of METRIC with the rest: diff, p, Holm-adjusted p and verdict.

    The verdict is above, below, noise (not significant once adjusted for the number of groups) or
    small (too few answers to test).

    Example: python -m metrics compare nps --by region --year 2026
    """
    from metrics.reports.comparison import compare_groups  # pandas and the query layer: only when run

    first, last = _range(year, start, end)
    frame = compare_groups(store, m, by=dim, start=first, end=last, where=_where(wheres), min_n=min_n)
    output.write(frame, fmt, title=text(N_("cli.title.by"), "en", metric=m.key, dim=dim))
