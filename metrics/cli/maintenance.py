"""Maintenance commands: list the settings, purge old personal text, rebuild a database from its files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from metrics import clock, settings
from metrics.catalogue import N_, text
from metrics.cli.args import DATE
from metrics.cli.group import cli, format_option, pass_store
from metrics.ingest import retention
from metrics.reports import output
from metrics.store import Store


@cli.command("purge")
@click.option("--before", type=DATE, default=None, help=text(N_("cli.help.before"), "en"))
@pass_store
def purge_command(store: Store, before: dt.date | None) -> None:
    """Blank the verbatims and delete the rejected rows older than the retention period.

    Example: python -m metrics purge --before 2025-01-01
    """
    day = before or retention.cutoff(clock.today(), retention.retention_months())
    done = retention.purge(store, day)
    blanked = text(N_("count.verbatims_blanked"), "en", n=done.verbatims)
    deleted = text(N_("count.rejected_rows_deleted"), "en", n=done.rejected_rows)
    click.echo(text(N_("cli.purged"), "en", day=f"{done.before:%Y-%m-%d}", blanked=blanked, deleted=deleted))


@cli.command("rebuild")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help=text(N_("cli.help.rebuild_out"), "en"),
)
@click.pass_context
def rebuild_command(ctx: click.Context, out: Path) -> None:
    """Recreate the database as OUT from its archived files, imports and roll-backs in their order.

    Example: python -m metrics rebuild --out data/cx-rebuilt.duckdb
    """
    from metrics.ingest.rebuild import rebuild  # the import machinery, only for this command

    done = rebuild(Path(ctx.obj["db"]), out)
    replayed = text(N_("count.imports_replayed"), "en", n=done.imports)
    redone = text(N_("count.rollbacks_redone"), "en", n=done.rollbacks)
    click.echo(text(N_("cli.rebuilt"), "en", path=done.path, replayed=replayed, redone=redone))


@cli.command("settings")
@format_option
def settings_command(fmt: str) -> None:
    """List every CX_* environment setting: its current value, default and what it changes.

    Example: python -m metrics settings
    """
    import pandas as pd

    output.write(pd.DataFrame(settings.listing()), fmt)


@cli.command("audit")
@format_option
@pass_store
def audit_command(store: Store, fmt: str) -> None:
    """Print the audit trail, newest first: imports, roll-backs, targets, demo and access-file changes.

    Example: python -m metrics audit --format csv
    """
    from metrics.access import audit
    from metrics.access.changes import record_access_change

    record_access_change(store)  # an edit of the access file not yet seen by the dashboard
    output.write(audit.entries(store), fmt, title="audit")
