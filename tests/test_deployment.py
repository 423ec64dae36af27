"""prefect.yaml, as the README tells a user with their own Prefect server to use it: create the
process work pool, ``prefect deploy --all`` from the checkout, and let a worker run it (slow)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newsfacts import snapshot

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


def prefect(*args: str, api: str, home: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("prefect")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSFACTS_"))}
    env.update(PREFECT_API_URL=api, PREFECT_HOME=str(home), NEWSFACTS_WORKERS="1", NEWSFACTS_DATA_DOCS="false")
    proc = subprocess.run([str(exe), "--no-prompt", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def test_prefect_yaml_deploys_and_a_process_worker_runs_it(prefect_harness, tmp_path):
    from prefect.settings import PREFECT_API_URL

    api, home = PREFECT_API_URL.value(), tmp_path / "prefect-home"
    prefect("work-pool", "create", "newsfacts", "--type", "process", api=api, home=home)
    prefect("deploy", "--all", api=api, home=home)

    shown = prefect("deployment", "inspect", "newsfacts/newsfacts-scheduled", "--output", "json", api=api, home=home)
    d = json.loads(shown.stdout)
    assert d["entrypoint"] == "flows/pipeline.py:newsfacts_flow"
    assert d["work_pool_name"] == "newsfacts"
    assert d["parameters"] == {"inputs": ["newsfacts/samples"], "warehouse_dir": "warehouse"}
    assert [s["schedule"]["cron"] for s in d["schedules"]] == ["0 * * * *"]
    # the pull step makes the checkout the working directory of every run
    assert d["pull_steps"] == [{"prefect.deployments.steps.set_working_directory": {"directory": str(REPO)}}]
    assert d["global_concurrency_limit"]["limit"] == 1

    # one run now, into a warehouse of the test's own; a process worker picks it up and runs it
    wh = tmp_path / "wh"
    prefect("deployment", "run", "newsfacts/newsfacts-scheduled", "--param", f"warehouse_dir={wh}", api=api, home=home)
    prefect("worker", "start", "--pool", "newsfacts", "--run-once", api=api, home=home, timeout=600)

    con = duckdb.connect(str(wh / "newsfacts.duckdb"), read_only=True)
    try:
        [(status, new)] = con.execute("select status, articles_new from runs").fetchall()
    finally:
        con.close()
    assert status == "completed" and new > 6
    assert snapshot.read_table(wh, None, "facts").num_rows > 50
