"""One catalogue for the CLI and the pages: both languages, plural forms, fixes worded per surface."""

from __future__ import annotations

import pytest

from metrics import catalogue
from metrics.errors import AlreadyImported, MissingColumns, NoSuchImport, UnknownMetric


@pytest.mark.parametrize(
    ("lang", "rows", "expected"),
    [
        (
            "fr",
            0,
            "Import n° 3 annulé : 0 ligne retirée, les lignes remplacées rétablies.",
        ),  # French: 0 is singular
        ("fr", 1, "Import n° 3 annulé : 1 ligne retirée, les lignes remplacées rétablies."),
        ("fr", 2, "Import n° 3 annulé : 2 lignes retirées, les lignes remplacées rétablies."),
        ("en", 0, "Import no. 3 rolled back: 0 rows removed, the rows it replaced restored."),
        ("en", 1, "Import no. 3 rolled back: 1 row removed, the rows it replaced restored."),
    ],
)
def test_plural_forms_follow_each_languages_rules(lang, rows, expected):
    assert catalogue.text("import.rolled_back", lang, id=3, rows=rows) == expected


def test_every_ending_is_for_a_known_surface():
    endings = [key.partition("@") for key in catalogue.ids() if "@" in key]
    assert endings
    assert {surface for _, _, surface in endings} <= set(catalogue.SURFACES)


def test_already_imported_names_the_cli_command_only_on_the_cli():
    err = AlreadyImported(file="r.csv", dataset="responses", import_id=4, when="02/09/2025 10:00")
    assert str(err) == (
        "r.csv was already imported into responses as import 4 on 02/09/2025 10:00; roll that import back "
        "first (python -m metrics rollback 4) to import the same file again"
    )
    assert err.render("fr", "page") == (
        "r.csv a déjà été importé dans responses (import 4 du 02/09/2025 10:00) ; annulez d'abord "
        "l'import n° 4 dans l'historique ci-dessous pour réimporter le même fichier"
    )
    assert err.import_id == 4
    assert err.exit_code == 1


def test_no_such_import_is_misuse_and_the_page_does_not_name_the_cli():
    err = NoSuchImport(7)
    assert err.exit_code == 2
    assert err.render("en", "page") == "there is no import 7; the history below lists them"
    assert "python -m" not in err.render("fr", "page")


def test_missing_column_fix_is_a_flag_on_the_cli_and_the_mapping_on_the_page():
    err = MissingColumns(
        file="r.csv",
        dataset="responses",
        missing=["score"],
        found=["id", "notte"],
        fix="fix.map_match",
        match="notte",
    )
    assert str(err) == (
        'r.csv: responses needs a column "score"; found: id, notte. '
        'Did you mean "notte"? Use --map score=notte'
    )
    assert err.render("fr", "page") == (
        'r.csv : responses a besoin d\'une colonne "score" ; trouvé : id, notte. '
        "Vouliez-vous dire « notte » ? "
        "Choisissez la colonne du fichier qui alimente score dans la correspondance ci-dessus"
    )


def test_unknown_metric_carries_its_suggestions_as_fields():
    err = UnknownMetric("npz", ["nps"])
    assert (err.name, err.suggestions, err.exit_code) == ("npz", ("nps",), 2)
    assert str(err) == "unknown metric 'npz'; did you mean \"nps\"?"
    assert err.render("fr") == "indicateur inconnu « npz » ; vouliez-vous dire « nps » ?"


def test_no_code_matches_on_error_message_text():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    hits = [
        f"{p.relative_to(root)}:{n}"
        for folder in ("metrics", "dashboard")
        for p in (root / folder).rglob("*.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "in str(err" in line or "in str(e)" in line or '"already imported"' in line
    ]
    assert hits == []


def test_the_partial_import_warning_agrees_with_its_count_and_names_the_cli_command_only_there():
    fields = {"rows": 4, "share": "25\xa0%", "id": 9}
    assert catalogue.text("import.partial", "fr", rejected=1, **fields) == (
        "1 ligne sur 4 rejetée (25\xa0%) : import partiel."
    )
    assert catalogue.text("import.partial", "en", surface="cli", rejected=2, **fields) == (
        "2 of 4 rows rejected (25\xa0%): partial import. List them with: python -m metrics rejected 9"
    )
    assert "python" not in catalogue.text("import.partial", "fr", surface="page", rejected=2, **fields)
