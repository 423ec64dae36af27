"""newsfacts.places: place names found in Chinese text and resolved against jionlp's dictionary.

The sentences are written for these tests. The gazetteer is loaded once per module; its index is
built at first use and then read from the cache (``$NEWSFACTS_CACHE`` or ``~/.cache/newsfacts``).
"""
from __future__ import annotations

import os
import pickle
import zipfile
from pathlib import Path

import pytest

from newsfacts import places
from newsfacts.errors import ConfigError
from newsfacts.places import Gazetteer, Place, default_gazetteer, province_for_prefix


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def names(gazetteer: Gazetteer, text: str, **kwargs) -> list[tuple[str, str]]:
    """(span as written, full name) of each mention."""
    return [(m.text, m.place.name) for m in gazetteer.find(text, **kwargs)]


def place_of(gazetteer: Gazetteer, text: str, written: str, **kwargs) -> Place:
    [place] = [m.place for m in gazetteer.find(text, **kwargs) if m.text == written]
    return place


# -- chains and short names ---------------------------------------------------------------------


def test_a_chain_resolves_top_down(gazetteer):
    mentions = gazetteer.find("调研组来到鄂州市鄂城区长港镇峒山村，察看水稻长势。")
    assert [(m.text, m.place) for m in mentions] == [
        ("鄂州市", Place("鄂州市", places.CITY, "湖北省", "鄂州市", None)),
        ("鄂城区", Place("鄂城区", places.COUNTY, "湖北省", "鄂州市", "鄂城区")),
        ("长港镇", Place("长港镇", places.TOWN, "湖北省", "鄂州市", "鄂城区")),
        ("峒山村", Place("峒山村", places.VILLAGE, "湖北省", "鄂州市", "鄂城区")),
    ]


def test_a_chain_may_start_with_a_short_name(gazetteer):
    assert names(gazetteer, "咸宁嘉鱼县潘家湾镇四邑村的蔬菜基地") == [
        ("咸宁", "咸宁市"), ("嘉鱼县", "嘉鱼县"), ("潘家湾镇", "潘家湾镇"), ("四邑村", "四邑村")]
    assert place_of(gazetteer, "荆门市掇刀区白庙街道杨湾路社区", "杨湾路社区").county == "掇刀区"


@pytest.mark.parametrize("text, written, full_name", [
    ("宜昌今年新增市场主体五万户。", "宜昌", "宜昌市"),
    ("荆门的农产品加工产值突破千亿元。", "荆门", "荆门市"),
    ("湖北全年粮食产量稳定。", "湖北", "湖北省"),
    ("嘉鱼的蔬菜销往全国。", "嘉鱼", "嘉鱼县"),
    ("恩施州茶园面积超过二百万亩。", "恩施州", "恩施土家族苗族自治州"),
    ("恩施的硒茶远近闻名。", "恩施", "恩施土家族苗族自治州"),
    ("长阳县的清江画廊游客如织。", "长阳县", "长阳土家族自治县"),
    ("襄阳的汽车产业集群加快发展。", "襄阳", "襄阳市"),
    ("湘西的茶园面积稳步扩大。", "湘西", "湘西土家族苗族自治州"),
    ("老报纸上还写着襄樊。", "襄樊", "襄阳市"),          # renamed in 2010
    ("吉安的井冈蜜柚丰收了。", "吉安", "吉安市"),        # the city, not the county under it
])
def test_a_short_name_resolves_to_its_full_name(gazetteer, text, written, full_name):
    assert place_of(gazetteer, text, written).name == full_name


def test_the_longest_name_wins(gazetteer):
    assert names(gazetteer, "湖北省恩施土家族苗族自治州") == [
        ("湖北省", "湖北省"), ("恩施土家族苗族自治州", "恩施土家族苗族自治州")]


def test_mentions_are_ordered_spans_that_do_not_overlap(gazetteer):
    text = "湖北京山市和浙江温州的企业签约，宜昌市夷陵区小溪塔街道派员参加。"
    mentions = gazetteer.find(text)
    assert [m.text for m in mentions] == ["湖北", "京山市", "浙江", "温州", "宜昌市", "夷陵区",
                                          "小溪塔街道"]
    assert all(text[m.start:m.end] == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))


# -- namesakes and context ----------------------------------------------------------------------

# 泉岗村 is a village of 江夏区 (Wuhan, Hubei) and of 嵊州市 (Shaoxing, Zhejiang).


@pytest.mark.parametrize("text, province, county", [
    ("江夏区今年新修农村公路八十公里，泉岗村的通村道路已全部硬化。", "湖北省", "江夏区"),
    ("嵊州市今年新修农村公路八十公里，泉岗村的通村道路已全部硬化。", "浙江省", "嵊州市"),
    ("泉岗村的通村道路已全部硬化。", None, None),
])
def test_a_village_known_in_two_provinces_is_resolved_by_an_earlier_county(
        gazetteer, text, province, county):
    place = place_of(gazetteer, text, "泉岗村")
    assert (place.name, place.level, place.province, place.county) == (
        "泉岗村", places.VILLAGE, province, county)


def test_the_caller_can_give_context(gazetteer):
    jiangxia = gazetteer.resolve("江夏区")
    assert place_of(gazetteer, "泉岗村的道路已全部硬化。", "泉岗村", context=[jiangxia]).county == "江夏区"
    assert gazetteer.resolve("泉岗村", context=[jiangxia]).city == "武汉市"


def test_an_ambiguous_full_name_keeps_unknown_ancestors(gazetteer):
    assert place_of(gazetteer, "朝阳区的居民", "朝阳区") == Place("朝阳区", places.COUNTY, None, None, None)
    assert place_of(gazetteer, "北京市朝阳区的居民", "朝阳区").city == "北京市"


def test_an_ambiguous_short_name_is_left_out(gazetteer):
    assert names(gazetteer, "朝阳的居民") == []                         # a city and two districts
    assert names(gazetteer, "北京朝阳的居民") == [("北京", "北京市"), ("朝阳", "朝阳区")]


def test_a_county_under_no_city(gazetteer):
    assert place_of(gazetteer, "仙桃市的无纺布", "仙桃市") == Place(
        "仙桃市", places.COUNTY, "湖北省", None, "仙桃市")


def test_a_chained_village_missing_under_its_town_takes_the_town_s_place(gazetteer):
    # the dictionary has 槐荫社区 only elsewhere; the chain says where this one is
    place = place_of(gazetteer, "孝感市孝南区书院街道槐荫社区新建老年食堂", "槐荫社区")
    assert (place.level, place.province, place.county) == (places.VILLAGE, "湖北省", "孝南区")


# -- what is not a place ------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "全村共有农户三百余户，每个村都配备了网格员。",
    "重点村和行政村的道路硬化率达到百分之百。",
    "城市社区和农村社区的服务中心全部建成。",
    "全市共有城中村改造项目二十个，市区、城区和郊区交通更加便捷。",
    "建设社会主义新农村，推进乡村振兴，建设宜居宜业和美乡村。",
    "新时代文明实践中心覆盖所有乡镇和村，全国文明村镇评选结果揭晓。",
    "该镇今年引进项目五个，本乡新增就业岗位一百个，社区居民满意度较高。",
    "辖区内景区、园区和山区的安全检查同步开展。",
])
def test_generic_words_are_not_places(gazetteer, text):
    assert names(gazetteer, text) == []


@pytest.mark.parametrize("text", [
    "公安机关持续推进平安建设，维护社会安定和长治久安。",
    "让人民群众安居乐业，我们坚持走和平发展道路。",
    "比如在东方航空的案例中，合作双方都获得了收益。",
    "据新华社报道，白银价格波动明显，大理石出口有所下降，普洱茶销量上升。",
    "中山路上的商铺陆续恢复营业，太平洋沿岸贸易往来密切。",
    "各位来宾，要把惠农政策落到实处。",
    "提高县级财政保障能力，推动创新县域经济发展。",
    "要大兴调查研究之风，重点支持大别山区和武陵山区。",
])
def test_common_words_are_not_places(gazetteer, text):
    assert names(gazetteer, text) == []


@pytest.mark.parametrize("text, expected", [
    ("荆州公安县的油菜花开了。", [("荆州", "荆州市"), ("公安县", "公安县")]),
    ("荆州公安的油菜花开了。", [("荆州", "荆州市"), ("公安", "公安县")]),
    ("甘肃白银的企业", [("甘肃", "甘肃省"), ("白银", "白银市")]),
    ("福建平潭的海岸", [("福建", "福建省"), ("平潭", "平潭县")]),
    ("荆州公安局", [("荆州", "荆州市")]),
])
def test_a_common_word_name_counts_right_after_its_city_or_province(gazetteer, text, expected):
    assert names(gazetteer, text) == expected


@pytest.mark.parametrize("text", [
    "村党支部书记张嘉鱼介绍了今年的工作。",
    "记者刘宜昌报道。",
    "孙中山先生倡导天下为公。",
    "赵县长在会上讲话。",
])
def test_a_person_s_name_is_not_a_place(gazetteer, text):
    assert names(gazetteer, text) == []


def test_party_and_government_words_are_not_places(gazetteer):
    assert names(gazetteer, "省委常委会指出，全省上下和团省委、市委、县委都要抓好落实。") == []


def test_a_common_word_village_needs_its_county_or_town(gazetteer):
    assert names(gazetteer, "他带领乡亲们团结村民共同致富。") == []
    assert names(gazetteer, "鄂城区团结村的党员") == [("鄂城区", "鄂城区"), ("团结村", "团结村")]


# -- resolve and newspapers ---------------------------------------------------------------------


def test_resolve(gazetteer):
    assert gazetteer.resolve("掇刀区") == Place("掇刀区", places.COUNTY, "湖北省", "荆门市", "掇刀区")
    assert gazetteer.resolve("嘉鱼").name == "嘉鱼县"
    assert gazetteer.resolve("不是地名") is None


@pytest.mark.parametrize("text, province", [
    ("湖北日报讯（记者）今年以来", "湖北省"),
    ("《河南日报》评论员文章", "河南省"),
    ("四川日报 记者", "四川省"),
    ("广西日报讯", "广西壮族自治区"),
    ("大众日报讯", "山东省"),
    ("人民日报", None),
    ("荆门日报讯", None),            # a city's paper says nothing about the province here
    ("本报讯", None),
])
def test_province_for_prefix(text, province):
    place = province_for_prefix(text)
    assert (place.name if place else None) == province


# -- loading and the cache ----------------------------------------------------------------------


def fake_jionlp(root: Path) -> Path:
    """A jionlp package with a five-line dictionary, so that a build takes no time."""
    folder = root / "jionlp" / "dictionary"
    folder.mkdir(parents=True)
    (root / "jionlp" / "__init__.py").write_text("__version__ = '0.0.test'\n", encoding="utf-8")
    files = {
        "china_location": "\r\n".join(["湖北省\t420000\t湖北", "\t鄂州市\t420700\t鄂州",
                                       "\t\t鄂城区\t420704\t鄂城", "\t\t\t长港镇", "\t\t\t\t峒山村"]),
        "word_distribution": '["鄂州", 100]\n["长港", 3]\n',
        "chinese_word_dictionary": "峒山\t山名。\r\n",
        "chinese_idiom": "一丁不识\t1\r\n",
    }
    for name, text in files.items():
        with zipfile.ZipFile(folder / f"{name}.zip", "w") as archive:
            archive.writestr(f"{name}.{'json' if name == 'word_distribution' else 'txt'}", text)
    return folder


@pytest.fixture()
def small_jionlp(tmp_path, monkeypatch) -> Path:
    folder = fake_jionlp(tmp_path)
    monkeypatch.setattr(places, "_dictionary_dir", lambda: folder)
    monkeypatch.setenv("NEWSFACTS_CACHE", str(tmp_path / "cache"))
    return folder


def test_load_reads_the_cache_the_second_time(small_jionlp, tmp_path, monkeypatch):
    first = Gazetteer.load()
    assert [p.name for p in (tmp_path / "cache").iterdir()][0].startswith("places-")

    def no_build(self):
        raise AssertionError("built again")

    monkeypatch.setattr(places._Builder, "build", no_build)
    second = Gazetteer.load()
    text = "鄂州市鄂城区长港镇峒山村"
    assert second.find(text) == first.find(text)
    assert second.find(text)[-1].place.county == "鄂城区"


def test_a_gazetteer_pickles_for_worker_processes(small_jionlp):
    gazetteer = pickle.loads(pickle.dumps(Gazetteer.load()))
    assert gazetteer.find("鄂城区峒山村")[-1].place.city == "鄂州市"


def test_a_changed_dictionary_is_built_again(small_jionlp, monkeypatch):
    Gazetteer.load()
    built = []
    original = places._Builder.build
    monkeypatch.setattr(places._Builder, "build", lambda self: built.append(1) or original(self))
    zip_path = small_jionlp / "china_location.zip"
    stat = zip_path.stat()
    os.utime(zip_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    Gazetteer.load()
    assert built == [1]


def test_a_missing_jionlp_is_a_config_error(monkeypatch):
    monkeypatch.setattr(places.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ConfigError, match="jionlp is not installed"):
        Gazetteer.load()
