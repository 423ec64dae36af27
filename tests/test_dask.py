"""Scale-out: the flow on a Dask cluster (a LocalCluster stands in), snapshots to an fsspec URL."""
from __future__ import annotations

import importlib.util
import sys
import uuid
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from newsfacts import cli, pipeline, snapshot
from newsfacts.resources import sample_corpus
from newsfacts.settings import Settings

REPO = Path(__file__).resolve().parent.parent
FACT_COLUMNS = "fact_id, article_id, surface, source_start, source_end, value, value_low, value_high, unit, kind, " \
               "approx, counted, place, year"


def bench_corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Forty generated articles in four pages and a JSONL file, beside the sample corpus."""
    folder = tmp_path_factory.mktemp("corpus")
    bench_corpus().generate(folder / "generated", 40, seed=5, per_file=10)
    return folder


def rows(wh: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(wh / "newsfacts.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_snapshots_go_to_an_fsspec_url_and_are_listed(tmp_path, monkeypatch, capsys):
    """NEWSFACTS_SNAPSHOT_ROOT=memory://... : the run publishes there and `newsfacts snapshots` lists it."""
    root = f"memory://newsfacts-test-{uuid.uuid4().hex[:8]}/wh"
    monkeypatch.setenv("NEWSFACTS_SNAPSHOT_ROOT", root)
    settings = Settings.from_env(warehouse=tmp_path / "wh", data_docs=False)
    summary = pipeline.run(settings, [sample_corpus()])
    assert snapshot.latest(root) == summary["snapshot_id"]
    assert not (tmp_path / "wh" / "snapshots").exists()  # nothing went to the warehouse folder
    facts = snapshot.read_table(root, None, "facts")
    assert facts.num_rows == rows(tmp_path / "wh", "select count(*) from facts")[0][0] > 0
    assert cli.main(["snapshots", "--warehouse", str(tmp_path / "wh")]) == 0
    assert f"* {summary['snapshot_id']}" in capsys.readouterr().out


def test_a_file_url_is_a_local_folder(tmp_path):
    root = tmp_path / "published"
    settings = Settings.from_env(warehouse=tmp_path / "wh", data_docs=False, snapshot_root=root.as_uri())
    summary = pipeline.run(settings, [sample_corpus()])
    assert (root / "snapshots" / "LATEST").read_text() == summary["snapshot_id"]
    assert (root / "snapshots" / summary["snapshot_id"] / "manifest.json").is_file()


@pytest.mark.slow
def test_the_flow_on_a_dask_cluster_loads_what_a_local_run_loads(prefect_harness, corpus, tmp_path, monkeypatch):
    pytest.importorskip("prefect_dask", reason="prefect-dask is not installed (pip install -e '.[test,dask]')")
    import flows.pipeline as fp

    # small chunks, so that each batch is several extraction tasks running side by side
    monkeypatch.setattr(fp, "CHUNK_CHARS", 20_000)
    inputs = [str(corpus), str(sample_corpus())]
    local = Settings.from_env(warehouse=tmp_path / "local", data_docs=False, batch_size=3)
    on_dask = replace(local, warehouse=tmp_path / "dask", task_runner="dask", workers=2,
                      snapshot_root=f"memory://newsfacts-dask-{uuid.uuid4().hex[:8]}/wh")
    assert fp.task_runner(local) is None
    assert type(fp.task_runner(on_dask)).__name__ == "DaskTaskRunner"

    a = fp.run_flow(inputs, settings=local)
    b = fp.run_flow(inputs, settings=on_dask)

    assert a["articles_new"] == b["articles_new"] > 40 and a["facts"] == b["facts"] > 300
    query = f"select {FACT_COLUMNS} from facts order by fact_id"
    assert rows(local.warehouse, query) == rows(on_dask.warehouse, query)
    assert rows(local.warehouse, "select article_id, text from articles order by article_id") == \
        rows(on_dask.warehouse, "select article_id, text from articles order by article_id")
    assert rows(on_dask.warehouse, "select status from runs") == [("completed",)]
    assert snapshot.read_table(on_dask.snapshot_root, None, "facts").num_rows == b["facts"]
