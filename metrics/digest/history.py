"""What each recipient was last sent: the `digests` table, so the next digest says what changed since.

One row per digest delivered (sent by SMTP or written to a file): the recipient, when, the data
version it was computed at, how it went out, its subject, and its figures as JSON. Rows are only
added (table made by migration 7); the last row of a recipient is the comparison base of their next digest.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from metrics import clock
from metrics.access import audit
from metrics.access.caller import Caller
from metrics.access.roles import Action
from metrics.store import Store


@dataclass(frozen=True, slots=True)
class Sent:
    """One delivered digest, as remembered."""

    recipient: str
    transport: str  # "smtp" or "file"
    subject: str
    data_version: int
    figures: Mapping[str, object]


def last(store: Store, recipient: str) -> tuple[dict[str, object], object] | None:
    """The figures and the time of `recipient`'s last digest, or None before their first."""
    with store.cursor() as cur:
        row = cur.execute(
            "SELECT figures, sent_at FROM digests WHERE lower(recipient) = lower(?) "
            "ORDER BY sent_at DESC, rowid DESC LIMIT 1",
            [recipient],
        ).fetchone()
    return (json.loads(row[0]), row[1]) if row else None


def remember(store: Store, sent: Sequence[Sent], caller: Caller | None = None) -> None:
    """Record the digests delivered by one run, together: one commit (one published copy) per run.

    The audit trail gets one line for the run: who ran it (the CLI's OS user) and to whom it went.
    """
    if not sent:
        return
    moment = clock.now()
    with store.transaction() as cur:
        audit.record(
            cur,
            caller or Caller.local(),
            Action.DIGEST,
            f"{len(sent)} digest(s)",
            {"recipients": [s.recipient for s in sent], "transports": sorted({s.transport for s in sent})},
        )
        cur.executemany(
            "INSERT INTO digests (recipient, sent_at, data_version, transport, subject, figures) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [[s.recipient, moment, s.data_version, s.transport, s.subject,
              json.dumps(s.figures, ensure_ascii=False, sort_keys=True)] for s in sent],
        )  # fmt: skip
