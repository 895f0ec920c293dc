"""Changing a follow-up case: the role is checked, the case must be one the caller sees, and it is audited.

Only the `follow_ups` row of a case is written, never the imported answer or complaint. A regional
director may change only the cases of their regions: the case is looked up through the caller's scoped
store, so one outside their regions is "not a case you may follow up", and nothing changes. Several
changes (the page's edited rows) go in one transaction, each with its line in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import duckdb

from metrics import catalogue, clock
from metrics.access import audit
from metrics.access.caller import Caller
from metrics.access.roles import Action
from metrics.access.scoped import scoped
from metrics.catalogue import N_
from metrics.errors import CxError
from metrics.followup.queue import OUTCOMES, SOURCES, STATUSES, TABLE, cases_sql
from metrics.store import Store

FIELDS = ("owner", "status", "outcome", "due_at", "closed_at", "updated_at", "updated_by")


class FollowUpRefused(CxError):
    """A change that cannot be made (unknown value, a case out of reach, closing without outcome)."""

    def __init__(self, key: str, **fields: object) -> None:
        """Keep the message key and its fields, so a page says it in the reader's language."""
        self.key, self.fields = key, fields
        super().__init__(catalogue.text(key, "en", **fields))

    def render(self, lang: str = "en", surface: str = "cli") -> str:
        """The sentence in `lang` (the same on the CLI and the pages)."""
        return catalogue.text(self.key, lang, **self.fields)


@dataclass(frozen=True, slots=True)
class Change:
    """What a person sets on one case; None leaves a field as it is, "" clears owner or outcome."""

    source: str
    source_id: str
    owner: str | None = None
    status: str | None = None
    outcome: str | None = None
    due_at: dt.datetime | None = None


def set_follow_up(base: Store, caller: Caller, change: Change) -> dict[str, object]:
    """Apply one change (see `apply`) and return the case's follow-up row after it."""
    return apply(base, caller, [change])[0]


def apply(base: Store, caller: Caller, changes: Sequence[Change]) -> list[dict[str, object]]:
    """Apply every change or none: role, reach and values are checked before anything is written.

    A change that alters nothing writes nothing (no audit line), so saving a page twice is harmless.
    Closing stamps `closed_at` with `clock.now()`; reopening clears it.
    """
    caller.require(Action.FOLLOW_UP)
    for change in changes:
        _check_values(change)
    _check_reach(base, caller, changes)
    rows = []
    with base.transaction() as cur:
        for change in changes:
            before = _current(cur, change)
            after = _merged(before, change, caller)
            rows.append(after)
            if all(before.get(k) == after.get(k) for k in ("owner", "status", "outcome", "due_at")):
                continue
            cur.execute(
                f"DELETE FROM {TABLE} WHERE source = ? AND source_id = ?", [change.source, change.source_id]
            )
            names = ("source", "source_id", *FIELDS)
            cur.execute(
                f"INSERT INTO {TABLE} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                [change.source, change.source_id, *(after[k] for k in FIELDS)],
            )
            detail = {
                "before": {k: before.get(k) for k in FIELDS[:5]},
                "after": {k: after[k] for k in FIELDS[:5]},
            }
            audit.record(cur, caller, Action.FOLLOW_UP, f"{change.source} {change.source_id}", detail)
    return rows


def _check_values(change: Change) -> None:
    for field, value, allowed in (
        ("source", change.source, SOURCES),
        ("status", change.status, STATUSES),
        ("outcome", change.outcome, OUTCOMES),
    ):
        if value is not None and value != "" and value not in allowed:
            raise FollowUpRefused(
                N_("followups.refused.bad_value"), field=field, value=value, choices=", ".join(allowed)
            )
        if field == "source" and not value:
            raise FollowUpRefused(
                N_("followups.refused.bad_value"), field=field, value=value, choices=", ".join(allowed)
            )


def _check_reach(base: Store, caller: Caller, changes: Sequence[Change]) -> None:
    """Refuse the first change whose case the caller cannot see (another region) or that is no case."""
    cases, params = cases_sql(None, None)
    with scoped(base, caller).cursor() as cur:
        for change in changes:
            found = cur.execute(
                f"SELECT count(*) FROM ({cases}) c WHERE c.source = ? AND c.source_id = ?",
                [*params, change.source, change.source_id],
            ).fetchall()
            if found[0][0] == 0:
                raise FollowUpRefused(
                    N_("followups.refused.not_a_case"), source=change.source, source_id=change.source_id
                )


def _current(cur: duckdb.DuckDBPyConnection, change: Change) -> dict[str, object]:
    got = cur.execute(
        f"SELECT {', '.join(FIELDS)} FROM {TABLE} WHERE source = ? AND source_id = ?",
        [change.source, change.source_id],
    ).fetchall()
    return dict(zip(FIELDS, got[0], strict=True)) if got else {"status": "open"}


def _merged(before: dict[str, object], change: Change, caller: Caller) -> dict[str, object]:
    """The row after `change`: unset fields kept, "" cleared, closing needs an outcome."""
    asked = asdict(change)
    after = {k: before.get(k) for k in FIELDS}
    for k in ("owner", "status", "outcome", "due_at"):
        if asked[k] is not None:
            after[k] = asked[k] if asked[k] != "" else None
    after["status"] = after["status"] or "open"
    if after["status"] == "closed" and not after["outcome"]:
        raise FollowUpRefused(
            N_("followups.refused.needs_outcome"),
            source=change.source,
            source_id=change.source_id,
            choices=", ".join(OUTCOMES),
        )
    now = clock.now()
    if after["status"] != "closed":
        after["closed_at"] = None
    elif before.get("status") != "closed":
        after["closed_at"] = now
    after["updated_at"], after["updated_by"] = now, caller.who
    return after
