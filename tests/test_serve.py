"""``newsfacts serve`` on a machine with no Prefect configured: it starts its own server, completes
scheduled runs unattended, and on SIGTERM stops, leaving no process behind (slow)."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from newsfacts import snapshot

pytestmark = pytest.mark.slow


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid``, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def completed_runs(db: Path) -> int:
    """Completed runs, read the way any reader would; 0 while a writer has the file."""
    if not db.exists():
        return 0
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return 0
    try:
        # completed, and its snapshot published (a run is marked completed just before that)
        return con.execute("select count(*) from runs where status = 'completed' and snapshot_id is not null").fetchone()[0]
    except duckdb.Error:
        return 0
    finally:
        con.close()


def test_serve_starts_its_own_server_runs_twice_and_stops_cleanly(tmp_path):
    corpus, wh = tmp_path / "in", tmp_path / "wh"
    corpus.mkdir()
    (corpus / "a.txt").write_text("青石村庭院经济见成效\n\n全村共有农户312户，其中186户种上了果蔬，"
                                  "村集体经济收入达到48万元。\n", encoding="utf-8")
    (corpus / "b.txt").write_text("柳河镇培训返乡青年\n\n柳河镇今年举办电商培训班6期，参训返乡青年共计240人次。\n",
                                  encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSFACTS_"))}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), NEWSFACTS_WORKERS="1")
    exe = Path(sys.executable).with_name("newsfacts")
    log = tmp_path / "serve.log"
    started = time.monotonic()
    with open(log, "w") as out:
        proc = subprocess.Popen([str(exe), "serve", "--input", str(corpus), "--warehouse", str(wh), "--interval", "15"],
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    seen: dict[int, str] = {}  # every process below serve, with its command line when first seen
    port = None
    try:
        while completed_runs(wh / "newsfacts.duckdb") < 2:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() - started < 240, f"not two completed runs within 4 minutes:\n{log.read_text()}"
            seen.update({p: cmdline(p) for p in descendants(proc.pid) - seen.keys()})
            if port is None and (m := re.search(r"local Prefect server on port (\d+)", log.read_text())):
                port = int(m.group(1))
            time.sleep(1)
        elapsed = time.monotonic() - started
        seen.update({p: cmdline(p) for p in descendants(proc.pid) - seen.keys()})
        assert port is not None and any(f"prefect server start --host 127.0.0.1 --port {port}" in c
                                        for c in seen.values()), (port, seen)
        assert any("spawn_main" in c for c in seen.values()), seen  # the scheduled runs' processes

        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"serve did not stop within 30 s of SIGTERM:\n{log.read_text()}")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    text = log.read_text()
    assert code == 0, text
    assert "Traceback" not in text, text
    assert "local Prefect server stopped" in text
    # nothing it started is left: not the server, not a scheduled run
    time.sleep(1)
    left = {p: c for p, c in seen.items() if alive(p)}
    assert not left, left
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, f"something still listens on port {port}"
    assert not [p for p in Path("/proc").iterdir()
                if p.name.isdigit() and f"--port {port}" in cmdline(int(p.name))]

    con = duckdb.connect(str(wh / "newsfacts.duckdb"), read_only=True)
    try:
        runs = con.execute("select status, articles_new, snapshot_id, message from runs order by started_at").fetchall()
    finally:
        con.close()
    done = [r[:2] for r in runs if r[0] == "completed" and r[2] is not None]
    assert done[:2] == [("completed", 2), ("completed", 0)], (runs, text)
    assert snapshot.read_table(wh, None, "facts").num_rows > 0
    print(f"two scheduled runs completed {elapsed:.0f} s after `newsfacts serve` started")
