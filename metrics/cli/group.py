"""The `python -m metrics` group and its shared options. Exit 0 success, 1 refused input, 2 misuse."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from metrics.catalogue import N_, text
from metrics.errors import CxError
from metrics.reports import output
from metrics.store import default_db_path

if TYPE_CHECKING:  # the import pipeline (pandas, phonenumbers...) loads only when a command runs
    pass


class CxGroup(click.Group):
    """Turns every CxError into one sentence on stderr and its exit status (2 misuse, 1 refused input)."""

    def invoke(self, ctx: click.Context) -> Any:  # noqa: ANN401 - click's own signature
        """Run the command, translating the user-fixable errors: never a traceback."""
        try:
            return super().invoke(ctx)
        except CxError as err:
            click.echo(text(N_("cli.error"), "en", message=err.render("en", "cli")), err=True)
            ctx.exit(err.exit_code)


def format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """The --format option every listing command shares."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(output.FORMATS),
        default="table",
        show_default=True,
        help=text(N_("cli.help.format"), "en"),
    )(func)


def pass_store(func: Callable[..., Any]) -> Callable[..., Any]:
    """Give the command the Store named by --db, CX_DB or the default (or Spark's, with --engine spark)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        from metrics.engines import open_engine

        ctx = click.get_current_context()
        store = open_engine(ctx.obj.get("engine"), ctx.obj["db"], ctx.obj.get("warehouse"))
        try:
            return func(store, *args, **kwargs)
        finally:
            store.close()

    return wrapper


@click.group(cls=CxGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=text(N_("cli.help.db"), "en"),
)
@click.option(
    "--engine",
    type=click.Choice(("duckdb", "spark")),
    default=None,
    help=text(N_("cli.help.engine"), "en"),
)
@click.option(
    "--warehouse",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=text(N_("cli.help.warehouse"), "en"),
)
@click.pass_context
def cli(ctx: click.Context, db: Path | None, engine: str | None, warehouse: Path | None) -> None:
    """Customer-experience KPIs: import exports, query metrics, follow targets.

    Example: python -m metrics import responses data/samples/responses.csv
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db or default_db_path()
    ctx.obj["engine"], ctx.obj["warehouse"] = engine, warehouse
