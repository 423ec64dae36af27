"""Great Expectations: the one module that talks to it.

Suites live as JSON files in ``expectations/`` (one per table, named after it), in the form
GX itself writes with ``ExpectationSuite.to_json_dict()``. We validate pandas DataFrames that
the caller reads from DuckDB (a large table in chunks, whose results are added up), turn each
expectation result into one row of the ``checks`` table, and optionally build GX Data Docs
into a folder we choose.

``import great_expectations`` takes seconds, so it happens inside the functions that need it.
The pure helpers below do not need it:

>>> _severity("critical"), _severity("warning")
('error', 'warning')
>>> _rule("expect_column_pair_values_a_to_be_greater_than_b",
...       {"column_A": "source_end", "column_B": "source_start", "or_equal": False})
'expect_column_pair_values_a_to_be_greater_than_b(source_end, source_start)'
"""
from __future__ import annotations

import contextlib
import json
import logging
import math
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfacts.errors import ConfigError

if TYPE_CHECKING:
    import pandas
    from great_expectations import ExpectationSuite

# GX severities and the ones our checks table knows. GX's "info" has no counterpart: refused.
SEVERITIES = {"critical": "error", "warning": "warning"}
# How many offending rows a message quotes.
EXAMPLES = 5
# How many offending rows of each check the Data Docs show.
DOCS_SAMPLE = 200
# Every offending row, reported by position only: values and GX's index query are left out
# (they are what makes large results slow to build and to store).
RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "exclude_unexpected_values": True,
    "return_unexpected_index_query": False,
}
_DOMAIN_KWARGS = ("column", "column_A", "column_B", "column_list")
# Map expectations that compare rows with each other, so that a chunk alone cannot decide them:
# uniqueness (decided chunk by chunk when its columns include the key, since the caller never
# splits a key between chunks), and order or distribution (always the whole table).
_UNIQUE_METRICS = frozenset({"column_values.unique", "compound_columns.unique"})
_WHOLE_TABLE_METRICS = frozenset({
    "column_values.increasing", "column_values.decreasing", "column_values.not_outliers",
    "column_values.z_score.under_threshold",
})

log = logging.getLogger(__name__)


def load_suites(suites_dir: Path) -> dict[str, ExpectationSuite]:
    """Read every ``*.json`` suite in ``suites_dir``, keyed by table name (the file stem).

    Each file is loaded the way GX loads its own suite files (its marshmallow schema, then
    one Expectation object per entry), so a typo in an expectation type or argument is an
    error here rather than an expectation GX silently drops. Besides GX's fields we require,
    per expectation, ``meta.check`` (a name unique in the suite: the check id is
    ``gx.<suite>.<check>``) and a ``severity`` of ``critical`` or ``warning``; per suite,
    ``meta.key``, the column that identifies a row (it is quoted in messages and, when it is
    ``fact_id``, listed in ``fact_ids``).

    >>> suites = load_suites(Path(__file__).parents[1] / "expectations")
    >>> sorted(suites), suites["facts"].meta["key"], len(suites["articles"].expectations)
    (['articles', 'facts'], 'fact_id', 6)

    Raises:
        ConfigError: naming the file, when a suite is malformed or the folder holds none.
    """
    suites_dir = Path(suites_dir)
    paths = sorted(suites_dir.glob("*.json"))
    if not paths:
        raise ConfigError(f"{suites_dir}: no expectation suites (*.json) found")
    _gx()
    return {path.stem: _load_suite(path) for path in paths}


def validate_tables(
    tables: dict[str, pandas.DataFrame],
    suites_dir: Path,
    docs_dir: Path | None,
    run_id: str,
) -> list[dict]:
    """Validate each table against the suite of the same name; one check row per expectation.

    ``tables`` maps a table name (``facts``, ``articles``) to its DataFrame. Every table must
    have a suite; a suite without a table is skipped. Rows come in suite order, table by
    table, each with the keys of the ``checks`` table except ``run_id``: ``check_id``,
    ``rule``, ``severity`` (``error``/``warning``), ``status`` (``pass``/``fail``),
    ``article_id`` (always None), ``fact_ids`` (for a failed facts check, the distinct
    non-null ``fact_id`` of every offending row) and ``message``.

    When ``docs_dir`` is given, GX Data Docs for this run are built there
    (``docs_dir/index.html``); they quote a sample of the offending rows of each check. GX
    keeps everything else in memory: nothing is written to the working or home directory.

    Raises:
        ConfigError: a suite is malformed, a table has no suite, or a frame lacks a column
            its suite needs.
    """
    return validate_chunks({name: [frame] for name, frame in tables.items()}, suites_dir, docs_dir, run_id)


def suite_keys(suites_dir: Path) -> dict[str, str]:
    """The key column of each suite (its ``meta.key``), by table name.

    >>> suite_keys(Path(__file__).parents[1] / "expectations")
    {'articles': 'article_id', 'facts': 'fact_id'}
    """
    return {name: suite.meta["key"] for name, suite in load_suites(suites_dir).items()}


def validate_chunks(
    tables: Mapping[str, Iterable[pandas.DataFrame]],
    suites_dir: Path,
    docs_dir: Path | None,
    run_id: str,
) -> list[dict]:
    """``validate_tables`` for tables larger than memory: each comes as DataFrames of some of
    its rows (its chunks), validated one at a time, and each expectation's results over the
    chunks are added up into one check row.

    The chunks of a table must keep together the rows that share a value of the suite's key
    (``suite_keys``): a uniqueness expectation whose columns include the key is then decided
    chunk by chunk. An expectation that only the whole table can decide (one that is not a
    row-by-row map expectation, or a uniqueness one without the key) gets the whole table: the
    chunks are joined in memory first.

    Added up, an expectation counts the rows of every chunk and holds when GX's rule holds on
    the totals (no offending row, or few enough for its ``mostly``); ``fact_ids`` lists every
    offending fact, the message quotes the first offending rows and Data Docs the first
    ``DOCS_SAMPLE``. Given one chunk per table, the rows are exactly ``validate_tables``'.

    Raises:
        ConfigError: as ``validate_tables``; a chunk that lacks a column is found when read.
    """
    suites = load_suites(suites_dir)
    for name in tables:
        if name not in suites:
            raise ConfigError(f"{suites_dir}: no suite {name}.json for table {name!r}")

    gx = _gx()
    with _frames_unhashed():
        return _validate(gx, suites, tables, suites_dir, docs_dir, run_id)


def _validate(
    gx, suites: dict[str, ExpectationSuite], tables: Mapping[str, Iterable[pandas.DataFrame]], suites_dir: Path,
    docs_dir: Path | None, run_id: str,
) -> list[dict]:
    """The body of ``validate_chunks``, once the suites are read and GX imported."""
    context = _context(docs_dir)
    datasource = context.data_sources.add_pandas("newsfacts")
    gx_run_id = gx.RunIdentifier(run_name=run_id, run_time=datetime.now(timezone.utc))
    checks: list[dict] = []
    for name, chunks in tables.items():
        suite = context.suites.add(suites[name])
        key = suite.meta["key"]
        if _needs_whole_table(suite, key):
            log.info("suite %s needs the whole table at once: validating it in memory", name)
            chunks = [_joined(chunks)]
        batches = datasource.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        merged = {e.meta["check"]: _Merged(key) for e in suite.expectations}
        first = None
        for frame in _at_least_one(chunks, suite):
            _check_columns(suites_dir, name, suite, frame)
            # Row labels 0..n-1: GX then reports offending rows by position, which we map to
            # ids with one vectorised take. (Asking GX for "unexpected_index_column_names"
            # instead costs a Python loop over every offending row inside GX.)
            frame = frame.reset_index(drop=True)
            result = batches.get_batch(batch_parameters={"dataframe": frame}).validate(
                suite, result_format=dict(RESULT_FORMAT)  # GX edits it
            )
            if first is None:
                first = result
            for evr in result.results:
                merged[evr.expectation_config.meta["check"]].add(evr, _offending_rows(frame, evr, key))
            del frame, result
        totals = [merged[e.meta["check"]] for e in suite.expectations]
        checks += [_check_row(name, key, m.result(), m.offending(), m.fact_ids()) for m in totals]
        if docs_dir is not None:
            _store_for_docs(context, first, [(m.result(), m.offending()) for m in totals], key, gx_run_id)
    if docs_dir is not None:
        context.build_data_docs()
    return checks


def _check_columns(suites_dir: Path, name: str, suite: ExpectationSuite, frame: pandas.DataFrame) -> None:
    missing = sorted(_columns_needed(suite) - set(frame.columns))
    if missing:
        raise ConfigError(
            f"{Path(suites_dir) / (name + '.json')}: table {name!r} lacks column(s) " + ", ".join(missing)
        )


def _at_least_one(chunks: Iterable[pandas.DataFrame], suite: ExpectationSuite) -> Iterator[pandas.DataFrame]:
    """The chunks; an empty frame with the suite's columns when there are none."""
    empty = True
    for frame in chunks:
        empty = False
        yield frame
    if empty:
        import pandas as pd

        yield pd.DataFrame(columns=sorted(_columns_needed(suite)))


def _joined(chunks: Iterable[pandas.DataFrame]) -> pandas.DataFrame:
    import pandas as pd

    frames = list(chunks)
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _needs_whole_table(suite: ExpectationSuite, key: str) -> bool:
    """Whether some expectation of the suite cannot be decided chunk by chunk."""
    from great_expectations.expectations.expectation import (
        ColumnMapExpectation,
        ColumnPairMapExpectation,
        MulticolumnMapExpectation,
    )

    for expectation in suite.expectations:
        if not isinstance(expectation, (ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation)):
            return True
        metric = expectation.map_metric
        if metric in _WHOLE_TABLE_METRICS:
            return True
        if metric in _UNIQUE_METRICS and key not in _domain_columns(expectation.configuration.kwargs):
            return True
    return False


class _Merged:
    """One expectation's results over the chunks of a table, added up."""

    _COUNTS = ("element_count", "missing_count", "unexpected_count")
    _PER_CHUNK = ("unexpected_index_list", "partial_unexpected_index_list", "partial_unexpected_list",
                  "partial_unexpected_counts", "unexpected_list")

    def __init__(self, key: str) -> None:
        self.key = key
        self.first = None  # the first chunk's result; later ones are only counted
        self.chunks = 0
        self.all_succeed = True
        self.counts = dict.fromkeys(self._COUNTS, 0)
        self.counted = True  # every chunk gave row counts (a map expectation)
        self.exception_info = None
        self.samples: list[pandas.DataFrame] = []  # the first DOCS_SAMPLE offending rows
        self.sampled = 0
        self.empty: pandas.DataFrame | None = None  # offending rows are known, and none yet
        self.ids: list = []  # the key of every offending row, when the key is fact_id

    def add(self, evr, offending: pandas.DataFrame | None) -> None:
        if self.first is None:
            self.first = evr
        self.chunks += 1
        self.all_succeed = self.all_succeed and bool(evr.success)
        details = evr.result or {}
        if details.get("unexpected_count") is None:
            self.counted = False
        for name in self._COUNTS:
            self.counts[name] += details.get(name) or 0
        if self.exception_info is None and _exception_message(evr.exception_info):
            self.exception_info = evr.exception_info
        if offending is None:
            return
        if self.empty is None:
            self.empty = offending.iloc[:0]
        if len(offending) and self.sampled < DOCS_SAMPLE:
            self.samples.append(offending.head(DOCS_SAMPLE - self.sampled).copy())
            self.sampled += len(self.samples[-1])
        if self.key == "fact_id" and len(offending):
            self.ids += offending[self.key].dropna().tolist()

    def result(self):
        """One result for the whole table, as GX would have given it (exactly it, for one chunk)."""
        first = self.first
        if self.chunks == 1:
            return first
        from great_expectations.core.expectation_validation_result import ExpectationValidationResult

        config = first.expectation_config
        details = {k: v for k, v in (first.result or {}).items() if k not in self._PER_CHUNK}
        success = self.all_succeed
        if self.counted and self.exception_info is None:
            rows, missing, unexpected = (self.counts[k] for k in self._COUNTS)
            considered = rows - missing
            share = unexpected / considered * 100 if considered else None
            details.update(element_count=rows, unexpected_count=unexpected, unexpected_percent=share)
            if "missing_count" in details:
                details.update(
                    missing_count=missing, missing_percent=missing / rows * 100 if rows else None,
                    unexpected_percent_total=unexpected / rows * 100 if rows else None,
                    unexpected_percent_nonmissing=share,
                )
            # GX's rule (expectation._mostly_success): vacuously true without rows to consider
            mostly = config.kwargs.get("mostly")
            mostly = 1.0 if mostly is None else mostly
            success = not rows or not considered or (considered - unexpected) / considered >= mostly
        return ExpectationValidationResult(
            success=success, expectation_config=config, result=details, meta=first.meta,
            exception_info=self.exception_info or first.exception_info,
        )

    def offending(self) -> pandas.DataFrame | None:
        """The first offending rows (up to DOCS_SAMPLE), or None when GX does not list rows."""
        if self.empty is None:
            return None
        if not self.samples:
            return self.empty
        import pandas as pd

        return self.samples[0] if len(self.samples) == 1 else pd.concat(self.samples, ignore_index=True)

    def fact_ids(self) -> list:
        """The distinct fact ids of the offending rows, in order."""
        return list(dict.fromkeys(self.ids))


# --- GX set-up ------------------------------------------------------------------------------


def _gx():
    """Import GX (slow: seconds) with analytics off unless the user said otherwise."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations

    return great_expectations


@contextlib.contextmanager
def _frames_unhashed() -> Iterator[None]:
    """While validating, GX does not hash every cell of each frame.

    GX records an md5 of a pandas batch (``pandas_data_fingerprint``) among the batch's markers
    when the frame is under ``HASH_THRESHOLD`` bytes. Our check rows do not keep it (the run id
    and the warehouse identify a batch); Data Docs lose it from their batch details. It took
    about a quarter of the check stage (py-spy, on 440,000 facts), so the threshold is zero while
    our validation runs, and put back after (it is a module constant: process-wide meanwhile).
    """
    from great_expectations.execution_engine import pandas_execution_engine as engine

    if not hasattr(engine, "HASH_THRESHOLD"):  # another GX: nothing to switch off
        yield
        return
    before, engine.HASH_THRESHOLD = engine.HASH_THRESHOLD, 0
    try:
        yield
    finally:
        engine.HASH_THRESHOLD = before


def _context(docs_dir: Path | None):
    """An ephemeral context: in-memory stores, no progress bars, Data Docs in ``docs_dir``."""
    from great_expectations import get_context
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if docs_dir is not None:
        sites["newsfacts"] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(Path(docs_dir).resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return get_context(mode="ephemeral", project_config=config)


def _load_suite(path: Path) -> ExpectationSuite:
    from great_expectations import ExpectationSuite
    from great_expectations.core.expectation_suite import ExpectationSuiteSchema

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        loaded = ExpectationSuiteSchema().load(data)
    except Exception as err:  # JSON syntax, or GX's schema: both mean a malformed file
        raise ConfigError(f"{path}: not a GX expectation suite: {err}") from err
    if loaded.get("name") != path.stem:
        raise ConfigError(f"{path}: suite name {loaded.get('name')!r} is not {path.stem!r}")
    if not isinstance(loaded.get("meta", {}).get("key"), str):
        raise ConfigError(f"{path}: suite meta.key (the row identifier column) is missing")
    expectations, seen = [], set()
    for number, config in enumerate(loaded.get("expectations") or [], start=1):
        where = f"{path}: expectation {number} ({config.type})"
        check = config.meta.get("check")
        if not isinstance(check, str) or not check:
            raise ConfigError(f"{where}: meta.check is missing")
        if check in seen:
            raise ConfigError(f"{where}: meta.check {check!r} is used twice")
        seen.add(check)
        if config.severity.value not in SEVERITIES:
            raise ConfigError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
        try:
            expectations.append(config.to_domain_obj())
        except Exception as err:  # unknown type, bad or missing kwargs
            raise ConfigError(f"{where}: {err}") from err
    if not expectations:
        raise ConfigError(f"{path}: the suite has no expectations")
    return ExpectationSuite(
        name=loaded["name"], expectations=expectations, meta=loaded.get("meta"),
        notes=loaded.get("notes"),
    )


def _columns_needed(suite: ExpectationSuite) -> set[str]:
    needed = {suite.meta["key"]}
    for expectation in suite.expectations:
        needed.update(_domain_columns(expectation.configuration.kwargs))
    return needed


# --- results to check rows ------------------------------------------------------------------


def _offending_rows(frame: pandas.DataFrame, result, key: str) -> pandas.DataFrame | None:
    """The rows a map expectation found unexpected (key and domain columns), else None."""
    positions = (result.result or {}).get("unexpected_index_list")
    if positions is None or (positions and isinstance(positions[0], dict)):
        return None
    columns = _domain_columns(result.expectation_config.kwargs)
    return frame.take(positions)[list(dict.fromkeys([key, *columns]))]


def _check_row(suite: str, key: str, result, offending, offending_ids: list) -> dict:
    config = result.expectation_config
    fact_ids: list = []
    if key == "fact_id" and not result.success and offending is not None:
        fact_ids = offending_ids
    return {
        "check_id": f"gx.{suite}.{config.meta['check']}",
        "rule": _rule(config.type, config.kwargs),
        "severity": _severity(config.severity.value),
        "status": "pass" if result.success else "fail",
        "article_id": None,
        "fact_ids": fact_ids,
        "message": _message(result, key, offending),
    }


def _severity(gx_severity: str) -> str:
    return SEVERITIES[gx_severity]


def _domain_columns(kwargs: dict) -> list[str]:
    columns: list[str] = []
    for name in _DOMAIN_KWARGS:
        value = kwargs.get(name)
        if isinstance(value, str):
            columns.append(value)
        elif isinstance(value, list):
            columns.extend(value)
    return columns


def _rule(expectation_type: str, kwargs: dict) -> str:
    return f"{expectation_type}({', '.join(_domain_columns(kwargs))})"


def _message(result, key: str, offending) -> str:
    """One sentence: how many rows break the rule, the rule in words, a few offending rows."""
    config = result.expectation_config
    rule = config.notes or config.type
    error = _exception_message(result.exception_info)
    if error:
        return f"Could not be evaluated ({error}). Rule: {rule}"
    details = result.result or {}
    count, total = details.get("unexpected_count"), details.get("element_count")
    if count is None:  # not a map expectation: GX gives no row counts
        observed = _plain(details.get("observed_value"))
        return f"{'Holds' if result.success else 'Fails'} (observed {observed!r}). Rule: {rule}"
    if not count:
        return f"All {total} rows pass. Rule: {rule}"
    mostly = config.kwargs.get("mostly")
    tolerated = f" (tolerated: mostly={mostly})" if result.success and mostly else ""
    quoted = ""
    if offending is not None and len(offending):
        examples = [_example(row, key) for row in _records(offending.head(EXAMPLES))]
        more = ", ..." if count > len(examples) else ""
        quoted = f" E.g. {'; '.join(examples)}{more}"
    return f"{count} of {total} rows break the rule{tolerated}. Rule: {rule}{quoted}"


def _example(row: dict, key: str) -> str:
    """``f7: value=2.0, value_low=3.0`` for one offending row.

    >>> _example({"fact_id": "f7", "value": 2.0, "value_low": 3.0}, "fact_id")
    'f7: value=2.0, value_low=3.0'
    >>> _example({"fact_id": None, "kind": "size"}, "fact_id")
    "fact_id=None: kind='size'"
    >>> _example({"fact_id": "f7"}, "fact_id")
    "fact_id='f7'"
    """
    values = ", ".join(f"{k}={v!r}" for k, v in row.items() if k != key)
    if not values:
        return f"{key}={row[key]!r}"
    return f"{row[key] if row[key] is not None else key + '=None'}: {values}"


def _records(rows: pandas.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in rows.to_dict("records")]


def _exception_message(info) -> str | None:
    """GX gives one ExceptionInfo, or a dict of them keyed by metric id."""
    if not info:
        return None
    if "raised_exception" in info:
        infos = [info]
    else:
        infos = [v for v in info.values() if isinstance(v, dict)]
    messages = [i.get("exception_message") for i in infos if i.get("raised_exception")]
    return "; ".join(m for m in messages if m) or None


def _plain(value: Any) -> Any:
    """numpy scalars to Python, NaN/NA to None.

    >>> import numpy as np
    >>> _plain(np.float64(2.5)), _plain(float("nan")), _plain("x")
    (2.5, None, 'x')
    """
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict)):
        try:
            value = value.item()
        except (ValueError, TypeError):
            pass
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


# --- Data Docs ------------------------------------------------------------------------------


def _store_for_docs(context, result, merged: list[tuple[Any, Any]], key: str, run_id) -> None:
    """Store for Data Docs a slim result of the suite: ``result`` (the first chunk's) with the
    added-up results of ``merged`` (result, offending rows), each check quoting a sample of its rows.

    GX renders a check's offending rows from ``unexpected_index_list`` (dicts of id and
    value columns) and ``partial_unexpected_counts``; we give it ``DOCS_SAMPLE`` rows.
    """
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    slim = []
    for evr, rows in merged:
        details = dict(evr.result or {})
        if rows is not None:
            for dropped in ("unexpected_index_list", "partial_unexpected_index_list"):
                details.pop(dropped, None)
            if len(rows):
                sample = _records(rows.head(DOCS_SAMPLE))
                columns = [c for c in rows.columns if c != key] or [key]
                values = [
                    r[columns[0]] if len(columns) == 1 else tuple(r[c] for c in columns)
                    for r in sample
                ]
                counts = Counter(values).most_common(20)
                details.update(
                    unexpected_index_column_names=[key],
                    unexpected_index_list=sample,
                    partial_unexpected_list=values[:20],
                    partial_unexpected_counts=[{"value": v, "count": n} for v, n in counts],
                )
        slim.append(
            ExpectationValidationResult(
                success=evr.success, expectation_config=evr.expectation_config, result=details,
                meta=evr.meta, exception_info=evr.exception_info,
            )
        )
    meta = dict(result.meta, run_id=run_id, validation_time=run_id.run_time)
    succeeded = sum(bool(evr.success) for evr in slim)
    statistics = dict(
        result.statistics, evaluated_expectations=len(slim), successful_expectations=succeeded,
        unsuccessful_expectations=len(slim) - succeeded,
        success_percent=succeeded / len(slim) * 100 if slim else None,
    )
    suite_id = ExpectationSuiteIdentifier(name=result.suite_name)
    context.validation_results_store.store_validation_results(
        suite_validation_result=ExpectationSuiteValidationResult(
            success=succeeded == len(slim), results=slim, suite_name=result.suite_name,
            statistics=statistics, meta=meta, batch_id=result.batch_id,
        ),
        suite_validation_result_identifier=ValidationResultIdentifier(
            expectation_suite_identifier=suite_id,
            run_id=run_id,
            batch_identifier=result.batch_id,
        ),
        expectation_suite_identifier=suite_id,
    )
