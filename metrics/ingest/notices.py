"""What an import stored but cannot fully serve: warnings of the report, not refusals.

A daily workload export without an agent count loads (its contacts and handle times are real), but
every metric that divides by agents leaves those rows out, and the privacy rule counts a team whose
size is unknown as small (docs/privacy.md). The report says which metrics need the count and which
can still use the rows, both read from the metric declarations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb

from metrics import catalogue
from metrics.contracts.datasets import Dataset
from metrics.semantic.dialects import columns_read

if TYPE_CHECKING:
    from metrics.ingest.pipeline import Plan
    from metrics.semantic.records import Metric


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning kept as data (a catalogue key and its values), shown in French or English."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)
    metrics: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # field -> metric keys

    def render(self, lang: str = "en", surface: str | None = None) -> str:
        """The sentence, metric keys shown by their labels in `lang`."""
        from metrics.semantic.definitions import METRICS

        listed = {
            name: ", ".join(METRICS[k].label[lang] for k in keys)
            or catalogue.text("import.no_other_metric", lang)
            for name, keys in self.metrics.items()
        }
        return catalogue.text(self.key, lang, surface=surface, **self.values, **listed)


def stored_columns(plan: Plan) -> frozenset[str]:
    """The target's columns this file gives a value (directly, grouped from events, or from an average)."""
    provided = plan.cmap.provided()
    target = plan.target
    if plan.log is not None:
        made = {c for c, expr in plan.log.totals.items() if columns_read(expr) <= provided}
        return frozenset({*plan.log.group_by, *made})
    from metrics.ingest.totals import averages_of

    made = {a.total for a in averages_of(plan.ds) if a.column.name in provided}
    return frozenset({c.name for c in target.columns if c.name in provided} | made)


def _reads(m: Metric, column: str) -> bool:
    """Whether a metric's value reads `column` (its headcount's `n` aside: that is the privacy count)."""
    return any(column in columns_read(expr) for name, expr in m.measures.items() if name != "n")


def missing_headcount(plan: Plan) -> Notice | None:
    """The warning for a workload file without agents: the metrics that need them, those that do not."""
    from metrics.semantic.definitions import METRICS, Settings

    target: Dataset = plan.target
    private = [m for m in METRICS.values() if m.dataset == target.key and m.headcount is not None]
    if not private:
        return None
    column = private[0].headcount.agents if private[0].headcount else ""
    stored = stored_columns(plan)
    if column in stored:
        return None
    needing = tuple(m.key for m in private if _reads(m, column))
    usable = tuple(
        m.key
        for m in private
        if not _reads(m, column) and all(columns_read(e) <= stored for n, e in m.measures.items() if n != "n")
    )
    return Notice(
        catalogue.N_("import.no_headcount"),
        {"file": plan.name, "column": column, "threshold": Settings.from_env().privacy_min_agents},
        {"needing": needing, "usable": usable},
    )


def missing_closing_dates(cur: duckdb.DuckDBPyConnection, plan: Plan, import_id: int) -> Notice | None:
    """The warning for records most of which have no closing date: a backlog would hold them forever.

    SignalConso's open-data file has no closing date at all: counted as open, every report ever made
    is in the backlog. The metrics concerned are those declaring the column as their closing date.
    """
    from metrics.semantic.closing import closing_column, mostly_missing
    from metrics.semantic.definitions import METRICS

    target: Dataset = plan.target
    column = closing_column(target.key)
    if column is None:
        return None
    rows, filled = cur.execute(
        f'SELECT count(*), count("{column}") FROM {target.table} WHERE _import_id = ?', [import_id]
    ).fetchall()[0]
    if not mostly_missing(rows, filled):
        return None
    share = f"{100 * (rows - filled) / rows:.0f} %"
    metrics = tuple(m.key for m in METRICS.values() if m.dataset == target.key and _needs(m, column))
    needing = {"needing": metrics}
    if plan.options.closed_when:  # the records are open: their kept line is in no closing state
        from metrics.ingest.options import ClosedWhen

        states = ", ".join(ClosedWhen.parse(plan.options.closed_when).states)  # as the decision says them
        said = {"file": plan.name, "share": share, "states": states}
        return Notice(catalogue.N_("import.closing_states_open"), said, needing)
    # the file gives the column, mostly empty: the hint names the event log's options, not the mapping
    key = (
        catalogue.N_("import.closing_dates_empty")
        if column in plan.cmap.positions
        else catalogue.N_("import.closing_dates_missing")
    )
    return Notice(key, {"file": plan.name, "column": column, "share": share}, needing)


def _needs(m: Metric, column: str) -> bool:
    return m.closed_column == column or any(column in columns_read(e) for e in m.measures.values())


def notices(
    plan: Plan, cur: duckdb.DuckDBPyConnection | None = None, import_id: int = 0
) -> tuple[Notice, ...]:
    """Every warning the import's report carries (those about the stored rows need `cur`)."""
    found = [missing_headcount(plan)]
    if cur is not None:
        found.append(missing_closing_dates(cur, plan, import_id))
    return tuple(n for n in found if n is not None)


def grouping(log: str | None, grouped: int | None, accepted: int, dataset: str, lang: str) -> str | None:
    """An event log's line in the report: "Journal d'appels : 2 400 lignes regroupées en 31 lignes...".

    The CLI and the Data page say it with the same words; None when the file was not an event log.
    """
    from metrics.contracts.datasets import DATASETS, LOGS

    if not log or grouped is None:
        return None
    return catalogue.text(
        "import.grouped",
        lang,
        log=LOGS[log].rows.label[lang],
        n=accepted,
        grouped=grouped,
        dataset=DATASETS[dataset].label[lang],
        row_is=DATASETS[dataset].row_is[lang],
    )
