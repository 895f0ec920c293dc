"""Every `CX_*` environment setting, declared once as data; the only module that reads `os.environ`.

Like datasette's `SETTINGS`: each setting has a name, a default, a help line and the sentence a bad
value gets (catalogue keys: `setting.cx_db.what`, `setting.cx_db.valid`), and the CLI (`python -m
metrics settings`) and `docs/settings.md` are generated from this table. Values are read when asked
for, not at import, so a changed environment (a test's `monkeypatch.setenv`, a restarted server)
takes effect without reloading anything.
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

from metrics import catalogue
from metrics.catalogue import N_
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
    help: str  # catalogue key of what it changes, `setting.cx_db.what`
    expected: str  # catalogue key completing "expected ...": the sentence a bad value gets
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
            help=N_("setting.cx_db.what"),
            expected=N_("setting.cx_db.valid"),
            parse=Path,
        ),
        Setting(
            name="CX_MEMORY_LIMIT",
            default="4GB",
            help=N_("setting.cx_memory_limit.what"),
            expected=N_("setting.cx_memory_limit.valid"),
            parse=_memory,
        ),
        Setting(
            name="CX_LOCK_WAIT_SECONDS",
            default=15.0,
            help=N_("setting.cx_lock_wait_seconds.what"),
            expected=N_("setting.cx_lock_wait_seconds.valid"),
            parse=_number(0.0),
        ),
        Setting(
            name="CX_SALT_FILE",
            default=None,
            help=N_("setting.cx_salt_file.what"),
            expected=N_("setting.cx_salt_file.valid"),
            parse=Path,
        ),
        Setting(
            name="CX_TIMEZONE",
            default="Europe/Paris",
            help=N_("setting.cx_timezone.what"),
            expected=N_("setting.cx_timezone.valid"),
        ),
        Setting(
            name="CX_RETENTION_MONTHS",
            default=24,
            help=N_("setting.cx_retention_months.what"),
            expected=N_("setting.cx_retention_months.valid"),
            parse=_whole(1),
        ),
        Setting(
            name="CX_PRIVACY_MIN_AGENTS",
            default=5,
            help=N_("setting.cx_privacy_min_agents.what"),
            expected=N_("setting.cx_privacy_min_agents.valid"),
            parse=_whole(1),
        ),
        Setting(
            name="CX_SLA_DAYS",
            default=10.0,
            help=N_("setting.cx_sla_days.what"),
            expected=N_("setting.cx_sla_days.valid"),
            parse=_number(0.0, strict=True),
        ),
        Setting(
            name="CX_ENGINE",
            default="duckdb",
            help=N_("setting.cx_engine.what"),
            expected=N_("setting.cx_engine.valid"),
            parse=_choice("duckdb", "spark"),
        ),
        Setting(
            name="CX_WAREHOUSE",
            default=None,
            help=N_("setting.cx_warehouse.what"),
            expected=N_("setting.cx_warehouse.valid"),
            parse=Path,
        ),
        Setting(
            name="CX_SPARK_MASTER",
            default="local[2]",
            help=N_("setting.cx_spark_master.what"),
            expected=N_("setting.cx_spark_master.valid"),
        ),
        Setting(
            name="SPARK_REMOTE",
            default=None,
            help=N_("setting.spark_remote.what"),
            expected=N_("setting.spark_remote.valid"),
        ),
        Setting(
            name="CX_TODAY",
            default=None,
            help=N_("setting.cx_today.what"),
            expected=N_("setting.cx_today.valid"),
            parse=_day,
        ),
        Setting(
            name="CX_ACCESS_FILE",
            default=None,
            help=N_("setting.cx_access_file.what"),
            expected=N_("setting.cx_access_file.valid"),
            parse=Path,
        ),
        Setting(
            name="CX_THEMES",
            default=None,
            help=N_("setting.cx_themes.what"),
            expected=N_("setting.cx_themes.valid"),
            parse=Path,
        ),
        Setting(
            name="CX_FOLLOW_UP_HOURS",
            default=48,
            help=N_("setting.cx_follow_up_hours.what"),
            expected=N_("setting.cx_follow_up_hours.valid"),
            parse=_whole(1),
        ),
        Setting(
            name="CX_DIGEST_FILE",
            default=None,
            help=N_("setting.cx_digest_file.what"),
            expected=N_("setting.cx_digest_file.valid"),
            parse=Path,
        ),
        Setting(
            name="CX_SMTP_HOST",
            default=None,
            help=N_("setting.cx_smtp_host.what"),
            expected=N_("setting.cx_smtp_host.valid"),
        ),
        Setting(
            name="CX_SMTP_PORT",
            default=None,
            help=N_("setting.cx_smtp_port.what"),
            expected=N_("setting.cx_smtp_port.valid"),
            parse=_whole(1),
        ),
        Setting(
            name="CX_SMTP_TLS",
            default="starttls",
            help=N_("setting.cx_smtp_tls.what"),
            expected=N_("setting.cx_smtp_tls.valid"),
            parse=_choice("starttls", "ssl", "none"),
        ),
        Setting(
            name="CX_SMTP_USER",
            default=None,
            help=N_("setting.cx_smtp_user.what"),
            expected=N_("setting.cx_smtp_user.valid"),
        ),
        Setting(
            name="CX_SMTP_PASSWORD",
            default=None,
            help=N_("setting.cx_smtp_password.what"),
            expected=N_("setting.cx_smtp_password.valid"),
            secret=True,
        ),
        Setting(
            name="CX_SMTP_FROM",
            default=None,
            help=N_("setting.cx_smtp_from.what"),
            expected=N_("setting.cx_smtp_from.valid"),
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
                "help": catalogue.text(s.help, "en"),
            }
        )
    return rows


def reference() -> str:
    """docs/settings.md, generated from `SETTINGS`."""
    out = [  # not user-facing: the generated docs/ page, English like the rest of docs/
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
        what, valid = catalogue.text(s.help, "en"), catalogue.text(s.expected, "en")
        out.append(f"| `{s.name}` | {default} | {what} | {valid} |")
    out.append("")
    return "\n".join(out)
