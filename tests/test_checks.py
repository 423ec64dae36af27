"""The consistency rules (expectations/rules.toml, sql/checks/): each kind of rule passes on a
text whose figures agree and fails on the same text with one figure changed, naming that figure;
look-alikes that read as contradictions but are not stay quiet.

Every text goes through the real extractor and warehouse (tests/helpers.py), so a case shows
what a user would see. The texts are written for these tests.
"""
from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsfacts import checks
from tests.helpers import Bench, Checked, Text

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Case:
    """Texts that must make ``rule`` fail, naming the fact whose surface is ``changed``.

    Where two rules can each rightly catch the case, depending on how the extractor reads the
    list, ``rule`` names both and either will do.
    """

    rule: str | tuple[str, ...]
    texts: tuple[Text, ...]
    changed: str
    occurrence: int = 0  # which fact with that surface, in text order
    source: str = "case0.txt"  # the file the changed fact is in


def one(text: str, published=...) -> tuple[Text, ...]:
    return (text,) if published is ... else ((text, published),)


# Each failing case, and beside it the same text with the figures agreeing.
FAILING = {
    "ratio_band: branches per village": Case("ratio_band", one(
        "去年以来,青川县在186个行政村建立党支部20300个,实现组织全覆盖。"), "20300个"),
    "ratio_band: members per organisation below party rules": Case("ratio_band", one(
        "全市现有基层党组织3200多个、党员4100多名。"), "4100多名"),
    "ratio_band: attendances per class": Case("ratio_band", one(
        "今年夏天,团县委开办假期课堂120个,服务中小学生超过600万人次。"), "600万人次"),
    "ratio_band: people per batch": Case("ratio_band", one(
        "县里分5批次选派驻村干部23000名。"), "23000名"),
    "ratio_band: too many drawn from a few": Case("ratio_band", one(
        "全镇3个党支部的5000名党员参加了培训。"), "5000名"),
    "ratio_band: members per work team": Case("ratio_band", one(
        "全县组建驻村工作队120支、队员3600名。"), "3600名"),
    "ratio_fallback: stations per township": Case("ratio_fallback", one(
        "在8个乡镇成立志愿服务站1200个。"), "1200个"),
    "household_size: people lost a digit": Case("household_size", one(
        "该村有脱贫户86户31人,已全部实现稳定增收。"), "31人"),
    "household_size: households gained a digit": Case("household_size", one(
        "全村辖8个村民小组,3860户1420人。"), "3860户"),
    "part_within_whole: model villages outnumber villages": Case("part_within_whole", one(
        "全县共有行政村38个。县里确定了46个示范村,重点扶持其产业发展。"), "38个"),
    "part_within_whole: more chosen than applied": Case("part_within_whole", one(
        "村里公开招募网格员,共有23名村民报名。经过笔试面试,最终32人走上岗位。"), "32人"),
    "part_within_whole: 其中 larger than its total": Case("part_within_whole", one(
        "全村耕地面积4200亩,其中流转土地26000亩。"), "26000亩"),
    "parts_sum: organisations by type": Case("parts_sum", one(
        "全县共有基层党组织1500个,其中党委120个、党总支80个、党支部1400个。"), "1400个"),
    "parts_sum: villages by level": Case("parts_sum", one(
        "全县共建成示范村12个,其中省级3个、市级4个和县级7个。"), "12个"),
    "parts_sum: men and women": Case("parts_sum", one(
        "全县共有党员5600名,其中男党员4400名、女党员1300名。"), "1300名"),
    "parts_sum: public and private": Case("parts_sum", one(
        "全县有养老机构32家,其中公办养老机构20家、民办养老机构15家。"), "15家"),
    "bound_arithmetic: grids with a least size": Case("bound_arithmetic", one(
        "这个社区划分了9个网格,每个网格的志愿者都不少于8人,全社区登记志愿者52名。"), "52名"),
    "groups_of_items: fewer items than areas": Case("groups_of_items", one(
        "针对六个方面的4个短板,逐项制定整改措施。"), "4个"),
    "list_count: five teams, three named": Case("list_count", one(
        "镇上组建了宣讲队、调解队、巡逻队5支志愿服务队。"), "5支"),
    "list_count: four levels, three named": Case("list_count", one(
        "村里推行“村党委—网格党支部—楼栋党小组”四级管理。"), "四级"),
    "list_count: 等 list longer than its count": Case("list_count", one(
        "东湖社区、西湖社区、南湖社区、北湖社区、中心社区等4个社区被评为示范社区。"), "4个"),
    "list_count: items described one by one": Case("list_count", one(
        "合作社开通了三个线上店铺,一个卖茶叶,一个卖山货。"), "三个"),
    "list_count_partial: five of six before 等": Case("list_count_partial", one(
        "东湖社区、西湖社区、南湖社区、北湖社区、中心社区等6个社区被评为示范社区。"), "6个"),
    "list_count_figures: three lists, two itemised": Case("list_count_figures", one(
        "县委出台“三张清单”,包括14项责任清单和9项负面清单。"), "三张"),
    "list_count_figures: three lists, two described": Case(("list_count", "list_count_figures"), one(
        "县委出台“三张清单”。一张是14项责任清单,一张是9项禁止事项清单。"), "三张"),
    "title_body: multiple": Case("title_body", one(
        "桃花村集体收入三年增长2.8倍\n\n本报记者 林晓\n\n"
        "桃花村依托乡村旅游壮大集体经济。2023年,村集体经济收入达到84万元,较2020年增长1.8倍。"), "2.8倍"),
    "title_body: count": Case("title_body", one(
        "全县1800多名党员下沉社区\n\n本报记者 林晓\n\n疫情发生后,全县1200多名党员下沉到46个社区,参与值守服务。"),
        "1800多名"),
    "title_body: GDP in the headline": Case("title_body", one(
        "我县GDP增长6.5%\n\n本报记者 林晓\n\n前三季度,全县实现地区生产总值215亿元,同比增长5.6%。"), "6.5%"),
    "title_body: 经济总量 in the headline": Case("title_body", one(
        "我县经济总量突破300亿元\n\n本报记者 林晓\n\n去年,全县实现地区生产总值268亿元,同比增长5.2%。"), "突破300亿元"),
    "since_year: past the publication year": Case("since_year", one(
        "2016年,县里在柳湾村开展试点。18年来,试点经验推广到全县。"), "18年"),
    "average_arithmetic: income per household": Case("average_arithmetic", one(
        "全县带动1.3万户农户增收1.12亿元,户均增收6800元。"), "6800元"),
    "average_arithmetic: output per head": Case("average_arithmetic", one(
        "全县常住人口50万人,实现地区生产总值300亿元,人均地区生产总值8万元。"), "8万元"),
    "rate_arithmetic: a pass rate": Case("rate_arithmetic", one(
        "全县参加高考8960人,本科上线4816人,本科上线率58.3%。"), "58.3%"),
    "named_share: a whole named with 我县": Case("named_share", one(
        "全县共有党员860名。今年女党员达到315名,占我县党员总数的25%。"), "25%"),
    "share_arithmetic: a whole named with 该镇": Case("share_arithmetic", one(
        "全镇党员860名,其中女党员315名,占该镇党员总数的25%。"), "25%"),
    "title_body: an average's GDP in the headline": Case("title_body", one(
        "我县人均GDP突破9万元\n\n本报记者 林晓\n\n去年,全县人均地区生产总值8.2万元,同比增长5.2%。"), "突破9万元"),
    "title_body: an abbreviated head in the headline": Case("title_body", one(
        "规上工业产值突破100亿元\n\n本报记者 林晓\n\n去年,全县规模以上工业产值95亿元。"), "突破100亿元"),
    "unit_plausibility: a rate since the start of the year": Case("unit_plausibility", one(
        "今年以来全县家庭医生签约率达到105%。"), "105%"),
    "part_within_whole: a part after 中": Case("part_within_whole", one(
        "在全市208个社区中,已有286个建成红色物业。"), "286个"),
    "growth_arithmetic: against last year's value": Case("growth_arithmetic", one(
        "全市烟花出口额56.8亿元,比上年的46.8亿元增长31.4%。"), "31.4%"),
    "since_year: since a year after 自": Case("since_year", one(
        "湄潭县自2014年开展茶旅融合以来,12年来累计接待游客1200万人次。"), "12年"),
    "since_year_inferred: past every other year of the page": Case("since_year_inferred", one(
        "2016年,县里在柳湾村开展试点。18年来,试点经验推广到全县。2023年,全县新建示范点12个。", None), "18年"),
    "after_publication: a result dated next year": Case("after_publication", one(
        "2025年,全县建成示范村10个。"), "10个"),
    "growth_arithmetic: multiple": Case("growth_arithmetic", one(
        "2020年,该村集体经济收入为40万元。去年,村集体经济收入达到100万元,较2020年增长4.5倍。"), "4.5倍"),
    "growth_arithmetic: base value in the same sentence": Case("growth_arithmetic", one(
        "2023年,全镇集体经济收入达到150万元,较2021年的50万元增长了5倍。"), "5倍"),
    "growth_arithmetic: percent": Case("growth_arithmetic", one(
        "2022年合作社销售额200万元,2023年销售额达到260万元,比2022年增长60%。"), "60%"),
    "growth_arithmetic: doubling is twice, not three times": Case("growth_arithmetic", one(
        "2020年,村集体经济收入为40万元。去年,村集体经济收入达到120万元,较2020年翻了一番。"), "翻了一番"),
    "growth_arithmetic: a small growth": Case("growth_arithmetic", one(
        "2022年合作社销售额200万元,2023年销售额达到260万元,比2022年增长20%。"), "20%"),
    "change_arithmetic: percent growth": Case("change_arithmetic", one(
        "全镇农民人均收入由2019年的1.5万元增加到2023年的2.1万元,增长了60%。"), "60%"),
    "change_arithmetic: multiple": Case("change_arithmetic", one(
        "合作社年销售额从40万元提高到320万元,增长了10倍。"), "10倍"),
    "change_arithmetic: difference": Case("change_arithmetic", one(
        "入社农户由180户增加到260户,净增加60户。"), "60户"),
    "change_arithmetic: percentage points": Case("change_arithmetic", one(
        "全县空置农房比例由12.6%下降至4.2%,下降了6.4个百分点。"), "6.4个百分点"),
    "change_arithmetic: doubling": Case("change_arithmetic", one(
        "村里的民宿床位从120张增加到500张,翻了一番。"), "500张"),
    "share_arithmetic: share of a 其中 part": Case("share_arithmetic", one(
        "全镇现有党员1240名,其中35岁以下党员186名,占25%。"), "25%"),
    "share_arithmetic: share of an area": Case("share_arithmetic", one(
        "村里共有耕地2800亩,其中流转土地1900亩,占耕地总面积的86%。"), "1900亩"),
    "share_arithmetic: a share (占) above the whole": Case("share_arithmetic", one(
        "全村脱贫户占农户总数的112%。"), "112%"),
    "change_arithmetic: a small change": Case("change_arithmetic", one(
        "全县财政收入由8.6亿元增长到10亿元,增长8%。"), "8%"),
    "change_arithmetic: a fall": Case("change_arithmetic", one(
        "全县常住人口由45万人减少到42万人,下降12%。"), "12%"),
    "share_arithmetic: a share after 所占比例为": Case("share_arithmetic", one(
        "全乡共有党员860名,其中女党员215名,所占比例为35%。"), "35%"),
    "share_arithmetic: a share of a whole named without 总": Case("share_arithmetic", one(
        "全镇耕地面积4.2万亩,其中高标准农田3.1万亩,占耕地面积的84%。"), "84%"),
    "share_arithmetic: a share of the total of new members": Case("share_arithmetic", one(
        "今年新发展党员46名,其中女党员20名,占新发展党员总数的63.5%。"), "63.5%"),
    "change_arithmetic: 同比 from the year before": Case("change_arithmetic", one(
        "农民人均可支配收入由上年的17000元增加到18500元,同比增长18.8%。"), "18.8%"),
    "named_share: the whole stated in an earlier sentence": Case("named_share", one(
        "全乡共有党员860名。今年女党员达到215名,占党员总数的35%。"), "35%"),
    "named_share: a whole named without 总, no 其中": Case("named_share", one(
        "全镇耕地面积4.2万亩,高标准农田3.1万亩,占耕地面积的84%。"), "3.1万亩"),
    "change_arithmetic: 同比 against the same period": Case("change_arithmetic", one(
        "今年上半年全县税收收入由去年同期的6.8亿元增长到9.5亿元,同比增长10.3%。"), "10.3%"),
    "change_arithmetic: 环比": Case("change_arithmetic", one(
        "全县社会消费品零售总额由一季度的21.5亿元增加到二季度的26.1亿元,环比增长7.4%。"), "7.4%"),
    "cross_article: one output under two names": Case("cross_article", (
        "去年,竹山县地区生产总值达到268亿元。",
        "竹山县去年经济总量286亿元,比上年有所增加。"), "286亿元", source="case1.txt"),
    "cross_article: two incomes of one county": Case("cross_article", (
        "去年,竹山县集体经济收入达到126万元。",
        "竹山县去年集体经济收入162万元,今年有望再上新台阶。"), "162万元", source="case1.txt"),
    "unit_plausibility: a party member under 18": Case("unit_plausibility", one(
        "村里最年轻的党员今年只有9岁,是返乡创业的大学生。"), "9岁"),
    "unit_plausibility: more good-air days than a year has": Case("unit_plausibility", one(
        "全年空气质量优良天数达到3380天。"), "3380天"),
    "unit_plausibility: a life expectancy": Case("unit_plausibility", one(
        "全县人均预期寿命达到179.2岁。"), "179.2岁"),
    "unit_plausibility: village area in square metres": Case("unit_plausibility", one(
        "该村村域面积6.8平方米,耕地面积3100亩。"), "6.8平方米"),
    "unit_plausibility: county area in square metres": Case("unit_plausibility", one(
        "竹山县面积3588平方米,辖9个镇。"), "3588平方米"),
    "unit_plausibility: income that lost its 万": Case("unit_plausibility", one(
        "村民人均纯收入2.3元。"), "2.3元"),
    "unit_plausibility: a share above the whole": Case("unit_plausibility", one(
        "全镇高标准农田覆盖率达到198%。"), "198%"),
    "unit_plausibility: an impossible age": Case("unit_plausibility", one(
        "这位老党员今年已经203岁。"), "203岁"),
    "unit_plausibility: a yield beyond any crop": Case("unit_plausibility", one(
        "合作社种植的蔬菜亩产达到600吨。"), "600吨"),
}

# The same texts with their figures agreeing, and look-alikes: nothing may fail on any of them.
PASSING = {
    "ratio_band: branches per village": one("去年以来,青川县在186个行政村建立党支部203个,实现组织全覆盖。"),
    "ratio_band: members per organisation": one("全市现有基层党组织3200多个、党员4.1万多名。"),
    "ratio_band: attendances per class": one("今年夏天,团县委开办假期课堂120个,服务中小学生超过6000人次。"),
    "ratio_band: people per batch": one("县里分5批次选派驻村干部230名。"),
    "ratio_band: two clauses, two pairs": one("在12个社区建立楼栋党支部96个,在40个村建立党支部52个。"),
    "ratio_band: a few drawn from some": one("全镇3个党支部的5名党员参加了培训。"),
    "ratio_band: flows are not stocks": one("今年新发展党员12名,新建党支部6个。"),
    "ratio_band: secretaries and the villages they help": one("全县共选派第一书记286名,帮助32个村发展壮大集体经济。"),
    "ratio_band: a county's volunteers and its teams": one("全县有志愿服务队28支,注册志愿者8.6万人。"),
    "ratio_band: other work teams": one("全县派出乡村振兴工作队12支,队员396名。"),
    "ratio_band: members per work team": one("全县组建驻村工作队120支、队员360名。"),
    "ratio_band: grid workers over grids": one("全镇划分网格126个,配备专职网格员40名。"),
    "ratio_fallback: stations per township": one("在8个乡镇成立志愿服务站12个。"),
    "household_size: households and their people": one("该村有脱贫户86户312人,已全部实现稳定增收。"),
    "household_size: a village": one("全村辖8个村民小组,386户1420人。"),
    "household_size: households and members apart": one("慰问困难群众120户、党员56名。"),
    "household_size: businesses and their staff": one("全县个体工商户1200户3.6万人。"),
    "household_size: a single household": one("老李家1户12人,四世同堂。"),
    "part_within_whole: model villages": one("全县共有行政村188个。县里确定了46个示范村,重点扶持其产业发展。"),
    "part_within_whole: chosen from applicants": one("村里公开招募网格员,共有23名村民报名。经过笔试面试,最终9人走上岗位。"),
    "part_within_whole: 其中": one("全村耕地面积4200亩,其中流转土地2600亩。"),
    "part_within_whole: 最终 without a pool": one("村里有5名村干部。经过三个月的宣传发动,最终120人报名参加。"),
    "part_within_whole: two land totals": one(
        "村里去年整治荒地300亩,今年又复垦土地450亩,全村耕地总面积达到5200亩。全村土地面积1.2万亩,林地面积6800亩。"),
    "parts_sum: organisations by type": one("全县共有基层党组织1500个,其中党委120个、党总支80个、党支部1300个。"),
    "parts_sum: villages by level": one("全县共建成示范村12个,其中省级3个、市级4个和县级5个。"),
    "parts_sum: attributes of members overlap": one(
        "全村有党员56名,其中女党员22名、35岁以下党员20名、大专以上学历党员30名。"),
    "parts_sum: parts in clauses of their own": one("全镇耕地3万亩,其中水田2万亩,高标准农田2.6万亩。"),
    "parts_sum: parts of another unit": one("全乡有农户1200户,其中脱贫户300户、监测对象45人。"),
    "parts_sum: kinds that overlap": one(
        "全县有新型经营主体3300家,其中合作社1260家、家庭农场1860家、龙头企业86家、省级示范社120家。"),
    "parts_sum: villages in several programmes": one("全县有帮扶村12个,其中脱贫村5个、重点帮扶村6个、示范村3个。"),
    "parts_sum: the larger of two wholes": one(
        "全县户籍人口86万人,常住人口72万人,其中城镇人口45万人、乡村人口33万人。"),
    "bound_arithmetic: a change is no total": one(
        "全村共有党小组11个,党员86名,比上年增加5名,每个党小组的党员都在6人以上。"),
    "change_arithmetic: 同比 with one value dated": one("村集体收入由2020年的5万元增加到32万元,同比增长28%。"),
    "share_arithmetic: a whole that is a value added": one(
        "全年实现地区生产总值286亿元,规上工业增加值96亿元,其中高技术制造业增加值30亿元,占31.3%。"),
    "share_arithmetic: a whole that is new": one(
        "全县市场主体总量达4.2万户,全年新增市场主体5600户,其中新增企业1200户,占21.4%。"),
    "share_arithmetic: above a province's average": one("全县农村居民人均可支配收入1.9万元,占全省平均水平的105%。"),
    "share_arithmetic: above a task handed down": one("全县完成人工造林2.3万亩,占市下达数的115%。"),
    "growth_arithmetic: trillions rounded": one(
        "2023年全省地区生产总值1.2万亿元,比2022年增长5%。2022年全省地区生产总值1.1万亿元。"),
    "growth_arithmetic: doubled and a little more": one(
        "2023年全县村集体经济收入1.08亿元,较2020年实现翻番。2020年,全县村集体经济收入5000万元。"),
    "growth_arithmetic: a yearly rate": one(
        "2023年全县地区生产总值320亿元,较2018年年均增长7.5%。2018年全县地区生产总值230亿元。"),
    "part_within_whole: a part of what is new": one(
        "全县建成高标准农田示范区3个、面积2000亩,今年新增高标准农田3.2万亩,其中旱改水1.5万亩。"),
    "bound_arithmetic: a part is no total": one(
        "全村党员总数较上年增加5名达到86名,其中女党员18名,每个党小组的党员都超过6人,全村共有11个党小组。"),
    "parts_sum: two open-ended levels": one("全县农业产业化龙头企业40家,其中省级以上12家、市级以上35家。"),
    "parts_sum: women and women members": one("全县共评选表彰先进个人120名,其中女性68名、女党员60名。"),
    "parts_sum: two central sums": one(
        "全县争取上级资金12.6亿元,其中中央资金8.2亿元、中央预算内投资3.1亿元、省级资金2.5亿元。"),
    "bound_arithmetic: grids with a least size": one(
        "这个社区划分了9个网格,每个网格的志愿者都不少于8人,全社区登记志愿者112名。"),
    "groups_of_items: problems sorted into areas": one("针对六个方面的18个短板,逐项制定整改措施。"),
    "list_count: three teams named": one("镇上组建了宣讲队、调解队、巡逻队3支志愿服务队。"),
    "list_count: three levels named": one("村里推行“村党委—网格党支部—楼栋党小组”三级管理。"),
    "list_count: items described one by one": one("合作社开通了两个线上店铺,一个卖茶叶,一个卖山货。"),
    "list_count: two hierarchies side by side": one("全镇推行城市三级、农村四级网格体系。"),
    "list_count: a 等 list shorter than its count": one("张庄、李庄、王庄等5个村率先完成改造。"),
    "list_count: a 等 sample of a larger set": one("村里的文化墙画出了衣食住行、读书看病等八个方面的新气象。"),
    "list_count: a list that modifies the counted": one("来自北京、上海、广州的12名专家参加了论坛。"),
    "list_count: a list that a verb separates": one("镇里从教育、卫生、农业系统选派5名干部驻村。"),
    "list_count_figures: two lists itemised": one("县委出台“两张清单”,包括14项责任清单和9项负面清单。"),
    "list_count_figures: two lists described": one("县委出台“两张清单”。一张是14项责任清单,一张是9项禁止事项清单。"),
    "title_body: multiple": one(
        "桃花村集体收入三年增长1.8倍\n\n本报记者 林晓\n\n"
        "桃花村依托乡村旅游壮大集体经济。2023年,村集体经济收入达到84万元,较2020年增长1.8倍。"),
    "title_body: count": one(
        "全县1200多名党员下沉社区\n\n本报记者 林晓\n\n疫情发生后,全县1200多名党员下沉到46个社区,参与值守服务。"),
    "title_body: GDP in the headline": one(
        "我县GDP增长6.5%\n\n本报记者 林晓\n\n前三季度,全县实现地区生产总值215亿元,同比增长6.5%。"),
    "title_body: 经济总量 in the headline": one(
        "我县经济总量突破260亿元\n\n本报记者 林晓\n\n去年,全县实现地区生产总值268亿元,同比增长5.2%。"),
    "since_year: since a year after 自, and an earlier year in another paragraph": one(
        "2021年,全县启动茶园提质工程。\n\n自2014年开展茶旅融合以来,10年来全县累计接待游客1200万人次。"),
    "part_within_whole: a whole with no noun before 中": one("在已实施的18个中,已有126个村完工。"),
    "part_within_whole: villages in towns": one("在全县18个乡镇中,已有126个村建成村级综合服务中心。"),
    "part_within_whole: problems in campaigns": one("在开展的5个专项行动中,共有286个问题得到整改。"),
    "average_arithmetic: per household of the whole village": one(
        "该村156户农户通过外出务工实现收入312万元,全村户均收入达到4.8万元。"),
    "average_arithmetic: per villager, not per worker": one(
        "全村有劳动力620人,今年外出务工劳动力达480人,实现务工收入1440万元,全村人均务工收入1.1万元。"),
    "average_arithmetic: the households the total names": one(
        "全镇新登记个体工商户320户,带动周边农户增收1800万元,户均增收6000元。"),
    "rate_arithmetic: a rate of those inspected": one("新建改建农房1260户,已验收合格986户,验收合格率100%。"),
    "rate_arithmetic: a rate of graduates": one(
        "全县帮助1.2万人实现就业,其中高校毕业生就业3860人,毕业生就业率达到92%。"),
    "rate_arithmetic: a rate of those interviewed": one("1260名考生报名教师资格考试,面试通过412人,面试通过率65%。"),
    "named_share: the share of the town, the whole of the county": one(
        "全县耕地面积68万亩,石桥镇流转耕地2.4万亩,占该镇耕地面积的62%。"),
    "average_arithmetic: income per household": one("全县带动1.3万户农户增收1.12亿元,户均增收8600元。"),
    "average_arithmetic: output per head": one("全县常住人口50万人,实现地区生产总值300亿元,人均地区生产总值6万元。"),
    "average_arithmetic: a total of another thing": one("全村300户,年收入1200万元,户均增收5000元。"),
    "average_arithmetic: the households that gained": one("全县5000户,其中带动1200户增收960万元,户均增收8000元。"),
    "average_arithmetic: a dividend per member": one("合作社入社农户320户,去年分红96万元,户均分红3000元。"),
    "rate_arithmetic: a pass rate": one("全县参加高考8960人,本科上线4816人,本科上线率53.8%。"),
    "rate_arithmetic: a rate of a growth": one("全县规上企业86家,实现产值120亿元,产值增长率12%。"),
    "rate_arithmetic: a rate of another thing": one("全年办理事项2.9万件,办结2.8万件,群众满意率98%。"),
    "part_within_whole: a part after 中": one("在全市208个社区中,已有186个建成红色物业。"),
    "part_within_whole: a figure after 中 of another thing": one("全县118个村中,有96个村集体收入超过10万元,最高的达120万元。"),
    "growth_arithmetic: against last year's value": one("全市烟花出口额56.8亿元,比上年的46.8亿元增长21.4%。"),
    "list_count: 及 inside an item": one("其中起重装备、医疗器械、防腐蚀及建筑新材料三大主导产业产值增长12%。"),
    "since_year: within the publication year": one("2016年,县里在柳湾村开展试点。8年来,试点经验推广到全县。"),
    "since_year_inferred: within the page's years": one(
        "2016年,县里在柳湾村开展试点。8年来,试点经验推广到全县。2023年,全县新建示范点12个。", None),
    "after_publication: a target": one("到2026年,全县将建成示范村10个。"),
    "after_publication: last year's result": one("2023年,全县建成示范村10个。"),
    "growth_arithmetic: multiple": one(
        "2020年,该村集体经济收入为40万元。去年,村集体经济收入达到100万元,较2020年增长1.5倍。"),
    "growth_arithmetic: percent": one("2022年合作社销售额200万元,2023年销售额达到260万元,比2022年增长30%。"),
    "growth_arithmetic: base value in the same sentence": one(
        "2023年,全镇集体经济收入达到150万元,较2021年的50万元增长了2倍。"),
    "growth_arithmetic: 上年 after 去年": one("2022年全镇集体经济收入125万元,去年集体经济收入达到150万元,比上年增长20%。"),
    "growth_arithmetic: doubling": one(
        "2020年,村集体经济收入为40万元。去年,村集体经济收入达到80万元,较2020年翻了一番。"),
    "change_arithmetic: percent growth": one("全镇农民人均收入由2019年的1.5万元增加到2023年的2.1万元,增长了40%。"),
    "change_arithmetic: multiple, either reading": one("合作社年销售额从40万元提高到320万元,增长了7倍。"),
    "change_arithmetic: difference": one("入社农户由180户增加到260户,净增加80户。"),
    "change_arithmetic: rounded values": one("村民人均收入由1.2万元增加到1.8万元,增加了5600元。"),
    "change_arithmetic: percentage points": one("全县空置农房比例由12.6%下降至4.2%,下降了8.4个百分点。"),
    "change_arithmetic: a relative change of a rate": one("全村入学率由40%提高到60%,提高了50%。"),
    "change_arithmetic: a yearly rate": one("全镇农民人均收入由2019年的1.5万元增加到2023年的2.1万元,年均增长8.8%。"),
    "change_arithmetic: approximate values": one("合作社分红由不到1万元增加到3万多元,增长了2倍。"),
    "change_arithmetic: in Chinese numerals": one("党员人数由三百人增加到四百人,增加了一百人。"),
    "change_arithmetic: doubling": one("村里的民宿床位从120张增加到240张,翻了一番。"),
    "share_arithmetic: share of a 其中 part": one("全镇现有党员1240名,其中35岁以下党员186名,占15%。"),
    "share_arithmetic: share of an area": one("村里共有耕地2800亩,其中流转土地1900亩,占耕地总面积的68%。"),
    "share_arithmetic: a share of another whole": one("全镇有贫困户300户,其中已脱贫280户,占全县脱贫户的15%。"),
    "share_arithmetic: two parts, shares of each": one(
        "全县有党员5000名,其中农村党员3000名、女党员1200名,分别占60%和24%。"),
    "share_arithmetic: the whole in its own unit": one("全村共有农户500户、人口1800人,其中脱贫户120户,占24%。"),
    "share_arithmetic: the nearest part of a 其中 list": one(
        "全县新增党员200名,其中女党员80名、青年党员100名,占50%。"),
    "share_arithmetic: a share (占)": one("全村脱贫户占农户总数的12%。"),
    "share_arithmetic: a task done beyond it": one("全县完成造林1.2万亩,占省下达任务数的115%。"),
    "share_arithmetic: against the same period": one("全县一季度税收收入3.6亿元,占上年同期的120%。"),
    "share_arithmetic: a planned sum": one("项目完成投资5.6亿元,占计划投资额的112%。"),
    "share_arithmetic: a whole in the middle": one(
        "全县户籍人口86万人,常住人口72万人,其中60岁及以上人口15.8万人,占18.4%。"),
    "change_arithmetic: 同比 after values years apart": one(
        "全县地区生产总值由2012年的150亿元增长到2022年的300亿元,同比增长8%。"),
    "change_arithmetic: a small change": one("全县财政收入由8.6亿元增长到10亿元,增长16%。"),
    "share_arithmetic: the whole is not a change": one(
        "全县共有党员1.2万名,比上年增加600名,其中女党员2900名,占24.2%。"),
    "share_arithmetic: a share of two parts": one(
        "全县共有村级组织320个,其中软弱涣散村党组织12个、后进村8个,占6.25%。"),
    "share_arithmetic: a share of another named whole": one(
        "全村户籍人口1260人,其中外出务工420人,占劳动力总数的60%。"),
    "share_arithmetic: a rounded whole": one("全市共有党员3万名,其中35岁以下党员6000名,占17.6%。"),
    "share_arithmetic: a share of a whole named without 总": one(
        "全镇耕地面积4.2万亩,其中高标准农田3.1万亩,占耕地面积的74%。"),
    "share_arithmetic: a whole named by its place": one("全县户籍人口52万人,其中60岁以上人口11.3万人,占全县的21.7%。"),
    "share_arithmetic: a named whole not stated": one("全县耕地面积60万亩,其中流转土地12万亩,占农户承包地的35%。"),
    "share_arithmetic: a total is not a change": one(
        "全乡共有党员860名。新发展党员46名,其中女党员20名,占党员总数的2.3%。"),
    "share_arithmetic: a share of the city's whole": one(
        "全县耕地面积52万亩,其中永久基本农田45万亩,占全市耕地面积的9.6%。"),
    "share_arithmetic: a share of a narrower whole": one(
        "全县共有企业3200家,其中规上工业企业126家,占全市规上工业企业的12%。"),
    "change_arithmetic: 同比 after a from value of another time": one(
        "农民人均可支配收入由脱贫攻坚前的6800元增加到18500元,同比增长8.5%。"),
    "named_share: a whole of another noun that starts alike": one(
        "全县共有党员干部4200名参与包村联户。全县女党员5800名,占党员总数的25.2%。"),
    "named_share: a whole of another year": one(
        "2019年,全县共有党员2.1万名。目前全县女党员5800名,占党员总数的24.6%。"),
    "named_share: a part in a town the whole is not of": one(
        "全县共有党员2.3万名。在城关镇,女党员215名,占党员总数的26%。"),
    "unit_plausibility: a rise of a life expectancy": one("全市人均预期寿命达到79.2岁,比2020年提高1.3岁。"),
    "unit_plausibility: a fall of an average age": one("全村党员平均年龄下降了5.3岁。"),
    "unit_plausibility: a difference of ages": one("全县党员平均年龄比全省平均水平高出1.8岁。"),
    "unit_plausibility: good-air days over years": one("“十四五”以来,全市空气质量优良天数共计1320天。"),
    "unit_plausibility: a youth league secretary": one("这位团支部书记仅16岁。"),
    "title_body: a part of the economy in the headline": one(
        "我县工业经济总量达到105亿元\n\n本报记者 林晓\n\n去年,全县实现地区生产总值268亿元,其中工业增加值105亿元。"),
    "title_body: an average in the headline": one(
        "人均GDP达8.5万元\n\n本报记者 林晓\n\n去年,全县实现地区生产总值268亿元。"),
    "named_share: the whole stated in an earlier sentence": one(
        "全乡共有党员860名。今年女党员达到215名,占党员总数的25%。"),
    "named_share: the whole's measure named": one("全乡党员人数860名。女党员215名,占党员总数的25%。"),
    "named_share: a 其中 part as the whole": one(
        "全村有党员86名,其中女党员20名。女党员中,35岁以下的8名,占女党员总数的40%。"),
    "named_share: the whole of the place named": one(
        "全县有党员1.2万名。该村有党员86名,女党员20名,占全村党员总数的23%。"),
    "named_share: the whole of another noun": one("全县有党员1.2万名。女干部860名,占干部总数的35%。"),
    "parts_sum: the whole is not a change": one(
        "全县公路总里程3200公里,比上年增加300公里,其中县道800公里、乡道1200公里、村道1200公里。"),
    "parts_sum: traits of secretaries": one("全县有村党组织书记320名,其中女性60名、大专以上学历180名和致富能手100名。"),
    "parts_sum: posts and membership": one("全县有干部职工860人,其中公务员320人、事业编制人员420人和中共党员650人。"),
    "parts_sum: men and women": one("全县共有党员5600名,其中男党员4400名、女党员1200名。"),
    "share_arithmetic: a plan completed beyond it": one("全县完成固定资产投资45亿元,占年度计划的112%。"),
    "cross_article: two articles agree": ("去年,竹山县集体经济收入达到126万元。", "竹山县去年集体经济收入126万元,今年有望再上新台阶。"),
    "cross_article: two increments are not one total": ("去年,竹山县新增集体经济收入26万元。", "去年,竹山县集体经济收入增加了31万元。"),
    "cross_article: half a year is not the year": (
        "2023年,宁陵县实现地区生产总值268.5亿元。", "2023年上半年,宁陵县地区生产总值126.3亿元。"),
    "cross_article: two years": ("去年,竹山县集体经济收入达到126万元。", "2022年,竹山县集体经济收入为98万元。"),
    "unit_plausibility: village area": one("该村村域面积6.8平方公里,耕地面积3100亩。"),
    "unit_plausibility: county area": one("竹山县总面积3588平方公里。"),
    "unit_plausibility: a community in square metres": one("社区辖区面积8万平方米,常住人口1.2万人。"),
    "unit_plausibility: a building in square metres": one("村里新建的党群服务中心面积320平方米。"),
    "unit_plausibility: green space per head": one("人均绿地面积9平方米。"),
    "unit_plausibility: income": one("村民人均纯收入2.3万元。"),
    "unit_plausibility: a share": one("全镇高标准农田覆盖率达到98%。"),
    "unit_plausibility: growth may pass 100%": one("合作社今年营业收入同比增长150%。"),
    "unit_plausibility: an old member": one("这位老党员今年已经103岁。"),
    "unit_plausibility: a young member": one("村里最年轻的党员今年只有19岁,是返乡创业的大学生。"),
    "unit_plausibility: a young activist": one("入党积极分子中年龄最小的17岁。"),
    "unit_plausibility: good-air days": one("全年空气质量优良天数达到338天。"),
    "unit_plausibility: a life expectancy": one("全县人均预期寿命达到79.2岁。"),
    "unit_plausibility: a yield": one("合作社种植的蔬菜亩产达到6吨。"),
}


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    with Bench(tmp_path_factory.mktemp("checks") / "newsfacts.duckdb") as b:
        yield b


@pytest.fixture(scope="module")
def passing(bench) -> dict[str, Checked]:
    return bench.check_cases(PASSING)


@pytest.fixture(scope="module")
def failing(bench) -> dict[str, Checked]:
    return bench.check_cases({name: case.texts for name, case in FAILING.items()})


@pytest.mark.parametrize("name", sorted(PASSING))
def test_agreeing_figures_and_look_alikes_pass(passing, name):
    found = passing[name]
    assert found.facts, "the extractor finds no figure here"
    assert found.failed == [], found.summary()


@pytest.mark.parametrize("name", sorted(FAILING))
def test_changed_figure_is_named(failing, name):
    case = FAILING[name]
    found = failing[name]
    fact = found.fact(case.changed, case.occurrence, source_path=case.source)
    rules = (case.rule,) if isinstance(case.rule, str) else case.rule
    rows = [r for rule in rules for r in found.naming(fact["fact_id"], rule)]
    assert rows, f"{' or '.join(rules)} does not name {fact['surface']}:\n{found.summary()}"
    for row in rows:
        assert row["article_id"] and "「" in row["message"], row["message"]


def test_one_case_alone_fails_as_in_company(bench):
    """Checking the cases together changes nothing: one of them, checked alone, fails the same way."""
    case = FAILING["bound_arithmetic: grids with a least size"]
    found = bench.check(case.texts)
    assert [r["check_id"] for r in found.failed] == ["bound_arithmetic"], found.summary()


def test_every_rule_has_a_failing_case():
    alone = {c.rule for c in FAILING.values() if isinstance(c.rule, str)}
    assert alone == {r.id for r in checks.load_rules()}


def test_cross_article_names_the_figure_the_other_articles_disagree_with(bench):
    """Three articles agree and a fourth does not: one row, about the fourth's figure and paired
    with one the others state (a row per disagreeing pair of articles gave three, and grew with
    the square of the articles about one place)."""
    found = bench.check((
        "去年,竹山县集体经济收入达到126万元。",
        "竹山县去年集体经济收入126万元,今年有望再上新台阶。",
        "去年,竹山县的集体经济收入为126万元。",
        "去年,竹山县集体经济收入达到162万元。",
    ))
    (row,) = found.failing("cross_article")
    odd = found.fact("162万元")
    agreeing = {f["fact_id"] for f in found.facts if f["surface"].startswith("126万元")}
    assert len(agreeing) == 3
    assert row["fact_ids"][0] == odd["fact_id"] and row["fact_ids"][1] in agreeing
    assert found.sources[row["article_id"]] == odd["source_path"]
    assert "162万元 here and 126万元 in 3 other articles" in row["message"], row["message"]


def test_cross_article_pairs_a_figure_with_any_article_it_differs_from(bench):
    """One article gives two values, another a third close to one of them: the outlier is paired
    with the other article's figure, though no other article gives the most stated value."""
    found = bench.check((
        "去年,竹山县集体经济收入达到126万元。年底核算后,竹山县去年集体经济收入为162万元。",
        "竹山县去年集体经济收入126.3万元,今年有望再上新台阶。",
    ))
    (row,) = found.failing("cross_article")
    assert row["fact_ids"] == [found.fact("162万元")["fact_id"], found.fact("126.3万元")["fact_id"]], found.summary()
    assert "162万元 here and 126.3万元 in 1 other article" in row["message"], row["message"]


def test_a_failed_row_quotes_its_sentence_and_says_why(bench):
    found = bench.check(one("镇上组建了宣讲队、调解队、巡逻队5支志愿服务队。"))
    (row,) = found.failing("list_count")
    assert row["severity"] == "error" and row["status"] == "fail"
    assert "3 items are listed" in row["message"]
    assert "「镇上组建了宣讲队、调解队、巡逻队5支志愿服务队。」" in row["message"]


def test_a_clean_rule_yields_one_pass_row(bench):
    bench.check(one("村民人均纯收入2.3万元。"))
    rows = checks.run_rules(bench.con, "one-more-run")
    assert {r["check_id"] for r in rows} == {r.id for r in checks.load_rules()}
    assert all(r["status"] == "pass" and r["fact_ids"] == [] for r in rows)


# --- the catalogue itself -------------------------------------------------------------------


def test_catalogue_names_every_check_file_once():
    rules = checks.load_rules()
    files = {f"checks/{p.name}" for p in (ROOT / "sql" / "checks").glob("*.sql")}
    assert sorted(r.sql for r in rules) == sorted(files)


def test_each_rule_says_why_its_severity():
    data = tomllib.loads((ROOT / "expectations" / "rules.toml").read_text(encoding="utf-8"))
    for entry in data["rule"]:
        assert f"{entry['severity'].capitalize()}:" in entry["description"], entry["id"]


def test_each_check_states_its_grain():
    for path in sorted((ROOT / "sql" / "checks").glob("*.sql")):
        assert path.read_text(encoding="utf-8").startswith("-- grain: "), path.name


@pytest.mark.parametrize("name", ["ratio_bands.csv", "unit_bounds.csv"])
def test_reference_tables_are_well_formed(name):
    with (ROOT / "expectations" / name).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        low = float(row.get("min_ratio") or row.get("min_value") or "-inf")
        high = float(row.get("max_ratio") or row.get("max_value") or "inf")
        assert low <= high and row["note"], row
