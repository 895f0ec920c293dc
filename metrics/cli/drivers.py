"""`python -m metrics drivers`: the key drivers of NPS or first-time fix, year to date, against target."""

from __future__ import annotations

import datetime as dt

import click

from metrics.catalogue import N_, text
from metrics.cli.args import AS_OF_OPTION, LANG_OPTION
from metrics.cli.group import cli, format_option, pass_store
from metrics.reports import output
from metrics.store import Store


@cli.command("drivers")
@click.option(
    "--metric",
    "metric_key",
    type=click.Choice(["nps", "first_time_fix_rate"]),
    default="nps",
    show_default=True,
    help=text(N_("cli.help.drivers_metric"), "en"),
)
@click.option("--region", default=None, help=text(N_("cli.help.region_answers"), "en"))
@AS_OF_OPTION
@LANG_OPTION
@format_option
@pass_store
def drivers_command(
    store: Store, metric_key: str, region: str | None, as_of: dt.date | None, lang: str, fmt: str
) -> None:
    """Rank what goes with NPS (or first-time fix): Shapley shares, points for a stated change, Holm-tested.

    Year to date. Each driver's effect is the NPS points a stated change goes with (first-time fix +5
    points, effort -0.5), with its 95 % bootstrap interval, against the points missing to the target.
    Drivers that are not significant are not ranked; drivers with fewer than 30 answers in their
    smaller group are left out (said on stderr). Associations, not causes.
    With --metric first_time_fix_rate, the interventions' kind, contractor and region are the drivers.
    Example: python -m metrics drivers --region Bretagne --lang en
    """
    from metrics.insights.driver_text import data_table, display_table, headlines, notes, title
    from metrics.insights.drivers import key_drivers

    found = key_drivers(store, as_of=as_of, region=region, metric_key=metric_key)
    if fmt == "table":
        for sentence in headlines(found, lang):
            click.echo(sentence)
        output.write(display_table(found, lang), fmt, title=title(found, lang))
    else:
        output.write(data_table(found, lang), fmt)
    for sentence in notes(found, lang):
        click.echo(sentence, err=True)
