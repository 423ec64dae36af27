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
import errno
import fcntl
import os
import time
from datetime import datetime, timezone
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

import duckdb
import pyarrow as pa

from . import progress
from .errors import ConfigError, WarehouseBusy, WarehouseError
from .model import Article, DateMention, Fact
from .resources import resource_dir
from .settings import Settings

if TYPE_CHECKING:
    import pandas

CONTRACT_TABLES = ("articles", "facts", "checks", "runs", "quarantine")
SNAPSHOT_TABLES = ("articles", "facts", "checks", "dates", "enumerations", "runs", "quarantine")
# Rows per Arrow batch when a table is streamed out for a snapshot (one Parquet row group each).
EXPORT_BATCH_ROWS = 1 << 17
# Check rows converted to Arrow and inserted at a time.
INSERT_BATCH_ROWS = 50_000


def read_sql(name: str) -> str:
    """The text of one file under ``sql/``."""
    return (resource_dir("sql") / name).read_text(encoding="utf-8")


def records(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    """The rows of an executed query, each a dict by column name."""
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def _schema_files() -> list[Path]:
    return sorted(p for p in resource_dir("sql").glob("*.sql"))


def _apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing; a warehouse whose facts still carry a primary key (made before
    it was dropped from the schema) has its facts table rebuilt without it, rows unchanged,
    in one transaction."""
    keyed = con.execute(read_sql("queries/facts_keyed.sql")).fetchall()[0][0]
    if not keyed:
        for f in _schema_files():
            con.execute(f.read_text(encoding="utf-8"))
        return
    con.execute("begin transaction")
    try:
        con.execute("alter table facts rename to facts__keyed")
        for f in _schema_files():
            con.execute(f.read_text(encoding="utf-8"))
        con.execute("insert into facts by name select * from facts__keyed")
        con.execute("drop table facts__keyed")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


@contextlib.contextmanager
def connect(
    db: Path, *, read_only: bool = False, wait_seconds: float = 30.0, memory_limit: str | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse (creating it and its schema when writable), and close it after.

    DuckDB lets one process write, or several read: while another process has the file open in
    a conflicting mode (a reader between two stages of a run, or a run's stage), this retries
    for up to ``wait_seconds`` before giving up.

    DuckDB holds itself to ``memory_limit`` (default: the ``duckdb_memory`` setting), spilling
    sorts, joins and aggregates to ``<db>.tmp/`` beyond it, so its memory does not grow with
    the warehouse.
    """
    db = Path(db)
    config = {"memory_limit": memory_limit or Settings.from_env().duckdb_memory}
    if not read_only:
        db.parent.mkdir(parents=True, exist_ok=True)
    elif not db.exists():
        raise WarehouseError(f"{db}: no warehouse here yet; run `newsfacts run` first")
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(str(db), read_only=read_only, config=config)
            break
        except (duckdb.InvalidInputException, duckdb.ParserException) as e:
            raise ConfigError(f"memory_limit {config['memory_limit']!r}: {e}") from None
        except duckdb.IOException as e:
            if "lock" not in str(e).lower() or time.monotonic() >= deadline:
                raise WarehouseError(f"{db}: cannot open the warehouse: {e}") from None
            time.sleep(0.1)
    try:
        if not read_only:
            _apply_schema(con)
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
        "insert into runs (run_id, started_at, status, inputs, seq) values (?, ?, 'running', ?, nextval('run_seq'))",
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
    """Records as a table: ``columns`` (attributes of objects, or keys of dicts, a missing key
    a null) give the schema's fields in order.

    Objects are read a row at a time by one ``attrgetter`` and transposed with ``zip``: a
    batch holds tens of thousands of facts, and a ``getattr`` per cell cost more than the
    conversion to Arrow."""
    rows = list(rows)
    if not rows:
        return schema.empty_table()
    if isinstance(rows[0], dict):
        data = [[r.get(c) for r in rows] for c in columns]
    else:
        get = attrgetter(*columns)
        data = list(zip(*map(get, rows))) if len(columns) > 1 else [list(map(get, rows))]
    return pa.Table.from_arrays([pa.array(col, type=f.type) for col, f in zip(data, schema, strict=True)], schema=schema)


ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("source_path", pa.string()), ("part", pa.int32()), ("ordinal", pa.int32()),
    ("kind", pa.string()), ("title", pa.string()), ("byline", pa.string()), ("published_date", pa.string()),
    ("published_date_inferred", pa.bool_()), ("source_start", pa.int32()), ("source_end", pa.int32()),
    ("text", pa.string()), ("content_sha256", pa.string()),
])
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


# the attributes of an Article that give the warehouse's columns: its span is source_start, source_end
_ARTICLE_ATTRIBUTES = [{"source_start": "start", "source_end": "end"}.get(c, c) for c in ARTICLE_SCHEMA.names]


def articles_table(articles: Iterable[Article]) -> pa.Table:
    return _arrow(articles, _ARTICLE_ATTRIBUTES, ARTICLE_SCHEMA)


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
    """Append check result rows (dicts with the columns of ``checks``), in one transaction."""
    cols = ["run_id", "check_id", "rule", "severity", "status", "article_id", "fact_ids", "message"]
    con.execute("begin transaction")
    try:
        for start in range(0, len(rows), INSERT_BATCH_ROWS):  # one slice at a time as Arrow
            part = rows[start : start + INSERT_BATCH_ROWS]
            con.register("in_checks", pa.table({
                c: pa.array([r.get(c) if c != "fact_ids" else list(r.get(c) or []) for r in part],
                            pa.list_(pa.string()) if c == "fact_ids" else pa.string())
                for c in cols
            }))
            con.execute("insert into checks by name select * from in_checks")
            con.unregister("in_checks")
        con.execute("commit")
        pa.default_memory_pool().release_unused()  # else the Arrow allocator keeps the slices' pages
    except Exception:
        con.execute("rollback")
        with contextlib.suppress(Exception):
            con.unregister("in_checks")
        raise


@contextlib.contextmanager
def export_tables(
    con: duckdb.DuckDBPyConnection,
    names: Sequence[str] = SNAPSHOT_TABLES,
    run_id: str | None = None,
    batch_rows: int = EXPORT_BATCH_ROWS,
) -> Iterator[dict[str, pa.RecordBatchReader]]:
    """The tables as Arrow streams, for a snapshot; ``checks`` holds only the given run's rows.

    Nothing is read until a stream is: each runs its query when first read and yields batches
    of ``batch_rows``, so memory holds one batch, not the table. Read them one at a time, inside
    the ``with``, while the connection is open; leaving it closes every stream, even one left
    half-read by an error (an open DuckDB stream keeps the database file open after its
    connection has closed, and later connections of this process to it would fail).
    """
    queries = []
    streams = {}
    for name in names:
        stream, query = _stream(con, *_export_query(name, run_id), batch_rows)
        streams[name] = stream
        queries.append(query)
    try:
        yield streams
    finally:
        for query in queries:
            query.close()


def _export_query(name: str, run_id: str | None) -> tuple[str, dict]:
    if name == "checks" and run_id is not None:
        return "select * from checks where run_id = $run_id order by check_id", {"run_id": run_id}
    return f"select * from {name}", {}


def _stream(con: duckdb.DuckDBPyConnection, sql: str, params: dict, batch_rows: int):
    """A lazy stream of a query's batches, and the generator behind it (close it to let go)."""
    schema = con.sql(f"select * from ({sql}) limit 0", params=params).to_arrow_table().schema

    def batches() -> Iterator[pa.RecordBatch]:
        reader = con.sql(sql, params=params).to_arrow_reader(batch_rows)
        try:
            yield from reader
        finally:
            reader.close()

    query = batches()
    return pa.RecordBatchReader.from_batches(schema, query), query


def frames(con: duckdb.DuckDBPyConnection, relation: str, key: str, rows: int) -> Iterator[pandas.DataFrame]:
    """A table or view as DataFrames of about ``rows`` rows in ``key`` order; the rows that share
    a key are never split between two frames, so a uniqueness check can run frame by frame.

    DuckDB sorts within its memory limit (spilling beyond it) and streams the result: memory
    holds one frame. Yields at least one frame, an empty one when the relation is empty.

    >>> con = duckdb.connect()
    >>> _ = con.execute("create table t as select (i // 3)::varchar as k from range(10) as r(i)")
    >>> [list(f["k"]) for f in frames(con, "t", "k", 4)]
    [['0', '0', '0'], ['1', '1', '1'], ['2', '2', '2', '3']]
    >>> [len(f) for f in frames(con, "t where false", "k", 4)]
    [0]
    """
    import pandas as pd

    cur = con.execute(f'select * from {relation} order by "{key}"')
    vectors = max(1, -(-rows // duckdb.__standard_vector_size__))

    def pieces() -> Iterator[pandas.DataFrame]:
        got = cur.fetch_df_chunk(vectors)
        if not len(got):
            yield got  # no rows: one empty frame, with the columns
        while len(got):
            for start in range(0, len(got), rows):
                yield got.iloc[start : start + rows]
            got = cur.fetch_df_chunk(vectors)

    stream, carry = pieces(), None
    piece = next(stream)
    while piece is not None:
        following = next(stream, None)
        frame = piece if carry is None else pd.concat([carry, piece], ignore_index=True)
        carry = None
        if following is not None and not pd.isna(frame[key].iloc[-1]):
            # hold back the rows of the last key: they may go on in the next piece
            last = frame[key].iloc[-1]
            cut = int((frame[key] == last).to_numpy(dtype=bool, na_value=False).argmax())
            frame, carry = frame.iloc[:cut], frame.iloc[cut:]
        if len(frame) or following is None:
            yield frame.reset_index(drop=True)
        piece = following


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of the contract's tables."""
    return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in (*CONTRACT_TABLES, "dates")}


def failed_checks(con: duckdb.DuckDBPyConnection, run_id: str | None = None, severity: str | None = None) -> list[dict]:
    """Failed checks of a run (default: the latest completed), with their articles."""
    return records(con.execute(read_sql("queries/failed_checks.sql"), [run_id, severity, severity]))


def failed_checks_batches(
    con: duckdb.DuckDBPyConnection, run_id: str | None = None, severity: str | None = None, rows: int = 10_000,
) -> Iterator[list[dict]]:
    """``failed_checks``, ``rows`` at a time. They wait in their order in a temporary table,
    which DuckDB may spill to disk: no query stays open between batches (an open one would
    hold its sort and hash tables in memory), so ``con`` is free for others meanwhile."""
    con.execute(f"create or replace temp table {_FAILED_PAGES} as " + read_sql("queries/failed_checks.sql"),
                [run_id, severity, severity])
    try:
        total = con.execute(f"select count(*) from {_FAILED_PAGES}").fetchall()[0][0]
        for start in range(0, total, rows):
            yield records(con.execute(f"select * from {_FAILED_PAGES} where rowid >= ? and rowid < ? order by rowid",
                                      [start, start + rows]))
    finally:
        con.execute(f"drop table if exists {_FAILED_PAGES}")


_FAILED_PAGES = "temp.newsfacts_failed_checks"


def facts_by_id(con: duckdb.DuckDBPyConnection, fact_ids: Sequence[str]) -> dict[str, dict]:
    """Facts (surface, sentence, offsets) by id."""
    if not fact_ids:
        return {}
    cur = con.execute(
        "select fact_id, article_id, surface, source_start, source_end, sentence, sentence_start, sentence_offset "
        "from facts where fact_id in (select unnest(?))", [list(fact_ids)])
    return {r["fact_id"]: r for r in records(cur)}


# ----------------------------------------------------------------------------------------------
# Checks carried over an unchanged warehouse


def previous_run(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[str, str | None] | None:
    """The run before ``run_id`` (its id and checks fingerprint) if it completed and published;
    None when it did not, or there is none."""
    row = con.execute(read_sql("queries/previous_run.sql"), {"run_id": run_id}).fetchone()
    return (row[0], row[1]) if row else None


def carry_checks(con: duckdb.DuckDBPyConnection, run_id: str, previous_run_id: str) -> int:
    """Copy the check rows of ``previous_run_id`` to ``run_id``; returns how many."""
    con.execute(read_sql("loads/40_carry_checks.sql"), {"run_id": run_id, "previous_run_id": previous_run_id})
    return con.execute("select count(*) from checks where run_id = ?", [run_id]).fetchone()[0]


def check_rows(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    """The check rows of a run, as dicts."""
    return records(con.execute("select * from checks where run_id = ? order by check_id", [run_id]))


def set_checks_fingerprint(con: duckdb.DuckDBPyConnection, run_id: str, sha256: str) -> None:
    """Record the fingerprint of the rules a run checked with."""
    con.execute("update runs set checks_sha256 = ? where run_id = ?", [sha256, run_id])


def check_summary(con: duckdb.DuckDBPyConnection, run_id: str, sample: int = 50) -> dict:
    """How a run's checks went: ``failed``, ``errors_failed``, ``warnings_failed``, and the
    first ``sample`` failed rows (errors first) as dicts, for summaries; the rest stay here."""
    failed, errors, warnings = con.execute(
        "select count(*), count(*) filter (where severity = 'error'), count(*) filter (where severity = 'warning') "
        "from checks where run_id = ? and status = 'fail'", [run_id]).fetchone()
    cur = con.execute("select * from checks where run_id = ? and status = 'fail' "
                      "order by severity, check_id, article_id nulls first, message limit ?", [run_id, sample])
    return {"failed": failed, "errors_failed": errors, "warnings_failed": warnings, "sample": records(cur)}
