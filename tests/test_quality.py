"""The Great Expectations suites (expectations/*.json) run through newsfacts.quality.

Importing GX takes seconds, so every validation a test looks at is run once, in a
module-scoped fixture, and the tests only read the results.
"""
from __future__ import annotations

import json
import socket
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from newsfacts import quality, warehouse
from newsfacts.errors import ConfigError

SUITES = Path(__file__).resolve().parents[1] / "expectations"

# Four kinds of fact, ten of each: f00..f39. Offsets as in "...有党员3个..." etc.
TEMPLATES = [
    dict(surface="3个", value=3.0, value_low=None, value_high=None, unit="个", kind="count",
         approx=None),
    dict(surface="117万元", value=1170000.0, value_low=None, value_high=None, unit="元",
         kind="money", approx=None),
    dict(surface="25岁至45岁", value=None, value_low=25.0, value_high=45.0, unit="岁", kind="age",
         approx="range"),
    dict(surface="18万多个", value=180000.0, value_low=180000.0, value_high=None, unit="个",
         kind="count", approx="more_than"),
]


def good_facts() -> pd.DataFrame:
    rows = []
    for i in range(40):
        t = TEMPLATES[i % 4]
        start = 10 * i
        rows.append(dict(
            fact_id=f"f{i:02d}", article_id=f"a{i // 10}", source_start=start,
            source_end=start + len(t["surface"]), counted="党员", place="鄂州市", year=2023,
            sentence="……", span_ok=True, **t,
        ))
    return pd.DataFrame(rows)


def good_articles() -> pd.DataFrame:
    return pd.DataFrame(dict(
        article_id=["a0", "a1", "a2", "a3"],
        source_path=["in/a.txt", "in/b.txt", "in/c.html", "in/d.jsonl"],
        title=["标题"] * 4,
        published_date=pd.to_datetime(["2024-01-02"] * 4),
        published_date_inferred=[False, True, False, False],
        text_length=[1200, 800, 15, 3000],
    ))


def _set(**changes):
    """Plant one violation: set columns of one or more facts (by fact_id)."""
    def plant(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        for fact_id, values in changes.items():
            row = frame.index[frame["fact_id"] == fact_id][0]
            for column, value in values.items():
                frame.loc[row, column] = value
        return frame
    return plant


# name: (how to plant it, the one check that must fail, the fact_ids it lists, offending rows)
PLANTED_ALONE = {
    "duplicate fact_id": (_set(f05={"fact_id": "f04"}), "fact_id_unique", ["f04"], 2),
    "null article_id": (_set(f07={"article_id": None}), "article_id_not_null", ["f07"], 1),
    "value_low > value": (_set(f00={"value_low": 4.0}), "value_low_le_value", ["f00"], 1),
    "unknown kind": (_set(f09={"kind": "size"}), "kind_in_set", ["f09"], 1),
    "span_ok False": (_set(f13={"span_ok": False}), "span_matches_text", ["f13"], 1),
}
# Further violations, all planted in one frame (each in its own rows) to save GX's overhead.
PLANTED_TOGETHER = {
    "null fact_id": (_set(f05={"fact_id": None}), "fact_id_not_null", [], 1),
    "value > value_high": (_set(f04={"value_high": 2.0}), "value_le_value_high", ["f04"], 1),
    "value_low > value_high": (
        _set(f02={"value_low": 50.0}), "value_low_le_value_high", ["f02"], 1,
    ),
    "unknown approx": (_set(f19={"approx": "roughly"}), "approx_in_set", ["f19"], 1),
    "empty span": (_set(f01={"source_end": 10}), "source_end_after_start", ["f01"], 1),
    "negative start": (_set(f20={"source_start": -1}), "source_start_non_negative", ["f20"], 1),
    "unknown units": (
        _set(f21={"unit": "坨"}, f22={"unit": "坨"}, f23={"unit": "坨"}),
        "unit_in_vocabulary", ["f21", "f22", "f23"], 3,
    ),
}


@pytest.fixture(scope="module")
def baseline() -> list[dict]:
    return quality.validate_tables(
        {"facts": good_facts(), "articles": good_articles()}, SUITES, None, "test-run"
    )


@pytest.fixture(scope="module")
def planted() -> dict[str, list[dict]]:
    results = {
        name: quality.validate_tables({"facts": plant(good_facts())}, SUITES, None, "test-run")
        for name, (plant, *_) in PLANTED_ALONE.items()
    }
    facts = good_facts()
    for plant, *_ in PLANTED_TOGETHER.values():
        facts = plant(facts)
    together = quality.validate_tables({"facts": facts}, SUITES, None, "test-run")
    return results | {name: together for name in PLANTED_TOGETHER}


def failed(checks: list[dict]) -> dict[str, dict]:
    return {c["check_id"]: c for c in checks if c["status"] == "fail"}


def test_good_tables_pass_every_expectation(baseline):
    expected = [
        f"gx.{name}.{e['meta']['check']}"
        for name in ("facts", "articles")
        for e in json.loads((SUITES / f"{name}.json").read_text("utf-8"))["expectations"]
    ]
    assert [c["check_id"] for c in baseline] == expected
    assert failed(baseline) == {}
    assert all(c["fact_ids"] == [] and c["article_id"] is None for c in baseline)
    assert {c["severity"] for c in baseline} == {"error", "warning"}
    assert all(c["message"].startswith("All ") for c in baseline)


def test_check_rows_carry_rule_and_severity(baseline):
    by_id = {c["check_id"]: c for c in baseline}
    assert by_id["gx.facts.value_low_le_value"]["rule"] == (
        "expect_column_pair_values_a_to_be_greater_than_b(value, value_low)"
    )
    assert by_id["gx.facts.unit_in_vocabulary"]["severity"] == "warning"
    assert by_id["gx.facts.fact_id_unique"]["severity"] == "error"


@pytest.mark.parametrize("name", PLANTED_ALONE)
def test_planted_violation_fails_exactly_its_expectation(planted, name):
    _, check, fact_ids, count = PLANTED_ALONE[name]
    fails = failed(planted[name])
    assert list(fails) == [f"gx.facts.{check}"]
    row = fails[f"gx.facts.{check}"]
    assert sorted(row["fact_ids"]) == fact_ids
    assert row["message"].startswith(f"{count} of 40 rows break the rule.")
    for fact_id in fact_ids:
        assert fact_id in row["message"]


def test_violations_planted_together_fail_each_their_own_expectation(planted):
    fails = failed(planted["null fact_id"])
    planted_checks = [f"gx.facts.{check}" for _, check, *_ in PLANTED_TOGETHER.values()]
    assert sorted(fails) == sorted(planted_checks)
    for _, check, fact_ids, count in PLANTED_TOGETHER.values():
        row = fails[f"gx.facts.{check}"]
        assert sorted(row["fact_ids"]) == fact_ids, check
        assert row["message"].startswith(f"{count} of 40 rows break the rule."), check


def test_message_quotes_the_offending_values(planted):
    row = failed(planted["value_low > value"])["gx.facts.value_low_le_value"]
    assert "f00: value=3.0, value_low=4.0" in row["message"]
    assert "value_low <= value" in row["message"]


def test_few_unknown_units_are_tolerated(baseline):
    facts = _set(f01={"unit": "坨"})(good_facts())
    checks = quality.validate_tables({"facts": facts}, SUITES, None, "test-run")
    unit = {c["check_id"]: c for c in checks}["gx.facts.unit_in_vocabulary"]
    assert unit["status"] == "pass"
    assert "1 of 40 rows" in unit["message"] and "mostly=0.95" in unit["message"]


def test_frames_are_not_hashed_cell_by_cell(baseline, monkeypatch):
    """GX's md5 of every cell of a batch (a marker our rows do not keep) took a quarter of the
    check stage: it is switched off while we validate, and GX's own setting is put back."""
    from great_expectations.execution_engine import pandas_execution_engine

    def refuse(df):
        raise AssertionError("GX hashed a frame")

    threshold = pandas_execution_engine.HASH_THRESHOLD
    monkeypatch.setattr(pandas_execution_engine, "hash_pandas_dataframe", refuse)
    checks = quality.validate_tables({"facts": good_facts()}, SUITES, None, "test-run")
    assert checks == [c for c in baseline if c["check_id"].startswith("gx.facts.")]
    assert pandas_execution_engine.HASH_THRESHOLD == threshold > 0


def test_articles_suite(baseline):
    articles = good_articles()
    articles.loc[2, "text_length"] = 0
    articles.loc[3, "article_id"] = "a0"
    fails = failed(quality.validate_tables({"articles": articles}, SUITES, None, "test-run"))
    assert sorted(fails) == ["gx.articles.article_id_unique", "gx.articles.text_not_empty"]
    assert fails["gx.articles.text_not_empty"]["fact_ids"] == []
    assert "a2: text_length=0" in fails["gx.articles.text_not_empty"]["message"]


def test_data_docs_built_offline_and_nothing_written_elsewhere(tmp_path, monkeypatch):
    cwd, home, docs = tmp_path / "cwd", tmp_path / "home", tmp_path / "docs"
    cwd.mkdir()
    home.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("HOME", str(home))

    def no_network(*args, **kwargs):
        raise AssertionError("Data Docs must build offline")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    facts = PLANTED_ALONE["span_ok False"][0](good_facts())
    checks = quality.validate_tables(
        {"facts": facts, "articles": good_articles()}, SUITES, docs, "docs-run"
    )
    assert list(failed(checks)) == ["gx.facts.span_matches_text"]
    assert (docs / "index.html").is_file()
    pages = {p.relative_to(docs).parts[0:3] for p in docs.glob("validations/**/*.html")}
    assert pages == {("validations", "facts", "docs-run"), ("validations", "articles", "docs-run")}
    facts_page = next(docs.glob("validations/facts/**/*.html")).read_text(encoding="utf-8")
    assert "f13" in facts_page  # the offending fact is quoted
    assert list(cwd.iterdir()) == []
    assert list(home.iterdir()) == []


def test_suite_files_are_what_gx_writes():
    """The JSON files round-trip through GX: loading and re-serialising changes nothing."""
    for name, suite in quality.load_suites(SUITES).items():
        written = json.loads((SUITES / f"{name}.json").read_text(encoding="utf-8"))
        again = suite.to_json_dict()
        assert again["name"] == written["name"]
        assert {k: again["meta"][k] for k in written["meta"]} == written["meta"]
        fields = ("type", "kwargs", "meta", "notes", "severity")
        assert [{k: e.get(k) for k in fields} for e in again["expectations"]] == [
            {k: e.get(k) for k in fields} for e in written["expectations"]
        ]


MALFORMED = {
    "not JSON": lambda s: "{ not json",
    "unknown field": lambda s: {**s, "expectation": []},
    "unknown expectation type": lambda s: _first(s, type="expect_column_values_to_be_purple"),
    "missing column kwarg": lambda s: _first(s, kwargs={"colum": "fact_id"}),
    "no check name": lambda s: _first(s, meta={}),
    "severity info": lambda s: _first(s, severity="info"),
    "name is not the file stem": lambda s: {**s, "name": "fax"},
    "no key column": lambda s: {**s, "meta": {}},
}


def _first(suite: dict, **changes) -> dict:
    return {**suite, "expectations": [{**suite["expectations"][0], **changes}]}


@pytest.mark.parametrize("how", MALFORMED)
def test_malformed_suite_raises_config_error_naming_the_file(tmp_path, how):
    suite = json.loads((SUITES / "facts.json").read_text(encoding="utf-8"))
    broken = MALFORMED[how](suite)
    path = tmp_path / "facts.json"
    path.write_text(broken if isinstance(broken, str) else json.dumps(broken), encoding="utf-8")
    (tmp_path / "articles.json").write_text((SUITES / "articles.json").read_text("utf-8"), "utf-8")
    with pytest.raises(ConfigError, match=str(path)):
        quality.load_suites(tmp_path)


def test_missing_column_or_suite_is_a_config_error(baseline):
    with pytest.raises(ConfigError, match="lacks column.*span_ok"):
        quality.validate_tables({"facts": good_facts().drop(columns="span_ok")}, SUITES, None, "r")
    with pytest.raises(ConfigError, match="no suite"):
        quality.validate_tables({"fax": good_facts()}, SUITES, None, "r")


# --- tables in chunks -----------------------------------------------------------------------


def chunks(frame: pd.DataFrame, key: str, rows: int) -> list[pd.DataFrame]:
    """The frame as the check stage reads a table: through DuckDB, in key order, keys kept together."""
    con = duckdb.connect()
    con.register("t", frame)
    return list(warehouse.frames(con, "t", key, rows))


def plant_all(frame: pd.DataFrame, planted: dict) -> pd.DataFrame:
    for plant, *_ in planted.values():
        frame = plant(frame)
    return frame


# Every violation of PLANTED_TOGETHER, and a fact_id twice (f10, f11) where 3-row chunks would cut.
MANY_FAILURES = {**PLANTED_TOGETHER, "duplicate": (_set(f11={"fact_id": "f10"}), "fact_id_unique", ["f10"], 2)}


@pytest.fixture(scope="module")
def chunked() -> dict[str, tuple[list[dict], list[dict]]]:
    """name: (rows from one chunk, rows from small chunks)."""
    cases = {
        "many failures, 3 rows": (plant_all(good_facts(), MANY_FAILURES), 3),
        "many failures, 7 rows": (plant_all(good_facts(), MANY_FAILURES), 7),
        "one unknown unit, tolerated": (_set(f01={"unit": "坨"})(good_facts()), 7),
    }
    out = {}
    for name, (facts, rows) in cases.items():
        whole = quality.validate_tables({"facts": chunks(facts, "fact_id", 10**6)[0]}, SUITES, None, "r")
        parts = quality.validate_chunks({"facts": chunks(facts, "fact_id", rows)}, SUITES, None, "r")
        out[name] = (whole, parts)
    return out


@pytest.mark.parametrize("name", ["many failures, 3 rows", "many failures, 7 rows", "one unknown unit, tolerated"])
def test_validating_in_chunks_gives_the_rows_of_the_whole_table(chunked, name):
    whole, parts = chunked[name]
    assert len(chunks(good_facts(), "fact_id", 3)) > 10
    assert parts == whole


def test_chunks_add_up_counts_and_offending_facts(chunked):
    _, parts = chunked["many failures, 3 rows"]
    fails = failed(parts)
    assert sorted(fails) == sorted(f"gx.facts.{check}" for _, check, *_ in MANY_FAILURES.values())
    for _, check, fact_ids, count in MANY_FAILURES.values():
        row = fails[f"gx.facts.{check}"]
        assert sorted(row["fact_ids"]) == fact_ids, check
        assert row["message"].startswith(f"{count} of 40 rows break the rule."), check
    # tolerated over the whole table (1 of 40), though its own chunk of 7 has 1 of 7
    _, parts = chunked["one unknown unit, tolerated"]
    unit = {c["check_id"]: c for c in parts}["gx.facts.unit_in_vocabulary"]
    assert unit["status"] == "pass" and unit["message"].startswith("1 of 40 rows break the rule (tolerated")


def test_an_expectation_across_rows_gets_the_whole_table(tmp_path):
    suite = json.loads((SUITES / "facts.json").read_text(encoding="utf-8"))
    suite["expectations"].append({
        "type": "expect_column_values_to_be_unique", "kwargs": {"column": "surface"},
        "meta": {"check": "surface_unique"}, "severity": "warning",
    })
    (tmp_path / "facts.json").write_text(json.dumps(suite), encoding="utf-8")
    facts = good_facts()
    whole = quality.validate_tables({"facts": facts}, tmp_path, None, "r")
    parts = quality.validate_chunks({"facts": chunks(facts, "fact_id", 3)}, tmp_path, None, "r")
    assert parts == whole
    assert failed(parts)["gx.facts.surface_unique"]["message"].startswith("40 of 40 rows")


def test_data_docs_from_chunks_quote_an_offending_row_of_a_later_chunk(tmp_path):
    facts = _set(f37={"span_ok": False})(good_facts())
    checks = quality.validate_chunks({"facts": chunks(facts, "fact_id", 7)}, SUITES, tmp_path, "chunk-run")
    assert list(failed(checks)) == ["gx.facts.span_matches_text"]
    facts_page = next(tmp_path.glob("validations/facts/**/*.html")).read_text(encoding="utf-8")
    assert "f37" in facts_page
