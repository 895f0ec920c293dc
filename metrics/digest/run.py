"""One run of `python -m metrics digest`: each recipient's digest in their scope, sent, written or skipped.

For each recipient of the recipients file, in order:
1. their scope is the access file's grants naming their e-mail (none: no digest, said on stderr);
2. their figures are computed through `scoped(store, caller)` and compared with their last digest
   (a digest whose scope changed since is a first digest again);
3. nothing moved (no value, target or status changed, no new alert): skipped, nothing sent;
4. otherwise the mail is sent (one SMTP session for the run) or written to `--out DIR`.
The digests delivered are remembered together at the end, in one transaction, even when a later
recipient failed; a failure is then reported (exit 1) so the scheduler's log shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from metrics.access.policy import Grant, read_grants
from metrics.access.scoped import scoped
from metrics.catalogue import N_, text
from metrics.digest import delivery, history
from metrics.digest.compose import Digest, compose
from metrics.digest.figures import figures, followed, readable_metrics, scope_key
from metrics.digest.recipients import Recipient, access_file, read_recipients, scope_of
from metrics.errors import CxError
from metrics.store import Store


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one recipient: sent, written, skipped, previewed, no_grant or failed."""

    email: str
    state: str
    detail: str = ""
    digest: Digest | None = None
    figures: Mapping[str, object] = field(default_factory=dict)


Note = Callable[[str], None]


def prepare(
    store: Store, r: Recipient, grants: Sequence[Grant], as_of: dt.date | None, note: Note
) -> Outcome:
    """The recipient's digest in their scope, compared with their last one ("composed" or a reason not)."""
    caller = scope_of(r, grants)
    if caller is None:
        note(text(N_("digest.no_grant"), "en", email=r.email, file=str(access_file(Path(store.path)))))
        return Outcome(r.email, "no_grant")
    view = scoped(store, caller)
    keys, unreadable = readable_metrics(caller, followed(view, caller, r.metrics, as_of))
    if unreadable:
        note(text(N_("digest.unreadable"), "en", email=r.email, metrics=", ".join(unreadable)))
    if not keys:
        return Outcome(r.email, "skipped", text(N_("digest.nothing_readable"), "en"))
    last = history.last(store, r.email)
    if last is not None and last[0].get("scope") != scope_key(caller):
        last = None  # another scope since: compare with nothing rather than with other rows
    now = figures(view, caller, keys, as_of, last[0] if last else None)
    digest = compose(r, now, last)
    if not digest.moved:
        return Outcome(r.email, "skipped", text(N_("digest.nothing_moved"), "en"), digest)
    return Outcome(r.email, "composed", digest.subject, digest, now)


def run(
    store: Store,
    recipients_file: Path,
    *,
    as_of: dt.date | None = None,
    out: Path | None = None,
    dry_run: bool = False,
    note: Note = lambda _msg: None,
    done: Callable[[Outcome], None] = lambda _o: None,
) -> list[Outcome]:
    """Compose every recipient's digest and deliver those where something moved (module docstring)."""
    recipients = read_recipients(recipients_file)
    smtp = None if out is not None or dry_run else delivery.smtp_settings()  # refuse before any work
    grants = read_grants(access_file(Path(store.path)))
    version = store.data_version()
    outcomes: list[Outcome] = []
    delivered: list[history.Sent] = []

    def tell(o: Outcome) -> None:
        outcomes.append(o)
        done(o)
        if o.state in ("sent", "written") and o.digest is not None:
            how = "file" if o.state == "written" else "smtp"
            delivered.append(history.Sent(o.email, how, o.digest.subject, version, o.figures))

    try:
        with ExitStack() as stack:
            session = None
            for r in recipients:
                got = prepare(store, r, grants, as_of, note)
                if got.state != "composed" or got.digest is None:
                    tell(got)
                    continue
                if dry_run:
                    tell(replace(got, state="previewed"))
                    continue
                mail = delivery.message(got.digest, smtp.sender if smtp else _file_sender())
                if out is not None:
                    tell(replace(got, state="written", detail=str(delivery.write(mail, out))))
                    continue
                if session is None:
                    session = stack.enter_context(delivery.connection(smtp))  # type: ignore[arg-type]
                problem = delivery.send(session, mail)
                tell(replace(got, state="failed", detail=problem) if problem else replace(got, state="sent"))
    finally:  # what went out is remembered even when a later recipient failed: never sent twice
        history.remember(store, delivered)
    failed = [o for o in outcomes if o.state == "failed"]
    if failed:
        refused = "; ".join(f"{o.email} ({o.detail})" for o in failed)
        raise CxError(N_("digest.refused"), refused=refused)
    return outcomes


def _file_sender() -> str:
    from metrics import settings

    return str(settings.value("CX_SMTP_FROM") or delivery.FILE_SENDER)
