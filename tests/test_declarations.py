from metrics.contracts.datasets import DATASETS, check_declarations
from metrics.reports.docs import data_contracts


def test_dataset_declarations_are_consistent():
    assert check_declarations() == []


def test_declaration_check_names_dataset_and_column():
    from dataclasses import replace

    from metrics.contracts.datasets import RESPONSES

    broken = replace(RESPONSES, key_columns=("respons_id",))
    assert check_declarations({"responses": broken}) == [
        "responses: key column 'respons_id' is not a declared column"
    ]


def test_data_contracts_doc_is_up_to_date():
    from pathlib import Path

    doc = Path(__file__).resolve().parent.parent / "docs" / "data-contracts.md"
    assert doc.read_text(encoding="utf-8") == data_contracts(), "run: python -m metrics docs"


def test_every_dataset_and_column_is_documented():
    text = data_contracts()
    for ds in DATASETS.values():
        assert f"## `{ds.key}`" in text
        for col in ds.columns:
            assert f"| `{col.name}` |" in text


def test_metrics_doc_is_up_to_date_and_lists_every_metric():
    from pathlib import Path

    from metrics.reports.docs import metrics_reference
    from metrics.semantic.definitions import METRICS

    doc = Path(__file__).resolve().parent.parent / "docs" / "metrics.md"
    assert doc.read_text(encoding="utf-8") == metrics_reference(), "run: python -m metrics docs"
    for key in METRICS:
        assert f"| `{key}` |" in metrics_reference()


def test_pages_read_where_each_metric_is_shown_from_its_declaration(monkeypatch):
    # a new metric declared for the league joins it, with no page edited (issue 29)
    from dataclasses import replace

    from metrics.semantic import definitions
    from metrics.semantic.checks import check_metrics

    extra = replace(definitions.METRICS["escalation_rate"], shown_in=frozenset({"league", "operations"}))
    monkeypatch.setitem(definitions.METRICS, "escalation_rate", extra)
    assert definitions.shown_in("league") == (
        "nps", "first_time_fix_rate", "complaints_per_1000_customers", "resolution_days_median",
        "escalation_rate",
    )
    wrong = replace(extra, shown_in=frozenset({"leage"}))
    assert check_metrics([wrong]) == [
        "escalation_rate: shown_in 'leage' is not a place; places: alerts, league, operations"
    ]
