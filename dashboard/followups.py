"""What the follow-ups page reads and writes: the caller's queue and figures, and the edited cases.

Reads use the DuckDB file through the reader's scoped store (follow-ups are not in a Spark warehouse),
cached on the data version each save moves on. Writes go through `metrics.followup.edits` with the
reader as caller: the role and the region are checked there, and each change is audited.
"""

from __future__ import annotations

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


queue = versioned(on=_reader)(queue_mod.queue)
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
    for i in range(min(len(cases), len(edited))):
        asked: dict[str, str] = {}
        for column in EDITABLE:
            before, after = _text(cases[column].iloc[i]), _text(edited[label(column, lang)].iloc[i])
            if before != after:
                asked[column] = after
        if asked:
            found.append(edits.Change(str(cases["source"].iloc[i]), str(cases["source_id"].iloc[i]), **asked))
    return found


def save(found: list[edits.Change]) -> int:
    """Write the changes as the reader, all or none (raises CxError); how many cases were changed."""
    return len(edits.apply(store(), caller(), found))


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
