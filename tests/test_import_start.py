"""An import from the command line into an operator's database loads only what it uses.

pandas takes 0.3 s to load, about an eighth of a 1M-answer import from the command line. An import
that leaves the workload as it was has no privacy units to record (metrics.semantic.privacy_versions),
and the audit trail writes its line without a frame: neither needs pandas.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAKE_DB = "import sys; from metrics.store import open_store; open_store(sys.argv[1]).close()"
IMPORT = (
    "import sys\n"
    "from metrics.cli.main import cli\n"
    "cli.main(['--db', sys.argv[1], 'import', sys.argv[2], sys.argv[3]], standalone_mode=False)\n"
    "print('pandas' in sys.modules)\n"
)


def _pandas_loaded(db: Path, dataset: str, csv: Path) -> bool:
    out = subprocess.run(
        [sys.executable, "-c", IMPORT, str(db), dataset, str(csv)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    return out.stdout.strip().splitlines()[-1] == "True"


def test_an_answers_import_into_a_made_database_loads_no_pandas(tmp_path):
    db = tmp_path / "cx.duckdb"
    subprocess.run([sys.executable, "-c", MAKE_DB, str(db)], cwd=ROOT, check=True)  # migrations use it
    answers = tmp_path / "reponses.csv"
    answers.write_text("n° réponse;date de réponse;région;note\nR1;02/09/2026;Nord;9\n", encoding="utf-8")
    assert _pandas_loaded(db, "responses", answers) is False


def test_a_workload_import_records_its_units_and_so_loads_the_rule(tmp_path):
    db = tmp_path / "cx.duckdb"
    subprocess.run([sys.executable, "-c", MAKE_DB, str(db)], cwd=ROOT, check=True)
    workload = tmp_path / "charge.csv"
    workload.write_text(
        "date;région;site;équipe;agents;contacts\n02/09/2026;Nord;LIL;E1;6;120\n", encoding="utf-8"
    )
    versions = (
        "import sys, duckdb; "
        "print(duckdb.connect(sys.argv[1]).execute('SELECT count(*) FROM privacy_history').fetchone()[0])"
    )

    def recorded() -> int:
        out = subprocess.run(
            [sys.executable, "-c", versions, str(db)], capture_output=True, text=True, check=True
        )
        return int(out.stdout)

    seeded = recorded()
    assert _pandas_loaded(db, "workload", workload) is True
    assert recorded() > seeded  # the new teams' units recorded with the commit
