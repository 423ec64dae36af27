"""One typed settings object, with defaults and help, overridable by ``NEWSFACTS_*`` variables.

>>> Settings.from_env({"NEWSFACTS_BATCH_SIZE": "50"}).batch_size
50
>>> Settings.from_env({}).warehouse.name
'warehouse'
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping

from .errors import ConfigError


@dataclass(frozen=True)
class Settings:
    """Settings of a run. Each field has a ``NEWSFACTS_<NAME>`` variable."""

    warehouse: Path = field(default=Path("warehouse"), metadata={"help": "warehouse folder"})
    batch_size: int = field(default=400, metadata={"help": "articles per task batch"})
    workers: int = field(default=0, metadata={"help": "extraction processes; 0 = one per core"})
    max_file_bytes: int = field(default=20_000_000, metadata={"help": "larger input files are quarantined"})
    keep_snapshots: int = field(default=10, metadata={"help": "complete snapshots kept"})
    lock_wait_seconds: float = field(default=600.0, metadata={"help": "how long a run waits for another"})
    removed_files: str = field(default="keep", metadata={"help": "'keep' or 'drop' articles of files gone from the input"})
    snapshot_root: str = field(default="", metadata={"help": "where snapshots go (a folder or fsspec URL); default the warehouse"})
    task_runner: str = field(default="local", metadata={"help": "'local' or 'dask'"})
    dask_address: str = field(default="", metadata={"help": "scheduler address for the dask task runner; empty = LocalCluster"})
    data_docs: bool = field(default=True, metadata={"help": "build Great Expectations Data Docs"})
    duckdb_memory: str = field(default="768MB", metadata={"help": "DuckDB's memory limit (e.g. 1GB); beyond it, it spills to disk"})
    check_chunk_rows: int = field(default=250_000, metadata={"help": "rows Great Expectations validates at a time"})

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Defaults, then ``NEWSFACTS_*`` variables, then explicit overrides (None ignored)."""
        env = os.environ if env is None else env
        values = {}
        for f in fields(cls):
            raw = env.get(f"NEWSFACTS_{f.name.upper()}")
            if raw is None:
                continue
            try:
                if f.type in ("Path",):
                    values[f.name] = Path(raw)
                elif f.type == "int":
                    values[f.name] = int(raw)
                elif f.type == "float":
                    values[f.name] = float(raw)
                elif f.type == "bool":
                    values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
                else:
                    values[f.name] = raw
            except ValueError as e:
                raise ConfigError(f"NEWSFACTS_{f.name.upper()}={raw!r}: {e}") from None
        s = replace(cls(), **values)
        s = replace(s, **{k: (Path(v) if k == "warehouse" else v) for k, v in overrides.items() if v is not None})
        if s.removed_files not in ("keep", "drop"):
            raise ConfigError(f"removed_files must be 'keep' or 'drop', not {s.removed_files!r}")
        if s.task_runner not in ("local", "dask"):
            raise ConfigError(f"task_runner must be 'local' or 'dask', not {s.task_runner!r}")
        if s.batch_size < 1 or s.keep_snapshots < 1 or s.check_chunk_rows < 1:
            raise ConfigError("batch_size, keep_snapshots and check_chunk_rows must be at least 1")
        return s

    @property
    def database(self) -> Path:
        return self.warehouse / "newsfacts.duckdb"
