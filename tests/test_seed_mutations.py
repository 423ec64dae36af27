"""The consistency rules on the seed page: clean, every relation of its gold passes; with one
number changed so that a relation breaks, a failed check names the changed fact; with a number
changed that stands in no relation, nothing new fails.

The page is read as ``newsfacts run`` reads the bare file: with no publication date, so the
date is inferred from the page. The clean page and every variant are files of one warehouse,
checked in one run and read apart (tests/helpers.py, ``Bench.check_cases``).

The catch rate: ``pytest tests/test_seed_mutations.py -v -k breaks``.
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import Bench, Checked, edit

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"
PAGE = SEED / "000_7d4576ddc0c3a2ee.txt"
GOLD = SEED / "000_7d4576ddc0c3a2ee.gold.json"

pytestmark = pytest.mark.skipif(not PAGE.is_file() or not GOLD.is_file(),
                                reason=f"the seed page is not here ({SEED}); it lives outside the project")

# (the text around the number, as on the page; the same text with the number changed)
BREAKS = [
    pytest.param("建立党支部549个", "建立党支部54900个", id="ratio:549->54900"),
    pytest.param("建立党支部549个", "建立党支部5490个", id="ratio:549->5490"),
    pytest.param("建立党支部549个", "建立党支部54个", id="ratio:549->54"),
    pytest.param("在275个村", "在75个村", id="subset:275->75"),
    pytest.param("小区党支部637个", "小区党支部6370个", id="ratio:637->6370"),
    pytest.param("在55个城市社区", "在5个城市社区", id="ratio:55->5"),
    pytest.param("400多万名党员", "40多万名党员", id="ratio:400多万->40多万"),
    pytest.param("7批次626名", "7批次62600名", id="ratio:626->62600"),
    pytest.param("7批次626名", "700批次626名", id="ratio:7批次->700批次"),
    pytest.param("超过14万人次", "超过1400万人次", id="ratio:14万人次->1400万人次"),
    pytest.param("托管班3600余个", "托管班360000余个", id="ratio:3600余->360000余"),
    pytest.param("共有135名党员", "共有35名党员", id="bound:135->35"),
    pytest.param("11个党小组", "21个党小组", id="bound:11->21"),
    pytest.param("都超过6人", "都超过16人", id="bound:6人->16人"),
    pytest.param("11个党小组", "1个党小组", id="ratio:11个党小组->1个"),
    pytest.param("14位年轻人", "2位年轻人", id="subset:14位->2位"),
    pytest.param("最终4人", "最终40人", id="subset:4人->40人"),
    pytest.param("重点村99个", "重点村299个", id="subset:99->299"),
    pytest.param("红十字会等6家", "红十字会等8家", id="list:6家->8家"),
    pytest.param("红十字会等6家", "红十字会等5家", id="list:6家->5家"),
    pytest.param("服务下放三项改革", "服务下放四项改革", id="list:三项->四项"),
    pytest.param("服务下放三项改革", "服务下放两项改革", id="list:三项->两项"),
    pytest.param("党员中心户”四级", "党员中心户”五级", id="list:四级->五级"),
    pytest.param("’三条主线", "’两条主线", id="list:三条->两条"),
    pytest.param("上线了两个", "上线了三个", id="list:两个->三个"),
    pytest.param("发布“三张清单", "发布“四张清单", id="list:三张->四张"),
    pytest.param("发布“三张清单", "发布“两张清单", id="list:三张->两张"),
    pytest.param("养老等十个", "养老等三个", id="list:十个->三个"),
    pytest.param("收入增加2.5倍", "收入增加5.5倍", id="title:2.5倍->5.5倍"),
    pytest.param("较2018年增长2.5倍", "较2018年增长3.5倍", id="title:body 2.5倍->3.5倍"),
    pytest.param("凝聚18万多个", "凝聚28万多个", id="title:18万多->28万多"),
    pytest.param("荆楚大地18万多个", "荆楚大地19万多个", id="title:body 18万多->19万多"),
    pytest.param("\n6年多来", "\n16年多来", id="temporal:6年多->16年多"),
    pytest.param("\n6年多来", "\n8年多来", id="temporal:6年多->8年多"),
    pytest.param("针对七个方面的20个", "针对二十一个方面的20个", id="groups:七个->二十一个"),
]

# numbers that stand in no relation: changing them must raise nothing new
QUIET = [
    pytest.param("选派1708名", "选派1808名", id="1708->1808"),
    pytest.param("导入4.8万条", "导入5.8万条", id="4.8万条->5.8万条"),
    pytest.param("志愿服务2100余场", "志愿服务3100余场", id="2100余场->3100余场"),
    pytest.param("难点问题500余个", "难点问题600余个", id="500余个->600余个"),
    pytest.param("实现33个", "实现43个", id="33个->43个"),
    pytest.param("129家", "139家", id="129家->139家"),
    pytest.param("摘下了40多块", "摘下了50多块", id="40多块->50多块"),
    pytest.param("近2.4万块", "近3.4万块", id="近2.4万块->近3.4万块"),
    pytest.param("达到117万元", "达到127万元", id="117万元->127万元"),
    pytest.param("提升至2.7万元", "提升至3.7万元", id="2.7万元->3.7万元"),
    pytest.param("200多户", "300多户", id="200多户->300多户"),
    pytest.param("户均增收1.5万元", "户均增收2.5万元", id="1.5万元->2.5万元"),
    pytest.param("今年33岁", "今年38岁", id="33岁->38岁"),
    pytest.param("近10名", "近20名", id="近10名->近20名"),
    pytest.param("开展1次", "开展2次", id="1次->2次"),
    pytest.param("有12项规定", "有15项规定", id="12项->15项"),
    pytest.param("28项需要", "38项需要", id="28项->38项"),
    pytest.param("的赋能清单,12项", "的赋能清单,2项", id="12项->2项"),
    pytest.param("突破80万元", "突破90万元", id="80万元->90万元"),
    pytest.param("达到31328元", "达到31828元", id="31328元->31828元"),
    pytest.param("25岁至45岁", "25岁至50岁", id="25岁至45岁->25岁至50岁"),
    pytest.param("重点村99个", "重点村89个", id="99->89"),
    pytest.param("14位年轻人", "15位年轻人", id="14位->15位"),
    pytest.param("共有135名党员", "共有125名党员", id="135->125"),
    pytest.param("建立党支部549个", "建立党支部594个", id="549->594"),
    pytest.param("\n6年多来", "\n5年多来", id="6年多->5年多"),
    pytest.param("养老等十个", "养老等十二个", id="十个->十二个"),
    pytest.param("针对七个方面的20个", "针对七个方面的24个", id="20个->24个"),
]


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    with Bench(tmp_path_factory.mktemp("seed") / "newsfacts.duckdb") as b:
        yield b


def _key(old: str, new: str) -> str:
    return f"{old}->{new}"


@pytest.fixture(scope="module")
def variants(bench, page) -> dict[str, tuple[Checked, tuple[int, int]]]:
    """The clean page (key ``clean``) and each variant, checked in one run, with the edited span."""
    texts, spans = {"clean": [(page, None)]}, {"clean": (0, 0)}
    for param in BREAKS + QUIET:
        old, new = param.values
        text, spans[_key(old, new)] = edit(page, old, new)
        texts[_key(old, new)] = [(text, None)]
    found = bench.check_cases(texts)
    return {k: (found[k], spans[k]) for k in texts}


@pytest.fixture(scope="module")
def clean(variants) -> Checked:
    return variants["clean"][0]


def _gold_relations() -> list[tuple[str, list[tuple[int, int]]]]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    spans = {f["id"]: (f["start"], f["end"]) for f in gold["facts"]}
    return [(f"{r['kind']}:{'/'.join(r['facts'])}", [spans[i] for i in r["facts"]]) for r in gold["relations"]]


def test_clean_page_has_no_failed_error(clean):
    assert clean.failing(severity="error") == [], clean.summary()


def test_every_gold_relation_passes(clean):
    for name, spans in _gold_relations():
        ids = {f["fact_id"] for a, b in spans for f in clean.facts_at(a, b)}
        assert ids, f"{name}: no fact found at {spans}"
        named = [r for r in clean.failed if ids & set(r["fact_ids"])]
        assert named == [], f"{name} fails on the clean page:\n" + "\n".join(r["message"] for r in named)


@pytest.mark.parametrize(("old", "new"), BREAKS)
def test_breaks_are_caught(variants, old, new):
    found, (start, end) = variants[_key(old, new)]
    changed = found.facts_at(start, end)
    assert changed, f"the extractor finds no fact in {new!r}"
    ids = {f["fact_id"] for f in changed}
    naming = [r for r in found.failed if ids & set(r["fact_ids"])]
    assert naming, f"no failed check names {[f['surface'] for f in changed]}:\n{found.summary()}"


@pytest.mark.parametrize(("old", "new"), QUIET)
def test_unrelated_numbers_raise_nothing(variants, clean, old, new):
    found, _ = variants[_key(old, new)]
    before = Counter(r["check_id"] for r in clean.failed)
    after = Counter(r["check_id"] for r in found.failed)
    assert after - before == Counter(), found.summary()


def test_since_year_with_a_stated_publication_date(bench, page):
    """With the date given (a sidecar or front matter), the error rule judges the years."""
    text, (start, end) = edit(page, "\n6年多来", "\n16年多来")
    found = bench.check_cases({"clean": [(page, date(2024, 11, 13))], "changed": [(text, date(2024, 11, 13))]})
    assert found["clean"].failing(severity="error") == [], found["clean"].summary()
    (changed,) = found["changed"].facts_at(start, end)
    assert found["changed"].naming(changed["fact_id"], "since_year"), found["changed"].summary()
