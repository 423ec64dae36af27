"""One exception root for newsfacts, with a few subclasses that say where it happened."""
from __future__ import annotations


class NewsfactsError(Exception):
    """Base class of every error newsfacts raises on purpose."""


class InputError(NewsfactsError):
    """An input file could not be read as an article."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path, self.reason, self.line = path, reason, line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class ExtractionError(NewsfactsError):
    """The extraction processes failed (not an input: a process died)."""


class WarehouseError(NewsfactsError):
    """The warehouse could not be opened, locked or written."""


class WarehouseBusy(WarehouseError):
    """Another run holds the warehouse lock."""


class SnapshotError(NewsfactsError):
    """A snapshot could not be published or read."""


class ConfigError(NewsfactsError):
    """A setting, rule file or expectation suite is invalid."""
