"""Hostile and damaged files: each imports what it can, or is refused in one sentence leaving the database."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest

from metrics.errors import CxError, ImportRefused
from metrics.ingest import workbooks
from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions
from metrics.store import open_store
from tests.support import snapshot

ALL = ImportOptions(max_rejected=100)  # some files reject rows on purpose

HEADER = "n° réponse;date de réponse;région;note;commentaire\n"


def _comments(store):
    with store.cursor() as cur:
        return cur.execute("SELECT response_id, length(comment) FROM ds_responses ORDER BY 1").fetchall()


@pytest.mark.parametrize("blank_line", ["", "\n"], ids=["plain", "with-blank-line"])
def test_a_field_of_200_kb_imports_whole(store, tmp_path, blank_line):
    # over Python csv's default 128 KiB field limit, under DuckDB's 10 MB line limit
    path = tmp_path / "long.csv"
    path.write_text(
        HEADER + "1;02/09/2026;Nord;9;" + "x" * 200_000 + f"\n{blank_line}2;02/09/2026;Nord;9;ok\n"
    )
    report = import_file(store, "responses", path, options=ALL)
    assert (report.rows_read, report.accepted) == (2, 2)
    assert _comments(store) == [("1", 200_000), ("2", 2)]


def test_a_row_of_20000_fields_is_one_rejected_line(store, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(HEADER + "1;02/09/2026;Nord;9" + ";x" * 20_000 + "\n2;02/09/2026;Nord;9;ok\n")
    report = import_file(store, "responses", path, options=ALL)
    assert (report.rows_read, report.accepted, report.rejected) == (2, 1, 1)
    # 4 fields before the run of 20,000 ";x": 20,004 fields where the header has 5
    assert report.problems[0].render("en") == "wide.csv, line 2: too many columns (5 expected, 20004 found)"


def test_a_line_over_10_mb_is_rejected_with_its_reason(store, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text(HEADER + "1;02/09/2026;Nord;9;" + "x" * 11_000_000 + "\n2;02/09/2026;Nord;9;ok\n")
    report = import_file(store, "responses", path, options=ALL)
    assert (report.rows_read, report.accepted, report.rejected) == (2, 1, 1)
    assert "Maximum line size of 10000000 bytes exceeded" in report.problems[0].render("en")


def _refused(store, path, message):
    before = snapshot(store)
    with pytest.raises(ImportRefused, match="^" + re.escape(message) + "$"):
        import_file(store, "responses", path, options=ALL)
    assert snapshot(store) == before


def test_a_nul_byte_after_the_first_8_kb_is_refused_naming_its_line(store, tmp_path):
    lines = "".join(f"{i};02/09/2026;Nord;9;un commentaire assez long pour remplir\n" for i in range(1, 400))
    path = tmp_path / "nul.csv"
    path.write_bytes((HEADER + lines + "400;02/09/2026;Nord;9;a\x00b\n").encode())
    assert len(HEADER + lines) > 8192
    _refused(
        store,
        path,
        "nul.csv, line 401: a NUL byte (code 0), which no text export holds; the file is damaged or not a "
        "text export: export it again",  # header + 399 lines, then the 401st
    )


def test_a_file_mixing_utf8_and_cp1252_lines_is_refused_naming_them(store, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        HEADER.encode("cp1252")
        + "1;02/09/2026;Nord;9;Très bien\n".encode("cp1252")
        + "2;02/09/2026;Nord;9;Très bien\n".encode()
        + "3;02/09/2026;Nord;9;Réglé\n".encode("cp1252")
    )
    _refused(
        store,
        path,
        "mixed.csv mixes two encodings: line 3 in UTF-8, line 1, 2, 4 in Windows-1252 (accents would come "
        'out as "Ã©"); save the whole file again in one encoding, CSV UTF-8',
    )


def test_a_mapped_column_whose_name_two_columns_share_is_refused_naming_both_and_the_pick(store, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("n° réponse;date de réponse;région;note;Note\n1;02/09/2026;Nord;9;3\n")
    _refused(
        store,
        path,
        'dup.csv: columns 4 ("note") and 5 ("Note") have the same name, so we cannot tell which one '
        "feeds score; pick one with --map score=#4 or --map score=#5",
    )


def test_utf16_without_bom_is_not_called_binary(store, tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes((HEADER + "1;02/09/2026;Nord;9;ok\n").encode("utf-16-le"))
    _refused(
        store,
        path,
        "unicode.txt: this is UTF-16 text without its byte-order mark, which cannot be told from binary "
        'safely; save it again from Excel as "CSV UTF-8 (comma delimited)"',
    )


def _workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Réponses"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


ROWS = [
    ["n° réponse", "date de réponse", "région", "note"],
    ["1", "02/09/2026", "Nord", 9],
    ["2", "03/09/2026", "Sud", 7],
]


def _rewrite_sheet(src, dst, change):
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(name, change(data) if name == "xl/worksheets/sheet1.xml" else data)
    return dst


def test_a_truncated_workbook_is_called_damaged_not_a_zip_to_unzip(store, tmp_path):
    whole = _workbook(tmp_path / "whole.xlsx", ROWS).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    _refused(
        store,
        path,
        "cut.xlsx: this Excel workbook is damaged or truncated (its end is missing); copy or download it "
        "again, or export it again from Excel",
    )


def test_a_formula_without_saved_result_is_named_by_its_cell(store, tmp_path):
    path = _workbook(
        tmp_path / "f.xlsx", [*ROWS, ["3", "04/09/2026", "Nord", "=4+5"]]
    )  # openpyxl saves no result
    _refused(
        store,
        path,
        "f.xlsx, sheet Réponses, cell D4: a formula whose result was never saved (the file was written by a "
        "program that does not compute formulas); open it in Excel or LibreOffice, save it, and import it "
        "again",
    )


def test_a_declared_dimension_of_16384_columns_is_ignored_for_the_real_extent(store, tmp_path):
    src = _workbook(tmp_path / "src.xlsx", ROWS)
    path = _rewrite_sheet(
        src,
        tmp_path / "bomb.xlsx",
        lambda x: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD3000"/>', x),
    )
    assert b"XFD3000" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    report = import_file(store, "responses", path, options=ALL)
    assert (report.rows_read, report.accepted) == (2, 2)


def test_a_cell_beyond_the_column_limit_is_refused(store, tmp_path):
    path = _workbook(tmp_path / "wide.xlsx", ROWS)
    book = openpyxl.load_workbook(path)
    book.active.cell(row=2, column=1001, value="x")
    book.save(path)
    _refused(
        store,
        path,
        "wide.xlsx: sheet Réponses uses 1,001 columns, more than 1,000; save the data in a smaller "
        "workbook or export it as CSV",
    )


def test_a_shared_strings_bomb_is_refused_before_loading(store, tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_SHARED_STRINGS", 1_000)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["n° réponse", "date de réponse", "région", "note"])
    for i in range(1_100):
        sheet.append([f"r{i}", "02/09/2026", f"région {i}", 9])
    # openpyxl writes inline strings; a shared-strings part like Excel's holds one <si> per distinct text
    book.save(tmp_path / "inline.xlsx")
    strings = b"<sst>" + b"".join(b"<si><t>t%d</t></si>" % i for i in range(1_001)) + b"</sst>"
    path = tmp_path / "strings.xlsx"
    with zipfile.ZipFile(tmp_path / "inline.xlsx") as old, zipfile.ZipFile(path, "w") as new:
        for name in old.namelist():
            new.writestr(name, old.read(name))
        new.writestr("xl/sharedStrings.xml", strings)
    _refused(
        store,
        path,
        "strings.xlsx: this workbook holds more than 1,000 distinct texts; save the data in a smaller "
        "workbook or export it as CSV",
    )


def test_a_workbook_that_takes_too_long_is_refused(store, tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_SECONDS", 0.0)
    rows = [ROWS[0]] + [[str(i), "02/09/2026", "Nord", 9] for i in range(3_000)]
    path = _workbook(tmp_path / "slow.xlsx", rows)
    _refused(
        store,
        path,
        "slow.xlsx: reading this workbook took more than 0 s; save the data in a smaller workbook or "
        "export it as CSV",
    )


def test_out_of_memory_while_importing_is_a_sentence_and_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "many.csv"
    path.write_text(HEADER + "".join(f"{i};02/09/2026;Nord;9;commentaire {i:06d}\n" for i in range(200_000)))
    store = open_store(tmp_path / "cx.duckdb")  # the schema itself needs more than 2 MB to checkpoint
    monkeypatch.setenv("CX_MEMORY_LIMIT", "2MB")  # the import reopens the file under this cap
    before = snapshot(store)
    with pytest.raises(
        CxError,
        match=r"^DuckDB ran out of memory working on .*cx\.duckdb \(cap 2MB, set by "
        r"CX_MEMORY_LIMIT\): Out of Memory Error: .*; nothing was changed; raise CX_MEMORY_LIMIT",
    ):
        import_file(store, "responses", path, options=ALL)
    assert snapshot(store) == before
    store.close()


def test_an_excel_serial_with_a_time_keeps_its_day(store, tmp_path):
    # serial 46266 = 30/12/1899 + 46,266 days = 01/09/2026; .5 is noon, .75 is 18:00, .99 is 23:45:36
    path = tmp_path / "serials.csv"
    path.write_text(
        HEADER + "1;46266.5;Nord;9;a\n2;46266.75;Nord;9;b\n3;46266;Nord;9;c\n4;46266.99;Nord;9;d\n"
    )
    import_file(store, "responses", path, options=ALL)
    with store.cursor() as cur:
        got = cur.execute(
            "SELECT response_id, strftime(responded_at, '%d/%m/%Y %H:%M:%S') FROM ds_responses ORDER BY 1"
        ).fetchall()
    assert got == [
        ("1", "01/09/2026 12:00:00"),
        ("2", "01/09/2026 18:00:00"),
        ("3", "01/09/2026 00:00:00"),
        ("4", "01/09/2026 23:45:36"),
    ]
