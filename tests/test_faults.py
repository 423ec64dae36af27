"""Faults: runs killed with SIGKILL (mid-load and mid-publish), two runs at once, and readers
in the way. Each run under test is a real child process (slow)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from newsfacts import pipeline, snapshot, warehouse
from newsfacts.settings import Settings

pytestmark = pytest.mark.slow

# A child process that runs the pipeline: python -c RUNNER INPUT WAREHOUSE MODE [FLAG RELEASE]
RUNNER = r"""
import os, signal, sys, time
from pathlib import Path
from newsfacts import pipeline, snapshot
from newsfacts.settings import Settings

inputs, wh, mode = sys.argv[1], sys.argv[2], sys.argv[3]
stages = pipeline.Stages()
if mode == "pause":  # hold the warehouse lock after the first batch until RELEASE exists
    flag, release = Path(sys.argv[4]), Path(sys.argv[5])
    def load(*args):
        pipeline.load(*args)
        flag.touch()
        while not release.exists():
            time.sleep(0.05)
    stages = pipeline.Stages(load=load)
elif mode == "kill-mid-snapshot":  # die while the second table streams in, the first written
    real, calls = snapshot._write_parquet, []
    def write_parquet(data, out):
        calls.append(1)
        if len(calls) == 2:
            out.write(b"PAR1")  # the file begun
            os.kill(os.getpid(), signal.SIGKILL)
        return real(data, out)
    snapshot._write_parquet = write_parquet
elif mode == "kill-before-latest":  # die with the snapshot complete, before LATEST moves
    snapshot._commit = lambda store, sid: os.kill(os.getpid(), signal.SIGKILL)
out = pipeline.run(Settings.from_env(warehouse=wh), [inputs], stages)
print("done", out["run_id"], out["articles_new"], flush=True)
"""

PLACES = "青石 柳河 红岭 白沙 东坡 西湾 金田 南岗 长堤 沿河 松林 桃源 杏花 梨树 枫桥 竹溪 石门 云台 龙泉 清水".split()
TEMPLATES = [
    "{p}村今年新建蔬菜大棚{a}个，带动{b}户农户增收，户均增收{c}元。",
    "{p}镇组织党员志愿者{a}名，开展环境整治{b}次，清运垃圾{c}吨。",
    "{p}社区新增就业岗位{a}个，帮助{b}名居民实现再就业，开办培训班{c}期。",
    "{p}乡修缮农田水渠{a}公里，新打机井{b}眼，受益耕地{c}亩。",
]


def write_many(folder: Path, start: int, n: int, seed: int = 7) -> list[Path]:
    """``n`` small articles in our own words, with varied numbers: ``doc{start}.txt`` onwards."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed + start)
    paths = []
    for i in range(start, start + n):
        place = PLACES[i % len(PLACES)] + PLACES[(i // len(PLACES)) % len(PLACES)]
        body = "".join(t.format(p=place, a=rnd.randint(2, 900), b=rnd.randint(2, 900), c=rnd.randint(2, 9000))
                       for t in rnd.sample(TEMPLATES, 3))
        path = folder / f"doc{i:04d}.txt"
        path.write_text(f"{place}办实事见成效\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def env(**extra) -> dict:
    out = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "NEWSFACTS_"))}
    out.update({"NEWSFACTS_WORKERS": "1", "NEWSFACTS_DATA_DOCS": "false", **extra})
    return out


def start(inputs: Path, wh: Path, mode: str = "run", *args: str, **extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", RUNNER, str(inputs), str(wh), mode, *args],
                            env=env(**extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def peek(db: Path, sql: str, params=()) -> list[tuple] | None:
    """A read-only look, or None while a writer has the file (as any reader would see it)."""
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def wait_for(what, timeout: float, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s")


def settings(wh: Path) -> Settings:
    return Settings.from_env({}, warehouse=wh, workers=1, data_docs=False)


def rows(s: Settings, sql: str, params=()) -> list[tuple]:
    with warehouse.connect(s.database) as con:  # writable: the file must open after a kill
        return con.execute(sql, list(params)).fetchall()


FACTS = "select * from facts order by fact_id"
FILE_FACTS = ("select regexp_extract(a.source_path, '[^/]+$'), f.* from facts f join articles a using (article_id) "
              "order by f.fact_id")


def by_file(s: Settings) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for r in rows(s, FILE_FACTS):
        out.setdefault(r[0], []).append(r[1:])
    return out


# ----------------------------------------------------------------------------------------------
# kill -9


def test_a_run_killed_mid_load_loses_nothing_and_the_next_run_completes(tmp_path):
    corpus, wh = tmp_path / "in", tmp_path / "wh"
    write_many(corpus, 0, 60)
    s = settings(wh)
    base = pipeline.run(s, [corpus])
    base_facts = by_file(s)
    base_latest = snapshot.latest(wh)
    assert base_latest == base["snapshot_id"] and base["articles_new"] == 60

    edited = sorted(corpus.glob("*.txt"))[:5]
    for p in edited:  # a number changed in five old files, and 240 new files
        p.write_text(p.read_text(encoding="utf-8").replace("办实事", "办实事 ").replace("个", "0个", 1),
                     encoding="utf-8")
    write_many(corpus, 60, 240)
    proc = start(corpus, wh, NEWSFACTS_BATCH_SIZE="5")
    try:
        # wait until the run is recorded as running and a first batch of it is committed
        loaded = wait_for(lambda: peek(s.database, "select count(*) from files f join runs r on r.run_id = f.last_run_id "
                                                   "where r.status = 'running' having count(*) > 0"), 120)
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    # the warehouse opens; the killed run is still marked running; at most whole batches loaded
    [(killed, status)] = rows(s, "select run_id, status from runs where run_id != ?", [base["run_id"]])
    assert status == "running"
    done = rows(s, "select count(*) from files where last_run_id = ?", [killed])[0][0]
    assert loaded[0][0] <= done < 245
    # nothing of the previous run is lost: its files not edited have exactly their facts
    now = by_file(s)
    for p in sorted(corpus.glob("doc00*.txt"))[5:60]:
        assert now[p.name] == base_facts[p.name], p.name
    # LATEST still names the previous complete snapshot, and it reads (sha256 checked)
    assert snapshot.latest(wh) == base_latest
    assert [x["id"] for x in snapshot.list_snapshots(wh)] == [base_latest]
    assert snapshot.read_table(wh, None, "facts").num_rows == sum(map(len, base_facts.values()))

    again = pipeline.run(s, [corpus])
    assert rows(s, "select status, message from runs where run_id = ?", [killed]) == [
        ("failed", "did not finish (killed or crashed)")]
    assert rows(s, "select status from runs where run_id = ?", [again["run_id"]]) == [("completed",)]
    # the files the killed run had loaded are read again: all that changed since the last
    # completed run is new in this one
    assert again["articles_new"] == 245
    # and the warehouse holds exactly what one clean run over the same input gives
    fresh = settings(tmp_path / "fresh")
    pipeline.run(fresh, [corpus])
    assert rows(s, FACTS) == rows(fresh, FACTS)
    assert snapshot.read_table(wh, None, "facts").sort_by("fact_id").equals(
        snapshot.read_table(fresh.warehouse, None, "facts").sort_by("fact_id"))


@pytest.mark.parametrize("mode", ["kill-mid-snapshot", "kill-before-latest"])
def test_a_run_killed_while_publishing_leaves_latest_and_is_marked_failed(tmp_path, mode):
    corpus, wh = tmp_path / "in", tmp_path / "wh"
    write_many(corpus, 0, 10)
    s = settings(wh)
    base = pipeline.run(s, [corpus])
    write_many(corpus, 10, 5)

    proc = start(corpus, wh, mode)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == -signal.SIGKILL, err

    assert snapshot.latest(wh) == base["snapshot_id"]
    assert snapshot.read_table(wh, None, "facts").num_rows == base["facts"]
    listed = snapshot.list_snapshots(wh)
    assert [x["id"] for x in listed if x["is_latest"]] == [base["snapshot_id"]]
    if mode == "kill-mid-snapshot":  # a half-written snapshot is not listed
        assert len(listed) == 1 and any(p.name.startswith(".tmp-") for p in (wh / "snapshots").iterdir())
    [(killed, status, sid)] = rows(s, "select run_id, status, snapshot_id from runs where run_id != ?", [base["run_id"]])
    assert sid is None and status in ("running", "completed")

    again = pipeline.run(s, [corpus])
    assert rows(s, "select status from runs where run_id = ?", [killed]) == [("failed",)]
    assert snapshot.latest(wh) == again["snapshot_id"]
    assert again["articles_new"] == 5
    assert not any(p.name.startswith(".tmp-") for p in (wh / "snapshots").iterdir())
    assert snapshot.read_table(wh, None, "facts").num_rows == rows(s, "select count(*) from facts")[0][0]


# ----------------------------------------------------------------------------------------------
# two runs at once


def test_two_runs_started_together_both_complete_one_after_the_other(tmp_path):
    corpus, wh = tmp_path / "in", tmp_path / "wh"
    write_many(corpus, 0, 150)
    procs = [start(corpus, wh, NEWSFACTS_BATCH_SIZE="10") for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs

    s = settings(wh)
    runs = rows(s, "select status, articles_new, started_at, finished_at from runs order by started_at")
    assert [r[0] for r in runs] == ["completed", "completed"]
    assert [r[1] for r in runs] == [150, 0]  # the second waited, then found nothing new
    assert runs[1][2] >= runs[0][3]  # it began only after the first had finished
    fresh = settings(tmp_path / "fresh")
    pipeline.run(fresh, [corpus])
    assert rows(s, FACTS) == rows(fresh, FACTS)
    assert len(snapshot.list_snapshots(wh)) == 2
    assert snapshot.read_table(wh, None, "facts").num_rows == len(rows(fresh, FACTS))


@pytest.fixture
def holder(tmp_path):
    """A run that has loaded its first batch and holds the warehouse lock until released."""
    corpus, wh = tmp_path / "in", tmp_path / "wh"
    write_many(corpus, 0, 20)
    flag, release = tmp_path / "holding", tmp_path / "release"
    proc = start(corpus, wh, "pause", str(flag), str(release), NEWSFACTS_BATCH_SIZE="5")
    try:
        wait_for(lambda: flag.exists() or proc.poll() is not None, 120)
        assert proc.poll() is None, proc.communicate()
        yield corpus, wh, proc, release
    finally:
        release.touch()
        proc.wait(timeout=300)


def cli_run(corpus: Path, wh: Path, home: Path, **extra) -> subprocess.Popen:
    """``newsfacts run`` as a user types it, with its own temporary Prefect server."""
    exe = Path(sys.executable).with_name("newsfacts")
    log = open(home.with_suffix(".log"), "w")  # noqa: SIM115 - closed with the test's tmp dir
    return subprocess.Popen([str(exe), "run", "--input", str(corpus), "--warehouse", str(wh)],
                            env=env(PREFECT_HOME=str(home), **extra), stdout=log, stderr=subprocess.STDOUT, text=True)


def test_a_second_run_refuses_with_a_clear_message_when_told_not_to_wait(holder, tmp_path):
    corpus, wh, proc, release = holder
    second = cli_run(corpus, wh, tmp_path / "prefect-b", NEWSFACTS_LOCK_WAIT_SECONDS="1")
    assert second.wait(timeout=240) == 2
    out = (tmp_path / "prefect-b.log").read_text()
    assert f"newsfacts: {wh}: another newsfacts run (pid {proc.pid}) is writing this warehouse" in out, out
    assert "Traceback" not in out
    s = settings(wh)
    # the refused run never began: the holder's run is the only one, and it completes
    release.touch()
    assert proc.wait(timeout=300) == 0, proc.communicate()
    assert rows(s, "select status, articles_new from runs") == [("completed", 20)]
    assert snapshot.read_table(wh, None, "facts").num_rows == rows(s, "select count(*) from facts")[0][0]


def test_a_second_run_waits_for_the_first_then_completes(holder, tmp_path):
    corpus, wh, proc, release = holder
    second = cli_run(corpus, wh, tmp_path / "prefect-b")
    log = tmp_path / "prefect-b.log"
    wait_for(lambda: "waiting for another newsfacts run" in log.read_text() or second.poll() is not None, 240, 0.2)
    assert second.poll() is None, log.read_text()
    time.sleep(2)
    assert second.poll() is None  # still waiting while the first holds the lock
    release.touch()
    assert proc.wait(timeout=300) == 0
    assert second.wait(timeout=300) == 0, log.read_text()
    s = settings(wh)
    runs = rows(s, "select status, articles_new, started_at, finished_at from runs order by started_at")
    assert [r[:2] for r in runs] == [("completed", 20), ("completed", 0)]
    assert runs[1][2] >= runs[0][3]


# ----------------------------------------------------------------------------------------------
# readers


def test_a_reader_between_two_stages_delays_a_run_instead_of_failing_it(tmp_path, monkeypatch):
    """DuckDB refuses a writer while another process reads; the run's stages wait their turn."""
    corpus, wh = tmp_path / "in", tmp_path / "wh"
    write_many(corpus, 0, 5)
    s = settings(wh)
    pipeline.run(s, [corpus])
    write_many(corpus, 5, 5)
    reader = subprocess.Popen([sys.executable, "-c",
                               "import duckdb, sys, time; sys.stdin.readline(); "
                               "c = duckdb.connect(sys.argv[1], read_only=True); "
                               "print('open', flush=True); time.sleep(3); c.close()", str(s.database)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    real = pipeline.load
    opened = []

    def load_after_a_reader_came_in(*args):
        if not opened:  # the run has begun and closed the file; a reader opens it now
            reader.stdin.write("go\n")
            reader.stdin.flush()
            opened.append(reader.stdout.readline())
        return real(*args)

    try:
        started = time.monotonic()
        out = pipeline.run(s, [corpus], pipeline.Stages(load=load_after_a_reader_came_in))
    finally:
        reader.wait(timeout=30)
    assert opened == ["open\n"]
    assert out["articles_new"] == 5 and time.monotonic() - started >= 2
    assert rows(s, "select status from runs order by started_at") == [("completed",), ("completed",)]


def test_an_extraction_process_that_dies_gives_a_clear_error_and_a_fresh_pool_next_time():
    """A worker killed (as the kernel's OOM killer would) breaks the pool: the run gets an
    ExtractionError naming the batch's files and what to do, and the next extraction starts new
    processes instead of failing on the broken pool."""
    from newsfacts.errors import ExtractionError
    from newsfacts.model import Document

    pool = pipeline._pool(2)
    try:
        assert pool.submit(int, "7").result(timeout=60) == 7
        os.kill(next(iter(pool._processes)), signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not pool._broken and time.monotonic() < deadline:
            time.sleep(0.05)
        docs = [Document(source_path=f"in/{i}.txt", text="共有135名党员。" * 40_000, content_sha256="x", format="txt")
                for i in (2, 1)]
        with pytest.raises(ExtractionError, match=r"2 file\(s\), in/1\.txt to in/2\.txt; nothing of them was stored.*NEWSFACTS_BATCH_SIZE.*__main__"):
            pipeline.extract(docs, workers=2)
        assert pipeline._POOL is None
        assert pipeline._pool(2).submit(int, "8").result(timeout=60) == 8
    finally:
        pipeline.release_workers()
