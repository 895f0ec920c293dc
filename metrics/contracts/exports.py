"""Export shapes that are not one file row per stored row: event logs grouped on import, averages.

A contact centre's ACD writes one row per call, where the workload dataset holds one row per team and
day; a daily report gives the average handle time per call, where the dataset holds the total. Both
are declared here as records over a dataset, so the import, the docs and the checks read one
declaration, and the stored rows keep a single meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from metrics.contracts.records import Column, Dataset


@dataclass(frozen=True, kw_only=True, slots=True)
class EventLog:
    """A file of one row per event (a call, a chat) that the import groups into rows of `into`.

    `rows` declares how each event is read and checked, line by line, like any dataset's rows. The
    events of one `group_by` value become one row of `into`: each of its columns in `totals` is a
    standard SQL aggregate over the events' columns (NULL when the file lacks a column it reads).
    """

    rows: Dataset
    into: str  # the dataset key the groups are stored in
    group_by: tuple[str, ...]  # columns of `rows` that make the key of `into`
    totals: Mapping[str, str]  # column of `into` -> aggregate over the columns of `rows`
    # an identity read only to be counted (agent ids): hashed before anything is kept, never stored
    hashed: str | None = None
    # columns that only such a log has: a file providing all of them is certainly this log
    marks: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Average:
    """A per-contact average some exports give instead of a total, converted on import.

    The stored total is `column` x `per` / `divide_by`: an average of 158 seconds over 40 contacts is
    158 x 40 / 60 = 105.3 minutes of handle time.
    """

    column: Column  # how the average is read: its name is what --map takes, its aliases carry the unit
    total: str  # the dataset column it becomes
    per: str  # the dataset column it is an average over
    divide_by: float = 1.0  # the average's units in one unit of the total: 60 seconds in a minute
