"""Golden cases for newsfacts.numbers: tests/cases/numbers*.tsv, one parametrised test each."""
from __future__ import annotations

import math
import random
import re
from pathlib import Path

import pytest

from newsfacts.numbers import (
    CN_DIGITS,
    CN_UNITS,
    NUMBER_RE,
    NumberToken,
    parse_fraction,
    parse_number,
    parse_percent,
    recognize_numbers,
    recognize_percents,
    scan,
)

CASES = Path(__file__).parent / "cases"
PARSERS = {
    "numbers.tsv": parse_number,
    "numbers_fraction.tsv": parse_fraction,
    "numbers_percent.tsv": parse_percent,
}


def read_cases(name: str) -> list:
    """`input<TAB>expected` lines; '#' lines are comments. The input is kept as written."""
    out = []
    path = CASES / name
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        text, expected = line.split("\t")
        out.append(pytest.param(text, expected, id=f"{path.stem}:{lineno}:{text}"))
    return out


def parse_cases() -> list:
    return [
        pytest.param(PARSERS[name], *p.values, id=p.id)
        for name in PARSERS
        for p in read_cases(name)
    ]


@pytest.mark.parametrize(("parser", "text", "expected"), parse_cases())
def test_parse_case(parser, text, expected):
    got = parser(text)
    if expected == "None":
        assert got is None
    else:
        assert got is not None and math.isclose(got, float(expected), rel_tol=1e-12, abs_tol=1e-12), got
        assert isinstance(got, float)


def describe(tokens: list[NumberToken]) -> str:
    def fmt(v: float) -> str:
        return str(int(v)) if v == int(v) else repr(v)

    return " | ".join(
        f"{t.text}@{t.start}={fmt(t.value)}{'~' if t.approx_more else ''}" for t in tokens
    ) or "-"


@pytest.mark.parametrize(("text", "expected"), read_cases("numbers_scan.tsv"))
def test_scan_case(text, expected):
    tokens = scan(text)
    assert describe(tokens) == expected
    for t in tokens:
        assert text[t.start : t.end] == t.text


def test_token_flags():
    big, small, mixed, digits = scan("三千五百万，200，4.8万多，二〇二三")
    assert (big.chinese, big.has_magnitude, big.approx_more) == (True, True, False)
    assert (small.chinese, small.has_magnitude, small.approx_more) == (False, False, False)
    assert (mixed.chinese, mixed.has_magnitude, mixed.approx_more) == (True, True, True)
    assert (digits.chinese, digits.has_magnitude, digits.value) == (True, False, 2023.0)
    with pytest.raises(AttributeError):
        big.value = 1.0  # frozen


def test_constants():
    assert CN_DIGITS["两"] == 2 and CN_DIGITS["零"] == CN_DIGITS["〇"] == 0
    assert CN_DIGITS["陸"] == CN_DIGITS["陆"] == 6 and CN_DIGITS["玖"] == 9
    assert CN_UNITS["萬"] == CN_UNITS["万"] == 10**4 and CN_UNITS["億"] == 10**8
    assert CN_UNITS["拾"] == 10 and CN_UNITS["仟"] == 1000


def test_number_re_embeds():
    assert NUMBER_RE.groups == 0 and not NUMBER_RE.groupindex
    wrapped = re.compile(f"(?P<n>{NUMBER_RE.pattern})(?P<unit>名|个|元)")
    m = wrapped.search("共有400多万名党员")
    assert m and m.group("n") == "400多万" and m.group("unit") == "名"
    assert parse_number(m.group("n")) == 4_000_000.0


def test_recognizers_style():
    assert recognize_numbers("三百五十又3分之1") == [(0, 9, "三百五十又3分之1", pytest.approx(350 + 1 / 3))]
    assert [r[3] for r in recognize_numbers("十打苹果，2^5，1 4/3")] == pytest.approx([120, 32, 7 / 3])
    assert recognize_numbers("减少了二%，为五亿") == [(7, 9, "五亿", 500_000_000.0)]
    assert [r[3] for r in recognize_percents("九成,五五折,千分之二,3个百分点")] == pytest.approx(
        [90, 55, 0.2, 3]
    )


def test_never_raises():
    alphabet = list("0123456789０,，.．一二三四五六七八九十百千万亿兆两零〇○壹拾萬億点多余来几负-－ 　分之又/%成折个打半kMe^近数甲\n")
    rng = random.Random(20241126)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.choice((3, 30, 200))))
        for t in scan(text):
            assert text[t.start : t.end] == t.text and isinstance(t.value, float)
        recognize_numbers(text)
        recognize_percents(text)
        for f in (parse_number, parse_fraction, parse_percent):
            f(text)
    for odd in ("", None, 12, "9" * 5000, "1e999999", "2^99999999", "１" * 4400 + "万"):
        scan(odd)
        recognize_numbers(odd)
        recognize_percents(odd)
        parse_number(odd)
        parse_fraction(odd)
        parse_percent(odd)
