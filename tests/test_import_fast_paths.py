"""The shortcuts the import takes for speed give the answers of the long way, on the cells they skip."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from metrics.ingest.history import rejected_rows
from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions
from metrics.ingest.pii import _CANDIDATE, CANDIDATE_MIN_BYTES

HEADER = "n° réponse;date de réponse;région;note;canal"
NBSP, NNBSP = "\u00a0", "\u202f"


def _write(tmp_path, text):
    path = tmp_path / "reponses.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_cells_padded_with_any_space_at_either_end_are_trimmed(store, tmp_path):
    # each cell carries a space, tab, no-break or narrow no-break space before or after it, one kind each
    src = _write(
        tmp_path,
        f"{HEADER}\n"
        f" r1;02/09/2025\t;{NBSP}Bretagne;9{NNBSP};Web\n"
        f"r2\t;{NNBSP}03/09/2025;Nord{NBSP};\t7; Boutique \n"
        f"{NBSP}r3{NNBSP};04/09/2025 ;\tEst;{NBSP}10{NBSP};web\n",
    )
    report = import_file(store, "responses", src)
    assert (report.accepted, report.rejected, report.skipped) == (3, 0, 0)
    with store.cursor() as cur:
        got = cur.execute(
            "SELECT response_id, responded_at, region, score, channel FROM ds_responses ORDER BY 1"
        ).fetchall()
    assert got == [
        ("r1", dt.datetime(2025, 9, 2), "Bretagne", 9, "web"),
        ("r2", dt.datetime(2025, 9, 3), "Nord", 7, "shop"),
        ("r3", dt.datetime(2025, 9, 4), "Est", 10, "web"),
    ]


def test_rows_of_spaces_and_no_break_spaces_are_skipped_as_empty(store, tmp_path):
    # line 3: nothing; line 4: spaces; line 5: no-break spaces, which DuckDB's trim removes too
    src = _write(
        tmp_path,
        f"{HEADER}\nr1;02/09/2025;Nord;9;Web\n;;;;\n  ; ;  ; ; \n"
        f"{NBSP};{NBSP};;{NBSP}{NBSP};\nr2;03/09/2025;Est;8;Web\n",
    )
    report = import_file(store, "responses", src)
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (5, 2, 0, 3)
    skipped = rejected_rows(store, report.import_id)
    assert skipped[["line", "reason"]].values.tolist() == [
        [3, "empty_row"],
        [4, "empty_row"],
        [5, "empty_row"],
    ]


def test_a_file_without_repeated_keys_has_no_duplicate_and_one_with_them_names_the_first_line(
    store, tmp_path
):
    # r1 on lines 2 and 4, r2 once: line 4 is the duplicate of line 2
    src = _write(
        tmp_path, f"{HEADER}\nr1;02/09/2025;Nord;9;Web\nr2;03/09/2025;Est;8;Web\nr1;04/09/2025;Est;7;Web\n"
    )
    report = import_file(store, "responses", src, options=ImportOptions(max_rejected=100.0))
    assert [(p.line, p.reason, p.detail) for p in report.problems] == [(4, "duplicate_in_file", "2")]
    unique = tmp_path / "uniques"
    unique.mkdir()
    report = import_file(store, "responses", _write(unique, f"{HEADER}\nr5;02/09/2025;Nord;9;Web\n"))
    assert (report.accepted, report.rejected, report.problems) == (1, 0, ())


@given(st.text(alphabet="0123456789 .-()@abXYZ", max_size=24))
def test_every_text_the_personal_data_test_finds_has_an_at_sign_or_enough_bytes(text):
    # the SQL prefilter sends to the regular expression only cells with an @ or at least 8 bytes
    if _CANDIDATE.search(text):
        assert "@" in text or len(text.encode("utf-8")) >= CANDIDATE_MIN_BYTES


def test_an_import_runs_under_a_lower_memory_cap_and_gives_the_database_its_own_back(store, tmp_path):
    # CX_MEMORY_LIMIT defaults to 4GB (3.7 GiB as DuckDB prints it); the import works under 1GB (953.6 MiB)
    seen = []

    def progress(label, _fraction):
        if label == "parse":
            with store._writer() as cur:
                seen.append(cur.execute("SELECT current_setting('memory_limit')").fetchone()[0])

    src = _write(tmp_path, f"{HEADER}\nr1;02/09/2025;Nord;9;Web\n")
    import_file(store, "responses", src, progress=progress)
    with store._writer() as cur:
        after = cur.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert (seen, after) == (["953.6 MiB"], "3.7 GiB")
