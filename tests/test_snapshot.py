"""Snapshots: Parquet files plus a manifest, published atomically, read back verified."""
from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsfacts import snapshot
from newsfacts.errors import SnapshotError
from newsfacts.snapshot import diff, latest, list_snapshots, publish, read_manifest, read_table

RUN = "3f2a9c1e-7b4d-4c1a-9e2f-5d6c7b8a9f01"

FACTS_SCHEMA = pa.schema([
    ("fact_id", pa.string()),
    ("article_id", pa.string()),
    ("surface", pa.string()),
    ("value", pa.float64()),
    ("value_low", pa.float64()),
    ("value_high", pa.float64()),
    ("unit", pa.string()),
    ("kind", pa.string()),
    ("approx", pa.string()),
    ("counted", pa.string()),
    ("place", pa.string()),
    ("year", pa.int32()),
    ("sentence", pa.string()),
    ("source_start", pa.int64()),
    ("source_end", pa.int64()),
])

BASE_FACTS = {
    "f1": dict(surface="18万多个", value=180000.0, unit="个", kind="count", approx="more_than",
               counted="基层党组织", place="湖北省", year=2023),
    "f2": dict(surface="117万元", value=1170000.0, unit="元", kind="money", approx=None,
               counted="村集体经济收入", place="峒山村", year=None),
    "f3": dict(surface="25岁至45岁", value=None, value_low=25.0, value_high=45.0, unit="岁",
               kind="age", approx="range", counted="党员", place=None, year=None),
}


def facts(rows: dict[str, dict] = BASE_FACTS) -> pa.Table:
    """A facts table, one row per fact_id; unspecified columns are filled in plausibly."""
    records = []
    for i, (fact_id, fields) in enumerate(rows.items()):
        record = {name: None for name in FACTS_SCHEMA.names}
        record.update(fact_id=fact_id, article_id="a1", sentence=f"第{i}句。",
                      source_start=10 * i, source_end=10 * i + 4)
        record.update(fields)
        records.append(record)
    return pa.Table.from_pylist(records, schema=FACTS_SCHEMA)


def tables(fact_rows: dict[str, dict] = BASE_FACTS) -> dict[str, pa.Table]:
    articles = pa.table({
        "article_id": ["a1"],
        "source_path": ["corpus/鄂州.txt"],
        "title": ["鄂州：党建引领"],
        "published_date": pa.array([datetime(2024, 3, 1).date()], pa.date32()),
        "published_date_inferred": [False],
        "text": ["全省共有基层党组织18万多个。"],
    })
    checks = pa.table({
        "run_id": [RUN, RUN],
        "check_id": ["c1", "c2"],
        "rule": ["range_order", "value_positive"],
        "severity": ["error", "warning"],
        "status": ["pass", "fail"],
        "article_id": [None, "a1"],
        "fact_ids": pa.array([[], ["f1", "f2"]], pa.list_(pa.string())),
        "message": [None, "two facts"],
    })
    return {"articles": articles, "facts": facts(fact_rows), "checks": checks}


def snapshots_dir(root: Path) -> Path:
    return root / "snapshots"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- what a snapshot holds ------------------------------------------------------------------

def test_manifest_describes_the_files(tmp_path):
    given = tables()
    sid = publish(given, tmp_path, run_id=RUN)

    folder = snapshots_dir(tmp_path) / sid
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest == read_manifest(tmp_path, sid)
    assert re.fullmatch(r"\d{8}T\d{6}Z-3f2a9c", sid)
    assert manifest["snapshot_id"] == sid and manifest["run_id"] == RUN
    assert manifest["format_version"] == 1
    created = datetime.fromisoformat(manifest["created_at"])
    assert created.utcoffset() == timedelta(0)
    assert abs(datetime.now(timezone.utc) - created) < timedelta(minutes=1)
    assert set(manifest["tables"]) == {"articles", "facts", "checks"}
    for name, table in given.items():
        entry = manifest["tables"][name]
        assert entry["rows"] == table.num_rows
        assert [f["name"] for f in entry["schema"]] == table.schema.names
        assert [f["type"] for f in entry["schema"]] == [str(t) for t in table.schema.types]
        [file] = entry["files"]
        assert file["path"] == f"{name}.parquet"
        assert file["bytes"] == (folder / file["path"]).stat().st_size
        assert file["sha256"] == sha256(folder / file["path"])
        metadata = pq.ParquetFile(folder / file["path"]).metadata
        assert metadata.row_group(0).column(0).compression == "ZSTD"
    year = next(f for f in manifest["tables"]["facts"]["schema"] if f["name"] == "year")
    assert year == {"name": "year", "type": "int32", "nullable": True}
    assert manifest["extra_files"] == []
    assert (snapshots_dir(tmp_path) / "LATEST").read_text() == sid
    assert {p.name for p in snapshots_dir(tmp_path).iterdir()} == {"LATEST", sid}


def test_files_are_read_by_pyarrow_duckdb_polars_and_pandas(tmp_path):
    sid = publish(tables(), tmp_path, run_id=RUN)
    path = snapshots_dir(tmp_path) / sid / "facts.parquet"

    assert pq.read_table(path).num_rows == 3
    assert duckdb.sql(f"select count(*) from '{path}'").fetchall() == [(3,)]
    money = duckdb.sql(f"select sum(value) from '{path}' where kind = 'money'").fetchall()
    assert money == [(1170000.0,)]
    frame = pl.read_parquet(path)
    assert frame.height == 3 and frame.schema["year"] == pl.Int32
    assert pd.read_parquet(path)["unit"].tolist() == ["个", "元", "岁"]
    checks = snapshots_dir(tmp_path) / sid / "checks.parquet"
    lengths = duckdb.sql(f"select len(fact_ids) from '{checks}' order by check_id").fetchall()
    assert lengths == [(0,), (2,)]


def test_read_table_gives_back_the_table(tmp_path):
    given = tables()
    sid = publish(given, tmp_path, run_id=RUN)
    for name, table in given.items():
        assert read_table(tmp_path, sid, name).equals(table, check_metadata=False)
    assert read_table(tmp_path, None, "facts").schema.field("year").type == pa.int32()


def test_extra_files_are_copied_and_hashed(tmp_path):
    report = tmp_path / "report"
    (report / "assets").mkdir(parents=True)
    (report / "index.html").write_text("<h1>事实</h1>", encoding="utf-8")
    (report / "assets" / "style.css").write_text("body{}")
    notes = tmp_path / "notes.txt"
    notes.write_text("run notes")
    root = tmp_path / "wh"

    sid = publish(tables(), root, run_id=RUN, extra_files={"report": report, "notes.txt": notes})

    folder = snapshots_dir(root) / sid
    entries = read_manifest(root, sid)["extra_files"]
    assert [e["path"] for e in entries] == [
        "report/assets/style.css", "report/index.html", "notes.txt"]
    for entry in entries:
        assert entry["sha256"] == sha256(folder / entry["path"])
        assert entry["bytes"] == (folder / entry["path"]).stat().st_size
    assert (folder / "report" / "index.html").read_text(encoding="utf-8") == "<h1>事实</h1>"


def test_extra_files_may_not_escape_or_clash(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    with pytest.raises(ValueError):
        publish(tables(), tmp_path / "wh", run_id=RUN, extra_files={"../out.txt": notes})
    with pytest.raises(ValueError):
        publish(tables(), tmp_path / "wh", run_id=RUN, extra_files={"facts.parquet": notes})
    with pytest.raises(SnapshotError):
        publish(tables(), tmp_path / "wh", run_id=RUN, extra_files={"x": tmp_path / "missing"})
    assert latest(tmp_path / "wh") is None


# --- ids, LATEST and the list ---------------------------------------------------------------

def test_nothing_published_yet(tmp_path):
    assert latest(tmp_path) is None
    assert list_snapshots(tmp_path) == []
    with pytest.raises(SnapshotError, match="no snapshot"):
        read_table(tmp_path, None, "facts")


def test_ids_are_unique_and_sort_by_time(tmp_path):
    first = publish(tables(), tmp_path, run_id=RUN)
    second = publish(tables(), tmp_path, run_id=RUN)  # very likely within the same second
    third = publish(tables(), tmp_path, run_id="nightly")
    assert len({first, second, third}) == 3
    assert first < second
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{6}", third)
    assert [s["id"] for s in list_snapshots(tmp_path)] == [third, second, first]


def test_list_snapshots_newest_first(tmp_path):
    a = publish(tables(), tmp_path, run_id="run-a")
    b = publish(tables({"f1": BASE_FACTS["f1"]}), tmp_path, run_id="run-b")
    listed = list_snapshots(tmp_path)
    assert [(s["id"], s["run_id"], s["is_latest"]) for s in listed] == [
        (b, "run-b", True), (a, "run-a", False)]
    assert listed[0]["rows"] == {"articles": 1, "facts": 1, "checks": 2}
    assert listed[1]["rows"]["facts"] == 3
    assert latest(tmp_path) == b


def test_explicit_snapshot_id(tmp_path):
    assert publish(tables(), tmp_path, run_id=RUN, snapshot_id="nightly-001") == "nightly-001"
    with pytest.raises(SnapshotError, match="already exists"):
        publish(tables(), tmp_path, run_id=RUN, snapshot_id="nightly-001")
    for bad in ("../escape", ".hidden", "LATEST", "a/b", ""):
        with pytest.raises(ValueError):
            publish(tables(), tmp_path, run_id=RUN, snapshot_id=bad)
    with pytest.raises(SnapshotError):
        read_manifest(tmp_path, "../escape")


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError):
        publish({}, tmp_path, run_id=RUN)
    with pytest.raises(ValueError):
        publish({"bad name": facts()}, tmp_path, run_id=RUN)
    with pytest.raises(TypeError):
        publish({"facts": facts().to_pandas()}, tmp_path, run_id=RUN)
    with pytest.raises(ValueError):
        publish(tables(), tmp_path, run_id="")
    with pytest.raises(ValueError):
        publish(tables(), tmp_path, run_id=RUN, keep=0)


# --- atomicity ------------------------------------------------------------------------------

def test_latest_moves_only_once_the_snapshot_is_complete(tmp_path, monkeypatch):
    before = publish(tables(), tmp_path, run_id=RUN)
    real_replace, seen = os.replace, []

    def watching_replace(src, dst):
        # At the moment LATEST moves, the new snapshot must be whole, and nothing after it.
        [new] = [s["id"] for s in list_snapshots(tmp_path) if s["id"] != before]
        assert latest(tmp_path) == before
        assert read_table(tmp_path, new, "facts").num_rows == 3
        assert Path(dst).name == "LATEST" and Path(src).read_text() == new
        assert not (snapshots_dir(tmp_path) / f".tmp-{new}").exists()
        seen.append(new)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", watching_replace)
    after = publish(tables(), tmp_path, run_id=RUN)
    assert seen == [after] and latest(tmp_path) == after


def test_crash_moving_latest_keeps_the_previous_snapshot(tmp_path, monkeypatch):
    before = publish(tables(), tmp_path, run_id=RUN)

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(SnapshotError, match="disk full"):
        publish(tables(), tmp_path, run_id=RUN)

    assert latest(tmp_path) == before
    assert [s["id"] for s in list_snapshots(tmp_path)] == [before]
    assert {p.name for p in snapshots_dir(tmp_path).iterdir()} == {"LATEST", before}
    assert read_table(tmp_path, None, "facts").num_rows == 3


@pytest.mark.parametrize("where", ["second table", "rename"])
def test_crash_while_writing_keeps_the_previous_snapshot(tmp_path, monkeypatch, where):
    before = publish(tables(), tmp_path, run_id=RUN)
    if where == "second table":
        real_write, calls = pq.write_table, []

        def write_then_crash(table, out, **kwargs):
            calls.append(1)
            if len(calls) == 2:
                out.write(b"PAR1 half")
                raise OSError("killed")
            real_write(table, out, **kwargs)

        monkeypatch.setattr(pq, "write_table", write_then_crash)
    else:
        def crash(src, dst):
            raise OSError("killed")

        monkeypatch.setattr(os, "rename", crash)

    with pytest.raises(SnapshotError, match="killed"):
        publish(tables(), tmp_path, run_id=RUN)

    assert latest(tmp_path) == before
    assert [s["id"] for s in list_snapshots(tmp_path)] == [before]
    assert {p.name for p in snapshots_dir(tmp_path).iterdir()} == {"LATEST", before}


def test_leftovers_of_a_killed_run_are_invisible_then_removed(tmp_path):
    before = publish(tables(), tmp_path, run_id=RUN)
    half = snapshots_dir(tmp_path) / ".tmp-20990101T000000Z-dead00"
    half.mkdir()
    (half / "facts.parquet").write_bytes(b"PAR1 half a file")
    (snapshots_dir(tmp_path) / ".tmp-LATEST").write_text("20990101T000000Z-dead00")

    assert latest(tmp_path) == before
    assert [s["id"] for s in list_snapshots(tmp_path)] == [before]

    after = publish(tables(), tmp_path, run_id=RUN)
    assert not half.exists()
    assert {p.name for p in snapshots_dir(tmp_path).iterdir()} == {"LATEST", before, after}


# --- streamed tables ------------------------------------------------------------------------

def stream(table: pa.Table, rows: int, fail_after: int | None = None) -> pa.RecordBatchReader:
    """The table as a reader of ``rows``-row batches; it raises after ``fail_after`` batches."""
    def batches():
        for i, batch in enumerate(table.to_batches(max_chunksize=rows)):
            if i == fail_after:
                raise OSError("connection lost")
            yield batch
    return pa.RecordBatchReader.from_batches(table.schema, batches())


@pytest.mark.parametrize("where", ["local", "memory"])
def test_a_streamed_table_is_written_batch_by_batch(tmp_path, where):
    root = tmp_path if where == "local" else f"memory://bucket/wh-{uuid.uuid4().hex}"
    empty = facts().slice(0, 0)
    sid = publish({"facts": stream(facts(), 2), "empty": stream(empty, 2), "articles": tables()["articles"]},
                  root, run_id=RUN)
    assert read_table(root, sid, "facts").equals(facts())
    assert read_table(root, sid, "empty").equals(empty)
    manifest = read_manifest(root, sid)
    assert manifest["tables"]["facts"]["rows"] == 3
    assert manifest["tables"]["facts"]["schema"] == read_manifest(root, publish(tables(), root, run_id=RUN))[
        "tables"]["facts"]["schema"]
    if where == "local":  # one row group per batch: the table was never whole in memory
        assert pq.ParquetFile(snapshots_dir(tmp_path) / sid / "facts.parquet").num_row_groups == 2


@pytest.mark.parametrize("where", ["local", "memory"])
def test_a_stream_failing_midway_keeps_the_previous_snapshot(tmp_path, where):
    root = tmp_path if where == "local" else f"memory://bucket/wh-{uuid.uuid4().hex}"
    before = publish(tables(), root, run_id=RUN)
    with pytest.raises(SnapshotError, match="connection lost"):
        publish({**tables(), "facts": stream(facts(), 2, fail_after=1)}, root, run_id=RUN)
    assert latest(root) == before
    assert [s["id"] for s in list_snapshots(root)] == [before]
    if where == "local":
        assert {p.name for p in snapshots_dir(tmp_path).iterdir()} == {"LATEST", before}


# --- retention ------------------------------------------------------------------------------

def test_retention_keeps_the_newest(tmp_path):
    ids = [publish(tables(), tmp_path, run_id=f"run-{i}", keep=3) for i in range(5)]
    assert [s["id"] for s in list_snapshots(tmp_path)] == ids[:1:-1]
    assert {p.name for p in snapshots_dir(tmp_path).iterdir()} == {"LATEST", *ids[2:]}
    assert latest(tmp_path) == ids[-1]


def test_retention_never_deletes_what_latest_names(tmp_path, monkeypatch):
    a = publish(tables(), tmp_path, run_id="run-a")
    b = publish(tables(), tmp_path, run_id="run-b")
    # A clock that went backwards: the new snapshot is the oldest by created_at.
    monkeypatch.setattr(snapshot, "_now", lambda: datetime(2000, 1, 1, tzinfo=timezone.utc))
    c = publish(tables(), tmp_path, run_id="run-c", keep=1)
    assert latest(tmp_path) == c
    assert {s["id"] for s in list_snapshots(tmp_path)} == {b, c}
    assert not (snapshots_dir(tmp_path) / a).exists()


# --- verification ---------------------------------------------------------------------------

def test_tampered_file_is_refused(tmp_path):
    sid = publish(tables(), tmp_path, run_id=RUN)
    path = snapshots_dir(tmp_path) / sid / "facts.parquet"
    other = snapshots_dir(tmp_path) / "other.parquet"
    changed = facts({**BASE_FACTS, "f1": {**BASE_FACTS["f1"], "value": 190000.0}})
    pq.write_table(changed, other, compression="zstd")
    os.replace(other, path)  # a valid Parquet file, but not the one the manifest vouches for

    with pytest.raises(SnapshotError, match="does not match its manifest"):
        read_table(tmp_path, sid, "facts")
    assert read_table(tmp_path, sid, "articles").num_rows == 1  # the others still read


def test_flipped_byte_and_missing_file_are_refused(tmp_path):
    sid = publish(tables(), tmp_path, run_id=RUN)
    folder = snapshots_dir(tmp_path) / sid
    data = bytearray((folder / "facts.parquet").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "facts.parquet").write_bytes(bytes(data))
    with pytest.raises(SnapshotError, match="facts.parquet"):
        read_table(tmp_path, None, "facts")
    (folder / "checks.parquet").unlink()
    with pytest.raises(SnapshotError, match="missing"):
        read_table(tmp_path, None, "checks")


def test_unknown_snapshot_or_table(tmp_path):
    sid = publish(tables(), tmp_path, run_id=RUN)
    with pytest.raises(SnapshotError, match="no table 'dates'"):
        read_table(tmp_path, sid, "dates")
    with pytest.raises(SnapshotError, match="no complete snapshot"):
        read_table(tmp_path, "20000101T000000Z-000000", "facts")


# --- diff -----------------------------------------------------------------------------------

def test_diff_finds_added_removed_and_changed(tmp_path):
    a = publish(tables(), tmp_path, run_id="run-a")
    b_rows = {
        "f2": {**BASE_FACTS["f2"], "value": 1180000.0, "year": 2023},  # changed twice
        "f3": BASE_FACTS["f3"],  # same, NULLs included
        "f4": dict(surface="3倍", value=3.0, unit="倍", kind="multiple"),
    }
    b = publish(tables(b_rows), tmp_path, run_id="run-b")

    d = diff(tmp_path, a, b)

    assert d["added"]["fact_id"].to_pylist() == ["f4"]
    assert d["added"].schema == FACTS_SCHEMA
    assert d["removed"]["fact_id"].to_pylist() == ["f1"]
    [row] = d["changed"].to_pylist()
    assert row["fact_id"] == "f2"
    assert row["changed_columns"] == ["value", "year"]
    assert (row["value_old"], row["value_new"]) == (1170000.0, 1180000.0)
    assert (row["year_old"], row["year_new"]) == (None, 2023)
    assert (row["unit_old"], row["unit_new"]) == ("元", "元")
    assert d["changed"].column_names[:4] == [
        "fact_id", "changed_columns", "surface_old", "surface_new"]


def test_diff_of_a_snapshot_with_itself_is_empty(tmp_path):
    a = publish(tables(), tmp_path, run_id="run-a")
    d = diff(tmp_path, a, a)
    assert [d[k].num_rows for k in ("added", "removed", "changed")] == [0, 0, 0]


def test_diff_needs_a_unique_key(tmp_path):
    a = publish(tables(), tmp_path, run_id="run-a")
    with pytest.raises(SnapshotError, match="not a unique"):
        diff(tmp_path, a, a, key="article_id")
    with pytest.raises(ValueError):
        diff(tmp_path, a, a, compare=("no_such_column",))


# --- other filesystems ----------------------------------------------------------------------

def test_file_uri(tmp_path):
    root = (tmp_path / "wh").as_uri()
    assert root.startswith("file://")
    a = publish(tables(), root, run_id="run-a")
    b = publish(tables({"f1": BASE_FACTS["f1"]}), root, run_id="run-b", keep=1)

    assert latest(root) == b == latest(tmp_path / "wh")
    assert [s["id"] for s in list_snapshots(root)] == [b]
    assert read_table(root, None, "facts").num_rows == 1
    assert {p.name for p in snapshots_dir(tmp_path / "wh").iterdir()} == {"LATEST", b}
    assert a not in os.listdir(snapshots_dir(tmp_path / "wh"))


def test_fsspec_memory_url(monkeypatch):
    fsspec = pytest.importorskip("fsspec")
    memory = fsspec.filesystem("memory")
    root = f"memory://bucket/wh-{uuid.uuid4().hex}"
    base = root.removeprefix("memory://") + "/snapshots"
    try:
        a = publish(tables(), root, run_id="run-a")
        assert memory.cat(f"{base}/LATEST").decode() == a
        assert memory.exists(f"{base}/{a}/manifest.json")
        names = {p.rsplit("/", 1)[-1] for p in memory.ls(base, detail=False)}
        assert names == {"LATEST", a}
        assert read_table(root, None, "facts").equals(facts(), check_metadata=False)

        # A half-written snapshot (no manifest) is invisible, then removed by the next publish.
        memory.pipe(f"{base}/20990101T000000Z-dead00/facts.parquet", b"PAR1 half")
        assert [s["id"] for s in list_snapshots(root)] == [a]

        # A failed LATEST write leaves LATEST alone and withdraws the new snapshot.
        def crash(store, sid):
            raise OSError("connection reset")

        with monkeypatch.context() as m:
            m.setattr(snapshot, "_write_latest", crash)
            with pytest.raises(SnapshotError, match="connection reset"):
                publish(tables(), root, run_id="run-x")
        assert latest(root) == a and [s["id"] for s in list_snapshots(root)] == [a]

        b = publish(tables({"f1": BASE_FACTS["f1"]}), root, run_id="run-b", keep=1)
        assert latest(root) == b
        assert {p.rsplit("/", 1)[-1] for p in memory.ls(base, detail=False)} == {"LATEST", b}
        assert diff(root, b, b)["changed"].num_rows == 0
    finally:
        if memory.exists(root):
            memory.rm(root, recursive=True)
