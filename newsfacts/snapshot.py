"""Parquet snapshots of the warehouse: the one module that writes and reads them.

Layout under a root (the warehouse folder, or a URL such as ``s3://bucket/wh``)::

    <root>/snapshots/
        LATEST                        the id of the newest complete snapshot (no newline)
        20261126T163300Z-3f2a9c/
            articles.parquet          one zstd Parquet file per table
            facts.parquet
            checks.parquet
            report/index.html         extra files, if any
            manifest.json             id, run, time; per table rows, schema, files and sha256

How a snapshot becomes visible:

* **On a local disk** (a path or a ``file://`` URI) everything is written and fsynced into
  ``snapshots/.tmp-<id>/``, the folder is renamed to ``<id>`` (atomic), and then LATEST is
  written to a temporary file, fsynced and moved over the old one with ``os.replace`` (atomic).
  A folder under its final name is therefore always complete, and LATEST names only complete
  snapshots.
* **On an object store** (``s3://``, ``gs://``, or an fsspec URL such as ``memory://``) there is
  no atomic rename of a folder. The data files are written under the final folder, then
  ``manifest.json``, then LATEST. Each of these is one atomic PUT, so LATEST, written last, is the
  commit point; a folder without ``manifest.json`` is unfinished, is ignored by readers and is
  removed by the next publish.

A publish that fails removes what it wrote and leaves LATEST as it was. A process killed in the
middle leaves at most a ``.tmp-*`` entry or an unfinished folder, which readers ignore and the next
publish removes; killed in the instant between the rename and the move of LATEST, it leaves a
complete snapshot that LATEST does not name (listed with ``is_latest`` false).

There is one publisher per root at a time (the warehouse lock sees to that); readers need no lock.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from newsfacts.errors import SnapshotError

__all__ = ["publish", "latest", "list_snapshots", "read_manifest", "read_table", "diff"]

FORMAT_VERSION = 1
LATEST = "LATEST"
MANIFEST = "manifest.json"
COMPRESSION = "zstd"
DIFF_COMPARE = ("surface", "value", "value_low", "value_high", "unit", "kind", "approx",
                "counted", "place", "year")

_SNAPSHOTS = "snapshots"
_TMP = ".tmp-"
_CHUNK = 1 << 20
_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SNAPSHOT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_HEX = re.compile(r"[0-9a-f]{6,}\Z")

log = logging.getLogger(__name__)

Root = str | os.PathLike[str]
# A table to publish: in memory, or streamed batch by batch (written as it is read).
Data = pa.Table | pa.RecordBatchReader


# --- public API -----------------------------------------------------------------------------

def publish(
    tables: Mapping[str, Data],
    root: Root,
    *,
    run_id: str,
    snapshot_id: str | None = None,
    keep: int = 10,
    extra_files: Mapping[str, str | os.PathLike[str]] | None = None,
) -> str:
    """Write ``tables`` as a snapshot under ``<root>/snapshots/``, move LATEST to it, return the id.

    Each table becomes ``<name>.parquet`` (zstd); a ``pyarrow.RecordBatchReader`` is written as
    it is read, one row group per batch, so a table larger than memory streams through (each
    reader is read once, in the order of ``tables``). ``extra_files`` maps a relative name in the
    snapshot to a local file or folder to copy in. After LATEST moves, the oldest complete
    snapshots beyond ``keep`` are deleted (never the one LATEST names). The id, unless given,
    is the UTC time of creation and six hex digits of the run id, so ids sort by time.

    >>> import tempfile, pyarrow as pa
    >>> facts = pa.table({"fact_id": ["f1", "f2"], "value": [180000.0, 1170000.0]})
    >>> with tempfile.TemporaryDirectory() as root:
    ...     sid = publish({"facts": facts}, root, run_id="3f2a9c1e-0000")
    ...     (latest(root) == sid, sid.endswith("Z-3f2a9c"), read_table(root, sid, "facts").num_rows)
    (True, True, 2)
    """
    _check_publish_args(tables, run_id, snapshot_id, keep)
    store = _store(root)
    now = _now()
    sid = snapshot_id or "?"
    try:
        extras = _expand_extra_files(extra_files or {}, tables)
        store.fs.create_dir(store.base, recursive=True)
        _remove_leftovers(store)
        sid = _new_snapshot_id(store, now, run_id, snapshot_id)
        fill = _filler(store, sid, tables, extras, run_id, now)
        (_publish_local if store.local else _publish_remote)(store, sid, fill)
    except (OSError, pa.ArrowException) as e:
        raise SnapshotError(f"cannot publish snapshot {sid} under {os.fspath(root)}: {e}") from e
    try:
        _apply_retention(store, keep, sid)
    except (OSError, pa.ArrowException, SnapshotError) as e:  # published; old ones linger
        log.warning("snapshot %s published, but retention failed: %s", sid, e)
    return sid


def latest(root: Root) -> str | None:
    """The id of the snapshot LATEST names, or None when nothing has been published.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as root:
    ...     latest(root) is None
    True
    """
    return _latest(_store(root))


def list_snapshots(root: Root) -> list[dict[str, Any]]:
    """One dict per complete snapshot, newest first: id, run_id, created_at, rows, is_latest.

    ``rows`` maps each table to its row count. Unfinished snapshots are not listed.

    >>> import tempfile, pyarrow as pa
    >>> with tempfile.TemporaryDirectory() as root:
    ...     a = publish({"facts": pa.table({"fact_id": ["f1"]})}, root, run_id="run-a")
    ...     b = publish({"facts": pa.table({"fact_id": ["f1", "f2"]})}, root, run_id="run-b")
    ...     [(s["id"] == b, s["rows"], s["is_latest"]) for s in list_snapshots(root)]
    [(True, {'facts': 2}, True), (False, {'facts': 1}, False)]
    """
    store = _store(root)
    current = _latest(store)
    return [
        {
            "id": m["snapshot_id"],
            "run_id": m["run_id"],
            "created_at": m["created_at"],
            "rows": {name: t["rows"] for name, t in m["tables"].items()},
            "is_latest": m["snapshot_id"] == current,
        }
        for m in _complete_manifests(store)
    ]


def read_manifest(root: Root, snapshot_id: str) -> dict[str, Any]:
    """The manifest of one snapshot; SnapshotError if there is no such complete snapshot.

    >>> import tempfile, pyarrow as pa
    >>> with tempfile.TemporaryDirectory() as root:
    ...     sid = publish({"facts": pa.table({"fact_id": ["f1"]})}, root, run_id="run-a")
    ...     m = read_manifest(root, sid)
    ...     (m["format_version"], m["tables"]["facts"]["rows"], m["tables"]["facts"]["schema"])
    (1, 1, [{'name': 'fact_id', 'type': 'string', 'nullable': True}])
    """
    return _manifest(_store(root), snapshot_id)


def read_table(root: Root, snapshot_id: str | None, table: str) -> pa.Table:
    """One table of a snapshot (None: the one LATEST names), its files checked against the manifest.

    Raises SnapshotError when the snapshot or table does not exist, or when a file is missing or
    its size or sha256 differs from the manifest.

    >>> import tempfile, pyarrow as pa
    >>> with tempfile.TemporaryDirectory() as root:
    ...     _ = publish({"facts": pa.table({"fact_id": ["f1"]})}, root, run_id="run-a")
    ...     read_table(root, None, "facts").to_pylist()
    [{'fact_id': 'f1'}]
    """
    store = _store(root)
    sid = snapshot_id if snapshot_id is not None else _latest(store)
    if sid is None:
        raise SnapshotError(f"no snapshot has been published under {os.fspath(root)}")
    manifest = _manifest(store, sid)
    entry = manifest["tables"].get(table)
    if entry is None:
        have = ", ".join(sorted(manifest["tables"])) or "none"
        raise SnapshotError(f"snapshot {sid} has no table {table!r} (tables: {have})")
    try:
        buffers = [_read_verified(store, sid, f) for f in entry["files"]]
        parts = [pq.read_table(pa.BufferReader(b)) for b in buffers]
        result = parts[0] if len(parts) == 1 else pa.concat_tables(parts)
    except (OSError, pa.ArrowException, IndexError) as e:
        raise SnapshotError(f"snapshot {sid}: cannot read table {table!r}: {e}") from e
    if result.num_rows != entry["rows"]:
        raise SnapshotError(
            f"snapshot {sid}: table {table!r} has {result.num_rows} rows, "
            f"the manifest says {entry['rows']}"
        )
    return result


def diff(
    root: Root,
    a: str,
    b: str,
    *,
    key: str = "fact_id",
    compare: tuple[str, ...] = DIFF_COMPARE,
    table: str = "facts",
) -> dict[str, pa.Table]:
    """What changed in ``table`` from snapshot ``a`` to snapshot ``b``, matched on ``key``.

    Returns ``added`` (rows of b whose key is not in a), ``removed`` (rows of a whose key is not
    in b) and ``changed``: one row per key in both whose ``compare`` columns differ (NULL equals
    NULL), with ``changed_columns`` and each compared column as ``<col>_old`` and ``<col>_new``
    side by side. A compared column missing from one snapshot counts as NULL there. All three are
    sorted by key.

    >>> import tempfile, pyarrow as pa
    >>> with tempfile.TemporaryDirectory() as root:
    ...     a = publish({"facts": pa.table({"fact_id": ["f1", "f2"], "value": [1.0, 2.0]})},
    ...                 root, run_id="run-a")
    ...     b = publish({"facts": pa.table({"fact_id": ["f2", "f3"], "value": [2.5, 3.0]})},
    ...                 root, run_id="run-b")
    ...     d = diff(root, a, b, compare=("value",))
    >>> d["added"]["fact_id"].to_pylist(), d["removed"]["fact_id"].to_pylist()
    (['f3'], ['f1'])
    >>> d["changed"].to_pylist()
    [{'fact_id': 'f2', 'changed_columns': ['value'], 'value_old': 2.0, 'value_new': 2.5}]
    """
    if not compare:
        raise ValueError("diff needs at least one column to compare")
    old, new = read_table(root, a, table), read_table(root, b, table)
    for name, t in ((a, old), (b, new)):
        if key not in t.column_names:
            raise SnapshotError(f"snapshot {name}: table {table!r} has no column {key!r}")
        if pc.count_distinct(t[key]).as_py() != t.num_rows:
            raise SnapshotError(f"snapshot {name}: {table}.{key} is not a unique, non-null key")
    unknown = [c for c in compare if c not in old.column_names and c not in new.column_names]
    if unknown:
        raise ValueError(f"no column {', '.join(unknown)} in {table} of either snapshot")

    old_keys, new_keys = old[key].combine_chunks(), new[key].combine_chunks()
    in_old = pc.is_in(new_keys, value_set=old_keys)
    in_new = pc.is_in(old_keys, value_set=new_keys)
    both = new.filter(in_old)
    before = old.take(pc.index_in(both[key], value_set=old_keys))  # aligned row for row with both

    columns: dict[str, pa.ChunkedArray | pa.Array] = {key: both[key]}
    pairs, masks = {}, []
    for c in compare:
        x, y = _column_or_nulls(before, c, new), _column_or_nulls(both, c, old)
        pairs[f"{c}_old"], pairs[f"{c}_new"] = x, y
        masks.append((c, _differs(x, y)))
    any_change = masks[0][1]
    for _, m in masks[1:]:
        any_change = pc.or_(any_change, m)
    # "value,year," per row, then a list. No NULLs on purpose: in pyarrow 26 a join with
    # null_handling="skip" drops the rows where every input is NULL.
    labels = [pc.if_else(m, f"{c},", "") for c, m in masks]
    joined = pc.binary_join_element_wise(*labels, "")
    columns["changed_columns"] = pc.split_pattern(pc.utf8_rtrim(joined, characters=","), ",")
    columns.update(pairs)
    changed = pa.table(columns).filter(any_change)
    return {
        "added": new.filter(pc.invert(in_old)).sort_by(key),
        "removed": old.filter(pc.invert(in_new)).sort_by(key),
        "changed": changed.sort_by(key),
    }


# --- where the snapshots live ---------------------------------------------------------------

@dataclass(frozen=True)
class _Store:
    """The snapshots folder of one root, on some filesystem."""

    fs: pafs.FileSystem
    base: str  # path of <root>/snapshots inside fs, with "/" separators
    local: bool  # a local disk: fsync, rename and replace are available and atomic

    def path(self, *parts: str) -> str:
        return "/".join((self.base, *parts))


def _store(root: Root) -> _Store:
    text = os.fspath(root)
    if "://" not in text:
        base = os.path.abspath(text).replace(os.sep, "/").rstrip("/")
        return _Store(pafs.LocalFileSystem(), f"{base}/{_SNAPSHOTS}", True)
    try:
        fs, path = pafs.FileSystem.from_uri(text)
    except pa.ArrowInvalid:  # a scheme pyarrow does not know: try fsspec
        fs, path = _fsspec_filesystem(text)
    except OSError as e:
        raise SnapshotError(f"cannot open {text}: {e}") from e
    return _Store(fs, f"{path.rstrip('/')}/{_SNAPSHOTS}", isinstance(fs, pafs.LocalFileSystem))


def _fsspec_filesystem(url: str) -> tuple[pafs.FileSystem, str]:
    try:
        import fsspec
        from fsspec.implementations.local import LocalFileSystem as FsspecLocal
    except ImportError:
        raise SnapshotError(
            f"cannot open {url}: pyarrow does not know it and fsspec is not installed"
        ) from None
    try:
        fs, path = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as e:
        raise SnapshotError(f"cannot open {url}: {e}") from e
    if isinstance(fs, FsspecLocal):
        return pafs.LocalFileSystem(), path
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs)), path


# --- publishing -----------------------------------------------------------------------------

def _now() -> datetime:
    return datetime.now(timezone.utc)


def _check_publish_args(tables: Mapping[str, Data], run_id: str, snapshot_id: str | None,
                        keep: int) -> None:
    if not tables:
        raise ValueError("publish needs at least one table")
    for name, table in tables.items():
        if not _TABLE_NAME.match(name):
            raise ValueError(f"table name {name!r} is not an identifier")
        if not isinstance(table, (pa.Table, pa.RecordBatchReader)):
            raise TypeError(f"table {name!r} is a {type(table).__name__}, "
                            "not a pyarrow.Table or RecordBatchReader")
    if not isinstance(run_id, str) or not run_id:
        raise ValueError("run_id must be a non-empty string")
    if snapshot_id is not None:
        _check_snapshot_id(snapshot_id)
    if keep < 1:
        raise ValueError(f"keep must be at least 1, not {keep}")


def _check_snapshot_id(snapshot_id: str) -> None:
    valid = isinstance(snapshot_id, str) and _SNAPSHOT_ID.match(snapshot_id) is not None
    if not valid or snapshot_id == LATEST:
        raise ValueError(f"{snapshot_id!r} is not a valid snapshot id")


def _run_tag(run_id: str) -> str:
    """Six hex digits for a run: its own if it is hex (a uuid), else from its sha256.

    >>> _run_tag("3F2A9C1E-7B4D-4C1A-9E2F-000000000000"), _run_tag("nightly")
    ('3f2a9c', '2a3b62')
    """
    digits = run_id.replace("-", "").lower()
    if _HEX.match(digits):
        return digits[:6]
    return hashlib.sha256(run_id.encode()).hexdigest()[:6]


def _new_snapshot_id(store: _Store, now: datetime, run_id: str, wanted: str | None) -> str:
    if wanted is not None:
        if _exists(store, store.path(wanted)):
            raise SnapshotError(f"snapshot {wanted} already exists")
        return wanted
    stem = f"{now:%Y%m%dT%H%M%SZ}-{_run_tag(run_id)}"
    sid, n = stem, 1
    while _exists(store, store.path(sid)):  # the same run publishing twice within a second
        n += 1
        sid = f"{stem}-{n}"
    return sid


@dataclass(frozen=True)
class _Extra:
    rel: str  # path inside the snapshot, "/" separators
    source: Path


def _check_rel(rel: str) -> str:
    parts = PurePosixPath(rel).parts
    if not parts or rel.startswith("/") or "\\" in rel or any(p in (".", "..") for p in parts):
        raise ValueError(f"{rel!r} is not a relative path inside a snapshot")
    return "/".join(parts)


def _expand_extra_files(extra_files: Mapping[str, str | os.PathLike[str]],
                        tables: Mapping[str, Data]) -> list[_Extra]:
    taken = {MANIFEST, *(f"{name}.parquet" for name in tables)}
    result: list[_Extra] = []
    for name, source in extra_files.items():
        rel, src = _check_rel(name), Path(source)
        if src.is_dir():
            found = [_Extra(f"{rel}/{p.relative_to(src).as_posix()}", p)
                     for p in sorted(src.rglob("*")) if p.is_file()]
        elif src.is_file():
            found = [_Extra(rel, src)]
        else:
            raise FileNotFoundError(f"extra file {name!r}: {src} does not exist")
        for extra in found:
            if extra.rel in taken:
                raise ValueError(f"extra file {extra.rel!r} clashes with another file")
            taken.add(extra.rel)
        result += found
    return result


def _schema(schema: pa.Schema) -> list[dict[str, Any]]:
    return [{"name": f.name, "type": str(f.type), "nullable": f.nullable} for f in schema]


def _filler(store: _Store, sid: str, tables: Mapping[str, Data], extras: list[_Extra],
            run_id: str, now: datetime) -> Callable[[str], None]:
    """What fills a snapshot folder: tables, extra files, and the manifest last."""

    def fill(folder: str) -> None:
        manifest: dict[str, Any] = {
            "snapshot_id": sid,
            "run_id": run_id,
            "created_at": now.isoformat(timespec="microseconds").replace("+00:00", "Z"),
            "format_version": FORMAT_VERSION,
            "tables": {},
            "extra_files": [],
        }
        for name, table in tables.items():
            rel = f"{name}.parquet"
            with _output(store, f"{folder}/{rel}") as out:
                rows, schema = _write_parquet(table, out)
            manifest["tables"][name] = {
                "rows": rows,
                "schema": _schema(schema),
                "files": [_file_entry(store, folder, rel)],
            }
        for extra in extras:
            with open(extra.source, "rb") as src, _output(store, f"{folder}/{extra.rel}") as out:
                shutil.copyfileobj(src, out, _CHUNK)
            manifest["extra_files"].append(_file_entry(store, folder, extra.rel))
        with _output(store, f"{folder}/{MANIFEST}") as out:
            out.write(json.dumps(manifest, indent=2, ensure_ascii=False).encode())

    return fill


def _write_parquet(data: Data, out: BinaryIO) -> tuple[int, pa.Schema]:
    """Write one table as zstd Parquet; return its row count and schema."""
    if isinstance(data, pa.Table):
        pq.write_table(data, out, compression=COMPRESSION)
        return data.num_rows, data.schema
    rows = 0
    with pq.ParquetWriter(out, data.schema, compression=COMPRESSION) as writer:
        for batch in data:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows, data.schema


@contextmanager
def _output(store: _Store, path: str) -> Iterator[BinaryIO]:
    """A file to write; on a local disk it is fsynced before it counts as written."""
    parent = path.rsplit("/", 1)[0]
    if store.local:
        os.makedirs(parent, exist_ok=True)
        with open(path, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
    else:
        store.fs.create_dir(parent, recursive=True)
        with store.fs.open_output_stream(path) as f:
            yield f


def _file_entry(store: _Store, folder: str, rel: str) -> dict[str, Any]:
    """path, bytes and sha256 of a file as stored (read back, so the manifest vouches for it)."""
    digest, size = hashlib.sha256(), 0
    with store.fs.open_input_stream(f"{folder}/{rel}") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"path": rel, "bytes": size, "sha256": digest.hexdigest()}


def _publish_local(store: _Store, sid: str, fill: Callable[[str], None]) -> None:
    tmp, final = store.path(_TMP + sid), store.path(sid)
    os.makedirs(tmp)
    try:
        fill(tmp)
        for folder, _, _ in os.walk(tmp, topdown=False):
            _fsync_dir(folder)
        os.rename(tmp, final)
    except BaseException:
        _remove_quietly(store, tmp)
        raise
    _fsync_dir(store.base)
    _commit(store, sid)


def _publish_remote(store: _Store, sid: str, fill: Callable[[str], None]) -> None:
    final = store.path(sid)
    store.fs.create_dir(final, recursive=True)
    try:
        fill(final)
    except BaseException:
        _remove_quietly(store, final)
        raise
    _commit(store, sid)


def _commit(store: _Store, sid: str) -> None:
    """Move LATEST to ``sid``; should that fail, withdraw the snapshot it would have named."""
    try:
        _write_latest(store, sid)
    except BaseException:
        if _latest_quietly(store) != sid:
            _remove_quietly(store, store.path(sid))
        raise


def _write_latest(store: _Store, sid: str) -> None:
    """The commit point: a temp file, fsync and os.replace locally; one PUT on an object store."""
    if not store.local:
        with store.fs.open_output_stream(store.path(LATEST)) as f:
            f.write(sid.encode())
        return
    tmp = store.path(_TMP + LATEST)
    try:
        with open(tmp, "wb") as f:
            f.write(sid.encode())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, store.path(LATEST))
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    _fsync_dir(store.base)


def _fsync_dir(path: str) -> None:
    if os.name == "nt":  # Windows cannot open a directory to fsync it
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_leftovers(store: _Store) -> None:
    """Remove what crashed publishes left: ``.tmp-*`` entries, and on object stores folders
    without a manifest."""
    for info in _entries(store):
        if info.base_name.startswith(_TMP):
            _remove(store, info)
        elif (not store.local and info.type == pafs.FileType.Directory
              and not info.base_name.startswith(".")
              and not _exists(store, f"{info.path}/{MANIFEST}")):
            _remove(store, info)


def _apply_retention(store: _Store, keep: int, current: str) -> None:
    protected = {current, _latest(store)}
    for manifest in _complete_manifests(store)[keep:]:
        sid = manifest["snapshot_id"]
        if sid in protected:
            continue
        if store.local:  # out of sight in one step, then deleted
            doomed = store.path(f"{_TMP}drop-{sid}")
            os.rename(store.path(sid), doomed)
            shutil.rmtree(doomed)
        else:  # without its manifest it is no longer a complete snapshot
            store.fs.delete_file(store.path(sid, MANIFEST))
            store.fs.delete_dir(store.path(sid))


def _remove(store: _Store, info: pafs.FileInfo) -> None:
    if info.type == pafs.FileType.Directory:
        store.fs.delete_dir(info.path)
    elif info.type != pafs.FileType.NotFound:
        store.fs.delete_file(info.path)


def _remove_quietly(store: _Store, path: str) -> None:
    try:
        _remove(store, store.fs.get_file_info(path))
    except (OSError, pa.ArrowException) as e:
        log.warning("could not remove %s: %s", path, e)


# --- reading --------------------------------------------------------------------------------

def _entries(store: _Store) -> list[pafs.FileInfo]:
    return store.fs.get_file_info(pafs.FileSelector(store.base, allow_not_found=True))


def _exists(store: _Store, path: str) -> bool:
    return store.fs.get_file_info(path).type != pafs.FileType.NotFound


def _read_bytes(store: _Store, path: str) -> bytes:
    with store.fs.open_input_stream(path) as f:
        return f.read()


def _latest(store: _Store) -> str | None:
    try:
        sid = _read_bytes(store, store.path(LATEST)).decode().strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise SnapshotError(f"cannot read {store.path(LATEST)}: {e}") from e
    return sid or None


def _latest_quietly(store: _Store) -> str | None:
    try:
        return _latest(store)
    except SnapshotError:
        return None


def _manifest(store: _Store, sid: str) -> dict[str, Any]:
    try:
        _check_snapshot_id(sid)
    except ValueError as e:
        raise SnapshotError(str(e)) from None
    try:
        manifest = json.loads(_read_bytes(store, store.path(sid, MANIFEST)))
    except FileNotFoundError:
        raise SnapshotError(f"no complete snapshot {sid} under {store.base}") from None
    except (OSError, ValueError) as e:
        raise SnapshotError(f"snapshot {sid}: unreadable manifest: {e}") from e
    if not isinstance(manifest, dict) or manifest.get("snapshot_id") != sid:
        raise SnapshotError(f"snapshot {sid}: its manifest is for another snapshot or malformed")
    if manifest.get("format_version") != FORMAT_VERSION:
        version = manifest.get("format_version")
        raise SnapshotError(f"snapshot {sid}: unknown format_version {version!r}")
    return manifest


def _complete_manifests(store: _Store) -> list[dict[str, Any]]:
    """Manifests of the complete snapshots, newest first (by created_at, then id)."""
    manifests = []
    for info in _entries(store):
        if info.type != pafs.FileType.Directory or info.base_name.startswith("."):
            continue
        if not _exists(store, f"{info.path}/{MANIFEST}"):
            continue  # unfinished
        try:
            manifests.append(_manifest(store, info.base_name))
        except SnapshotError as e:
            log.warning("skipping %s: %s", info.path, e)
    manifests.sort(key=lambda m: (_parse_time(m["created_at"]), m["snapshot_id"]), reverse=True)
    return manifests


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _read_verified(store: _Store, sid: str, entry: Mapping[str, Any]) -> pa.Buffer:
    """The bytes of one file of a snapshot, after checking them against the manifest."""
    try:
        rel = _check_rel(entry["path"])
    except (KeyError, TypeError, ValueError):
        raise SnapshotError(f"snapshot {sid}: bad file entry in manifest: {entry!r}") from None
    try:
        with store.fs.open_input_stream(store.path(sid, rel)) as f:
            data = f.read_buffer()
    except FileNotFoundError:
        raise SnapshotError(f"snapshot {sid}: {rel} is missing") from None
    digest = hashlib.sha256(data).hexdigest()
    if data.size != entry.get("bytes") or digest != entry.get("sha256"):
        raise SnapshotError(
            f"snapshot {sid}: {rel} does not match its manifest "
            f"({data.size} bytes, sha256 {digest[:12]}; manifest: {entry.get('bytes')} bytes, "
            f"sha256 {str(entry.get('sha256'))[:12]})"
        )
    return data


# --- diff helpers ---------------------------------------------------------------------------

def _column_or_nulls(table: pa.Table, name: str, other: pa.Table) -> pa.ChunkedArray:
    if name in table.column_names:
        return table[name]
    return pa.chunked_array([pa.nulls(table.num_rows, other.schema.field(name).type)])


def _differs(old: pa.ChunkedArray, new: pa.ChunkedArray) -> pa.ChunkedArray:
    """Row by row, whether two columns differ; NULL equals NULL and NaN equals NaN."""
    unequal = pc.fill_null(pc.not_equal(old, new), False)
    one_null = pc.xor(pc.is_null(old), pc.is_null(new))
    result = pc.or_(unequal, one_null)
    if pa.types.is_floating(old.type) and pa.types.is_floating(new.type):
        both_nan = pc.and_(pc.fill_null(pc.is_nan(old), False), pc.fill_null(pc.is_nan(new), False))
        result = pc.and_(result, pc.invert(both_nan))
    return result
