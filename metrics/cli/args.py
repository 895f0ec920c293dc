"""Argument readers shared by every CLI command module (no command here, so no import cycle)."""

from __future__ import annotations

import datetime as dt

import click

FORMATS_SHOWN = "yyyy-mm-dd or dd/mm/yyyy"


class Date(click.DateTime):
    """A day as yyyy-mm-dd or dd/mm/yyyy, checked while click parses (exit 2), shown in --help."""

    name = "date"

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d", "%d/%m/%Y"])

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        """`[yyyy-mm-dd|dd/mm/yyyy]` in --help: the formats as people write them, not strftime codes."""
        return f"[{FORMATS_SHOWN.replace(' or ', '|')}]"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        """The day, without a time: every command takes a date."""
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return super().convert(value, param, ctx).date()
        except click.BadParameter:
            self.fail(f"{value!r} is not a date (expected {FORMATS_SHOWN})", param, ctx)


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


METRIC = MetricChoice()


def parse_where(pairs: tuple[str, ...]) -> dict[str, list[str]]:
    """Repeated --where DIM=VALUE options as {dimension: [values]}."""
    where: dict[str, list[str]] = {}
    for pair in pairs:
        dim, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair!r}: expected DIMENSION=VALUE, e.g. --where region=Nord")
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
    "--lang", type=LangChoice(), default="fr", show_default=True, help="Language of tables and sentences."
)
