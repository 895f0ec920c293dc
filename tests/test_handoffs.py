"""Hand-offs: share of several-contact complaints, their resolution time and their customers' NPS."""

from __future__ import annotations

import pytest
from scipy import stats as sps

from metrics.ingest.importing import import_file
from metrics.insights.handoffs import handoffs

# complaints: (customer, contacts, opened, closed); four with one contact (1, 2, 3, 4 days),
# four with several (5, 7, 9, 11 days)
COMPLAINTS = [
    ("A", 1, "02/03/2026", "03/03/2026"),
    ("B", 1, "02/03/2026", "04/03/2026"),
    ("C", 1, "02/03/2026", "05/03/2026"),
    ("D", 1, "02/03/2026", "06/03/2026"),
    ("E", 2, "02/03/2026", "07/03/2026"),
    ("F", 3, "02/03/2026", "09/03/2026"),
    ("G", 2, "02/03/2026", "11/03/2026"),
    ("H", 4, "02/03/2026", "13/03/2026"),
]
# answers: (customer, date, score); E's February answer predates the complaint; Z never complained
ANSWERS = [
    ("A", "20/03/2026", 10), ("B", "20/03/2026", 9), ("C", "20/03/2026", 8), ("D", "20/03/2026", 3),
    ("E", "20/03/2026", 2), ("F", "20/03/2026", 5), ("G", "20/03/2026", 9), ("H", "20/03/2026", 6),
    ("E", "01/02/2026", 10), ("Z", "20/03/2026", 10),
]  # fmt: skip


@pytest.fixture
def linked(store, tmp_path):
    complaints = ["n° réclamation;date d'ouverture;date de clôture;région;nb contacts;id client"]
    complaints += [f"C{i};{o};{c};Nord;{k};{cust}" for i, (cust, k, o, c) in enumerate(COMPLAINTS)]
    answers = ["n° réponse;date de réponse;région;note;id client"]
    answers += [f"R{i};{d} 10:00;Nord;{s};{cust}" for i, (cust, d, s) in enumerate(ANSWERS)]
    (tmp_path / "c.csv").write_text("\n".join(complaints) + "\n", encoding="utf-8")
    (tmp_path / "r.csv").write_text("\n".join(answers) + "\n", encoding="utf-8")
    import_file(store, "complaints", tmp_path / "c.csv")
    import_file(store, "responses", tmp_path / "r.csv")
    return store


def rows(frame):
    return {(r.measure, r.group): r for r in frame.itertuples(index=False)}


def test_share_of_complaints_needing_several_contacts(linked):
    got = rows(handoffs(linked))[("several_contacts_pct", "all")]
    assert got.value == pytest.approx(50.0)  # 4 of 8
    assert got.n == 8
    assert got.low < 50 < got.high


def test_resolution_time_by_number_of_contacts_with_welch_test(linked):
    got = rows(handoffs(linked))
    # medians: one 1 2 3 4 -> 2.5; several 5 7 9 11 -> 8; n = 4: ranks max(1, floor(2 - 1.96)) = 1 and
    # min(4, ceil(2 + 1 + 1.96)) = 4, so the intervals are [1, 4] and [5, 11]
    one, several = got[("resolution_days_median", "one")], got[("resolution_days_median", "several")]
    assert (one.value, one.n, one.low, one.high) == (2.5, 4, 1.0, 4.0)
    assert (several.value, several.n, several.low, several.high) == (8.0, 4, 5.0, 11.0)
    mean = got[("resolution_days_mean", "several")]
    assert mean.value == pytest.approx(8.0)
    assert mean.difference == pytest.approx(5.5)  # 8 - 2.5
    reference = sps.ttest_ind([5, 7, 9, 11], [1, 2, 3, 4], equal_var=False)
    assert mean.p_value == pytest.approx(reference.pvalue)
    assert mean.significant  # p = 0.016


def test_nps_of_the_same_customers_after_their_complaint(linked):
    got = rows(handoffs(linked))
    # one contact: A 10, B 9, C 8, D 3 -> (2 - 1) / 4 = +25; several: E 2, F 5, G 9, H 6 -> (1 - 3) / 4 = -50;
    # E's answer of February (before the complaint) and Z's (no complaint) are left out
    one, several = got[("nps", "one")], got[("nps", "several")]
    assert (one.value, one.n) == (25.0, 4)
    assert (several.value, several.n) == (-50.0, 4)
    assert several.difference == pytest.approx(-75.0)
    assert not several.significant  # 4 answers each side: within the noise
    assert one.moe > 50


def test_no_complaints_gives_an_empty_table(store):
    assert handoffs(store).empty


def test_region_filter_keeps_that_region_complaints_only(linked):
    assert handoffs(linked, regions=("Sud",)).empty
    nord = rows(handoffs(linked, regions=("Nord",)))
    assert nord[("several_contacts_pct", "all")].n == 8
    assert nord[("nps", "several")].value == -50.0
