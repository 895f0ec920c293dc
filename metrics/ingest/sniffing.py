"""The file's shape, decided once: encoding, separator, header line, survey tool and empty-cell markers.

One stage reads the head of the file and returns one frozen `Source` that every later stage (mapping,
staging, the archive, the Data page's preview and plan) reads; each decision carries its evidence for
the import report. The separator is the one that gives the same number of fields on the first
records, read with quotes respected as DuckDB's sniffer and Python's `csv.Sniffer` do: a quoted
Google Forms question may hold `;`, `,` and a newline, and must not decide the separator. Date
formats are decided per column from all its values when the cells are typed (metrics.ingest.dates).
"""

from __future__ import annotations

import csv
import io
import itertools
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from metrics.catalogue import N_
from metrics.errors import ImportOptionRefused, ImportRefused
from metrics.ingest import presets
from metrics.ingest.conversions import converted
from metrics.ingest.options import DELIMITERS, ImportOptions
from metrics.ingest.sources import Decision, HeaderScore, Readable, Said, Source, readable
from metrics.ingest.staging import NULL_MARKERS

HEAD_CHARS = 256 * 1024  # the head of the file read to decide its shape
HEADER_SCAN = 30  # records searched for the header line
CONSISTENCY = 20  # first non-blank records whose field counts choose the separator
SAMPLE_ROWS = 20  # rows under the header kept for suggestions, description rows and empty-cell markers
TOP_ROWS = 3  # records from line 1 a survey tool's shape is recognised by
ENCODING_EVIDENCE = {
    "utf-8": N_("sniff.encoding_utf8"),
    "utf-16": N_("sniff.encoding_utf16"),
    "cp1252": N_("sniff.encoding_cp1252"),
    "latin-1": N_("sniff.encoding_latin1"),
}

Records = list[list[str]]


def _head(path: Path) -> tuple[str, bool]:
    """The first characters of the UTF-8 copy, and whether that is the whole file."""
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        text = fh.read(HEAD_CHARS)
    return text, len(text) < HEAD_CHARS


def _records(text: str, complete: bool, delimiter: str) -> Records:
    """The head's first records split on `delimiter`, quotes respected (blank lines are empty records)."""
    out: Records = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    limit = HEADER_SCAN + SAMPLE_ROWS
    try:
        for record in reader:
            out.append(record)
            if len(out) >= limit:
                return out
    except csv.Error:
        return out  # a quote left open: the records before it are the evidence
    return out if complete else out[:-1]  # the last one may be cut by the head's end


def _widths(records: Records) -> list[int]:
    return [len(r) for r in records if any(c.strip() for c in r)][:CONSISTENCY]


def _consistent(widths: Sequence[int]) -> tuple[int, int]:
    """(records sharing the commonest field count, that count); a count under 2 splits nothing."""
    if not widths:
        return 0, 0
    width, count = max(Counter(widths).items(), key=lambda kv: (kv[1], kv[0]))
    return (count, width) if width >= 2 else (0, width)


def _best_score(records: Records, score: HeaderScore) -> float:
    rows = (tuple(c.strip() for c in r) for r in records[:HEADER_SCAN] if len(r) >= 2)
    return max((score(cells) for cells in rows), default=0.0)


def _separator(heads: dict[str, Records], score: HeaderScore) -> tuple[str, Decision] | None:
    """The separator giving the most records with one field count (then the header that fits best)."""
    ranked = []
    for order, delimiter in enumerate(DELIMITERS):
        count, width = _consistent(_widths(heads[delimiter]))
        if count:
            ranked.append(((count, _best_score(heads[delimiter], score), width, -order), delimiter))
    if not ranked:
        return None
    (count, _, width, _), chosen = max(ranked)
    others: list[Said] = []
    for delimiter in DELIMITERS:
        widths = _widths(heads[delimiter])
        if delimiter == chosen or not widths or max(widths) < 2:
            continue
        low, high = min(widths), max(widths)
        gives = N_("sniff.separator_gives") if low == high else N_("sniff.separator_gives_range")
        others.append((gives, {"delimiter": repr(delimiter), "low": low, "high": high}))
    said = {"agree": count, "total": len(_widths(heads[chosen])), "width": width}
    more = tuple(others) or ((N_("sniff.separator_alone"), {}),)
    return chosen, Decision("separator", repr(chosen), N_("sniff.separator_consistent"), said, more)


def _header(records: Records, score: HeaderScore, shown: str, forced: str | None) -> tuple[int, float]:
    """The (1-based record, score) of the header: best named, then as wide as the data, then earliest."""
    widths = _widths(records)
    width = _consistent(widths)[1]
    best: tuple[tuple[float, bool, int], int] | None = None
    for number, record in enumerate(records[:HEADER_SCAN], start=1):
        cells = tuple(c.strip() for c in record)
        if len(cells) < 2:
            continue
        key = (score(cells), len(cells) == width, -number)
        if best is None or key > best[0]:
            best = (key, number)
    if best is None and forced:
        raise ImportRefused(N_("refused.no_split_on_delimiter"), file=shown, delimiter=repr(forced))
    if best is None:
        raise ImportRefused(N_("refused.no_header_line"), file=shown)
    return best[1], best[0][0]


def _encoding(read: Readable, options: ImportOptions) -> Decision:
    if read.encoding == "xlsx":
        why = N_("sniff.sheet_forced") if options.sheet is not None else N_("sniff.sheet_first")
        return Decision("sheet", f'"{read.sheet}"', why)
    return Decision("encoding", read.encoding, ENCODING_EVIDENCE[read.encoding])


def _header_decision(line: int, width: int, points: float, shape: presets.Preset | None) -> Decision:
    if shape is not None:
        why = N_("sniff.header_preset")
    else:
        why = N_("sniff.header_named") if points else N_("sniff.header_first_wide")
    said = {"width": width, "tool": shape.label if shape else "", "scanned": HEADER_SCAN}
    above = "1" if line == 2 else f"1-{line - 1}"
    skipped = ((N_("sniff.header_skipped"), {"lines": above}),) if line > 1 else ()
    return Decision("header", str(line), why, said, skipped)


def _markers(sample: Sequence[Sequence[str]]) -> tuple[dict[str, int], Decision | None]:
    """The empty-cell markers (`?`, `NA`, `(vide)`...) seen in the sample, as written, with their counts."""
    seen = Counter(c.strip() for row in sample for c in row if c.strip().lower() in NULL_MARKERS)
    if not seen:
        return {}, None
    counts = dict(sorted(seen.items(), key=lambda kv: (-kv[1], kv[0])))
    value = ", ".join(f'"{m}" x {n}' for m, n in counts.items())
    return counts, Decision("null_markers", value, N_("sniff.null_markers"), {"rows": len(sample)})


def _header_on_one_line(path: Path, skip: int, delimiter: str, newline: str, out: Path) -> None:
    """Copy `path` with its first `skip` records each on one line, the rest as it is.

    DuckDB 2.0 takes the file's newline from the first one it meets, even inside quotes: a CRLF file
    whose header holds a bare LF in a quoted cell (a Google Forms question on two lines) reads as no
    record at all, silently. Only the header's cells change, and only in this copy: the headers the
    import shows and maps stay as the file writes them.
    """
    with (
        path.open("r", encoding="utf-8-sig", newline="") as src,
        out.open("w", encoding="utf-8", newline="") as dst,
    ):
        reader = csv.reader(src, delimiter=delimiter)
        writer = csv.writer(dst, delimiter=delimiter, lineterminator=newline)
        for record in itertools.islice(reader, skip):
            writer.writerow([" ".join(c.splitlines()) for c in record])
        shutil.copyfileobj(src, dst, 1 << 20)


def sniff(
    path: Path, score: HeaderScore, options: ImportOptions | None = None, *, name: str | None = None
) -> Source:
    """Decide the file's shape once from its head; `options` may force the sheet, separator and preset.

    `score` rates a candidate header row (a dataset's, or the best of all datasets' on the Data page);
    `name` is the file name the user knows, when `path` is a copy of an upload.
    """
    options = options or ImportOptions()
    read = readable(path, options.sheet)
    name = name or path.name
    shown = f"{name}, sheet {read.sheet}" if read.sheet else name  # the user's file, not the copy
    decisions = [_encoding(read, options)]
    text, complete = _head(read.path)
    if read.encoding == "xlsx":
        if options.delimiter is not None:
            raise ImportOptionRefused(
                N_("refused.delimiter_for_workbook"), delimiter=repr(options.delimiter), file=name
            )
        delimiter = ";"  # how ingest.workbooks writes the sheet
    elif options.delimiter is not None:
        delimiter = options.delimiter
        decisions.append(Decision("separator", repr(delimiter), N_("sniff.separator_forced")))
    else:
        heads = {d: _records(text, complete, d) for d in DELIMITERS}
        found = _separator(heads, score)
        if found is None:
            raise ImportRefused(N_("refused.no_header_line"), file=shown)
        delimiter = found[0]
        decisions.append(found[1])
    records = _records(text, complete, delimiter)
    shape = presets.preset(options.preset) if options.preset else presets.detect(records[:TOP_ROWS])
    if shape is not None and records:
        line, points = 1, 0.0
    else:
        line, points = _header(records, score, shown, options.delimiter)
    headers = tuple(c.strip() for c in records[line - 1])
    copy = read.path
    if any("\n" in c or "\r" in c for r in records[:line] for c in r):
        newline = "\r\n" if "\r\n" in text else "\n"
        kind = f"header{line}-{DELIMITERS.index(delimiter)}"
        copy, _ = converted(
            read.sha256,
            kind,
            read.sheet,
            lambda out: _header_on_one_line(read.path, line, delimiter, newline, out),
        )
    decisions.append(_header_decision(line, len(headers), points, shape))
    if shape is not None:
        why = N_("sniff.preset_forced") if options.preset else N_("sniff.preset_detected")
        decisions.append(Decision("preset", shape.label, why))
    sample = tuple(tuple(r) for r in records[line : line + SAMPLE_ROWS])
    markers, seen = _markers(sample)
    if seen is not None:
        decisions.append(seen)
    return Source(
        name=name,
        path=copy,
        sha256=read.sha256,
        encoding=read.encoding,
        delimiter=delimiter,
        header_line=line,
        headers=headers,
        sheet=read.sheet,
        sample=sample,
        blank_lines=read.blank_lines,
        preset=shape.key if shape else None,
        null_markers=markers,
        decisions=tuple(decisions),
    )


def without_preset(src: Source) -> Source:
    """The report's decisions of a file whose survey tool shape is not applied (not survey answers)."""
    return replace(src, decisions=tuple(d for d in src.decisions if d.topic != "preset"))
