"""A synthetic corpus in the genre: county, township and village news dense with figures.

Usage (from the repo root)::

    python bench/corpus.py OUT_DIR [--articles 12000] [--seed 1] [--per-file 50]

Every article is written from templates with random numbers, people and places, so no two are
the same: a headline, a byline, then paragraphs that count households, members, mu and yuan
(with 多/余/近/超过, 万/亿, Chinese and Arabic numerals, percents, ranges, years and multiples),
now and then a photo caption. Place names are real: counties, towns and villages of jionlp's
dictionary of administrative divisions (the one ``newsfacts.places`` reads). The same seed gives
the same files, byte for byte.

Files: pages of ``--per-file`` articles as ``.txt`` (headline, byline, body, separated by blank
lines; half of them open with front matter giving the date and the paper), and one article in ten
as ``.jsonl`` lines (``title``, ``published``, ``source``, ``text``). An article is about 3.75 KB
of UTF-8, so 12,000 articles make about 45 MB.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     a = generate(Path(d) / "a", 60, seed=3, per_file=20)
...     b = generate(Path(d) / "b", 60, seed=3, per_file=20)
...     same = [p.read_bytes() for p in sorted((Path(d) / "a").iterdir())] == \\
...            [p.read_bytes() for p in sorted((Path(d) / "b").iterdir())]
>>> (a["articles"], a["distinct"], same)
(60, 60, True)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

ARTICLE_CHARS = (1050, 1440)  # body length drawn per article; ~1250 characters is ~3.75 KB
FIGURE_SHARE = 0.4  # of the paragraphs; the rest are narrative, with few figures or none

# ----------------------------------------------------------------------------------------------
# places


@dataclass(frozen=True)
class County:
    province: str
    city: str
    name: str
    towns: tuple[tuple[str, tuple[str, ...]], ...]  # (town, villages)


_BLOCK = re.compile(r"^(\t{0,3})([^\t\n]+)[^\n]*\n((?:\t\t\t\t[^\n]*\n)*)", re.M)


def load_counties(limit: int = 1200, seed: int = 0) -> list[County]:
    """Counties with their towns (镇/乡) and villages (村), from jionlp's location dictionary."""
    from newsfacts import places

    text = places._read_zip_text(places._dictionary_dir() / "china_location.zip")
    text = text.replace("\r\n", "\n") + "\n"
    counties: list[County] = []
    province = city = county = ""
    towns: list[tuple[str, tuple[str, ...]]] = []

    def close():
        if county and len(towns) >= 2:
            counties.append(County(province, city, county, tuple(towns)))

    for m in _BLOCK.finditer(text):
        depth, name, villages = len(m.group(1)), m.group(2).strip(), m.group(3)
        if depth <= 2:
            close()
            towns = []
            county = ""
            if depth == 0:
                province = name
            elif depth == 1:
                city = name
            elif name.endswith(("县", "市", "区", "旗")) and "开发" not in name and "工业" not in name:
                county = name
        elif depth == 3 and county and name.endswith(("镇", "乡")):
            vs = tuple(v.strip() for v in villages.split("\n") if v.strip().endswith("村"))
            if len(vs) >= 3:
                towns.append((name, vs[:40]))
    close()
    rng = random.Random(seed)
    rng.shuffle(counties)
    return counties[:limit]


# ----------------------------------------------------------------------------------------------
# numbers as the press writes them

_CN = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """An integer below 10**8 in Chinese numerals: 1200 -> 一千二百, 36 -> 三十六, 2 -> 两.

    >>> [chinese(n) for n in (2, 10, 16, 36, 105, 1200, 2008, 30000, 45600)]
    ['两', '十', '十六', '三十六', '一百零五', '一千二百', '两千零八', '三万', '四万五千六百']
    """
    if n >= 10_000:
        hi, lo = divmod(n, 10_000)
        return chinese(hi) + "万" + ("" if lo == 0 else ("零" if lo < 1000 else "") + chinese(lo))
    if n == 2:
        return "两"
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
            if d == 1 and value == 10 and not out:
                out += "十"
            else:
                out += ("两" if d == 2 and value >= 1000 else _CN[d]) + unit
            zero = False
        elif out:
            zero = True
    return out or "零"


class Writer:
    """Random figures in the styles of the genre."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def int_(self, lo: int, hi: int) -> int:
        n = self.rng.randint(lo, hi)
        if n >= 100 and self.rng.random() < 0.6:  # round figures are common
            step = 10 ** (len(str(n)) - 2)
            n = max(step, n // step * step)
        return n

    def count(self, unit: str, lo: int = 3, hi: int = 2000) -> str:
        r = self.rng.random()
        n = self.int_(lo, hi)
        if r < 0.40:
            return f"{n}{unit}"
        if r < 0.55:
            return f"{n}{self.rng.choice('多余')}{unit}"
        if r < 0.65:
            return f"{self.rng.choice(['近', '超过', '约', '不到', '逾'])}{n}{unit}"
        if r < 0.80 and n < 10_000:
            return f"{chinese(n)}{unit}" if n < 100 or n % 10 == 0 else f"{n}{unit}"
        if r < 0.90 and hi >= 20_000:
            return f"{self.rng.randint(11, hi // 1000) / 10:g}万{unit}"
        return f"{n}{unit}{self.rng.choice(['以上', '左右'])}"

    def money(self, lo: int = 5, hi: int = 5000) -> str:
        """Yuan: 86万元, 1.2亿元, 380余万元, 3100余元."""
        r = self.rng.random()
        if r < 0.45:
            return f"{self.int_(lo, hi)}万元"
        if r < 0.60:
            return f"{self.int_(lo, hi)}余万元"
        if r < 0.70:
            return f"{self.rng.randint(11, 95) / 10:g}亿元"
        if r < 0.85:
            return f"{self.int_(1000, 60000)}元"
        return f"{self.rng.randint(101, 9999) / 100:g}万元"

    def percent(self) -> str:
        r = self.rng.random()
        if r < 0.55:
            return f"{self.rng.randint(10, 999) / 10:g}%"
        if r < 0.70:
            return f"{self.rng.randint(2, 60)}%"
        if r < 0.82:
            return f"{self.rng.choice(['近', '约', ''])}{_CN[self.rng.randint(1, 9)]}成"
        if r < 0.92:
            return f"{self.rng.randint(1, 30) / 10:g}个百分点"
        return f"百分之{chinese(self.rng.randint(11, 90))}"

    def range_(self, unit: str, lo: int, hi: int) -> str:
        a = self.rng.randint(lo, hi - 1)
        b = self.rng.randint(a + 1, hi)
        if self.rng.random() < 0.5:
            return f"{a}{unit}至{b}{unit}"
        return f"{a}至{b}{unit}"

    def year(self, end: int) -> str:
        return f"{self.rng.randint(end - 6, end - 1)}年"

    def multiple(self) -> str:
        return self.rng.choice([f"{self.rng.randint(11, 49) / 10:g}倍", "一倍多", "翻了一番",
                                f"{self.rng.randint(2, 5)}倍多"])


# ----------------------------------------------------------------------------------------------
# people and words

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "建国明华丽军伟芳敏静秀英玉兰海波宇浩然思雨晓岚立新志强春生国庆红梅桂香德福金凤云飞子涵俊杰家豪雪梅文斌亚楠巧云正东永刚少华晓东光辉振华"

CROPS = ["高山蔬菜", "茶叶", "油茶", "中药材", "食用菌", "柑橘", "猕猴桃", "葡萄", "蓝莓", "脐橙", "花椒",
         "核桃", "香菇", "水稻", "稻虾", "甜瓜", "草莓", "苗木花卉", "黄桃", "红薯"]
THEMES = ["党支部建在产业链上", "“小积分”兑出文明新风", "闲置农房变身民宿", "村集体经济稳步增长",
          "党员联户解民忧", "网格化管理提升治理效能", "产业党小组带富一方", "强村公司激活发展动能",
          "“田保姆”托管出效益", "红色物业进小区", "青年干部到一线“墩苗”", "数字乡村建设提速",
          "人居环境整治见实效", "特色产业铺就致富路", "“四议两公开”让村务更透明", "驻村工作队扎根一线"]
PAPERS = ["湖北日报", "湖南日报", "四川日报", "河南日报", "浙江日报", "江西日报", "安徽日报", "福建日报",
          "广西日报", "贵州日报", "云南日报", "陕西日报", "甘肃日报", "山西日报", "河北日报"]

# ----------------------------------------------------------------------------------------------
# templates: {k} county, {t} town, {v} village, {v2} {v3} other villages of the town, {p} a
# person, {crop}, then figures: {c:户} a count with its measure word, {m} money, {pct} a percent,
# {r:岁:25:45} a range, {y} a year before the article's, {x} a multiple, {n} a small count.

HEADLINES = [
    "{k}{t}：{theme}",
    "{v}：{theme}",
    "{k}：{theme}",
    "{t}{v}{c:户}村民喜迁新居",
    "{k}今年新增{crop}种植面积{c:亩}",
    "{t}：{crop}产业带动{c:户}群众增收",
    "{k}{n}个村集体收入突破{m}",
    "{v}党支部：{theme}",
]

PARAGRAPHS = [
    "近年来，{t}把党支部建在产业链上，全镇{n}个村共组建产业党小组{c:个:5:60}，吸纳党员{c:名}，带动{c:户}农户发展{crop}和乡村旅游。",
    "{v}党总支书记{p}介绍，村里流转土地{c:亩}，种植{crop}，引进农业企业{n}家，{y}村集体经济收入达到{m}，比上年增长{pct}。",
    "去年，全镇村集体经济收入超过{m}的村达到{n}个，占全镇村总数的{pct}。镇党委组织开展“党员联户”活动，每名党员联系{r:户:3:12}群众，累计收集意见建议{c:条}，办结率达到{pct}。",
    "{v2}今年计划新建冷链仓储中心{n}座，总投资约{m}，建成后可带动周边{n}个村的{crop}错峰销售，每年减少损耗约{pct}。",
    "{v}地处{t}东部，全村共有农户{c:户}、人口{c:人}，其中党员{c:名}，外出务工人员{c:人}。",
    "{y}，村里牵头成立{crop}专业合作社，吸纳入股农户{c:户}，流转土地{c:亩}，亩均纯收入提高约{c:元}。合作社实行“保底收益+按股分红”，去年向入股农户分红{m}，户均{c:元}。",
    "为破解技术难题，村里请来{n}名省级农业专家，分{n}个批次开展培训{c:场}、培训{c:人次}，并选派{n}名35岁以下的年轻党员外出学习。",
    "今年，合作社计划将种植面积扩大到{c:亩}，带动周边{n}个村共同发展，力争年产值突破{m}。",
    "{k}从县直单位选派{c:名}{r:岁:25:45}的优秀年轻干部，到{c:个:10:80}重点村挂职锻炼，挂职时间一般为{r:年:1:3}。",
    "挂职干部中，女性干部占{pct}，具有硕士研究生学历的有{c:名:3:60}。一年来，挂职干部共协调解决道路硬化、安全饮水等民生难题{c:件}，帮助引进项目{c:个:3:60}，落地资金超过{m}。",
    "“把办公桌搬到群众家门口，才知道群众最盼什么。”在{t}{v}挂职的干部{p}说，他和村干部一起更换了破损的宣传栏{c:块}，修通了一条长约{c:米}的背街小巷。",
    "据统计，全县村党组织书记中具有大专及以上学历的占{pct}，比上一届提高了{pct}；{r:岁:35:55}的书记有{c:名}。",
    "{k}实施人居环境整治提升行动以来，累计改造农村户厕{c:座}，新建污水处理设施{c:处}，清理垃圾{c:吨}，农村生活垃圾无害化处理率达到{pct}。",
    "走进{v}，{c:栋}白墙黛瓦的民居错落有致。{y}以来，村里盘活闲置农房{c:栋}，发展民宿{c:家}、床位{c:张}，接待游客{c:人次}，旅游综合收入{m}。",
    "{t}推行网格化管理，全镇划分网格{c:个:20:120}，配备专兼职网格员{c:名}，{y}以来排查化解矛盾纠纷{c:起}，化解率{pct}。",
    "镇里设立“积分超市”{n}家，村民参与环境整治、志愿服务等可获得积分，累计发放积分{c:分}，兑换生活用品{c:件}，参与群众{c:人}。",
    "{k}投入资金{m}，新建和改造农村公路{c:公里}，完成危桥改造{c:座}，{c:个:10:200}自然村通了硬化路，群众出行时间缩短了{pct}。",
    "今年上半年，全县新发展党员{c:名}，其中35岁以下的占{pct}，具有大专以上学历的占{pct}；回引在外优秀人才{c:名}，储备村级后备力量{c:名}。",
    "{v3}的{crop}基地里，{c:名}村民正在忙着采摘。“以前种玉米，一亩地一年收入不到{c:元}；现在种{crop}，一亩收入{c:元}，翻了一番还多。”村民{p}说。",
    "强村公司成立{r:年:2:5}来，承接小型工程项目{c:个}，合同金额{m}，为村集体增收{m}，带动{c:名}村民在家门口就业，人均月增收{c:元}。",
    "{k}共有{c:个:20:400}行政村、{c:个:3:60}社区，常住人口{c:万人}；{y}全县地区生产总值{m}，同比增长{pct}，农村居民人均可支配收入{c:元}。",
    "全县{c:个:20:400}村全部建成党群服务中心，面积均在{c:平方米}以上，配备便民服务代办员{c:名}，全年代办事项{c:件}，群众满意度{pct}。",
    "{t}组织{n}支志愿服务队，常态化开展志愿服务{c:场}，服务群众{c:人次}，其中为{c:名}留守老人和{c:名}留守儿童提供结对帮扶。",
    "{y}，{v}的{crop}产量达到{c:吨}，销售额{m}，较{y}增长{x}，带动脱贫户{c:户}、户均增收{c:元}。",
    "驻村工作队{n}名队员吃住在村，走访农户{c:户}，建立民情台账{c:本}，帮助销售农产品{c:吨}，协调解决就业{c:人}。",
    "为让群众少跑腿，{t}推行“一窗通办”，将{c:项}政务服务事项下放到村，办理时限平均压缩{pct}，全年办件量{c:件}。",
]
# Paragraphs of narrative, quotes and policy language, with few figures or none: real pages
# have them between the figures (the seed page has about one figure per 90 characters).
NARRATIVE = [
    "党建强，发展强。{k}坚持以党建引领乡村振兴，推动组织链、产业链、利益链深度融合，把党组织的政治优势、组织优势转化为发展优势、治理优势。",
    "“过去村里的事没人管，现在大家有事都愿意找支部商量。”{v}村民{p}说，党员干部带头干、领着干，村里的面貌一年一个样。",
    "清晨的{v}，薄雾还未散去，{crop}基地里已是一片忙碌景象。村民们有的在田间管护，有的在分拣装箱，脸上洋溢着丰收的喜悦。",
    "{t}党委负责人表示，下一步将持续深化党建引领基层治理，聚焦群众急难愁盼问题，把服务做到群众心坎上，不断增强群众的获得感、幸福感、安全感。",
    "村党支部书记{p}是土生土长的{v}人，早年在外经商，回村后带着党员干部跑市场、找项目，硬是把一个“空壳村”变成了远近闻名的示范村。",
    "走进{t}党群服务中心，便民服务窗口前井然有序，工作人员正耐心地为前来办事的群众答疑解惑。墙上的服务清单一目了然，群众办事不再“多头跑”。",
    "“以前一到下雨天，路上全是泥，娃娃上学都要大人背。”说起村里的变化，{p}感慨万千，“现在路修好了，路灯亮了，日子越过越有奔头。”",
    "{k}把抓基层、打基础作为长远之计和固本之举，健全完善县乡村三级联动机制，推动资源、服务、管理向基层倾斜，让基层有人干事、有钱办事、有章理事。",
    "在{v}的文化广场上，几位老人正在树荫下拉家常，孩子们在一旁追逐嬉戏。村里的议事长廊、道德讲堂和农家书屋，成了村民们茶余饭后最爱去的地方。",
    "今年以来，{t}以“党建+”为抓手，探索推行“支部+合作社+农户”模式，引导党员带头领办产业项目，让群众在家门口实现增收致富。",
    "{p}告诉记者，合作社统一供种、统一技术、统一收购，解决了农户“不会种、卖不掉”的后顾之忧，大家种植的积极性越来越高。",
    "乡村要振兴，关键在人。{k}注重把优秀人才吸引到乡村振兴一线，通过“乡贤回归”“能人返乡”等方式，为村级发展注入新鲜血液。",
    "夜幕降临，{v}的路灯次第亮起，广场舞的音乐响了起来。“现在的村子，一点也不比城里差。”正在散步的村民{p}笑着说。",
    "据了解，{t}还将结合本地实际，进一步完善利益联结机制，推动产业提档升级，努力把资源优势转化为经济优势，让乡村产业“接二连三”。",
]
CAPTION = "{v}村民在新建的{place}里{act}。（本报记者 {p} 摄）"
CAPTION_PLACES = ["文化广场", "党群服务中心", "{crop}基地", "合作社车间", "民宿小院"]
CAPTION_ACTS = ["跳广场舞", "采摘{crop}", "分拣{crop}", "学习电商直播", "议事"]

# plausible magnitudes by measure word (a template may give its own: {c:名:3:40})
UNIT_RANGES = {"户": (30, 3000), "人": (50, 5000), "名": (3, 600), "个": (2, 300), "亩": (50, 20_000),
               "元": (500, 9000), "人次": (200, 50_000), "吨": (20, 30_000), "件": (20, 30_000),
               "分": (1000, 90_000), "米": (100, 5000), "平方米": (100, 600), "公里": (5, 400),
               "条": (20, 2000), "场": (3, 300), "座": (2, 500), "处": (2, 300), "栋": (10, 300),
               "家": (2, 200), "张": (20, 3000), "起": (10, 900), "块": (3, 60), "本": (10, 900),
               "项": (10, 300)}
_SLOT = re.compile(r"\{([a-z0-9]+)(?::([^}:]+))?(?::(\d+):(\d+))?\}")


class _Article:
    def __init__(self, rng: random.Random, county: County, published: date):
        self.rng, self.w = rng, Writer(rng)
        self.county = county
        town, villages = rng.choice(county.towns)
        picked = rng.sample(villages, 3)
        self.slots = {"k": county.name, "t": town, "v": picked[0], "v2": picked[1], "v3": picked[2]}
        self.year = published.year

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice((1, 2))))

    def fill(self, template: str) -> str:
        def sub(m: re.Match) -> str:
            key, unit, lo, hi = m.groups()
            if key in self.slots:
                return self.slots[key]
            if key == "p":
                return self.person()
            if key == "crop":
                return self.rng.choice(CROPS)
            if key == "theme":
                return self.rng.choice(THEMES)
            if key == "n":
                n = self.rng.randint(2, 30)
                return chinese(n) if n <= 10 and self.rng.random() < 0.5 else str(n)
            if key == "c":
                if unit == "万人":
                    return f"{self.rng.randint(50, 990) / 10:g}万人"
                low, high = (int(lo), int(hi)) if lo else UNIT_RANGES.get(unit, (3, 500))
                return self.w.count(unit, low, high)
            if key == "m":
                return self.w.money()
            if key == "pct":
                return self.w.percent()
            if key == "r":
                return self.w.range_(unit, int(lo), int(hi))
            if key == "y":
                return self.w.year(self.year)
            if key == "x":
                return self.w.multiple()
            raise KeyError(key)

        return _SLOT.sub(sub, template)

    def byline(self) -> str:
        if self.rng.random() < 0.7:
            return f"本报记者 {self.person()} 通讯员 {self.person()}"
        return f"本报记者 {self.person()}"

    def body(self) -> list[str]:
        target = self.rng.randint(*ARTICLE_CHARS)
        paras, size = [], 0
        figures = self.rng.sample(PARAGRAPHS, len(PARAGRAPHS))
        words = self.rng.sample(NARRATIVE, len(NARRATIVE))
        while size < target and (figures or words):
            pick = figures if figures and (not words or self.rng.random() < FIGURE_SHARE) else words
            p = self.fill(pick.pop())
            paras.append(p)
            size += len(p)
        if self.rng.random() < 0.3:
            place = self.fill(self.rng.choice(CAPTION_PLACES))
            act = self.fill(self.rng.choice(CAPTION_ACTS))
            paras.append(self.fill(CAPTION.replace("{place}", place).replace("{act}", act)))
        return paras


# ----------------------------------------------------------------------------------------------
# files


def generate(out: Path, articles: int, seed: int = 1, per_file: int = 50, jsonl_share: float = 0.1) -> dict:
    """Write ``articles`` distinct articles under ``out``; return counts and sizes."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    counties = load_counties(seed=seed)
    seen: set[bytes] = set()
    total_bytes = files = made = 0
    n_jsonl = int(round(articles * jsonl_share))
    n_txt = articles - n_jsonl
    start = date(2024, 1, 1)

    def article(published: date) -> tuple[str, str, list[str]]:
        while True:
            a = _Article(rng, rng.choice(counties), published)
            title = a.fill(rng.choice(HEADLINES))
            body = a.body()
            key = hashlib.sha1("\n".join([title, *body]).encode()).digest()
            if key not in seen:
                seen.add(key)
                return title, a.byline(), body

    page = 0
    while made < n_txt:
        published = start + timedelta(days=page % 366)
        paper = PAPERS[page % len(PAPERS)]
        chunks = []
        if page % 2 == 0:
            chunks.append(f"---\npublished: {published.isoformat()}\nsource: {paper}\n---")
        for _ in range(min(per_file, n_txt - made)):
            title, byline, body = article(published)
            chunks.extend([title, byline, *body])
            made += 1
        data = ("\n\n".join(chunks) + "\n").encode("utf-8")
        (out / f"page-{page:05d}.txt").write_bytes(data)
        total_bytes += len(data)
        files += 1
        page += 1
    done_jsonl, part = 0, 0
    while done_jsonl < n_jsonl:
        lines = []
        for _ in range(min(per_file, n_jsonl - done_jsonl)):
            published = start + timedelta(days=rng.randint(0, 365))
            title, byline, body = article(published)
            text = f"本报讯（{byline.replace('本报记者', '记者')}）" + "\n\n".join(body)
            lines.append(json.dumps({"title": title, "published": published.isoformat(),
                                     "source": rng.choice(PAPERS), "text": text}, ensure_ascii=False))
            done_jsonl += 1
        data = ("\n".join(lines) + "\n").encode("utf-8")
        (out / f"briefs-{part:04d}.jsonl").write_bytes(data)
        total_bytes += len(data)
        files += 1
        part += 1
    return {"articles": made + done_jsonl, "distinct": len(seen), "files": files, "bytes": total_bytes}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="folder to write (created)")
    ap.add_argument("--articles", type=int, default=12_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-file", type=int, default=50, help="articles per .txt page and .jsonl file")
    args = ap.parse_args(argv)
    s = generate(args.out, args.articles, seed=args.seed, per_file=args.per_file)
    print(f"{s['articles']} articles ({s['distinct']} distinct) in {s['files']} files, "
          f"{s['bytes'] / 1e6:.1f} MB, under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
