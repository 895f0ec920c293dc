"""`export`: the database as a Parquet warehouse that Spark (`--engine spark`) or any reader can query."""

from __future__ import annotations

from pathlib import Path

import click

from metrics.catalogue import N_, text
from metrics.cli.group import cli
from metrics.store import Store


@cli.command("export")
@click.argument("out", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def export_command(ctx: click.Context, out: Path) -> None:
    """Write every dataset and rollup to DIR as Parquet, partitioned by month.

    Example: python -m metrics export wh/ then python -m metrics --engine spark --warehouse wh/ query nps
    """
    from metrics.engines.duckdb import export

    store = Store(ctx.obj["db"])
    try:
        counts = export(store, out)
    finally:
        store.close()
    for table, rows in counts.items():
        click.echo(text(N_("count.table_rows"), "en", table=table, n=rows))
    click.echo(text(N_("cli.warehouse_written"), "en", out=out))
