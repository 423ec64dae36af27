"""End to end: ``newsfacts run`` on the sample corpus, as a Prefect flow run (slow)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from newsfacts import cli, snapshot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample_run(prefect_harness, tmp_path_factory):
    wh = tmp_path_factory.mktemp("wh")
    code = cli.main(["run", "--warehouse", str(wh)])
    return code, wh


def test_run_exits_zero_and_fills_the_contract_tables(sample_run):
    code, wh = sample_run
    assert code == 0
    con = duckdb.connect(str(wh / "newsfacts.duckdb"), read_only=True)
    try:
        for table in ("articles", "facts", "checks", "runs"):
            assert con.execute(f"select count(*) from {table}").fetchone()[0] > 0, table
        status, new, facts = con.execute("select status, articles_new, facts from runs").fetchone()
        assert status == "completed" and new > 6 and facts > 50
        # the planted inconsistency is caught on the first run
        failed = con.execute("select check_id from checks where status = 'fail'").fetchall()
        assert {"title_body", "list_count"} <= {r[0] for r in failed}
        # the GBK file and the HTML page loaded their facts
        per_file = dict(con.execute(
            "select regexp_extract(a.source_path, '[^/]+$'), count(f.fact_id) from articles a "
            "left join facts f using (article_id) group by all").fetchall())
        assert per_file["village-income-gbk.txt"] > 0 and per_file["cooperative.html"] > 0
    finally:
        con.close()


def test_snapshot_matches_the_warehouse_and_reads_everywhere(sample_run):
    _, wh = sample_run
    sid = snapshot.latest(wh)
    assert sid is not None
    manifest = json.loads((wh / "snapshots" / sid / "manifest.json").read_text())
    con = duckdb.connect(str(wh / "newsfacts.duckdb"), read_only=True)
    try:
        for table in ("articles", "facts"):
            rows = con.execute(f"select count(*) from {table}").fetchone()[0]
            assert manifest["tables"][table]["rows"] == rows
            path = wh / "snapshots" / sid / manifest["tables"][table]["files"][0]["path"]
            assert pq.read_table(path).num_rows == rows
            assert duckdb.sql(f"select count(*) from '{path}'").fetchall()[0][0] == rows
        run_checks = con.execute("select count(*) from checks where run_id = ?", [manifest["run_id"]]).fetchone()[0]
        assert manifest["tables"]["checks"]["rows"] == run_checks
    finally:
        con.close()


def test_data_docs_are_built(sample_run):
    _, wh = sample_run
    assert (wh / "data_docs" / "index.html").is_file()


def test_the_command_prints_progress_and_a_summary_and_no_traceback(tmp_path):
    """The real console script, as a user runs it (its own temporary Prefect server)."""
    exe = Path(sys.executable).with_name("newsfacts")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    proc = subprocess.run([str(exe), "run", "--warehouse", str(tmp_path / "wh")], capture_output=True,
                          text=True, timeout=600, env=env)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "Traceback" not in out and "database is locked" not in out and "CancelledError" not in out
    assert "found 8 input files" in out or "input files" in out
    assert "snapshot" in proc.stdout and "completed" in proc.stdout
