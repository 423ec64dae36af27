"""``newsfacts serve``: run the flow on a schedule, with a Prefect server of its own if need be.

Prefect's temporary in-process server does not fire schedules, so when no ``PREFECT_API_URL``
is configured this starts a real ``prefect server start`` on a free local port (with its own
``PREFECT_HOME`` under the warehouse), waits for it to be healthy, serves the flow, and stops the
server again on exit (Ctrl-C or SIGTERM). With ``PREFECT_API_URL`` set it serves against that
server and starts nothing.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .errors import NewsfactsError
from .settings import Settings


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, port: int) -> subprocess.Popen:
    """A Prefect API server on 127.0.0.1:``port``, in its own process group, logging to a file."""
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_SERVER_UI_ENABLED": "false", "PREFECT_SERVER_LOGGING_LEVEL": "WARNING"}
    env.pop("PREFECT_API_URL", None)
    log = open(home / "server.log", "ab")  # noqa: SIM115 - the child owns it
    return subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port),
         "--no-ui", "--analytics-off"],
        env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def wait_healthy(api: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    """Poll ``/health`` until the server answers; raise if it exits or takes too long."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise NewsfactsError(f"the local Prefect server exited (code {proc.returncode}); see its server.log")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.25)
    raise NewsfactsError(f"the local Prefect server did not become healthy within {timeout:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server's whole process group: SIGTERM, then SIGKILL after 15 s."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def serve(inputs: list[str], settings: Settings, *, cron: str | None = None, interval: float | None = None) -> int:
    """Serve the pipeline flow on a cron or interval schedule until interrupted."""
    from . import progress

    progress.enable()
    inputs = [str(Path(p).resolve()) for p in inputs]
    for p in inputs:
        if not Path(p).exists():
            raise NewsfactsError(f"{p}: no such input file or folder")
    warehouse = settings.warehouse.resolve()
    proc = None
    if not os.environ.get("PREFECT_API_URL"):
        port = _free_port()
        home = warehouse / ".prefect-server"
        progress.report(f"starting a local Prefect server on port {port} (logs: {home / 'server.log'})")
        proc = start_server(home, port)
        api = f"http://127.0.0.1:{port}/api"
        try:
            wait_healthy(api, proc)
        except BaseException:
            stop_server(proc)
            raise
        os.environ["PREFECT_API_URL"] = api  # before Prefect is imported
        os.environ["PREFECT_HOME"] = str(home)
        progress.report(f"Prefect server ready at {api}")
    os.environ["NEWSFACTS_WAREHOUSE"] = str(warehouse)
    os.environ["NEWSFACTS_PROGRESS"] = "1"  # the scheduled runs (child processes) report progress too

    def _stop(signum, frame):  # SIGTERM ends serve like Ctrl-C does
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        from flows.pipeline import newsfacts_flow

        when = f"cron '{cron}'" if cron else f"every {interval:g} s"
        progress.report(f"serving: runs {when} on {', '.join(inputs)} into {warehouse}; Ctrl-C stops")
        newsfacts_flow.serve(
            name="newsfacts-serve",
            cron=cron,
            interval=interval,
            parameters={"inputs": inputs, "warehouse_dir": str(warehouse)},
            print_starting_message=False,
            # one run at a time: a run due while another is going waits in the server, rather than
            # as one more process (each a few hundred MB) queueing for the warehouse lock
            limit=1,
        )
    except KeyboardInterrupt:
        progress.report("stopping")
    finally:
        if proc is not None:
            stop_server(proc)
            progress.report("local Prefect server stopped")
    return 0
