"""Quantitative facts from the text of one document: the heart of newsfacts.

Pure: the same text (and the same gazetteer) gives the same facts. The only imports are the
standard library and the package's own pure modules; the place dictionary is passed in.

The work runs as an ordered tuple of small recognisers (``RULES``), each claiming spans of a
sentence that later rules leave alone: ranges, then fractions, percentages, multiples,
ordinals, and last the plain "number + measure word" counts and measures.

>>> facts = extract_text("全县共有1200多名党员,去年村集体收入突破80万元,较2020年增长1.5倍。")
>>> [(f.surface, f.value, f.unit, f.kind, f.approx, f.counted) for f in facts]
[('1200多名', 1200.0, '名', 'count', 'more_than', '党员'), ('突破80万元', 800000.0, '元', 'money', 'more_than', '村集体收入'), ('1.5倍', 1.5, '倍', 'multiple', None, '村集体收入')]
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable, Iterable, Protocol

from . import dates as _dates
from .model import Article, DateMention, Extraction, Fact
from .numbers import NumberToken, parse_percent, scan
from .text import Segment, View, normalise, sentences, split_page

# ----------------------------------------------------------------------------------------------
# Vocabularies

# unit -> kind; longest units first when matching. Magnitudes (万, 亿) belong to the number.
UNIT_KINDS: dict[str, str] = {
    **dict.fromkeys(
        "个 名 位 人 户 家 项 条 场 次 批 块 张 级 所 座 支 辆 台 套 棵 株 头 只 篇 本 册 部 件 份 间 处 栋 幢 "
        "宗 起 例 种 类 门 节 堂 枚 盏 艘 架 根 口 片 轮 届 期 组 对 双 首 幅 封 笔 单 网点 "
        "人次 户次 家次 批次 台次 架次 车次 班次 场次 课次 期次 人员 余人 "
        "個 戶 項 條 場 張 級 輛 臺 隻 間 處 棟 種 門 屆 輪 組 雙 筆 單".split(), "count"),
    **dict.fromkeys("元 美元 欧元 港元 圓".split(), "money"),
    **dict.fromkeys("岁 周岁 歲".split(), "age"),
    **dict.fromkeys("年 个月 天 日 小时 分钟 周 个工作日 工作日 季度 年度".split(), "duration"),
    **dict.fromkeys(
        "亩 公顷 平方公里 平方千米 平方米 立方米 公里 千米 米 厘米 毫米 吨 公斤 千克 克 斤 升 毫升 "
        "千瓦 千瓦时 度 兆瓦 瓦 千伏 标准箱 TEU 标箱 畝 噸 公裡 平方公裡".split(), "measure"),
}
# units that are nouns in their own right after a Chinese numeral (十分, 三队...) are not here
_UNIT_RE = "|".join(sorted(map(re.escape, UNIT_KINDS), key=len, reverse=True))
ORDINAL_UNITS = ("届", "次", "批", "期", "轮", "版", "名", "位", "季度", "个")

APPROX_BEFORE = {  # word right before the number -> approx
    "将近": "nearly", "接近": "nearly", "近": "nearly", "逼近": "nearly",
    "大约": "about", "约": "about", "大概": "about", "约为": "about",
    "超过": "more_than", "突破": "more_than", "逾": "more_than", "超": "more_than", "多于": "more_than",
    "高于": "more_than",
    "不到": "less_than", "不足": "less_than", "不满": "less_than", "未满": "less_than", "少于": "less_than",
    "低于": "less_than", "不超过": "less_than",
    "至少": "at_least", "不少于": "at_least", "不低于": "at_least", "最少": "at_least",
}
APPROX_AFTER = {"以上": "at_least", "左右": "about", "上下": "about", "以下": "less_than", "以内": "less_than",
                "多": "more_than", "余": "more_than", "有余": "more_than", "出头": "more_than"}
_BEFORE_RE = re.compile("(?:" + "|".join(sorted(APPROX_BEFORE, key=len, reverse=True)) + ")$")
_AFTER_RE = re.compile("(?:有余|以上|左右|上下|以下|以内|出头|多|余)")

KINDS = ("count", "money", "percent", "multiple", "fraction", "age", "duration", "ordinal", "measure")
APPROX = ("more_than", "nearly", "less_than", "about", "at_least", "range")

# Words that end a noun phrase: verbs, prepositions, adverbs, particles common in this genre.
_STOP_WORDS = sorted(
    """在 是 为 有 和 与 及 或 并 等 到 从 向 对 把 被 让 使 给 将 已 曾 都 也 还 就 又 再 才 均 共 于 以 由 了 着 过
    而 但 且 其中 分别 成为 利用 参与 进行 开展 实现 达到 提供 带动 帮助 解决 完成 覆盖 通过 获得 超过 突破 建立
    建成 成立 选派 协调 组建 打造 推动 推进 形成 发布 印发 出台 落实 结对 包联 开办 举办 培训 培育 吸纳 带领
    提升 提高 增长 增加 减少 下降 上升 达 共有 累计 总计 合计 新增 上线 清理 导入 摘下 留下 设立 下设
    涉及 惠及 辐射 帮扶 投入 投资 完善 改造 修建 新建 创建 整治 化解 排查 收集 办理 受理 走访 慰问 召开
    同比 环比 较 比 占 约 近 逾 每 各 该 这 那 此 其 之 用于 来自 位于 用来 作为 担任 当选 入选 获评 评为 脱颖而出
    实践 锻炼 休息 创作 提供 参加 报名 一起 全部 全面 不断 持续 进一步 积极 主动 先后 相继 陆续 已经 正在
    共同 共建 共享 包括 扩大 壮大 需要 不再 能够 可以 应当""".split(),
    key=len, reverse=True,
)
_STOP_RE = re.compile("|".join(map(re.escape, _STOP_WORDS)))
# words whose second character would read as a stop word: 公共服务, 中共党员
_STOP_INSIDE_WORDS = frozenset(("公共", "中共", "总共"))
# Verbs that may stand before a post-posed count: 建立党支部549个, 开办托管班3600余个.
_LEAD_VERBS = sorted(
    """建立 建成 成立 选派 组织开展 开展 协调解决 解决 组建 打造 推动 发布 印发 出台 落实 结对 包联 开办 举办
    培训 培育 吸纳 带领 发展 提升 提高 新增 上线 清理 导入 摘下 设立 下设 服务 帮助 帮扶 投入 投资 完善 改造
    修建 新建 创建 建设 整治 化解 排查 收集 办理 受理 走访 慰问 召开 引进 招聘 培养 认定 评选 表彰 命名 挂牌
    举行 开设 设置 配备 安装 种植 养殖 接待 吸引 带动 惠及 覆盖 涉及 累计 共 有 共有 达 达到 为 是 增至
    提升至 提高到 增长到 增加到 下降到 降至 升至 超过 突破 实现 完成 形成 签约 签订 落地 开工 竣工 建好
    发放 拨付 筹集 争取 兑现 栽种 栽植 新栽 补栽 补植 种下 收购 回收 出售 流转 整合 盘活 新修
    硬化 铺设 改建 扩建 储备 聘请 聘用 安置 转移 转化 申报 审批 回应 答复 调解 处理 搬迁 迁出 入驻
    实施 完成投资 改造提升 打通 修复 治理 监测 检测 救助 资助 补助 奖励 带动 吸纳就业 解决就业 培训 义诊 捐赠
    力争 计划 预计 确保 力求 努力 推动实现 增收 致富 就业 创业 包括 涵盖 扩大 现有 拥有
    参加 参展 到场 组成 加入 报名 出席 选优配强 选拔 招募 确定 推荐 划分 划定 整顿 调整 认领 分别有 分别
    破获 抓获 查处 侦破 审结 办结 查办 输送""".split(),
    key=len, reverse=True,
)
# single characters (共, 有, 达, 为) sit inside too many nouns to cut at; _LINK_WORDS handles them
_LEAD_VERB_SET = frozenset(_LEAD_VERBS)
# verbs that also modify a noun (下沉干部, 受益群众, 入党积极分子): they end a phrase read forward
# after a noun (干部下沉一线), but are not cut from one read backward
_ACTING_VERBS = ("下沉", "参与", "受益", "返乡", "入党")
# activities a figure counts by themselves (义诊1500人次, 带动就业120人)
_ACTIVITY_VERBS = frozenset("就业 创业 义诊 受益 增收 致富 培训 服务 宣讲 接待 志愿 巡逻 调解".split())
_LEAD_VERB_RE = re.compile("|".join(map(re.escape, (v for v in _LEAD_VERBS if len(v) > 1))))
# what ends a phrase read forward, past its first character (干部下沉一线, 乡镇种植猕猴桃)
_FORWARD_VERB_RE = re.compile("|".join(map(re.escape, sorted(
    [v for v in _LEAD_VERBS if len(v) > 1] + list(_ACTING_VERBS), key=len, reverse=True))))
_LEADING_TIME_RE = re.compile(
    r"^(?:(?:去年|今年|前年|明年|上年|当年|本年|同期|目前|现在|如今|眼下|截至目前|年底|年初|年末|全年|上半年|下半年|最初|当初|起初"
    r"|(?:第|前)?[一二三四]季度)(?:前|以来)?)+")
_TIME_WORDS_RE = re.compile(
    r"^(?:去年|今年|前年|当年|全年|上半年|下半年)(?:以来)?|(?<=[\u4e00-\u9fff])(?:去年|今年|当年|全年)(?=[\u4e00-\u9fff]|$)")
# 现在 of 体现在 is no 'now', nor 当前 of 当前工作; the word must stand in the figure's clause
_NOW_RE = re.compile(r"目前|(?<![体表出发实])现在|如今|至今|眼下")
_CLAUSE_END_RE = re.compile(r"[,;:。!?]")
_COPULA_RE = re.compile(r"(?:成为|当选|入选|被评为|获评|评为|担任)")
_DETERMINER_RE = re.compile(r"(?:这一批|这一|这批|这些|那些|该|本|其|各|每)")
_BOUNDARY = set(",.;:!?、。;:!?()()《》<>[]【】“”‘’\"' \n\t…—-~/|")
_CN_NUMERAL_CHARS = set("零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億")
_MAGNITUDE_ONLY = set("十百千万亿拾佰仟萬億")
_LATIN = re.compile(r"[A-Za-z]")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

# Mentions of "the province/city/county/village" as an actor: 全省, 省委, 团省委, 县委...
_LEVEL_WORDS = [
    (0, re.compile(r"全省|本省|我省|省委|省级|省直|团省委|省政府|省人大|省政协|省总工会|省妇联|省科协|省残联|省红十字会|省[委政]?[^\s,。、]{0,6}(?:厅|局|办|部)")),
    (1, re.compile(r"全市|本市|我市|该市|市里|市委|市直|市级|市政府|全州|州委")),
    (2, re.compile(r"全县|本县|我县|该县|县里|县委|县级|县政府|全区|本区|我区|区委|区里|该区")),
    (3, re.compile(r"全镇|本镇|该镇|镇里|镇党委|镇政府|全乡|该乡|乡里|乡党委|街道党工委")),
    (4, re.compile(r"全村|本村|该村|村里|村委|村党支部|村党总支|村两委|村集体|社区党委|该社区")),
]


class Gazetteer(Protocol):
    """What the extractor needs of a place dictionary (``newsfacts.places.Gazetteer``)."""

    def find(self, text: str) -> list: ...


# ----------------------------------------------------------------------------------------------
# Candidates found by the rules, in the coordinates of one sentence's normalised text


@dataclass
class Cand:
    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    kind: str
    approx: str | None
    num_start: int  # where the number itself starts (after an approx word)
    unit_end: int  # end of number + unit, before trailing approx words


_MORE_HIGH_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(十|百|千)?\s*(?:多|余)?\s*(万|亿)?")


def _more_high(token: str, value: float) -> float | None:
    """Upper bound implied by 多/余 inside or after a number: 18万多 -> 190000, 500余 -> 600,
    一百二十余 -> 130.

    >>> _more_high("18万多", 180000), _more_high("500余", 500), _more_high("一百二十余", 120)
    (190000.0, 600.0, 130)
    """
    t = token.replace(",", "")
    m = _MORE_HIGH_RE.match(t)
    if not m:
        return _next_at_last_digit(value)
    digits = m.group(1)
    # 3千多万: the step is a thousand ten-thousands
    mag = {"十": 10.0, "百": 100.0, "千": 1e3}.get(m.group(2) or "", 1.0) * {"万": 1e4, "亿": 1e8}.get(m.group(3) or "", 1.0)
    if "." in digits:
        step = 10 ** -(len(digits) - digits.index(".") - 1)
    else:
        stripped = digits.rstrip("0")
        step = 10 ** (len(digits) - len(stripped)) if stripped else 1
    return value + step * mag


def _next_at_last_digit(value: float) -> float | None:
    """The value one up at its last significant digit: 120 -> 130, 3000 -> 4000, 36 -> 37.

    Written in Chinese numerals, the value's own digits are the written ones.
    """
    if value <= 0 or value != int(value):
        return None
    n, step = int(value), 1
    while n % 10 == 0:
        n, step = n // 10, step * 10
    return value + step


def _bounds(approx: str | None, value: float | None, token: str = "") -> tuple[float | None, float | None]:
    if value is None:
        return None, None
    if approx == "more_than":
        high = _more_high(token, value) if ("多" in token or "余" in token or "几" in token) else None
        return value, high
    if approx == "at_least":
        return value, None
    if approx in ("less_than", "nearly"):
        return None, value
    return None, None


# words that end in 约 (签约, 节约, 预约): no "about"
_BOUND_BY_BEFORE = frozenset("签节制预公条契合相邀履违特")


def _yue_in_word(s: str, at: int) -> bool:
    """Whether the 约 at ``at`` ends a word (签约92.3万人), rather than meaning "about"."""
    return s.startswith("约", at) and at > 0 and s[at - 1] in _BOUND_BY_BEFORE


def _approx_before(s: str, start: int) -> tuple[str | None, int]:
    m = _BEFORE_RE.search(s[max(0, start - 3) : start])
    if m:
        st = start - len(m.group(0))
        if m.group(0) == "约" and _yue_in_word(s, st):
            return None, start  # 家庭医生签约92.3万人
        return APPROX_BEFORE[m.group(0)], st
    return None, start


_UNIT_AT = re.compile(rf"\s*({_UNIT_RE})")
_MORE_UNIT_AT = re.compile(rf"\s*[多余]\s*({_UNIT_RE})")
_RANGE_GAP = re.compile(rf"\s*({_UNIT_RE}|%)?\s*(?:至|到|—|–|~|～|-)\s*")
_RANGE_UNIT = re.compile(rf"\s*(个百分点|{_UNIT_RE}|%)")
_PERCENT_AFTER = re.compile(r"\s*(%|‰|个百分点)")
_PERCENT_BEFORE = re.compile(r"百\s*分\s*之\s*$")
_FRACTION_GAP = re.compile(r"\s*分\s*之\s*")
_HALF_RE = re.compile(r"(?<![一这那])(一半|半数)")
_CHENG_AT = re.compile(r"成(?![为立长功本效果员绩熟型就交不])")
_TIMES_AT = re.compile(r"\s*倍")
_DOUBLING_RE = re.compile(r"翻(?:了)?(一|两|二|三|四)?番")
_ORDINAL_AT = re.compile(rf"\s*({'|'.join(ORDINAL_UNITS)})")


def _with_after_approx(s: str, end: int, approx: str | None, allow_more: bool = False) -> tuple[str | None, int]:
    a2 = _AFTER_RE.match(s, end)
    if a2 and (allow_more or a2.group(0) not in ("多", "余")):
        return APPROX_AFTER[a2.group(0)], a2.end()
    return approx, end


_CN_ONE_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _neighbour_digits(a: NumberToken, b: NumberToken) -> tuple[float, float] | None:
    """三四个, 五六百, 两三千: two neighbouring digits are an approximate range."""
    if a.end != b.start or a.text not in _CN_ONE_DIGIT or b.text[0] not in _CN_ONE_DIGIT:
        return None
    lo, first = _CN_ONE_DIGIT[a.text], _CN_ONE_DIGIT[b.text[0]]
    if first != lo + 1:
        return None
    magnitude = b.value / first
    return lo * magnitude, b.value


_LEADING_DIGITS_RE = re.compile(r"\d+(?:\.\d+)?")


def _rule_ranges(s: str, toks: list[NumberToken]) -> Iterable[Cand]:
    for a, b in zip(toks, toks[1:]):
        pair = _neighbour_digits(a, b)
        if pair is not None:
            m = _UNIT_AT.match(s, b.end)
            if m:
                unit = m.group(1)
                yield Cand(a.start, m.end(), None, pair[0], pair[1], unit, UNIT_KINDS.get(unit, "count"), "range",
                           a.start, m.end())
            continue
        gap = _RANGE_GAP.match(s, a.end)
        if gap is None or gap.end() != b.start:
            continue
        m = _RANGE_UNIT.match(s, b.end)
        if m is None:
            continue
        unit = m.group(1)
        low = a.value
        if b.has_magnitude and not a.has_magnitude:
            # 3至5万人: the magnitude written once is both numbers' (8000至1万人 is 8000 already)
            scale = _trailing_magnitude(b)
            if a.value * scale <= b.value:
                low = a.value * scale
        if (gap.group(1) and gap.group(1) != unit) or low >= b.value:
            continue
        if unit in ("年", "日") and a.value >= 1000:  # 2018年至2023年 is a period, a date
            continue
        kind = "percent" if unit in ("%", "个百分点") else UNIT_KINDS.get(unit, "count")
        yield Cand(a.start, m.end(), None, low, b.value, unit, kind, "range", a.start, m.end())


def _trailing_magnitude(token: NumberToken) -> float:
    """What a number's written digits are multiplied by: 5万 -> 1e4, 5千万 -> 1e7, 1.2万亿 -> 1e12;
    1 for a number in Chinese numerals alone."""
    digits = _LEADING_DIGITS_RE.match(token.text)
    return token.value / float(digits.group()) if digits and float(digits.group()) else 1.0


def _rule_fractions(s: str, toks: list[NumberToken]) -> Iterable[Cand]:
    found = []
    for a, b in zip(toks, toks[1:]):
        gap = _FRACTION_GAP.match(s, a.end)
        if gap is not None and gap.end() == b.start and a.value != 0:
            found.append((a.start, b.end, b.value / a.value, None))
        elif (s[a.end : b.start] == "/" and a.text.isdigit() and b.text.isdigit() and 0 < a.value < b.value <= 100
              and not s[b.end : b.end + 1].isdigit() and s[b.end : b.end + 1] != "/"):
            found.append((a.start, b.end, a.value / b.value, None))  # 1/3
    for t in toks:
        m = _CHENG_AT.match(s, t.end)
        if m and 0 < t.value <= 10 and not _LATIN.search(s[t.start - 1 : t.start] or ""):
            found.append((t.start, m.end(), t.value / 10, "成"))
    if "半" in s:
        for m in _HALF_RE.finditer(s):
            found.append((m.start(), m.end(), 0.5, None))
    for start, end0, v, unit in found:
        approx, st = _approx_before(s, start)
        approx, end = _with_after_approx(s, end0, approx)
        lo, hi = _bounds(approx, v)
        yield Cand(st, end, v, lo, hi, unit, "fraction", approx, start, end0)


def _rule_percents(s: str, toks: list[NumberToken]) -> Iterable[Cand]:
    for t in toks:
        before = _PERCENT_BEFORE.search(s, max(0, t.start - 6), t.start)
        if before:
            start, end0, unit = before.start(), t.end, "%"
        else:
            m = _PERCENT_AFTER.match(s, t.end)
            if m is None:
                continue
            start, end0, unit = t.start, m.end(), m.group(1)
        v = parse_percent(s[start:end0])
        if v is None:
            continue
        approx, st = _approx_before(s, start)
        approx, end = _with_after_approx(s, end0, approx)
        lo, hi = _bounds(approx, v)
        yield Cand(st, end, v, lo, hi, unit, "percent", approx, start, end0)


def _rule_multiples(s: str, toks: list[NumberToken]) -> Iterable[Cand]:
    found = []
    for t in toks:
        m = _TIMES_AT.match(s, t.end)
        if m is not None:
            found.append((t.start, m.end(), t.value, t.text))
    if "番" in s:
        for m in _DOUBLING_RE.finditer(s):
            v = {None: 2.0, "一": 2.0, "两": 4.0, "二": 4.0, "三": 8.0, "四": 16.0}[m.group(1)]
            found.append((m.start(), m.end(), v, m.group(0)))
    for start, end0, v, token in found:
        approx, st = _approx_before(s, start)
        approx, end = _with_after_approx(s, end0, approx, allow_more=True)
        lo, hi = _bounds(approx, v, token)
        yield Cand(st, end, v, lo, hi, "倍", "multiple", approx, start, end0)


def _rule_ordinals(s: str, toks: list[NumberToken]) -> Iterable[Cand]:
    for t in toks:
        if s[t.start - 1 : t.start] != "第" or t.value == 1:  # 第一 is a rank or a title (第一书记)
            continue
        m = _ORDINAL_AT.match(s, t.end)
        if m:
            yield Cand(t.start - 1, m.end(), t.value, None, None, m.group(1), "ordinal", None, t.start - 1, m.end())


_HALF_YEAR_RE = re.compile(r"(?<![一这那多上下前后])半(年|个月|天)")  # 上半年 is a part of a year
_DA_AT = re.compile(r"(大|方|化)(?=[\u4e00-\u9fff“‘\"])")


def _rule_named_counts(s: str, toks: list[NumberToken]) -> Iterable[Cand]:
    """五大工程, 三大产业: a count of named things; 三方联动 and 三化 only with their list beside them."""
    for t in toks:
        m = _DA_AT.match(s, t.end)
        if m is None or not t.chinese or any(c.isdigit() for c in t.text) or not (2 <= t.value <= 20) \
                or t.text == "二":  # 两大 is how two is said; 二大 is mostly 二大爷
            continue
        c = Cand(t.start, m.end(), t.value, None, None, m.group(1), "count", None, t.start, m.end())
        if m.group(1) == "大" or find_list(s, c, None, [c]) is not None:
            yield c


_ROUND_BEFORE = {"近": "nearly", "上": "about", "逾": "more_than", "超": "more_than", "过": "more_than",
                 "破": "more_than"}


def _is_trap(s: str, t: NumberToken, unit: str) -> bool:
    """Numerals that are names, idioms or adverbs rather than quantities."""
    tok, st = t.text, t.start
    if t.chinese and not any(c.isdigit() for c in tok):
        stripped = tok.strip()
        if stripped in ("一", "壹", "单"):
            return True  # 一盘棋, 一条心, 一线: "one" is almost always idiomatic
        if all(c in _MAGNITUDE_ONLY for c in stripped) and stripped != "十":
            # 百姓, 千家万户 are words; 近百名, 上千人, 逾万人 are round figures
            return not (len(stripped) <= 2 and s[st - 1 : st] in _ROUND_BEFORE)  # 突破千亿元
        end_unit = _UNIT_AT.match(s, t.end).end()
        nxt = s[end_unit : end_unit + 1]
        if nxt and nxt in _CN_NUMERAL_CHARS:
            return True  # 十户一联, 三年两步: a formula, not a count
        if stripped == "十" and s.startswith("分", t.end) and unit != "分钟":
            return True  # 十分 = "very"
        prev = s[st - 1 : st]
        if prev == "第":
            return True
        if prev and prev in "星礼周" and unit in ("天", "日"):
            return True
    elif _LATIN.search(s[max(0, st - 1) : st]) or s[st - 1 : st].isdigit() or s[st - 1 : st] == "第":
        return True  # part of a code (G20, 5G), or an ordinal (第1次)
    if unit in ("年", "日") and tok.strip().isdigit() and len(tok.strip()) == 4:
        return True  # a year: dates are rows of their own
    return unit == "日"  # 5日 is a day of the month


# a bare number in a series takes the measure word of the next: 分别为12000、8000和5000人
_SERIES_SEPARATORS = r"、|和|及|与|以及"
_SERIES_GAP_RE = re.compile(_SERIES_SEPARATORS)


def _series_units(s: str, toks: list[NumberToken]) -> dict[int, tuple[str, int]]:
    """The measure word a bare number of a series borrows (unit, where the next number's unit
    match starts), by token index: only figures in Arabic digits, only when the next number
    follows the separator directly, and not from a number with a magnitude the bare one lacks
    (120、80万元 may mean 120万元)."""
    borrowed: dict[int, tuple[str, int]] = {}
    for i in range(len(toks) - 2, -1, -1):
        t, nxt = toks[i], toks[i + 1]
        if nxt.start - t.end > 2 or not t.text[:1].isdigit() or not nxt.text[:1].isdigit() \
                or not _SERIES_GAP_RE.fullmatch(s, t.end, nxt.start) or _UNIT_AT.match(s, t.end) \
                or _PERCENT_AFTER.match(s, t.end) or _PERCENT_AFTER.match(s, nxt.end):
            continue  # 12、8和5个百分点: the 个 is the percentage points
        if nxt.has_magnitude and not t.has_magnitude:
            continue
        if t.value is not None and nxt.value is not None and t.value < 10 and nxt.value - t.value == 1:
            continue  # 3、4个 is "three or four", a rough figure the ranges rule reads or leaves
        m = _UNIT_AT.match(s, nxt.end)
        if m is not None:
            borrowed[i] = (m.group(1), m.start(1))
        elif i + 1 in borrowed:
            borrowed[i] = borrowed[i + 1]
    return borrowed


# what a grade (N级) names, not a number of levels (四级联动): roads, hospitals, ratings, alerts
_GRADE_AFTER_RE = re.compile(
    r"(?:以上|以下|及以上)?(?:公立)?(?:公路|医院|甲等|乙等|资质|响应|预警|风险|保护|景区|标准|职称|技师|技工|文物|"
    r"建筑|地震|台风|干部|职员|教师|运动员|裁判|工程师|企业|园区|示范|达标|安全)")


# a number of people or households named before a figure in 万 or 亿 that has no measure word
_HOUSEHOLD_NOUNS = frozenset(("户数", "农户", "家庭", "住户"))
_HEADCOUNT_BEFORE_RE = re.compile(
    r"(人口|人数|人员|群众|居民|农民|职工|学生|劳动力|户数|农户|家庭|住户)(?:总数|总量)?"
    r"(?:为|是|达|达到|约|约为|有|共有|共|超过|突破|已达|增至|增加到|减少到)?$")


def _rule_plain(s: str, toks: list[NumberToken]) -> Iterable[Cand]:
    borrowed = _series_units(s, toks) if len(toks) > 1 else {}
    for ti, t in enumerate(toks):
        m = _UNIT_AT.match(s, t.end)
        loose_more = more_after_unit = False
        if m is None and ti in borrowed:
            unit, at = borrowed[ti]
            if _is_trap(s, t, unit) or UNIT_KINDS.get(unit) not in ("count", "money", "measure"):
                continue
            if unit == "个" and s.startswith("月", at + 1):
                continue
            approx, st = _approx_before(s, t.start)
            lo, hi = _bounds(approx, t.value, t.text)
            yield Cand(st, t.end, t.value, lo, hi, unit, UNIT_KINDS[unit], approx, t.start, t.end)
            continue
        if m is None and t.has_magnitude and t.text[:1].isdigit() and (t.end == len(s) or s[t.end] in _BOUNDARY):
            people = _HEADCOUNT_BEFORE_RE.search(s, max(0, t.start - 12), _approx_before(s, t.start)[1])
            if people:
                # 户籍人口32.6万: a population in 万 needs no measure word
                unit = "户" if people.group(1) in _HOUSEHOLD_NOUNS else "人"
                approx, st = _approx_before(s, t.start)
                if t.approx_more:
                    approx = approx or "more_than"
                lo, hi = _bounds(approx, t.value, t.text)
                yield Cand(st, t.end, t.value, lo, hi, unit, "count", approx, t.start, t.end)
                continue
        if m is None:
            m = _MORE_UNIT_AT.match(s, t.end)  # 36余个: odd, but printed (a typo is what checks look for)
            if m is None:
                continue
            loose_more = True
        unit = m.group(1)
        if _is_trap(s, t, unit):
            continue
        v = t.value
        end_unit = m.end()
        if unit == "个" and s.startswith("月", end_unit):
            unit, end_unit = "个月", end_unit + 1
        elif unit == "个" and s.startswith(("多月", "余月"), end_unit):
            unit, end_unit, more_after_unit = "个月", end_unit + 2, True  # 3个多月: over three months
        if unit == "年" and s.startswith(("级", "龄", "度", "均", "轻", "代", "初", "底", "末", "份"), end_unit):
            continue  # 5年级, 年龄, 年度: not a duration
        if (unit == "周" and s.startswith("年", end_unit)) or (unit == "位" and s.startswith("数", end_unit)):
            continue  # 建党103周年 is an anniversary, 两位数增长 a size of number: neither counts weeks or seats
        if unit == "级" and _GRADE_AFTER_RE.match(s, end_unit):
            continue  # 二级公路, 三级以上医院: a grade, not a number of levels
        if UNIT_KINDS.get(unit) == "duration" and s.startswith(("前", "后", "以前", "以后"), end_unit):
            continue  # 三年前: a point in time, not a length of time
        if unit in ("季度", "个月") and s[t.start - 1 : t.start] == "前" and s[t.start - 2 : t.start - 1] not in ("提", "此", "之", "以", "目"):
            continue  # 前三季度, 前5个月: a period of the year (a date), not a length of time
        if unit == "度" and not any(c.isdigit() for c in t.text):
            continue  # 一度 = "once"
        kind = UNIT_KINDS.get(unit, "count")
        approx, st = _approx_before(s, t.start)
        if approx is None and all(ch in _MAGNITUDE_ONLY for ch in t.text) and s[t.start - 1 : t.start] in _ROUND_BEFORE:
            approx, st = _ROUND_BEFORE[s[t.start - 1]], t.start - 1
        if t.approx_more or loose_more or more_after_unit:
            approx = approx or "more_than"
        end = end_unit
        a2 = _AFTER_RE.match(s, end)
        if a2 and not (a2.group(0) in ("多", "余") and approx):
            word = a2.group(0)
            if word in ("多", "余") and s.startswith(("万", "亿"), a2.end()):
                pass
            elif not (word == "上下" and s.startswith(("级", "游", "班"), a2.end())):
                approx, end = APPROX_AFTER[word], a2.end()
        if approx == "nearly" and kind == "duration" and s[st - 1 : st] in ("", "在", "最", *_BOUNDARY) \
                and s.startswith("近", st):
            approx, st = None, t.start  # 近三年来 opening a clause: the last three years, not nearly three
        lo, hi = _bounds(approx, v, t.text)
        if approx == "more_than" and hi is None and loose_more:
            hi = _more_high(t.text, v)  # 36余个: 多/余 before the unit, as in 36余
        elif approx == "more_than" and hi is None and (more_after_unit or s[end_unit:end] in ("多", "余", "有余")):
            # 8年多, 一百年多, 十个多月: a part of one more unit, unless the number has 万 or 亿 (3万元多)
            hi = _more_high(t.text, v) if v >= 10 and any(ch in t.text for ch in "万亿萬億") else v + 1
        yield Cand(st, end, v, lo, hi, unit, kind, approx, t.start, end_unit)
    if "半" in s:
        for m in _HALF_YEAR_RE.finditer(s):
            yield Cand(m.start(), m.end(), 0.5, None, None, m.group(1), "duration", None, m.start(), m.end())


RULES: tuple[Callable[[str, list[NumberToken]], Iterable[Cand]], ...] = (
    _rule_ranges, _rule_fractions, _rule_percents, _rule_multiples, _rule_ordinals, _rule_plain,
    _rule_named_counts,
)


# The numbered formulas of party language (四个意识, 两个维护, 八项规定) and the congresses and
# plenums (十八大, 二十届三中全会) are names: their numerals count nothing in the sentence.
_FORMULAS = """三次产业 四个意识 四个自信 两个维护 两个确立 三个代表 四个全面 两个一百年 第一个百年 第二个百年 两个大局 四个伟大
    三个务必 五个必由之路 两个结合 两个毫不动摇 三严三实 两学一做 三会一课 一岗双责 四下基层 八项规定 五级书记 十个明确
    十四个坚持 十三个方面 两个先锋队 三个区分开来 四议两公开 三重一大 两个责任""".split()
_NAMED_NUMERALS_RE = re.compile(
    "|".join(sorted(_FORMULAS, key=len, reverse=True))
    + r"|(?<![一二三四五六七八九十百千万])第?(?:十[一二三四五六七八九]|二十[一二三]?)"
    + r"(?:大(?!工程|项目|产业|行动|举措|任务|专项|板块|基地|品牌|景区)"
    + r"|届(?:[一二三四五六七八九]中全会|中央|中纪委|全国人大|全国政协|[省市县区镇乡]?(?:人大|政协|党代会|纪委|委)"
    + r"|第?[一二三四五六七八九十]+次(?:全会|全体会议|会议)))"
    + r"|(?<=届)第?[一二三四五六七八九十]+次(?:全会|全体会议|会议)")


# words that end in 负 (减负 "lighten a burden", 肩负 "shoulder"): the 负 is not a minus sign
_BURDEN_BEFORE = frozenset("减担肩胜抱辜欺背自身正不")


def _unsigned(s: str, t: NumberToken) -> NumberToken:
    """为企业减负2.3亿元: a 负 that ends a word leaves the number positive."""
    if t.text[:1] == "负" and t.start and s[t.start - 1] in _BURDEN_BEFORE:
        return t._replace(start=t.start + 1, text=t.text[1:], value=-t.value)
    return t


def find_quantities(s: str, blocked: list[tuple[int, int]] = ()) -> list[Cand]:
    """Run the rules over one normalised sentence; earlier rules claim spans first.

    >>> [(c.value, c.unit, c.kind, c.approx) for c in find_quantities("近2.4万块,不到一半,两成,增长40%")]
    [(24000.0, '块', 'count', 'nearly'), (0.5, None, 'fraction', 'less_than'), (0.2, '成', 'fraction', None), (40.0, '%', 'percent', None)]
    """
    toks = [t for t in scan(s) if not any(t.start < e and b < t.end for b, e in blocked)]
    if "负" in s:
        toks = [_unsigned(s, t) for t in toks]
    if any(t.chinese for t in toks):  # the formulas and congresses are written in Chinese numerals
        named = [m.span() for t in toks if t.chinese for m in (
            _NAMED_NUMERALS_RE.match(s, t.start - 1 if t.start and s[t.start - 1] == "第" else t.start),) if m]
        if named:
            blocked = [*blocked, *named]
            toks = [t for t in toks if not any(t.start < e and b < t.end for b, e in named)]
    if not toks and "半" not in s and "番" not in s:
        return []
    taken: list[tuple[int, int]] = list(blocked)
    out: list[Cand] = []
    for rule in RULES:
        for c in rule(s, toks):
            if any(c.start < e and b < c.end for b, e in taken):
                continue
            taken.append((c.start, c.end))
            out.append(c)
    out.sort(key=lambda c: c.start)
    return out


# ----------------------------------------------------------------------------------------------
# What is counted


def _strip_quotes(p: str) -> str:
    return p.strip("“”‘’\"'《》「」『』")


def _np_forward(s: str, i: int, limit: int = 10) -> str:
    """The noun phrase that starts at ``i``: up to a boundary, a number or a verb.

    In ``A的B`` the measure word goes with ``A`` (十个方面的新变化 -> 方面), unless ``A`` holds a
    verb: then it is a relative clause and the phrase is its head ``B``
    (12项不再需要我们完成的负面清单 -> 负面清单).

    >>> _np_forward("名优秀干部到社区锻炼", 1), _np_forward("项不再需要上级完成的负面清单,", 1)
    ('优秀干部', '负面清单')
    >>> _np_forward("个村的蔬菜错峰销售", 1)
    '村'
    """
    j = i
    if s.startswith("的", j):
        j += 1
    if j < len(s) and s[j] in "“‘\"「":
        q = s.find({"“": "”", "‘": "’", '"': '"', "「": "」"}[s[j]], j + 1)
        if 0 < q - j <= 12:
            return s[j + 1 : q]
    end = j
    while end < len(s) and end - j < 16 and s[end] not in _BOUNDARY and not s[end].isdigit():
        end += 1
    de = s.rfind("的", j, end)
    if de > j:
        head = _np_plain(s, de + 1, min(end, de + 1 + limit))
        if head:
            clause = s[j:de]
            if _STOP_RE.search(clause):
                return head
            return _np_plain(s, j, de)
    return _np_plain(s, j, min(len(s), j + limit))


def _np_plain(s: str, j: int, stop: int) -> str:
    verb = _LEAD_VERB_RE.match(s, j)
    if verb and (verb.group(0) not in _COMPOUNDING_VERBS or s[verb.end() : verb.end() + 1] in "到至了成起出为着过"):
        return ""  # 28户发展到316户: a verb follows the figure, not a noun (服务网络 is a noun)
    k = j
    while k < stop:
        c = s[k]
        if c in _BOUNDARY or c.isdigit() or (c in _CN_NUMERAL_CHARS and k > j and c not in "万千百"):
            break
        if _STOP_RE.match(s, k) and s[k - 1 : k + 1] not in _STOP_INSIDE_WORDS and not (
                k == j and s[k : k + 2] in _ZAI_WORDS):
            break  # (在职党员 opens with 在, 村民在家门口 breaks at it)
        verb = _FORWARD_VERB_RE.match(s, k) if k > j else None
        if verb and not (verb.group(0) in _COMPOUNDING_VERBS and s.startswith(_NOMINAL_HEADS, verb.end())):
            break  # 31个乡镇种植猕猴桃: the verb ends the phrase (种植大户 at the start does not)
        k += 1
    phrase = s[j:k]
    if len(phrase) > 2 and phrase[-1] in "中里内":
        phrase = phrase[:-1]
    return phrase[:-1] if phrase.endswith("的") else phrase


# words that make a verb before them part of a noun: 种植面积, 生产总值, 服务中心, 养殖大户
_NOMINAL_HEADS = tuple(
    """面积 总值 产值 总量 规模 人数 户数 能力 中心 基地 企业 主体 大户 体系 平台 场所 用地 效益 水平 成本 环节
    能手 带头人 骨干 队 站 所 室 社 组 团 岗 员 者 率 量 额""".split())
# verbs that often head a noun with the word after them (服务队, 种植面积, 培训基地)
_COMPOUNDING_VERBS = frozenset("""服务 生产 种植 养殖 培训 发展 建设 管理 经营 销售 加工 监测 检测 就业 创业 办公 活动
    救助 帮扶 治理 流转 储备 安置 调解 宣讲 巡逻 志愿 接待 办理 受理 致富""".split())
_LINK_WORDS = sorted(
    """达到 达到了 提升至 提升到 提高到 提高至 增长到 增加到 增至 降至 升至 下降到 下降至 增长 增加 提高 提升 下降 减少
    上升 实现 完成 完成了 共有 共计 累计 合计 总计 达 为 是 有 共 均 都 只 仅 已 再 又 分别 分别为 分别是 分别达到 同比 环比
    控制在 稳定在 保持在 维持在 约为 约 超 占 突破了 超过了 年均 连续 由 从
    增长了 增加了 提高了 提升了 下降了 减少了 降低了 上升了 高出 高于 低于 收窄 收窄了 扩大了 缩小了
    高达 多达 长达 最高 最多 最少 最低 仅有 只有 可达 可达到 将达到 有望达到
    上涨 上涨了 下跌 下跌了 回落 回落了 回升 回升了 下滑 下滑了 放缓 加快 扩大 缩小""".split(),
    key=len, reverse=True)
_LINK_WORD_SET = frozenset(_LINK_WORDS)
# the longest linking word that ends where the search ends (a search starts at the leftmost
# position, so among the words ending there it finds the longest)
_LINK_TAIL = re.compile("(?:" + "|".join(map(re.escape, _LINK_WORDS)) + ")$")
_LINK_MAX = max(map(len, _LINK_WORDS))
_TO_WORDS = r"(?:扩大|增加|增长|提高|提升|减少|降低|下降|上升|发展|壮大|缩减|缩小|延伸|拓展|卖|达)(?:到|至)"
_TO_TAIL = re.compile(_TO_WORDS + "$")
# the present (目前的1020名), and a base year (较2021年的50万元), standing before a figure
_NOW_WORDS = "目前|现在|如今|当前"
_BASE_YEAR = r"(?:比|较|与)\d{4}年(?:底|末|初)?"
_EARLIER_PERIOD = r"(?:上年同期|去年同期|上年度|上一?[年届期轮月]|上季度|去年|同期|前年|年初|\d{4}年)"
# 由8亿元增加到12亿元, 由2018年的1.2万元增加到2023年的1.8万元, 达到150万元,较2021年的50万元:
# two figures of one thing
_SAME_THING_GAP = re.compile(
    rf"\s*(?:(?:{_TO_WORDS}|增至|降至|升至)\s*(?:(?:{_NOW_WORDS}|\d{{4}}年(?:底|末|初)?)的)?"
    rf"|,?(?:比|较|与){_EARLIER_PERIOD}(?:底|末|初)?的)\s*")
_ZAI_WORDS = frozenset(("在校", "在职", "在岗", "在编", "在读", "在册", "在建", "在线", "在外", "在家", "在库", "在养", "在营",
                        "对外", "对口", "等级", "等次", "向日"))
# 是五年前的1.3倍, 占常住人口的21%, 不到原来的一半: the phrase before 的 is the base of the comparison
_BASE_OF = re.compile(r"(?:是|为|占(?!比)|相当于|不到|不足|超过|超出|接近)[^,;:。!?的\d最是为占]{1,12}的$")
# the earlier periods a figure is compared with (比上年, 较2020年末)
_COMPARE_TAIL = re.compile(
    rf"(?:比|较|高于|低于)(?:{_EARLIER_PERIOD}|(?:全国|全省|全市|全县)?平均水平|全国|全省|全市"
    rf"|[\u4e00-\u9fff]{{1,6}}?[省市县区镇乡村])(?:末|底|初)?(?:高出|低出|高|低|多|少)?$")
# 2019年的860名, 目前的1020名: when the figure holds, between it and what it counts
_TIME_OF_TAIL = re.compile(
    rf"(?:{_BASE_YEAR}|(?:由|从|比|较|与)?(?:{_EARLIER_PERIOD}(?:底|末|初)?|{_NOW_WORDS}|最初|起初|当初|原来))的$")


# words that open a part of what the figure before counts (其中9个, 另有4个)
_PART_WORDS = "其中|另有|另外|另|还有|此外"
_CONNECTIVE_RE = re.compile(rf"(?:{_PART_WORDS}|包括)(?:有)?")


_DURATION_CLOSE_RE = re.compile(r"^(?:以来|来|间|里|内)")
_LEADING_LINK_RE = re.compile(r"^(?:其中|的|和|及|与)")
_LEADING_ADVERB_RE = re.compile(r"^(?:特别是|尤其是|但是|而且|已经|正在|将|已|正(?![式常规确当面高])|再|又|还)")


def _np_backward(s: str, i: int, limit: int = 16, floor: int = 0) -> str:
    """The noun phrase that ends right before position ``i`` (a post-posed count: 党支部549个).

    >>> _np_backward("全县实现地区生产总值386亿元", 10), _np_backward("组织开展志愿服务2100余场", 8)
    ('地区生产总值', '志愿服务')
    """
    j = i
    # step back over approx words, comparisons and linking verbs between the phrase and the number
    while j > floor:
        m = _BEFORE_RE.search(s[max(0, j - 3) : j])
        if m and not (m.group(0) == "约" and _yue_in_word(s, j - 1)):
            j -= len(m.group(0))
            continue
        m = _COMPARE_TAIL.search(s, max(0, j - 10), j) or _TO_TAIL.search(s, max(0, j - 4), j) \
            or _TIME_OF_TAIL.search(s, max(0, j - 8), j)
        if m:
            j = m.start()
            continue
        m = _LINK_TAIL.search(s, max(0, j - _LINK_MAX), j)
        if m is None or (m.group(0)[0] == "约" and _yue_in_word(s, m.start())):
            break
        j = m.start()
    if j > 0 and s[j - 1] in "”’\"」":
        q = s.rfind({"”": "“", "’": "‘", '"': '"', "」": "「"}[s[j - 1]], 0, j - 1)
        if q >= 0 and j - 1 - q <= 12:
            return s[q + 1 : j - 1]
    k = j
    while k > floor and j - k < limit:
        c = s[k - 1]
        if c.isdigit() and k < j and (s[k] in _ASCII_LETTERS or (s[k] == "后" and c == "0")):
            while k > floor and s[k - 1].isdigit():
                k -= 1  # 5G基站, 100kW电站, 90后村干部: the number belongs to a code, a rating or a generation
            continue
        if c in _BOUNDARY or c.isdigit() or (c in "年月日" and k >= 2 and s[k - 2].isdigit()):
            break
        k -= 1
    phrase = s[k:j]
    if k == floor and floor:
        phrase = _DURATION_CLOSE_RE.sub("", phrase)  # 三年间村集体收入: 间 closes the duration
    while phrase and phrase[-1] in "在都均的为是了由从":
        phrase = phrase[:-1]  # 35岁以下的占78%: a lone 的 counts nothing
    if len(phrase) > 2 and phrase[-1] in "中里内":
        phrase = phrase[:-1]  # 39个乡镇中: the locative is not part of the thing counted
    # cut after each verb that leaves a phrase behind, unless the verb heads a noun (生产总值,
    # 服务队): 全县实现地区生产总值 -> 地区生产总值, 组织开展志愿服务 -> 志愿服务, 结对包联重点村 -> 重点村
    best = phrase
    for m in _LEAD_VERB_RE.finditer(phrase):
        rest = phrase[m.end() :]
        if (m.group(0) in _COMPOUNDING_VERBS and rest.startswith(_NOMINAL_HEADS)) or (m.group(0) == "建成" and phrase.startswith("区", m.end())):
            continue  # 建成区面积: the verb and 区 are a noun
        if len(rest) >= 2 and rest in _NOMINAL_HEADS and m.group(0) not in _LINK_WORD_SET:
            rest = phrase[m.start() :]  # 日处理能力 -> 处理能力: a bare head keeps its verb (实现产值 does not)
        elif rest.startswith("后") and not rest.startswith(("后备", "后勤", "后续", "后期")):
            rest = rest[1:]  # 建成后年产值: 后 closes the verb (建成后), it opens no 后年
        if len(rest) >= 2 and len(rest) < len(best):
            best = rest
    for stop in ("在", "等", "了", "的", "把", "对", "向", "让", "到"):
        p = best.rfind(stop)
        if best[p : p + 2] in _ZAI_WORDS:
            continue  # 在校学生, 对外贸易额: the character opens a word, it is no preposition
        if 0 <= p and len(best) - p - 1 >= 2:
            best = best[p + 1 :]
    if _CONNECTIVE_RE.fullmatch(best):
        return ""  # 其中9个, 另有4个: a part of what the figure before counts (the caller shares it)
    best = _LEADING_LINK_RE.sub("", best) or best
    each = _PER_UNIT_RE.search(best) if "每" in best else None
    while each and _PER_UNIT_RE.match(best, each.end()):
        each = _PER_UNIT_RE.match(best, each.end())  # 每户每年可增收: both 每 go
    if each and len(best) - each.end() >= 2 and not best.startswith("每", each.end()):
        return _LEADING_ABLE_RE.sub("", best[each.end():])  # (村里)每亩补贴1500元: 补贴, per mu (the per column)
    if best.startswith("每"):
        return ""  # 每组都有5户: the figure is per group (the per column), not a count of groups
    best = _LEADING_ADVERB_RE.sub("", best) or best
    return _LEADING_TIME_RE.sub("", best)  # 发展到如今的316户: a time word alone counts nothing


def _counted(s: str, c: Cand, prev: tuple[Cand, str | None] | None,
             nxt: Cand | None = None, floor: int = 0) -> tuple[str | None, str]:
    """What a figure counts, and how it was found: "fwd" (the phrase after it), "back" (before
    it), "shared" (from a neighbouring figure) or "" (nothing, or left to the next figure).

    ``floor`` is where the figure before ``prev`` ends."""
    if c.kind in ("duration",):
        return None, ""
    after = c.end
    fwd = _np_forward(s, after) if c.kind in ("count", "measure", "ordinal", "age") else ""
    if fwd and c.unit in _PEOPLE_UNITS and s.startswith("的", after):
        # 解决12万人的饮水问题: what the people have is not what the figure counts, nor is 解决
        back = _np_backward(s, c.start, floor=prev[0].end if prev else 0)
        if not back or (back in _LEAD_VERB_SET and back not in _ACTIVITY_VERBS):
            return None, ""
        return _strip_quotes(back) or None, "back"
    back = None  # the phrase before the figure, read once when needed
    if c.kind in ("percent", "fraction") and s.startswith("的", after):
        # 全县80%以上的农户: what follows is counted, when nothing but a place stands before
        # (完成率达到100%的乡镇 keeps 完成率)
        back = _np_backward(s, c.start, floor=prev[0].end if prev else 0)
        if len(back) <= 1 or _LEVEL_PREFIX_RE.fullmatch(back):
            fwd = _np_forward(s, after)
    if not fwd and c.kind in ("count", "age"):
        cm = _COPULA_RE.match(s, after)
        if cm:
            dm = _DETERMINER_RE.match(s, cm.end())
            fwd = _np_forward(s, dm.end() if dm else cm.end(), 14)
    if not fwd and nxt is not None and nxt.start == c.end and c.kind == "count" and nxt.kind in ("age", "measure"):
        fwd = _np_forward(s, nxt.end)  # 126名25岁至40岁的优秀年轻干部: an age modifies the counted thing
    if fwd:
        return _strip_quotes(fwd) or None, "fwd"
    # coordination (五级、四级组织框架) is settled by the caller once the next figure is read
    if s.startswith(("、", "和", "及"), after):
        return None, ""
    # an adjacent figure (7批次626名), or the next of a series (分别达到42650元、21380元),
    # shares the phrase of the one before
    if prev and (prev[0].end == c.start or (prev[0].end == c.start - 1 and s[c.start - 1] in "、和及与"
                                            and prev[0].unit == c.unit)):
        return prev[1], "share"
    if back is None:
        back = _np_backward(s, c.start, floor=prev[0].end if prev else 0)
    base = _BASE_OF.search(s, max(0, c.start - 16), c.start) if back and c.kind in (
        "multiple", "percent", "fraction") else None
    if base:
        # 老年人口占总人口的21%: what stands before 占 is counted; with nothing there (收入100万元,
        # 是五年前的2倍) the figure before it
        subject = _np_backward(s, base.start(), floor=prev[0].end if prev else 0) \
            if s.startswith(("是", "为", "占", "相当于"), base.start()) else ""
        if subject and subject not in _LEAD_VERB_SET:
            return _strip_quotes(subject) or None, "back"
        return (prev[1], "share") if prev else (None, "")
    if back in _LEAD_VERB_SET and back not in _ACTIVITY_VERBS and prev and prev[1] and prev[0].unit == c.unit:
        return prev[1], "share"  # 排查矛盾纠纷420件,化解398件: what was done to the same things
    if back in ("占比", "比重", "比例") and prev and c.kind == "percent" \
            and not _COMPARE_WORD_RE.search(s, s.rfind(back, 0, c.start) + len(back), c.start):
        return prev[1], "share"  # 水田2.4万亩,占比75%: the share is of what the figure before counts
        # (占比较上年提高2.3个百分点 is a change of the share)
    if back:
        return _strip_quotes(back) or None, "back"
    if prev and prev[0].kind == "duration" and not _CLAUSE_END_RE.search(s, prev[0].end, c.start):
        # 粮食总产量连续4年稳定在60万吨以上: the phrase stands before the duration
        back = _np_backward(s, prev[0].start, floor=floor)
        if back:
            return _strip_quotes(back) or None, "back"
    if prev and prev[0].unit == c.unit and _SAME_THING_GAP.fullmatch(s, prev[0].end, c.start):
        return prev[1], "share"  # 收入由8亿元增加到12亿元: both figures are of the same thing
    if prev and prev[0].unit == c.unit and _CHANGE_LEAD_RE.search(s, prev[0].end, c.start):
        return prev[1], "share"  # 社员达到320户,比上年增加80户: the change is of the same thing
    if prev and prev[0].unit == c.unit and _PART_LEAD_RE.search(s, prev[0].end, c.start):
        return prev[1], "share"  # 服务站7个,其中5个在山区: the part counts what the whole does
    if prev and (prev[0].unit == c.unit or prev[0].kind in ("multiple", "percent")) \
            and _RESTATE_LEAD_RE.search(s, prev[0].end, c.start) \
            and sum(s.count(x, prev[0].end, c.start) for x in ",;") == 1:
        return prev[1], "share"  # 亩产比去年提高了50公斤,达到650公斤: the clause goes on about the same thing
    if prev and c.kind in ("multiple", "percent", "fraction"):
        return prev[1], "share"  # 收入突破80万元,较2018年增长2.5倍: the growth is of the same thing
    return None, ""


# a clause that holds only a change, against a time or not: ,比上年增加80户 / ,同比减少12家
_CHANGE_LEAD_RE = re.compile(
    rf"[,;]\s*(?:(?:同比|环比|(?:比|较){_EARLIER_PERIOD}(?:末|底|初)?)?净?(?:增加|减少|增长|下降|提高|降低)了?"
    r"|(?:比|较|高于|低于)[^,;:。\d]{1,8}?(?:高出|低出|多出|少出|高|低|多|少)了?)\s*(?:约|近|超过)?$")
_PART_LEAD_RE = re.compile(rf"[,;]\s*(?:{_PART_WORDS})(?:有)?\s*(?:[\u4e00-\u9fff]{{1,6}}?[市县区镇乡村](?:有|为)?)?$")
# a clause that only states where the thing of the clause before now stands: ,达到650公斤
_RESTATE_LEAD_RE = re.compile(
    r"[,;]\s*(?:已|已经|并|再|又|更|总计|累计)?(?:达到|达|增至|升至|降至|提高到|提高至|提升到|提升至|增加到|增长到|"
    r"突破|超过|为)\s*$")
_COMPARE_WORD_RE = re.compile(r"[较比]")
_PER_RE = re.compile(r"每(?:一)?(?:个|名|位|家|户|所|支)?([^\s,;:。、的都均]{1,6}?)(?:的|都|均|平均|,)")
# 每亩补贴1500元, 每户增收3000元: a measure word after 每, and the figure's own words after it
_PER_UNIT_RE = re.compile(r"每(?:一)?(?:个)?(亩|户|人|村|吨|斤|公斤|平方米|年|月|天)(?=[\u4e00-\u9fff])")


_PER_TIMES = frozenset(("年", "月", "天", "日", "周", "次"))
_LEADING_ABLE_RE = re.compile(r"^(?:可|能|将|再|还)(?=..)")


def _per(s: str, c: Cand) -> str | None:
    """The unit a figure holds for each of, when the clause says so: 每个党小组的党员都超过6人.

    >>> s = "每个小组的成员都超过5人"
    >>> _per(s, find_quantities(s)[0])
    '小组'
    """
    k = c.start
    if s.rfind("每", 0, k) < 0:
        return None
    while k > 0 and s[k - 1] not in ",;。!?":
        k -= 1
    m = None
    for m in _PER_RE.finditer(s, k, c.start):
        pass
    if m is None or m.group(1) in _PER_TIMES:
        # the last 每 that is not of a time: 每户每年可增收5000元 is per household
        units = [u for u in _PER_UNIT_RE.finditer(s, k, c.start) if u.group(1) not in _PER_TIMES]
        m = units[-1] if units else None
    return m.group(1) if m else None


# ----------------------------------------------------------------------------------------------
# Lists that spell out a stated count: 三项改革: A、B、C


_LIST_SEP = re.compile(r"[、—/+]|(?<=.)(?:和|及|以及)(?=.)")
_LIST_OPEN = {"”": "“", "’": "‘", "」": "「", "』": "『", '"': '"'}
_ONE_EACH = re.compile(r"(?:^|[,;])\s*(?:一|另一)(?:个|家|项|条|张|是)")


_LIST_LEAD_RE = re.compile(r"^.{0,6}?(?:通过|围绕|包括|推进|推动|实施|开展|实行|坚持|聚焦|列举了|列举|涵盖|采取|针对|对标)")


# a list that qualifies or sources the figure rather than naming its items:
# 来自北京、上海的12名专家, 从教育、卫生系统选派5名, 从单位、企业中吸纳了28名
_LIST_IS_MODIFIER = re.compile(r"(?:从|来自|由)|的$|中$|(?:选派|吸纳|抽调|招募|选拔|推荐|派出)了?$")


_LIST_MARK_RE = re.compile(r"[、—/+]")
_LIST_AFTER_RE = re.compile(r"\s*(?::|,?(?:分别是|分别为|即|包括|包含|涵盖))\s*")


def _split_items(seg: str, stated: int | None = None) -> list[str]:
    """The items of a list. 和/及 join two items, or two words of one item (防腐蚀及建筑新材料):
    when the list is one longer than ``stated`` with them, and as long without, they join words."""
    items = [x for x in _LIST_SEP.split(seg) if x.strip()]
    if stated is not None and len(items) == stated + 1:
        marked = [x for x in _LIST_MARK_RE.split(seg) if x.strip()]
        if len(marked) == stated:
            return marked
    return items


def find_list(s: str, c: Cand, counted: str | None, cands: list[Cand], following: str = ""
              ) -> tuple[int, bool, str] | None:
    """The items listed for a small stated count, as (how many, ends with 等, the list text).

    >>> s = "通过人才回流、资金下沉、服务下放三项改革,村里变了"
    >>> c = find_quantities(s)[0]
    >>> find_list(s, c, "改革", [c])
    (3, False, '人才回流、资金下沉、服务下放')
    >>> s = "成立了4个服务队:巡逻队、保洁队、宣讲队。"
    >>> c = find_quantities(s)[0]
    >>> find_list(s, c, "服务队", [c])
    (3, False, '巡逻队、保洁队、宣讲队')
    >>> s = "镇里推出四项举措。"
    >>> c = find_quantities(s)[0]
    >>> find_list(s, c, "举措", [c], "一是建队伍;二是筹资金;三是办培训。")
    (3, False, '一是、二是、三是')
    """
    if c.kind != "count" or c.value is None or not (2 <= c.value <= 30) or c.value != int(c.value):
        return None
    others = [o for o in cands if o is not c]
    # a list right before the number: A、B、C三项 / “A—B—C”四级 / A、B等6家
    j = c.num_start if c.start == c.num_start else c.start
    partial = False
    if s.endswith("等", 0, j):
        partial, j = True, j - 1
    seg = None
    if j > 0 and s[j - 1] in _LIST_OPEN:
        q = s.rfind(_LIST_OPEN[s[j - 1]], 0, j - 1)
        if q >= 0:
            seg, seg_start = s[q + 1 : j - 1], q + 1
    if seg is None:
        k = j
        while k > 0 and s[k - 1] not in ",;:。!?“‘(":
            k -= 1
        seg, seg_start = s[k:j], k
    if seg and _LIST_MARK_RE.search(seg) and not _LIST_IS_MODIFIER.search(seg) and not any(seg_start <= o.start < seg_start + len(seg) for o in others):
        items = _split_items(seg, int(c.value))
        if len(items) >= 2:
            return len(items), partial, _LIST_LEAD_RE.sub("", seg)
    # a list after the counted phrase: 4个服务队: A、B、C / 分别是A、B和C
    after = c.end + (len(counted) if counted and s.startswith(counted, c.end) else 0)
    m = _LIST_AFTER_RE.match(s, after)
    if m and counted:
        rest = s[m.end():]
        end = min([i for i in (rest.find("。"), rest.find(";"), len(rest)) if i >= 0])
        seg = rest[:end].rstrip("。;")
        partial = seg.endswith("等") or "等" in seg[-3:]
        seg = seg.rstrip("等")
        if not any(after <= o.start < m.end() + end for o in others):
            items = _split_items(seg, int(c.value))
            if len(items) >= 2:
                return len(items), partial, seg
    # 两个小程序,一个用于……,一个用来……
    tail = s[c.end:]
    ones = _ONE_EACH.findall(tail)
    if len(ones) >= 2:
        return len(ones), False, tail.strip(",")
    # 三张清单。……的履职清单,……的赋能清单,……的负面清单: the next sentence names each one
    head = counted[-2:] if counted and len(counted) >= 2 else None
    if head and following:
        nxt = following.split("。")[0].strip()
        clauses = [x.strip("”’\"」 ") for x in re.split(r"[,、;]", nxt)]
        run = 0
        for clause in clauses:
            if clause.endswith(head) and len(clause) > len(head):
                run += 1
            elif run:
                break
        if run >= 2 and run == sum(1 for x in clauses if x.endswith(head) and len(x) > len(head)):
            return run, False, nxt
    # 三项举措:一是……;二是……;三是……  (the markers may run on through the paragraph)
    if re.match(r"\s*[^,。;]{0,12}?(?::|,|。)?\s*(?:一是|第一)", s[after:] + following):
        rest = s[after:] + following
        n = 0
        for k, word in enumerate(_ORDINAL_MARKERS, 1):
            if word in rest or ("第" + word[0]) in rest:
                n = k
            else:
                break
        if n >= 2:
            return n, False, "、".join(_ORDINAL_MARKERS[:n])
    return None


_ORDINAL_MARKERS = ("一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是")


# ----------------------------------------------------------------------------------------------
# Places


@dataclass(frozen=True)
class _PlaceRef:
    pos: int  # view offset
    name: str
    level: int
    province: str | None
    city: str | None
    county: str | None
    pointer: bool = False  # a word that points at a place already named (全县, 村里), not a name


def _place_refs(text: str, gazetteer: Gazetteer | None, default: _PlaceRef | None
                ) -> tuple[list[_PlaceRef], list[tuple[int, int]]]:
    """Place mentions of a text: names from the gazetteer, and words that point at a level of
    the places already named (全省 -> the paper's province; 全县, 县里 -> the county last named;
    全村, 村里 -> the village last named); and the spans of the names, in order."""
    refs: list[_PlaceRef] = []
    spans: list[tuple[int, int]] = []
    if gazetteer is not None:
        for pm in gazetteer.find(text, [default] if default is not None else ()):
            if len(pm.text) == 2 and pm.text[0] == "全" and pm.text[1] in "省市县区州镇乡村":
                continue  # 全州 is the whole prefecture, not 全州县
            p = pm.place
            refs.append(_PlaceRef(pm.start, p.name, p.level, p.province, p.city, p.county))
            spans.append((pm.start, pm.end))
    pointers: list[_PlaceRef] = []
    for level, rx in _LEVEL_WORDS:
        for m in rx.finditer(text):
            if level == 0:
                # the paper's province, else the province of the place last named
                province = default
                if province is None and m.group() in _WHOLE_PROVINCE:
                    named = [r for r in refs if r.pos < m.start() and r.province]
                    if named:
                        province = _PlaceRef(0, named[-1].province, 0, named[-1].province, None, None)
                if province is not None:
                    pointers.append(replace(province, pos=m.start(), pointer=True))
                    spans.append(m.span())
                continue
            named = [r for r in refs if r.pos < m.start()] or ([default] if default is not None else [])
            ref = _at_level(named, level)
            if ref is not None:
                pointers.append(replace(ref, pos=m.start(), pointer=True))
                spans.append(m.span())
    # a name that starts inside a number (八百户村 in 一千八百户村民) is the gazetteer's misreading
    named_spans = [(a, b) for a, b in spans[: len(refs)]
                   if not (a and (text[a - 1].isdigit() or text[a - 1] in _CN_NUMERAL_CHARS))]
    for m in _NATION_RE.finditer(text):
        pointers.append(replace(_NATION, pos=m.start()))
        spans.append(m.span())
    refs.extend(pointers)
    refs.sort(key=lambda r: r.pos)
    return _subjects_only(text, refs, dict(spans)), named_spans


_WHOLE_PROVINCE = frozenset(("全省", "本省", "我省"))
# the whole country (全国粮食总产量13908亿斤): a place no row names; not the honours and bodies
# named after it (全国文明村, 全国人大代表), which say nothing of where a figure is
_NATION_RE = re.compile(
    r"全国(?!人大|政协|劳模|劳动模范|优秀|先进|文明|示范|重点|百强|十佳|首批|第|各地|一盘棋|范围|性|统一|首个|首家|唯一|"
    r"最|率先|领先|前列|排名|乡村|美丽|生态|民主|卫生|科普|综合|农业|休闲|特色|一村一品|绿化|巾帼|五一|三八|青年|红旗)")
_NATION = _PlaceRef(0, "全国", -1, None, None, None, pointer=True)


# a place named as an origin, a destination, a model or a yardstick (向广东输送, 来自武汉市的游客,
# 借鉴安吉县经验, 居全省前列, 比全省平均水平): not the place the figures are about (占全镇的: the whole
# the figure is drawn from, is its place)
_NOT_SUBJECT_BEFORE = re.compile(r"(?:向|往|赴|来自|借鉴|学习|对标|对接|高于|低于|比|较|超过|居|位居|位列)$")
_PLACE_LIST_GAP = re.compile(r"[、和及与]")


def _subjects_only(text: str, refs: list[_PlaceRef], ends: dict[int, int]) -> list[_PlaceRef]:
    """``refs`` without the places that are named in another role than the subject's; the
    places listed after one of them (向广东、浙江等地) share its role."""
    out: list[_PlaceRef] = []
    dropped_end = -1
    for r in refs:
        if _NOT_SUBJECT_BEFORE.search(text, max(0, r.pos - 2), r.pos) or (
                dropped_end >= 0 and _PLACE_LIST_GAP.fullmatch(text, dropped_end, r.pos)):
            dropped_end = ends.get(r.pos, r.pos + len(r.name))
            continue
        out.append(r)
    return out


def _at_level(named: list[_PlaceRef], level: int) -> _PlaceRef | None:
    """The place at ``level`` that the latest of ``named`` lies in (or is)."""
    for r in reversed(named):
        if level == 1 and r.level == 2 and r.name.endswith("市"):
            return r  # 英德市…全市: a county-level city is its own 全市
        if level == 1 and r.city:
            return _PlaceRef(0, r.city, 1, r.province, r.city, None)
        if level == 2 and r.county:
            return _PlaceRef(0, r.county, 2, r.province, r.city, r.county)
        if level in (3, 4) and r.level == level:
            return r  # 村里: the village last named, even if a county was named since
    return None


def _clause_start(sent: str, at: int) -> int:
    """Where the clause holding position ``at`` of a normalised sentence starts."""
    return max(sent.rfind(",", 0, at), sent.rfind(";", 0, at), sent.rfind(":", 0, at)) + 1


def _national_in_clause(sent: str, s0: int, at: int, para_before: list[_PlaceRef], in_sent: list[_PlaceRef],
                        para_after: list[_PlaceRef]) -> tuple[list[_PlaceRef], ...]:
    """The mentions a figure at ``at`` (a sentence offset) may take its place from, when the text
    names the country: the country only when named in the figure's own clause (全国粮食总产量
    13908亿斤), not when it qualifies something else (嘉鱼县是全国产粮大县,去年粮食产量52万吨)."""
    clause = s0 + _clause_start(sent, at)
    return ([r for r in para_before if r.level >= 0],
            [r for r in in_sent if r.level >= 0 or clause <= r.pos < s0 + at],
            [r for r in para_after if r.level >= 0])


def _pick_place(para_before: list[_PlaceRef], in_sent: list[_PlaceRef], para_after: list[_PlaceRef],
                pos: int, carried: _PlaceRef | None) -> _PlaceRef | None:
    """The place a figure is about, as a reader would take it: the nearest mention before it in
    its sentence, else the first in its sentence, else the nearest before it in the paragraph,
    else the first after it in the paragraph (a quote's attribution), else the place carried
    over from earlier paragraphs."""
    before = [r for r in in_sent if r.pos < pos]
    if before:
        return _most_specific_tail(before)
    if in_sent:
        head = _most_specific_head(in_sent)
        known = _most_specific_tail(para_before) if para_before else carried
        if known is not None and known.level >= 0 and not head.pointer and head.level > known.level \
                and _lies_in(head, known):
            # 粮食总产量达到52万吨,其中潘家湾镇18万吨: a place inside the one already in force,
            # named after the figure, is a part's place
            return known
        return head
    if para_before:
        return _most_specific_tail(para_before)
    if para_after:
        return _most_specific_head(para_after)
    return carried


def _lies_in(inner: _PlaceRef, outer: _PlaceRef) -> bool:
    """Whether ``inner`` lies in ``outer``, as far as their province, city and county tell."""
    return all(getattr(inner, k) == getattr(outer, k) for k in ("province", "city", "county")[: outer.level + 1]
               if getattr(outer, k) is not None)


def _most_specific_tail(refs: list[_PlaceRef]) -> _PlaceRef:
    """The last mention, or the most specific one of the chain it ends."""
    last = refs[-1]
    return last


def _most_specific_head(refs: list[_PlaceRef]) -> _PlaceRef:
    """The first chain of mentions, read to its most specific member."""
    chain = [refs[0]]
    for r in refs[1:]:
        if r.level > chain[-1].level and r.pos - chain[-1].pos <= 8:
            chain.append(r)
        else:
            break
    return chain[-1]


# ----------------------------------------------------------------------------------------------
# Documents and articles


def _hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def article_id_for(source_path: str, part: int, ordinal: int) -> str:
    """Stable id of an article: its file, its JSONL line (0 otherwise) and its place in the file."""
    return _hash("article", source_path, part, ordinal)


def fact_id_for(article_id: str, source_start: int) -> str:
    """Stable id of a fact: its article and where it starts in the source."""
    return _hash("fact", article_id, source_start)


@dataclass(frozen=True)
class Context:
    """What the extractor knows of a document besides its text."""

    source_path: str = "<text>"
    part: int = 0
    title: str | None = None
    published: date | None = None
    source: str | None = None
    content_sha256: str = ""


@dataclass
class Plan:
    """A document cut into articles, ready for extraction (picklable, for worker processes)."""

    articles: list[Article]
    segments: list[Segment]
    defaults: list[_PlaceRef | None]


def plan_document(text: str, ctx: Context = Context(), gazetteer: Gazetteer | None = None) -> Plan:
    """Cut a document into its articles and captions, and settle its publication date."""
    norm_all = normalise(text)
    published = ctx.published
    inferred = False
    if published is None:
        published = _dates.infer_published(norm_all)
        inferred = published is not None
    default = _default_place(ctx, norm_all, gazetteer)
    plan = Plan([], [], [])
    for ordinal, seg in enumerate(split_page(text)):
        aid = article_id_for(ctx.source_path, ctx.part, ordinal)
        title = seg.title or (ctx.title if ordinal == 0 else None)
        seg_default = default
        if seg.byline and gazetteer is not None and hasattr(gazetteer, "province_for_prefix"):
            p = gazetteer.province_for_prefix(seg.byline)
            if p is not None:
                seg_default = _PlaceRef(0, p.name, p.level, p.province, p.city, p.county)
        plan.articles.append(Article(
            article_id=aid, source_path=ctx.source_path, part=ctx.part, ordinal=ordinal, kind=seg.kind,
            title=title, byline=seg.byline, start=seg.start, end=seg.end,
            body_start=seg.body.to_source(0) if seg.body.text else seg.start,
            published_date=published.isoformat() if published else None,
            published_date_inferred=inferred, text=text[seg.start : seg.end],
            content_sha256=ctx.content_sha256,
        ))
        plan.segments.append(seg)
        plan.defaults.append(seg_default)
    return plan


def extract_planned(text: str, plan: Plan, gazetteer: Gazetteer | None = None) -> Extraction:
    """Facts, dates and listed enumerations of the articles of a planned document."""
    out = Extraction()
    for art, seg, default in zip(plan.articles, plan.segments, plan.defaults):
        published = date.fromisoformat(art.published_date) if art.published_date else None
        out.articles.append(art)
        body_facts, body_dates, first_place, enums = _extract_view(
            text, seg.body, art.article_id, published, gazetteer, default, in_title=False)
        title_facts: list[Fact] = []
        if seg.title_view.text:
            title_facts, title_dates, _, title_enums = _extract_view(
                text, seg.title_view, art.article_id, published, gazetteer, first_place or default, in_title=True)
            body_dates = title_dates + body_dates
            enums = title_enums + enums
        out.enumerations.extend(enums)
        facts = title_facts + body_facts
        out.facts.extend(facts)
        out.dates.extend(body_dates)
    return out


def extract_document(text: str, ctx: Context = Context(), gazetteer: Gazetteer | None = None) -> Extraction:
    """Cut a document into articles and extract their facts and dates.

    Offsets in the result index ``text``.
    """
    return extract_planned(text, plan_document(text, ctx, gazetteer), gazetteer)


def _default_place(ctx: Context, norm: str, gazetteer: Gazetteer | None) -> _PlaceRef | None:
    if gazetteer is None or not hasattr(gazetteer, "province_for_prefix"):
        return None
    for s in (ctx.source, norm[:300]):
        if s:
            p = gazetteer.province_for_prefix(s)
            if p is not None:
                return _PlaceRef(0, p.name, p.level, p.province, p.city, p.county)
    return None


def _extract_view(text: str, view: View, aid: str, published: date | None, gazetteer: Gazetteer | None,
                  default: _PlaceRef | None, *, in_title: bool):
    s_all = normalise(view.text)
    date_matches = _dates.find_dates(s_all, published)
    date_starts = [d.start for d in date_matches]
    dates_out = []
    for d in date_matches:
        a, b = view.span_to_source(d.start, d.end)
        dates_out.append(DateMention(aid, text[a:b], a, b, d.date_from, d.date_to, d.year, d.base))
    refs, named_spans = _place_refs(s_all, gazetteer, default)
    named_starts = [a for a, _ in named_spans]
    ref_pos = [r.pos for r in refs]
    ref_names = {r.name for r in refs}
    placed = [r for r in refs if r.level >= 0]
    first_place = _most_specific_head(placed) if placed else None
    nation_named = len(placed) < len(refs)
    facts: list[Fact] = []
    enums: list[dict] = []
    carried = default
    paragraphs = _paragraphs(s_all)
    para_starts = [a for a, _ in paragraphs]
    sents = sentences(s_all)
    for si, (s0, s1) in enumerate(sents):
        sent = s_all[s0:s1]
        d0, d1 = bisect_left(date_starts, s0), bisect_left(date_starts, s1)
        sent_dates = date_matches[d0:d1]
        r0, r1 = bisect_left(ref_pos, s0), bisect_left(ref_pos, s1)
        # dates, and place names that hold a numeral (五家子村, 八户村), are no figures
        n0, n1 = bisect_left(named_starts, s0), bisect_left(named_starts, s1)
        cands = find_quantities(sent, [(d.start - s0, d.end - s0) for d in sent_dates]
                                + [(a - s0, b - s0) for a, b in named_spans[n0:n1]])
        if cands:
            para = paragraphs[bisect_right(para_starts, s0) - 1] if paragraphs else (s0, s1)
            p0 = bisect_left(ref_pos, para[0])
            p1 = bisect_left(ref_pos, para[1])
            counted_list, how_list = _counted_all(sent, cands)
            spread = _spread_overrides(sent, cands, counted_list, how_list, sent_dates, s0, refs[r0:r1], ref_names) if "分别" in sent else {}
            for i, (counted, _, _) in spread.items():
                if counted is not None:
                    counted_list[i] = counted
            sa, _ = view.span_to_source(s0, s1)
            sentence = view.text[s0:s1]
            following = s_all[s1 : s1 + 2000]
            for ci, (c, counted) in enumerate(zip(cands, counted_list)):
                if counted is not None:
                    counted = _TIME_WORDS_RE.sub("", _strip_place_prefix(counted, ref_names)) or counted
                    if counted in ref_names or _LEVEL_PREFIX_RE.fullmatch(counted):
                        counted = None  # 全村共268户: a place, not what the figure counts
                mentions = (refs[p0:r0], refs[r0:r1], refs[r1:p1])
                if nation_named:
                    mentions = _national_in_clause(sent, s0, c.start, *mentions)
                place = _pick_place(*mentions, s0 + c.start, carried)
                if in_title and place is None:
                    place = default
                year, year_end = _year_before(s_all, sent_dates, s0 + c.start, s0)
                if year is not None and any(
                        year_end <= s0 + w.start <= s0 + c.start and sent.startswith(("来", "以来"), w.end)
                        for w in cands if w.kind == "duration"):
                    year = None  # 今年以来,…半年来累计清理近2.4万块: the last half year, across years
                clause = _clause_start(sent, c.start)
                if year is not None and _NOW_RE.search(s_all, max(year_end, s0 + clause), s0 + c.start):
                    year = None  # 由2019年的860名增至目前的1020名: the year ends at 目前
                if spread and ci in spread:
                    _, own_place, own_year = spread[ci]
                    place = own_place or place
                    year = own_year or year
                a, b = view.span_to_source(s0 + c.start, s0 + c.end)
                facts.append(Fact(
                    fact_id=fact_id_for(aid, a), article_id=aid, surface=text[a:b], source_start=a, source_end=b,
                    value=c.value, value_low=c.low, value_high=c.high, unit=c.unit, kind=c.kind, approx=c.approx,
                    counted=counted, place=place.name if place and place.level >= 0 else None, year=year,
                    sentence=sentence, sentence_start=sa, sentence_offset=c.start, in_title=in_title,
                    place_level=place.level if place and place.level >= 0 else None,
                    place_province=place.province if place else None, place_city=place.city if place else None,
                    place_county=place.county if place else None, per=_per(sent, c),
                    prefix=sent[max(0, c.start - 4) : c.start], suffix=sent[c.end : c.end + 4],
                ))
                listed = find_list(sent, c, counted, cands, following)
                if listed is not None:
                    items, partial, item_text = listed
                    enums.append({"fact_id": facts[-1].fact_id, "items": items, "partial": partial,
                                  "item_text": item_text})
        placed = [r for r in refs[r0:r1] if r.level >= 0]  # the country is not carried to later sentences
        if placed:
            carried = _most_specific_tail(placed)
    return facts, dates_out, first_place, enums


# 2018年以来, 2020年脱贫摘帽以来: since a date or an event of it
_SINCE_AFTER_RE = re.compile(r"[^,;:。!?\d]{0,8}?以来")


def _year_before(s_all: str, sent_dates: list, pos: int, s0: int) -> tuple[int | None, int]:
    """The year the dates of a sentence fix for a figure at ``pos``, and where the date that fixed
    it ends. A span of years (2019年至2022年) and a running total since an earlier year
    (2018年以来) fix no single year; 今年以来 is this year."""
    year, year_end = None, s0
    for d in sent_dates:
        if d.base and s_all[d.end : pos] == "的" and d.year is not None:
            year, year_end = d.year, d.end  # 较2021年的50万元: the base's own figure
            continue
        if d.start >= pos or d.base or not (d.date_from and d.date_to):
            continue
        if s_all[d.start - 1 : d.start] in ("由", "从") and s_all[d.end : d.end + 1] == "的" \
                and not _BEFORE_RE.fullmatch(s_all, d.end + 1, pos) and d.end + 1 < pos:
            continue  # 由2018年的3万元增加到80万元: the year is the first figure's only
        if _SINCE_AFTER_RE.match(s_all, d.end) and d.surface not in ("今年", "本年", "当年"):
            year, year_end = None, d.end
        elif d.year is not None and d.date_from[:4] == d.date_to[:4]:
            year, year_end = d.year, d.end
        elif d.date_from[:4] != d.date_to[:4]:
            year, year_end = None, d.end  # 2019年至2022年: a span of years
    return year, year_end


_BATCH_UNITS = frozenset(("批次", "批", "轮", "期"))
_PEOPLE_UNITS = frozenset(("人", "名", "位", "人员"))
_AGE_TAIL_RE = re.compile(
    r"(?:平均|最高|最低|最大|最小)?年龄(?:都|均|大多|普遍)?(?:在|为|是)?(?:最大|最小|最高|最低)?的?$")
# an age of an event (退休年龄, 入学年龄) is no one's age: the phrase keeps its 年龄
_AGE_EVENT_RE = re.compile(r"(?:退休|入学|参保|入党|就业|结婚|服役|入伍|领取)$")


def _counted_all(sent: str, cands: list[Cand]) -> tuple[list[str | None], list[str]]:
    """What each figure of a sentence counts, neighbours considered, and how each was found
    (see `_counted`)."""
    counted_list: list[str | None] = []
    how_list: list[str] = []
    prev: tuple[Cand, str | None] | None = None
    for i, c in enumerate(cands):
        counted, how = _counted(sent, c, prev, cands[i + 1] if i + 1 < len(cands) else None,
                                cands[i - 2].end if i >= 2 else 0)
        counted_list.append(counted)
        how_list.append(how)
        prev = (c, counted)
    # coordination: a figure followed by 、 shares the phrase that follows the next figure
    # (城市五级、农村四级组织框架); otherwise it keeps the phrase before it (基地2100亩、园380亩)
    for i in range(len(cands) - 1, -1, -1):
        c = cands[i]
        if counted_list[i] is None and c.kind != "duration" and sent.startswith(("、", "和", "及"), c.end):
            if i + 1 < len(cands) and cands[i + 1].unit == c.unit and how_list[i + 1] == "fwd":
                counted_list[i], how_list[i] = counted_list[i + 1], "fwd"
            else:
                back = _np_backward(sent, c.start, floor=cands[i - 1].end if i else 0)
                counted_list[i] = _strip_quotes(back) or None
                if counted_list[i] is None:
                    how_list[i] = "share"
    # 分5批次选派驻村干部230名: a number of batches or rounds counts what the next figure counts,
    # unless a noun stands before it (举办培训班46期,培训干部5800人次: 46 classes)
    for i in range(len(cands) - 2, -1, -1):
        if cands[i].unit in _BATCH_UNITS and how_list[i] != "fwd" and not (
                how_list[i] == "back" and counted_list[i] and len(counted_list[i]) >= 2
                and not _LEAD_VERB_RE.fullmatch(counted_list[i]) and cands[i].unit != "批次"):
            counted_list[i], how_list[i] = counted_list[i + 1], "fwd"
    # a figure that shares its neighbour's phrase takes it once the neighbour's is settled
    for i in range(1, len(cands)):
        if how_list[i] == "share" and counted_list[i] is None:
            counted_list[i] = counted_list[i - 1]
    # 发展党员426名,其中35岁以下的312名: a part qualified by an age counts what the whole does
    for i in range(2, len(cands)):
        a, c = cands[i - 1], cands[i]
        if counted_list[i] is None and a.kind == "age" and sent[a.end : c.start] == "的" \
                and cands[i - 2].unit == c.unit and _PART_LEAD_RE.search(sent, cands[i - 2].end, a.start):
            counted_list[i] = counted_list[i - 1] = counted_list[i - 2]
    # an age counts whose age it is: 村两委成员平均年龄38岁 -> 村两委成员; 4人成为后备干部,
    # 年龄都在25岁至45岁之间 -> what the figure of people before it counts
    for i, c in enumerate(cands):
        if c.kind == "age" and counted_list[i] and how_list[i] == "back":
            holder = _AGE_TAIL_RE.sub("", counted_list[i])
            if _AGE_EVENT_RE.search(holder):
                continue
            if len(holder) >= 2:
                counted_list[i] = holder
            elif not holder and i and cands[i - 1].unit in _PEOPLE_UNITS and counted_list[i - 1]:
                counted_list[i] = counted_list[i - 1]
    return counted_list, how_list


# ----------------------------------------------------------------------------------------------
# 分别: a list of subjects and a series of figures, taken in order


_SERIES_JOIN_RE = re.compile(rf"\s*(?:{_SERIES_SEPARATORS})\s*")
_SEVERALLY_GAP_RE = re.compile(r"[^,;:。!?]{0,12}")
_YEAR_ITEM_RE = re.compile(r"\d{4}年(?:度|底|末|初)?")


# a subject ending so is a noun of its own, not a modifier waiting for the list's head
_HEAD_ENDS = frozenset("员人者数量额率值")


@dataclass(frozen=True)
class _Spread:
    """A 分别 sentence: the figures (indices into the sentence's figures) and the subjects they
    belong to, in order (spans of the sentence); ``counts`` is true when the subjects are what
    the figures count (城镇和农村居民收入分别增长6.5%和8.1%), false when they own it (甲县、乙县
    分别有党员3000名和2000名: the subjects are places, the figures count 党员)."""

    figures: list[int]
    subjects: list[tuple[int, int]]
    counts: bool


def _spreads(sent: str, cands: list[Cand], year_spans: list[tuple[int, int]]) -> list[_Spread]:
    """The 分别 series of a sentence whose subjects are listed before 分别, as many as the figures.

    Subjects are the list right before 分别 in its clause, else a list of years earlier in the
    sentence (2021年、2022年和2023年,村集体收入分别为…), else the subjects of the series
    before. A series of changes or shares with none is returned with no subjects: it is of the
    figures before it. ``year_spans`` are the sentence's dates that name one year.
    """
    out: list[_Spread] = []
    p = sent.find("分别")
    while p >= 0:
        i = next((k for k, c in enumerate(cands) if c.start >= p + 2), None)
        if i is not None and _SEVERALLY_GAP_RE.fullmatch(sent, p + 2, cands[i].start):
            group = [i]
            while group[-1] + 1 < len(cands) and cands[group[-1] + 1].kind == cands[i].kind \
                    and _SERIES_JOIN_RE.fullmatch(sent, cands[group[-1]].end, cands[group[-1] + 1].start):
                group.append(group[-1] + 1)
            subjects = _subject_list(sent, cands, p) if len(group) >= 2 else []
            if len(subjects) != len(group) or (subjects and _YEAR_ITEM_RE.match(sent, subjects[0][0])):
                subjects = _year_list(sent, year_spans, p)  # 2022年和2023年全县粮食产量分别…
            if len(subjects) != len(group) and out and len(out[-1].subjects) == len(group):
                subjects = out[-1].subjects  # …分别为A、B和C,分别增长x、y和z: the subjects of the series before
            own = _np_backward(sent, cands[i].start, floor=p + 2)
            counts = not own or own in _LEAD_VERB_SET or own in _LINK_WORD_SET
            if len(group) >= 2 and len(subjects) == len(group):
                out.append(_Spread(group, subjects, counts))
            elif len(group) >= 2 and counts and cands[i].kind in ("percent", "multiple") and i >= len(group):
                out.append(_Spread(group, [], counts))  # 案件1200起,嫌疑人860名,分别上升15%和8%
        p = sent.find("分别", p + 2)
    return out


def _subject_list(sent: str, cands: list[Cand], p: int) -> list[tuple[int, int]]:
    """The spans of the list that ends at 分别 (position ``p``), within its clause."""
    start = _clause_start(sent, p)
    start = max([start, *(c.end for c in cands if c.end <= p)])
    spans, a = [], start
    for m in _LIST_SEP.finditer(sent, start, p):
        spans.append((a, m.start()))
        a = m.end()
    spans.append((a, p))
    if len(spans) < 2 or any(b - a < 1 or b - a > 16 for a, b in spans):
        return []
    return spans


def _year_list(sent: str, year_spans: list[tuple[int, int]], p: int) -> list[tuple[int, int]]:
    """The years written as a list before position ``p`` (2021年、2022年和2023年)."""
    before = [y for y in year_spans if y[1] <= p]
    run = before[-1:]
    for y in reversed(before[:-1]):
        if not _SERIES_JOIN_RE.fullmatch(sent, y[1], run[0][0]):
            break
        run.insert(0, y)
    return run if len(run) >= 2 else []


def _spread_counted(sent: str, subjects: list[tuple[int, int]], names: set[str] = frozenset()) -> list[str]:
    """What each subject of a list counts, the list's shared head given to every subject:
    小学、初中、高中在校生 -> 小学在校生, 初中在校生, 高中在校生; 市级、县级和乡镇级河长 ->
    市级河长, …; 党员人数、党组织数 keep their own.

    >>> s = "城镇和农村居民人均可支配收入分别"
    >>> _spread_counted(s, [(0, 2), (3, 14)])
    ['城镇居民人均可支配收入', '农村居民人均可支配收入']
    >>> _spread_counted("该镇水稻、玉米种植面积分别", [(0, 4), (5, 11)])
    ['水稻种植面积', '玉米种植面积']
    """
    items = [sent[a:b] for a, b in subjects]
    # the first subject may open with its place or a lead word (全县小学, 该镇水稻, 其中男性)
    items[0] = _strip_place_prefix(_np_backward(sent, subjects[0][1], floor=subjects[0][0]) or items[0], names)
    if items[0].startswith("第"):
        # 第一、二、三产业: the later subjects drop the 第 of an ordinal
        items = [items[0]] + ["第" + x if x[:1] in _CN_NUMERAL_CHARS else x for x in items[1:]]
    last, earlier = items[-1], items[:-1]
    tail = ""
    ends = {x[-1] for x in earlier}
    if len(ends) == 1 and len(earlier[-1]) > 1 and (q := last.rfind(ends.pop(), 0, len(last) - 1)) >= 0:
        tail = last[q + 1:]  # 县级、乡镇级、村级河长: the items end where the earlier ones do
    elif len(last) > len(earlier[-1]) and all(len(x) <= 4 and x[-1] not in _HEAD_ENDS for x in earlier):
        tail = last[len(earlier[-1]):]  # 小学、初中、高中在校生 (党员、入党积极分子: 党员 is whole)
    return [x + tail for x in earlier] + [last]


_PLACE_END_RE = re.compile(r"(?:省|市|县|区|镇|乡|村|社区|街道|组)$")


def _spread_overrides(sent: str, cands: list[Cand], counted: list[str | None], how: list[str], sent_dates: list,
                      s0: int, refs: list[_PlaceRef], names: set[str]
                      ) -> dict[int, tuple[str | None, _PlaceRef | None, int | None]]:
    """For each figure of a 分别 series, what its own subject gives it: (counted, place, year).

    Years (2022年和2023年分别增长5%和7%) give the year; places (甲县、乙县分别有党员…) the
    place; other subjects, when they are what the figures count, the counted phrase. A series
    of changes or shares with no subjects listed (案件1200起,嫌疑人860名,分别上升15%和8%) is
    of the figures right before it, in order."""
    years = [(d.start - s0, d.end - s0) for d in sent_dates
             if not d.base and _YEAR_ITEM_RE.fullmatch(sent, d.start - s0, d.end - s0)]
    out: dict[int, tuple[str | None, _PlaceRef | None, int | None]] = {}
    for sp in _spreads(sent, cands, years):
        if not sp.subjects:
            # the subjects are the figures before: each change or share is of the one in its place
            before = counted[sp.figures[0] - len(sp.figures) : sp.figures[0]]
            if all(before) and len(set(before)) == len(before):
                for i, phrase in zip(sp.figures, before):
                    out[i] = (phrase, None, None)
            continue
        texts = [sent[a:b] for a, b in sp.subjects]
        if all(_YEAR_ITEM_RE.fullmatch(t) for t in texts):
            for i, t in zip(sp.figures, texts):
                out[i] = (None, None, int(t[:4]))
            continue
        placed = [[r for r in refs if s0 + a <= r.pos < s0 + b] for a, b in sp.subjects]
        if any(placed) or all(_PLACE_END_RE.search(t) for t in texts):
            for i, named in zip(sp.figures, placed):
                out[i] = (None, _most_specific_tail(named) if named else None, None)
            continue
        if sp.counts and not any(how[i] == "fwd" for i in sp.figures):
            for i, counted in zip(sp.figures, _spread_counted(sent, sp.subjects, names)):
                out[i] = (_strip_quotes(counted) or None, None, None)
    return out


_LEVEL_PREFIX_RE = re.compile(
    r"^(?:全省|全市|全县|全区|全镇|全乡|全村|本村|该村|村里|镇里|县里|市里|该县|该镇|该市|该乡|该区|本县|本镇|本乡|本市|全院|全校|全州|我省|我市|我县|我区)")


def _strip_place_prefix(counted: str, names: set[str]) -> str:
    """四邑村集体经济收入 -> 集体经济收入, when 四邑村 is a place named in the text; 全县X -> X."""
    m = _LEVEL_PREFIX_RE.match(counted)
    if m and len(counted) - m.end() >= 2:
        return _strip_have(counted[m.end():])
    for n in range(2, min(len(counted) - 1, 12)):
        if counted[:n] in names:
            return _strip_have(counted[n:])
    return counted


# 有 opens many words (有机肥, 有害生物, 有价证券): a bare 有 goes only before what is not one of them
_HAVE_RE = re.compile(r"^(?:共有|现有|拥有|有(?![机线色效关序力利益偿限害形价生志为趣声氧理用名钱情望意心]))")


def _strip_have(rest: str) -> str:
    """全镇有合作社 -> 合作社: after its place, 有 says the place has what is counted.

    >>> _strip_have("有合作社"), _strip_have("有机肥"), _strip_have("有害生物防治面积"), _strip_have("有")
    ('合作社', '有机肥', '有害生物防治面积', '有')
    """
    m = _HAVE_RE.match(rest)
    return rest[m.end():] if m and len(rest) - m.end() >= 2 else rest


def _paragraphs(s: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for part in s.split("\n"):
        out.append((pos, pos + len(part)))
        pos += len(part) + 1
    return out


def extract_text(text: str, published: date | None = None, gazetteer: Gazetteer | None = None) -> list[Fact]:
    """Facts of a short text, for inspection and tests.

    >>> [f.surface for f in extract_text("他今年33岁,一盘棋、十分关切、百姓、周三春")]
    ['33岁']
    """
    return extract_document(text, Context(published=published), gazetteer).facts
