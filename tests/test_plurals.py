"""Counts in sentences agree with their number, in French and English (each `.po`'s Plural-Forms)."""

from __future__ import annotations

import re

import pytest

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


def test_every_plural_message_has_every_form_its_language_declares_and_shows_its_count():
    for lang in catalogue.langs():
        po = catalogue.catalog(lang)
        for message in po:
            if not message.id or not message.pluralizable:
                continue
            key, count = message.id
            assert len(message.string) == po.num_plurals, (lang, key)
            assert all(message.string), (lang, key)
            assert count in message.string[-1], f"{lang} {key}: the plural form must show {count}"


# "{n} lignes", "{months} mois": a count followed by a word needs plural forms
COUNTED = re.compile(r"\{(n|months|rows|count|accepted|rejected|answers|teams|imports)\}\s+\w")


def test_no_sentence_puts_a_count_before_a_noun_without_plural_forms():
    offenders = [
        (lang, message.id)
        for lang in catalogue.langs()
        for message in catalogue.catalog(lang)
        if message.id and not message.pluralizable and COUNTED.search(message.string)
    ]
    assert offenders == []
