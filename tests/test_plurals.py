"""Counts in sentences agree with their number, in French and English (CLDR rules through babel)."""

from __future__ import annotations

import re

import pytest

from dashboard.messages import MESSAGES
from metrics import catalogue


@pytest.mark.parametrize(
    ("key", "lang", "values", "expected"),
    [
        # French counts 0 and 1 in the singular, English only 1
        ("traj.required", "fr", {"target": "40", "months": 1, "required": "62,8"},
         "Objectif 40 : le mois restant doit faire en moyenne 62,8."),
        ("traj.required", "fr", {"target": "40", "months": 3, "required": "59,5"},
         "Objectif 40 : les 3 mois restants doivent faire en moyenne 59,5."),
        ("traj.required", "en", {"target": "40", "months": 1, "required": "62.8"},
         "Target 40: the remaining month must average 62.8."),
        ("traj.required", "en", {"target": "40", "months": 3, "required": "59.5"},
         "Target 40: the remaining 3 months must average 59.5."),
        ("whatif.result_no_target", "fr", {"months": 1, "rest": "50,0", "end": "34,9"},
         "Si le mois restant fait 50,0, l'année finit à 34,9."),
        ("count.rejected_rows_deleted", "en", {"n": 1}, "1 rejected row deleted"),
        ("count.rejected_rows_deleted", "en", {"n": 0}, "0 rejected rows deleted"),
        ("count.rejected_rows_deleted", "fr", {"n": 0}, "0 ligne rejetée supprimée"),
        ("count.rejected_rows_deleted", "fr", {"n": 2}, "2 lignes rejetées supprimées"),
        # a count the page formatted already ("1 234" with a narrow no-break space) still picks the plural
        ("verbatims.found", "fr", {"n": "1\u202f234"}, "1\u202f234 réponses contiennent ces mots."),
        ("verbatims.found", "en", {"n": "1"}, "1 answer contains these words."),
        ("workload.over", "en", {"threshold": "45.5", "n": 1}, "Above the threshold 45.5: 1 row."),
        ("targets.change_kept", "fr", {"n": 1},
         "1 ligne retirée du tableau reste en vigueur (annulez l'import depuis la page Données)."),
    ],
)
def test_the_count_picks_the_form(key, lang, values, expected):
    assert catalogue.text(key, lang, **values) == expected


def test_every_plural_entry_has_both_forms_in_both_languages():
    for key, entry in catalogue.CATALOGUE.items():
        for lang in ("fr", "en"):
            template = entry.template(lang)
            if not isinstance(template, str):
                assert entry.count, f"{key}: plural forms without a count field"
                assert set(template) >= {"one", "other"}, key
                assert f"{{{entry.count}}}" in template["other"], key


# "{n} lignes", "{months} mois": a count followed by a word needs plural forms, so it lives in the catalogue
COUNTED = re.compile(r"\{(n|months|rows|count|accepted|rejected|answers|teams|imports)\}\s+\w")


def test_no_page_sentence_puts_a_count_before_a_noun_without_plural_forms():
    offenders = [key for key, entry in MESSAGES.items() for text in entry.values() if COUNTED.search(text)]
    assert offenders == []
