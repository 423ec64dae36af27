"""The consistency-rule catalogue and the runner that applies it after each load.

Rules are declared in ``expectations/rules.toml`` and written as SQL in ``sql/checks/``: each
query returns the offending rows (``article_id``, ``fact_ids``, ``message``). A rule with no
offending row yields one ``pass`` row. Reference data (bands, bounds) are CSV files beside the
catalogue, loaded as ``ref_<stem>`` tables for the queries.

>>> [r.id for r in load_rules()][:3]
['ratio_band', 'ratio_fallback', 'household_size']
"""
from __future__ import annotations

import csv
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from .errors import ConfigError
from .resources import resource_dir

SEVERITIES = ("error", "warning")
# The views Great Expectations validates, by suite name.
GX_VIEWS = {"facts": "v_gx_facts", "articles": "v_gx_articles"}
# Rows validated at a time (the setting check_chunk_rows).
CHUNK_ROWS = 250_000


@dataclass(frozen=True)
class Rule:
    """One consistency rule: an id, a query that returns offending rows, a severity."""

    id: str
    sql: str  # path under sql/
    severity: str
    description: str


def load_rules(folder: Path | None = None) -> list[Rule]:
    """The rule catalogue; raises ConfigError naming the file when it is malformed."""
    folder = folder or resource_dir("expectations")
    path = folder / "rules.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: cannot read the rule catalogue: {e}") from None
    rules = []
    seen = set()
    for i, entry in enumerate(data.get("rule", []), 1):
        try:
            rule = Rule(entry["id"], entry["sql"], entry["severity"], entry.get("description", ""))
        except KeyError as e:
            raise ConfigError(f"{path}: rule #{i} lacks {e.args[0]!r}") from None
        if rule.severity not in SEVERITIES:
            raise ConfigError(f"{path}: rule {rule.id!r} has severity {rule.severity!r}; use error or warning")
        if rule.id in seen:
            raise ConfigError(f"{path}: rule id {rule.id!r} appears twice")
        if not (resource_dir("sql") / rule.sql).is_file():
            raise ConfigError(f"{path}: rule {rule.id!r} names {rule.sql}, which is not under sql/")
        seen.add(rule.id)
        rules.append(rule)
    return rules


def _read_csv(path: Path) -> pa.Table:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise ConfigError(f"{path}: no rows")
    cols = {}
    for name in rows[0]:
        values = [r[name] if r[name] != "" else None for r in rows]
        if name.startswith(("min", "max")):
            try:
                cols[name] = pa.array([float(v) if v is not None else None for v in values], pa.float64())
            except ValueError as e:
                raise ConfigError(f"{path}: column {name}: {e}") from None
        else:
            cols[name] = pa.array(values, pa.string())
    return pa.table(cols)


def register_reference(con: duckdb.DuckDBPyConnection, folder: Path | None = None) -> list[str]:
    """Register every CSV of the catalogue folder as ``ref_<stem>``, then make the macros that
    read them (``sql/references/*.sql``)."""
    folder = folder or resource_dir("expectations")
    names = []
    for path in sorted(folder.glob("*.csv")):
        name = f"ref_{path.stem}"
        con.register(name, _read_csv(path))
        names.append(name)
    for path in sorted((resource_dir("sql") / "references").glob("*.sql")):
        try:
            con.execute(path.read_text(encoding="utf-8"))
        except duckdb.Error as e:
            raise ConfigError(f"sql/references/{path.name}: {e}") from None
    return names


def _rule_sql(con: duckdb.DuckDBPyConnection, rule: Rule) -> str:
    sql = (resource_dir("sql") / rule.sql).read_text(encoding="utf-8").strip().rstrip(";")
    return f"select * from (\n{sql}\n) as offending(article_id, fact_ids, message)"


def _failed(rule: Rule, e: duckdb.Error) -> ConfigError:
    return ConfigError(f"sql/{rule.sql}: rule {rule.id!r} failed: {e}")


def run_rules(con: duckdb.DuckDBPyConnection, run_id: str, rules: list[Rule] | None = None) -> list[dict]:
    """Apply each rule (``store_rules``) and return the rows it stored: one per offending group,
    or one ``pass`` row per clean rule, in rule order."""
    rules = load_rules() if rules is None else rules
    store_rules(con, run_id, rules)
    order = {rule.id: i for i, rule in enumerate(rules)}
    from . import warehouse

    rows = warehouse.records(con.execute("select * from checks where run_id = ? and list_contains(?, check_id)",
                                         [run_id, list(order)]))
    return sorted(rows, key=lambda r: order[r["check_id"]])


def store_rules(con: duckdb.DuckDBPyConnection, run_id: str, rules: list[Rule] | None = None) -> int:
    """Apply each rule and insert its rows into ``checks`` inside DuckDB: the same rows as
    ``run_rules``, none of them held in Python (a large archive can fail hundreds of thousands
    of cross-article comparisons). Returns how many rows failed."""
    rules = load_rules() if rules is None else rules
    refs = register_reference(con)
    failed = 0
    try:
        for rule in rules:
            params = {"run_id": run_id, "check_id": rule.id, "rule": rule.description, "severity": rule.severity}
            try:
                n = con.execute(
                    "insert into checks by name select $run_id as run_id, $check_id as check_id, $rule as rule, "
                    "$severity as severity, 'fail' as status, article_id, "
                    "coalesce(list_filter(fact_ids, lambda f: f is not null), []) as fact_ids, message "
                    f"from ({_rule_sql(con, rule)})", params).fetchone()[0]
            except duckdb.Error as e:
                raise _failed(rule, e) from None
            if not n:
                con.execute("insert into checks by name select $run_id as run_id, $check_id as check_id, "
                            "$rule as rule, $severity as severity, 'pass' as status, "
                            "[]::varchar[] as fact_ids, 'no offending rows' as message", params)
            failed += n
    finally:
        for name in refs:
            con.unregister(name)
    return failed


def run_column_rules(
    con: duckdb.DuckDBPyConnection, run_id: str, docs_dir: Path | None, chunk_rows: int = CHUNK_ROWS,
) -> list[dict]:
    """The Great Expectations suites over facts and articles read from the warehouse, each
    table validated ``chunk_rows`` rows at a time (memory holds one chunk, not the table)."""
    from . import quality, warehouse

    suites_dir = resource_dir("expectations")
    keys = quality.suite_keys(suites_dir)
    tables = {name: warehouse.frames(con, view, keys[name], chunk_rows) for name, view in GX_VIEWS.items()}
    rows = quality.validate_chunks(tables, suites_dir, docs_dir, run_id)
    pa.default_memory_pool().release_unused()  # the chunks' strings were Arrow memory
    for r in rows:
        r["run_id"] = run_id
    return rows


def run_all(
    con: duckdb.DuckDBPyConnection, run_id: str, docs_dir: Path | None = None, chunk_rows: int = CHUNK_ROWS,
) -> int:
    """Column rules, then consistency rules, their rows stored in ``checks`` in place of any the
    run has (checking a run again, after a retry say, does not add its rows twice); returns how
    many failed."""
    from . import warehouse

    column = run_column_rules(con, run_id, docs_dir, chunk_rows=chunk_rows)
    con.execute("delete from checks where run_id = ?", [run_id])
    warehouse.insert_checks(con, column)
    return sum(r["status"] == "fail" for r in column) + store_rules(con, run_id)


def fingerprint() -> str:
    """A hash of everything that decides what the checks find, given the same rows: the rule
    catalogue, its reference CSVs, the suites, every SQL file, the code that runs them and the
    versions of Great Expectations and DuckDB. Two runs with the same fingerprint over an
    unchanged warehouse find the same."""
    import hashlib
    from importlib.metadata import version

    from . import quality, warehouse

    h = hashlib.sha256()
    h.update(f"gx {version('great-expectations')} duckdb {duckdb.__version__}\0".encode())
    for folder in (resource_dir("sql"), resource_dir("expectations")):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(f"{folder.name}/{path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes() + b"\0")
    for module in (sys.modules[__name__], quality, warehouse):
        path = Path(module.__file__)
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
