"""Every `CX_*` environment setting, declared once as data; the only module that reads `os.environ`.

Like datasette's `SETTINGS`: each setting has a name, a default, a help line and the sentence a bad
value gets, and the CLI (`python -m metrics settings`) and `docs/settings.md` are generated from
this table. Values are read when asked for, not at import, so a changed environment (a test's
`monkeypatch.setenv`, a restarted server) takes effect without reloading anything.
To add a setting: declare it in `SETTINGS` and read it with `value("CX_...")`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from metrics.errors import BadSetting

# a DuckDB memory size: "4GB", "512 MiB", "0.5TB"
_MEMORY = re.compile(r"^\d+(\.\d+)?\s*([KMGT]i?B|B|bytes)$", re.IGNORECASE)


def _whole(minimum: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not raw.isdigit() or int(raw) < minimum:
            raise ValueError(raw)
        return int(raw)

    return parse


def _number(minimum: float, *, strict: bool = False) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        got = float(raw)
        if got != got or got < minimum or (strict and got == minimum):  # NaN, or out of range
            raise ValueError(raw)
        return got

    return parse


def _memory(raw: str) -> str:
    if not _MEMORY.match(raw):
        raise ValueError(raw)
    return raw


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw.lower() not in allowed:
            raise ValueError(raw)
        return raw.lower()

    return parse


def _day(raw: str) -> dt.date:
    return dt.date.fromisoformat(raw)  # ValueError on anything but YYYY-MM-DD


def _text(raw: str) -> str:
    return raw


@dataclass(frozen=True, kw_only=True, slots=True)
class Setting:
    """One environment variable: what it changes, its default and what a valid value looks like."""

    name: str
    default: object  # None: no fixed default (help says what happens instead)
    help: str
    expected: str  # completes "expected ...": the sentence a bad value gets
    parse: Callable[[str], object] = _text
    secret: bool = False  # a password: `settings` says it is set, never what it is

    def read(self) -> object:
        """The parsed value, the default when unset or blank, or BadSetting naming the variable."""
        raw = os.environ.get(self.name, "").strip()
        if not raw:
            return self.default
        try:
            return self.parse(raw)
        except ValueError:
            raise BadSetting(self.name, raw, self.expected) from None


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            name="CX_DB",
            default=Path("data") / "cx.duckdb",
            help="The database file the CLI and the dashboard use (the CLI's --db overrides it).",
            expected="a file path, e.g. data/cx.duckdb",
            parse=Path,
        ),
        Setting(
            name="CX_MEMORY_LIMIT",
            default="4GB",
            help="DuckDB's memory cap; past it, big imports spill to <database>.tmp/.",
            expected="a size such as 4GB or 512MB",
            parse=_memory,
        ),
        Setting(
            name="CX_LOCK_WAIT_SECONDS",
            default=15.0,
            help="How long to wait for a database another process holds before giving up.",
            expected="a number of seconds, 0 or more (e.g. 15)",
            parse=_number(0.0),
        ),
        Setting(
            name="CX_SALT_FILE",
            default=None,
            help="The secret salt of customer-id hashes (default: <database>.salt beside the database).",
            expected="a file path, e.g. /etc/cx/cx.salt",
            parse=Path,
        ),
        Setting(
            name="CX_TIMEZONE",
            default="Europe/Paris",
            help="The operator's time zone: dates with Z or an offset are converted to it.",
            expected="a time zone name such as Europe/Paris",
        ),
        Setting(
            name="CX_RETENTION_MONTHS",
            default=24,
            help="How many months of verbatims and rejected rows `purge` keeps.",
            expected="a whole number of months, at least 1 (e.g. 24)",
            parse=_whole(1),
        ),
        Setting(
            name="CX_PRIVACY_MIN_AGENTS",
            default=5,
            help="The smallest team whose per-agent figures are shown; smaller teams are merged.",
            expected="a whole number of agents, at least 1 (e.g. 5)",
            parse=_whole(1),
        ),
        Setting(
            name="CX_SLA_DAYS",
            default=10.0,
            help="The complaint-resolution target in days, used by the within-SLA metric.",
            expected="a number of days above 0 (e.g. 10)",
            parse=_number(0.0, strict=True),
        ),
        Setting(
            name="CX_ENGINE",
            default="duckdb",
            help="Where metric figures are computed: duckdb (the database file) or spark (CX_WAREHOUSE).",
            expected="duckdb or spark",
            parse=_choice("duckdb", "spark"),
        ),
        Setting(
            name="CX_WAREHOUSE",
            default=None,
            help="The Parquet warehouse Spark reads, written by `python -m metrics export DIR`.",
            expected="a directory path, e.g. warehouse/",
            parse=Path,
        ),
        Setting(
            name="CX_SPARK_MASTER",
            default="local[2]",
            help="The Spark master for CX_ENGINE=spark (local[2], spark://host:7077, yarn...).",
            expected="a Spark master URL such as local[2]",
        ),
        Setting(
            name="SPARK_REMOTE",
            default=None,
            help="Spark Connect URL (sc://host:15002), also read by pyspark; it wins over CX_SPARK_MASTER.",
            expected="a Spark Connect URL such as sc://host:15002",
        ),
        Setting(
            name="CX_TODAY",
            default=None,
            help="The business date (default: the calendar's): default as-of, complete months, demo window.",
            expected="a date written YYYY-MM-DD, e.g. 2026-09-30",
            parse=_day,
        ),
        Setting(
            name="CX_ACCESS_FILE",
            default=None,
            help="Who signs in with which role and regions (default: access.toml beside the database).",
            expected="a file path, e.g. /etc/cx/access.toml",
            parse=Path,
        ),
        Setting(
            name="CX_THEMES",
            default=None,
            help="A theme dictionary (TOML) to use instead of the shipped metrics/data/themes.toml.",
            expected="a file path, e.g. config/themes.toml",
            parse=Path,
        ),
        Setting(
            name="CX_FOLLOW_UP_HOURS",
            default=48,
            help="Hours to call a detractor or complainant back before the case is overdue.",
            expected="a whole number of hours, at least 1 (e.g. 48)",
            parse=_whole(1),
        ),
        Setting(
            name="CX_DIGEST_FILE",
            default=None,
            help="Who gets `digest` e-mails, in which language, for which metrics (default: digests.toml "
            "beside the database).",
            expected="a file path, e.g. /etc/cx/digests.toml",
            parse=Path,
        ),
        Setting(
            name="CX_SMTP_HOST",
            default=None,
            help="The mail server `digest` sends through (unset: use `digest --out DIR` to write files).",
            expected="a host name, e.g. smtp.example.com",
        ),
        Setting(
            name="CX_SMTP_PORT",
            default=None,
            help="The mail server's port (default: 587 with starttls, 465 with ssl, 25 with none).",
            expected="a port number, e.g. 587",
            parse=_whole(1),
        ),
        Setting(
            name="CX_SMTP_TLS",
            default="starttls",
            help="How the mail session is encrypted: starttls, ssl (implicit TLS) or none (a local relay).",
            expected="starttls, ssl or none",
            parse=_choice("starttls", "ssl", "none"),
        ),
        Setting(
            name="CX_SMTP_USER",
            default=None,
            help="The login on the mail server (unset: send without logging in).",
            expected="a user name, e.g. kpi@example.com",
        ),
        Setting(
            name="CX_SMTP_PASSWORD",
            default=None,
            help="The password of CX_SMTP_USER (never shown by `settings`).",
            expected="the password",
            secret=True,
        ),
        Setting(
            name="CX_SMTP_FROM",
            default=None,
            help="The From address of digests, e.g. kpi@example.com.",
            expected="an e-mail address, e.g. kpi@example.com",
        ),
    )
}


def value(name: str) -> object:
    """The current value of the declared setting `name` (KeyError for an undeclared one: a typo)."""
    return SETTINGS[name].read()


def path(name: str) -> Path | None:
    """A path setting, typed for callers."""
    got = value(name)
    return got if isinstance(got, Path) else None


def text(name: str) -> str:
    """A text setting, typed for callers."""
    return str(value(name))


def number(name: str) -> float:
    """A numeric setting, typed for callers."""
    return float(cast(float, value(name)))


def text_default(name: str) -> str:
    """A text setting's declared default, for modules that name it in help and docs."""
    return str(SETTINGS[name].default)


def number_default(name: str) -> float:
    """A numeric setting's declared default."""
    return float(cast(float, SETTINGS[name].default))


def listing() -> list[dict[str, str]]:
    """One row per setting for `python -m metrics settings`: name, current value, default, help."""
    rows = []
    for s in SETTINGS.values():
        current = os.environ.get(s.name, "").strip()
        current = "********" if s.secret and current else current
        rows.append(
            {
                "name": s.name,
                "value": current,
                "default": "" if s.default is None else str(s.default),
                "help": s.help,
            }
        )
    return rows


def reference() -> str:
    """docs/settings.md, generated from `SETTINGS`."""
    out = [
        "# Settings",
        "",
        "Generated from `metrics/settings.py` by `python -m metrics docs`; a test fails when this file",
        "is stale. `python -m metrics settings` shows the current values.",
        "",
        "| variable | default | what it changes | a valid value |",
        "|---|---|---|---|",
    ]
    for s in SETTINGS.values():
        default = "" if s.default is None else f"`{s.default}`"
        out.append(f"| `{s.name}` | {default} | {s.help} | {s.expected} |")
    out.append("")
    return "\n".join(out)
