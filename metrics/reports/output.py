"""Write a DataFrame as a terminal table, CSV or JSON; CSV is made safe to open in a spreadsheet."""

from __future__ import annotations

import io
import json
import re
import sys
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # pandas costs half a second at CLI start: imported where a frame is written
    import pandas as pd

FORMATS = ("table", "csv", "json")
# a cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# "-3" or "+1,5" is a number to every spreadsheet, not a formula: a quote would break a re-import
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def neutralise_formula(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with a quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame, *, sep: str = ",", decimal: str = ".") -> str:
    """CSV text with every text cell defused against formula injection (CSV/DDE injection)."""
    import pandas as pd

    clean = frame.copy()
    for col in clean.columns:
        if clean[col].dtype == object or pd.api.types.is_string_dtype(clean[col]):
            clean[col] = clean[col].map(neutralise_formula)
    clean.columns = [neutralise_formula(str(c)) for c in clean.columns]
    return clean.to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\n")


def _json_default(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def write(frame: pd.DataFrame, fmt: str, *, title: str | None = None, out: IO[str] | None = None) -> None:
    """Print `frame` in `fmt`: a rich table for people, CSV or JSON for scripts."""
    import pandas as pd

    stream = out or sys.stdout
    if fmt == "csv":
        stream.write(safe_csv(frame))
    elif fmt == "json":
        records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        stream.write(json.dumps(records, ensure_ascii=False, default=_json_default, indent=1) + "\n")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_lines=False)
        for col in frame.columns:
            numeric = pd.api.types.is_numeric_dtype(frame[col])
            # fold, never cut: a narrow terminal wraps a cell instead of ending it with "…"
            table.add_column(str(col), justify="right" if numeric else "left", overflow="fold")
        for row in frame.itertuples(index=False):
            table.add_row(*("" if pd.isna(v) else str(v) for v in row))
        Console(file=stream, width=200 if not stream.isatty() else None).print(table)


def spreadsheet_csv(frame: pd.DataFrame, lang: str) -> bytes:
    """CSV bytes a spreadsheet in `lang` opens as columns: French Excel wants a BOM, `;` and `33,5`.

    English gets the usual comma-separated UTF-8; both keep the formula defusing of `safe_csv`.
    """
    import pandas as pd

    if lang != "fr":
        return safe_csv(frame).encode("utf-8")
    clean = frame.copy()
    for col in clean.columns:
        if not pd.api.types.is_float_dtype(clean[col]):  # float columns get the comma from to_csv
            clean[col] = clean[col].map(lambda v: str(v).replace(".", ",") if isinstance(v, float) else v)
    return ("\ufeff" + safe_csv(clean, sep=";", decimal=",")).replace("\n", "\r\n").encode("utf-8")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """An Excel workbook of `frame`: numbers stay numbers, and no cell is ever a formula.

    openpyxl stores any text starting with "=" as a formula; such cells are forced back to text, so
    a value like `=HYPERLINK(...)` from a file shows as the characters it is.
    """
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([None if _blank(v) else _cell(v) for v in row])
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _blank(value: object) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _cell(value: object) -> object:
    """A value openpyxl can store: numbers and dates as such, anything else as its text."""
    if isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    return value if hasattr(value, "isoformat") else str(value)
