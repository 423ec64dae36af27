"""Chinese and Arabic numbers: parse one expression, or find them all in a text.

Pure standard library, no I/O. The grammar is written once as regular expressions (so that
finding a number in a long text is one C-level regex scan) and a small evaluator turns a matched
span into its value::

    >>> parse_number("三千五百万")
    35000000.0
    >>> [(t.text, t.value) for t in scan("全县有1200多名党员和4.8万元资金")]
    [('1200多', 1200.0), ('4.8万', 48000.0)]
    >>> [m.group() for m in NUMBER_RE.finditer("共计1,234.5万元，五百余万人，十多个县")]
    ['1,234.5万', '五百余万', '十多']

Public names: ``NumberToken``, ``parse_number``, ``scan``, ``parse_fraction``,
``parse_percent``, ``recognize_numbers``, ``recognize_percents`` and the building blocks
``CN_DIGITS``, ``CN_UNITS`` and ``NUMBER_RE``.

Conventions (see ``tests/cases/numbers.tsv`` for the cases that pin them):

* Magnitudes are applied: ``18万`` is 180000, ``4.78万亿`` is 4.78e12, ``四万万`` is 4e8.
* ``多/余/来/几`` inside a number keep the stated base (``400多万`` is 4000000) and set
  ``approx_more``.
* Colloquial tails: ``两百五`` is 250, ``九十二万四`` is 924000; a ``零`` stops that
  (``一万零三`` is 10003).
* A run of plain digits read one by one is a number when it holds a zero or has three digits
  or more (``二〇二三`` is 2023); ``七八`` stays two numbers (the caller may read a range).
* Bare magnitudes are numbers only where they cannot be a word: ``百万``, ``千余``, ``万亿``,
  ``百三``, or after 近/逾/超/上/破/过 (``近千``); ``百姓``, ``千方百计``, ``万一`` give nothing
  at ``百/千/万``. After 数/几 (``数十万``) a bare magnitude gives nothing, since its value is
  unknown.
* A lone ``伍 陆 陸 肆 參`` or ``拾`` is a word (队伍, 陆地, 放肆, 收拾), not a number; beside
  another numeral they count (``伍拾``).
* ``兆`` is 10**12 (as in Recognizers-Text), except before 瓦/赫/帕/焦/字/伏/欧, where it is
  the SI prefix and not part of the number.
"""
from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import NamedTuple

__all__ = [
    "CN_DIGITS",
    "CN_UNITS",
    "NUMBER_RE",
    "NumberToken",
    "parse_fraction",
    "parse_number",
    "parse_percent",
    "recognize_numbers",
    "recognize_percents",
    "scan",
]

CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0,
    "一": 1, "壹": 1,
    "二": 2, "两": 2, "兩": 2, "俩": 2, "倆": 2, "贰": 2, "貳": 2,
    "三": 3, "叁": 3, "參": 3, "叄": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
"""Every Chinese numeral digit, with its value (simplified, traditional and financial forms)."""

CN_UNITS: dict[str, int] = {
    "十": 10, "拾": 10,
    "百": 100, "佰": 100,
    "千": 1000, "仟": 1000,
    "万": 10**4, "萬": 10**4,
    "亿": 10**8, "億": 10**8,
    "兆": 10**12,
}
"""Every Chinese magnitude character, with its multiplier."""

# --------------------------------------------------------------------------------------------
# The grammar. Names are short on purpose: each piece is a regex source string.
# --------------------------------------------------------------------------------------------
_B = "[ \\t\\u3000\\xa0]"  # one blank
_W = _B + "*"  # blanks allowed between the parts of one number (never a newline)
_AR = "[0-9０-９]"
_AINT = f"{_AR}++(?:[,，]{_AR}{{3}}(?!{_AR}))*+"  # 1234 or 1,234
_ADEC = f"{_AINT}[.．]{_AR}++"  # 12.5
_CD = "[一二三四五六七八九两兩俩倆壹贰貳叁參叄肆伍陆陸柒捌玖]"  # non-zero Chinese digit
_CZ = "[零〇]"
_AMB = "[伍陆陸肆參]"  # digits that are mostly parts of words when they stand alone
_SU = "[十拾百佰千仟]"
_BU = "[万萬亿億兆]"
_BARE_OK = "(?<![数數几幾])"  # 数十万 / 几百: a bare magnitude there would give a wrong value
_N1 = f"(?:{_CD}|{_AINT})"  # a coefficient before 十/百/千
_NX = f"(?:{_CD}|{_AR}+)"  # the same, loosely, for look-aheads
_SEP = f"(?:{_W}{_CZ}{_W}|{_W})"
_TAILD = f"(?:{_CD}|[几幾]|{_AR}(?![0-9０-９.．,，]))"  # one digit right after a unit: 两百五
_ONEZ = f"(?:{_CD}|[几幾]|{_AINT})"  # the digits after 零: 一千零五, 1千零20, 一百零几
# Terms of a section, each refusing to be followed by a term of the same or a larger unit.
_T10 = (
    f"(?:{_N1}{_W}[十拾]|{_BARE_OK}(?:十|拾(?={_W}(?:{_CD}|{_CZ}|[万萬亿億]))))"
    f"(?!{_SEP}(?:{_NX}{_W}{_SU}|[十拾]))"
)
_T100 = f"{_N1}{_W}[百佰](?!{_SEP}{_NX}{_W}[百佰千仟])"
_T1000 = f"{_N1}{_W}[千仟](?!{_SEP}{_NX}{_W}[千仟])"
_TERM = f"(?:{_T1000}|{_T100}|{_T10})"
_BARE_HT = f"{_BARE_OK}[百佰千仟](?={_W}(?:{_CD}|[多余餘]|[万萬亿億]))"  # 百三, 千余, 百万
_LONE = f"(?:(?<=之)|(?!{_AMB}(?!{_W}(?:{_SU}|{_BU}|[点點]))))"
# A section: a number below 10**4 (一千零五十, 两千四百五, 十五, 零十, 1200, 四).
_SEC = (
    f"(?:(?:{_TERM}|{_BARE_HT}|{_CZ}{_W}(?=[十拾]){_T10})(?:{_SEP}{_TERM})*"
    f"(?:{_W}{_CZ}{_W}{_ONEZ}|{_W}{_TAILD})?"
    f"|{_CZ}|{_LONE}{_CD}|{_AINT})"
)
# What follows 万/亿/兆 inside the same number: 零 + section, or a section (九十二万四,
# 十万柒仟, 3万4000). After a blank, Arabic digits continue only before 十/百/千 (7万 5千).
_SEC_C = f"(?!{_B}+{_AR}+(?!{_W}{_SU}))(?:{_W}{_CZ}{_W}|{_W})(?!{_CZ}){_SEC}"
_YI_U = f"(?:[亿億]|[万萬]{_W}[万萬])"  # 万万 is an old way to write 亿
_BIG = (
    f"(?:{_W}[万萬](?!{_W}[万萬])(?:{_SEC_C}(?!{_W}[万萬]))?"
    f"|{_W}{_YI_U}(?:{_SEC_C}(?!{_W}[亿億]))?"
    f"|{_W}兆(?![瓦赫帕焦字伏欧歐])(?:{_SEC_C}(?!{_W}兆))?)"
)
_BARE_WAN = f"{_BARE_OK}[万萬](?={_W}(?:[多余餘]|[亿億]))"  # 万余, 万亿
_INT = f"(?:{_BARE_WAN}|{_SEC})(?:{_BIG})*"
_CDEC = "[零〇一二三四五六七八九壹贰貳叁參叄肆伍陆陸柒捌玖]"  # digits after 点 (never 两)
# 点 + digits, unless it reads as a time or as 一点一滴 (三点五十分, 十点零五分).
_POINT = f"(?<![0-9０-９]){_W}[点點]{_W}{_CDEC}++(?![十拾百佰千仟分秒点點滴])"
_DSC = "[零〇○一二三四五六七八九]"
_DS = (
    f"(?:(?=[一二三四五六七八九]*[零〇○]){_DSC}{{2,}}+|{_DSC}{{3,}}+)"
    f"(?![十拾百佰千仟万萬亿億点點])"
)  # 二〇二三, 一九九八, 五零: digits read one by one
_CTX_BARE = f"(?<=[近逾超上破过過])[百佰千仟万萬亿億](?!{_W}[分之])"  # 近千人, 上万
_APX = (
    f"(?<=[十拾百佰千仟万萬亿億兆0０])"
    f"{_W}(?:[多余餘]|[来來](?![自源到看说說]))(?:{_W}{_BU})*"
)
_NEG = (
    f"(?:[负負](?=[0-9０-９]|{_CD}|{_CZ}|[十拾百佰千仟])"
    f"|(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ.．\\-－−])[-－−](?=[0-9０-９]))"
)
_CORE = (
    f"(?:{_DS}|{_ADEC}(?:{_W}{_BU})*|{_INT}(?:{_POINT}(?:{_W}{_BU})*)?|{_CTX_BARE})"
    f"(?:{_APX})?"
)

# NUMBER_RE: one number expression, Arabic, Chinese or mixed, with 万/亿 and inner 多/余. It
# has no anchors and no capturing groups, so that larger patterns can be built around it.
NUMBER_RE: re.Pattern[str] = re.compile(f"{_NEG}?{_CORE}")
# Every character a number can start with. `scan` skips everything else in one C-level loop:
# each match of _SCAN_RE is either a number (group 1) or one such character that starts none.
_FIRST = "0-9０-９零〇○一二三四五六七八九两兩俩倆壹贰貳叁參叄肆伍陆陸柒捌玖十拾百佰千仟万萬亿億负負\\-－−"
# Group 1 is a fast path for the commonest number, plain Arabic digits (1200, 96.5), taken only
# when nothing that could extend it follows (another digit, a separator, a blank, a Chinese
# numeral, 多/余/来, 点): then it is exactly the span NUMBER_RE would match there.
_GOES_ON = "0-9０-９.．,， \\t\u3000\xa0零〇○一二三四五六七八九两兩俩倆壹贰貳叁參叄肆伍陆陸柒捌玖十拾百佰千仟万萬亿億兆多余餘来來几幾点點"
# Group 2 is the same for a lone Chinese digit (一 of 一些, 统一), except the ones that are mostly
# parts of words (伍, 陆 ...), whose reading depends on what stands before them.
_LONE_DIGIT = "一二三四五六七八九两兩俩倆壹贰貳叁叄柒捌玖"
_SCAN_RE = re.compile(
    f"[^{_FIRST}]*+(?:([0-9]++(?:[.][0-9]++)?+)(?![{_GOES_ON}])|([{_LONE_DIGIT}])(?![{_GOES_ON}])"
    f"|({NUMBER_RE.pattern})|[{_FIRST}]|\\Z)"
)
# Recognizers-Text style extras: exponents, powers, SI suffixes, leading dots.
_XSIGN = (
    f"(?:[负負](?=[0-9０-９.．]|{_CD}|{_CZ}|[十拾百佰千仟])"
    f"|(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ.．\\-－−])[-－−](?=[0-9０-９.．]))"
)
_SI = "[kKＫｋMＭGＧTＴ](?![A-Za-zＡ-Ｚａ-ｚ])"
_XMANT = f"(?:{_AINT}(?:[.．]{_AR}+)?|(?<![.．0-9０-９])[.．]{_AR}+)"
_XEXP = f"(?:[eEｅＥ][-+－＋]?{_AR}+|\\^[-+－＋]*{_AR}+)"
_XAR = f"(?:{_XMANT}(?:{_XEXP}(?:{_W}{_SI})?|{_W}{_SI})|(?<![.．0-9０-９])[.．]{_AR}+)"
_XAR_RE = re.compile(f"{_XSIGN}?{_XAR}")
_FEN = f"{_W}分{_W}之{_W}"
_NUMC = "[0-9０-９零〇一二三四五六七八九两兩俩倆壹贰貳叁參叄肆伍陆陸柒捌玖十拾百佰千仟万萬亿億兆]"
_DEN = f"[百佰千仟万萬亿億](?:{_W}[百佰千仟万萬亿億])*"  # a bare power of ten: 百, 千, 百万万

# --------------------------------------------------------------------------------------------
# Evaluation of a matched span.
# --------------------------------------------------------------------------------------------
_FW = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FW.update({0x2212: ord("-"), 0x3000: ord(" "), 0xA0: ord(" ")})
_AR_RUN = re.compile("[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?")
_DS_FULL = re.compile(f"{_DSC}{{2,}}")
_DS_DIGIT = dict(CN_DIGITS, **{"○": 0})
_CHINESE = re.compile("[零〇○一二三四五六七八九两兩俩倆壹贰貳叁參叄肆伍陆陸柒捌玖十拾百佰千仟万萬亿億兆半]")
_MAGNITUDE = re.compile("[百佰千仟万萬亿億兆]")
_APPROX = re.compile("[多余餘来來几幾]")
_BLANKS = " \t\u3000\xa0"
_KIND: dict[str, tuple[str, int]] = {}
for _ch, _v in CN_DIGITS.items():
    _KIND[_ch] = ("z", 0) if _v == 0 else ("d", _v)
for _ch, _v in CN_UNITS.items():
    _KIND[_ch] = ("s", _v) if _v < 10**4 else ("b", _v)
for _ch in "点點":
    _KIND[_ch] = ("p", 0)
for _ch in "多余餘来來几幾":
    _KIND[_ch] = ("a", 0)
for _ch in _BLANKS:
    _KIND[_ch] = ("w", 0)
del _ch, _v

Num = int | Decimal


def _arabic(t: str) -> Num:
    t = t.translate(_FW).replace(",", "")
    return Decimal(t) if "." in t else int(t)


def _chinese_value(s: str) -> Num:
    """Value of a span matched by the core grammar (no sign, no exponent, no digit string)."""
    parts: list[list] = []  # [value, magnitude] of the groups closed by 万/亿/兆
    section: Num = 0
    has_section = False
    pending: Num | None = None  # the last digit, not yet placed
    single = False  # pending is one digit (it may be a tail: 两百五)
    after = 0  # the unit right before pending, 0 when a 零 came between
    last = 0  # the last unit seen (its effective magnitude for big units)
    zero = False

    def close(end: bool) -> Num | None:
        if pending is None:
            return section if has_section else None
        value = pending
        if single and after:
            if 100 <= after < 10**4 or (end and after >= 10**4):
                value = pending * (after // 10)
        return section + value

    i, n = 0, len(s)
    while i < n:
        kind, v = _KIND.get(s[i], ("r", 0))
        if kind == "r":  # Arabic digits
            m = _AR_RUN.match(s, i)
            if m is None:
                i += 1
                continue
            t = m.group()
            pending, single = _arabic(t), len(t) == 1
            after, zero, has_section = (0 if zero else last), False, True
            i = m.end()
            continue
        if kind == "d":
            pending, single, after, zero = v, True, (0 if zero else last), False
        elif kind == "z":
            zero = True
        elif kind == "s":
            section += (1 if pending is None else pending) * v
            pending, last, zero, has_section = None, v, False, True
        elif kind == "b":
            sec = close(False)
            if sec is None:  # 万万, 万亿, or a bare 万
                if parts:
                    total, mag = 0, 1
                    while parts and parts[-1][1] <= v:
                        p = parts.pop()
                        total, mag = total + p[0], max(mag, p[1])
                    parts.append([total * v, mag * v])
                else:
                    parts.append([v, v])
            else:
                total = sec
                while parts and parts[-1][1] < v:
                    total += parts.pop()[0]
                parts.append([total * v, v])
            last = parts[-1][1]
            section, has_section, pending, zero = 0, False, None, False
        elif kind == "p":
            j = i + 1
            while j < n and s[j] in _BLANKS:
                j += 1
            k = j
            while k < n and s[k] in CN_DIGITS:
                k += 1
            whole = close(True)
            whole = (whole or 0) + sum(p[0] for p in parts)
            frac = "".join(str(CN_DIGITS[c]) for c in s[j:k]) or "0"
            section, has_section = whole + Decimal("0." + frac), True
            parts, pending, last, zero = [], None, 0, False
            i = k
            continue
        i += 1
    sec = close(True)
    return sum(p[0] for p in parts) + (sec or 0)


def _exact(s: str) -> Num:
    """Exact value of a span matched by `NUMBER_RE` or `_XAR_RE` (sign included)."""
    neg = s[0] in "负負-－−"
    body = s[1:] if neg else s
    if _XAR_FULL.fullmatch(body):  # exponent, power, SI suffix or leading dot
        t = body.translate(_FW).replace(",", "")
        si = _SI_VALUE.get(t[-1], 1)
        if si != 1:
            t = t[:-1].rstrip(_BLANKS)
        if "^" in t:
            base, _, exp = t.partition("^")
            signs = len(exp) - len(exp.lstrip("+-"))
            e = int(exp[signs:]) * (-1 if exp[:signs].count("-") % 2 else 1)
            value: Num = Decimal(base) ** e
        else:
            value = Decimal(t)
        value *= si
    elif _DS_FULL.fullmatch(body):
        value = int("".join(str(_DS_DIGIT[c]) for c in body))
    else:
        value = _chinese_value(body)
    return -value if neg else value


_SI_VALUE = {"k": 10**3, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}
_XAR_FULL = re.compile(_XAR)


class NumberToken(NamedTuple):
    """One number found by `scan`: its span, its value and how it was written (immutable).

    >>> scan("400多万名")[0]
    NumberToken(start=0, end=5, text='400多万', value=4000000.0, chinese=True, has_magnitude=True, approx_more=True)
    """

    start: int
    end: int
    text: str
    value: float
    chinese: bool
    has_magnitude: bool
    approx_more: bool


_CACHE: dict[str, tuple[float, bool, bool, bool]] = {}
_ERRORS = (ArithmeticError, ValueError, KeyError, IndexError, TypeError)
_PLAIN_DECIMAL = re.compile("[0-9]+[.][0-9]+").fullmatch
_NEW_TOKEN = tuple.__new__


def _describe(s: str) -> tuple[float, bool, bool, bool]:
    """Value and flags (chinese, has_magnitude, approx_more) of a span matched by the scanner."""
    if s.isascii() and (s.isdigit() or _PLAIN_DECIMAL(s)):  # 1200, 96.5: most numbers of a text
        return float(s), False, False, False
    hit = _CACHE.get(s)
    if hit is None:
        hit = (
            float(_exact(s)),
            _CHINESE.search(s) is not None,
            _MAGNITUDE.search(s) is not None,
            _APPROX.search(s) is not None,
        )
        if len(_CACHE) > 50_000:
            _CACHE.clear()
        _CACHE[s] = hit
    return hit


def scan(text: str) -> list[NumberToken]:
    """All maximal number expressions in `text`, left to right, non-overlapping.

    Single Chinese digits count (the caller decides what is a quantity). Fractions and
    percents are not read as such (``百分之四十`` gives ``四十``), and a Latin k or M after a
    number is not a magnitude.

    >>> [(t.start, t.end, t.value) for t in scan("共18万多个")]
    [(1, 5, 180000.0)]
    >>> t = scan("三千五百万元")[0]
    >>> (t.text, t.value, t.chinese, t.has_magnitude, t.approx_more)
    ('三千五百万', 35000000.0, True, True, False)
    >>> [t.text for t in scan("百姓数十万人走过一九九八年")]
    ['一九九八']
    """
    out: list[NumberToken] = []
    if not isinstance(text, str):
        return out
    for m in _SCAN_RE.finditer(text):
        plain, digit, s = m.groups()
        if plain is not None:
            out.append(_NEW_TOKEN(NumberToken, (*m.span(1), plain, float(plain), False, False, False)))
        elif digit is not None:
            out.append(_NEW_TOKEN(NumberToken, (*m.span(2), digit, float(CN_DIGITS[digit]), True, False, False)))
        elif s is not None:
            try:
                described = _describe(s)
            except _ERRORS:
                continue
            out.append(_NEW_TOKEN(NumberToken, (*m.span(3), s, *described)))
    return out


_STRIP = " \t\r\n\u3000\xa0"


def _number_exact(s: str) -> Num | None:
    """Exact value when the whole of `s` is one number, else None."""
    if len(s) == 1 and s in CN_DIGITS:  # a lone 伍 or 陆 is a number when asked about alone
        return CN_DIGITS[s]
    if not s or not (NUMBER_RE.fullmatch(s) or _XAR_RE.fullmatch(s)):
        return None
    try:
        return _exact(s)
    except _ERRORS:
        return None


def parse_number(s: str) -> float | None:
    """The value of `s` when the whole of it (blanks around aside) is one number, else None.

    >>> parse_number("4.8万"), parse_number("1,234.5"), parse_number("１２３")
    (48000.0, 1234.5, 123.0)
    >>> parse_number("两百五"), parse_number("九十二万四"), parse_number("400多万")
    (250.0, 924000.0, 4000000.0)
    >>> parse_number("八千 三百 八十五 万"), parse_number("7萬5千4百")
    (83850000.0, 75400.0)
    >>> parse_number("百姓") is None, parse_number("") is None
    (True, True)
    """
    if not isinstance(s, str):
        return None
    v = _number_exact(s.strip(_STRIP))
    return None if v is None else float(v)


_YOU_GAP = re.compile(f"{_W}又{_W}")
_FEN_GAP = re.compile(_FEN)
_SLASH_GAP = re.compile(f"{_W}[/／]{_W}")
_BLANK_GAP = re.compile(f"{_B}+")
_DEN_FULL = re.compile(_DEN)
_ARABIC_INT = re.compile(f"[-－−]?{_AINT}")


def _fraction_exact(s: str) -> Decimal | None:
    """Exact value of a whole-string fraction, or None."""
    if s in ("半", "一半"):
        return Decimal("0.5")
    whole: Num | None = None
    whole_neg = False
    m = _YOU_GAP.search(s)
    if m:
        whole = _number_exact(s[: m.start()])
        if whole is None:
            return None
        whole_neg, s = s[0] in "负負-－−", s[m.end() :]
    m = _FEN_GAP.search(s)
    if m:
        den_s, num_s = s[: m.start()], s[m.end() :]
        den = _number_exact(den_s)
        if den is None and _DEN_FULL.fullmatch(den_s):
            den = _chinese_value(den_s)
        num = _number_exact(num_s)
    else:
        m = _SLASH_GAP.search(s)
        if m is None or whole is not None:
            return None
        left, right = s[: m.start()], s[m.end() :]
        if _BLANK_GAP.search(left):  # 1 3/5
            w, left = _BLANK_GAP.split(left, maxsplit=1)
            if not _ARABIC_INT.fullmatch(w):
                return None
            whole, whole_neg = _number_exact(w), w[0] in "-－−"
        if not (_ARABIC_INT.fullmatch(left) and _ARABIC_INT.fullmatch(right)):
            return None
        den, num = _number_exact(right), _number_exact(left)
    if den is None or num is None or den == 0:
        return None
    value = Decimal(num) / Decimal(den)
    if whole is not None:
        value = Decimal(whole) - value if whole_neg else Decimal(whole) + value
    return value


def parse_fraction(s: str) -> float | None:
    """The value of a fraction written out in full, else None.

    >>> parse_fraction("三分之一")
    0.3333333333333333
    >>> parse_fraction("一千分之一"), parse_fraction("一半"), parse_fraction("3分之一百五十七")
    (0.001, 0.5, 52.333333333333336)
    >>> parse_fraction("十壹又十四分之壹"), parse_fraction("1 3/5"), parse_fraction("-3/2")
    (11.071428571428571, 1.6, -1.5)
    >>> parse_fraction("三分") is None, parse_fraction("3/0") is None
    (True, True)
    """
    if not isinstance(s, str):
        return None
    s = s.strip(_STRIP)
    if not s:
        return None
    try:
        v = _fraction_exact(s)
    except _ERRORS:
        return None
    return None if v is None else float(v)


_PCT_LITERAL = {"对折": 50, "對折": 50, "半折": 50, "半成": 5}
_PLAIN_PERCENT = re.compile("([0-9]+(?:[.][0-9]+)?)[%％]").fullmatch
_DEN_PREFIX = re.compile(f"({_DEN}){_FEN}")
_PCT_SUFFIX = re.compile(
    f"{_W}(?:(?P<pc>[%％])|(?P<pm>‰)|(?P<pw>‱)|(?P<pp>[个個]?{_W}[百佰]{_W}分{_W}[点點])"
    f"|(?P<cheng>成)(?:{_W}(?P<tail>{_CD}|半))?|(?P<zhe>折))"
)
_PAIR = re.compile(f"(?:[1-9１-９]|{_CD}){_W}(?:[0-9０-９]|{_CD}|{_CZ})")


def _suffix_percent(num_s: str, m: re.Match[str]) -> Decimal | None:
    """The percent number of `num_s` followed by the suffix matched by `_PCT_SUFFIX`."""
    if m.group("zhe") and _PAIR.fullmatch(num_s) and _number_exact(num_s) is None:
        digits = [c.translate(_FW) for c in num_s if c not in _BLANKS]
        return Decimal("".join(str(CN_DIGITS.get(c, c)) for c in digits))
    v = Decimal("0.5") if num_s == "半" else _number_exact(num_s)
    if v is None:
        return None
    v = Decimal(v)
    if m.group("pc") or m.group("pp"):
        return v
    if m.group("pm") or m.group("pw"):  # per mille, per ten thousand
        return v / (10 if m.group("pm") else 100)
    if m.group("cheng"):
        tail = m.group("tail")
        return v * 10 + (0 if tail is None else Decimal(5) if tail == "半" else CN_DIGITS[tail])
    # 折: 七折 is 70, 75折 is 75, 半折 is 50; 十折 and 100折 are nothing.
    if num_s == "半":
        return Decimal(50)
    if 0 < v < 10:
        return v * 10
    if 10 < v < 100 and v == v.to_integral_value() and _ARABIC_INT.fullmatch(num_s):
        return v
    return None


def _percent_exact(s: str) -> Decimal | None:
    if s in _PCT_LITERAL:
        return Decimal(_PCT_LITERAL[s])
    m = _DEN_PREFIX.match(s)
    if m:
        num_s = s[m.end() :]
        num = 100 if num_s in ("百", "佰") else _number_exact(num_s)
        if num is None:
            return None
        return Decimal(num) * 100 / Decimal(_chinese_value(m.group(1)))
    for m in _PCT_SUFFIX.finditer(s):
        if m.end() == len(s) and m.start() > 0:
            return _suffix_percent(s[: m.start()], m)
    return None


def parse_percent(s: str) -> float | None:
    """The percent number of a percent, permille, 成 or 折 expression, else None.

    >>> parse_percent("百分之四十"), parse_percent("40％"), parse_percent("3.5个百分点")
    (40.0, 40.0, 3.5)
    >>> parse_percent("九成"), parse_percent("2.5成"), parse_percent("七折"), parse_percent("7 2 折")
    (90.0, 25.0, 70.0, 72.0)
    >>> parse_percent("对折"), parse_percent("千分之二"), parse_percent("2‰"), parse_percent("百万分之五")
    (50.0, 0.2, 0.2, 0.0005)
    >>> parse_percent("十折") is None, parse_percent("五百分之二") is None
    (True, True)
    """
    if not isinstance(s, str):
        return None
    s = s.strip(_STRIP)
    if not s:
        return None
    plain = _PLAIN_PERCENT(s)
    if plain:  # 96.5%: most percents of a text
        return float(plain.group(1))
    try:
        v = _percent_exact(s)
    except _ERRORS:
        return None
    return None if v is None else float(v)


@functools.cache
def _tokens_re() -> re.Pattern[str]:
    """Numbers the Recognizers-style functions start from (compiled on first use)."""
    return re.compile(f"{_XSIGN}?(?:{_XAR}|{_CORE})(?:{_W}打)?|半百")


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _tokens_re().finditer(text)]


def _token_value(s: str) -> Num:
    if s == "半百":
        return 50
    if s[-1] == "打":
        return _exact(s[:-1].rstrip(_BLANKS)) * 12
    return _exact(s)


def recognize_numbers(text: str) -> list[tuple[int, int, str, float]]:
    """Numbers in `text` the way Recognizers-Text's NumberModel reports them.

    Unlike `scan` this reads fractions (``三分之一``, ``1 3/5``), exponents (``2e5``,
    ``2^5``), SI suffixes (``40k``), dozens (``十打``) and ``半百``, and leaves out a number
    that is the body of an ``N%`` (that is a percent).

    >>> recognize_numbers("二分之一和40k，1 3/5")
    [(0, 4, '二分之一', 0.5), (5, 8, '40k', 40000.0), (9, 14, '1 3/5', 1.6)]
    """
    out: list[tuple[int, int, str, float]] = []
    if not isinstance(text, str):
        return out
    toks = _tokens(text)
    i, n = 0, len(toks)
    while i < n:
        a = toks[i]
        b = toks[i + 1] if i + 1 < n else None
        c = toks[i + 2] if i + 2 < n else None
        gap_ab = text[a[1] : b[0]] if b else ""
        gap_bc = text[b[1] : c[0]] if b and c else ""
        span = None
        if c and _YOU_GAP.fullmatch(gap_ab) and _FEN_GAP.fullmatch(gap_bc):
            span = (a[0], c[1], 3)  # 三又三分之一
        elif b and _FEN_GAP.fullmatch(gap_ab):
            span = (a[0], b[1], 2)  # 三分之一
        elif c and _BLANK_GAP.fullmatch(gap_ab) and _SLASH_GAP.fullmatch(gap_bc):
            span = (a[0], c[1], 3)  # 1 3/5
        elif b and _SLASH_GAP.fullmatch(gap_ab):
            span = (a[0], b[1], 2)  # 3/5
        try:
            if span is not None:
                s = text[span[0] : span[1]]
                v = _fraction_exact(s)
                if v is not None:
                    out.append((span[0], span[1], s, float(v)))
                    i += span[2]
                    continue
            if text[a[1] : a[1] + 8].lstrip(_BLANKS)[:1] in ("%", "％"):
                i += 1
                continue
            out.append((a[0], a[1], a[2], float(_token_value(a[2]))))
        except _ERRORS:
            pass
        i += 1
    return out


_DEN_BEFORE = re.compile(f"(?<!{_NUMC}){_DEN}{_FEN}\\Z")
_PCT_LITERAL_RE = re.compile(
    f"(?<=打)[对對]折|(?<!{_NUMC})半{_W}[成折]|(?<!{_NUMC})[百佰]{_W}分{_W}之{_W}[百佰](?!{_W}分)"
)
_CD_NEXT = re.compile(f"{_W}{_CD}")
_SINGLE_DIGIT = re.compile(f"[1-9１-９]|{_CD}")
_BLANKS_ONLY = re.compile(_W)


def _percent_at(text: str, toks: list[tuple[int, int, str]], i: int) -> tuple | None:
    """The percent that token `i` is the number of, as a result tuple, or None."""
    start, end, s = toks[i]
    d = _DEN_BEFORE.search(text, max(0, start - 24), start)
    if d is not None:  # 百分之四十, 千分之二
        if _CD_NEXT.match(text, end):  # 百分之二三十: a range, not one percent
            return None
        den = _chinese_value(_DEN_PREFIX.match(d.group()).group(1))
        return (d.start(), end, text[d.start() : end], float(Decimal(_exact(s)) * 100 / den))
    prev = text[start - 1] if start else ""
    if prev in ("%", "％") or (prev.isascii() and prev.isalpha()):  # URL escapes, codes
        return None
    m = _PCT_SUFFIX.match(text, end)
    if m is None:
        return None
    first = start
    if m.group("zhe") and i and _SINGLE_DIGIT.fullmatch(s):  # 三八折, 7 2 折
        p_start, p_end, p = toks[i - 1]
        if _SINGLE_DIGIT.fullmatch(p) and _BLANKS_ONLY.fullmatch(text[p_end:start]):
            first = p_start
    if first == start and prev in CN_DIGITS:  # 二三十个百分点: a range, not one percent
        return None
    v = _suffix_percent(text[first:end], m)
    return None if v is None else (first, m.end(), text[first : m.end()], float(v))


def recognize_percents(text: str) -> list[tuple[int, int, str, float]]:
    """Percents in `text` the way Recognizers-Text's PercentModel reports them.

    The value is the percent number: ``40%`` gives 40.0, ``千分之二`` gives 0.2.

    >>> recognize_percents("上升了百分之2.2，打七折，三成半")
    [(3, 9, '百分之2.2', 2.2), (11, 13, '七折', 70.0), (14, 17, '三成半', 35.0)]
    """
    found: list[tuple[int, int, str, float]] = []
    if not isinstance(text, str):
        return found
    for m in _PCT_LITERAL_RE.finditer(text):
        v = _percent_exact(_BLANK_GAP.sub("", m.group()))
        if v is not None:
            found.append((m.start(), m.end(), m.group(), float(v)))
    toks = _tokens(text)
    for i in range(len(toks)):
        try:
            hit = _percent_at(text, toks, i)
        except _ERRORS:
            continue
        if hit is not None:
            found.append(hit)
    found.sort()
    out: list[tuple[int, int, str, float]] = []
    for item in found:  # keep the longer of two overlapping readings
        if out and item[0] < out[-1][1]:
            if item[1] - item[0] > out[-1][1] - out[-1][0]:
                out[-1] = item
            continue
        out.append(item)
    return out
