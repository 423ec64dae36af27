"""Place names in Chinese text, resolved against jionlp's dictionary of administrative divisions.

The gazetteer holds every province, city, county, town (镇/乡/街道/苏木) and village or
community (村/社区/嘎查) of ``jionlp/dictionary/china_location.zip``, plus the renamed
divisions of ``china_location_change.txt``. :meth:`Gazetteer.find` returns the place
mentions of a text, left to right, and resolves each one to a :class:`Place`:

>>> gazetteer = default_gazetteer()
>>> [(m.text, m.place.name, m.place.county) for m in gazetteer.find("鄂州市鄂城区长港镇峒山村")]
[('鄂州市', '鄂州市', None), ('鄂城区', '鄂城区', '鄂城区'), ('长港镇', '长港镇', '鄂城区'), ('峒山村', '峒山村', '鄂城区')]
>>> gazetteer.find("宜昌")[0].place
Place(name='宜昌市', level=1, province='湖北省', city='宜昌市', county=None)

Names are matched as a reader of news would take them:

* provinces, cities and counties by their full name (湖北省, 嘉鱼县) or their short name (湖北,
  嘉鱼, 恩施州); a short name that is also a common word (公安, 平安, 东方), a functional zone's
  short name (高新区) and a generic one (城区, 城东) count only right after their city or
  province (荆州公安县 is found either way; 荆州公安 only as a chain);
* a short name is not taken inside a longer word (长治久安, 孙中山), after a word that runs into
  it (提高县级), after a surname (张嘉鱼), nor before 路/街 (中山路);
* towns and villages only by their full name with its suffix, never a generic one (全村, 行政村,
  城市社区); one whose stem is a common word (和平村, 团结村) needs its county or town nearby;
* the same name in several places is resolved by the chain it stands in (咸宁市嘉鱼县潘家湾镇)
  or by the places mentioned before it; what stays ambiguous keeps ``None`` ancestors.

The index is built once from jionlp's files (a few seconds) and cached with :mod:`marshal`
under ``$NEWSFACTS_CACHE`` (default ``~/.cache/newsfacts``); later loads take a tenth of a second.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import marshal
import os
import re
import zipfile
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import NamedTuple
from zlib import crc32

from newsfacts.errors import ConfigError

PROVINCE, CITY, COUNTY, TOWN, VILLAGE = range(5)

# Bump when the layout or the rules baked into the cached index change.
INDEX_FORMAT = 10


@dataclass(frozen=True, slots=True)
class Place:
    """A division of the dictionary, with the province, city and county it lies in.

    ``level`` is :data:`PROVINCE`, :data:`CITY`, :data:`COUNTY`, :data:`TOWN` or
    :data:`VILLAGE` (0-4). ``province``, ``city`` and ``county`` are full names; a place is its
    own province, city or county at its level. They are ``None`` where the dictionary has no
    such level (仙桃市 is under no city) or where the mention stayed ambiguous.
    """

    name: str
    level: int
    province: str | None
    city: str | None
    county: str | None


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in a text: the span as written and the place it resolves to."""

    start: int
    end: int
    text: str
    place: Place


# ---------------------------------------------------------------------------------------------
# Rules that shape the index.

TOWN_SUFFIXES = ("街道", "镇", "乡", "苏木")
VILLAGE_SUFFIXES = ("社区", "村", "嘎查")

# Stems that make a town or village name a generic word (全村, 行政村, 城市社区, 重点镇):
# determiners, kinds of division and policy categories. Words that are also common real names
# (中心, 幸福, 平安, 文明) are not here: their counts make them need nearby context instead.
GENERIC_STEMS = frozenset(
    # determiners and quantities
    "各个 每个 这个 那个 哪个 一个 两个 几个 多个 某个 整个 这些 那些 一些 有些 所有 全部 部分 "
    "多数 少数 个别 其他 其它 其余 相关 周边 附近 所在 所属 当地 本地 外地 同一 邻近 相邻 毗邻 "
    "下辖 辖内 辖区 域内 区内 境内 "
    # kinds of division
    "行政 自然 城市 农村 城镇 乡镇 城乡 街道 社区 乡村 村庄 村级 建制 基层 居民 集体 片区 县城 "
    "郊区 山区 库区 老区 城中 城郊 新农 小城 "
    # policy categories
    "重点 贫困 脱贫 示范 试点 空心 边境 移民 安置 专业 样板 标杆 模范 星级 特色 美丽 数字 智慧 "
    "绿色 新型 小康 宜居 和美 后进 薄弱 传统 老旧 一般 偏远 边远 涉农 纯农".split()
)
# A stem beginning with one of these is a determiner phrase: 全省示范村, 本镇, 第一村, 该村.
GENERIC_LEADS = tuple(
    "全国 全省 全市 全县 全区 全镇 全乡 全村 本省 本市 本县 本区 本镇 本乡 本村 省级 市级 县级 "
    "区级 镇级 乡级 国家级 首批 第 该 每".split()
)
# A stem ending in one of these is a category, not a name: 国家级示范, 乡村振兴重点.
GENERIC_TAILS = tuple(
    "重点 示范 试点 贫困 特色 美丽 智慧 绿色 数字 新型 样板 标杆 模范 星级 历史文化".split()
)

# A town or village name that reads as a function word and a word (和农村 = 和 + 农村, 向城镇)
# is taken for that reading.
FUNCTION_CHARS = frozenset("和与及或在的了是对向从到为把被让给由以于也都将等并而又还就各每全本该此其这那")


def _reads_as_phrase(name: str, stem: str, is_word: Callable[[str], bool]) -> bool:
    """和农村 (和 + 农村), 美乡村 (和美 | 乡村): a character before a word reads better split.

    A name goes when its first character is a function word and the rest a word, or when the
    rest is a kind of division (乡村, 城镇) and its stem no word of its own (工农村 stays).
    """
    rest = name[1:]
    if name[0] in FUNCTION_CHARS and (is_word(rest) or rest in GENERIC_STEMS):
        return True
    return rest in GENERIC_STEMS and not is_word(stem)

# County-level names that are generic words (城区, 郊区, 矿区, 东区) or short names made of two
# generic morphemes (城东, 市中, 新城): usable only right after their city.
_GENERIC_HEADS = "城市郊矿新老古"
_GENERIC_ENDS = "东西南北中上下前后内外关区城郊"
_DIRECTION_CHARS = "城郊矿东西南北中新老"

# Functional zones (statistical codes ending 71..79, or named so) have short names like 高新区.
_ZONE_WORDS = ("高新", "经开", "开发", "示范", "产业", "工业", "保税", "管理", "物流", "园区",
               "新区", "新城", "文旅", "化工", "临港")
_ZONE_NAMES = ("开发区", "高新技术", "产业园", "工业园", "示范区", "管理区", "保税区", "经济区")

# A short name that is a common word: jionlp's word counts show it often, and rarely as a name
# with its suffix (平安 759668 times, 平安区 never; 公安 282945, 公安县 2042).
COMMON_WORD_MIN_COUNT = 10_000
COMMON_WORD_MAX_SHARE = 0.08       # counties; share = count(name + suffix) / count(name)
COMMON_HEADWORD_MAX_SHARE = 0.15   # counties whose name is a dictionary word (江山, 同心)
COMMON_CITY_MAX_SHARE = 0.02       # cities: only the clearest ones (白银)
# Definitions that show a dictionary headword is an administrative place name.
_PLACE_DEFINITIONS = ("县名", "市名", "地名", "区名", "州名", "郡名", "省名", "都城", "古都",
                      "城名", "镇名", "省的简称", "市的简称")
# Common words the counts cannot tell apart: 来宾市 and 大兴区 are frequent too.
COMMON_WORDS_EXTRA = frozenset({"来宾", "大兴"})     # 各位来宾; 大兴调查研究之风
# A word that begins with a name and takes this share of the name's count makes the name a
# part of it, not a place: 大理石 (14040 of 大理's 19196), 新华社, 长治久安, 三明治.
STARTER_MIN_SHARE = 0.2
STARTER_MIN_COUNT = 300
# A town or village stem counted this often is a common word (和平, 团结, 幸福): needs context.
COMMON_STEM_MIN_COUNT = 10_000
# Words of jionlp's counts used to test word boundaries around a short name.
LEXICON_MIN_COUNT = 3_000

# Surnames that precede a given name: 张嘉鱼 is a person. Surname characters that are also
# frequent function morphemes (于, 高, 方, 周 ...) are left out.
SURNAMES = frozenset(
    "王李张刘陈杨赵黄吴徐孙胡朱林何郭马罗梁宋郑韩唐冯董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛"
    "叶阎潘杜戴钟汪姜姚谭廖邹熊陆郝孔崔毛邱秦侯邵孟雷钱汤尹黎乔赖龚"
)
# A short name before one of these names a street or a road, not the place: 中山路, 北京路.
STREET_TAILS = ("路", "街", "大道", "大街", "巷", "胡同", "弄")

# Provincial party papers whose title carries no place name.
_PAPERS = {"大众日报": "山东", "南方日报": "广东", "新华日报": "江苏", "解放日报": "上海"}

_FULL, _SHORT, _LOWER = 0, 1, 2   # candidate kinds: county-or-above full name, short, town/village


# ---------------------------------------------------------------------------------------------
# Sources and cache.


def _dictionary_dir() -> Path:
    """The ``dictionary`` folder of the installed jionlp package, without importing it."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None:
        raise ConfigError("jionlp is not installed; newsfacts needs its place dictionary "
                          "(pip install 'jionlp>=1.5')")
    roots = list(spec.submodule_search_locations or [])
    if not roots and spec.origin:
        roots = [os.path.dirname(spec.origin)]
    for root in roots:
        folder = Path(root) / "dictionary"
        if (folder / "china_location.zip").is_file():
            return folder
    raise ConfigError(f"jionlp has no dictionary/china_location.zip under {roots}")


_SOURCES = ("china_location.zip", "china_location_change.txt", "word_distribution.zip",
            "chinese_word_dictionary.zip", "chinese_idiom.zip")


def _jionlp_version(folder: Path) -> str:
    head = (folder.parent / "__init__.py").read_text(encoding="utf-8", errors="replace")[:4000]
    found = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", head)
    return found.group(1) if found else "unknown"


def _cache_key(folder: Path) -> str:
    parts = [f"format={INDEX_FORMAT}", f"jionlp={_jionlp_version(folder)}"]
    for name in _SOURCES:
        path = folder / name
        if path.exists():
            stat = path.stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def _cache_dir() -> Path:
    configured = os.environ.get("NEWSFACTS_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "newsfacts"


def _read_zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(archive.namelist()[0]).decode("utf-8")


# ---------------------------------------------------------------------------------------------
# Building the index.


def _is_generic_stem(stem: str) -> bool:
    """Whether a town or village name with this stem is a generic word, not a name.

    >>> stems = ("全", "该", "每个", "重点", "城市", "全省文明", "国家级示范", "峒山", "诸葛", "新城")
    >>> [stem for stem in stems if _is_generic_stem(stem)]
    ['全', '该', '每个', '重点', '城市', '全省文明', '国家级示范']
    """
    return (len(stem) < 2 or stem in GENERIC_STEMS or stem.startswith(GENERIC_LEADS)
            or stem.endswith(GENERIC_TAILS))


def _is_generic_upper(name: str, short: bool) -> bool:
    """城东, 市中, 新城 as short names; 城区, 东区, 新城区, 老城区 as full names.

    >>> [n for n in ("城区", "东区", "老城区", "城中区", "武昌区") if _is_generic_upper(n, short=False)]
    ['城区', '东区', '老城区', '城中区']
    """
    if short:
        return len(name) == 2 and name[0] in _GENERIC_HEADS and name[1] in _GENERIC_ENDS
    return name.endswith("区") and (
        len(name) == 2 and name[0] in _DIRECTION_CHARS
        or len(name) == 3 and _is_generic_upper(name[:2], short=True))


def _read_counts(folder: Path) -> dict[str, int]:
    """jionlp's word counts: one ``["word", count]`` JSON array a line."""
    text = _read_zip_text(folder / "word_distribution.zip")
    return {word: int(count) for word, count in _COUNT_LINE.findall(text)}


_COUNT_LINE = re.compile(r'^\["([^"\\]+)", (\d+)\]', re.M)


def _read_headwords(folder: Path) -> tuple[dict[str, str], set[str]]:
    words: dict[str, str] = {}
    for line in _read_zip_text(folder / "chinese_word_dictionary.zip").splitlines():
        word, _, definition = line.partition("\t")
        if word:
            words[word] = definition
    idioms = {line.split("\t", 1)[0] for line in
              _read_zip_text(folder / "chinese_idiom.zip").splitlines() if line}
    return words, idioms


class _Table:
    """Names mapped to their nodes, packed in a few thousand strings so that the cache loads fast.

    Names share one of 16384 buckets by a CRC of their text; a bucket is a string of
    ``"\\n名字\\t12,345\\n"`` lines. A lookup is one dict access and one substring search in
    a few hundred characters, and loading makes one object a bucket instead of one a name.
    """

    __slots__ = ("buckets",)

    def __init__(self, buckets: dict[int, str]):
        self.buckets = buckets

    @staticmethod
    def pack(table: dict[str, list[int]]) -> dict[int, str]:
        lines: defaultdict[int, list[str]] = defaultdict(list)
        for name, nodes in table.items():
            lines[_bucket(name)].append(
                f"{name}\t{nodes[0]}" if len(nodes) == 1 else f"{name}\t{','.join(map(str, nodes))}")
        return {key: "\n" + "\n".join(found) + "\n" for key, found in lines.items()}

    def __contains__(self, name: str) -> bool:
        bucket = self.buckets.get(_bucket(name))
        return bucket is not None and f"\n{name}\t" in bucket

    def get(self, name: str) -> tuple[int, ...]:
        bucket = self.buckets.get(_bucket(name))
        if bucket is None:
            return ()
        at = bucket.find(f"\n{name}\t")
        if at < 0:
            return ()
        start = at + len(name) + 2
        return tuple(map(int, bucket[start:bucket.index("\n", start)].split(",")))

    def names(self) -> list[str]:
        return [line.partition("\t")[0] for bucket in self.buckets.values()
                for line in bucket.split("\n") if line]


def _bucket(name: str) -> int:
    return crc32(name.encode()) & 0x3FFF


# A line of depth 0-3 (name, then code and short name for 0-2) and the village lines after it.
_BLOCK = re.compile(r"^(\t{0,3})([^\t\n]+)([^\n]*)\n((?:\t\t\t\t[^\n]*\n)*)", re.M)


def _lower_suffix(name: str) -> str | None:
    """The town or village suffix of a name: 峒山村 -> 村, 白庙街道 -> 街道."""
    if len(name) > 2 and name[-2:] in _TWO_CHAR_SUFFIXES:
        return name[-2:]
    if len(name) > 1 and name[-1] in _ONE_CHAR_SUFFIXES:
        return name[-1]
    return None


_TWO_CHAR_SUFFIXES = frozenset(s for s in TOWN_SUFFIXES + VILLAGE_SUFFIXES if len(s) == 2)
_ONE_CHAR_SUFFIXES = frozenset(s for s in TOWN_SUFFIXES + VILLAGE_SUFFIXES if len(s) == 1)


class _Builder:
    """Reads jionlp's files into the plain containers that :class:`Gazetteer` works from."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.parent = array("i")  # of every node, in the order of the file; -1 for provinces
        self.level = bytearray()
        self.upper: dict[int, str] = {}          # node -> full name, levels 0-2
        self.full: dict[str, list[int]] = {}     # county-or-above full names
        self.short: dict[str, list[int]] = {}
        self.lower: dict[str, list[int]] = {}    # towns and villages
        self.stems: dict[str, str] = {}          # 峒山村 -> 峒山
        self.zones: set[int] = set()

    def build(self) -> dict:
        counts = _read_counts(self.folder)
        headwords, idioms = _read_headwords(self.folder)
        self._read_tree(lambda word: word in headwords or counts.get(word, 0) >= LEXICON_MIN_COUNT)
        self._read_changes()
        chain_only = self._chain_only(counts, headwords)
        close_only = [name for name, stem in self.stems.items()
                      if counts.get(stem, 0) >= COMMON_STEM_MIN_COUNT]
        names = self.full.keys() | self.short.keys()
        cover = [w for w in headwords.keys() | idioms if 3 <= len(w) <= 8 and w not in names]
        lexicon = [w for w, c in counts.items()
                   if c >= LEXICON_MIN_COUNT and 2 <= len(w) <= 4 and w not in names
                   and w not in self.lower]
        starters = [w for w, c in counts.items()
                    if 3 <= len(w) <= 4 and c >= STARTER_MIN_COUNT and w not in names
                    and w not in self.lower and not _looks_like_division(w)
                    and any(w[:k] in names and c >= STARTER_MIN_SHARE * counts.get(w[:k], 1 << 60)
                            for k in range(2, len(w)))]
        starts: dict[str, set[int]] = {}
        for name in names:
            starts.setdefault(name[:2], set()).add(len(name))
        ends: dict[str, set[int]] = {}     # 山村 -> lengths of the names ending so
        for name, stem in self.stems.items():
            ends.setdefault(name[len(stem) - 1:], set()).add(len(name))
        return {
            "format": INDEX_FORMAT,
            "parent": self.parent.tobytes(),
            "level": bytes(self.level),
            "upper": self.upper,
            "full": _Table.pack(self.full),
            "short": _Table.pack(self.short),
            "lower": _Table.pack(self.lower),
            "chain_only": "\n".join(sorted(chain_only)),
            "close_only": "\n".join(close_only),
            "cover": "\n".join(cover),
            "lexicon": "\n".join(lexicon),
            "starters": "\n".join(starters),
            "starts": {k: tuple(sorted(v, reverse=True)) for k, v in starts.items()},
            "ends": {k: tuple(sorted(v, reverse=True)) for k, v in ends.items()},
        }

    # -- the tree --------------------------------------------------------------------------

    def _read_tree(self, is_word: Callable[[str], bool]) -> None:
        """One pass over the file: a line of depth 0-3, then the run of villages under it."""
        stack = [-1] * 5
        short_of: dict[int, str] = {}
        parents: list[int] = []
        levels: list[int] = []
        lower: defaultdict[str, list[int]] = defaultdict(list)
        text = _read_zip_text(self.folder / "china_location.zip").replace("\r\n", "\n") + "\n"
        for block in _BLOCK.finditer(text):
            depth, name, rest, villages = len(block[1]), block[2].strip(), block[3], block[4]
            stack[depth] = node = len(parents)
            parents.append(stack[depth - 1] if depth else -1)
            levels.append(depth)
            if depth <= COUNTY:
                self._add_upper(node, depth, [name, *rest.split("\t")[1:]], parents[-1], short_of)
            else:
                lower[self._without_county(name, depth, stack)].append(node)
            if villages:
                names = villages[4:-1].split("\n\t\t\t\t")
                parents.extend(repeat(node, len(names)))
                levels.extend(repeat(VILLAGE, len(names)))
                for village, name in enumerate(names, node + 1):
                    lower[name].append(village)
        self.parent.extend(parents)
        self.level.extend(levels)
        for name, nodes in lower.items():
            suffix = _lower_suffix(name)
            if suffix is not None:
                stem = name[: -len(suffix)]
                if not _is_generic_stem(stem) and not _reads_as_phrase(name, stem, is_word):
                    self.lower[name] = nodes
                    self.stems[name] = stem

    def _without_county(self, name: str, depth: int, stack: list[int]) -> str:
        """化德县朝阳镇 -> 朝阳镇: some towns carry their county's name in front."""
        county = self.upper.get(stack[COUNTY]) if depth == TOWN else None
        if county and name.startswith(county):
            rest = name[len(county):]
            suffix = _lower_suffix(rest)
            if suffix is not None and not _is_generic_stem(rest[: -len(suffix)]):
                return rest
        return name

    def _add_upper(self, node: int, depth: int, fields: list[str], parent: int,
                   short_of: dict[int, str]) -> None:
        name = fields[0]
        if name.endswith("直辖行政区划"):          # 省直辖行政区划: a bucket, not a place
            return
        short = fields[2] if len(fields) >= 3 else _strip_suffix(name)
        if depth == CITY and name in (self.upper[parent], short_of[parent]):
            self.upper[node] = self.upper[parent]   # 北京市 under 北京市: the province itself
            return
        self.upper[node] = name
        short_of[node] = short
        self.full.setdefault(name, []).append(node)
        zone = depth == COUNTY and (len(fields) >= 2 and fields[1][4:5] == "7"
                                    or any(w in name for w in _ZONE_NAMES))
        shorts = [s for s in short.split("/") if len(s) >= 2 and s != name and "直辖" not in s]
        if depth == COUNTY:
            shorts = [s for s in shorts if not any(w in s for w in _ZONE_WORDS)]
        if zone:
            self.zones.add(node)
            shorts = [s for s in shorts if not s.endswith(("区", "园", "城"))]
        for s in list(shorts):
            if name.endswith("自治州"):
                shorts.append(s + "州")                # 恩施州
            elif name.endswith(("自治县", "自治旗")):
                shorts.append(s + name[-1])            # 长阳县
        for s in shorts:
            self.short.setdefault(s, []).append(node)

    def _read_changes(self) -> None:
        """Old names of renamed divisions point to the division that replaced them."""
        path = self.folder / "china_location_change.txt"
        if not path.exists():
            return
        for line in path.read_text(encoding="utf-8").splitlines():
            if "=>" not in line:
                continue
            old, new = line.split("=>")
            old_fields, new_path = old.split("\t")[2:], new.strip().split("\t")
            node = self._node_by_path(new_path)
            if node is None or len(old_fields) < 2:
                continue
            old_full, old_short = old_fields[-2], old_fields[-1]
            if old_full == self.upper.get(node):
                continue
            if old_full not in self.full and not _is_generic_upper(old_full, short=False):
                self.full[old_full] = [node]
            if len(old_short) >= 2 and old_short not in self.short and old_short not in self.full:
                self.short[old_short] = [node]

    def _node_by_path(self, path: list[str]) -> int | None:
        for node in self.full.get(path[-1], []):
            names, current = [], node
            while current >= 0:
                if current in self.upper:
                    names.append(self.upper[current])
                current = self.parent[current]
            if all(p in names for p in path):
                return node
        return None

    # -- common words ----------------------------------------------------------------------

    def _chain_only(self, counts: dict[str, int], headwords: dict[str, str]) -> set[str]:
        """Names that count only right after their city or province (荆州公安)."""
        chain_only = {name for name in self.full if _is_generic_upper(name, short=False)}
        for name, nodes in self.short.items():
            levels = {self.level[n] for n in nodes}
            if PROVINCE in levels:
                continue
            if (_is_generic_upper(name, short=True) or all(n in self.zones for n in nodes)
                    or name in COMMON_WORDS_EXTRA
                    or _is_common_word(name, counts, headwords, city=CITY in levels)):
                chain_only.add(name)
        return chain_only


def _is_common_word(name: str, counts: dict[str, int], headwords: dict[str, str],
                    city: bool) -> bool:
    """Whether jionlp's word counts show a short name mostly as a common word."""
    if len(name) > 2:
        return False
    count = counts.get(name, 0)
    if count < COMMON_WORD_MIN_COUNT:
        return False
    named = sum(counts.get(name + s, 0) for s in ("省", "市", "县", "区", "州", "旗", "新区"))
    share = named / count
    if city:        # a city whose counts never show its full name (襄阳) is no evidence
        return 0 < share < COMMON_CITY_MAX_SHARE
    definition = headwords.get(name)
    if definition is not None and not any(p in definition for p in _PLACE_DEFINITIONS):
        return share < COMMON_HEADWORD_MAX_SHARE
    return share < COMMON_WORD_MAX_SHARE


def _strip_suffix(name: str) -> str:
    """A short name for a division the dictionary gives none (some of Taiwan's): 中正区 -> 中正."""
    for suffix in ("区", "市", "县", "乡", "镇"):
        if name.endswith(suffix) and len(name) > 2:
            return name[: -len(suffix)]
    return name


def _looks_like_division(word: str) -> bool:
    """宜昌县, 大理州: a counted word that names a division, old or new, is no starter word."""
    return word.endswith(("省", "市", "县", "区", "州", "旗", "盟", "镇", "乡", "村"))


# ---------------------------------------------------------------------------------------------
# The gazetteer.


class Gazetteer:
    """Every administrative division of China, and the rules to find them in a text."""

    def __init__(self, index: dict):
        self._index = index                 # kept for pickling
        self._parent = array("i")
        self._parent.frombytes(index["parent"])
        self._level: bytes = index["level"]
        self._upper: dict[int, str] = index["upper"]
        self._full = _Table(index["full"])
        self._short = _Table(index["short"])
        self._lower = _Table(index["lower"])
        # the hot loop of _candidates asks these two: plain dicts
        self._upper_kind = {name: _SHORT for name in self._short.names()}
        self._upper_kind.update((name, _FULL) for name in self._full.names())
        self._chain_only = set(index["chain_only"].split("\n"))
        self._close_only = set(index["close_only"].split("\n"))
        self._cover = set(index["cover"].split("\n"))
        self._lexicon = set(index["lexicon"].split("\n"))
        self._starters = set(index["starters"].split("\n"))
        self._starts: dict[str, tuple[int, ...]] = index["starts"]
        self._ends: dict[str, tuple[int, ...]] = index["ends"]
        self._suffix_re = re.compile("|".join(sorted(TOWN_SUFFIXES + VILLAGE_SUFFIXES,
                                                     key=len, reverse=True)))
        firsts = "".join(sorted({k[0] for k in self._starts}))
        seconds = "".join(sorted({k[1] for k in self._starts}))
        self._scan_re = re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")
        self._max_cover = max(map(len, self._cover), default=0)
        # names and their lineages recur from text to text (和平村 has 587 namesakes)
        self._nodes_of = functools.lru_cache(maxsize=1 << 16)(self._lookup)
        self._lineage = functools.lru_cache(maxsize=1 << 13)(self._climb)
        self._place = functools.lru_cache(maxsize=1 << 14)(self._make_place)
        self._scored = functools.lru_cache(maxsize=1 << 14)(self._score_by_context)
        self._context_of = functools.lru_cache(maxsize=1 << 10)(self._nodes_of_places)  # a paper's province
        self._lower_names: frozenset[str] | None = None  # built on first use, from the buckets

    def __reduce__(self):
        return Gazetteer, (self._index,)

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer of the installed jionlp, from the cache when it is there."""
        folder = _dictionary_dir()
        path = _cache_dir() / f"places-{_cache_key(folder)}.marshal"
        try:
            index = marshal.loads(path.read_bytes())
            if isinstance(index, dict) and index.get("format") == INDEX_FORMAT:
                return cls(index)
        except (OSError, ValueError, EOFError, TypeError):
            pass
        index = _Builder(folder).build()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(marshal.dumps(index))
            os.replace(partial, path)
        except OSError:
            pass                       # a read-only home: work from memory
        return cls(index)

    # -- public ----------------------------------------------------------------------------

    def find(self, text: str, context: Iterable[Place] = ()) -> list[PlaceMention]:
        """All place mentions of ``text``, left to right, longest first, not overlapping.

        ``context`` holds places known before the text (the paper's province, say); the
        places found earlier in the text count as context for the later ones.

        >>> [m.place.name for m in default_gazetteer().find("湖北省委在嘉鱼县召开会议，全村和城市社区都在")]
        ['湖北省', '嘉鱼县']
        """
        selected = self._select(text, self._candidates(text))
        return self._resolve_mentions(text, selected, self._context_nodes(context))

    def resolve(self, name: str, context: Iterable[Place] = ()) -> Place | None:
        """The place a name stands for, using the places of ``context`` to choose.

        >>> default_gazetteer().resolve("嘉鱼")
        Place(name='嘉鱼县', level=2, province='湖北省', city='咸宁市', county='嘉鱼县')
        >>> default_gazetteer().resolve("掇刀区").city
        '荆门市'
        """
        for kind, table in ((_FULL, self._full), (_LOWER, self._lower), (_SHORT, self._short)):
            if name in table:
                nodes = self._by_context(table.get(name), self._context_nodes(context))
                nodes = self._settle(kind, nodes)
                return self._place(name, kind, nodes) if nodes else None
        return None

    def province_for_prefix(self, text: str) -> Place | None:
        """The province of a provincial paper named at the start of ``text``.

        >>> default_gazetteer().province_for_prefix("湖北日报讯（记者）").name
        '湖北省'
        """
        head = text.lstrip(" \t\r\n\u3000【[（(《“\"")
        cut = head.find("日报")
        if cut <= 0:
            return None
        title = head[: cut + 2]
        name = _PAPERS.get(title, head[:cut])
        place = self.resolve(name)
        return place if place is not None and place.level == PROVINCE else None

    # -- candidates and selection ------------------------------------------------------------

    def _candidates(self, text: str) -> list[_Candidate]:
        """Every name of the index in ``text``, sorted by start, longest first.

        County-or-above names are looked up where a regex finds the first two characters of
        some name; towns and villages backwards from their suffix (村, 镇, 社区 ...).
        """
        found = []
        kinds, starts = self._upper_kind, self._starts
        for match in self._scan_re.finditer(text):
            i = match.start()
            lengths = starts.get(text[i:i + 2])
            if lengths is not None:
                for length in lengths:
                    word = text[i:i + length]
                    kind = kinds.get(word)
                    if kind is not None:
                        found.append(_new_candidate((i, i + length, kind, word)))
        lower, ends = self._lower_names, self._ends
        if lower is None:  # a set of the 300,000 names: 0.2 s once, then a lookup is a hash
            lower = self._lower_names = frozenset(self._lower.names())
        for match in self._suffix_re.finditer(text):
            at, end = match.span()
            lengths = ends.get(text[at - 1:end]) if at else None
            if lengths is not None:
                for length in lengths:
                    start = end - length
                    if start >= 0:
                        word = text[start:end]
                        if word in lower:
                            found.append(_new_candidate((start, end, _LOWER, word)))
        found.sort(key=lambda c: (c.start, -c.end))
        return found

    def _select(self, text: str, candidates: list[_Candidate]) -> list[_Candidate]:
        """Leftmost-longest candidates that pass every rule of their kind."""
        chosen: list[_Candidate] = []
        last_end = 0
        for cand in candidates:
            if cand.start < last_end:
                continue
            previous = chosen[-1] if chosen and chosen[-1].end == cand.start else None
            if all(rule(self, text, cand, previous) for rule in _RULES[cand.kind]):
                chosen.append(cand)
                last_end = cand.end
        return chosen

    # -- resolution ----------------------------------------------------------------------------

    def _resolve_mentions(self, text: str, selected: list[_Candidate],
                          context: set[int]) -> list[PlaceMention]:
        """Candidates to mentions, left to right: each is resolved by the chain it stands in,
        else by the places before it, and joins the context of those after it."""
        context = set(context)
        kept: list[_Resolved] = []
        for cand in selected:
            nodes = self._nodes(cand)
            previous = kept[-1] if kept and kept[-1].cand.end == cand.start else None
            chained = self._below(nodes, previous.nodes or (previous.anchor,)) if previous else ()
            if chained:
                nodes = chained
                if previous.nodes:                  # the chain also narrows what went before
                    above = set().union(*self._lineage(nodes)[1:])
                    previous.nodes = tuple(p for p in previous.nodes if p in above)
                    previous.anchor = self._common(previous.nodes)
                    context.add(previous.anchor)
            elif previous is not None and cand.kind == _LOWER:
                # 孝南区书院街道槐荫社区: the chain places it, though the dictionary knows its
                # namesakes elsewhere only
                kept.append(_Resolved(cand, (), previous.anchor))
                continue
            elif cand.word in self._close_only and not self._near(nodes, context):
                continue
            else:
                nodes = self._by_context(nodes, context)
            nodes = self._settle(cand.kind, nodes)
            if nodes:
                kept.append(_Resolved(cand, nodes, self._common(nodes)))
                context.add(kept[-1].anchor)
        return [PlaceMention(r.cand.start, r.cand.end, text[r.cand.start:r.cand.end],
                             self._mention_place(r)) for r in kept]

    def _mention_place(self, resolved: _Resolved) -> Place:
        cand = resolved.cand
        if resolved.nodes:
            return self._place(cand.word, cand.kind, resolved.nodes)
        path = self._path(resolved.anchor) if resolved.anchor >= 0 else [-1, -1, -1]
        level = TOWN if cand.word.endswith(TOWN_SUFFIXES) else VILLAGE
        return Place(cand.word, level, *(self._upper.get(p) for p in path))

    def _settle(self, kind: int, nodes: tuple[int, ...]) -> tuple[int, ...]:
        """The candidates a mention keeps once chain and context have had their say.

        Namesakes that all lie within one of them mean that one (吉安: the city, not the county
        under it). Otherwise a short name is dropped (朝阳: a city and two districts), a
        county-or-above full name keeps its shallowest level and a town or village name the
        level most of its namesakes have.
        """
        if len(nodes) < 2:
            return nodes
        levels = [self._level[n] for n in nodes]
        top = nodes[levels.index(min(levels))]
        if all(n == top or self._has_ancestor(n, {top}) for n in nodes):
            return (top,)
        if kind == _SHORT:
            return ()
        keep = min(levels) if kind == _FULL else max(set(levels), key=levels.count)
        return tuple(n for n, level in zip(nodes, levels) if level == keep)

    def _by_context(self, nodes: tuple[int, ...], context: set[int]) -> tuple[int, ...]:
        """The candidates that are, or lie in, the deepest context place holding any of them."""
        if len(nodes) < 2 or not context:
            return nodes
        # only the context places among the candidates and their ancestors count: the answer
        # for the same namesakes and the same such places recurs, and is cached
        hits = frozenset(p for layer in self._lineage(nodes) for p in layer & context)
        return self._scored(nodes, hits) if hits else nodes

    def _score_by_context(self, nodes: tuple[int, ...], context: frozenset[int]) -> tuple[int, ...]:
        best, kept = 0, []
        for node in nodes:
            score, current = 0, node
            while current >= 0:
                if current in context:
                    score = max(score, self._level[current] + 1)
                current = self._parent[current]
            if score > best:
                best, kept = score, [node]
            elif score == best:
                kept.append(node)
        return tuple(kept)

    def _near(self, nodes: tuple[int, ...], context: set[int]) -> bool:
        """Whether the county or town of one of the candidates is in the context."""
        return any(self._level[p] >= COUNTY
                   for layer in self._lineage(nodes)[1:] for p in layer & context)

    def _context_nodes(self, places: Iterable[Place]) -> set[int]:
        """The nodes of the caller's places; an ambiguous one adds what its namesakes share."""
        return set(self._context_of(tuple((p.name, p.level, p.province, p.city, p.county) for p in places)))

    def _nodes_of_places(self, places: tuple[tuple, ...]) -> frozenset[int]:
        context: set[int] = set()
        for name, level, *wanted in places:
            table = self._lower if level >= TOWN else self._full
            nodes = tuple(n for n in table.get(name) if self._level[n] == level and all(
                w is None or w == self._upper.get(p) for w, p in zip(wanted, self._path(n))))
            if nodes:
                context.add(self._common(nodes))
        context.discard(-1)
        return frozenset(context)

    # -- the tree --------------------------------------------------------------------------------

    def _table(self, kind: int) -> _Table:
        return (self._full, self._short, self._lower)[kind]

    def _nodes(self, cand: _Candidate) -> tuple[int, ...]:
        return self._nodes_of(cand.kind, cand.word)

    def _lookup(self, kind: int, word: str) -> tuple[int, ...]:
        return self._table(kind).get(word)

    def _has_ancestor(self, node: int, ancestors: set[int]) -> bool:
        current = self._parent[node]
        while current >= 0:
            if current in ancestors:
                return True
            current = self._parent[current]
        return False

    def _below(self, nodes: tuple[int, ...], ancestors: tuple[int, ...]) -> tuple[int, ...]:
        """The nodes that lie within one of ``ancestors``."""
        above = set(ancestors)
        return tuple(n for n in nodes if self._has_ancestor(n, above))

    def _climb(self, nodes: tuple[int, ...]) -> tuple[frozenset[int], ...]:
        """The nodes, their parents, their grandparents ..., one set a generation."""
        parent = self._parent
        layers = [frozenset(nodes)]
        while True:
            up = {parent[n] for n in layers[-1]}
            up.discard(-1)
            if not up:
                return tuple(layers)
            layers.append(frozenset(up))

    def _common(self, nodes: tuple[int, ...]) -> int:
        """The deepest node that is or holds all of ``nodes`` (of one level); -1 if none."""
        if len(nodes) == 1:
            return nodes[0]
        for layer in self._lineage(nodes):
            if len(layer) == 1:
                return next(iter(layer))
        return -1

    def _path(self, node: int) -> list[int]:
        """The province, city and county nodes at or above ``node``; -1 where none."""
        path = [-1, -1, -1]
        while node >= 0:
            level = self._level[node]
            if level <= COUNTY and node in self._upper:
                path[level] = node
            node = self._parent[node]
        return path

    def _make_place(self, word: str, kind: int, nodes: tuple[int, ...]) -> Place:
        province, city, county = (self._upper.get(p) for p in self._path(self._common(nodes)))
        first = nodes[0]
        name = word if kind == _LOWER else self._upper[first]
        return Place(name, self._level[first], province, city, county)


class _Candidate(NamedTuple):
    start: int
    end: int
    kind: int      # _FULL, _SHORT or _LOWER
    word: str


@dataclass(slots=True)
class _Resolved:
    """A candidate kept as a mention: its namesakes left, and the deepest node they share."""

    cand: _Candidate
    nodes: tuple[int, ...]     # empty when the place is known only from the chain before it
    anchor: int                # -1 when they share none


_new_candidate = functools.partial(tuple.__new__, _Candidate)


# -- the rules a candidate must pass, in order: each says whether it may stand. ``previous`` is
# the mention chosen just before, when it ends where this one starts (a chain).


def _chained_if_common(gazetteer: Gazetteer, text: str, cand: _Candidate, previous) -> bool:
    """A common-word, zone or generic name stands only right after its city or province."""
    return cand.word not in gazetteer._chain_only or (
        previous is not None
        and bool(gazetteer._below(gazetteer._nodes(cand), gazetteer._nodes(previous))))


def _not_a_street(gazetteer: Gazetteer, text: str, cand: _Candidate, previous) -> bool:
    """中山路, 北京路: a street named after a place is not the place."""
    return not text.startswith(STREET_TAILS, cand.end)


def _not_a_given_name(gazetteer: Gazetteer, text: str, cand: _Candidate, previous) -> bool:
    """张嘉鱼: two characters after a surname are a given name."""
    return not (cand.end - cand.start == 2 and previous is None and cand.start > 0
                and text[cand.start - 1] in SURNAMES)


def _not_a_title(gazetteer: Gazetteer, text: str, cand: _Candidate, previous) -> bool:
    """赵县长: a surname-like county before 长 is the county head."""
    return not (cand.end - cand.start == 2 and text[cand.start] in SURNAMES
                and text.startswith("长", cand.end))


def _not_inside_a_word(gazetteer: Gazetteer, text: str, cand: _Candidate, previous) -> bool:
    """长治久安, 孙中山, 大理石, 新华社: the name is a piece of a longer word.

    Dictionary words and idioms count wherever they start; frequent words when they start
    before the name, or at it when the word mostly holds the name (大理石) or the name is a
    common word anyway (公安局).
    """
    start, end = cand.start, cand.end
    strict = cand.word in gazetteer._chain_only     # then any frequent word at the name counts
    cover, lexicon, starters = gazetteer._cover, gazetteer._lexicon, gazetteer._starters
    widest = gazetteer._max_cover
    for left in range(max(0, end - widest), start + 1):
        for right in range(max(end, left + end - start + 1), min(len(text), left + widest) + 1):
            word = text[left:right]
            if word in cover:
                return False
            if right - left <= 4 and (
                    word in starters if left == start and not strict else word in lexicon):
                return False
    return True


def _not_run_into(gazetteer: Gazetteer, text: str, cand: _Candidate, previous) -> bool:
    """提高县级, 社会安定, 文明村镇: a word that starts before the name ends inside it."""
    if previous is not None or (cand.kind == _FULL and cand.end - cand.start > 2):
        return True
    lexicon, start = gazetteer._lexicon, cand.start
    for left in range(max(0, start - 3), start):
        for right in range(start + 1, min(cand.end - 1, left + 4) + 1):
            if text[left:right] in lexicon:
                return False
    return True


_RULES = {
    _FULL: (_chained_if_common, _not_a_title, _not_run_into),
    _SHORT: (_chained_if_common, _not_a_street, _not_a_given_name, _not_inside_a_word,
             _not_run_into),
    _LOWER: (_not_run_into,),
}


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the installed jionlp, loaded once per process."""
    return Gazetteer.load()


def province_for_prefix(text: str) -> Place | None:
    """The province whose paper (湖北日报, 河南日报 ...) opens ``text``, or ``None``.

    >>> province_for_prefix("四川日报 记者").name
    '四川省'
    >>> province_for_prefix("人民日报") is None
    True
    """
    return default_gazetteer().province_for_prefix(text)
