"""The stages of a run as plain functions; ``flows/pipeline.py`` wires them as Prefect tasks.

read -> extract -> load -> check -> publish. Each stage takes and returns plain data (extract:
documents in, Arrow tables out; it cuts the documents into articles where it runs, in worker
processes or on a cluster's workers), so the stages run (and are tested) without Prefect. Only ``load``, ``check`` and ``publish``
open the warehouse, each for as long as it writes.
"""
from __future__ import annotations

import hashlib
import logging
import os
import uuid
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pyarrow as pa

from . import progress, reader, snapshot, warehouse
from .errors import ExtractionError, NewsfactsError
from .extract import Context, Plan, extract_planned, plan_document
from .model import Document, Extraction
from .settings import Settings

log = logging.getLogger("newsfacts")


def new_run_id() -> str:
    return uuid.uuid4().hex


# ----------------------------------------------------------------------------------------------
# read


@dataclass
class ReadResult:
    """What the read stage found: new or changed documents, and what it could not read."""

    documents: list[Document] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    files: list[tuple[str, str, int]] = field(default_factory=list)  # read this run: path, sha256, bytes
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seen: int = 0


def discover(inputs: Sequence[str | Path]) -> list[Path]:
    """The input files, in a stable order."""
    return reader.discover([Path(p) for p in inputs])


def input_sha256(path: Path) -> str:
    """The hash that decides whether a file is read again: that of its bytes, combined with its
    sidecar's (``NAME.meta.json``) when it has one, since the sidecar's metadata is part of it."""
    sha = reader.file_sha256(path)
    sides = []
    for side in reader._sidecar_paths(path):
        if side.is_file():
            try:
                sides.append(f"{side.name}:{reader.file_sha256(side)}")
            except OSError:  # gone or unreadable: the reader will do without it too
                continue
    return hashlib.sha256(" ".join([sha, *sides]).encode()).hexdigest() if sides else sha


def read_files(paths: Sequence[Path], known: dict[str, str], settings: Settings) -> ReadResult:
    """Read the files whose content hash is new; skip the unchanged; quarantine the unreadable."""
    out = ReadResult(seen=len(paths))
    for path in paths:
        key = str(path.resolve())
        try:
            sha = input_sha256(path)
        except OSError as e:
            out.quarantined.append((key, f"{key}: cannot be read: {e.strerror or e}"))
            continue
        if known.get(key) == sha:
            out.unchanged.append(key)
            continue
        docs, bad = reader.read_file(path, max_bytes=settings.max_file_bytes)
        out.documents.extend(docs)
        out.quarantined.extend((q.source_path, q.reason) for q in bad)
        if docs or not bad:
            size = path.stat().st_size if path.exists() else 0
            out.files.append((key, sha, size))
    return out


def removed_files(paths: Sequence[Path], inputs: Sequence[str | Path], known: Iterable[str]) -> list[str]:
    """Files loaded before, under these inputs, that are no longer there."""
    current = {str(p.resolve()) for p in paths}
    roots = [Path(p).resolve() for p in inputs]
    gone = []
    for k in known:
        kp = Path(k)
        if k in current:
            continue
        if any(kp == r or r in kp.parents for r in roots):
            gone.append(k)
    return sorted(gone)


# ----------------------------------------------------------------------------------------------
# split and extract


def _context(doc: Document) -> Context:
    published = None
    if doc.published:
        try:
            published = date.fromisoformat(doc.published[:10])
        except ValueError:
            published = None
    return Context(source_path=doc.source_path, part=doc.part, title=doc.title, published=published,
                   source=doc.source, content_sha256=doc.content_sha256)


def _gazetteer():
    from .places import default_gazetteer

    return default_gazetteer()


def split(documents: Sequence[Document]) -> list[tuple[Document, Plan]]:
    """Cut each document into its articles and captions."""
    gaz = _gazetteer()
    return [(doc, plan_document(doc.text, _context(doc), gaz)) for doc in documents]


def extract_documents(documents: Sequence[Document]) -> Extraction:
    """Split and extract a few documents in this process: the facts as objects."""
    gaz = _gazetteer()
    out = Extraction()
    for doc, plan in split(documents):
        ex = extract_planned(doc.text, plan, gaz)
        out.articles.extend(ex.articles)
        out.facts.extend(ex.facts)
        out.dates.extend(ex.dates)
        out.enumerations.extend(ex.enumerations)
    return out


@dataclass
class Extracted:
    """A batch's extraction as Arrow tables, in the warehouse's columns: what the extraction
    processes (or a cluster's workers) hand back, and what the load stage takes. ``len()`` of
    a table is its number of rows."""

    articles: pa.Table
    facts: pa.Table
    dates: pa.Table
    enumerations: pa.Table

    @classmethod
    def of(cls, ex: Extraction) -> Extracted:
        return cls(warehouse.articles_table(ex.articles), warehouse.facts_table(ex.facts),
                   warehouse.dates_table(ex.dates), warehouse.enumerations_table(ex.enumerations))

    @classmethod
    def concat(cls, parts: Sequence[Extracted]) -> Extracted:
        if not parts:
            return cls.of(Extraction())
        return cls(*(pa.concat_tables([getattr(p, f.name) for p in parts]) for f in fields(cls)))


def extract_chunk(documents: Sequence[Document]) -> Extracted:
    """Split, extract and tabulate documents in this process; a unit of work for a pool or a
    cluster (documents go in, Arrow tables come out: both pickle compactly)."""
    return Extracted.of(extract_documents(documents))


_POOL: ProcessPoolExecutor | None = None


def _pool(workers: int) -> ProcessPoolExecutor:
    global _POOL
    if _POOL is None:
        import multiprocessing

        _POOL = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    return _POOL


def release_workers() -> None:
    """Stop the extraction processes (the next extraction starts them again): they hold a few
    hundred MB each, which the checks that follow the loads should have."""
    global _POOL
    if _POOL is not None:
        _POOL.shutdown()
        _POOL = None


def chunks(documents: Sequence[Document], chars: int) -> list[list[Document]]:
    """The documents in runs of about ``chars`` characters each, in order."""
    out: list[list[Document]] = [[]]
    size = 0
    for doc in documents:
        if size >= chars:
            out.append([])
            size = 0
        out[-1].append(doc)
        size += len(doc.text)
    return [c for c in out if c]


def extract(documents: Sequence[Document], workers: int = 1) -> Extracted:
    """The facts of a batch of documents, on ``workers`` processes (1 = in this process)."""
    total = sum(len(doc.text) for doc in documents)
    if workers <= 1 or total < 700_000:
        # starting worker processes costs more than a couple of MB of text takes to read
        return extract_chunk(documents)
    # four chunks a worker, so that a slow chunk does not leave the other cores idle
    parts = chunks(documents, max(1, total // (workers * 4)))
    try:
        return Extracted.concat(list(_pool(workers).map(extract_chunk, parts)))
    except BrokenProcessPool:
        release_workers()
        paths = sorted({d.source_path for d in documents})
        raise ExtractionError(
            f"an extraction process died while reading {len(paths)} file(s), {paths[0]} to {paths[-1]}; "
            "nothing of them was stored. Either it ran out of memory (lower NEWSFACTS_BATCH_SIZE or "
            "NEWSFACTS_WORKERS), or a Python script started the run outside "
            "`if __name__ == \"__main__\":` (the processes are spawned and import the script again)"
        ) from None


def worker_count(settings: Settings) -> int:
    return settings.workers or os.cpu_count() or 1


# ----------------------------------------------------------------------------------------------
# load, check, publish


def _open(settings: Settings, *, read_only: bool = False):
    """The warehouse of ``settings``, under its DuckDB memory limit."""
    return warehouse.connect(settings.database, read_only=read_only, memory_limit=settings.duckdb_memory)


def begin(settings: Settings, run_id: str, inputs: Sequence[str]) -> dict[str, str]:
    """Record the run as started; return the content hashes already loaded."""
    with _open(settings) as con:
        warehouse.start_run(con, run_id, [str(i) for i in inputs])
        return warehouse.known_files(con)


def load(settings: Settings, run_id: str, files: Sequence[tuple[str, str, int]], ex: Extracted,
         quarantined: Sequence[tuple[str, str]]) -> None:
    """Replace the rows of the files read this run; store quarantine rows."""
    with _open(settings) as con:
        warehouse.load(con, run_id, files=files, articles=ex.articles, facts=ex.facts, dates=ex.dates,
                       enumerations=ex.enumerations)
        warehouse.record_quarantine(con, run_id, quarantined)


def finish_loading(settings: Settings, unchanged: Sequence[str], removed: Sequence[str]) -> dict:
    """Apply the removed-files policy; count the articles the input holds (new and unchanged)."""
    with _open(settings) as con:
        dropped = warehouse.drop_files(con, removed) if settings.removed_files == "drop" else 0
        seen = warehouse.articles_in_run(con, unchanged)
    return {"articles_dropped": dropped, "articles_unchanged": seen}


def check(settings: Settings, run_id: str) -> dict:
    """Column rules (Great Expectations) and cross-fact rules (SQL), stored in the warehouse;
    returns their summary (``warehouse.check_summary``), not every row."""
    from . import checks

    from .report import failed_checks_html

    docs = settings.warehouse / "data_docs" if settings.data_docs else None
    with _open(settings) as con:
        checks.run_all(con, run_id, docs_dir=docs, chunk_rows=settings.check_chunk_rows)
        warehouse.set_checks_fingerprint(con, run_id, checks.fingerprint())
        failed_checks_html(con, run_id, settings.warehouse / "reports" / run_id / "index.html")
        return warehouse.check_summary(con, run_id)


def carry_checks(settings: Settings, run_id: str) -> dict | None:
    """When this run changed nothing (called only then) and the run before it completed with
    the same rules, its check rows are this run's: copy them instead of checking again, so a
    rerun over an unchanged archive takes seconds. Returns the summary, or None when the
    checks must run."""
    from . import checks

    from .report import carry_report, failed_checks_html

    with _open(settings) as con:
        before = warehouse.previous_run(con, run_id)
        sha = checks.fingerprint()
        if before is None or before[1] != sha:
            return None
        warehouse.carry_checks(con, run_id, before[0])
        warehouse.set_checks_fingerprint(con, run_id, sha)
        reports = settings.warehouse / "reports"
        if not carry_report(reports / before[0] / "index.html", reports / run_id / "index.html", before[0], run_id):
            failed_checks_html(con, run_id, reports / run_id / "index.html")
        return warehouse.check_summary(con, run_id)


def publish(settings: Settings, run_id: str, stats: dict) -> str:
    """Close the run record and publish its snapshot, each table streamed from the warehouse
    into Parquet; LATEST moves last."""
    root = settings.snapshot_root or settings.warehouse
    with _open(settings) as con:
        warehouse.finish_run(con, run_id, "completed", **stats)
    extra = {}
    report = settings.warehouse / "reports" / run_id
    if report.is_dir():
        extra["report"] = report
    docs = settings.warehouse / "data_docs"
    if settings.data_docs and docs.is_dir():
        extra["data_docs"] = docs
    with _open(settings, read_only=True) as con:
        with warehouse.export_tables(con, run_id=run_id) as tables:
            sid = snapshot.publish(tables, root, run_id=run_id, keep=settings.keep_snapshots, extra_files=extra)
    with _open(settings) as con:
        con.execute("update runs set snapshot_id = ? where run_id = ?", [sid, run_id])
    return sid


def fail(settings: Settings, run_id: str, message: str) -> None:
    """Mark the run failed; nothing it half-did is visible (loads are transactions)."""
    try:
        with _open(settings) as con:
            warehouse.finish_run(con, run_id, "failed", message=message[:2000])
    except NewsfactsError:
        log.exception("could not record the failure of run %s", run_id)


# ----------------------------------------------------------------------------------------------
# a whole run


@dataclass(frozen=True)
class Stages:
    """The stage functions a run calls; the Prefect flow passes its tasks in their place."""

    read: Callable = read_files
    extract: Callable = extract  # split into articles, extract, tabulate
    load: Callable = load
    check: Callable = check
    carry_checks: Callable = carry_checks
    publish: Callable = publish
    summarise: Callable | None = None  # receives the run's Markdown summary (a Prefect artifact)


def run(settings: Settings, inputs: Sequence[str | Path], stages: Stages = Stages()) -> dict:
    """One run: discover, then per batch of files read, extract and load; then check
    and publish. Holds the warehouse lock throughout; a failure marks the run failed and leaves
    LATEST where it was. Returns the run's figures."""
    inputs = [str(p) for p in inputs]
    run_id = new_run_id()
    with warehouse.run_lock(settings.warehouse, settings.lock_wait_seconds):
        known = begin(settings, run_id, inputs)
        try:
            return _run(settings, run_id, inputs, known, stages)
        except BaseException as e:
            fail(settings, run_id, f"{type(e).__name__}: {e}")
            raise


def _run(settings: Settings, run_id: str, inputs: list[str], known: dict[str, str], stages: Stages) -> dict:
    paths = discover(inputs)
    progress.report(f"found {len(paths)} input files")
    workers = worker_count(settings)
    stats = {"articles_seen": 0, "articles_new": 0, "facts": 0, "quarantined": 0}
    unchanged: list[str] = []
    loaded = 0
    for start in range(0, len(paths), settings.batch_size):
        batch = paths[start : start + settings.batch_size]
        read = stages.read(batch, known, settings)
        ex = stages.extract(read.documents, workers)
        stages.load(settings, run_id, read.files, ex, read.quarantined)
        unchanged += read.unchanged
        loaded += len(read.files)
        stats["articles_new"] += ex.articles.num_rows
        stats["facts"] += ex.facts.num_rows
        stats["quarantined"] += len(read.quarantined)
        progress.report(
            f"files {min(start + len(batch), len(paths))}/{len(paths)}: {stats['articles_new']} new articles, "
            f"{stats['facts']} facts, {len(unchanged)} files unchanged, {stats['quarantined']} quarantined"
        )
    release_workers()
    removed = removed_files(paths, inputs, known)
    done = finish_loading(settings, unchanged, removed)
    stats["articles_seen"] = stats["articles_new"] + done["articles_unchanged"]
    result = None
    if not loaded and not done["articles_dropped"]:
        result = stages.carry_checks(settings, run_id)
        if result is not None:
            progress.report("nothing changed since the last run: its checks stand")
    if result is None:
        progress.report("checking")
        result = stages.check(settings, run_id)
    stats["checks_failed"] = result["failed"]
    progress.report(f"{stats['checks_failed']} checks failed; publishing the snapshot")
    stats["snapshot_id"] = stages.publish(settings, run_id, stats)
    progress.report(f"run {run_id} completed: {stats['articles_new']} new articles, {stats['facts']} facts, "
                    f"{stats['checks_failed']} checks failed, snapshot {stats['snapshot_id']}")
    summary = {"run_id": run_id, **stats, "errors_failed": result["errors_failed"],
               "warnings_failed": result["warnings_failed"],
               "removed_files": len(removed), "articles_dropped": done["articles_dropped"]}
    if stages.summarise is not None:
        from .report import run_markdown

        stages.summarise(run_markdown(summary, result["sample"]))
    return summary
