"""Spark Connect (`SPARK_REMOTE=sc://host:port`) gives the same figures as DuckDB.

A local Spark Connect server is started from pyspark's own `sbin/start-connect-server.sh` (pyspark 4
bundles the server jar) on a free port, and stopped at the end of the session. The Python client
needs `pyspark[connect]`'s extras (grpcio, grpcio-status, googleapis-common-protos, zstandard), in
`requirements-spark.txt`. In CI (`CI=true`) a server that cannot start fails the run; elsewhere the
tests are skipped with the server's last log lines.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyspark
import pytest

from metrics.engines.duckdb import export
from metrics.engines.spark import SparkStore, start
from tests.browser.server import free_port
from tests.figures_grid import GRAINS, SPLITS, case_id, compute, demo_store, differences

pytestmark = pytest.mark.spark  # deselect with -m "not spark" for a fast inner loop

SBIN = Path(pyspark.__file__).parent / "sbin"
STARTUP_SECONDS = 180
# one metric of each family the SQL differs by: NPS, a proportion, a median, a mean with the privacy
# rule's registered units, a rate against the customer base, and a backlog
METRICS = (
    "nps",
    "first_time_fix_rate",
    "resolution_days_median",
    "occupancy",
    "complaints_per_1000_customers",
    "open_backlog",
)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _cannot_start(why: str, log: Path) -> None:
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
    message = f"the Spark Connect server did not start: {why}\n{tail}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def connect_url(tmp_path_factory):
    """sc://localhost:PORT of a local Spark Connect server, stopped (its process group) at the end."""
    logs = tmp_path_factory.mktemp("spark-connect")
    port = free_port()
    env = {**os.environ, "SPARK_LOG_DIR": str(logs), "SPARK_PID_DIR": str(logs)}
    env.pop("SPARK_REMOTE", None)  # the server itself is a driver, not a client
    log = logs / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                "bash",
                str(SBIN / "start-connect-server.sh"),
                "--wait",  # in the foreground, so stopping this process group stops the JVM
                "--master",
                "local[2]",
                "--conf",
                f"spark.connect.grpc.binding.port={port}",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.sql.shuffle.partitions=4",
                "--conf",
                "spark.sql.session.timeZone=UTC",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _listening(port):
            if server.poll() is not None:
                _cannot_start(f"it exited with code {server.returncode}", log)
            if time.monotonic() > deadline:
                _cannot_start(f"port {port} not open after {STARTUP_SECONDS} s", log)
            time.sleep(0.5)
        yield f"sc://localhost:{port}"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


@pytest.fixture(scope="session")
def connected(connect_url, tmp_path_factory):
    """(duckdb store, a SparkStore on a Spark Connect session, warehouse, url) over one small demo."""
    root = tmp_path_factory.mktemp("connect")
    store = demo_store(root)
    warehouse = root / "warehouse"
    export(store, warehouse)
    spark = start(remote=connect_url)
    yield store, SparkStore(warehouse, spark), warehouse, connect_url
    spark.stop()
    store.close()


def test_the_session_is_a_spark_connect_client(connected):
    _, spark_store, _, _ = connected
    with spark_store.cursor() as cur:
        assert type(cur.spark).__module__ == "pyspark.sql.connect.session"
        assert cur.execute("SELECT count(*) FROM ds_sites").fetchone()[0] > 0


@pytest.mark.parametrize("key", METRICS)
def test_a_metric_gives_the_same_figures_through_spark_connect(connected, key):
    store, spark_store, _, _ = connected
    problems = []
    for grain in GRAINS:
        for by in SPLITS:
            want = compute(store, key, grain, by, None, None)
            got = compute(spark_store, key, grain, by, None, None)
            problems += [f"{case_id(key, grain, by, None, None)}: {p}" for p in differences(want, got)]
    assert problems == []


def test_the_cli_with_spark_remote_prints_what_duckdb_prints(connected):
    store, _, warehouse, url = connected
    args = ["query", "nps", "--grain", "quarter", "--by", "region", "--format", "csv"]
    env = {k: v for k, v in os.environ.items() if k not in ("CX_ENGINE", "CX_WAREHOUSE")}
    env["SPARK_REMOTE"] = url
    run = [sys.executable, "-m", "metrics", "--db", str(store.path)]
    duck = subprocess.run([*run, *args], capture_output=True, text=True, env=env, timeout=300)
    spark = subprocess.run(
        [*run, "--engine", "spark", "--warehouse", str(warehouse), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert duck.returncode == 0, duck.stderr
    assert spark.returncode == 0, spark.stderr[-2000:]
    assert spark.stdout == duck.stdout
    assert spark.stdout.count("\n") > 9  # a header and a row per region and quarter
