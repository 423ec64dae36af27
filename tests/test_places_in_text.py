"""Which place a figure is about, read as a reader would (own-words fixtures, real place names)."""
from __future__ import annotations

import pytest

from newsfacts.extract import Context, extract_document
from newsfacts.places import default_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return default_gazetteer()


def _places(text, gaz):
    return {f.surface: f.place for f in extract_document(text, Context(source_path="t.txt"), gaz).facts}


def test_the_nearest_name_before_the_figure_in_its_sentence(gaz):
    p = _places("嘉鱼县今年新建村级服务站36个,潘家湾镇建成12个。", gaz)
    assert p["36个"] == "嘉鱼县" and p["12个"] == "潘家湾镇"


def test_a_place_is_carried_to_later_sentences(gaz):
    p = _places("走进苍溪县,果园连片。全年销售猕猴桃20万吨。", gaz)
    assert p["20万吨"] == "苍溪县"


def test_county_words_point_at_the_county_last_named(gaz):
    text = "在苍溪县歧坪镇,果农忙着剪枝。县里建成冷链仓储中心6个,并在北京、上海等5个城市设立窗口。"
    assert _places(text, gaz)["6个"] == "苍溪县"


def test_a_quote_takes_the_place_of_its_attribution(gaz):
    text = "“我们社区一年办了40多场活动。”荆门市掇刀区杨湾路社区书记说。"
    assert _places(text, gaz)["40多场"] == "杨湾路社区"


def test_the_paper_in_the_byline_gives_the_province(gaz):
    text = "全省新建驿站\n\n四川日报记者 某某\n\n今年以来,全省新建户外劳动者驿站1200个。"
    p = extract_document(text, Context(source_path="t.txt"), gaz).facts
    assert [f.place for f in p if f.surface == "1200个"] == ["四川省"]
    assert p[0].place_province == "四川省"


def test_province_city_county_are_resolved(gaz):
    f = [f for f in extract_document("嘉鱼县新建服务站36个。", Context(source_path="t.txt"), gaz).facts][0]
    assert (f.place_province, f.place_city, f.place_county) == ("湖北省", "咸宁市", "嘉鱼县")


def test_a_list_of_places_before_fenbie_gives_each_figure_its_own(gaz):
    p = _places("嘉鱼县、苍溪县分别新建村级服务站36个和28个。", gaz)
    assert p["36个"] == "嘉鱼县" and p["28个"] == "苍溪县"


def test_fenbie_with_more_figures_than_places_spreads_nothing(gaz):
    p = _places("嘉鱼县、苍溪县分别新建服务站36个、28个和19个。", gaz)
    assert set(p.values()) == {"苍溪县"}


def test_a_destination_is_not_the_figures_place(gaz):
    p = _places("今年以来,大悟县向广东、浙江等地输送务工人员3.5万人,实现劳务收入42亿元。", gaz)
    assert p["3.5万人"] == "大悟县" and p["42亿元"] == "大悟县"


def test_a_yardstick_is_not_the_figures_place(gaz):
    p = _places("嘉鱼县蔬菜产量居咸宁市首位,去年达到150万吨,比赤壁市高出20%。", gaz)
    assert p["150万吨"] == "嘉鱼县" and p["20%"] == "嘉鱼县"


def test_our_province_is_the_papers(gaz):
    text = "全省新建高标准农田\n\n湖北日报记者 某某\n\n荆州市新建高标准农田56万亩,襄阳市48万亩。今年我省还将新建120万亩。"
    facts = extract_document(text, Context(source_path="t.txt"), gaz).facts
    assert {f.surface: f.place for f in facts}["120万亩"] == "湖北省"


def test_the_whole_prefecture_is_not_a_county_named_quan(gaz):
    p = _places("恩施州大力发展旅游业,去年全州旅游综合收入380亿元。", gaz)
    assert p["380亿元"] == "恩施土家族苗族自治州"


def test_a_county_level_city_is_its_own_whole_city(gaz):
    p = _places("英德市大力发展茶产业。去年全市茶园面积达到17.5万亩。", gaz)
    assert p["17.5万亩"] == "英德市"


def test_a_numeral_that_opens_a_place_name_is_no_figure(gaz):
    p = _places("三元区六间房镇西五十家村今年新建冷库3座,一千八百户村民受益。", gaz)
    assert sorted(p) == ["3座", "一千八百户"], p


def test_a_total_before_a_part_in_a_town_keeps_the_county(gaz):
    p = _places("嘉鱼县持续推进粮食生产。去年粮食总产量达到52万吨,其中潘家湾镇18万吨。", gaz)
    assert p["52万吨"] == "嘉鱼县" and p["18万吨"] == "潘家湾镇"


def test_the_whole_country_is_no_place_and_an_honour_is_no_country(gaz):
    p = _places("湖北省粮食生产稳中有进。全国粮食总产量13908亿斤,全省粮食总产量555亿斤。"
                "荆州市获评全国文明城市,全市新建高标准农田30万亩。", gaz)
    assert (p["13908亿斤"], p["555亿斤"], p["30万亩"]) == (None, "湖北省", "荆州市")
