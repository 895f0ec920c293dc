"""The choices a user makes for one import, shared by the CLI options and the Data page's widgets."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from metrics.catalogue import N_
from metrics.errors import ImportOptionRefused
from metrics.ingest.dates import ORDERS

DEFAULT_MAX_REJECTED = 10.0
# which line of an id an event log keeps: its first state or its latest (the file's order)
KEEP = ("first", "last")
# the separators a CSV may use, in the order a tie between them is settled (French exports first)
DELIMITERS = (";", ",", "\t", "|")
# how --delimiter spells each one on a command line (a tab is hard to type there)
DELIMITER_NAMES = {";": ";", ",": ",", "tab": "\t", "|": "|"}
CLOSED_WHEN_EXAMPLE = "incident_state=Closed,Resolved"


def _not_one_of(option: str, value: str, choices: Iterable[str]) -> ImportOptionRefused:
    return ImportOptionRefused(
        N_("refused.expected_one_of"), option=option, value=value, choices=", ".join(choices)
    )


@dataclass(frozen=True, slots=True)
class ClosedWhen:
    """--closed-when: the file column holding each line's state, and the states that mean "closed"."""

    header: str
    states: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> ClosedWhen:
        """`"incident_state=Closed,Resolved"` -> ClosedWhen("incident_state", ("Closed", "Resolved"))."""
        header, sep, values = text.partition("=")
        states = tuple(v.strip() for v in values.split(",") if v.strip())
        if not sep or not header.strip() or not states:
            raise ImportOptionRefused(
                N_("refused.closed_when_syntax"), value=repr(text), example=CLOSED_WHEN_EXAMPLE
            )
        return cls(header.strip(), states)


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportOptions:
    """Everything that changes how a file is read; the defaults read a plain French export."""

    mapping: Mapping[str, str] = field(default_factory=dict)  # declared column -> file header
    constants: Mapping[str, str] = field(default_factory=dict)  # declared column -> value (--set)
    row_id: bool = False  # key made from a hash of the row's content (--row-id)
    keep: str | None = None  # first or last: one line per id of an event log, the others skipped (--keep)
    per_call: bool = False  # one row per call, grouped into the dataset's rows (--per-call); else detected
    date_order: str | None = None  # dmy, mdy or ymd; None detects it per column
    max_rejected: float = DEFAULT_MAX_REJECTED  # percent of rows read; above it the file is refused
    preset: str | None = None  # a survey tool's export shape (metrics.ingest.presets); None detects it
    sheet: str | None = None
    delimiter: str | None = None  # ; , tab or |; None decides it from the first records (ingest.sniffing)
    closed_when: str | None = None  # COLUMN=STATE[,STATE]: closing date only on lines in those states
    dry_run: bool = False  # read, check and report everything, then roll back: nothing stored

    def __post_init__(self) -> None:
        """Refuse impossible choices before any file is opened."""
        if self.date_order is not None and self.date_order not in ORDERS:
            raise _not_one_of("--date-order", self.date_order, ORDERS)
        if self.delimiter is not None and self.delimiter not in DELIMITERS:
            raise _not_one_of("--delimiter", repr(self.delimiter), DELIMITER_NAMES)
        if self.keep is not None and self.keep not in KEEP:
            raise _not_one_of("--keep", self.keep, KEEP)
        if self.closed_when is not None:
            ClosedWhen.parse(self.closed_when)
        if not 0 <= self.max_rejected <= 100:
            raise ImportOptionRefused(N_("refused.max_rejected_range"), value=f"{self.max_rejected:g}")


def parse_pairs(option: str, pairs: Sequence[str], example: str) -> dict[str, str]:
    """`["score=note", ...]` -> {"score": "note"}; a malformed pair is refused with an example."""
    parsed: dict[str, str] = {}
    for pair in pairs:
        target, sep, source = pair.partition("=")
        if not sep or not target.strip() or not source.strip():
            raise ImportOptionRefused(
                N_("refused.pair_syntax"), option=option, pair=repr(pair), example=example
            )
        parsed[target.strip()] = source.strip()
    return parsed


# what an import stores of its options, so `rebuild` replays it the same way (dry_run is never stored)
STORED = (
    "mapping",
    "constants",
    "row_id",
    "keep",
    "date_order",
    "max_rejected",
    "preset",
    "sheet",
    "delimiter",
    "per_call",
    "closed_when",
)


def options_json(options: ImportOptions) -> str:
    """The options of an import as the JSON kept in `imports.options` and in the archive's manifest."""
    values = {k: getattr(options, k) for k in STORED}
    values = {k: dict(v) if isinstance(v, Mapping) else v for k, v in values.items()}
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def options_from(stored: Mapping[str, object]) -> ImportOptions:
    """The options an import was made with, back from their stored form."""
    return ImportOptions(**{k: stored[k] for k in STORED if k in stored})  # type: ignore[arg-type]
