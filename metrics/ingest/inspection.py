"""A first look at a file before importing it: its dataset, how its columns map, its first rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from metrics.contracts.datasets import DATASETS, dataset
from metrics.ingest.mapping import detect_dataset, header_score, suggest
from metrics.ingest.options import ImportOptions
from metrics.ingest.sniffing import sniff
from metrics.ingest.sources import Source, read_records

PREVIEW_ROWS = 10


@dataclass(frozen=True, slots=True)
class Inspection:
    """What the Data page shows before the user presses Import."""

    headers: tuple[str, ...]
    ranked: tuple[str, ...]  # dataset keys, best fit first
    encoding: str
    delimiter: str
    preview: pd.DataFrame  # the first rows as text, under the file's own headers
    source: Source  # the file's shape, sniffed once: the plan and the import read it again, not the file

    def suggested_mapping(self, dataset_key: str) -> dict[str, str | None]:
        """Declared column -> file header picked by the aliases (None where nothing matched)."""
        ds = dataset(dataset_key)
        found = suggest(ds, self.headers)
        return {c.name: (self.headers[found[c.name]] if c.name in found else None) for c in ds.columns}


def sniff_upload(path: Path, options: ImportOptions | None = None, *, name: str | None = None) -> Source:
    """The file's shape before its dataset is known: the header the best of all datasets' names finds."""
    scores = [header_score(ds) for ds in DATASETS.values()]
    return sniff(path, lambda cells: max(score(cells) for score in scores), options, name=name)


def inspect_file(file: Path | Source, *, sheet: str | None = None) -> Inspection:
    """Read the header and the first rows with the same reader the import uses; raises ImportRefused."""
    src = file if isinstance(file, Source) else sniff_upload(file, ImportOptions(sheet=sheet))
    records = read_records(src, strict=False)
    con = duckdb.connect()
    try:
        rows = con.execute(f"SELECT * FROM {records.sql} LIMIT ?", [*records.params, PREVIEW_ROWS]).fetchall()
    finally:
        con.close()
    # two columns may share a name (a Google Forms section title): the table shows each once, numbered
    shown = [h or f"({i + 1})" for i, h in enumerate(src.headers)]
    shown = [h if shown.count(h) == 1 else f"{h} ({i + 1})" for i, h in enumerate(shown)]
    preview = pd.DataFrame(rows, columns=shown).fillna("")
    ranked = tuple(key for key, _ in detect_dataset(src.headers))
    return Inspection(src.headers, ranked, src.encoding, src.delimiter, preview, src)
