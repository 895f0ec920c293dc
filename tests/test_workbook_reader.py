"""The workbook reader (python-calamine) writes the same CSV openpyxl's cells give, from cell A1."""

from __future__ import annotations

import csv
import datetime as dt

from openpyxl import Workbook, load_workbook

from metrics.ingest.workbooks import xlsx_to_csv


def openpyxl_csv(path):
    """The CSV a reader of openpyxl's values would write: the reference, independent of calamine."""
    ws = load_workbook(path, data_only=True).active
    rows = []
    for row in ws.iter_rows(values_only=True):
        cells = []
        for v in row:
            if v is None:
                cells.append("")
            elif isinstance(v, dt.datetime):
                cells.append(v.strftime("%Y-%m-%d %H:%M:%S") if v.time() != dt.time() else f"{v:%Y-%m-%d}")
            elif isinstance(v, bool):
                cells.append("true" if v else "false")
            elif isinstance(v, float) and v.is_integer():
                cells.append(str(int(v)))
            else:
                cells.append(str(v))
        rows.append(cells)
    return rows


def test_calamine_conversion_matches_openpyxl_cell_for_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Réponses"
    ws.append(["n° réponse", "date de réponse", "note", "délai (h)", "rappel", "commentaire"])
    ws.append(["R1", dt.datetime(2025, 9, 2), 9, 1.5, True, "très bien; merci"])
    ws.append(["R2", dt.datetime(2025, 9, 2, 10, 30), None, 12.0, False, 'il a dit "non"'])
    ws.append(["R3", dt.datetime(2025, 12, 31, 23, 59, 59), 0, 0.1, None, None])
    ws["H6"] = "loin"  # a value beyond the header: the rows are padded to column H, as openpyxl reads them
    path = tmp_path / "reponses.xlsx"
    wb.save(path)
    out = tmp_path / "out.csv"
    assert xlsx_to_csv(path, None, out) == "Réponses"
    with out.open(encoding="utf-8", newline="") as fh:
        got = list(csv.reader(fh, delimiter=";"))
    assert got == openpyxl_csv(path)
    assert got[1] == ["R1", "2025-09-02", "9", "1.5", "true", "très bien; merci", "", ""]
    assert got[5] == ["", "", "", "", "", "", "", "loin"]


def test_a_sheet_starting_below_a1_keeps_its_row_and_column_numbers(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["B3"], ws["C3"] = "id", "note"
    ws["B4"], ws["C4"] = "R1", 7
    path = tmp_path / "decale.xlsx"
    wb.save(path)
    out = tmp_path / "out.csv"
    xlsx_to_csv(path, None, out)
    # line 3 of the CSV is row 3 of the sheet: rejected-line numbers match what Excel shows
    assert out.read_text(encoding="utf-8").splitlines() == [";;", ";;", ";id;note", ";R1;7"]


def test_an_upload_looked_at_again_is_not_converted_again(tmp_path, monkeypatch):
    # the Data page inspects, plans and imports the same upload, and again on every mapping edit
    from metrics.contracts.datasets import DATASETS
    from metrics.ingest import sources
    from metrics.ingest.inspection import inspect_file
    from metrics.ingest.mapping import header_score
    from metrics.ingest.sniffing import sniff

    wb = Workbook()
    wb.active.append(["n° réponse", "date de réponse", "région", "note"])
    wb.active.append(["R1", dt.datetime(2025, 9, 2), "Bretagne", 9])
    path = tmp_path / "reponses.xlsx"
    wb.save(path)
    calls = []
    real = sources._xlsx_to_csv

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(sources, "_xlsx_to_csv", counted)
    first = inspect_file(path)
    again = inspect_file(path)
    src = sniff(path, header_score(DATASETS["responses"]))
    headers = ("n° réponse", "date de réponse", "région", "note")
    assert first.headers == again.headers == src.headers == headers
    assert len(calls) == 1
    # a different file (another checksum) is converted on its own
    wb.active.append(["R2", dt.datetime(2025, 9, 3), "Normandie", 4])
    wb.save(path)
    inspect_file(path)
    assert len(calls) == 2
