"""Throughput of the pipeline on a generated corpus, against a bare number spotter.

Usage (from the repo root; not a timed test)::

    python bench/pipeline.py [--articles 12000] [--work DIR] [--no-data-docs] [--prefect]

What it does, in one process:

1. generates (or reuses) a corpus of ``--articles`` distinct articles with ``bench/corpus.py``;
2. runs the pipeline's library stages (``newsfacts.pipeline.run`` with its default ``Stages``,
   each stage wrapped in a timer) into a fresh warehouse: the **first run**;
3. runs it again over the unchanged corpus: the **rerun** (every file is skipped by its hash);
4. records peak memory (``ru_maxrss`` of this process, and of its largest child: the
   extraction processes);
5. times **extraction alone** in this process on one core (split + extract of a few MB);
6. times the **baseline**: chinese2digits' ``takeNumberFromString`` over every line of the
   same files, in a child process (one core, as that library runs);
7. with ``--prefect``, runs the Prefect flow too (first run into another fresh warehouse).

It prints a report, with the machine and the load average, and writes it as JSON beside the
warehouse (``--json`` to choose where). ``BENCHMARKS.md`` records one such report.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from bench import corpus as corpus_mod  # noqa: E402
from newsfacts import pipeline as nf  # noqa: E402
from newsfacts.settings import Settings  # noqa: E402

MB = 1e6

# ----------------------------------------------------------------------------------------------
# the corpus


def ensure_corpus(folder: Path, articles: int, seed: int, per_file: int) -> dict:
    """The corpus under ``folder``, generated unless a matching one is there already."""
    marker = folder / ".corpus.json"
    wanted = {"articles": articles, "seed": seed, "per_file": per_file,
              "generator": _digest(Path(corpus_mod.__file__))}
    if marker.is_file():
        found = json.loads(marker.read_text())
        if {k: found.get(k) for k in wanted} == wanted:
            return found
    if folder.exists():
        shutil.rmtree(folder)
    t = time.perf_counter()
    stats = corpus_mod.generate(folder, articles, seed=seed, per_file=per_file)
    stats.update(wanted, seconds=round(time.perf_counter() - t, 1))
    marker.write_text(json.dumps(stats))
    return stats


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


# ----------------------------------------------------------------------------------------------
# timed stages


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    bytes_read: int = 0
    text_bytes: int = 0
    articles: int = 0
    facts: int = 0

    def add(self, stage: str, wall: float, cpu: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + wall
        self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu


def _cpu() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed_stages(t: Timings, base: nf.Stages = nf.Stages(), rss: TotalRss | None = None) -> nf.Stages:
    """The default stages, each wrapped so that ``t`` adds up its wall time (and ``rss``, when
    given, knows which stage is running)."""

    def wrap(name, fn, after=None):
        def inner(*args, **kwargs):
            w0 = time.perf_counter()
            if rss is not None:
                rss.stage = name
            try:
                out = fn(*args, **kwargs)
            finally:
                if rss is not None:
                    rss.stage = "other"
            t.add(name, time.perf_counter() - w0, 0.0)
            if after:
                after(args, out)
            return out
        return inner

    def after_read(args, out):
        t.bytes_read += sum(size for _, _, size in out.files)
        t.text_bytes += sum(len(d.text.encode("utf-8")) for d in out.documents)

    def after_extract(args, out):
        t.articles += len(out.articles)
        t.facts += len(out.facts)

    return replace(base, read=wrap("read", base.read, after_read),
                   extract=wrap("extract", base.extract, after_extract), load=wrap("load", base.load),
                   check=wrap("check", base.check), publish=wrap("publish", base.publish))


def library_run(settings: Settings, inputs: list[str]) -> dict:
    t = Timings()
    w0, c0 = time.perf_counter(), _cpu()
    with TotalRss() as rss:
        summary = nf.run(settings, inputs, timed_stages(t, rss=rss))
    wall, cpu = time.perf_counter() - w0, _cpu() - c0
    return {"wall": wall, "cpu": cpu, "stages": t.seconds, "bytes_read": t.bytes_read,
            "total_rss_mb": round(rss.peak_kib / 1024),
            "total_rss_mb_by_stage": {k: round(v / 1024) for k, v in rss.by_stage.items()},
            "text_bytes": t.text_bytes, "articles": t.articles, "facts": t.facts, "summary": summary}


# ----------------------------------------------------------------------------------------------
# extraction alone, the baseline, the Prefect flow


def extraction_alone(files: list[Path], mb: float) -> dict:
    """Split + extract of the first ``mb`` MB of the corpus in this process (one core)."""
    chosen, size = [], 0
    for p in files:
        chosen.append(p)
        size += p.stat().st_size
        if size >= mb * MB:
            break
    docs = nf.read_files(chosen, {}, Settings()).documents
    nbytes = sum(len(d.text.encode("utf-8")) for d in docs)
    nf._gazetteer()  # loaded once per process: not part of the rate
    w0, c0 = time.perf_counter(), time.process_time()
    ex = nf.extract(docs, 1)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    return {"bytes": nbytes, "wall": wall, "cpu": cpu, "facts": len(ex.facts), "articles": len(ex.articles),
            "mb_per_s_wall": nbytes / MB / wall, "mb_per_s_cpu": nbytes / MB / cpu}


_BASELINE = r"""
import json, sys, time
try:
    from chinese2digits import takeNumberFromString
except ImportError:
    print(json.dumps({"missing": True})); sys.exit(0)
paths = sys.argv[1:]
w0, c0 = time.perf_counter(), time.process_time()
numbers = nbytes = lines = 0
for path in paths:
    with open(path, "rb") as f:
        raw = f.read()
    nbytes += len(raw)
    for line in raw.decode("utf-8").splitlines():
        if line.strip():
            numbers += len(takeNumberFromString(line)["digitsStringList"])
            lines += 1
print(json.dumps({"wall": time.perf_counter() - w0, "cpu": time.process_time() - c0,
                  "bytes": nbytes, "numbers": numbers, "lines": lines}))
"""


def baseline(files: list[Path]) -> dict:
    """chinese2digits over every non-blank line of the files, in a child process."""
    listing = Path(os.environ.get("TMPDIR", "/tmp")) / f"nf-bench-files-{os.getpid()}.txt"
    listing.write_text("\n".join(map(str, files)))
    try:
        code = _BASELINE.replace("paths = sys.argv[1:]", f"paths = open({str(listing)!r}).read().split('\\n')")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    finally:
        listing.unlink(missing_ok=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def prefect_run(settings: Settings, inputs: list[str]) -> dict:
    """The Prefect flow (its tasks as the stages): one warm-up run on the samples, then the corpus."""
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    from flows.pipeline import run_flow

    warm = replace(settings, warehouse=settings.warehouse.parent / (settings.warehouse.name + "-warmup"),
                   task_runner="local")
    run_flow(settings=warm)  # starts Prefect's temporary server: not part of the figure
    w0 = time.perf_counter()
    summary = run_flow(inputs, settings=settings)
    return {"wall": time.perf_counter() - w0, "summary": summary}


# ----------------------------------------------------------------------------------------------
# machine and report


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def load_avg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def _proc_kib(field: str, *, children_only: bool) -> list[int]:
    """``field`` (VmHWM, VmRSS, ...) of this process's live children, and of this process too
    unless ``children_only``, in KiB, from /proc."""
    me, out = str(os.getpid()), []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            mine = stat.parent.name == me
            if (children_only or not mine) and stat.read_text().rsplit(")", 1)[1].split()[1] != me:
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith(field + ":"):
                    out.append(int(line.split()[1]))
        except (OSError, IndexError, ValueError):
            continue
    return out


def _children_peak_kib() -> list[int]:
    """Peak RSS (VmHWM) of the live child processes (the extraction pool)."""
    return _proc_kib("VmHWM", children_only=True)


class TotalRss:
    """Samples, every ``interval`` seconds, the resident memory of this process and all its
    children together (from /proc), and keeps the largest sum: the run's real peak, which the
    per-process peaks only bound."""

    def __init__(self, interval: float = 0.25):
        import threading

        self.peak_kib, self.interval = 0, interval
        self.stage, self.by_stage = "other", {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TotalRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            kib, stage = _total_rss_kib(), self.stage
            self.peak_kib = max(self.peak_kib, kib)
            self.by_stage[stage] = max(self.by_stage.get(stage, 0), kib)


def _total_rss_kib() -> int:
    return sum(_proc_kib("VmRSS", children_only=False))


def peak_rss() -> dict:
    """Peak resident memory: this process, and the largest of its children, live or waited for
    (``ru_maxrss`` counts only children that have exited)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    kids = [resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, *_children_peak_kib()]
    live = _children_peak_kib()
    return {"self_mb": round(own / 1024), "largest_child_mb": round(max(kids) / 1024),
            "children": len(live)}


def _rate(nbytes: int, seconds: float) -> str:
    return f"{nbytes / MB / seconds:7.2f} MB/s" if seconds > 0 else "      - MB/s"


def report(r: dict) -> str:
    first, rerun = r["first"], r.get("rerun")
    mb = first["text_bytes"] / MB
    lines = [
        f"newsfacts bench  {r['date']}",
        f"machine   {r['machine']['nproc']} cores, {r['machine']['cpu']}, {r['machine']['memory_gb']} GB, "
        f"Python {r['machine']['python']}",
        f"corpus    {r['corpus']['articles']} articles in {r['corpus']['files']} files, "
        f"{r['corpus']['bytes'] / MB:.1f} MB (seed {r['corpus']['seed']}, {r['corpus']['per_file']} per file)",
        f"settings  workers {r['settings']['workers']}, batch {r['settings']['batch_size']} files, "
        f"data docs {'on' if r['settings']['data_docs'] else 'off'}, "
        f"DuckDB memory limit {r['settings'].get('duckdb_memory', '?')}, "
        f"check chunk {r['settings'].get('check_chunk_rows', '?')} rows",
        f"load avg  before {r['load_before']}  after {r['load_after']}",
        "",
        f"first run (library stages)      {first['wall']:7.1f} s  {_rate(first['text_bytes'], first['wall'])}"
        f"   {first['articles']} articles, {first['facts']} facts ({first['facts'] / max(mb, 1e-9) / 1000:.1f} per KB)",
    ]
    st = first["stages"]
    for name, label in (("read", "read"), ("split+extract", "split + extract"), ("load", "load"),
                        ("check", "check"), ("publish", "publish")):
        secs = st.get("split", 0) + st.get("extract", 0) if name == "split+extract" else st.get(name, 0)
        lines.append(f"  {label:<29} {secs:7.1f} s  {_rate(first['text_bytes'], secs)}")
    other = first["wall"] - sum(st.values())
    lines.append(f"  {'other (discover, begin, ...)':<29} {other:7.1f} s")
    if rerun:
        lines.append(f"rerun, nothing changed           {rerun['wall']:7.1f} s  "
                     f"= {rerun['wall'] / first['wall']:.2f} of the first run "
                     f"(read {rerun['stages'].get('read', 0):.1f} s, check {rerun['stages'].get('check', 0):.1f} s, "
                     f"publish {rerun['stages'].get('publish', 0):.1f} s)")
    m = r["memory"]
    lines.append(f"peak memory                      this process {m['self_mb']} MB, largest extraction "
                 f"process {m['largest_child_mb']} MB; all processes together, sampled every 0.25 s: "
                 f"{first.get('total_rss_mb', '?')} MB in the first run")
    by_stage = first.get("total_rss_mb_by_stage") or {}
    if by_stage:
        lines.append("  by stage (all processes)       " + ", ".join(
            f"{k} {by_stage[k]} MB" for k in ("read", "extract", "load", "check", "publish", "other") if k in by_stage))
    ex = r.get("extraction")
    if ex:
        lines.append(f"extraction alone, one core       {ex['mb_per_s_cpu']:7.2f} MB/s per core (CPU time; "
                     f"{ex['mb_per_s_wall']:.2f} MB/s wall) on {ex['bytes'] / MB:.1f} MB")
    b = r.get("baseline")
    if b is None:
        pass
    elif b.get("missing"):
        lines.append("baseline                         chinese2digits is not installed "
                     "(pip install chinese2digits); no ratio")
    else:
        lines.append(f"baseline: chinese2digits        {b['wall']:7.1f} s  {_rate(b['bytes'], b['wall'])}   "
                     f"takeNumberFromString on {b['lines']} lines, one process")
        lines.append(f"ratio: ours end to end / baseline {first['wall'] / b['wall']:6.2f}")
    p = r.get("prefect")
    if p:
        lines.append(f"first run, Prefect flow ({p['task_runner']} task runner) {p['wall']:5.1f} s  "
                     f"{_rate(first['text_bytes'], p['wall'])}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="newsfacts pipeline benchmark (see the module docstring)")
    ap.add_argument("--articles", type=int, default=12_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-file", type=int, default=50, help="articles per generated file")
    ap.add_argument("--work", type=Path, default=Path("/tmp/newsfacts-bench"),
                    help="corpus and warehouses go here (default /tmp/newsfacts-bench)")
    ap.add_argument("--batch-size", type=int, default=None, help="files per batch (default: the setting)")
    ap.add_argument("--workers", type=int, default=None, help="extraction processes (default: one per core)")
    ap.add_argument("--no-data-docs", action="store_true", help="skip the Great Expectations Data Docs")
    ap.add_argument("--no-rerun", action="store_true")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--extract-mb", type=float, default=8.0, help="MB of text for 'extraction alone' (0: skip)")
    ap.add_argument("--prefect", action="store_true", help="also run the Prefect flow")
    ap.add_argument("--task-runner", choices=("local", "dask"), default="local",
                    help="the flow's task runner with --prefect (dask: a LocalCluster of --workers)")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here too")
    args = ap.parse_args(argv)

    work = args.work
    cdir = work / f"corpus-{args.articles}-s{args.seed}-p{args.per_file}"
    print(f"corpus: {cdir}", file=sys.stderr)
    cstats = ensure_corpus(cdir, args.articles, args.seed, args.per_file)
    files = nf.discover([cdir])
    wh = work / "warehouse"
    if wh.exists():
        shutil.rmtree(wh)
    overrides = {"warehouse": wh, "data_docs": not args.no_data_docs, "task_runner": "local",
                 "batch_size": args.batch_size, "workers": args.workers, "snapshot_root": ""}
    settings = Settings.from_env(**{k: v for k, v in overrides.items() if v is not None})
    settings = replace(settings, data_docs=not args.no_data_docs, snapshot_root="")
    r: dict = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
               "corpus": cstats, "load_before": load_avg(),
               "settings": {"workers": nf.worker_count(settings), "batch_size": settings.batch_size,
                            "data_docs": settings.data_docs, "duckdb_memory": settings.duckdb_memory,
                            "check_chunk_rows": settings.check_chunk_rows},
               "command": "python bench/pipeline.py " + " ".join(argv if argv is not None else sys.argv[1:])}

    print("first run ...", file=sys.stderr)
    r["first"] = library_run(settings, [str(cdir)])
    if not args.no_rerun:
        print("rerun ...", file=sys.stderr)
        r["rerun"] = library_run(settings, [str(cdir)])
    r["memory"] = peak_rss()
    if args.extract_mb > 0:
        print("extraction alone ...", file=sys.stderr)
        r["extraction"] = extraction_alone(files, args.extract_mb)
    if not args.no_baseline:
        print("baseline (chinese2digits) ...", file=sys.stderr)
        r["baseline"] = baseline(files)
    if args.prefect:
        print("Prefect flow ...", file=sys.stderr)
        pwh = work / "warehouse-prefect"
        if pwh.exists():
            shutil.rmtree(pwh)
        r["prefect"] = prefect_run(replace(settings, warehouse=pwh, task_runner=args.task_runner), [str(cdir)])
        r["prefect"]["task_runner"] = args.task_runner
    r["load_after"] = load_avg()
    text = report(r)
    print(text)
    out = args.json or work / "bench.json"
    out.write_text(json.dumps({**r, "report": text}, indent=2, default=str))
    print(f"\n(figures written to {out})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
