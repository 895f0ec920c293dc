"""Numbers typed on a page: read the way the reader's language writes them, or refused with a sentence."""

from __future__ import annotations

import pytest

from metrics.errors import NotANumber, OutOfRange
from metrics.reports.typed import metric_value, nearest_possible, parse_number
from metrics.semantic.definitions import metric


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("50,5", "fr", 50.5),
    ("50.5", "en", 50.5),
    ("50.5", "fr", 50.5),  # French never groups with a point: no doubt what it means
    (" 45,5 ", "fr", 45.5),
    ("1 234,5", "fr", 1234.5),  # a typed space, a no-break space or a narrow one groups thousands
    ("1\u00a0234,5", "fr", 1234.5),
    ("1\u202f234,5", "fr", 1234.5),
    ("1,234.5", "en", 1234.5),
    ("-3,2", "fr", -3.2),
    ("\u22123,2", "fr", -3.2),  # the minus sign of a copied figure
    ("", "fr", None),
    ("   ", "en", None),
])  # fmt: skip
def test_numbers_are_read_in_the_readers_language(text, lang, expected):
    assert parse_number(text, lang) == expected


@pytest.mark.parametrize(("text", "lang", "message"), [
    ("50,5", "en", "“50,5” is not a number: type it like 62.8"),  # 505 to a lenient reader
    ("12,3,4", "en", "“12,3,4” is not a number: type it like 62.8"),
    ("abc", "fr", "« abc » n'est pas un nombre : tapez par exemple 62,8"),
    ("1e3", "fr", "« 1e3 » n'est pas un nombre : tapez par exemple 62,8"),
    ("nan", "en", "“nan” is not a number: type it like 62.8"),
    ("45,5 %", "fr", "« 45,5 % » n'est pas un nombre : tapez par exemple 62,8"),
])  # fmt: skip
def test_garbage_is_refused_with_a_sentence(text, lang, message):
    with pytest.raises(NotANumber) as err:
        parse_number(text, lang)
    assert err.value.render(lang, "page") == message


@pytest.mark.parametrize(("key", "text", "message"), [
    ("nps", "100,5", "NPS ne peut pas valoir 100,5 ; valeurs possibles : de -100 à 100"),
    ("first_time_fix_rate", "100,3", "Résolution dès la 1re visite ne peut pas valoir 100,3\xa0% ; "
     "valeurs possibles : de 0\xa0% à 100\xa0%"),
    ("complaints_per_1000_customers", "-2,31", "Réclamations pour 1 000 clients ne peut pas valoir "
     "-2,31\u202f‰ ; valeurs possibles : 0\u202f‰ ou plus"),
])  # fmt: skip
def test_values_a_metric_cannot_take_are_refused_with_its_range(key, text, message):
    with pytest.raises(OutOfRange) as err:
        metric_value(metric(key), text, "fr")
    assert err.value.render("fr", "page") == message


def test_the_edges_of_the_range_are_values_like_any_other():
    assert metric_value(metric("nps"), "-100", "fr") == -100.0
    assert metric_value(metric("first_time_fix_rate"), "100", "fr") == 100.0
    assert metric_value(metric("contacts_per_agent_day"), "45,5", "fr") == 45.5


def test_a_default_beyond_the_range_starts_at_its_edge():
    assert nearest_possible(metric("first_time_fix_rate"), 100.3) == 100.0
    assert nearest_possible(metric("complaints_per_1000_customers"), -2.31) == 0.0
    assert nearest_possible(metric("nps"), 59.5) == 59.5
