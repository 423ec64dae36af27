"""Score newsfacts.numbers against the Chinese Number suites of Recognizers-Text.

Usage (from the repo root)::

    python bench/recognizers.py [PATH] [--show-failures]

PATH defaults to ../shared/bench/recognizers_zh.jsonl next to the repository. A case of
Number/NumberModel or Number/PercentModel with exactly one expected entry ("single-value") is
correct when our output has exactly one result with the expected value (relative tolerance 1e-9
or absolute 1e-6, after dropping a trailing %). Cases with zero or several expected entries are
scored apart, for information: correct when our values equal theirs, in order.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PATH = REPO.parent / "shared" / "bench" / "recognizers_zh.jsonl"
SUITES = ("Number/NumberModel", "Number/PercentModel")
THRESHOLDS = {"Number/NumberModel": 0.98, "Number/PercentModel": 0.95}

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@dataclass
class SuiteScore:
    """Counts for one suite."""

    suite: str
    single: int = 0
    single_ok: int = 0
    other: int = 0
    other_ok: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, list[float], list[float]]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.single_ok / self.single if self.single else 0.0

    @property
    def cases_per_second(self) -> float:
        n = self.single + self.other
        return n / self.seconds if self.seconds else float("inf")


def expected_value(raw: str) -> float:
    """'1.232E+15' -> 1.232e15, '40%' -> 40.0."""
    return float(str(raw).strip().rstrip("%"))


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def load_cases(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [c for c in map(json.loads, filter(str.strip, f)) if c["suite"] in SUITES]


def score(cases: list[dict]) -> dict[str, SuiteScore]:
    """Run our recognizers on every case and count, per suite."""
    from newsfacts.numbers import recognize_numbers, recognize_percents

    run = {"Number/NumberModel": recognize_numbers, "Number/PercentModel": recognize_percents}
    for f in run.values():  # compile the patterns before the clock starts
        f("一")
    scores = {s: SuiteScore(s) for s in SUITES}
    for case in cases:
        sc = scores[case["suite"]]
        want = [expected_value(e["value"]) for e in case["expected"]]
        t0 = time.perf_counter()
        got = [r[3] for r in run[case["suite"]](case["input"])]
        sc.seconds += time.perf_counter() - t0
        ok = len(got) == len(want) and all(same(g, w) for g, w in zip(got, want))
        if len(want) == 1:
            sc.single += 1
            sc.single_ok += ok
            if not ok:
                sc.failures.append((case["input"], want, got))
        else:
            sc.other += 1
            sc.other_ok += ok
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT_PATH), help="recognizers_zh.jsonl")
    ap.add_argument("--show-failures", action="store_true", help="list the failed single-value cases")
    args = ap.parse_args(argv)
    path = Path(args.path)
    if not path.is_file():
        print(f"bench file not found: {path} (expected ../shared/bench/recognizers_zh.jsonl "
              "beside the repository)", file=sys.stderr)
        return 2
    scores = score(load_cases(path))
    failed = False
    for sc in scores.values():
        need = THRESHOLDS[sc.suite]
        flag = "ok" if sc.accuracy >= need else "BELOW TARGET"
        failed |= sc.accuracy < need
        print(f"{sc.suite}: single-value {sc.single_ok}/{sc.single} = {sc.accuracy:.1%} "
              f"(target {need:.0%}, {flag}); zero/multi-entry {sc.other_ok}/{sc.other} "
              f"(informational); {sc.cases_per_second:,.0f} cases/s")
        if args.show_failures:
            for text, want, got in sc.failures:
                print(f"    {text!r}: want {want} got {got}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
