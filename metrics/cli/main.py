"""`python -m metrics`: importing each command module registers its commands on the one group."""

from __future__ import annotations

from metrics.cli import (  # noqa: F401 - registers the commands
    compare,
    digest,
    drivers,
    engines,
    followups,
    imports,
    insights,
    maintenance,
    reports,
)
from metrics.cli.group import cli


def main() -> None:
    """Entry point for `python -m metrics`."""
    cli(obj={})
