"""Incremental, idempotent and safe runs: ``pipeline.run`` twice, after edits, removals, bad
files, vanishing files and failures, then the snapshots it leaves (issue 5; no Prefect).

The Great Expectations suite is the subject of test_quality.py. Here it runs in the first test
only; the other tests stub it out (``fast_checks``) so that the dozen runs below take seconds.
The SQL consistency rules still run everywhere.
"""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import duckdb
import pytest

from newsfacts import checks, cli, pipeline, reader, snapshot, warehouse
from newsfacts.settings import Settings

# Our own short texts: one article per file, the numbers chosen to be recognisable.
TEXTS = {
    "a.txt": "青石村庭院经济见成效\n\n今年以来，青石村引导农户发展庭院经济，全村共有农户312户，"
             "其中186户种上了果蔬。村里新修灌溉渠道4.5公里，村集体经济收入达到48万元。\n",
    "b.md": "---\ntitle: 柳河镇培训返乡青年\npublished: 2024-05-12\n---\n"
            "柳河镇今年举办电商培训班6期，参训返乡青年共计240人次，培训后新开网店37家。"
            "全镇农产品网上销售额超过1500万元。\n",
    "c.txt": "红岭村抓好三件实事\n\n2023年，红岭村围绕群众关切办好三件实事：硬化村道、修缮祠堂、"
             "新建卫生室。全年为村民解决就业岗位64个，人均可支配收入较2020年增长了15%。\n",
}
GBK = ("远山县推进乡村道路建设\n\n远山县去年新建农村公路85公里，改造危桥12座，惠及群众2.3万人。"
       "全县已有96%的行政村通了客车。\n")
BIG5 = "金田鄉今年輔導農戶種植茶葉850畝，茶農年收入平均增加6200元。\n"
UTF16 = "南岗镇新建村级养老服务站9个，可提供床位135张。\n"
HTML = """<html><head><meta charset="utf-8"><title>白沙乡建起冷库</title></head>
<body><nav><a href="/">首页</a> | <a href="/news">新闻</a> | 共有栏目99个</nav>
<article><h1>白沙乡建起冷库</h1>
<p>白沙乡投入资金320万元，建成保鲜冷库5座，总库容达到1800吨。</p>
<p>冷库建成后，全乡28个合作社的果品损耗下降了三成。</p></article>
<footer>版权所有 网站备案号88号</footer></body></html>
"""
JSONL_GOOD = [
    {"text": "东坡社区今年为独居老人安装智能门磁210个，志愿者上门探访1300余次。", "title": "东坡社区关爱独居老人",
     "published": "2024-04-02"},
    {"text": "西湾街道新增公共停车位460个，其中充电车位占三分之一。", "title": "西湾街道新增停车位"},
]


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def settings(tmp_path: Path, **overrides) -> Settings:
    return Settings.from_env({}, warehouse=tmp_path / "wh", workers=1, data_docs=False, **overrides)


def query(s: Settings, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(s.database), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def facts_by_file(s: Settings) -> dict[str, list[tuple]]:
    """Every fact row (all columns), grouped by the name of its input file, sorted by fact_id."""
    out: dict[str, list[tuple]] = {}
    for row in query(s, "select regexp_extract(a.source_path, '[^/]+$'), f.* from facts f "
                        "join articles a using (article_id) order by f.fact_id"):
        out.setdefault(row[0], []).append(row[1:])
    return out


def values_of(s: Settings, name: str) -> list[float]:
    return sorted(v for (v,) in query(
        s, "select f.value from facts f join articles a using (article_id) "
           "where a.source_path like ? and f.value is not null", [f"%/{name}"]))


def run_row(s: Settings, run_id: str) -> dict:
    cur = duckdb.connect(str(s.database), read_only=True)
    try:
        c = cur.execute("select * from runs where run_id = ?", [run_id])
        return dict(zip([d[0] for d in c.description], c.fetchone()))
    finally:
        cur.close()


@pytest.fixture
def fast_checks(monkeypatch):
    """Skip the Great Expectations column rules (tested in test_quality.py); keep the SQL rules."""
    monkeypatch.setattr(checks, "run_column_rules", lambda con, run_id, docs_dir, **kwargs: [])


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "in")


# ----------------------------------------------------------------------------------------------
# reruns


def test_running_twice_gives_the_same_ids_and_rows_and_no_new_articles(tmp_path, corpus):
    s = settings(tmp_path)
    first = pipeline.run(s, [corpus])
    facts1 = query(s, "select * from facts order by fact_id")
    articles1 = query(s, "select article_id, source_path, title, published_date, text from articles order by 1")
    second = pipeline.run(s, [corpus])

    assert first["articles_new"] == len(TEXTS) and first["facts"] == len(facts1) > 10
    assert second["articles_new"] == 0 and second["facts"] == 0
    assert second["articles_seen"] == first["articles_seen"] == len(TEXTS)
    assert query(s, "select * from facts order by fact_id") == facts1
    assert query(s, "select article_id, source_path, title, published_date, text from articles order by 1") == articles1
    rows = {r[0]: r[1:] for r in query(s, "select run_id, status, articles_seen, articles_new from runs")}
    assert rows[first["run_id"]] == ("completed", 3, 3)
    assert rows[second["run_id"]] == ("completed", 3, 0)
    # the second run published a snapshot with the very same facts
    a, b = (snapshot.read_table(s.warehouse, r["snapshot_id"], "facts").sort_by("fact_id") for r in (first, second))
    assert a.equals(b)


def test_editing_one_number_rereads_only_that_file_and_leaves_no_stale_fact(tmp_path, corpus, fast_checks):
    s = settings(tmp_path)
    pipeline.run(s, [corpus])
    before = facts_by_file(s)
    assert 480000 in values_of(s, "a.txt")

    path = corpus / "a.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("48万元", "56万元"), encoding="utf-8")
    out = pipeline.run(s, [corpus])

    assert out["articles_new"] == 1  # a.txt holds one article
    assert out["articles_seen"] == len(TEXTS)
    after = facts_by_file(s)
    assert 480000 not in values_of(s, "a.txt") and 560000 in values_of(s, "a.txt")
    # same place in the text, so the same fact id, now with the new value
    assert [f[0] for f in after["a.txt"]] == [f[0] for f in before["a.txt"]]
    for name in ("b.md", "c.txt"):
        assert after[name] == before[name], name
    files = dict(query(s, "select regexp_extract(source_path, '[^/]+$'), last_run_id from files"))
    assert files["a.txt"] == out["run_id"] and files["b.md"] != out["run_id"]


def test_an_edit_that_moves_the_text_keeps_no_fact_of_the_old_version(tmp_path, corpus, fast_checks):
    s = settings(tmp_path)
    pipeline.run(s, [corpus])
    path = corpus / "a.txt"
    old = path.read_text(encoding="utf-8")
    new = old.replace("今年以来，", "今年以来，在驻村工作队帮助下，").replace("186户", "201户")
    path.write_text(new, encoding="utf-8")
    out = pipeline.run(s, [corpus])

    assert out["articles_new"] == 1
    rows = query(s, "select f.surface, f.source_start, f.source_end, f.value from facts f "
                    "join articles a using (article_id) where a.source_path = ?", [str(path.resolve())])
    assert rows and all(new[a:b] == surface for surface, a, b, _ in rows)  # offsets into the new text
    assert 186 not in {v for *_, v in rows} and 201 in {v for *_, v in rows}
    assert query(s, "select count(*) from facts")[0][0] == query(s, "select count(distinct fact_id) from facts")[0][0]


def test_a_file_that_loses_an_article_loses_its_facts(tmp_path, corpus, fast_checks):
    path = corpus / "briefs.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in JSONL_GOOD), encoding="utf-8")
    s = settings(tmp_path)
    pipeline.run(s, [corpus])
    assert {210, 1300, 460} <= set(values_of(s, "briefs.jsonl"))

    path.write_text(json.dumps(JSONL_GOOD[1], ensure_ascii=False) + "\n", encoding="utf-8")  # line 1 deleted
    out = pipeline.run(s, [corpus])

    assert out["articles_new"] == 1
    assert query(s, "select part, title from articles where source_path = ?", [str(path.resolve())]) == [
        (1, "西湾街道新增停车位")]
    assert 210 not in values_of(s, "briefs.jsonl") and 1300 not in values_of(s, "briefs.jsonl")
    assert query(s, "select count(*) from facts where article_id not in (select article_id from articles)") == [(0,)]


def test_editing_a_sidecar_rereads_its_file(tmp_path, corpus, fast_checks):
    """The metadata is part of the input: a corrected publication date must reach the warehouse."""
    (corpus / "a.meta.json").write_text('{"published": "2024-03-01"}', encoding="utf-8")
    s = settings(tmp_path)
    pipeline.run(s, [corpus])
    sql = "select published_date::varchar from articles where source_path like '%/a.txt'"
    assert query(s, sql) == [("2024-03-01",)]

    (corpus / "a.meta.json").write_text('{"published": "2024-06-18"}', encoding="utf-8")
    out = pipeline.run(s, [corpus])
    assert out["articles_new"] == 1 and query(s, sql) == [("2024-06-18",)]
    assert pipeline.run(s, [corpus])["articles_new"] == 0  # and then it is known again

    (corpus / "a.meta.json").unlink()  # the text itself gives no date
    assert pipeline.run(s, [corpus])["articles_new"] == 1
    assert query(s, sql) == [(None,)]


def test_a_loaded_file_that_turns_bad_keeps_its_rows_and_is_quarantined(tmp_path, corpus, fast_checks):
    s = settings(tmp_path)
    pipeline.run(s, [corpus])
    before = facts_by_file(s)
    path = corpus / "a.txt"
    path.write_bytes(path.read_bytes()[:-2])  # cut inside the last character

    out = pipeline.run(s, [corpus])

    assert run_row(s, out["run_id"])["status"] == "completed" and out["quarantined"] == 1
    [(reason,)] = query(s, "select reason from quarantine where run_id = ?", [out["run_id"]])
    assert reason.startswith(str(path.resolve())) and "truncated" in reason
    assert facts_by_file(s) == before  # a bad file deletes nothing
    assert pipeline.run(s, [corpus])["quarantined"] == 1  # it is looked at again on each run


# ----------------------------------------------------------------------------------------------
# files removed from the input


@pytest.mark.parametrize("policy", ["keep", "drop"])
def test_removed_files_follow_the_policy(tmp_path, corpus, fast_checks, policy):
    s = settings(tmp_path, removed_files=policy)
    pipeline.run(s, [corpus])
    gone = str((corpus / "c.txt").resolve())  # c.txt has dates and an enumeration
    counts = {t: query(s, f"select count(*) from {t}")[0][0] for t in ("articles", "facts", "dates", "enumerations", "files")}
    [(c_facts, c_dates, c_enums)] = query(
        s, "select (select count(*) from facts f join articles a using (article_id) where a.source_path = $p), "
           "(select count(*) from dates d join articles a using (article_id) where a.source_path = $p), "
           "(select count(*) from enumerations e join facts f using (fact_id) join articles a using (article_id) "
           " where a.source_path = $p)", {"p": gone})
    assert c_facts and c_dates and c_enums

    (corpus / "c.txt").unlink()
    out = pipeline.run(s, [corpus])

    assert out["removed_files"] == 1 and out["articles_new"] == 0
    left = {t: query(s, f"select count(*) from {t}")[0][0] for t in counts}
    of_gone = query(s, "select count(*) from articles where source_path = ?", [gone])[0][0]
    if policy == "keep":
        assert left == counts and of_gone == 1
        assert out["articles_dropped"] == 0
    else:
        assert of_gone == 0 and out["articles_dropped"] == 1
        assert left == {"articles": counts["articles"] - 1, "facts": counts["facts"] - c_facts,
                        "dates": counts["dates"] - c_dates, "enumerations": counts["enumerations"] - c_enums,
                        "files": counts["files"] - 1}
    assert out["articles_seen"] == 2  # what the input holds now
    # the file comes back: under "keep" it is unchanged, under "drop" it is new again
    write_corpus(corpus)
    back = pipeline.run(s, [corpus])
    assert back["articles_new"] == (0 if policy == "keep" else 1)
    assert {t: query(s, f"select count(*) from {t}")[0][0] for t in counts} == counts


# ----------------------------------------------------------------------------------------------
# bad input


def test_bad_files_are_quarantined_naming_themselves_and_the_rest_loads(tmp_path, corpus, fast_checks):
    d = corpus
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4)
    (d / "undecodable.txt").write_bytes(bytes(range(0x80, 0x100)) * 20)
    (d / "truncated.txt").write_bytes("沿河村新栽果树3000株，成活率达到九成。".encode("utf-8")[:-1])
    (d / "big.txt").write_text("长堤乡今年新修堤坝9公里。" * 200, encoding="utf-8")  # 7,800 bytes
    lines = [json.dumps(JSONL_GOOD[0], ensure_ascii=False), '{"text": "缺了右括号的一行", "title": ',
             json.dumps(JSONL_GOOD[1], ensure_ascii=False)]
    (d / "briefs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "gbk.txt").write_bytes(GBK.encode("gbk"))
    (d / "big5.txt").write_bytes(BIG5.encode("big5"))
    (d / "utf16.txt").write_bytes(UTF16.encode("utf-16"))
    (d / "page.html").write_text(HTML, encoding="utf-8")
    s = settings(tmp_path, max_file_bytes=4000)

    out = pipeline.run(s, [d])

    assert run_row(s, out["run_id"])["status"] == "completed"
    reasons = dict(query(s, "select source_path, reason from quarantine where run_id = ?", [out["run_id"]]))
    expected = {"empty.txt": "empty file", "binary.txt": "binary file", "undecodable.txt": "undecodable text",
                "truncated.txt": "truncated UTF-8 text", "big.txt": "over the 4,000-byte limit",
                "briefs.jsonl": "line 2: invalid JSON"}
    assert len(reasons) == len(expected) == out["quarantined"]
    for name, what in expected.items():
        path = str((d / name).resolve())
        assert path in reasons, name
        assert reasons[path].startswith(path) and what in reasons[path], reasons[path]
    # the good files load, whatever their encoding; the JSONL's good lines too
    assert {85, 12, 23000, 96} <= set(values_of(s, "gbk.txt"))
    assert {3200000, 5, 1800, 28} <= set(values_of(s, "page.html"))
    assert 99 not in values_of(s, "page.html") and 88 not in values_of(s, "page.html")  # menus and footer
    assert 6200 in values_of(s, "big5.txt")
    assert query(s, "select text from articles where source_path like '%/big5.txt'") == [(BIG5.strip(),)]
    assert {9, 135} <= set(values_of(s, "utf16.txt"))
    assert {210, 460} <= set(values_of(s, "briefs.jsonl"))
    assert query(s, "select count(*) from articles where source_path like '%/briefs.jsonl'")[0][0] == 2
    assert out["articles_new"] == len(TEXTS) + 6
    # the bad ones were not recorded as loaded: they are looked at again next time
    loaded = {n for (n,) in query(s, "select regexp_extract(source_path, '[^/]+$') from files")}
    assert not loaded & (set(expected) - {"briefs.jsonl"})


def test_bad_files_alone_still_complete_a_run(tmp_path, fast_checks):
    d = tmp_path / "in"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    s = settings(tmp_path)
    out = pipeline.run(s, [d])
    assert run_row(s, out["run_id"])["status"] == "completed"
    assert out["quarantined"] == 1 and out["articles_new"] == 0
    assert snapshot.read_table(s.warehouse, None, "facts").num_rows == 0


def test_a_file_that_vanishes_after_discovery_is_quarantined(tmp_path, corpus, fast_checks, monkeypatch):
    real = pipeline.discover
    victim = corpus / "b.md"

    def discover_then_delete(inputs):
        found = real(inputs)
        victim.unlink()
        return found

    monkeypatch.setattr(pipeline, "discover", discover_then_delete)
    s = settings(tmp_path)
    out = pipeline.run(s, [corpus])

    assert run_row(s, out["run_id"])["status"] == "completed"
    [(path, reason)] = query(s, "select source_path, reason from quarantine")
    assert path == str(victim.resolve()) and reason.startswith(path)
    assert "No such file" in reason or "not found" in reason
    assert out["articles_new"] == len(TEXTS) - 1


def test_a_file_that_vanishes_between_hashing_and_reading_is_quarantined(tmp_path, corpus, fast_checks, monkeypatch):
    real = reader.file_sha256
    victim = corpus / "c.txt"

    def hash_then_delete(path):
        digest = real(path)
        if Path(path) == victim.resolve():
            victim.unlink()
        return digest

    monkeypatch.setattr(reader, "file_sha256", hash_then_delete)
    s = settings(tmp_path)
    out = pipeline.run(s, [corpus])

    assert run_row(s, out["run_id"])["status"] == "completed"
    [(path, reason)] = query(s, "select source_path, reason from quarantine")
    assert path == str(victim.resolve()) and reason == f"{path}: file not found (it vanished after it was listed)"
    assert not query(s, "select * from files where source_path = ?", [path])


# ----------------------------------------------------------------------------------------------
# failures


def _boom(*args, **kwargs):
    raise RuntimeError("stage exploded on purpose")


def test_a_run_that_fails_after_loading_leaves_latest_and_the_next_run_redoes_its_files(
        tmp_path, corpus, fast_checks):
    s = settings(tmp_path)
    first = pipeline.run(s, [corpus])
    before = facts_by_file(s)
    latest = snapshot.latest(s.warehouse)

    path = corpus / "a.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("48万元", "56万元"), encoding="utf-8")
    run_ids = {r for (r,) in query(s, "select run_id from runs")}
    with pytest.raises(RuntimeError, match="on purpose"):
        pipeline.run(s, [corpus], pipeline.Stages(check=_boom))

    [failed] = {r for (r,) in query(s, "select run_id from runs")} - run_ids
    row = run_row(s, failed)
    assert row["status"] == "failed" and "stage exploded on purpose" in row["message"]
    assert row["snapshot_id"] is None and row["finished_at"] is not None
    assert snapshot.latest(s.warehouse) == latest == first["snapshot_id"]
    assert snapshot.read_table(s.warehouse, None, "facts").num_rows == sum(map(len, before.values()))
    assert [x["id"] for x in snapshot.list_snapshots(s.warehouse)] == [latest]
    # the files the failed run did not touch are as they were
    after = facts_by_file(s)
    assert after["b.md"] == before["b.md"] and after["c.txt"] == before["c.txt"]

    again = pipeline.run(s, [corpus])
    assert run_row(s, again["run_id"])["status"] == "completed"
    # what the failed run loaded counts as new in the run that completes, and is published
    assert again["articles_new"] == 1
    assert 560000 in values_of(s, "a.txt") and 480000 not in values_of(s, "a.txt")
    d = snapshot.diff(s.warehouse, latest, again["snapshot_id"], compare=("value",))
    assert d["changed"].to_pylist()[0]["value_old"] == 480000 and d["changed"]["value_new"].to_pylist() == [560000]


def test_a_load_that_fails_midway_is_rolled_back(tmp_path, corpus, fast_checks, monkeypatch):
    s = settings(tmp_path)
    pipeline.run(s, [corpus])
    facts = query(s, "select * from facts order by fact_id")
    files = query(s, "select * from files order by source_path")
    latest = snapshot.latest(s.warehouse)

    path = corpus / "a.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("48万元", "56万元"), encoding="utf-8")
    real = warehouse.read_sql
    # the insert fails after the delete of a.txt's old rows has run, inside the transaction
    monkeypatch.setattr(warehouse, "read_sql",
                        lambda name: "select no_such_column from articles" if name == "loads/20_insert_new.sql" else real(name))
    with pytest.raises(duckdb.Error):
        pipeline.run(s, [corpus])
    monkeypatch.setattr(warehouse, "read_sql", real)

    assert query(s, "select * from facts order by fact_id") == facts
    assert query(s, "select * from files order by source_path") == files
    assert query(s, "select status from runs order by started_at") == [("completed",), ("failed",)]
    assert snapshot.latest(s.warehouse) == latest

    again = pipeline.run(s, [corpus])
    assert again["articles_new"] == 1 and 560000 in values_of(s, "a.txt")


def test_a_run_left_running_by_a_crash_is_marked_failed_by_the_next(tmp_path, corpus, fast_checks):
    s = settings(tmp_path)
    with warehouse.connect(s.database) as con:
        warehouse.start_run(con, "crashed-run", [str(corpus)])
    out = pipeline.run(s, [corpus])
    row = run_row(s, "crashed-run")
    assert row["status"] == "failed" and "did not finish" in row["message"]
    assert run_row(s, out["run_id"])["status"] == "completed"


# ----------------------------------------------------------------------------------------------
# snapshots


def _cli(*argv: str) -> tuple[int, str]:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = cli.main(list(argv))
    return code, buf.getvalue()


def test_snapshots_are_listed_kept_to_n_and_diffed(tmp_path, corpus, fast_checks):
    s = settings(tmp_path, keep_snapshots=2)
    wh = str(s.warehouse)
    ids = [pipeline.run(s, [corpus])["snapshot_id"]]
    ids.append(pipeline.run(s, [corpus])["snapshot_id"])
    path = corpus / "a.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("48万元", "56万元"), encoding="utf-8")
    ids.append(pipeline.run(s, [corpus])["snapshot_id"])
    assert len(set(ids)) == 3

    # keep_snapshots = 2: the oldest is gone, from the listing and from the disk
    listed = [x["id"] for x in snapshot.list_snapshots(s.warehouse)]
    assert listed == [ids[2], ids[1]]
    assert sorted(p.name for p in (s.warehouse / "snapshots").iterdir()) == sorted([ids[1], ids[2], "LATEST"])

    code, out = _cli("snapshots", "--warehouse", wh)
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"* {ids[2]}") and lines[1].startswith(f"  {ids[1]}")

    code, out = _cli("diff", ids[1], ids[2], "--warehouse", wh)
    assert code == 0
    assert "added: 0" in out and "removed: 0" in out and "changed: 1" in out
    assert "value: 480000.0 -> 560000.0" in out
    code, same = _cli("diff", ids[1], "--warehouse", wh)  # B defaults to LATEST
    assert same == out


# ----------------------------------------------------------------------------------------------
# checks over an unchanged warehouse


def _check_rows(s: Settings, run_id: str) -> list[tuple]:
    return query(s, "select check_id, rule, severity, status, article_id, fact_ids, message from checks "
                    "where run_id = ? order by all", [run_id])


def _no_checking(*args, **kwargs):
    raise AssertionError("the checks ran again over an unchanged warehouse")


def test_a_rerun_over_unchanged_files_keeps_the_checks_of_the_run_before(tmp_path, corpus, monkeypatch):
    s = settings(tmp_path)
    (corpus / "d.txt").write_text("柳河镇今年新建村级服务站7个，其中9个在山区。\n", encoding="utf-8")
    first = pipeline.run(s, [corpus])
    assert first["checks_failed"] >= 1, "the corpus should fail a check, to show failures carry over"
    monkeypatch.setattr(checks, "run_all", _no_checking)
    second = pipeline.run(s, [corpus])

    assert _check_rows(s, second["run_id"]) == _check_rows(s, first["run_id"])
    assert second["checks_failed"] == first["checks_failed"]
    sha = {r: v for r, v in query(s, "select run_id, checks_sha256 from runs")}
    assert sha[first["run_id"]] == sha[second["run_id"]] == checks.fingerprint()
    # the snapshot and its report hold the carried rows
    assert snapshot.read_table(s.warehouse, second["snapshot_id"], "checks").num_rows == \
        len(_check_rows(s, first["run_id"]))
    page = (s.warehouse / "reports" / second["run_id"] / "index.html").read_text(encoding="utf-8")
    first_page = (s.warehouse / "reports" / first["run_id"] / "index.html").read_text(encoding="utf-8")
    assert f"Failed checks of run {second['run_id']}" in page and "its checks stand" in page
    assert page.count("<li>") == first_page.count("<li>") >= 1


def test_checking_a_run_again_replaces_its_rows(tmp_path, corpus, fast_checks):
    """A check stage that runs twice for one run (a retried task, say) leaves one set of rows."""
    s = settings(tmp_path)
    first = pipeline.run(s, [corpus])
    rows = _check_rows(s, first["run_id"])
    assert rows  # a pass row per rule at least
    again = pipeline.check(s, first["run_id"])
    assert _check_rows(s, first["run_id"]) == rows
    assert again["failed"] == first["checks_failed"]


def test_the_checks_run_again_when_the_rules_change_or_a_file_does(tmp_path, corpus, fast_checks, monkeypatch):
    s = settings(tmp_path)
    pipeline.run(s, [corpus])
    calls = []
    real = checks.run_all
    monkeypatch.setattr(checks, "run_all", lambda *a, **k: calls.append(1) or real(*a, **k))

    monkeypatch.setattr(checks, "fingerprint", lambda: "other rules")
    pipeline.run(s, [corpus])
    assert len(calls) == 1, "new rules must be checked"

    pipeline.run(s, [corpus])
    assert len(calls) == 1, "the same rules again over the same rows: carried"

    path = corpus / "a.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("48万元", "56万元"), encoding="utf-8")
    pipeline.run(s, [corpus])
    assert len(calls) == 2, "a changed file must be checked"


def test_the_checks_run_again_after_files_are_dropped_or_a_run_failed(tmp_path, corpus, fast_checks, monkeypatch):
    s = settings(tmp_path, removed_files="drop")
    pipeline.run(s, [corpus])
    calls = []
    real = checks.run_all
    monkeypatch.setattr(checks, "run_all", lambda *a, **k: calls.append(1) or real(*a, **k))

    (corpus / "c.txt").unlink()
    pipeline.run(s, [corpus])
    assert len(calls) == 1, "dropping a file's facts must be checked"

    with pytest.raises(RuntimeError, match="on purpose"):
        pipeline.run(s, [corpus], pipeline.Stages(carry_checks=_boom))
    pipeline.run(s, [corpus])
    assert len(calls) == 2, "the run before failed: nothing to carry"


def test_a_publish_that_fails_midway_marks_the_run_failed_and_keeps_latest(tmp_path, corpus, fast_checks,
                                                                          monkeypatch):
    s = settings(tmp_path)
    first = pipeline.run(s, [corpus])
    real, calls = snapshot._write_parquet, []

    def disk_full_on_the_second_table(data, out):
        calls.append(1)
        if len(calls) == 2:
            data.read_next_batch()  # the table's stream is running when the disk fills
            raise OSError("disk full on purpose")
        return real(data, out)

    monkeypatch.setattr(snapshot, "_write_parquet", disk_full_on_the_second_table)
    (corpus / "a.txt").write_text("青石村今年新修机耕路3公里。\n", encoding="utf-8")
    with pytest.raises(Exception, match="disk full on purpose"):
        pipeline.run(s, [corpus])
    # the half-read export streams let go of the database: the failure is recorded
    statuses = [r for (r,) in query(s, "select status from runs order by started_at")]
    assert statuses == ["completed", "failed"]
    assert snapshot.latest(s.warehouse) == first["snapshot_id"]


def test_every_stage_opens_the_warehouse_under_the_settings_memory_limit(tmp_path, corpus, fast_checks, monkeypatch):
    """The limit given in code, not only the environment's, holds for every connection of a run."""
    monkeypatch.delenv("NEWSFACTS_DUCKDB_MEMORY", raising=False)
    limits, real = [], warehouse.connect

    def connect(db, **kwargs):
        limits.append(kwargs.get("memory_limit"))
        return real(db, **kwargs)

    monkeypatch.setattr(warehouse, "connect", connect)
    summary = pipeline.run(settings(tmp_path, duckdb_memory="300MB"), [corpus])
    pipeline.run(settings(tmp_path, duckdb_memory="300MB"), [corpus])  # the rerun carries its checks
    assert summary["facts"] > 0
    assert len(limits) >= 8 and set(limits) == {"300MB"}
