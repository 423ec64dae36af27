"""The newsfacts pipeline as one Prefect 3 flow.

Each task is a few lines calling one package function; the logic lives in ``newsfacts``.
Tasks take batches of files or articles, never one article or one fact.

    discover -> per batch: read -> split -> extract -> load -> checks -> publish
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task

from newsfacts import pipeline as nf
from newsfacts import progress, warehouse
from newsfacts.model import Document, Extraction
from newsfacts.reader import discover as discover_inputs
from newsfacts.resources import sample_corpus
from newsfacts.settings import Settings


@task(name="discover-and-read", retries=2, retry_delay_seconds=1)
def read_batch(paths: list[Path], known: dict[str, str], settings: Settings) -> nf.ReadResult:
    return nf.read_files(paths, known, settings)


@task(name="split-articles")
def split_batch(documents: list[Document]) -> list:
    return nf.split(documents)


@task(name="extract-facts")
def extract_batch(items: list, workers: int) -> Extraction:
    return nf.extract(items, workers)


@task(name="load-duckdb")
def load_batch(settings: Settings, run_id: str, read: nf.ReadResult, ex: Extraction) -> None:
    nf.load(settings, run_id, read.files, ex, read.quarantined)


@task(name="run-checks")
def run_checks(settings: Settings, run_id: str) -> list[dict]:
    return nf.check(settings, run_id)


@task(name="publish-snapshot", retries=1, retry_delay_seconds=1)
def publish_snapshot(settings: Settings, run_id: str, stats: dict) -> str:
    return nf.publish(settings, run_id, stats)


@flow(name="newsfacts", log_prints=False)
def newsfacts_flow(inputs: list[str] | None = None, warehouse_dir: str | None = None,
                   settings: Settings | None = None) -> dict:
    """Read the inputs, extract and load their facts, check them, publish a snapshot."""
    settings = settings or Settings.from_env(warehouse=warehouse_dir)
    inputs = [str(p) for p in (inputs or [sample_corpus()])]
    logger = get_run_logger()
    run_id = nf.new_run_id()
    with warehouse.run_lock(settings.warehouse, settings.lock_wait_seconds):
        known = nf.begin(settings, run_id, inputs)
        try:
            return _run(settings, run_id, inputs, known, logger)
        except BaseException as e:
            nf.fail(settings, run_id, f"{type(e).__name__}: {e}")
            raise


def _run(settings: Settings, run_id: str, inputs: list[str], known: dict[str, str], logger) -> dict:
    paths = discover_inputs([Path(p) for p in inputs])
    progress.report(f"found {len(paths)} input files")
    workers = nf.worker_count(settings)
    stats = {"articles_seen": 0, "articles_new": 0, "facts": 0, "quarantined": 0}
    unchanged: list[str] = []
    for start in range(0, len(paths), settings.batch_size):
        batch = paths[start : start + settings.batch_size]
        read = read_batch(batch, known, settings)
        items = split_batch(read.documents)
        ex = extract_batch(items, workers)
        load_batch(settings, run_id, read, ex)
        unchanged += read.unchanged
        stats["articles_new"] += len(ex.articles)
        stats["facts"] += len(ex.facts)
        stats["quarantined"] += len(read.quarantined)
        progress.report(
            f"files {min(start + len(batch), len(paths))}/{len(paths)}: "
            f"{stats['articles_new']} new articles, {stats['facts']} facts, {len(unchanged)} files unchanged"
        )
    removed = nf.removed_files(paths, inputs, known)
    done = nf.finish_loading(settings, unchanged, removed)
    stats["articles_seen"] = stats["articles_new"] + done["articles_unchanged"]
    progress.report("checking")
    rows = run_checks(settings, run_id)
    stats["checks_failed"] = sum(r["status"] == "fail" for r in rows)
    progress.report(f"{stats['checks_failed']} checks failed; publishing the snapshot")
    stats["snapshot_id"] = publish_snapshot(settings, run_id, stats)
    logger.info("run %s completed: %s", run_id, stats)
    progress.report(f"run {run_id} completed: {stats['articles_new']} new articles, {stats['facts']} facts, "
                    f"{stats['checks_failed']} checks failed, snapshot {stats['snapshot_id']}")
    return {"run_id": run_id, **stats,
            "errors_failed": sum(r["status"] == "fail" and r["severity"] == "error" for r in rows),
            "warnings_failed": sum(r["status"] == "fail" and r["severity"] == "warning" for r in rows),
            "removed_files": len(removed), "articles_dropped": done["articles_dropped"]}
