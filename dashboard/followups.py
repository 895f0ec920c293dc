"""What the follow-ups page reads and writes: the caller's queue and figures, and the edited cases.

Reads use the DuckDB file through the reader's scoped store (follow-ups are not in a Spark warehouse),
cached on the data version each save moves on. Writes go through `metrics.followup.edits` with the
reader as caller: the role and the region are checked there, and each change is audited.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.data import caller, store, versioned
from metrics import catalogue
from metrics.access.roles import Action
from metrics.access.scoped import ScopedStore, scoped
from metrics.catalogue import N_
from metrics.followup import edits, stats
from metrics.followup import queue as queue_mod
from metrics.followup.display import label, value_label
from metrics.followup.queue import OUTCOMES, STATUSES
from metrics.store import Store

MAX_ROWS = 500  # the editor lists the most urgent cases; the CLI lists them all
EDITABLE = ("owner", "status", "outcome")


# the status filter: its choices and the statuses each keeps (none: all)
STATUS_CHOICES: dict[str, tuple[str, ...]] = {
    "not_closed": ("open", "in_progress"),
    "all": (),
    **{status: (status,) for status in STATUSES},
}


CHOICE_WORDS = {"not_closed": N_("followups.not_closed"), "all": N_("followups.all")}


def choice_label(choice: str, lang: str) -> str:
    """A status filter's words: "To do (not closed)", "All", or the status itself."""
    if choice in CHOICE_WORDS:
        return catalogue.text(CHOICE_WORDS[choice], lang)
    return value_label("status", choice, lang)


def _reader() -> Store | ScopedStore:
    return scoped(store(), caller())


def _first_cases(
    reader: Store | ScopedStore,
    start: dt.date,
    end: dt.date,
    *,
    regions: tuple[str, ...],
    status: tuple[str, ...],
) -> tuple[pd.DataFrame, int]:
    """The `MAX_ROWS` most urgent cases and how many there are in all.

    Only those rows are fetched and cached: a cached value is unpickled on every run, and a year of 10M
    answers' cases took 0.5 s of each warm run to unpickle.
    """
    return queue_mod.first_cases(reader, start, end, regions=regions, status=status, limit=MAX_ROWS)


first_cases = versioned(on=_reader)(_first_cases)
by_region = versioned(on=_reader)(stats.by_region)
callback_effect = versioned(on=_reader)(stats.callback_effect)


def can_edit() -> bool:
    """Whether the reader's role may change cases (the metrics layer checks again, region included)."""
    return caller().can(Action.FOLLOW_UP)


def options(column: str) -> tuple[str, ...]:
    """The values a selectbox column offers."""
    return {"status": STATUSES, "outcome": OUTCOMES}[column]


def changes(cases: pd.DataFrame, edited: pd.DataFrame, lang: str) -> list[edits.Change]:
    """One change per edited row: the fields whose value differs from the case's ("" clears one)."""
    found = []
    before = {column: cases[column].tolist() for column in (*EDITABLE, "source", "source_id")}
    after = {column: edited[label(column, lang)].tolist() for column in EDITABLE}  # one read per column
    for i in range(min(len(cases), len(edited))):
        asked: dict[str, str] = {}
        for column in EDITABLE:
            if _text(before[column][i]) != (now := _text(after[column][i])):
                asked[column] = now
        if asked:
            found.append(edits.Change(str(before["source"][i]), str(before["source_id"][i]), **asked))
    return found


def save(found: list[edits.Change]) -> int:
    """Write the changes as the reader, all or none (raises CxError); how many cases were changed."""
    return len(edits.apply(store(), caller(), found))


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
