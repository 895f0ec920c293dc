"""A quote never closed swallows the records after it: each is counted, and the message names the span."""

from __future__ import annotations

import pytest

from metrics.errors import ImportRefused
from metrics.ingest.history import rejected_rows
from metrics.ingest.importing import import_file
from metrics.ingest.options import ImportOptions
from tests.support import snapshot

HEADER = "n° réponse;date de réponse;région;note;commentaire\r\n"
GOOD = "1;02/09/2026;Nord;9;bien\r\n"
OPEN = '2;03/09/2026;Nord;8;"jamais fermé\r\n'
AFTER = "3;04/09/2026;Nord;7;ok\r\n4;05/09/2026;Nord;6;ok\r\n"
SPAN = "a quote opened on line 3 is never closed, so lines {span} (3 records) were read as one and rejected"


@pytest.mark.parametrize(
    ("body", "span"),
    [
        (GOOD + OPEN + AFTER, "3–5"),
        # a blank line inside the span is read but is no record (DuckDB drops blank lines)
        (GOOD + OPEN + "3;04/09/2026;Nord;7;ok\r\n\r\n4;05/09/2026;Nord;6;ok\r\n", "3–6"),
    ],
    ids=["plain", "with-blank-line"],
)
def test_an_unterminated_quote_rejects_each_swallowed_record_naming_the_span(store, tmp_path, body, span):
    path = tmp_path / "guillemet.csv"
    path.write_bytes((HEADER + body).encode("utf-8"))
    report = import_file(store, "responses", path, options=ImportOptions(max_rejected=100))
    # 4 records: line 2 accepted; lines 3, 4 and the last one read as one record, all rejected
    assert (report.rows_read, report.accepted, report.rejected, report.skipped) == (4, 1, 3, 0)
    last = int(span[-1])
    expected = f"{SPAN.format(span=span)}; close or remove that quote, then import those lines again"
    assert [p.render() for p in report.problems] == [
        f"guillemet.csv, line {n}: {expected}" for n in (3, 4, last)
    ]
    stored = rejected_rows(store, report.import_id)
    assert stored["line"].tolist() == [3, 4, last]
    assert set(stored["reason"]) == {"unterminated_quote"}
    assert stored["raw"].tolist() == [OPEN.strip(), "3;04/09/2026;Nord;7;ok", "4;05/09/2026;Nord;6;ok"]


def test_an_unterminated_quote_over_the_limit_is_refused_counting_every_swallowed_record(store, tmp_path):
    path = tmp_path / "guillemet.csv"
    path.write_bytes((HEADER + GOOD + OPEN + AFTER).encode("utf-8"))
    before = snapshot(store)
    with pytest.raises(ImportRefused) as refused:
        import_file(store, "responses", path)
    # 3 of 4 records rejected: 75 %
    assert str(refused.value) == (
        "guillemet.csv: 3 of 4 rows would be rejected (75 %, above --max-rejected 10 %); nothing was "
        f"imported. Commonest reasons:\n  3 x line 3: {SPAN.format(span='3–5')}; close or remove that "
        "quote, then import those lines again\n"
        "Fix: close the quote where it opens (or remove it) and import the file again"
    )
    assert snapshot(store) == before


def test_a_quote_left_open_on_the_last_line_keeps_the_reader_message(store, tmp_path):
    path = tmp_path / "fin.csv"
    path.write_bytes((HEADER + GOOD + '2;03/09/2026;Nord;8;"jamais fermé\r\n').encode("utf-8"))
    report = import_file(store, "responses", path, options=ImportOptions(max_rejected=100))
    assert (report.rows_read, report.accepted, report.rejected) == (2, 1, 1)
    assert [p.render() for p in report.problems] == [
        "fin.csv, line 3: unreadable line (Value with unterminated quote found.)"
    ]
