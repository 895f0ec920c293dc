"""Themes of the verbatims: matching, shares, NPS with and without, Holm-corrected test, impact, examples."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from metrics.errors import CxError
from metrics.ingest.importing import import_file
from metrics.insights.themes import load_themes, mentions_all, tag
from metrics.insights.verbatims import (
    comment_counts,
    examples,
    impact_budget,
    monthly_shares,
    search,
    tagged,
    theme_table,
    themes_report,
)
from metrics.stats import wilson_interval

sm_proportion = pytest.importorskip("statsmodels.stats.proportion")

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
    (5, 10, "Bon prix, merci"),  # price (in praise), promoters
    (5, 9, "Très bien"),  # no theme, promoters
    (10, 8, ""),  # no comment, passives
]


def write_themed(src, answers=ANSWERS):
    """`answers` as a responses file: (count, score, comment[, region]), region Nord by default."""
    lines = ["n° réponse;date de réponse;région;note;commentaire"]
    i = 0
    for count, score, comment, *region in answers:
        where = region[0] if region else "Nord"
        for _ in range(count):
            i += 1
            lines.append(f"R{i};{10 + i % 10:02d}/01/2026;{where};{score};{comment}")
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
    # price: 10 mentions (5 detractors, 5 promoters): share 10/30, NPS 0; without: 20 answers,
    #   10 promoters, 10 detractors = 0; impact 100 * 5 / 40 = 12.5
    # the other themes are named by no answer: under the floor of 10, not shown
    assert got.loc["waiting", "share"] == pytest.approx(0.5)
    assert got.loc["waiting", "nps_with"] == pytest.approx(-33.333, abs=1e-3)
    assert got.loc["waiting", "nps_without"] == pytest.approx(33.333, abs=1e-3)
    assert got.loc["waiting", "mentions"] == 15
    assert got.loc["waiting", "n_without"] == 15
    assert got.loc["waiting", "impact"] == pytest.approx(25.0)
    assert got.loc["price", "share"] == pytest.approx(10 / 30)
    assert got.loc["price", "nps_with"] == pytest.approx(0.0)
    assert got.loc["price", "nps_without"] == pytest.approx(0.0)
    assert got.loc["price", "impact"] == pytest.approx(12.5)
    assert got.loc["price", "label"] == "Price"
    assert list(got.index) == ["waiting", "price"]  # ranked by impact, the rest hidden
    # the 15 commented detractors are all shared out: 25 + 12.5 = 37.5 = 100 * 15 / 40
    assert got["points_available"].tolist() == [37.5, 37.5]


def test_theme_gaps_are_called_significant_only_after_the_holm_correction(themed):
    got = themes_report(themed).set_index("theme")
    # waiting: 5 promoters and 10 detractors of 15 against 10 and 5 of 15; pooled 15 and 15 of 30,
    # var = 0.5 + 0.5 - 0^2 = 1, se = sqrt(1/15 + 1/15) = 0.3651, z = 0.6667 / 0.3651 = 1.826, p = 0.0679
    # price: 0 against 0, p = 1; Holm over the two: waiting 2 x 0.0679 = 0.1357, price max(0.1357, 1) = 1
    assert got.loc["waiting", "p_value"] == pytest.approx(0.0679, abs=5e-4)
    assert got.loc["price", "p_value"] == pytest.approx(1.0)
    assert got.loc["waiting", "p_holm"] == pytest.approx(0.1357, abs=1e-3)
    assert got.loc["price", "p_holm"] == pytest.approx(1.0)
    assert not got["significant"].any()


# each region alone: waiting 0 promoters and 3 detractors of 10, against 1 promoter of 10 without it
SPLIT = [
    (count, score, comment, region)
    for region in ("Nord", "Sud")
    for count, score, comment in ((3, 2, "Trop d'attente"), (7, 8, "Attente correcte"), (1, 10, "Très bien"),
                                  (9, 8, "Correct"))
]  # fmt: skip


def test_holm_runs_over_the_whole_split_table_not_inside_each_group(store, tmp_path):
    import_file(store, "responses", write_themed(tmp_path / "split.csv", SPLIT))
    got = themes_report(store, by="region").set_index(["region", "theme"])
    # pooled 1 promoter, 3 detractors of 20: var = 0.05 + 0.15 - 0.10^2 = 0.19,
    # se = sqrt(0.19 x (1/10 + 1/10)) = 0.19494, gap -0.3 - 0.1 = -0.4, z = -2.052, p = 0.0402 per region:
    # significant inside one region (Holm over 1 test), not over the whole table (2 tests: 0.0803)
    p_one = 2 * sps.norm.sf(0.4 / math.sqrt(0.19 * 0.2))
    assert p_one == pytest.approx(0.0402, abs=1e-4)
    for region in ("Nord", "Sud"):
        assert got.loc[(region, "waiting"), "p_value"] == pytest.approx(p_one)
        assert got.loc[(region, "waiting"), "p_holm"] == pytest.approx(2 * p_one)
        assert not got.loc[(region, "waiting"), "significant"]
    assert len(got) == 2  # every other theme is under the floor in both regions


def test_themes_named_by_fewer_answers_than_the_floor_are_hidden():
    # price named by 9 answers (< 10): hidden with its test and its impact; waiting by 10: shown
    frame = pd.DataFrame(
        {
            "comment": ["prix trop cher", "trop d'attente", "ok"],
            "period": [dt.date(2026, 1, 1)] * 3,
            "promoters": [0, 0, 5],
            "detractors": [9, 10, 0],
            "n": [9, 10, 5],
        }
    )
    got = theme_table(tagged(frame, THEMES), THEMES)
    assert list(got["theme"]) == ["waiting"]
    assert got["mentions"].tolist() == [10]


# detractors who praise the advisor while complaining about the network, and who complain about two things
SHARED = [
    (10, 0, "Conseiller très aimable, mais le réseau coupe sans arrêt"),  # advisor praised, network not
    (10, 1, "Trop d'attente et prix trop cher"),  # two complaints: half a detractor each
    (10, 10, "Conseiller aimable"),  # promoters
    (10, 8, ""),  # no comment
]


def test_impact_counts_complaints_not_praise_and_shares_each_detractor_out(store, tmp_path):
    import_file(store, "responses", write_themed(tmp_path / "shared.csv", SHARED))
    got = themes_report(store).set_index("theme")
    # 40 answers; each detractor weighs 100 / 40 = 2.5 points
    # network: 10 detractors complain of it alone -> 25.0; advisor: named by them only in praise -> 0
    # waiting and price: 10 detractors split in two -> 5 each -> 12.5; sum 50 = 100 x 20 commented / 40
    assert got["impact"].to_dict() == pytest.approx(
        {"network": 25.0, "waiting": 12.5, "price": 12.5, "advisor": 0.0}
    )
    assert got["impact"].sum() == pytest.approx(got["points_available"].iloc[0])
    assert got["points_available"].iloc[0] == pytest.approx(50.0)
    assert impact_budget(got) == pytest.approx((50.0, 50.0))
    assert list(got.index[:1]) == ["network"]


def test_impact_interval_is_wilson_on_the_shared_count(store, tmp_path):
    import_file(store, "responses", write_themed(tmp_path / "shared.csv", SHARED))
    got = themes_report(store).set_index("theme")
    for theme, count in (("network", 10), ("waiting", 5), ("advisor", 0)):
        low, high = sm_proportion.proportion_confint(count, 40, alpha=0.05, method="wilson")
        assert got.loc[theme, "impact_low"] == pytest.approx(100 * low)
        assert got.loc[theme, "impact_high"] == pytest.approx(100 * high)


def test_impact_interval_covers_at_least_95_percent_when_detractors_are_shared():
    # each answer: detractor naming the theme alone (5 %), with one other theme (10 %: weight 1/2),
    # with two others (6 %: weight 1/3); true impact 100 x (0.05 + 0.05 + 0.02) = 12.0 points.
    # A value in [0, 1] has a variance of at most mu (1 - mu), so Wilson on the shared count can only
    # be wider than needed; 4,000 scopes of 150 answers, seeded
    rng = np.random.default_rng(2028)
    counts = rng.multinomial(150, [0.05, 0.10, 0.06, 0.79], size=4000)
    shared = counts[:, 0] + counts[:, 1] / 2 + counts[:, 2] / 3
    iv = wilson_interval(shared, np.full(len(shared), 150))
    covered = np.mean((iv.low <= 12.0) & (iv.high >= 12.0))
    assert covered >= 0.95


def test_examples_only_for_themes_with_ten_answers_shown_most_frequent_first(themed):
    frame = tagged(comment_counts(themed), THEMES)
    assert examples(frame, "waiting") == [
        "Trop d'attente au téléphone",
        "J'ai attendu une semaine mais bien reçu",
    ]
    assert examples(frame, "price") == ["Bon prix, merci", "Prix trop cher"]  # 10 answers
    assert examples(frame, "network") == []  # no answer


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
