"""Golden sentences for extraction: tests/cases/facts.tsv, one case per line.

Fixing an extraction bug means adding a line there.
"""
from __future__ import annotations

import math
from datetime import date
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
        if w["counted"] == "(none)":
            assert f.counted is None, (text, f.surface, f.counted)
        elif w["counted"] != "-":
            assert f.counted == w["counted"], (text, f.surface, f.counted)
        assert text[f.source_start:f.source_end] == f.surface


def _the_fact(text: str, surface: str):
    """The one fact of ``text`` with that surface."""
    [fact] = [f for f in extract_text(text) if f.surface == surface]
    return fact


# 多/余 bound a figure above at its last written digit, whichever numerals it is written in
BOUNDS = [
    ("全乡有党员一百二十余名。", "一百二十余名", 120.0, 130.0),
    ("村里收到建议二十多条。", "二十多条", 20.0, 30.0),
    ("乡贤捐款三万余元。", "三万余元", 30000.0, 40000.0),
    ("合作社流转土地1200多亩。", "1200多亩", 1200.0, 1300.0),
    ("开办托管班36余个。", "36余个", 36.0, 37.0),
    ("工作队驻村三个多月。", "三个多月", 3.0, 4.0),
    ("他在村里住了8年多。", "8年多", 8.0, 9.0),
    ("全县收入突破20亿元。", "突破20亿元", 2e9, None),
    ("他在村里干了10年多。", "10年多", 10.0, 11.0),
    ("工作队驻村十个多月。", "十个多月", 10.0, 11.0),
    ("合作社分红3千余元。", "3千余元", 3000.0, 4000.0),
    ("村集体收入20万元有余。", "20万元有余", 200000.0, 300000.0),
    ("这座古桥历时一百年多。", "一百年多", 100.0, 101.0),
    ("项目总投资3千多万元。", "3千多万元", 3e7, 4e7),
    ("全镇建成十几个示范点。", "十几个", 10.0, 20.0),  # 几 after a round number is 多
    ("吸引二十几名大学生返乡。", "二十几名", 20.0, 30.0),
]


@pytest.mark.parametrize("text, surface, low, high", BOUNDS, ids=[b[1] for b in BOUNDS])
def test_more_than_bounds(text: str, surface: str, low: float, high: float | None) -> None:
    fact = _the_fact(text, surface)
    assert (fact.approx, fact.value_low, fact.value_high) == ("more_than", low, high)


# (text, surface of the fact, what it holds for each of: the per column)
PER = [
    ("每个党小组的党员都超过6人。", "超过6人", "党小组"),
    ("村里每亩补贴1500元。", "1500元", "亩"),
    ("入股农户每户增收3000元。", "3000元", "户"),
    ("加入合作社后,茶叶每斤能卖到80元。", "80元", "斤"),
    ("景区每年接待游客3万人次。", "3万人次", None),  # a yearly rate: the year is no unit of what is counted
    ("全村共有党员56名。", "56名", None),
    ("每户每年可增收5200元。", "5200元", "户"),  # the 每 of a time after it does not hide the first
]


@pytest.mark.parametrize("text, surface, per", PER, ids=[p[0] for p in PER])
def test_per(text: str, surface: str, per: str | None) -> None:
    fact = _the_fact(text, surface)
    assert fact.per == per, (text, fact.per)


@pytest.mark.parametrize("text, years", [
    ("2021年、2022年和2023年,村集体经营收入分别为86万元、104万元和131万元。", [2021, 2022, 2023]),
    ("2022年和2023年全县粮食产量分别增长2.1%和3.4%。", [2022, 2023]),
    # two years, three figures: the series is not spread, each figure keeps the latest year
    ("2022年和2023年,三项收入分别为12万元、15万元和18万元。", [2023, 2023, 2023]),
])
def test_years_spread_by_fenbie(text: str, years: list[int]) -> None:
    assert [f.year for f in extract_text(text) if f.unit in ("元", "%")] == years


@pytest.mark.parametrize("text, years", [
    # 由X年的A增加到B: the year is A's; B keeps the year of the sentence, or none
    ("粮食产量由2020年的118万吨增至136万吨。", [2020, None]),
    ("2023年,村集体收入由2018年的3万元增加到82万元。", [2018, 2023]),
    ("村集体收入由2018年的近3万元增加到2023年的82万元。", [2018, 2023]),
])
def test_year_of_a_from_value(text: str, years: list) -> None:
    assert [f.year for f in extract_text(text)] == years


@pytest.mark.parametrize("text, years", [
    # a running total since an earlier year, or over the last half year, is of no single year;
    # 今年以来 is this year
    ("2018年以来,全县累计接待游客600万人次。", [None]),
    ("2020年脱贫摘帽以来,全县新增茶园20万亩。", [None]),
    ("今年以来,全县新建驿站120个。", [2024]),
    ("今年以来,全市半年来累计清理牌匾近2.4万块。", [None, None]),
])
def test_year_of_a_running_total(text: str, years: list) -> None:
    assert [f.year for f in extract_text(text, published=date(2024, 6, 30))] == years
