"""Themes of the verbatims: matching, shares, NPS with and without, Holm-corrected test, impact, examples."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics.errors import CxError
from metrics.ingest.importing import import_file
from metrics.insights.themes import load_themes, mentions_all, tag
from metrics.insights.verbatims import (
    comment_counts,
    examples,
    monthly_shares,
    search,
    tagged,
    themes_report,
)

THEMES = load_themes()


@pytest.mark.parametrize(
    "text",
    ["Trop d'attente", "J'ai attendu une heure", "Il faut attendre des jours", "On attend encore", "ATTENTE"],
)
def test_waiting_theme_matches_attente_attendu_attendre_attend(text):
    assert "waiting" in tag(text, THEMES)


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Facturé deux fois", "billing"),
        ("FACTURATION incomprehensible", "billing"),  # accents and case ignored
        ("Réseau absent", "network"),
        ("reseau absent", "network"),
        ("Waited 45 minutes on hold", "waiting"),
        ("I was billed twice", "billing"),
        ("Crédit envoyé via mobile money", "mobile_money"),  # two words that follow each other
        ("Boutique bondée", "shop"),
    ],
)
def test_themes_match_across_accents_case_stems_and_languages(text, theme):
    assert theme in tag(text, THEMES)


def test_a_short_keyword_matches_only_its_own_stem():
    # "cher" (price) is not a prefix keyword: "chercher" (to look for) is not about price
    assert "price" not in tag("Je dois chercher une solution", THEMES)
    assert tag(None, THEMES) == frozenset()
    assert tag("", THEMES) == frozenset()


def test_a_malformed_dictionary_names_the_file_and_the_theme(tmp_path):
    bad = tmp_path / "themes.toml"
    bad.write_text('[attente]\nlabel = { fr = "Attente" }\nfr = ["attente"]\n', encoding="utf-8")
    with pytest.raises(CxError, match=r'themes.toml, theme "attente": needs label'):
        load_themes(bad)


def test_a_custom_dictionary_from_cx_themes(tmp_path, monkeypatch):
    own = tmp_path / "mine.toml"
    own.write_text('[roaming]\nlabel = { fr = "Itinérance", en = "Roaming" }\nen = ["roaming"]\n', "utf-8")
    monkeypatch.setenv("CX_THEMES", str(own))
    themes = load_themes()
    assert [t.key for t in themes] == ["roaming"]
    assert tag("Roaming charges abroad", themes) == frozenset({"roaming"})


ANSWERS = [
    # (count, score, comment), all in Nord in January 2026
    (10, 2, "Trop d'attente au téléphone"),  # waiting, detractors
    (5, 10, "J'ai attendu une semaine mais bien reçu"),  # waiting, promoters
    (5, 0, "Prix trop cher"),  # price, detractors
    (10, 9, "Très bien"),  # no theme, promoters
    (10, 8, ""),  # no comment, passives
]


def write_themed(src):
    lines = ["n° réponse;date de réponse;région;note;commentaire"]
    i = 0
    for count, score, comment in ANSWERS:
        for _ in range(count):
            i += 1
            lines.append(f"R{i};{10 + i % 10:02d}/01/2026;Nord;{score};{comment}")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


@pytest.fixture
def themed(store, tmp_path):
    import_file(store, "responses", write_themed(tmp_path / "reponses.csv"))
    return store


def test_theme_table_matches_the_hand_count(themed):
    got = themes_report(themed, lang="en").set_index("theme")
    # answers 40, with a comment 30
    # waiting: 15 mentions (10 detractors, 5 promoters): share 15/30 = 0.5, NPS (5 - 10)/15 = -33.3;
    #   without (price + "très bien"): 15 answers, 10 promoters, 5 detractors: (10 - 5)/15 = +33.3;
    #   impact: 10 detractors turned passive on 40 answers = 100 * 10 / 40 = 25.0 points
    # price: 5 mentions, all detractors: share 5/30 = 0.1667, NPS -100; without: 25 answers,
    #   15 promoters, 10 detractors = +20.0; impact 100 * 5 / 40 = 12.5
    assert got.loc["waiting", "share"] == pytest.approx(0.5)
    assert got.loc["waiting", "nps_with"] == pytest.approx(-33.333, abs=1e-3)
    assert got.loc["waiting", "nps_without"] == pytest.approx(33.333, abs=1e-3)
    assert got.loc["waiting", "mentions"] == 15
    assert got.loc["waiting", "n_without"] == 15
    assert got.loc["waiting", "impact"] == pytest.approx(25.0)
    assert got.loc["price", "share"] == pytest.approx(5 / 30)
    assert got.loc["price", "nps_with"] == pytest.approx(-100.0)
    assert got.loc["price", "nps_without"] == pytest.approx(20.0)
    assert got.loc["price", "impact"] == pytest.approx(12.5)
    assert got.loc["price", "label"] == "Price"
    assert list(got.index[:2]) == ["waiting", "price"]  # ranked by impact
    assert got.loc["network", "impact"] == 0.0
    assert got.loc["network", "mentions"] == 0


def test_theme_gaps_are_called_significant_only_after_the_holm_correction(themed):
    got = themes_report(themed).set_index("theme")
    # the test pools both sides' shares (no difference assumed): 15 promoters and 15 detractors of 30
    # in both cases, so var = 0.5 + 0.5 - 0^2 = 1
    # waiting: se = sqrt(1/15 + 1/15) = 0.3651, z = 0.6667 / 0.3651 = 1.826, p = 0.0679
    # price: se = sqrt(1/5 + 1/25) = 0.4899, z = 1.2 / 0.4899 = 2.449, p = 0.0143
    # Holm over the two tests: price 2 x 0.0143 = 0.0286 (significant), waiting max(0.0286, 0.0679)
    assert got.loc["waiting", "p_value"] == pytest.approx(0.0679, abs=5e-4)
    assert got.loc["price", "p_value"] == pytest.approx(0.0143, abs=5e-4)
    assert got.loc["price", "p_holm"] == pytest.approx(0.0286, abs=1e-3)
    assert got.loc["waiting", "p_holm"] == pytest.approx(0.0679, abs=5e-4)
    assert not got.loc["waiting", "significant"]
    assert got.loc["price", "significant"]
    # only themes with answers on both sides are tests: two p-values, Holm multiplies the smaller by 2
    assert got["p_holm"].notna().sum() == 2


def test_examples_only_for_themes_with_ten_answers_shown_most_frequent_first(themed):
    frame = tagged(comment_counts(themed), THEMES)
    assert examples(frame, "waiting") == [
        "Trop d'attente au téléphone",
        "J'ai attendu une semaine mais bien reçu",
    ]
    assert examples(frame, "price") == []  # 5 answers < 10


def test_search_finds_every_word_in_any_form_and_hides_small_results(themed):
    frame = comment_counts(themed)
    # the query stem must start a comment stem: "attend" finds "attendu" (attendu), not "attente" (attent)
    total, found = search(frame, "ATTEND")
    assert total == 5
    assert found.empty
    count, hits = search(frame, "attendu semaine")
    assert count == 5
    assert hits.empty  # 5 answers < 10: not shown
    count, hits = search(frame, "téléphone attente")
    assert count == 10
    assert list(hits["comment"]) == ["Trop d'attente au téléphone"]
    assert mentions_all("Trop d'attente au téléphone", "telephone") is True


def test_monthly_shares_per_theme():
    # January: 4 commented answers, 1 about price; February: 2 commented, both about price
    frame = pd.DataFrame(
        {
            "comment": ["prix", "ok", None, "prix"],
            "period": [dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)],
            "promoters": [0, 3, 0, 0],
            "detractors": [1, 0, 0, 2],
            "n": [1, 3, 5, 2],
        }
    )
    got = monthly_shares(tagged(frame, THEMES), THEMES)
    price = got[got["theme"] == "price"].set_index("period")
    assert price["share"].to_dict() == {dt.date(2026, 1, 1): 0.25, dt.date(2026, 2, 1): 1.0}
    assert price["comments"].to_dict() == {dt.date(2026, 1, 1): 4, dt.date(2026, 2, 1): 2}


def test_themes_by_region_needs_a_declared_dimension(themed):
    with pytest.raises(CxError, match=r"comments cannot be split by 'regoin'; did you mean \"region\"\?"):
        themes_report(themed, by="regoin")
    got = themes_report(themed, by="region")
    assert set(got["region"]) == {"Nord"}
