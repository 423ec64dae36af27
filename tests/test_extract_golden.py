"""Golden sentences for extraction: tests/cases/facts.tsv, one case per line.

Fixing an extraction bug means adding a line there.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from newsfacts.extract import extract_text

CASES = Path(__file__).parent / "cases" / "facts.tsv"


def _cases():
    for n, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        text, _, expected = line.partition("\t")
        yield pytest.param(text, expected.strip(), id=f"line{n}")


def _expected(spec: str) -> list[dict]:
    out = []
    for item in filter(None, (s.strip() for s in spec.split(";"))):
        surface, value, unit, kind, approx, counted = item.split("|")
        out.append({"surface": surface, "value": value, "unit": None if unit == "-" else unit, "kind": kind,
                    "approx": None if approx == "-" else approx, "counted": counted})
    return out


def _same_value(fact, value: str) -> bool:
    if "~" in value:
        lo, hi = map(float, value.split("~"))
        return fact.value is None and fact.value_low == lo and fact.value_high == hi
    return fact.value is not None and math.isclose(fact.value, float(value), rel_tol=1e-4)


@pytest.mark.parametrize("text, expected", list(_cases()))
def test_sentence(text: str, expected: str) -> None:
    facts = extract_text(text)
    want = _expected(expected)
    got = [(f.surface, f.unit, f.kind, f.approx) for f in facts]
    assert got == [(w["surface"], w["unit"], w["kind"], w["approx"]) for w in want], text
    for f, w in zip(facts, want):
        assert _same_value(f, w["value"]), (text, f.surface, f.value, f.value_low, f.value_high)
        if w["counted"] != "-":
            assert f.counted == w["counted"], (text, f.surface, f.counted)
        assert text[f.source_start:f.source_end] == f.surface
