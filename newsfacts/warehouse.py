"""The one module that talks to DuckDB: schema, locking, bulk loads through Arrow, run records.

A run holds the write connection only while it writes: each function here opens, works and
closes, so other readers (``duckdb warehouse/newsfacts.duckdb``) can get in between stages.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     with connect(Path(d) / "newsfacts.duckdb") as con:
...         sorted(r[0] for r in con.execute("select table_name from information_schema.tables where table_type = 'BASE TABLE'").fetchall())
['articles', 'checks', 'dates', 'enumerations', 'facts', 'files', 'quarantine', 'runs']
"""
from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import duckdb
import pyarrow as pa

from . import progress
from .errors import WarehouseBusy, WarehouseError
from .model import Article, DateMention, Fact
from .resources import resource_dir

CONTRACT_TABLES = ("articles", "facts", "checks", "runs", "quarantine")
SNAPSHOT_TABLES = ("articles", "facts", "checks", "dates", "enumerations", "runs", "quarantine")


def read_sql(name: str) -> str:
    """The text of one file under ``sql/``."""
    return (resource_dir("sql") / name).read_text(encoding="utf-8")


def _schema_files() -> list[Path]:
    return sorted(p for p in resource_dir("sql").glob("*.sql"))


@contextlib.contextmanager
def connect(db: Path, *, read_only: bool = False, wait_seconds: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse (creating it and its schema when writable), and close it after.

    DuckDB lets one process write, or several read: while another process has the file open in
    a conflicting mode (a reader between two stages of a run, or a run's stage), this retries
    for up to ``wait_seconds`` before giving up.
    """
    db = Path(db)
    if not read_only:
        db.parent.mkdir(parents=True, exist_ok=True)
    elif not db.exists():
        raise WarehouseError(f"{db}: no warehouse here yet; run `newsfacts run` first")
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(str(db), read_only=read_only)
            break
        except duckdb.IOException as e:
            if "lock" not in str(e).lower() or time.monotonic() >= deadline:
                raise WarehouseError(f"{db}: cannot open the warehouse: {e}") from None
            time.sleep(0.1)
    try:
        if not read_only:
            for f in _schema_files():
                con.execute(f.read_text(encoding="utf-8"))
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def run_lock(warehouse: Path, wait_seconds: float) -> Iterator[None]:
    """One run at a time per warehouse: a second run waits, then refuses with a clear message."""
    warehouse.mkdir(parents=True, exist_ok=True)
    path = warehouse / ".newsfacts.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    waiting = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
                if not waiting:
                    waiting = True
                    progress.report(f"waiting for another newsfacts run ({holder}) to finish with {warehouse}")
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"{warehouse}: another newsfacts run ({holder}) is writing this warehouse; "
                        f"waited {wait_seconds:.0f} s. Try again when it has finished."
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# ----------------------------------------------------------------------------------------------
# Runs


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, inputs: Sequence[str]) -> None:
    """Record a run as running; mark as failed the runs a crash left unfinished: still running,
    or completed but killed before their snapshot was published."""
    con.execute(
        "update runs set status = 'failed', message = 'did not finish (killed or crashed)' "
        "where status = 'running' or (status = 'completed' and snapshot_id is null)"
    )
    con.execute(
        "insert into runs (run_id, started_at, status, inputs) values (?, ?, 'running', ?)",
        [run_id, utcnow(), list(inputs)],
    )


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, **stats) -> None:
    """Close a run record with its status and figures."""
    allowed = {"articles_seen", "articles_new", "facts", "checks_failed", "quarantined", "snapshot_id", "message"}
    cols = [k for k in stats if k in allowed]
    sets = ", ".join(f"{k} = ?" for k in cols)
    con.execute(
        f"update runs set status = ?, finished_at = ?{', ' if sets else ''}{sets} where run_id = ?",
        [status, utcnow(), *(stats[k] for k in cols), run_id],
    )


def articles_in_run(con: duckdb.DuckDBPyConnection, paths: Sequence[str]) -> int:
    """How many articles the warehouse holds for these files."""
    if not paths:
        return 0
    con.register("in_paths", pa.table({"source_path": pa.array(list(paths), pa.string())}))
    try:
        return con.execute("select count(*) from articles where source_path in (select source_path from in_paths)").fetchall()[0][0]
    finally:
        con.unregister("in_paths")


def known_files(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Content hash of every file already loaded, by path. A file last loaded by a run that did
    not complete maps to '' (no hash), so the next run reads it again and counts it as new."""
    return dict(con.execute(
        "select f.source_path, if(r.status = 'completed', f.content_sha256, '') "
        "from files as f left join runs as r on r.run_id = f.last_run_id").fetchall())


# ----------------------------------------------------------------------------------------------
# Loading


def _arrow(rows: Iterable[object], columns: Sequence[str], schema: pa.Schema) -> pa.Table:
    rows = list(rows)
    data = {c: [getattr(r, c) if not isinstance(r, dict) else r.get(c) for r in rows] for c in columns}
    return pa.Table.from_pydict(data, schema=schema)


ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("source_path", pa.string()), ("part", pa.int32()), ("ordinal", pa.int32()),
    ("kind", pa.string()), ("title", pa.string()), ("byline", pa.string()), ("published_date", pa.string()),
    ("published_date_inferred", pa.bool_()), ("source_start", pa.int32()), ("source_end", pa.int32()),
    ("text", pa.string()), ("content_sha256", pa.string()),
])
FACT_COLUMNS = [f.name for f in dataclasses.fields(Fact)]
FACT_SCHEMA = pa.schema([
    ("fact_id", pa.string()), ("article_id", pa.string()), ("surface", pa.string()),
    ("source_start", pa.int32()), ("source_end", pa.int32()), ("value", pa.float64()),
    ("value_low", pa.float64()), ("value_high", pa.float64()), ("unit", pa.string()), ("kind", pa.string()),
    ("approx", pa.string()), ("counted", pa.string()), ("place", pa.string()), ("year", pa.int32()),
    ("sentence", pa.string()), ("sentence_start", pa.int32()), ("sentence_offset", pa.int32()),
    ("in_title", pa.bool_()),
    ("place_level", pa.int32()), ("place_province", pa.string()), ("place_city", pa.string()),
    ("place_county", pa.string()), ("per", pa.string()), ("prefix", pa.string()), ("suffix", pa.string()),
])
DATE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("surface", pa.string()), ("source_start", pa.int32()),
    ("source_end", pa.int32()), ("date_from", pa.string()), ("date_to", pa.string()),
    ("year", pa.int32()), ("base", pa.bool_()),
])
ENUM_SCHEMA = pa.schema([("fact_id", pa.string()), ("items", pa.int32()), ("partial", pa.bool_()),
                         ("item_text", pa.string())])


def articles_table(articles: Iterable[Article]) -> pa.Table:
    rows = [dict(dataclasses.asdict(a), source_start=a.start, source_end=a.end) for a in articles]
    return _arrow(rows, ARTICLE_SCHEMA.names, ARTICLE_SCHEMA)


def facts_table(facts: Iterable[Fact]) -> pa.Table:
    return _arrow(facts, FACT_SCHEMA.names, FACT_SCHEMA)


def dates_table(dates: Iterable[DateMention]) -> pa.Table:
    return _arrow(dates, DATE_SCHEMA.names, DATE_SCHEMA)


def enumerations_table(rows: Iterable[dict]) -> pa.Table:
    return _arrow(rows, ENUM_SCHEMA.names, ENUM_SCHEMA)


def load(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    *,
    files: Sequence[tuple[str, str, int]],
    articles: pa.Table,
    facts: pa.Table,
    dates: pa.Table,
    enumerations: pa.Table,
) -> None:
    """Replace everything known about ``files`` (path, sha256, bytes) with the new rows, atomically.

    One transaction: a failure leaves the warehouse as it was.
    """
    paths = pa.table({"source_path": pa.array([f[0] for f in files], pa.string()),
                      "content_sha256": pa.array([f[1] for f in files], pa.string()),
                      "bytes": pa.array([f[2] for f in files], pa.int64())})
    con.execute("begin transaction")
    try:
        con.register("in_paths", paths)
        con.register("in_articles", articles)
        con.register("in_facts", facts)
        con.register("in_dates", dates)
        con.register("in_enums", enumerations)
        con.execute(read_sql("loads/10_delete_replaced.sql"))
        con.register("in_run", pa.table({"run_id": pa.array([run_id], pa.string())}))
        con.execute(read_sql("loads/20_insert_new.sql"))
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        for name in ("in_paths", "in_articles", "in_facts", "in_dates", "in_enums", "in_run"):
            with contextlib.suppress(Exception):
                con.unregister(name)


def drop_files(con: duckdb.DuckDBPyConnection, paths: Sequence[str]) -> int:
    """Remove the articles (and their facts) of files no longer in the input. Returns articles dropped."""
    if not paths:
        return 0
    con.execute("begin transaction")
    try:
        con.register("in_paths", pa.table({"source_path": pa.array(list(paths), pa.string())}))
        n = con.execute("select count(*) from articles where source_path in (select source_path from in_paths)").fetchall()[0][0]
        con.execute(read_sql("loads/30_drop_removed.sql"))
        con.execute("commit")
        return n
    except Exception:
        con.execute("rollback")
        raise
    finally:
        with contextlib.suppress(Exception):
            con.unregister("in_paths")


def record_quarantine(con: duckdb.DuckDBPyConnection, run_id: str, rows: Sequence[tuple[str, str]]) -> None:
    """Store the inputs that could not be read, with their reasons."""
    if rows:
        con.executemany("insert into quarantine values (?, ?, ?)", [(p, r, run_id) for p, r in rows])


def insert_checks(con: duckdb.DuckDBPyConnection, rows: Sequence[dict]) -> None:
    """Append check result rows (dicts with the columns of ``checks``)."""
    if not rows:
        return
    cols = ["run_id", "check_id", "rule", "severity", "status", "article_id", "fact_ids", "message"]
    table = pa.table({
        c: pa.array([r.get(c) if c != "fact_ids" else list(r.get(c) or []) for r in rows],
                    pa.list_(pa.string()) if c == "fact_ids" else pa.string())
        for c in cols
    })
    con.register("in_checks", table)
    try:
        con.execute("insert into checks by name select * from in_checks")
    finally:
        con.unregister("in_checks")


def export_tables(con: duckdb.DuckDBPyConnection, names: Sequence[str] = SNAPSHOT_TABLES, run_id: str | None = None) -> dict[str, pa.Table]:
    """The tables as Arrow, for a snapshot; ``checks`` holds only the given run's rows."""
    out = {}
    for name in names:
        if name == "checks" and run_id is not None:
            out[name] = con.sql("select * from checks where run_id = $run_id order by check_id",
                                params={"run_id": run_id}).to_arrow_table()
        else:
            out[name] = con.sql(f"select * from {name}").to_arrow_table()
    return out


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of the contract's tables."""
    return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in (*CONTRACT_TABLES, "dates")}


def failed_checks(con: duckdb.DuckDBPyConnection, run_id: str | None = None, severity: str | None = None) -> list[dict]:
    """Failed checks of a run (default: the latest completed), with their articles."""
    cur = con.execute(read_sql("queries/failed_checks.sql"), [run_id, severity, severity])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def facts_by_id(con: duckdb.DuckDBPyConnection, fact_ids: Sequence[str]) -> dict[str, dict]:
    """Facts (surface, sentence, offsets) by id."""
    if not fact_ids:
        return {}
    cur = con.execute("select * from facts where list_contains(?, fact_id)", [list(fact_ids)])
    cols = [d[0] for d in cur.description]
    return {row[0]: dict(zip(cols, row)) for row in cur.fetchall()}
