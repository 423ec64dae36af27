"""Page splitting, layout-break repair and offsets (own-words fixtures)."""
from __future__ import annotations

from newsfacts.extract import Context, extract_document
from newsfacts.text import blocks, normalise, sentences, split_page

PAGE = (
    "\n\n山村修好了路 茶叶卖出了山\n\n本报记者 赵一鸣 通讯员 钱多多\n\n"
    "入春以来,全村新修产业路8公里,带动茶农\n\n农增收。村里的茶园面积达到1200亩。\n\n"
    "村民在茶园里采茶。(本报记者 孙小满 摄)\n\n"
    "小组长的一天\n\n"
    "他每天走访农户,记下群众的急事难事。\n\n"
    "合作社的新账本\n\n记者 李想\n\n"
    "合作社去年分红46万元,每户平均分到3000多元。\n"
)


def test_page_splits_into_articles_and_captions():
    segs = split_page(PAGE)
    assert [(s.kind, s.title, s.byline) for s in segs] == [
        ("article", "山村修好了路 茶叶卖出了山", "本报记者 赵一鸣 通讯员 钱多多"),
        ("caption", None, None),
        ("article", "合作社的新账本", "记者 李想"),
    ]
    # the section head stays inside the first article's body
    assert "小组长的一天" in segs[0].body.text


def test_column_break_is_rejoined_and_repeated_character_read_once():
    body = split_page(PAGE)[0].body
    assert "带动茶农增收。" in body.text
    assert "农农" not in body.text


def test_offsets_map_back_through_the_repair():
    ex = extract_document(PAGE, Context(source_path="page.txt"))
    assert ex.facts, "the page states figures"
    for f in ex.facts:
        assert PAGE[f.source_start:f.source_end] == f.surface
    assert {f.surface for f in ex.facts} >= {"8公里", "1200亩", "46万元", "3000多元"}


def test_article_spans_cover_their_text():
    ex = extract_document(PAGE, Context(source_path="page.txt"))
    for a in ex.articles:
        assert PAGE[a.start:a.end] == a.text


def test_no_byline_means_one_article_titled_by_a_headline_line():
    text = "全镇小麦喜获丰收\n\n今年全镇种植小麦3.2万亩,亩产超过500公斤。"
    segs = split_page(text)
    assert len(segs) == 1 and segs[0].title == "全镇小麦喜获丰收"


def test_crlf_pages_split_like_lf_pages():
    lf = "合作社的新账本\n\n记者 李想\n\n合作社去年分红46万元。\n"
    crlf = lf.replace("\n", "\r\n")
    assert [(s.title, s.byline) for s in split_page(crlf)] == [(s.title, s.byline) for s in split_page(lf)]


def test_markdown_heading_marks_are_not_part_of_the_title():
    segs = split_page("# 合作社的新账本\n\n记者 李想\n\n合作社去年分红46万元。")
    assert segs[0].title == "合作社的新账本"


def test_normalise_keeps_length():
    s = "共有１２３户，占比４５．６％"
    assert len(normalise(s)) == len(s) and normalise(s) == "共有123户,占比45.6%"


def test_sentences_keep_closing_quotes():
    t = "他说:“路通了。”大家都笑了。"
    assert [t[a:b] for a, b in sentences(t)] == ["他说:“路通了。”", "大家都笑了。"]


def test_blocks_ignore_whitespace_only_lines():
    t = "甲\n \n乙"
    assert [t[b.start:b.end] for b in blocks(t)] == ["甲", "乙"]
