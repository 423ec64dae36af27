"""The warehouse module at scale's edges: the failed-checks query, facts by id, key-ordered
frames for Great Expectations, tables streamed out for a snapshot, and DuckDB's memory limit."""
from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from newsfacts import warehouse
from newsfacts.errors import ConfigError
from newsfacts.report import failed_checks_text

RUN = "run-1"


def _article(article_id: str, path: str, title: str) -> dict:
    return dict(article_id=article_id, source_path=path, part=0, ordinal=0, kind="article", title=title,
                byline=None, published_date="2024-01-02", published_date_inferred=False,
                source_start=0, source_end=20, text="共有135名党员，新建大棚12个。", content_sha256="x")


def _fact(fact_id: str, article_id: str, surface: str, offset: int) -> dict:
    return dict(fact_id=fact_id, article_id=article_id, surface=surface, source_start=offset,
                source_end=offset + len(surface), value=1.0, kind="count",
                sentence="共有135名党员，新建大棚12个。", sentence_start=0, sentence_offset=offset)


@pytest.fixture
def con(tmp_path):
    """A warehouse with two articles (b before a by path), three facts, and the checks of a run."""
    with warehouse.connect(tmp_path / "newsfacts.duckdb") as con:
        articles = [_article("a1", "in/2.txt", "第二篇"), _article("a2", "in/1.txt", "第一篇")]
        facts = [_fact("f1", "a1", "135名", 2), _fact("f2", "a2", "135名", 2), _fact("f3", "a2", "12个", 12)]
        warehouse.load(
            con, RUN, files=[("in/1.txt", "h1", 10), ("in/2.txt", "h2", 10)],
            articles=pa.Table.from_pylist(articles, schema=warehouse.ARTICLE_SCHEMA),
            facts=pa.Table.from_pylist(facts, schema=warehouse.FACT_SCHEMA),
            dates=warehouse.dates_table([]), enumerations=warehouse.enumerations_table([]),
        )
        warehouse.start_run(con, RUN, ["in"])
        warehouse.insert_checks(con, [
            # a column rule names no article: it goes with the first article of its facts (a1)
            dict(run_id=RUN, check_id="gx.facts.x", rule="r", severity="error", status="fail",
                 article_id=None, fact_ids=["f2", "f1"], message="two facts"),
            dict(run_id=RUN, check_id="title_body", rule="r", severity="warning", status="fail",
                 article_id="a2", fact_ids=["f3"], message="one fact"),
            dict(run_id=RUN, check_id="gx.facts.y", rule="r", severity="warning", status="fail",
                 article_id=None, fact_ids=[], message="no fact"),
            dict(run_id=RUN, check_id="ok", rule="r", severity="error", status="pass",
                 article_id=None, fact_ids=[], message="no offending rows"),
            dict(run_id="other", check_id="gx.facts.x", rule="r", severity="error", status="fail",
                 article_id=None, fact_ids=["f3"], message="another run"),
        ])
        warehouse.finish_run(con, RUN, "completed")
        yield con


def test_failed_checks_place_a_check_without_article_with_its_first_fact(con):
    rows = warehouse.failed_checks(con)
    assert [(r["check_id"], r["article_id"], r["title"], r["source_path"]) for r in rows] == [
        ("title_body", "a2", "第一篇", "in/1.txt"),  # ordered by path: in/1.txt first
        ("gx.facts.x", "a1", "第二篇", "in/2.txt"),
        ("gx.facts.y", None, None, None),  # no fact, no article: last
    ]
    assert list(rows[0]) == ["check_id", "severity", "message", "fact_ids", "article_id", "title", "source_path"]
    assert rows[1]["fact_ids"] == ["f2", "f1"] and rows[1]["severity"] == "error"
    assert [r["check_id"] for r in warehouse.failed_checks(con, RUN, "warning")] == ["title_body", "gx.facts.y"]
    assert [r["message"] for r in warehouse.failed_checks(con, "other")] == ["another run"]


def test_facts_by_id_returns_the_facts_asked_for(con):
    found = warehouse.facts_by_id(con, ["f3", "f1", "nope"])
    assert sorted(found) == ["f1", "f3"]
    assert found["f3"]["surface"] == "12个" and found["f3"]["sentence_offset"] == 12
    assert warehouse.facts_by_id(con, []) == {}


def test_failed_checks_text_highlights_only_the_checks_own_facts(con):
    text = failed_checks_text(con, run_id=RUN)
    # f2 and f3 share a sentence; title_body names only f3, gx.facts.x names f2 (and f1)
    assert "          共有135名党员，新建大棚【12个】。" in text
    assert text.count("共有【135名】党员，新建大棚12个。") == 1


@pytest.mark.parametrize("rows", [1, 2, 3, 5, 1000])
def test_frames_keep_each_key_in_one_frame_in_key_order(rows):
    con = duckdb.connect()
    keys = ["k3", "k1", "k2", "k2", "k2", "k5", None, "k4", "k4", None, "k0"]
    con.execute("create table t as select unnest(?) as k, generate_subscripts(?, 1) as n", [keys, keys])
    frames = list(warehouse.frames(con, "t", "k", rows))
    seen = [None if k != k else k for f in frames for k in f["k"]]  # NaN for NULL
    assert seen == sorted(k for k in keys if k) + [None, None]
    where = {}
    for i, f in enumerate(frames):
        assert list(f.index) == list(range(len(f)))
        for k in f["k"].dropna():
            assert where.setdefault(k, i) == i  # never split between frames
    assert max(len(f) for f in frames) <= max(rows, 3) + rows - 1  # k2 alone holds 3 rows
    if rows == 1000:
        assert len(frames) == 1
    [empty] = warehouse.frames(con, "t where false", "k", rows)
    assert len(empty) == 0 and list(empty.columns) == ["k", "n"]


def test_export_tables_stream_what_the_tables_hold(con):
    with warehouse.export_tables(con, ("facts", "checks", "runs"), run_id=RUN, batch_rows=2) as streams:
        assert all(isinstance(s, pa.RecordBatchReader) for s in streams.values())
        batches = list(streams["facts"])
        assert [b.num_rows for b in batches] == [2, 1]
        facts = pa.Table.from_batches(batches, schema=streams["facts"].schema)
        assert facts.sort_by("fact_id").equals(con.sql("select * from facts order by fact_id").to_arrow_table())
        checks = streams["checks"].read_all()
        assert checks.schema == con.sql("select * from checks").to_arrow_table().schema
        assert checks["check_id"].to_pylist() == ["gx.facts.x", "gx.facts.y", "ok", "title_body"]  # this run's
        assert streams["runs"].read_all().num_rows == 1


def test_duckdb_memory_limit_comes_from_the_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSFACTS_DUCKDB_MEMORY", "300MB")
    with warehouse.connect(tmp_path / "a.duckdb") as con:
        assert con.execute("select current_setting('memory_limit')").fetchall() == [("286.1 MiB",)]
    with warehouse.connect(tmp_path / "a.duckdb", memory_limit="2GB") as con:
        assert con.execute("select current_setting('memory_limit')").fetchall() == [("1.8 GiB",)]
    with pytest.raises(ConfigError, match="memory_limit 'lots'"):
        with warehouse.connect(tmp_path / "a.duckdb", memory_limit="lots"):
            pass


@pytest.mark.parametrize("runs, expected", [
    ([("a", 1, "completed", "s1")], ("a", "sha")),
    ([("a", 1, "completed", "s1"), ("b", 2, "failed", None)], None),          # a failure in between
    ([("a", 1, "completed", "s1"), ("b", 1, "failed", None)], None),          # a tie: order unknown
    ([("a", 1, "completed", None)], None),                                    # killed before publishing
    ([("a", 1, "failed", None), ("b", 2, "completed", "s2")], ("b", "sha")),
    ([], None),
])
def test_the_run_before_is_the_latest_other_run_and_only_if_it_published(tmp_path, runs, expected):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        for run_id, minute, status, sid in [*runs, ("now", 9, "running", None)]:
            con.execute("insert into runs (run_id, started_at, status, snapshot_id, checks_sha256) "
                        "values (?, make_timestamp(2026, 1, 1, 0, ?, 0), ?, ?, 'sha')", [run_id, minute, status, sid])
        assert warehouse.previous_run(con, "now") == expected


def test_the_run_before_is_the_one_started_last_even_when_the_clock_went_back(tmp_path, monkeypatch):
    """Runs are ordered as they started (seq), not by the clock: after the clock is set back an
    hour, the run before is still the one that ran last, v_runs lists it first and the failed
    checks shown by default are its own."""
    from datetime import datetime

    clock = iter([datetime(2026, 1, 1, 12), datetime(2026, 1, 1, 12, 5),    # run a: start, finish
                  datetime(2026, 1, 1, 11), datetime(2026, 1, 1, 11, 5),    # run b, an hour "earlier"
                  datetime(2026, 1, 1, 11, 10)])                            # the new run
    monkeypatch.setattr(warehouse, "utcnow", lambda: next(clock))
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        for run_id in ("a", "b"):
            warehouse.start_run(con, run_id, [])
            con.execute("insert into checks (run_id, check_id, rule, severity, status, fact_ids, message) "
                        "values (?, 'list_count', 'r', 'error', 'fail', [], ?)", [run_id, f"found by {run_id}"])
            warehouse.finish_run(con, run_id, "completed", snapshot_id=f"snap-{run_id}")
            con.execute("update runs set checks_sha256 = ? where run_id = ?", [f"sha-{run_id}", run_id])
        warehouse.start_run(con, "now", [])
        assert warehouse.previous_run(con, "now") == ("b", "sha-b")
        assert [r for (r,) in con.execute("select run_id from v_runs").fetchall()] == ["now", "b", "a"]
        # the failed checks shown by default are those of the latest completed run: b
        assert [r["message"] for r in warehouse.failed_checks(con)] == ["found by b"]
        assert con.execute("select distinct run_id from v_failed_checks").fetchall() == [("b",)]


def test_a_warehouse_whose_facts_have_a_primary_key_is_rebuilt_without_it(tmp_path):
    """Warehouses made before the key was dropped: the next writable open rebuilds facts without
    it; the rows stay and the views over them still bind."""
    db = tmp_path / "newsfacts.duckdb"
    with warehouse.connect(db) as con:
        ddl = con.execute("select sql from duckdb_tables() where table_name = 'facts'").fetchall()[0][0]
        con.execute("drop table facts")
        con.execute(ddl.replace("fact_id VARCHAR NOT NULL", "fact_id VARCHAR PRIMARY KEY", 1))
        rows = [_fact("f1", "a1", "135名", 2), _fact("f2", "a1", "12个", 12)]
        con.register("old_facts", pa.Table.from_pylist(rows, schema=warehouse.FACT_SCHEMA))
        con.execute("insert into facts by name select * from old_facts")
        assert con.execute(warehouse.read_sql("queries/facts_keyed.sql")).fetchall() == [(True,)]

    with warehouse.connect(db, read_only=True) as con:  # a reader changes nothing
        assert con.execute(warehouse.read_sql("queries/facts_keyed.sql")).fetchall() == [(True,)]
    with warehouse.connect(db) as con:
        assert con.execute(warehouse.read_sql("queries/facts_keyed.sql")).fetchall() == [(False,)]
        assert con.execute("select fact_id, surface from facts order by fact_id").fetchall() == \
            [("f1", "135名"), ("f2", "12个")]
        con.execute("select count(*) from v_facts").fetchall()  # the views bind to the new table
        names = [r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        assert "facts__keyed" not in names


def test_the_failed_checks_page_counts_every_check_and_shows_at_most_the_limit_of_each_severity(con, tmp_path):
    from newsfacts.report import failed_checks_html

    full = failed_checks_html(con, RUN, tmp_path / "full.html").read_text(encoding="utf-8")
    assert full.count("<li>") == 3 and "are shown" not in full
    assert full.count("<ul>") == full.count("</ul>") == 3  # a1 (error); a2 and no article (warnings)
    assert "<td><code>gx.facts.x</code></td><td class='error'>error</td><td>1</td>" in full
    assert "another run" not in full

    page = failed_checks_html(con, RUN, tmp_path / "capped.html", limit=1).read_text(encoding="utf-8")
    # the counts table still counts every check; errors come before warnings
    assert all(f"<code>{c}</code></td>" in page for c in ("gx.facts.x", "title_body", "gx.facts.y"))
    assert page.index("errors: 1") < page.index("warnings: 2")
    assert page.count("<li>") == 2 and page.count("<ul>") == page.count("</ul>") == 2
    assert "The first 1 by file are shown; all 2 are in the <code>checks</code> table" in page
    assert f"newsfacts checks --run {RUN} --severity warning" in page
    assert "The first 1 by file are shown; all 1" not in page  # the errors are all there
    # the batches' temporary table is gone once the page is written
    assert not con.execute("select * from duckdb_tables() where table_name = 'newsfacts_failed_checks'").fetchall()
