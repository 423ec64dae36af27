"""The ``newsfacts`` command: a few verbs over the library.

Prefect and Great Expectations are slow to import, so only the verbs that need them import them.
Known errors become one clear line on stderr and a non-zero exit; a completed run prints no
traceback.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from .errors import NewsfactsError
from .settings import Settings


def _add_warehouse(p: argparse.ArgumentParser) -> None:
    p.add_argument("--warehouse", metavar="DIR", default=None,
                   help="warehouse folder (default ./warehouse or $NEWSFACTS_WAREHOUSE)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsfacts",
        description="Quantitative facts from Chinese news articles: extracted, checked, published.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the pipeline once (a Prefect flow run)")
    run.add_argument("--input", metavar="PATH", action="append", default=None,
                     help="a folder (read recursively) or a file; repeatable; default: the sample corpus")
    _add_warehouse(run)
    run.add_argument("--fail-on", choices=("error", "warning"), default=None,
                     help="exit 3 when a check of this severity (or worse) failed")
    run.add_argument("--verbose", action="store_true", help="show Prefect's own log lines")

    serve = sub.add_parser("serve", help="keep running the pipeline on a schedule")
    serve.add_argument("--input", metavar="PATH", action="append", required=True)
    _add_warehouse(serve)
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", metavar="EXPR", help="a cron expression, e.g. '0 2 * * *'")
    when.add_argument("--interval", metavar="SECONDS", type=float, help="seconds between runs")
    serve.add_argument("--verbose", action="store_true", help="show Prefect's own log lines")

    ext = sub.add_parser("extract", help="print the facts of one file, with each span in its sentence")
    ext.add_argument("file", metavar="FILE")
    ext.add_argument("--published", metavar="YYYY-MM-DD", help="publication date (else metadata or inferred)")
    ext.add_argument("--json", action="store_true", help="one JSON object per fact instead of a table")

    chk = sub.add_parser("checks", help="print the failed checks of the latest run, by article")
    _add_warehouse(chk)
    chk.add_argument("--run", metavar="RUN_ID", help="a run other than the latest")
    chk.add_argument("--severity", choices=("error", "warning"), help="only this severity")

    snaps = sub.add_parser("snapshots", help="list the published snapshots")
    _add_warehouse(snaps)

    diff = sub.add_parser("diff", help="facts added, removed and changed between two snapshots")
    diff.add_argument("a", metavar="A")
    diff.add_argument("b", metavar="B", nargs="?", default=None, help="default: LATEST")
    _add_warehouse(diff)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(warehouse=getattr(args, "warehouse", None))
        if args.command == "run":
            code = _run(args, settings)
        elif args.command == "serve":
            code = _serve(args, settings)
        elif args.command == "extract":
            code = _extract(args)
        elif args.command == "checks":
            code = _checks(args, settings)
        elif args.command == "snapshots":
            code = _snapshots(settings)
        else:
            code = _diff(args, settings)
    except NewsfactsError as e:
        print(f"newsfacts: {e}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print("newsfacts: interrupted", file=sys.stderr)
        code = 130
    return code


def entry() -> None:
    """The console script: ``main``, then an exit that Prefect's teardown cannot clutter."""
    code = main()
    if len(sys.argv) > 1 and sys.argv[1] in ("run", "serve"):
        _quiet_exit(code)
    sys.exit(code)


# ----------------------------------------------------------------------------------------------
# run and serve


def _prepare_prefect(verbose: bool) -> None:
    """Settings that must be in the environment before Prefect is imported."""
    if not verbose:
        # our own progress lines and one-line errors stand in for Prefect's console logs; the
        # full logs (tracebacks included) are still stored with each flow run
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    # the server's telemetry is what logs "database is locked" and DNS errors on a closed network
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def _quiet_exit(code: int) -> None:
    """Leave without letting Prefect's temporary server print its shutdown noise.

    Everything the user should see has been printed; what follows at interpreter exit is the
    server's teardown, which can log SQLite "database is locked" and CancelledError tracebacks.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.dup2(devnull, 1)
    sys.exit(code)


@contextlib.contextmanager
def _fds_to(path: Path):
    """Point file descriptors 1 and 2 at ``path`` (child processes started inside inherit it)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])


@contextlib.contextmanager
def _temporary_server():
    """With no Prefect API configured, start Prefect's temporary server ourselves, its output
    going to ``$PREFECT_HOME/server.log`` instead of the user's terminal, and stop it after."""
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME

    if PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    home = Path(PREFECT_HOME.value())
    home.mkdir(parents=True, exist_ok=True)
    server = SubprocessASGIServer()  # the instance Prefect's client will use for this process
    with _fds_to(home / "server.log"):
        server.start()
    try:
        yield
    finally:
        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogWorker

        with contextlib.suppress(Exception):
            APILogWorker.drain_all(timeout=5)
        with contextlib.suppress(Exception):
            EventsWorker.drain_all(timeout=5)
        with _fds_to(home / "server.log"):
            server.stop()


def _run(args, settings: Settings) -> int:
    from . import progress
    from .errors import InputError

    for p in args.input or []:
        if not Path(p).exists():  # fail before Prefect spends seconds starting
            raise InputError(str(p), "no such file or folder")
    _prepare_prefect(args.verbose)
    progress.enable()
    progress.report("starting Prefect (its local server takes a few seconds)")
    from flows.pipeline import run_flow

    inputs = [str(p) for p in args.input] if args.input else None
    try:
        with _temporary_server():
            summary = run_flow(inputs, settings=settings)
    except NewsfactsError:
        raise
    except Exception as e:  # the pipeline itself failed: one line, the run is recorded as failed
        print(f"newsfacts: run failed: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    _print_summary(summary, settings)
    if args.fail_on == "error" and summary["errors_failed"]:
        return 3
    if args.fail_on == "warning" and (summary["errors_failed"] or summary["warnings_failed"]):
        return 3
    return 0


def _print_summary(s: dict, settings: Settings) -> None:
    lines = [
        "",
        f"newsfacts run {s['run_id']} completed",
        f"  articles   {s['articles_seen']} read, {s['articles_new']} new",
        f"  facts      {s['facts']} extracted this run",
        f"  checks     {s['checks_failed']} failed ({s['errors_failed']} error, {s['warnings_failed']} warning)",
        f"  quarantine {s['quarantined']} file(s)",
        f"  snapshot   {s['snapshot_id']}",
        f"  warehouse  {settings.database}",
    ]
    if s["checks_failed"]:
        lines.append(f"  see them:  newsfacts checks --warehouse {settings.warehouse}")
    print("\n".join(lines))


def _serve(args, settings: Settings) -> int:
    _prepare_prefect(args.verbose)
    from .serve import serve

    return serve([str(p) for p in args.input], settings, cron=args.cron, interval=args.interval)


# ----------------------------------------------------------------------------------------------
# inspection verbs


def _extract(args) -> int:
    from datetime import date

    from . import reader
    from .extract import Context, extract_document
    from .places import default_gazetteer
    from .report import facts_table

    path = Path(args.file)
    docs, bad = reader.read_file(path)
    for q in bad:
        print(f"newsfacts: {q.reason}", file=sys.stderr)
    if not docs:
        return 2
    gaz = default_gazetteer()
    for doc in docs:
        published = date.fromisoformat(args.published) if args.published else (
            date.fromisoformat(doc.published[:10]) if doc.published else None)
        ctx = Context(source_path=doc.source_path, part=doc.part, title=doc.title, published=published,
                      source=doc.source)
        ex = extract_document(doc.text, ctx, gaz)
        print(facts_table(ex, as_json=args.json, color=sys.stdout.isatty()))
    return 0


def _checks(args, settings: Settings) -> int:
    from . import warehouse
    from .report import failed_checks_text

    with warehouse.connect(settings.database, read_only=True) as con:
        print(failed_checks_text(con, run_id=args.run, severity=args.severity, color=sys.stdout.isatty()))
    return 0


def _snapshots(settings: Settings) -> int:
    from . import snapshot

    root = settings.snapshot_root or settings.warehouse
    rows = snapshot.list_snapshots(root)
    if not rows:
        print(f"no snapshots under {root}")
        return 0
    for r in rows:
        mark = "*" if r["is_latest"] else " "
        counts = ", ".join(f"{k} {v}" for k, v in sorted(r["rows"].items()) if k in ("articles", "facts", "checks"))
        print(f"{mark} {r['id']}  {r['created_at']}  run {r['run_id'][:12]}  {counts}")
    return 0


def _diff(args, settings: Settings) -> int:
    from . import snapshot
    from .report import diff_text

    root = settings.snapshot_root or settings.warehouse
    b = args.b or snapshot.latest(root)
    if b is None:
        print(f"newsfacts: no snapshots under {root}", file=sys.stderr)
        return 2
    print(diff_text(snapshot.diff(root, args.a, b), args.a, b))
    return 0


if __name__ == "__main__":  # pragma: no cover
    with contextlib.suppress(BrokenPipeError):
        entry()
