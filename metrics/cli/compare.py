"""`python -m metrics compare`: each group against the rest, Holm-adjusted, as the Regions page shows it."""

from __future__ import annotations

import datetime as dt

import click

from metrics.cli.args import DATE, METRIC
from metrics.cli.args import parse_where as _where
from metrics.cli.group import cli, format_option, pass_store
from metrics.reports import output
from metrics.store import Store


def _range(
    year: int | None, start: dt.date | None, end: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """--year Y is 1 January to 31 December; --from/--to give any range; not both."""
    if year is not None and (start or end):
        raise click.UsageError("give --year or --from/--to, not both")
    if year is not None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return start, end


@cli.command("compare")
@click.argument("metric_key", metavar="METRIC", type=METRIC)
@click.option("--by", "dim", required=True, help="The groups to compare, e.g. --by region.")
@click.option("--year", type=int, default=None, help="One calendar year, e.g. --year 2026.")
@click.option("--from", "start", type=DATE, default=None, help="First day.")
@click.option("--to", "end", type=DATE, default=None, help="Last day, included.")
@click.option(
    "--where", "wheres", multiple=True, metavar="DIM=VALUE", help="Keep only these values (repeatable)."
)
@click.option("--min-n", default=30, show_default=True, help="Groups with fewer answers are not tested.")
@format_option
@pass_store
def compare_command(
    store: Store,
    metric_key: str,
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
    frame = compare_groups(
        store, metric_key, by=dim, start=first, end=last, where=_where(wheres), min_n=min_n
    )
    output.write(frame, fmt, title=f"{metric_key} by {dim}")
