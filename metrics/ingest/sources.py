"""Turn what an operator exports (French Excel CSV, cp1252, xlsx) into a UTF-8 file DuckDB can read.

DuckDB reads only UTF-8, UTF-16 and strict Latin-1, and has no xlsx reader here: we transcode in
streamed chunks and convert workbooks to CSV. We also find the header line and the separator
ourselves, so DuckDB's reader can then be pinned and can never silently misread the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from metrics.errors import ImportRefused
from metrics.ingest.conversions import converted
from metrics.ingest.filechecks import (
    refuse_damaged_text,
    refuse_duplicate_headers,
    refuse_misleading_binary,
    scan_bytes,
)
from metrics.ingest.workbooks import xlsx_to_csv

CHUNK = 1 << 20
DELIMITERS = (";", ",", "\t", "|")
HEADER_SCAN_LINES = 30
# Python's csv module refuses fields over 128 KiB unless told; it reads the header lines, the sample
# rows and numbers records (metrics.ingest.lines), so it takes any length: DuckDB's `max_line_size` (10 MB)
# is the limit, and rejects a longer line with its reason
csv.field_size_limit(2**31 - 1)
SAMPLE_ROWS = 20  # rows under the header kept for suggestions, description rows and preset detection
# how well a candidate header row fits the dataset: more matched columns is better
HeaderScore = Callable[[tuple[str, ...]], float]


@dataclass(frozen=True, slots=True)
class Source:
    """A file ready for DuckDB: UTF-8 CSV, separator known, header located."""

    name: str
    path: Path  # UTF-8 text DuckDB reads (the original file when it already was UTF-8 CSV)
    sha256: str
    encoding: str
    delimiter: str
    header_line: int  # 1-based
    headers: tuple[str, ...]
    sheet: str | None = None
    temp_files: tuple[Path, ...] = field(default_factory=tuple)
    sample: tuple[tuple[str, ...], ...] = ()  # the first rows under the header, as text cells
    blank_lines: bool | None = None  # an empty line before a later record; None: not scanned yet

    def cleanup(self) -> None:
        """Remove the converted copies we made."""
        for path in self.temp_files:
            path.unlink(missing_ok=True)


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
        raise ImportRefused(f"{path.name}: the file is empty")
    refuse_misleading_binary(head, path.name)
    if head.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            f"{path.name}: this is a zip archive, not a CSV or Excel file; unzip it and import the "
            "file inside"
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text (Excel's "Unicode text" export): NULs are expected
    if b"\x00" in head or head.startswith((b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\x1f\x8b")):
        raise ImportRefused(
            f"{path.name}: this is a binary file, not a CSV or Excel export; "
            "export the data as CSV (separator ; or ,) or as .xlsx"
        )


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


def _head_lines(path: Path, limit: int = HEADER_SCAN_LINES) -> list[str]:
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        text = fh.read(256 * 1024)
    lines = io.StringIO(text, newline=None).read().split("\n")
    return lines[:limit]


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def locate_header(
    path: Path, score: HeaderScore, *, name: str | None = None
) -> tuple[int, str, tuple[str, ...]]:
    """The (1-based line, separator, headers) among the first lines that `score` likes best."""
    best: tuple[float, int, str, tuple[str, ...]] | None = None
    for number, line in enumerate(_head_lines(path), start=1):
        if not line.strip():
            continue
        for delimiter in DELIMITERS:
            cells = tuple(c.strip() for c in _split(line, delimiter))
            if len(cells) < 2:
                continue
            points = score(cells)
            candidate = (points, -number, delimiter, cells)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if best is None:
        raise ImportRefused(
            f"{name or path.name}: no header line found (expected column names separated by ; , tab or |)"
        )
    return -best[1], best[2], best[3]


def first_line_header(path: Path, *, name: str | None = None) -> tuple[int, str, tuple[str, ...]]:
    """Line 1 as the header (survey tools always start there), split by the separator giving most cells."""
    lines = [line for line in _head_lines(path, 1) if line.strip()]
    if not lines:
        raise ImportRefused(f"{name or path.name}: no header line found on line 1")
    delimiter = max(DELIMITERS, key=lambda d: len(_split(lines[0], d)))
    return 1, delimiter, tuple(c.strip() for c in _split(lines[0], delimiter))


def sample_rows(
    path: Path, header_line: int, delimiter: str, limit: int = SAMPLE_ROWS
) -> tuple[tuple[str, ...], ...]:
    """The first `limit` records under the header, read by the csv module (quoted newlines included)."""
    out: list[tuple[str, ...]] = []
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        for number, record in enumerate(reader, start=1):
            if number <= header_line:
                continue
            if len(out) >= limit:
                break
            out.append(tuple(record))
    return tuple(out)


def prepare(
    path: Path,
    work_dir: Path,
    score: HeaderScore,
    *,
    sheet: str | None = None,
    header_on_first_line: bool = False,
) -> Source:
    """Check, transcode or convert `path`, and find its header with the `score` of a dataset.

    A converted copy (workbook, cp1252) is made once per checksum and kept (metrics.ingest.conversions),
    so looking at the same upload again costs no conversion; `work_dir` is no longer written to.
    """
    if not path.is_file():
        raise ImportRefused(f"{path}: no such file")
    with path.open("rb") as fh:
        head = fh.read(8192)
    sheet_name = None
    blank_lines = None
    if _is_xlsx(path, head):
        sha = file_sha256(path)
        readable, sheet_name = converted(sha, "xlsx", sheet, lambda out: _xlsx_to_csv(path, sheet, out))
        encoding = "xlsx"
    else:
        _refuse_if_not_text(path, head)
        scan = scan_bytes(path)  # the only read of the bytes in Python for a UTF-8 file
        sha, encoding = scan.sha256, scan.encoding
        refuse_damaged_text(path, scan, path.name)
        # transcoding keeps every newline: the blank-line answer holds for the copy, except from UTF-16
        blank_lines = None if encoding == "utf-16" else scan.inner_blank_line
        readable = path
        if encoding != "utf-8":
            readable, _ = converted(sha, encoding, None, lambda out: _transcode(path, encoding, out))
    # name the user's file (and sheet), not the converted copy
    shown = f"{path.name}, sheet {sheet_name}" if sheet_name else path.name
    if header_on_first_line:
        line, delimiter, headers = first_line_header(readable, name=shown)
    else:
        line, delimiter, headers = locate_header(readable, score, name=shown)
    refuse_duplicate_headers(headers, shown)
    sample = sample_rows(readable, line, delimiter)
    return Source(
        name=path.name,
        path=readable,
        sha256=sha,
        encoding=encoding,
        delimiter=delimiter,
        header_line=line,
        headers=headers,
        sheet=sheet_name,
        sample=sample,
        blank_lines=blank_lines,
    )


def top_rows(src: Source, limit: int = 3) -> tuple[tuple[str, ...], ...]:
    """The file's first records from line 1, whatever line the header was found on (preset detection)."""
    return sample_rows(src.path, 0, src.delimiter, limit)


def header_on_line_one(src: Source) -> Source:
    """The same file read with line 1 as its header (a survey tool's first header row)."""
    if src.header_line == 1:
        return src
    rows = top_rows(src, 1)
    headers = tuple(c.strip() for c in rows[0]) if rows else src.headers
    return replace(src, header_line=1, headers=headers, sample=sample_rows(src.path, 1, src.delimiter))
