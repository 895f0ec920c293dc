"""The import commands of `python -m metrics`: import, imports, rejected, rollback, datasets, docs."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from metrics.contracts.datasets import DATASETS
from metrics.errors import CxError
from metrics.ingest.dates import ORDER_HELP, ORDERS
from metrics.ingest.mapping import parse_map_options
from metrics.ingest.options import (
    CLOSED_WHEN_EXAMPLE,
    DEFAULT_MAX_REJECTED,
    DELIMITER_NAMES,
    KEEP,
    ImportOptions,
    parse_pairs,
)
from metrics.ingest.presets import PRESETS
from metrics.ingest.reasons import render_reason
from metrics.reports import output
from metrics.store import Store

if TYPE_CHECKING:  # the import pipeline (pandas, phonenumbers...) loads only when a command runs
    from metrics.ingest.importing import ImportReport
from metrics.catalogue import N_, text
from metrics.cli.args import LANG_OPTION
from metrics.cli.group import cli, format_option, pass_store
from metrics.reports import formatting


def _progress_printer() -> Callable[[str, float], None] | None:
    if not sys.stderr.isatty():
        return None
    from rich.progress import Progress

    bar = Progress(transient=True, console=None)
    task = bar.add_task("import", total=1.0)
    bar.start()

    def update(label: str, fraction: float) -> None:
        bar.update(task, completed=fraction, description=label)
        if fraction >= 1.0:
            bar.stop()

    return update


def _say(key: str, **values: object) -> None:
    """One indented line of the report, in English like every CLI message."""
    click.echo("  " + text(key, "en", **values))


def print_report(report: ImportReport) -> None:
    """The import report: counts that add up, how the file was read and why, then the first problems."""
    # a workbook has cells, not a separator: its report names the sheet read
    if report.sheet:
        shape = text(N_("cli.report.sheet"), "en", sheet=report.sheet)
    else:
        shape = text(N_("cli.report.csv"), "en", encoding=report.encoding, separator=repr(report.delimiter))
    head = N_("cli.report.dry_run") if report.dry_run else N_("cli.report.import")
    click.echo(
        text(head, "en", id=report.import_id, file=report.file_name, dataset=report.dataset, shape=shape)
    )
    _say(
        N_("cli.report.counts"), rows=report.rows_read, accepted=report.accepted, inserted=report.inserted,
        updated=report.updated, rejected=report.rejected, skipped=report.skipped,
    )  # fmt: skip
    from metrics.ingest.notices import grouping  # sqlglot loads with it: not at CLI start

    if said := grouping(report.log, report.grouped, report.accepted, report.dataset, "en"):
        click.echo(f"  {said}")
    for decision in report.decisions:
        _say(N_("cli.report.read"), decision=decision.render("en"))
    for reading in report.dates:
        _say(N_("cli.report.dates"), reading=reading.describe("en"))
    for reason, count in report.skipped_by_reason.items():
        _say(N_("cli.report.skipped"), count=count, reason=render_reason(reason, None, None, "en"))
    if any(report.masked.values()):
        _say(N_("cli.report.masked"), counts=", ".join(f"{n} {k}" for k, n in report.masked.items() if n))
    for problem in report.problems:
        click.echo(f"  {problem.render('en')}")
    if report.rejected > len(report.problems) and not report.dry_run:
        _say(N_("cli.report.all_rejected"), id=report.import_id)
    for notice in report.notices:
        click.echo(text(N_("cli.warning"), "en", message=notice.render("en", "cli")), err=True)
    if report.status == "partial" and not report.dry_run:
        share = formatting.percent(report.rejected_share, 0, "en")
        warning = text(
            N_("import.partial"), "en", surface="cli",
            rejected=report.rejected, rows=report.rows_read, share=share, id=report.import_id,
        )  # fmt: skip
        click.echo(text(N_("cli.warning"), "en", message=warning), err=True)


@cli.command("import")
@click.argument("dataset", type=click.Choice(sorted(DATASETS)))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--map", "maps", multiple=True, metavar="COLUMN=HEADER", help=text(N_("cli.help.map"), "en"))
@click.option(
    "--set",
    "constants",
    multiple=True,
    metavar="COLUMN=VALUE",
    help=text(N_("cli.help.set"), "en"),
)
@click.option("--row-id", is_flag=True, help=text(N_("cli.help.row_id"), "en"))
@click.option("--keep", type=click.Choice(KEEP), default=None, help=text(N_("cli.help.keep"), "en"))
@click.option(
    "--closed-when",
    metavar="COLUMN=STATE[,STATE]",
    default=None,
    help=text(N_("cli.help.closed_when"), "en", example=CLOSED_WHEN_EXAMPLE),
)
@click.option("--per-call", is_flag=True, help=text(N_("cli.help.per_call"), "en"))
@click.option(
    "--date-order",
    type=click.Choice(ORDERS),
    default=None,
    help=text(N_("cli.help.date_order"), "en", orders="; ".join(f"{k}: {v}" for k, v in ORDER_HELP.items())),
)
@click.option(
    "--max-rejected",
    type=click.FloatRange(0, 100),
    default=DEFAULT_MAX_REJECTED,
    show_default=True,
    metavar="PCT",
    help=text(N_("cli.help.max_rejected"), "en"),
)
@click.option(
    "--preset",
    type=click.Choice(sorted(PRESETS)),
    default=None,
    help=text(N_("cli.help.preset"), "en"),
)
@click.option("--sheet", default=None, help=text(N_("cli.help.sheet"), "en"))
@click.option(
    "--delimiter",
    type=click.Choice(list(DELIMITER_NAMES)),
    default=None,
    help=text(N_("cli.help.delimiter"), "en"),
)
@click.option("--dry-run", is_flag=True, help=text(N_("cli.help.import_dry_run"), "en"))
@pass_store
def import_command(
    store: Store,
    dataset: str,
    file: Path,
    maps: tuple[str, ...],
    constants: tuple[str, ...],
    row_id: bool,
    keep: str | None,
    closed_when: str | None,
    per_call: bool,
    date_order: str | None,
    max_rejected: float,
    preset: str | None,
    sheet: str | None,
    delimiter: str | None,
    dry_run: bool,
) -> None:
    """Import FILE (CSV or .xlsx) into DATASET and print the report.

    Example: python -m metrics import responses form.csv --set region=Bretagne
    """
    options = ImportOptions(
        mapping=parse_map_options(maps),
        constants=parse_pairs("--set", constants, "region=Bretagne"),
        row_id=row_id,
        keep=keep,
        closed_when=closed_when,
        per_call=per_call,
        date_order=date_order,
        max_rejected=max_rejected,
        preset=preset,
        sheet=sheet,
        delimiter=DELIMITER_NAMES[delimiter] if delimiter else None,
        dry_run=dry_run,
    )
    from metrics.ingest.importing import import_file  # the pipeline loads only when importing

    report = import_file(store, dataset, file, options=options, progress=_progress_printer())
    print_report(report)
    if report.refusal:
        raise CxError(report.refusal)


@cli.command("imports")
@format_option
@pass_store
def imports_command(store: Store, fmt: str) -> None:
    """List every import, newest first.

    Example: python -m metrics imports --format csv
    """
    from metrics.ingest import history

    output.write(history.list_imports(store), fmt, title="imports")


@cli.command("rejected")
@click.argument("import_id", type=int, required=False)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=text(N_("cli.help.rejected_out"), "en"),
)
@LANG_OPTION
@format_option
@pass_store
def rejected_command(store: Store, import_id: int | None, out: Path | None, lang: str, fmt: str) -> None:
    """List quarantined rows with their reasons (all imports, or IMPORT_ID).

    Example: python -m metrics rejected 3 --out rejected.csv
    """
    from metrics.ingest import history

    if out is not None:
        if import_id is None:
            raise click.UsageError(text(N_("cli.out_needs_id"), "en"))
        frame = history.rejected_records(store, import_id, lang=lang)
        out.write_text(output.safe_csv(frame, sep=";"), encoding="utf-8-sig")
        click.echo(text(N_("count.rejected_lines_written"), "en", n=len(frame), out=out))
        return
    frame = history.rejected_rows(store, import_id, lang=lang).drop(columns=["raw"])
    output.write(frame, fmt, title=text(N_("cli.title.rejected"), "en"))


@cli.command("rollback")
@click.argument("import_id", type=int)
@pass_store
def rollback_command(store: Store, import_id: int) -> None:
    """Undo IMPORT_ID: remove its rows and restore the rows it replaced.

    Example: python -m metrics rollback 3
    """
    from metrics.ingest import history

    removed = history.rollback(store, import_id)
    click.echo(text(N_("import.rolled_back"), "en", id=import_id, rows=removed))


@cli.command("datasets")
@format_option
def datasets_command(fmt: str) -> None:
    """List the declared datasets and their required columns.

    Example: python -m metrics datasets --format json
    """
    rows = [
        {
            "dataset": d.key,
            "label": d.label["en"],
            "row": d.row_is["en"],
            "required": ", ".join(c.name for c in d.required),
            "optional": ", ".join(c.name for c in d.columns if not c.required),
        }
        for d in DATASETS.values()
    ]
    import pandas as pd

    output.write(pd.DataFrame(rows), fmt, title="datasets")


@cli.command("docs")
def docs_command() -> None:
    """Regenerate the reference docs (data contracts, metrics, settings) from the declarations.

    Example: python -m metrics docs
    """
    from metrics.reports.docs import write_docs

    for path in write_docs():
        click.echo(text(N_("cli.wrote"), "en", path=path))
