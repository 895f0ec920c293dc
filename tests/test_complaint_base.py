"""A complaint rate whose customer base is missing for a month (issue #28, point 2).

Bretagne's complaints, one per line, and its customer base:
    January 10 complaints, 10 000 customers | February 12 complaints, no base | March 8, 12 000 customers
February carries January's 10 000 forward, so no complaint drops out of the year:
    year to date n = 10 + 12 + 8 = 30, exposure 10 000 + 10 000 + 12 000 = 32 000,
    rate 1 000 x 30 / 32 000 = 0,9375 per 1 000; carried 10 000 / 32 000 = 31 % of the base.
Normandie has 3 complaints in February and a base only from March: no base at or before February.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from metrics.cli.main import cli
from metrics.ingest.importing import import_file
from metrics.reports.trajectory import trajectory
from metrics.semantic.definitions import metric
from metrics.semantic.query import metric_frame
from metrics.store import open_store

RATE = metric("complaints_per_1000_customers")
COMPLAINTS = {("Bretagne", 1): 10, ("Bretagne", 2): 12, ("Bretagne", 3): 8, ("Normandie", 2): 3}


@pytest.fixture
def db(tmp_path):
    lines = ["n° réclamation;date d'ouverture;région;date de clôture"]
    for (region, month), count in COMPLAINTS.items():
        for i in range(count):
            opened, closed = f"{i + 1:02d}/{month:02d}/2026", f"{i + 3:02d}/{month:02d}/2026"
            lines.append(f"{region[0]}{month}-{i};{opened};{region};{closed}")
    (tmp_path / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "k.csv").write_text(
        "month;region;customers\n01/2026;Bretagne;10000\n03/2026;Bretagne;12000\n03/2026;Normandie;5000\n"
    )
    path = tmp_path / "cx.duckdb"
    store = open_store(path)
    try:
        import_file(store, "complaints", tmp_path / "c.csv")
        import_file(store, "customers", tmp_path / "k.csv")
    finally:
        store.close()
    return path


def test_a_month_without_its_base_carries_the_last_known_one_and_keeps_its_complaints(db):
    store = open_store(db)
    try:
        ytd = metric_frame(store, RATE, grain="ytd", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31),
                           where={"region": ["Bretagne"]})  # fmt: skip
        months = metric_frame(store, RATE, grain="month", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31),
                              where={"region": ["Bretagne"]})  # fmt: skip
    finally:
        store.close()
    last = ytd.iloc[-1]
    assert int(last["n"]) == 30  # 10 + 12 + 8: February's 12 are counted
    assert last["exposure"] == pytest.approx(32_000)
    assert last["value"] == pytest.approx(0.9375)
    assert last["carried"] == pytest.approx(10_000)
    # February on its own: 12 complaints for January's 10 000 customers = 1,2 per 1 000
    feb = months.set_index("period").loc[dt.date(2026, 2, 1)]
    assert (int(feb["n"]), feb["value"]) == (12, pytest.approx(1.2))


def test_the_cli_says_the_base_was_carried_and_how_much(db):
    got = CliRunner().invoke(cli, [
        "--db", str(db), "query", RATE.key, "--grain", "ytd", "--where", "region=Bretagne",
        "--from", "2026-01-01", "--to", "2026-03-31", "--format", "json", "--lang", "en",
    ])  # fmt: skip
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout)[-1]["n"] == 30
    assert got.stderr.strip() == (
        f"{RATE.key}: customer base missing for some months: the region's last known base is carried forward "
        "(31% of the base)"
    )


def test_the_trajectory_carries_the_share_for_the_card(db, monkeypatch):
    monkeypatch.setenv("CX_TODAY", "2026-04-15")
    store = open_store(db)
    try:
        tr = trajectory(store, RATE, as_of=dt.date(2026, 3, 31), region="Bretagne")
    finally:
        store.close()
    assert tr.n == 30
    assert tr.base_carried == pytest.approx(10_000 / 32_000)


def test_complaints_with_no_base_at_all_are_said_so_never_no_rows_match(db):
    got = CliRunner().invoke(cli, [
        "--db", str(db), "query", RATE.key, "--where", "region=Normandie",
        "--from", "2026-02-01", "--to", "2026-02-28",
    ])  # fmt: skip
    assert got.exit_code == 0, got.output
    assert "no complaints rows match" not in got.stderr
    # Normandie's 3 February complaints have no base in or before February (its base starts in March)
    assert (
        "3 of 33 complaints rows have no customers row for their region in or before their month: "
        f"{RATE.key} divides by it; import it with: python -m metrics import customers FILE"
    ) in got.stderr
