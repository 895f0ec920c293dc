"""Errors raised with a catalogue key: one sentence in `metrics/locale`, shown in the reader's language."""

from __future__ import annotations

import pytest

from metrics.errors import CxError, ImportRefused
from metrics.ingest.sources import readable


def test_an_error_raised_with_a_key_speaks_english_on_the_cli_and_french_on_a_page(tmp_path):
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportRefused) as caught:
        readable(empty)
    assert str(caught.value) == "vide.csv: the file is empty"
    assert caught.value.render("fr", "page") == "vide.csv : le fichier est vide"
    assert caught.value.key == "refused.empty_file"
    assert caught.value.fields == {"file": "vide.csv"}


def test_an_error_raised_with_a_sentence_keeps_it_in_every_language():
    err = CxError("Spark said: table not found")
    assert err.key is None
    assert err.render("fr", "page") == "Spark said: table not found"


def test_a_key_the_catalogue_lacks_fails_loudly_instead_of_showing_the_key():
    with pytest.raises(KeyError, match=r"refused\.nope"):
        ImportRefused("refused.nope", file="x.csv")
