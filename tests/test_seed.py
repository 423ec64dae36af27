"""The seed page against its gold reading (skips cleanly when ../shared/seed is absent).

The pipeline's stages run here without Prefect; the score comes from the shared scoring tool.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from newsfacts import pipeline
from newsfacts.settings import Settings

GOLD = "000_7d4576ddc0c3a2ee.gold.json"


@pytest.fixture(scope="module")
def seed_score(seed_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("seed")
    (root / "in").mkdir()
    shutil.copy(seed_dir / "000_7d4576ddc0c3a2ee.txt", root / "in")
    settings = Settings.from_env({}, warehouse=root / "wh", workers=1)
    run_id = pipeline.new_run_id()
    known = pipeline.begin(settings, run_id, [str(root / "in")])
    read = pipeline.read_files(pipeline.discover([root / "in"]), known, settings)
    ex = pipeline.extract(read.documents)
    pipeline.load(settings, run_id, read.files, ex, read.quarantined)
    tool = seed_dir.parent / "tools" / "score_facts.py"
    out = subprocess.run([sys.executable, str(tool), str(root / "wh"), str(seed_dir / GOLD)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_seed_recall_precision_value(seed_score):
    s = seed_score
    assert s["recall"] >= 0.97 and s["precision"] >= 0.97 and s["value_acc"] >= 0.97, s


def test_seed_unit_and_approx(seed_score):
    assert seed_score["unit_acc"] >= 0.95 and seed_score["approx_acc"] >= 0.95, seed_score


def test_seed_counted_and_place(seed_score):
    assert seed_score["counted_acc"] >= 0.85 and seed_score["place_acc"] >= 0.85, seed_score


def test_seed_no_fact_on_a_negative_span(seed_score):
    assert seed_score["negatives_hit"].startswith("0/"), seed_score
