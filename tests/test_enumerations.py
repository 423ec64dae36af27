"""Lists spelled out for a stated count (the enumerations table), own-words fixtures."""
from __future__ import annotations

import pytest

from newsfacts.extract import Context, extract_document


def _lists(text):
    ex = extract_document(text, Context(source_path="t.txt"))
    by_id = {f.fact_id: f.surface for f in ex.facts}
    return {by_id[e["fact_id"]]: (e["items"], e["partial"]) for e in ex.enumerations}


@pytest.mark.parametrize("text, surface, items, partial", [
    ("通过人才回流、资金下沉、服务下放三项改革,村里变了。", "三项", 3, False),
    ("成立了4个服务队:巡逻队、保洁队、宣讲队。", "4个", 3, False),
    ("建立“村委—片区—楼栋—住户”四级网格。", "四级", 4, False),
    ("工会、妇联、团委等3家单位参与。", "3家", 3, True),
    ("上线了两个小程序,一个卖土特产,一个订民宿。", "两个", 2, False),
    ("镇里推出四项举措。一是建队伍;二是筹资金;三是办培训。", "四项", 3, False),
    ("实行“党支部+合作社+农户”三方联动。", "三方", 3, False),
    ("发布三张清单。有8项的履职清单,15项的协作清单,6项的负面清单。", "三张", 3, False),
])
def test_lists_are_counted(text, surface, items, partial):
    assert _lists(text)[surface] == (items, partial)


@pytest.mark.parametrize("text", [
    "来自北京、上海、广州的12名专家参加了论坛。",   # the list says where from, not who
    "镇里从教育、卫生、农业系统选派5名干部驻村。",   # the list is where they were drawn from
    "形成县级三级、乡级两级服务网络。",               # another figure inside the 'list'
    "他和社区干部一起更换了破损的宣传栏15块。",       # 和 alone does not make a list
])
def test_look_alikes_make_no_list(text):
    assert _lists(text) == {}
