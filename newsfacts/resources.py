"""Where the project's SQL, expectation suites and sample corpus live, installed or in a checkout."""
from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """``sql``, ``expectations`` or ``samples``: the packaged copy, else the checkout's folder.

    >>> (resource_dir("sql") / "00_schema.sql").is_file()
    True
    """
    for candidate in (_PKG / "_data" / name, _PKG.parent / name, _PKG / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"newsfacts resource folder {name!r} not found next to {_PKG}")


def sample_corpus() -> Path:
    """The bundled sample corpus that ``newsfacts run`` reads when given no input."""
    return _PKG / "samples"
