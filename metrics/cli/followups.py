"""`python -m metrics followups`: the follow-up queue of detractors and complaints, its figures, its edits.

The command line acts as the local admin (`Caller.local()`); every change is audited like the pages'.
"""

from __future__ import annotations

import datetime as dt

import click

from metrics.catalogue import N_, text
from metrics.cli.args import DATE, LANG_OPTION
from metrics.cli.group import cli, format_option, pass_store
from metrics.errors import CxError
from metrics.followup.states import OUTCOMES, SOURCES, STATUSES
from metrics.reports import output
from metrics.store import Store


def _duckdb(store: object) -> Store:
    """Follow-ups live in the database file only: Spark's warehouse has none."""
    if not isinstance(store, Store):
        raise CxError(N_("cli.followups_duckdb_only"))
    return store


_FROM = click.option("--from", "start", type=DATE, default=None, help=text(N_("cli.help.from_year"), "en"))
_TO = click.option("--to", "end", type=DATE, default=None, help=text(N_("cli.help.to_today"), "en"))
_REGION = click.option("--region", "regions", multiple=True, help=text(N_("cli.help.region_only"), "en"))


def _period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The chosen days, else this year up to today (metrics.clock)."""
    from metrics import clock

    last = end or clock.today()
    return start or dt.date(last.year, 1, 1), last


@cli.group("followups", invoke_without_command=True)
@_REGION
@click.option("--site", "sites", multiple=True, help=text(N_("cli.help.site_only"), "en"))
@click.option(
    "--status", type=click.Choice(STATUSES), multiple=True, help=text(N_("cli.help.status_only"), "en")
)
@_FROM
@_TO
@LANG_OPTION
@format_option
@click.pass_context
def followups_command(
    ctx: click.Context,
    regions: tuple[str, ...],
    sites: tuple[str, ...],
    status: tuple[str, ...],
    start: dt.date | None,
    end: dt.date | None,
    lang: str,
    fmt: str,
) -> None:
    """List the follow-up cases: each detractor (score 0-6) and complaint, with owner, due date, status.

    A case nobody has touched is open and due CX_FOLLOW_UP_HOURS after the answer. Comments of a site
    are shown only when at least 10 of its detractors left one. The table is in --lang; csv and json
    keep the keys for scripts. `followups set` changes a case, `followups stats` and `followups effect`
    give the figures.
    Example: python -m metrics followups --region Bretagne --status open
    """
    if ctx.invoked_subcommand is not None:
        return
    ctx.invoke(_list, regions=regions, sites=sites, status=status, start=start, end=end, lang=lang, fmt=fmt)


@pass_store
def _list(
    store: Store,
    regions: tuple[str, ...],
    sites: tuple[str, ...],
    status: tuple[str, ...],
    start: dt.date | None,
    end: dt.date | None,
    lang: str,
    fmt: str,
) -> None:
    from metrics.followup.display import queue_table
    from metrics.followup.queue import queue

    first, last = _period(start, end)
    got = queue(_duckdb(store), first, last, regions=regions, sites=sites, status=status)
    shown = queue_table(got, lang) if fmt == "table" else got.drop(columns=["updated_at"])
    output.write(shown, fmt, title="follow-ups")


@followups_command.command("set")
@click.argument("source", type=click.Choice(SOURCES))
@click.argument("source_id")
@click.option("--owner", default=None, help=text(N_("cli.help.owner"), "en"))
@click.option(
    "--status", type=click.Choice(STATUSES), default=None, help=text(N_("cli.help.new_status"), "en")
)
@click.option(
    "--outcome", type=click.Choice([*OUTCOMES, ""]), default=None, help=text(N_("cli.help.outcome"), "en")
)
@click.option("--due", type=DATE, default=None, help=text(N_("cli.help.due"), "en"))
@pass_store
def set_command(
    store: Store,
    source: str,
    source_id: str,
    owner: str | None,
    status: str | None,
    outcome: str | None,
    due: dt.date | None,
) -> None:
    """Change one case: owner, status, outcome or due day; closing needs an outcome.

    The change is recorded in the audit trail with who made it; imported rows are never altered.
    Example: python -m metrics followups set response R1042 --owner Anne --status closed --outcome reached
    """
    from metrics.access.caller import Caller
    from metrics.followup.edits import Change, set_follow_up

    due_at = dt.datetime.combine(due, dt.time(23, 59, 59)) if due else None
    change = Change(source, source_id, owner=owner, status=status, outcome=outcome, due_at=due_at)
    row = set_follow_up(_duckdb(store), Caller.local(), change)
    click.echo(f"{source} {source_id}: {row['status']}" + (f", {row['outcome']}" if row["outcome"] else ""))


@followups_command.command("stats")
@_REGION
@_FROM
@_TO
@LANG_OPTION
@format_option
@pass_store
def stats_command(
    store: Store, regions: tuple[str, ...], start: dt.date | None, end: dt.date | None, lang: str, fmt: str
) -> None:
    """Per region: close rate, share closed on time and median hours to close, with 95 % intervals.

    Rates carry Wilson intervals; the median counts open cases (Kaplan-Meier) with a distribution-free
    interval. No figure per owner: the cases are closed by teams, not ranked by person.
    Example: python -m metrics followups stats --from 2026-01-01 --lang en
    """
    from metrics.followup.display import region_table
    from metrics.followup.stats import by_region

    first, last = _period(start, end)
    got = by_region(_duckdb(store), first, last, regions)
    shown = region_table(got, lang) if fmt == "table" else got
    output.write(shown, fmt, title=text(N_("cli.title.followups_by_region"), "en"))


@followups_command.command("effect")
@_REGION
@_FROM
@_TO
@LANG_OPTION
@format_option
@pass_store
def effect_command(
    store: Store, regions: tuple[str, ...], start: dt.date | None, end: dt.date | None, lang: str, fmt: str
) -> None:
    """Next answer of detractors reached by a call-back against the others: NPS and its gap, 95 % interval.

    An association seen in the data, not a proven effect; groups under 10 later answers say "too few".
    Example: python -m metrics followups effect --lang en
    """
    from metrics.followup.display import effect_table, effect_text
    from metrics.followup.stats import callback_effect

    first, last = _period(start, end)
    got = callback_effect(_duckdb(store), first, last, regions)
    output.write(effect_table(got, lang) if fmt == "table" else got, fmt, title="call-back")
    click.echo(effect_text(got, lang), err=fmt != "table")
