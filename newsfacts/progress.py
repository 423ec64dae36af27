"""Progress lines for long work: the CLI turns them on; library code just calls ``report``."""
from __future__ import annotations

import os
import sys
import time

# a served flow run is a child process: the serving command turns its progress on this way
_enabled = os.environ.get("NEWSFACTS_PROGRESS") == "1"
_t0 = time.monotonic()


def enable(on: bool = True) -> None:
    """Print progress lines to stderr from now on."""
    global _enabled, _t0
    _enabled, _t0 = on, time.monotonic()


def report(message: str) -> None:
    """One progress line, with the seconds since the run began."""
    if _enabled:
        print(f"[{time.monotonic() - _t0:6.1f}s] {message}", file=sys.stderr, flush=True)
