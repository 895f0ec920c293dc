"""Shared columns are declared once: every dataset that has one answers to the same headers and values."""

from __future__ import annotations

import pytest

from metrics.contracts import columns
from metrics.contracts.datasets import DATASETS
from metrics.contracts.vocabularies import VALUE_LABELS, value_label

SHARED = (columns.REGION, columns.SITE, columns.CHANNEL, columns.CUSTOMER_ID, columns.DAY, columns.MONTH)


@pytest.mark.parametrize("shared", SHARED, ids=[c.name for c in SHARED])
def test_a_shared_column_has_one_list_of_aliases_and_values_in_every_dataset(shared):
    found = [
        (ds.key, col) for ds in DATASETS.values() for col in ds.columns
        if col.name == shared.name and col.kind is shared.kind
    ]  # fmt: skip
    assert found, shared.name
    for key, col in found:
        assert (col.aliases, dict(col.values)) == (shared.aliases, dict(shared.values)), key


def test_region_answers_to_region_name_in_every_dataset_that_has_it():
    # the alias only survey answers knew before the declarations were shared
    having = sorted(ds.key for ds in DATASETS.values() if any(c.name == "region" for c in ds.columns))
    assert having == [
        "complaints", "customers", "events", "interventions", "responses", "sites", "targets", "workload"
    ]  # fmt: skip
    for key in having:
        assert "region name" in DATASETS[key].column("region").aliases, key


def test_each_labelled_value_is_a_value_of_its_column():
    for ds in DATASETS.values():
        for col in ds.columns:
            if col.name in VALUE_LABELS and col.values:
                assert set(VALUE_LABELS[col.name]) == set(col.values), (ds.key, col.name)


def test_value_labels_read_as_before_the_split():
    assert value_label("segment", "consumer", "fr") == "Grand public"
    assert value_label("channel", "field_visit", "en") == "Field visit"
    assert value_label("kind", "removal", "fr") == "Dépose"
    assert value_label("region", "Bretagne", "fr") == "Bretagne"  # data values stay verbatim
