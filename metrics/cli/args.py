"""Argument readers shared by every CLI command module (no command here, so no import cycle)."""

from __future__ import annotations

import datetime as dt

import click


def parse_date(value: str | None) -> dt.date | None:
    """A date option as yyyy-mm-dd or dd/mm/yyyy; a bad one fails as a usage error naming the formats."""
    if value is None:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise click.BadParameter(f"{value!r} is not a date (expected yyyy-mm-dd or dd/mm/yyyy)")


def parse_where(pairs: tuple[str, ...]) -> dict[str, list[str]]:
    """Repeated --where DIM=VALUE options as {dimension: [values]}."""
    where: dict[str, list[str]] = {}
    for pair in pairs:
        dim, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair!r}: expected DIMENSION=VALUE, e.g. --where region=Nord")
        where.setdefault(dim.strip(), []).append(value.strip())
    return where
