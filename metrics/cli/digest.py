"""`python -m metrics digest`: one digest per recipient, in their scope and language, sent or written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from metrics.catalogue import N_, text
from metrics.cli.args import AS_OF_OPTION
from metrics.cli.group import cli, pass_store
from metrics.errors import Misuse
from metrics.store import Store


@cli.command("digest")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=text(N_("cli.help.digest_out"), "en"),
)
@click.option("--dry-run", is_flag=True, help=text(N_("cli.help.digest_dry_run"), "en"))
@AS_OF_OPTION
@click.option(
    "--recipients",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=text(N_("cli.help.recipients"), "en"),
)
@pass_store
def digest_command(
    store: Store, out: Path | None, dry_run: bool, as_of: dt.date | None, recipients: Path | None
) -> None:
    """Send each recipient of the recipients file a digest of their metrics, within their own scope.

    The scope is the access file's grants for the recipient's e-mail, never the sender's. A digest says
    what changed since the recipient's last one, the required run-rate and the alerts that started; it
    is skipped when nothing moved. Mail server: CX_SMTP_HOST and others; guide and cron line: docs/digests.md.
    Example: python -m metrics digest --out digests/
    """
    from metrics.digest.recipients import digest_path
    from metrics.digest.run import Outcome, run

    def done(o: Outcome) -> None:
        if o.state == "no_grant":
            return  # said on stderr by `note`
        click.echo(f"{o.state} {o.email}: {o.detail}" if o.detail else f"{o.state} {o.email}")
        if o.state == "previewed" and o.digest is not None:
            click.echo(f"Subject: {o.digest.subject}\n\n{o.digest.text}")

    if not isinstance(store, Store):  # the digests table lives in the DuckDB file, not in a warehouse
        raise Misuse(N_("cli.digest_duckdb_only"))
    path = recipients or digest_path(Path(store.path))
    run(store, path, as_of=as_of, out=out, dry_run=dry_run, note=lambda m: click.echo(m, err=True), done=done)
