"""Argument readers shared by every CLI command module (no command here, so no import cycle)."""

from __future__ import annotations

import datetime as dt

import click

from metrics.catalogue import N_, text
from metrics.semantic.records import Metric


class Date(click.DateTime):
    """A day as yyyy-mm-dd or dd/mm/yyyy, checked while click parses (exit 2), shown in --help."""

    name = "date"

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d", "%d/%m/%Y"])

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        """`[yyyy-mm-dd|dd/mm/yyyy]` in --help: the formats as people write them, not strftime codes."""
        return "[yyyy-mm-dd|dd/mm/yyyy]"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        """The day, without a time: every command takes a date."""
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return super().convert(value, param, ctx).date()
        except click.BadParameter:
            self.fail(text(N_("cli.not_a_date"), "en", value=repr(value)), param, ctx)


DATE = Date()


class MetricChoice(click.Choice):
    """The declared metric keys, read when a command needs them, not when the CLI starts.

    Loading the registry runs its checks (sqlglot parses every declaration): `--help` must not pay.
    """

    name = "metric"

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        """The keys of METRICS, sorted."""
        from metrics.semantic.definitions import METRICS

        return tuple(sorted(METRICS))

    @choices.setter
    def choices(self, _value: object) -> None:
        """Ignore what Click's constructor sets: the registry is the only source."""

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> Metric:
        """The declaration of the chosen key, looked up once, when the command runs: commands get a Metric."""
        from metrics.semantic.definitions import metric

        return metric(super().convert(value, param, ctx))


METRIC = MetricChoice()


def parse_where(pairs: tuple[str, ...]) -> dict[str, list[str]]:
    """Repeated --where DIM=VALUE options as {dimension: [values]}."""
    where: dict[str, list[str]] = {}
    for pair in pairs:
        dim, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(text(N_("cli.where_pair"), "en", pair=repr(pair)))
        where.setdefault(dim.strip(), []).append(value.strip())
    return where


class LangChoice(click.Choice):
    """The languages the message catalogue has, read when a command runs (a new `.po` adds one)."""

    name = "lang"

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        """The catalogue's languages, French first."""
        from metrics import catalogue

        return catalogue.langs()

    @choices.setter
    def choices(self, _value: object) -> None:
        """Ignore what Click's constructor sets: the catalogue is the only source."""


# one --lang for every command: tables, sentences and downloads in the product's default language
LANG_OPTION = click.option(
    "--lang", type=LangChoice(), default="fr", show_default=True, help=text(N_("cli.help.lang"), "en")
)

# the period and filter options several commands share, declared once
FROM_OPTION = click.option("--from", "start", type=DATE, default=None, help=text(N_("cli.help.from"), "en"))
TO_OPTION = click.option("--to", "end", type=DATE, default=None, help=text(N_("cli.help.to"), "en"))
WHERE_OPTION = click.option(
    "--where", "wheres", multiple=True, metavar="DIM=VALUE", help=text(N_("cli.help.where"), "en")
)
AS_OF_OPTION = click.option(
    "--as-of", "as_of", type=DATE, default=None, help=text(N_("cli.help.as_of_month"), "en")
)
