"""Calendar mentions: find them, resolve them against a publication date, infer that date.

Pure standard library. Offsets are into the text given.

>>> ref = date(2024, 11, 12)
>>> [(m.surface, m.date_from, m.date_to) for m in find_dates("去年收入80万元,今年上半年又增3成。", ref)]
[('去年', '2023-01-01', '2023-12-31'), ('今年上半年', '2024-01-01', '2024-06-30')]
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_YEAR = r"(?P<y>(?:19|20)\d\d|[二][〇零○][〇零○一二三四五六七八九]{2})年"
_MONTH = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9])[日号]"
_DAY2 = r"(?:至|到|—|-|~)(?:(?P<m2>1[0-2]|0?[1-9])月)?(?P<d2>3[01]|[12]\d|0?[1-9])[日号]"
_PART = r"(?P<part>上半年|下半年|前三季度|一季度|二季度|三季度|四季度|第[一二三四]季度|年初|年底|年末|年中|初|中旬|上旬|下旬|底|末|份)?"
_REL = r"(?P<rel>今年|去年|前年|明年|上年|当年|本年)"


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


# A mention names a year, a relative year or a month (a part alone, 上半年, is none): the second
# look-ahead lets the regex skip the rest, so that finding dates is one scan, not a loop in Python.
DATE_RE = re.compile(
    rf"(?=\d|[二一三四五六七八九十今去前明上当本])(?={_unnamed(_YEAR)}|{_unnamed(_REL)}|{_unnamed(_MONTH)})"
    rf"(?:{_YEAR}|{_REL})?(?:{_MONTH}(?:{_DAY}(?:{_DAY2})?)?)?{_PART}"
)

_REL_OFFSET = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
_QUARTER = {"一季度": 1, "第一季度": 1, "二季度": 2, "第二季度": 2, "三季度": 3, "第三季度": 3, "四季度": 4, "第四季度": 4}
# A year read as the base of a comparison is not the fact's year: 较2018年增长2.5倍.
_BASE_BEFORE = ("较", "比", "与", "同", "相比", "对比", "从", "自")


@dataclass(frozen=True)
class DateMatch:
    """A calendar mention in a text, resolved to a span of days where the reference allows."""

    start: int
    end: int
    surface: str
    date_from: str | None
    date_to: str | None
    year: int | None
    base: bool  # the base of a comparison (较2018年), not the period a figure belongs to
    explicit_year: bool = False  # the year is written out (2023年), not relative (去年)
    month_day: tuple[int, int] | None = None  # a month and day written without a year


def _cn_year(s: str) -> int:
    return int(s) if s.isdigit() else int("".join(str(_CN_DIGIT[c]) for c in s))


def _cn_small(s: str) -> int:
    if s.isdigit():
        return int(s)
    if s.startswith("十"):
        return 10 + (_CN_DIGIT[s[1]] if len(s) > 1 else 0)
    return _CN_DIGIT[s]


def _month_span(y: int, m: int, part: str | None) -> tuple[date, date]:
    last = calendar.monthrange(y, m)[1]
    if part in ("初", "上旬"):
        return date(y, m, 1), date(y, m, 10)
    if part == "中旬":
        return date(y, m, 11), date(y, m, 20)
    if part in ("下旬", "底", "末"):
        return date(y, m, 21), date(y, m, last)
    return date(y, m, 1), date(y, m, last)


def _year_span(y: int, part: str | None) -> tuple[date, date]:
    if part == "上半年":
        return date(y, 1, 1), date(y, 6, 30)
    if part == "下半年":
        return date(y, 7, 1), date(y, 12, 31)
    if part == "前三季度":
        return date(y, 1, 1), date(y, 9, 30)
    if part in _QUARTER:
        q = _QUARTER[part]
        return date(y, 3 * q - 2, 1), date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
    if part in ("初", "年初"):
        return date(y, 1, 1), date(y, 2, calendar.monthrange(y, 2)[1])
    if part in ("底", "末", "年底", "年末"):
        return date(y, 11, 1), date(y, 12, 31)
    return date(y, 1, 1), date(y, 12, 31)


def find_dates(text: str, ref: date | None) -> list[DateMatch]:
    """Calendar mentions in ``text``; relative ones (今年, 11月5日) resolve against ``ref``.

    A month and day without a year take the reference year, or the year before when they would
    fall more than a month after the reference.

    >>> ref = date(2024, 11, 12)
    >>> [(m.surface, m.date_from, m.date_to) for m in find_dates("11月4日至6日,2018年4月,9月份", ref)]
    [('11月4日至6日', '2024-11-04', '2024-11-06'), ('2018年4月', '2018-04-01', '2018-04-30'), ('9月份', '2024-09-01', '2024-09-30')]
    >>> [m.base for m in find_dates("较2018年增长2.5倍", ref)]
    [True]
    >>> find_dates("6年多来,共有2023名", ref)
    []
    """
    out = []
    for m in DATE_RE.finditer(text):
        if m.end() == m.start():
            continue
        g = m.groupdict()
        if not (g["y"] or g["rel"] or g["m"]):
            continue
        if g["part"] and not (g["y"] or g["rel"] or g["m"]):
            continue
        if g["m"] and not g["m"].isdigit() and not (g["y"] or g["rel"]):
            # Chinese-numeral month alone (三月) is too often something else (三月份 is fine)
            if not (g["d"] or g["part"] == "份"):
                continue
        start, end = m.start(), m.end()
        if g["y"] and end < len(text) and text[end : end + 1] in "多来间内":
            continue  # "6年多来" style durations never match _YEAR (needs 4 digits), but 2000年来 might
        y = _cn_year(g["y"]) if g["y"] else None
        if g["rel"]:
            y = ref.year + _REL_OFFSET[g["rel"]] if ref else None
            if g["rel"] in ("上年", "当年") and out and out[-1].year is not None and "。" not in text[out[-1].end : start]:
                # 2022年……比上年增长30%, 去年……比上年: 上年 is the year before the one just named
                y = out[-1].year + (-1 if g["rel"] == "上年" else 0)
        mo = _cn_small(g["m"]) if g["m"] else None
        d = int(g["d"]) if g["d"] else None
        part = g["part"]
        if y is None and mo is not None and ref is not None:
            y = ref.year
            if (mo, d or 1) > (ref.month, ref.day) and mo - ref.month >= 1 and (mo, d or 1) > (ref.month + 1, ref.day):
                y -= 1
        dfrom = dto = None
        if y is not None:
            try:
                if mo is None:
                    dfrom, dto = _year_span(y, part)
                elif d is None:
                    dfrom, dto = _month_span(y, mo, part)
                else:
                    dfrom = dto = date(y, mo, d)
                    if g["d2"]:
                        m2 = int(g["m2"]) if g["m2"] else mo
                        dto = date(y, m2, int(g["d2"]))
            except ValueError:
                continue
        before = text[max(0, start - 2) : start]
        # 较2018年, 从2019年的860名: a base of a comparison; 自2014年…以来 is where a time starts
        base = any(before.endswith(w) for w in _BASE_BEFORE) and (
            before[-1:] not in ("从", "自") or text.startswith("的", end))
        out.append(
            DateMatch(
                start, end, text[start:end],
                dfrom.isoformat() if dfrom else None, dto.isoformat() if dto else None,
                y, base, bool(g["y"]),
                (mo, int(g["d2"] or d or 1)) if mo and not (g["y"] or g["rel"]) else None,
            )
        )
    return _year_spans(text, out)


_SPAN_GAP = re.compile(r"\s*(?:至|到|—|–|-|~|～)\s*")
_SPAN_HEAD = re.compile(r"(?<![\d.])((?:19|20)\d\d)\s*(?:至|到|—|–|-|~|～)\s*$")


def _year_spans(text: str, found: list[DateMatch]) -> list[DateMatch]:
    """2019年至2022年, 2019—2022年: one mention of the whole span, with no single year.

    >>> [(m.surface, m.date_from, m.date_to, m.year) for m in find_dates("2019—2022年", None)]
    [('2019—2022年', '2019-01-01', '2022-12-31', None)]
    """
    out: list[DateMatch] = []
    for m in found:
        if not (m.explicit_year and m.year is not None and m.date_to):
            out.append(m)
            continue
        prev = out[-1] if out else None
        if prev is not None and prev.explicit_year and prev.year is not None and prev.date_from \
                and prev.year < m.year and _SPAN_GAP.fullmatch(text, prev.end, m.start):
            start, date_from = prev.start, prev.date_from
            out.pop()
        else:
            head = _SPAN_HEAD.search(text, max(0, m.start - 8), m.start)
            if head is None or not int(head[1]) < m.year:
                out.append(m)
                continue
            start, date_from = head.start(1), f"{head[1]}-01-01"
        out.append(DateMatch(start, m.end, text[start:m.end], date_from, m.date_to, None, False, True))
    return out


_TARGET_BEFORE = re.compile(r"(?:到|至|截至|计划|力争|目标|预计|争取|将于|将在|确保|计划于|预计于|拟于|比|较|与)\s*$")
# a year whose clause goes on to say what will be (2035年全县森林覆盖率将达到70%) is a target
_TARGET_AFTER = re.compile(r"[^,;:。!?，；：！？]{0,16}?(?:将(?!近)|力争|预计|有望|确保)")
_SINCE = re.compile(r"(?P<n>\d{1,2}|[一二三四五六七八九十]{1,2})年多?(?:来|以来|间|过去)")


def infer_published(text: str) -> date | None:
    """Guess a publication date from a text's own cues.

    The year is the latest year the text names, or a named year plus a later "N年多来"
    (since then, N years) when that is later; month and day come from the latest month-day
    mention without a year. Returns None when the text names no year.

    >>> infer_published("2018年,他来到这里。6年多来,村子变了。11月12日,他说。2023年收入117万元。")
    datetime.date(2024, 11, 12)
    >>> infer_published("今天天气很好") is None
    True
    """
    years: list[tuple[int, int]] = []  # (position, year)
    month_days: list[tuple[int, int]] = []
    for m in find_dates(text, None):
        if m.explicit_year:
            base = text[m.start - 1 : m.start] in ("由", "从") and text.startswith("的", m.end)
            if not base and not _TARGET_BEFORE.search(text, max(0, m.start - 6), m.start) \
                    and not _TARGET_AFTER.match(text, m.end):
                # 到2026年, 计划2025年: a target says nothing of the date; nor does the end of a
                # span, which may be one (2024年至2026年): a span counts by its first year; nor
                # does a base (由2018年的3万元, 比2020年)
                years.append((m.start, m.year if m.year is not None else int(m.date_from[:4])))
        elif m.month_day:
            month_days.append(m.month_day)
    if not years:
        return None
    latest = max(y for _, y in years)
    year = latest
    for s in _SINCE.finditer(text):
        earlier = [y for p, y in years if p < s.start()]
        if earlier:
            n = s["n"]
            n_val = int(n) if n.isdigit() else _cn_small(n) if len(n) <= 2 and (n[0] == "十" or len(n) == 1) else None
            since = earlier[-1] + n_val if n_val else 0
            if latest < since <= min(latest + 6, date.today().year):
                # "since 2018, 6 years" moves the date past the latest year written out, but not
                # into the future nor far beyond: a misprinted 16年 must not move every 今年 and
                # 去年 of the page
                year = max(year, since)
    if month_days:
        mo, d = max(month_days)
        try:
            return date(year, mo, d)
        except ValueError:
            return date(year, mo, 1)
    return date(year, 1, 1)
