"""A digest's words: subject, plain text and simple HTML, in the recipient's language, from its figures.

Composition reads only the figures (`digest.figures`) and the previous digest's figures: no store,
so what a mail says is exactly what `history` remembers. Every number goes through
`reports.formatting` (French "25,0", English "25.0"), every status through `status_words`, every
label through the metric declarations, and every value put in the HTML through `html.escape`.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from metrics import catalogue
from metrics.catalogue import N_
from metrics.contracts.datasets import column_label
from metrics.digest.recipients import Recipient
from metrics.reports import formatting as fmt
from metrics.semantic.definitions import metric

Line = Mapping[str, object]
Section = tuple[str, list[str]]  # a heading and its items


@dataclass(frozen=True, slots=True)
class Digest:
    """One recipient's mail, and whether anything moved since their last one."""

    recipient: Recipient
    subject: str
    text: str
    html: str
    moved: bool
    changes: int
    alerts: int


def scope_words(regions: Sequence[str] | None, lang: str) -> str:
    """The regions of a regional reader ("Nord, Sud"), else "toute l'entreprise" / "the whole company"."""
    return ", ".join(regions) if regions else catalogue.text("digest.scope_company", lang)


def _label(line: Line, lang: str) -> str:
    label = metric(str(line["metric"])).label[lang]
    return f"{label} — {line['region']}" if line.get("region") else label


def _key(line: Line) -> tuple[str, str]:
    return str(line["metric"]), str(line.get("region") or "")


def _delta(now: object, was: object) -> float | None:
    return None if fmt.missing(now) or fmt.missing(was) else float(now) - float(was)  # type: ignore[arg-type]


def changes(lines: Sequence[Line], before: Sequence[Line], lang: str) -> list[str]:
    """What moved since `before`: a value (with its previous value), a target, a status, a new line."""
    m_before = {_key(b): b for b in before}
    out: list[str] = []
    for now in lines:
        m, label, was = metric(str(now["metric"])), _label(now, lang), m_before.get(_key(now))
        if was is None:
            out.append(
                catalogue.text("digest.new_line", lang, label=label, value=fmt.value(m, now["value"], lang))
            )
            continue
        if now["value"] != was["value"]:
            shown = {"value": fmt.value(m, now["value"], lang), "before": fmt.value(m, was["value"], lang),
                     "delta": fmt.gap(m, _delta(now["value"], was["value"]), lang)}  # fmt: skip
            out.append(catalogue.text("digest.changed_value", lang, label=label, **shown))
        if now["target"] != was["target"]:
            shown = {"before": fmt.target(m, was["target"], lang),
                     "after": fmt.target(m, now["target"], lang)}  # fmt: skip
            out.append(catalogue.text("digest.changed_target", lang, label=label, **shown))
        if now["status"] != was["status"]:
            shown = {"before": fmt.status_words(str(was["status"]), lang),
                     "after": fmt.status_words(str(now["status"]), lang)}  # fmt: skip
            out.append(catalogue.text("digest.changed_status", lang, label=label, **shown))
    return out


def standing(line: Line, lang: str) -> str:
    """One metric's year so far: value, n, target, what the months to come must average, status."""
    m, label = metric(str(line["metric"])), _label(line, lang)
    if fmt.missing(line["value"]):
        return catalogue.text("digest.line_no_data", lang, label=label)
    shown = {"label": label, "value": fmt.value(m, line["value"], lang), "n": fmt.integer(line["n"], lang),
             "status": fmt.status_words(str(line["status"]), lang)}  # fmt: skip
    if fmt.missing(line["target"]):
        return catalogue.text("digest.line", lang, **shown)
    target = fmt.target(m, line["target"], lang)
    if fmt.missing(line["required"]):
        return catalogue.text("digest.line_target", lang, target=target, **shown)
    required = fmt.required(m, line["required"], line["best_possible"], lang)  # type: ignore[arg-type]
    # "il faut 65,0" reads well; "il faut hors d'atteinte" does not: out of reach and secured say so
    possible = fmt.requirement(m, line["required"]) == "possible"  # type: ignore[arg-type]
    key = N_("digest.line_required") if possible else N_("digest.line_verdict")
    return catalogue.text(key, lang, target=target, required=required, **shown)


def alert_item(alert: Mapping[str, object], lang: str) -> str:
    """One new alert: "NPS, site LIL-CC : en baisse depuis le 7 sept. 2026 (une dégradation)"."""
    m = metric(str(alert["metric"]))
    dim = column_label(str(alert["dimension"]), lang) or str(alert["dimension"])
    key = N_("digest.alert_up") if alert["direction"] == "up" else N_("digest.alert_down")
    return catalogue.text(
        key,
        lang,
        label=m.label[lang],
        dimension=dim[:1].lower() + dim[1:],
        group=alert["group"],
        started=fmt.day(dt.date.fromisoformat(str(alert["started"])), lang),
        better=catalogue.text(N_("digest.better") if alert["better"] else N_("digest.worse"), lang),
    )


def compose(
    recipient: Recipient, figures: Mapping[str, object], previous: tuple[Mapping[str, object], object] | None
) -> Digest:
    """The digest of `figures` for `recipient`, compared with their previous digest (None: the first)."""
    lang = recipient.lang
    lines: list[Line] = list(figures["lines"])  # type: ignore[call-overload]
    new_alerts: list[Mapping[str, object]] = list(figures["alerts"])  # type: ignore[call-overload]
    scope = scope_words(figures["scope"]["regions"], lang)  # type: ignore[index]
    day = fmt.day(dt.date.fromisoformat(str(figures["as_of"])), lang)
    intro = [
        catalogue.text("digest.greeting", lang),
        catalogue.text("digest.intro", lang, day=day, scope=scope),
    ]
    sections: list[Section] = []
    moved = changed = []
    if previous is None:
        intro.append(catalogue.text("digest.first", lang))
    else:
        before, sent_at = previous
        changed = changes(lines, before["lines"], lang)  # type: ignore[arg-type]
        since = fmt.day(_day(sent_at), lang)
        if changed:
            sections.append((catalogue.text("digest.changes", lang, n=len(changed), since=since), changed))
        else:
            intro.append(catalogue.text("digest.no_change", lang, since=since))
    sections.append((catalogue.text("digest.year", lang), [standing(x, lang) for x in lines]))
    if new_alerts:
        sections.append((catalogue.text("digest.alerts", lang, n=len(new_alerts)),
                         [alert_item(a, lang) for a in new_alerts]))  # fmt: skip
    moved = previous is None or bool(changed) or bool(new_alerts)
    footer = catalogue.text("digest.footer", lang, scope=scope)
    return Digest(
        recipient=recipient,
        subject=catalogue.text("digest.subject", lang, day=day, scope=scope),
        text=_plain(intro, sections, footer),
        html=_html(intro, sections, footer, lang),
        moved=moved,
        changes=len(changed),
        alerts=len(new_alerts),
    )


def _day(moment: object) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else dt.date.fromisoformat(str(moment)[:10])


def _plain(intro: Sequence[str], sections: Sequence[Section], footer: str) -> str:
    out = [intro[0], "", *intro[1:]]
    for heading, items in sections:
        out += ["", heading, *(f"  • {item}" for item in items)]
    return "\n".join([*out, "", footer, ""])


def _html(intro: Sequence[str], sections: Sequence[Section], footer: str, lang: str) -> str:
    e = html.escape
    out = [f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8"></head><body>']
    out += [f"<p>{e(p)}</p>" for p in intro]
    for heading, items in sections:
        out.append(f"<h3>{e(heading)}</h3><ul>" + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>")
    out.append(f'<p style="color:#555">{e(footer)}</p></body></html>')
    return "\n".join(out)
