"""Turn what an operator exports (French Excel CSV, cp1252, xlsx) into a UTF-8 file DuckDB can read.

DuckDB reads only UTF-8, UTF-16 and strict Latin-1, and has no xlsx reader here: we transcode in
streamed chunks and convert workbooks to CSV. metrics.ingest.sniffing then decides the separator and
the header line once, so DuckDB's reader can be pinned and can never silently misread the file.
"""

from __future__ import annotations

import csv
import hashlib
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from metrics.catalogue import N_, text
from metrics.errors import ImportRefused
from metrics.fragments import Fragment
from metrics.ingest.conversions import converted
from metrics.ingest.filechecks import refuse_damaged_text, refuse_misleading_binary, scan_bytes
from metrics.ingest.workbooks import xlsx_to_csv

CHUNK = 1 << 20
# Python's csv module refuses fields over 128 KiB unless told; it reads the header lines, the sample
# rows and numbers records (metrics.ingest.lines), so it takes any length: DuckDB's `max_line_size` (10 MB)
# is the limit, and rejects a longer line with its reason
csv.field_size_limit(2**31 - 1)
# how well a candidate header row fits the dataset: more matched columns is better
HeaderScore = Callable[[tuple[str, ...]], float]


# a catalogue sentence and its fields, e.g. ("sniff.separator_gives", {"delimiter": "';'", "low": 1})
Said = tuple[str, Mapping[str, object]]


@dataclass(frozen=True, slots=True)
class Decision:
    """One thing the sniffing stage decided about a file, and the evidence, for the import report."""

    topic: str  # a key of TOPICS
    value: str  # what was decided, as the report shows it: "','", "utf-8", "line 3"
    key: str  # the evidence: a catalogue sentence...
    fields: Mapping[str, object] = field(default_factory=dict)  # ...and its fields
    more: tuple[Said, ...] = ()  # further evidence, said after it: "; ';' gives 1 to 3"

    def render(self, lang: str = "en") -> str:
        """`separator ',' (20 of 20 first records have 7 fields; ';' gives 1 to 3)`."""
        said = text(N_("sniff.join"), lang).join(
            text(key, lang, **fields) for key, fields in ((self.key, self.fields), *self.more)
        )
        return f"{text(TOPICS[self.topic], lang)} {self.value} ({said})"


TOPICS: Mapping[str, str] = {
    "encoding": N_("sniff.topic_encoding"),
    "sheet": N_("sniff.topic_sheet"),
    "separator": N_("sniff.topic_separator"),
    "header": N_("sniff.topic_header"),
    "preset": N_("sniff.topic_preset"),
    "null_markers": N_("sniff.topic_null_markers"),
    "closing": N_("sniff.topic_closing"),
}


@dataclass(frozen=True, slots=True)
class Source:
    """A file's shape, decided once (metrics.ingest.sniffing); later stages read it, never the file's head."""

    name: str
    path: Path  # UTF-8 text DuckDB reads (the original file when it already was UTF-8 CSV)
    sha256: str
    encoding: str
    delimiter: str
    header_line: int  # 1-based record (a spreadsheet's row: a quoted newline does not start a new one)
    headers: tuple[str, ...]
    sheet: str | None = None
    sample: tuple[tuple[str, ...], ...] = ()  # the first rows under the header, as text cells
    blank_lines: bool | None = None  # an empty line before a later record; None: not scanned yet
    preset: str | None = None  # the survey tool whose export shape the file has (detected or --preset)
    null_markers: Mapping[str, int] = field(default_factory=dict)  # "?" -> cells in the sample
    decisions: tuple[Decision, ...] = ()  # what was decided and why, in order, for the report
    # each date column's reading, decided once per file from all its values (ingest.dates.read_dates):
    # the Data page's import plan decides the key columns, and the import reuses those decisions
    dates: dict[tuple[str, str, str | None, bool], object] = field(default_factory=dict, compare=False)


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _is_xlsx(path: Path, head: bytes) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return any(n.startswith("xl/") for n in archive.namelist())
    except zipfile.BadZipFile:
        return False


def _refuse_if_not_text(path: Path, head: bytes) -> None:
    if not head.strip():
        raise ImportRefused(N_("refused.empty_file"), file=path.name)
    refuse_misleading_binary(head, path.name)
    if head.startswith(b"PK\x03\x04"):
        raise ImportRefused(N_("refused.zip_archive"), file=path.name)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text (Excel's "Unicode text" export): NULs are expected
    if b"\x00" in head or head.startswith((b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\x1f\x8b")):
        raise ImportRefused(N_("refused.binary_file"), file=path.name)


def detect_encoding(path: Path) -> str:
    """utf-8, utf-16, cp1252 or latin-1, decided by reading the whole file once, in chunks."""
    return scan_bytes(path).encoding


def _transcode(path: Path, encoding: str, out: Path) -> None:
    """Write `path` as UTF-8 (no BOM) in chunks, so memory stays flat whatever the file size."""
    source_encoding = "utf-16" if encoding == "utf-16" else encoding
    with (
        path.open("r", encoding=source_encoding, newline="") as src,
        out.open("w", encoding="utf-8", newline="") as dst,
    ):
        first = True
        while block := src.read(CHUNK):
            if first:
                block = block.lstrip("\ufeff")
                first = False
            dst.write(block)


def _xlsx_to_csv(path: Path, sheet: str | None, out: Path) -> str:
    """One worksheet as a `;` CSV with ISO dates, within ingest.workbooks' limits; returns its name."""
    return xlsx_to_csv(path, sheet, out)


@dataclass(frozen=True, slots=True)
class Readable:
    """What the file's bytes decided: a UTF-8 text copy DuckDB can read, its checksum and encoding."""

    path: Path  # the original when it already was UTF-8 CSV, else the kept converted copy
    sha256: str
    encoding: str  # utf-8, utf-16, cp1252, latin-1, or xlsx for a workbook's sheet
    sheet: str | None  # the worksheet read, for a workbook
    blank_lines: bool | None  # an empty line before a later record; None: not scanned (workbook, UTF-16)


def readable(path: Path, sheet: str | None = None) -> Readable:
    """Check `path`, and transcode or convert it to UTF-8 text once per checksum.

    A converted copy (workbook, cp1252) is made once per checksum and kept (metrics.ingest.conversions),
    so looking at the same upload again costs no conversion.
    """
    if not path.is_file():
        raise ImportRefused(N_("refused.no_such_file"), file=str(path))
    with path.open("rb") as fh:
        head = fh.read(8192)
    if _is_xlsx(path, head):
        sha = file_sha256(path)
        copy, sheet_name = converted(sha, "xlsx", sheet, lambda out: _xlsx_to_csv(path, sheet, out))
        return Readable(copy, sha, "xlsx", sheet_name, None)
    _refuse_if_not_text(path, head)
    scan = scan_bytes(path)  # the only read of the bytes in Python for a UTF-8 file
    encoding = scan.encoding
    refuse_damaged_text(path, scan, path.name)
    # transcoding keeps every newline: the blank-line answer holds for the copy, except from UTF-16
    blank_lines = None if encoding == "utf-16" else scan.inner_blank_line
    copy = path
    if encoding != "utf-8":
        copy, _ = converted(scan.sha256, encoding, None, lambda out: _transcode(path, encoding, out))
    return Readable(copy, scan.sha256, encoding, None, blank_lines)


def read_records(src: Source, *, strict: bool) -> Fragment:
    """DuckDB's `read_csv` over the file's records as text columns c0..cn, as the sniffing stage decided.

    The one reader of a file's records: `strict` for the import (every malformed line goes to the
    `csv_rejects` table and is quarantined with its reason), lenient for the preview and the
    update plan (a short or long line is padded or skipped: they only look).
    """
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(src.headers))) + "}"
    mode = (  # not user-facing: DuckDB's read_csv options
        "store_rejects = true, rejects_table = 'csv_rejects', rejects_scan = 'csv_scans', "
        "null_padding = false, strict_mode = true"
        if strict
        else "ignore_errors = true, null_padding = true"
    )
    sql = (
        "read_csv(?, delim = ?, quote = '\"', escape = '\"', header = false, skip = ?, "
        f"columns = {columns}, auto_detect = false, max_line_size = 10000000, {mode})"
    )
    return Fragment(sql, [str(src.path), src.delimiter, src.header_line])
