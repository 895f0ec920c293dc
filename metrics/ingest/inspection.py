"""A first look at a file before importing it: its dataset, how its columns map, its first rows."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from metrics.contracts.datasets import DATASETS, dataset
from metrics.ingest.mapping import detect_dataset, header_score, suggest
from metrics.ingest.sources import prepare

PREVIEW_ROWS = 10


@dataclass(frozen=True, slots=True)
class Inspection:
    """What the Data page shows before the user presses Import."""

    headers: tuple[str, ...]
    ranked: tuple[str, ...]  # dataset keys, best fit first
    encoding: str
    delimiter: str
    preview: pd.DataFrame  # the first rows as text, under the file's own headers

    def suggested_mapping(self, dataset_key: str) -> dict[str, str | None]:
        """Declared column -> file header picked by the aliases (None where nothing matched)."""
        ds = dataset(dataset_key)
        found = suggest(ds, self.headers)
        return {c.name: (self.headers[found[c.name]] if c.name in found else None) for c in ds.columns}


def inspect_file(path: Path, *, sheet: str | None = None) -> Inspection:
    """Read the header and the first rows with the same reader the import uses; raises ImportRefused."""
    scores = [header_score(ds) for ds in DATASETS.values()]
    with tempfile.TemporaryDirectory(prefix="cx-inspect-") as work:
        src = prepare(path, Path(work), lambda cells: max(score(cells) for score in scores), sheet=sheet)
        try:
            columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(src.headers))) + "}"
            con = duckdb.connect()
            try:
                rows = con.execute(
                    f"SELECT * FROM read_csv(?, delim = ?, quote = '\"', escape = '\"', header = false, "
                    f"skip = ?, columns = {columns}, auto_detect = false, ignore_errors = true, "
                    "null_padding = true) LIMIT ?",
                    [str(src.path), src.delimiter, src.header_line, PREVIEW_ROWS],
                ).fetchall()
            finally:
                con.close()
        finally:
            src.cleanup()
    preview = pd.DataFrame(rows, columns=[h or f"({i + 1})" for i, h in enumerate(src.headers)]).fillna("")
    ranked = tuple(key for key, _ in detect_dataset(src.headers))
    return Inspection(src.headers, ranked, src.encoding, src.delimiter, preview)
