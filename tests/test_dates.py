"""Calendar mentions and publication-date inference (own-words fixtures)."""
from __future__ import annotations

from datetime import date

import pytest

from newsfacts.dates import find_dates, infer_published
from newsfacts.extract import Context, extract_document

REF = date(2024, 11, 12)


@pytest.mark.parametrize("text, surface, start, end", [
    ("2023年", "2023年", "2023-01-01", "2023-12-31"),
    ("去年", "去年", "2023-01-01", "2023-12-31"),
    ("今年上半年", "今年上半年", "2024-01-01", "2024-06-30"),
    ("今年前三季度", "今年前三季度", "2024-01-01", "2024-09-30"),
    ("今年8月初", "今年8月初", "2024-08-01", "2024-08-10"),
    ("9月份", "9月份", "2024-09-01", "2024-09-30"),
    ("11月4日至6日", "11月4日至6日", "2024-11-04", "2024-11-06"),
    ("2018年4月", "2018年4月", "2018-04-01", "2018-04-30"),
    ("12月20日", "12月20日", "2023-12-20", "2023-12-20"),  # after the reference: the year before
    ("二〇二二年", "二〇二二年", "2022-01-01", "2022-12-31"),
])
def test_resolution(text, surface, start, end):
    [m] = find_dates(text, REF)
    assert (m.surface, m.date_from, m.date_to) == (surface, start, end)


def test_base_year_of_a_comparison_is_marked():
    ms = find_dates("去年收入80万元,较2019年增长1倍", REF)
    assert [(m.surface, m.base) for m in ms] == [("去年", False), ("2019年", True)]


def test_counts_are_not_dates():
    assert find_dates("共有2023名党员,6年多来", REF) == []


def test_inference_from_since_and_month_day():
    text = "2019年,合作社成立。5年来,社员增收。11月3日,社长说。2023年分红20万元。"
    assert infer_published(text) == date(2024, 11, 3)


def test_inferred_date_is_flagged_and_used_for_relative_years():
    text = "2020年建起了大棚。4年来,村民增收。10月8日,记者来到村里。去年大棚收入达到36万元。"
    ex = extract_document(text, Context(source_path="x.txt"))
    a = ex.articles[0]
    assert a.published_date == "2024-10-08" and a.published_date_inferred
    money = [f for f in ex.facts if f.unit == "元"][0]
    assert money.year == 2023


def test_metadata_date_is_not_inferred():
    ex = extract_document("去年收入36万元。", Context(source_path="x.txt", published=date(2022, 5, 1)))
    assert ex.articles[0].published_date == "2022-05-01" and not ex.articles[0].published_date_inferred
    assert ex.facts[0].year == 2021


@pytest.mark.parametrize("text, surface", [
    ("2019年至2022年,全镇新修道路", "2019年至2022年"),
    ("从2019年到2022年,全镇新修道路", "2019年到2022年"),
    ("2019—2022年全镇新修道路", "2019—2022年"),
    ("2019-2022年全镇新修道路", "2019-2022年"),
])
def test_a_span_of_years_is_one_mention(text, surface):
    [m] = find_dates(text, REF)
    assert (m.surface, m.date_from, m.date_to, m.year) == (surface, "2019-01-01", "2022-12-31", None)
    assert infer_published(text) == date(2019, 1, 1)  # the end of a span may be a target


def test_the_end_of_a_planned_span_does_not_move_the_inferred_date():
    # its first year counts, as when the two years were two mentions and 至2026年 a target
    assert infer_published("2023年全县新建道路30公里。2024年至2026年,全县计划再建100公里。") == date(2024, 1, 1)


def _years(text: str) -> list[tuple[str, int | None]]:
    ex = extract_document(text, Context(source_path="x.txt", published=REF))
    return [(f.surface, f.year) for f in ex.facts]


def test_a_figure_over_a_span_of_years_has_no_single_year():
    assert _years("2018年全镇有大棚40个。2019年至2022年,全镇新修道路36公里。") == [
        ("40个", 2018), ("36公里", None)]


def test_now_after_a_named_year_ends_that_year():
    assert _years("全乡党员由2019年的860名增至目前的1020名。") == [("860名", 2019), ("1020名", None)]


def test_the_figure_of_a_base_year_has_that_year():
    assert _years("2023年,全镇集体经济收入达到150万元,较2021年的50万元增长了2倍。") == [
        ("150万元", 2023), ("50万元", 2021), ("2倍", 2023)]


def test_last_year_after_a_relative_year_is_the_year_before_it():
    ms = find_dates("去年收入150万元,比上年增长20%", REF)
    assert [(m.surface, m.year) for m in ms] == [("去年", 2023), ("上年", 2022)]


@pytest.mark.parametrize("text", [
    "抽水蓄能电站项目计划于2026年建成投产,今年已完成投资3亿元。",  # a target
    "按照规划,2035年全县森林覆盖率将达到70%,今年要新增造林1万亩。",  # a target, its clause says so
    "村集体经济收入由2018年的3万元增加到去年的120万元。",  # a base
])
def test_a_target_or_a_base_year_says_nothing_of_the_date(text):
    assert infer_published(text) is None
