"""The Data page imports every sample file, and an .xlsx of every dataset's sample, in French and English.

Each case uploads the file, picks its dataset, imports it, and checks the report's counts and the
rows in the page's own DuckDB file against counts taken from the file here, never from the import.
A dataset declared without a sample file fails `test_every_declared_dataset_has_a_sample_file`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.contracts.datasets import DATASETS, dataset
from metrics.ingest.importing import import_file
from metrics.ingest.inspection import PREVIEW_ROWS
from metrics.store import open_store
from tests.empty_db import empty_db

PAGE = "../dashboard/pages/data.py"
SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SAMPLE_FILES = sorted(p.name for p in SAMPLES.glob("*.csv"))
DATASET_OF = {"responses_with_errors.csv": "responses"}  # every other sample is named after its dataset
# responses_with_errors.csv, read by hand: E002 scores 11 (outside 0-10), E003 is dated 31/02/2026;
# E001, E004 and E005 are good -> 5 read, 3 accepted, 2 rejected (40 %, above the 10 % default)
REJECTED = {"responses_with_errors.csv": 2}
COUNTS = ("rows_read", "accepted", "updated", "rejected", "skipped")
LABELS = {
    "fr": ("Lignes lues", "Acceptées", "dont lignes existantes remplacées", "Rejetées", "Ignorées"),
    "en": ("Rows read", "Accepted", "of which replaced existing rows", "Rejected", "Skipped"),
}
REPORT_HEADING = {
    "fr": re.compile(r"Compte rendu de l'import n° (\d+)"),
    "en": re.compile(r"Report of import no\. (\d+)"),
}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DAY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_DECIMAL = re.compile(r"^-?\d+,\d+$")


def _rows(name: str) -> list[list[str]]:
    """The sample's header and records, decoded the way a spreadsheet would open it."""
    raw = (SAMPLES / name).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _data_lines(name: str) -> int:
    """Records under the header: what the report must call rows read."""
    return sum(1 for row in _rows(name)[1:] if any(cell.strip() for cell in row))


def _cell(text: str) -> object:
    """A CSV cell as Excel would hold it: whole numbers, decimal-comma numbers and dd/mm/yyyy dates typed."""
    if text.isdigit() and not text.startswith("0"):
        return int(text)
    if _DECIMAL.match(text):
        return float(text.replace(",", "."))
    day = _DAY.match(text)
    if day:
        return dt.datetime(int(day.group(3)), int(day.group(2)), int(day.group(1)))
    return text


def _xlsx(name: str, folder: Path) -> bytes:
    """The sample CSV saved as a one-sheet workbook with typed cells, as someone would from Excel."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    rows = _rows(name)
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([_cell(c) for c in row])
    path = folder / (Path(name).stem + ".xlsx")
    book.save(path)
    return path.read_bytes()


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    path = empty_db(tmp_path / "page.duckdb")
    monkeypatch.setenv("CX_DB", str(path))
    return path


def _stored_rows(path: Path, dataset_key: str) -> dict[int, int]:
    """Rows of the dataset's table by the import that stored them, read from the page's DuckDB file."""
    store = open_store(path)
    try:
        with store.cursor() as cur:
            sql = f"SELECT _import_id, count(*) FROM {dataset(dataset_key).table} GROUP BY 1"
            return dict(cur.execute(sql).fetchall())
    finally:
        store.close()


def _import_on_page(db, lang, file_name, content, mime, dataset_key, sample):
    headers, lines, rejected = _rows(sample)[0], _data_lines(sample), REJECTED.get(sample, 0)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    at.file_uploader(key="data_upload").set_value((file_name, content, mime)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="data_dataset").value == dataset_key  # the sample is recognised
    preview = next(d.value for d in at.dataframe if list(d.value.columns) == headers)
    assert len(preview) == min(lines, PREVIEW_ROWS)  # the file's first rows, before anything is imported
    if rejected:
        at.number_input(key="data_max_rejected").set_value(100.0).run()
    at.button(key="data_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    counts = {m.label: m.value for m in at.metric}
    accepted = lines - rejected
    assert counts == dict(zip(LABELS[lang], map(str, (lines, accepted, 0, rejected, 0)), strict=True))
    heading = REPORT_HEADING[lang].fullmatch(at.subheader[0].value)
    assert heading, at.subheader[0].value
    import_id = int(heading.group(1))
    assert _stored_rows(db, dataset_key) == {import_id: accepted}  # the table was empty before
    rollback = next(s for s in at.selectbox if (s.key or "").startswith("data_rollback_id"))
    assert rollback.value == import_id  # the roll-back is still there, on the import just made


def test_every_declared_dataset_has_a_sample_file():
    assert set(DATASETS) <= {DATASET_OF.get(n, Path(n).stem) for n in SAMPLE_FILES}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_sample_csv_imports_on_the_data_page(page_db, name, lang):
    key = DATASET_OF.get(name, Path(name).stem)
    content = (SAMPLES / name).read_bytes()
    _import_on_page(page_db, lang, name, content, "text/csv", key, name)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("key", sorted(DATASETS))
def test_every_dataset_imports_from_an_xlsx_of_its_sample_on_the_data_page(page_db, tmp_path, key, lang):
    name = f"{key}.csv"
    content = _xlsx(name, tmp_path)
    _import_on_page(page_db, lang, f"{key}.xlsx", content, XLSX_MIME, key, name)


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_dataset_choice_for_every_sample_shows_text_and_never_a_traceback(page_db, name):
    # each choice of the dataset list is a path: a file imported into the wrong dataset is refused as
    # text (an error box or the refusal summary), never with an exception element
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.file_uploader(key="data_upload").set_value((name, (SAMPLES / name).read_bytes(), "text/csv")).run()
    for key in DATASETS:
        at.selectbox(key="data_dataset").set_value(key).run()
        assert not at.exception, (key, [e.value for e in at.exception])
        button = [b for b in at.button if b.key == "data_import"]
        if button and not button[0].disabled:
            button[0].click().run()
            assert not at.exception, (key, [e.value for e in at.exception])
            assert at.metric or at.error, key  # a report, or a sentence saying why not


@pytest.fixture
def samples_db(tmp_path, monkeypatch):
    """The workload and events samples imported (the CLI's way), as the page's database."""
    path = empty_db(tmp_path / "samples.duckdb")
    store = open_store(path)
    try:
        for key in ("workload", "events"):
            import_file(store, key, SAMPLES / f"{key}.csv")
    finally:
        store.close()
    monkeypatch.setenv("CX_DB", str(path))
    return path


def test_a_workload_file_bringing_existing_days_again_names_them_and_waits_for_a_confirmation(samples_db):
    # the sample again with one figure changed (so not the same file): its 60 keys, days 1-10 September
    # x 3 sites x 2 teams, all exist; the first 10 in order are 6 of the 1st and 4 of the 2nd
    content = (SAMPLES / "workload.csv").read_bytes().replace(b";12;504;", b";13;504;", 1)
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.file_uploader(key="data_upload").set_value(("charge.csv", content, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    keys = [f"2026-09-01 · {s} · Équipe {t}" for s in ("BRE-CC", "LIL-CC", "RAB-CC") for t in "AB"]
    keys += [f"2026-09-02 · {s} · Équipe {t}" for s in ("BRE-CC", "LIL-CC") for t in "AB"]
    assert (
        "⚠ L'import mettra à jour 60 lignes existantes de « Charge de travail des équipes » : "
        + ", ".join(keys)
        + " …"
    ) in [x.value for x in at.text]
    assert at.button(key="data_import").disabled
    at.checkbox(key="data_confirm_workload").check().run()
    at.button(key="data_import").click().run()
    counts = {m.label: m.value for m in at.metric}
    assert (counts["Acceptées"], counts["dont lignes existantes remplacées"]) == ("60", "60")


# an English export: "08/01/2026" reads 1 August (dd/mm) or 8 January (mm/dd), and no day above 12 says which
US_EVENT = b"date,label,region\r\n08/01/2026,R\xc3\xa9organisation des plateaux Nord,Nord\r\n"


def test_the_date_order_chosen_on_the_page_decides_which_existing_event_the_file_would_replace(samples_db):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.file_uploader(key="data_upload").set_value(("events.csv", US_EVENT, "text/csv")).run()
    at.selectbox(key="data_dataset").set_value("events").run()
    assert not at.exception, [e.value for e in at.exception]
    warned = [x.value for x in at.text if x.value.startswith("⚠ L'import mettra à jour")]
    assert warned == []  # the order is unknown yet: the import itself will refuse and say why
    at.selectbox(key="data_date_order").set_value("mdy").run()
    warned = [x.value for x in at.text if x.value.startswith("⚠ L'import mettra à jour")]
    # mm/dd: 1 August 2026, the sample's "01/08/2026" (dd/mm) event of the Nord region
    assert warned == [
        "⚠ L'import mettra à jour 1 ligne existante de « Événements » : "
        "2026-08-01 · Réorganisation des plateaux Nord · Nord"
    ]
    at.selectbox(key="data_date_order").set_value("dmy").run()
    assert not [x.value for x in at.text if x.value.startswith("⚠ L'import mettra à jour")]  # 8 January
