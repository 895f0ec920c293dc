"""The insight commands of `python -m metrics`: alerts, themes, hand-offs and the board pack."""

from __future__ import annotations

import datetime as dt

import click

from metrics import output
from metrics.cli import cli, format_option, pass_store
from metrics.cli_reports import _date
from metrics.store import Store


def _as_of(store: Store, as_of: str | None) -> dt.date:
    """The chosen date, else the end of the last complete month with data."""
    from metrics.trajectory import default_as_of

    return _date(as_of) or default_as_of(store)


@cli.command("alerts")
@click.option("--since", default=None, help="Only alerts that started on or after this day.")
@click.option("--as-of", "as_of", default=None, help="Last day (default: end of the last complete month).")
@click.option("--weeks", type=click.IntRange(min=21), default=52, show_default=True, help="Weeks charted.")
@format_option
@pass_store
def alerts_command(store: Store, since: str | None, as_of: str | None, weeks: int, fmt: str) -> None:
    """List what changed and since when: weekly control charts per region and site (3 sigma, run of 8).

    Example: python -m metrics alerts --since 2026-06-01 --format csv
    """
    from metrics.alerts import alerts

    frame = alerts(store, _as_of(store, as_of), since=_date(since), weeks=weeks)
    output.write(frame, fmt, title="alerts")
