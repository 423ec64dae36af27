"""Shared fixtures: one Prefect test harness for the whole session, and the seed page's folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed"

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def prefect_harness():
    """A temporary Prefect server and database for every flow run of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    """../shared/seed, or a clean skip when this checkout has no shared folder beside it."""
    if not (SEED / "000_7d4576ddc0c3a2ee.txt").is_file():
        pytest.skip(f"the seed page is not here ({SEED}); it lives in the project's shared folder")
    return SEED
