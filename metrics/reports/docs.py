"""Reference docs generated from the declarations, so they cannot drift from the code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from metrics import settings
from metrics.contracts.datasets import AVERAGES, DATASETS, LOGS, Column, Dataset
from metrics.ingest.dates import DEFAULT_TIMEZONE, ORDER_HELP, ORDER_LABELS, TWO_DIGIT_PIVOT
from metrics.ingest.options import DEFAULT_MAX_REJECTED
from metrics.ingest.parsing import range_text
from metrics.ingest.presets import PRESETS

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"


def _allowed(col: Column) -> str:
    parts = []
    if col.values:
        values = ", ".join(f"`{v}`" for v in col.values)
        parts.append(values if col.closed else f"{values} (others kept as written)")
    if col.minimum is not None or col.maximum is not None:
        parts.append(range_text(col))
    return "; ".join(parts)


def _import_options() -> list[str]:
    """The reading rules and options, from the same constants the import uses."""
    orders = "; ".join(f"`{k}` {ORDER_LABELS[k]} ({v})" for k, v in ORDER_HELP.items())
    out = [
        "## Reading rules and import options",
        "",
        "**Dates.** Each date column's order is decided once from its own values: a first field above 12",
        "means day-first, a second field above 12 means month-first, `yyyy-mm-dd` is unambiguous. A column",
        "where every value has both fields at or under 12 is read day-first only in a French export",
        "(separator `;` or French headers); otherwise the file is refused, naming the column, until",
        f"`--date-order` says which: {orders}. Two-digit years: 00-{TWO_DIGIT_PIVOT - 1} are",
        f"20xx, {TWO_DIGIT_PIVOT}-99 are 19xx. Fractional seconds, `T`, AM/PM are read; a zone after the",
        "time, in any date spelling, is converted to `CX_TIMEZONE` "
        f"(default {DEFAULT_TIMEZONE}): `Z`, `UTC`, `GMT`,",
        "an offset (`+02:00`, `-0500`) or both (`10:22:33 PM UTC+1`, `GMT-3:30`, as Google Forms writes",
        "them); times without one are taken as already in that zone, unless the header says UTC",
        "(`Submit Date (UTC)`). The report says which format was read for each date column. A column",
        "whose every value is 6 or 8 digits is compact: `991001` and `19991001` are 1 October 1999",
        "(`--date-order dmy` reads `011099`).",
        "",
        "**Durations.** A number of seconds, minutes or hours (a call's service time, a day's handle",
        "time, scheduled, overtime and absence hours) also reads a duration: `h:mm:ss`, or two parts",
        "counting the unit above the column's: a call's `5:23` is 5 min 23 s (323 seconds), a day's",
        "`7:30` is 7 h 30 min (7.5 hours, 450 minutes).",
        "",
        "**The file's shape.** Encoding, separator, header line, survey tool and empty-cell markers are",
        "decided once from the file's first records, and the report lists each decision with its",
        "evidence. The separator (`;` `,` tab `|`) is the one giving the same number of fields on most of",
        "the first 20 records, read with quotes respected (a quoted cell may hold separators and",
        "newlines); `--delimiter` (`;`, `,`, `tab`, `|`) forces it, and an .xlsx has none (the report",
        "names its sheet). Two columns sharing a name are refused only when a declared column would be",
        "read from one of them: `--map comment=#6` picks the file's 6th column.",
        "",
        f"**Rejections.** `--max-rejected PCT` (default {DEFAULT_MAX_REJECTED:g}): when more than PCT %",
        "of the rows read would be rejected, the whole file is refused (nothing stored, exit 1) with the",
        "count, the three commonest reasons with an example line each and the option that fixes the",
        "commonest; `--dry-run` lists every rejected line of such a file without storing anything.",
        "At or under the threshold the good rows are stored, the import's status is `partial` and a",
        "warning is printed. Rows are skipped (not rejected) only when clearly not data: empty rows,",
        "a row right under the header that looks like header text (no typed cell looks like its type,",
        'a Qualtrics `{"ImportId": ...}`, or the header repeated), and survey previews or unfinished',
        "answers.",
        "",
        "**Files without ids or dimensions.** `--set COLUMN=VALUE` gives every row one value;",
        "`--row-id` makes the id from a hash of the row's cells, so re-importing a later export of the",
        "same answers updates them instead of adding them twice. Two identical rows get the same id: the",
        "second is rejected as a duplicate of the first. One file header may feed several columns",
        "(`--map response_id=Timestamp --map responded_at=Timestamp`).",
        "",
        "**Event logs.** A ServiceNow or CRM history writes one line per state change, so ids repeat.",
        "`--keep last` (or `first`) stores each record once, from its last (first) line in the file's order;",
        "the other lines are skipped and counted (`other_state`), never stored as more records. When such a",
        "log has no closing date, map the closing date to each line's time and name the closing states:",
        "`--map closed_at=sys_updated_on --closed-when incident_state=Closed,Resolved`. A kept line in a",
        "closing state is closed at its line's time; a kept line in another state is open (no closing date).",
        "States compare without case, accents or surrounding spaces; the report says how many records",
        "closed. On the Data page both are under \"Options de lecture\".",
        "",
        "**Survey tools.** `--preset` applies a tool's export shape; it is detected when the headers make",
        "it certain. `--map` accepts a name from any of the tool's header rows (column id or question).",
        "",
        "| preset | header rows | id, date | not answers (skipped) |",
        "|---|---|---|---|",
    ]
    for p in PRESETS.values():
        ids = ", ".join(f"{col}: {' or '.join(f'`{h}`' for h in hs)}" for col, hs in p.mapping.items())
        if p.row_id:
            ids += "; id: row hash"
        drops = "; ".join(
            f"`{d.header}` = {', '.join(f'`{v}`' for v in d.values) or 'empty'}" for d in p.drops
        )
        out.append(f"| `{p.key}` ({p.label}) | {p.header_rows} | {ids} | {drops} |")
    out.append("")
    return out


def data_contracts() -> str:
    """docs/data-contracts.md: every dataset, its columns, types, rules and accepted headers."""
    out = [
        "# Data contracts",
        "",
        "Generated from `metrics/contracts/datasets.py` by `python -m metrics docs`;",
        "a test fails when this file is stale.",
        "",
        "Files may be CSV (separator `;`, `,`, tab or `|`; UTF-8 with or without BOM, cp1252, Latin-1",
        "or UTF-16; decimal commas; dates day-first, month-first or ISO, with or without a time, Excel",
        "serial dates) or `.xlsx`.",
        "Headers match case-, accent-, space- and punctuation-insensitively; anything else is mapped with",
        "`--map column=header`. Yes/no columns accept oui/non, o/n, yes/no, true/false, vrai/faux, 1/0.",
        "",
        *_import_options(),
    ]
    for ds in DATASETS.values():
        out += [
            f"## `{ds.key}`: {ds.label['en']} / {ds.label['fr']}",
            "",
            f"One row is {ds.row_is['en']}. Key: {', '.join(f'`{k}`' for k in ds.key_columns)} "
            "(a row whose key exists replaces the old one and counts as updated).",
            "",
            *_columns_table(ds.columns),
            *_exports_of(ds),
        ]
    return "\n".join(out)


def _columns_table(columns: Sequence[Column]) -> list[str]:
    """A markdown table of columns: type, required, allowed values and accepted headers."""
    out = ["| column | type | required | allowed | headers accepted |", "|---|---|---|---|---|"]
    for col in columns:
        headers = ", ".join(f"`{h}`" for h in (col.name, *col.aliases))
        out.append(
            f"| `{col.name}` | {col.kind.value} | {'yes' if col.required else ''} "
            f"| {_allowed(col)} | {headers} |"
        )
    return [*out, ""]


def _exports_of(ds: Dataset) -> list[str]:
    """The other shapes a dataset's files may have: event logs grouped into it, averages it converts."""
    out: list[str] = []
    for log in (log for log in LOGS.values() if log.into == ds.key):
        rows = log.rows
        totals = "; ".join(f"`{col}` = `{expr}`" for col, expr in log.totals.items())
        hashed = (
            f" `{log.hashed}` is hashed before anything is kept: counted, never stored." if log.hashed else ""
        )
        out += [
            f"### `{rows.key}`: {rows.label['en']} / {rows.label['fr']}",
            "",
            f"One row is {rows.row_is['en']}. The rows of one {', '.join(f'`{k}`' for k in log.group_by)} "
            f"become one row of `{ds.key}`: {totals} (a total over a column the file lacks is empty).",
            f"Detected when the headers provide {' and '.join(f'`{m}`' for m in log.marks)} and no count of",
            f"`{ds.key}`; `--per-call` forces it. Accepted + rejected + skipped counts the file's own rows;",
            f"`updated` counts those whose {ds.key} row replaced a stored one.{hashed}",
            "",
            *_columns_table(rows.columns),
        ]
    averages = AVERAGES.get(ds.key, ())
    if averages:
        out += [
            f"### Averages `{ds.key}` converts to totals",
            "",
            "A header naming an average (avg, average, mean, moyenne, AHT, DMT, without total) fed to the",
            "total is refused, naming the `--map` to use instead.",
            "",
            "| column | becomes | headers accepted |",
            "|---|---|---|",
        ]
        for a in averages:
            headers = ", ".join(f"`{h}`" for h in (a.column.name, *a.column.aliases))
            divide = f" / {a.divide_by:g}" if a.divide_by != 1 else ""
            made = f"`{a.total}` = `{a.column.name}` x `{a.per}`{divide}"
            out.append(f"| `{a.column.name}` | {made} | {headers} |")
        out.append("")
    return out


def metrics_reference() -> str:
    """docs/metrics.md: every declared metric, what it measures, its unit, kind and dataset."""
    from metrics.semantic.definitions import METRICS
    from metrics.semantic.query import dimensions_of

    out = [
        "# Metrics",
        "",
        "Generated from `metrics/semantic/definitions.py` by `python -m metrics docs`;",
        "a test fails when this file is stale. Every value comes with `n`, and NPS, proportions, means,",
        "rates and medians with a 95% margin of error (`moe`, `low`, `high`).",
        "",
        "| metric | label (fr / en) | meaning | unit | kind | dataset | better | split by |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m in METRICS.values():
        better = "higher" if m.higher_is_better else "lower"
        out.append(
            f"| `{m.key}` | {m.label['fr']} / {m.label['en']} | {m.description['en']} | {m.unit.value} "
            f"| {m.kind.value} | `{m.dataset}` | {better} | {', '.join(dimensions_of(m))} |"
        )
    out.append("")
    return "\n".join(out)


GENERATED = {
    "data-contracts.md": data_contracts,
    "metrics.md": metrics_reference,
    "settings.md": settings.reference,
}


def write_docs(directory: Path = DOCS_DIR) -> list[Path]:
    """Write every generated doc; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in GENERATED.items():
        path = directory / name
        path.write_text(render(), encoding="utf-8")
        written.append(path)
    return written
