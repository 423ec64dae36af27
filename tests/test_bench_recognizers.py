"""The Recognizers-Text Chinese Number suites, scored by bench/recognizers.py, stay above target."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH_FILE = REPO.parent / "shared" / "bench" / "recognizers_zh.jsonl"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_recognizers", REPO / "bench" / "recognizers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores():
    if not BENCH_FILE.is_file():
        pytest.skip(f"outside test suite not present: {BENCH_FILE} (it lives in ../shared beside the repo)")
    bench = load_bench()
    return bench, bench.score(bench.load_cases(BENCH_FILE))


@pytest.mark.parametrize(
    ("suite", "cases"), [("Number/NumberModel", 301), ("Number/PercentModel", 135)]
)
def test_single_value_accuracy(scores, suite, cases):
    bench, by_suite = scores
    sc = by_suite[suite]
    assert sc.single == cases
    failures = "\n".join(f"{text!r}: want {want} got {got}" for text, want, got in sc.failures)
    assert sc.accuracy >= bench.THRESHOLDS[suite], failures
