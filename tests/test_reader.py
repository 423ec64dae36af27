"""newsfacts.reader: one test per rule of how input files are found, decoded and quarantined."""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pytest

from newsfacts import reader
from newsfacts.errors import InputError
from newsfacts.reader import decode_bytes, discover, file_sha256, read_file

SAMPLES = Path(reader.__file__).parent / "samples"

# Sentences written for these tests, in the genre of the corpus.
SIMPLIFIED = (
    "全镇12个村共组建产业党小组38个，吸纳党员460余名。\n"
    "去年村集体经济收入达到86万元，比上年增长近三成。\n"
)
TRADITIONAL = (
    "全鎮12個村共組建產業黨小組38個，吸納黨員460餘名。\n"
    "去年村集體經濟收入達到86萬元，比上年增長近三成。\n"
)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def read_one(path: Path, **kwargs):
    docs, bad = read_file(path, **kwargs)
    assert bad == [], bad
    assert len(docs) == 1
    return docs[0]


def reason_of(path: Path, **kwargs) -> str:
    docs, bad = read_file(path, **kwargs)
    assert docs == []
    assert len(bad) == 1
    assert bad[0].source_path == str(path.resolve())
    assert bad[0].reason.startswith(f"{path.resolve()}: ")
    return bad[0].reason


# ---- discover -------------------------------------------------------------------------------


def test_discover_walks_folders_recursively_sorted(tmp_path):
    for name in ("b.txt", "a/c.md", "a/d.HTML", "a/e.htm", "f.jsonl", "a/deep/g.TXT"):
        write(tmp_path, name, "x")
    names = [p.relative_to(tmp_path.resolve()).as_posix() for p in discover([tmp_path])]
    assert names == ["a/c.md", "a/d.HTML", "a/deep/g.TXT", "a/e.htm", "b.txt", "f.jsonl"]


def test_discover_skips_hidden_sidecars_and_other_types(tmp_path):
    for name in ("keep.txt", ".hidden.txt", ".git/x.txt", "sub/.cache/y.md", "keep.meta.json",
                 "keep.txt.meta.json", "photo.jpg", "notes.pdf", "data.json"):
        write(tmp_path, name, "x")
    assert [p.name for p in discover([tmp_path])] == ["keep.txt"]


def test_discover_skips_readme_files_in_folders(tmp_path):
    for name in ("README.md", "sub/readme.txt", "article.md"):
        write(tmp_path, name, "x")
    assert [p.name for p in discover([tmp_path])] == ["article.md"]
    assert [p.name for p in discover([tmp_path / "README.md"])] == ["README.md"]


def test_discover_takes_named_files_as_given_and_deduplicates(tmp_path):
    txt = write(tmp_path, "a.txt", "x")
    other = write(tmp_path, "notes.pdf", "x")
    sidecar = write(tmp_path, "a.meta.json", "{}")
    found = discover([tmp_path, txt, str(txt), tmp_path / "." / "a.txt", other, sidecar])
    assert found == [txt.resolve(), other.resolve()]
    assert all(p.is_absolute() for p in found)


def test_discover_missing_input_raises_input_error_naming_it(tmp_path):
    with pytest.raises(InputError, match="nowhere"):
        discover([tmp_path, tmp_path / "nowhere"])


# ---- identity ------------------------------------------------------------------------------


def test_content_sha256_and_source_path(tmp_path, monkeypatch):
    raw = "\ufeff党员42名".encode("utf-8")
    path = write(tmp_path, "a.txt", raw)
    monkeypatch.chdir(tmp_path)
    doc = read_one(Path("a.txt"))
    assert doc.content_sha256 == hashlib.sha256(raw).hexdigest() == file_sha256(path)
    assert doc.source_path == str(path.resolve())
    assert doc.format == "txt" and doc.part == 0


# ---- decoding ------------------------------------------------------------------------------


def test_utf8(tmp_path):
    doc = read_one(write(tmp_path, "a.txt", SIMPLIFIED))
    assert (doc.text, doc.encoding) == (SIMPLIFIED, "utf-8")


def test_utf8_bom_is_stripped_and_offsets_index_the_text_without_it(tmp_path):
    doc = read_one(write(tmp_path, "a.txt", "\ufeff" + SIMPLIFIED))
    assert doc.text == SIMPLIFIED
    assert doc.encoding == "utf-8-sig"
    start = doc.text.index("38个")
    assert doc.text[start:start + 3] == "38个" and start == SIMPLIFIED.index("38个")


def test_gbk_is_decoded_as_gb18030(tmp_path):
    doc = read_one(write(tmp_path, "a.txt", SIMPLIFIED.encode("gbk")))
    assert (doc.text, doc.encoding) == (SIMPLIFIED, "gb18030")


def test_gb18030_characters_outside_gbk(tmp_path):
    text = "㐀字和€符号出现在村史馆的展板上，共计12块。\n"  # U+3400 and the euro sign are 4-byte/GB18030
    doc = read_one(write(tmp_path, "a.txt", text.encode("gb18030")))
    assert (doc.text, doc.encoding) == (text, "gb18030")


def test_big5(tmp_path):
    doc = read_one(write(tmp_path, "a.txt", TRADITIONAL.encode("big5")))
    assert (doc.text, doc.encoding) == (TRADITIONAL, "big5")


@pytest.mark.parametrize(
    "text",
    ["黨員", "合作社", "茶園面積擴大到4600畝", "發展黨員120名，其中女性佔三分之一。"],
)
def test_big5_versus_gbk_short_texts(text):
    assert decode_bytes(text.encode("big5")) == (text, "big5")
    simplified = text.translate(str.maketrans("黨員園積擴畝發展佔", "党员园积扩亩发展占"))
    assert decode_bytes(simplified.encode("gbk")) == (simplified, "gb18030")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path, codec):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(codec, b"")
    doc = read_one(write(tmp_path, "a.txt", bom + SIMPLIFIED.encode(codec)))
    assert doc.text == SIMPLIFIED
    assert doc.encoding == "utf-16"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_by_nul_pattern(tmp_path, codec):
    doc = read_one(write(tmp_path, "a.txt", SIMPLIFIED.encode(codec)))
    assert (doc.text, doc.encoding) == (SIMPLIFIED, codec)


def test_line_breaks_are_kept_exactly(tmp_path):
    text = "标题\r\n\r\n本报记者 王某\r\n全村共有党员42名。\r\n"
    doc = read_one(write(tmp_path, "a.txt", text))
    assert doc.text == text


def test_text_that_is_no_supported_encoding_is_undecodable(tmp_path):
    path = write(tmp_path, "a.txt", bytes(range(0x80, 0x100)) * 20)
    assert "undecodable text" in reason_of(path)


def test_truncated_utf8(tmp_path):
    raw = SIMPLIFIED.rstrip("\n").encode("utf-8")
    for cut in (1, 2):
        path = write(tmp_path, f"cut{cut}.txt", raw[:-cut])
        assert reason_of(path).endswith("truncated UTF-8 text (the file ends inside a character)")


def test_truncated_utf16(tmp_path):
    path = write(tmp_path, "a.txt", SIMPLIFIED.encode("utf-16")[:-1])
    assert "truncated UTF-16 text" in reason_of(path)


def test_truncated_gbk(tmp_path):
    path = write(tmp_path, "a.txt", SIMPLIFIED.rstrip("\n").encode("gbk")[:-1])
    assert "truncated GB18030 text" in reason_of(path)


# ---- quarantine ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"  \n\t\r\n ", b"\xef\xbb\xbf", "\u3000\n".encode("utf-16")]
)
def test_empty_file(tmp_path, data):
    assert "empty file" in reason_of(write(tmp_path, "a.txt", data))


def test_binary_file_with_nul_bytes(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    assert reason_of(write(tmp_path, "a.txt", png)).endswith(
        "binary file (it contains NUL bytes)")


def test_binary_file_with_control_bytes(tmp_path):
    data = bytes([0x01, 0x02, 0x41, 0x03, 0x7F, 0x42, 0x05, 0x06]) * 100
    assert "binary file" in reason_of(write(tmp_path, "a.txt", data))


def test_file_over_the_size_limit(tmp_path):
    path = write(tmp_path, "a.txt", "党" * 1000)
    assert reason_of(path, max_bytes=2_000).endswith(
        "file is 3,000 bytes, over the 2,000-byte limit")
    assert read_one(path, max_bytes=3_000).text == "党" * 1000


def test_file_that_vanished(tmp_path):
    path = write(tmp_path, "a.txt", "x")
    [listed] = discover([tmp_path])
    path.unlink()
    assert "file not found" in reason_of(listed)


def test_file_that_cannot_be_opened(tmp_path, monkeypatch):
    path = write(tmp_path, "a.txt", "全村共有党员42名。")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reader, "open", refuse, raising=False)
    assert reason_of(path).endswith("cannot open the file: permission denied")


def test_unsupported_file_type(tmp_path):
    assert "unsupported file type '.pdf'" in reason_of(write(tmp_path, "a.pdf", "%PDF-1.4"))


def test_a_folder_is_not_a_file(tmp_path):
    folder = tmp_path / "looks.txt"
    folder.mkdir()
    assert "is a folder" in reason_of(folder)


# ---- front matter --------------------------------------------------------------------------

FRONT = "---\ntitle: “党建+茶园”激活新动能\npublished: 2024-06-28\nsource: '县域党建周刊'\n---\n"


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_front_matter_gives_metadata_and_is_blanked_to_keep_offsets(tmp_path, suffix):
    body = "# 标题\n\n全镇现有基层党组织46个。\n"
    doc = read_one(write(tmp_path, "a" + suffix, FRONT + body))
    assert doc.title == "“党建+茶园”激活新动能"
    assert doc.published == "2024-06-28"
    assert doc.source == "县域党建周刊"
    assert len(doc.text) == len(FRONT + body)
    assert doc.text[len(FRONT):] == body
    assert doc.text[: len(FRONT)].strip() == ""
    assert doc.text.count("\n") == (FRONT + body).count("\n")
    start = (FRONT + body).index("46个")
    assert doc.text[start:start + 3] == "46个"


def test_front_matter_with_crlf_and_date_key(tmp_path):
    text = "---\r\ndate: 2024-06-28T09:30:00+08:00\r\nurl: https://example.org/a\r\n---\r\n正文42名。"
    doc = read_one(write(tmp_path, "a.md", text))
    assert (doc.published, doc.url) == ("2024-06-28", "https://example.org/a")
    assert doc.text.endswith("正文42名。") and len(doc.text) == len(text)
    assert doc.text.count("\r\n") == text.count("\r\n")


def test_a_rule_line_without_key_values_is_not_front_matter(tmp_path):
    text = "---\n这是一段正文，不是元数据。\n---\n全村共有党员42名。\n"
    doc = read_one(write(tmp_path, "a.md", text))
    assert doc.text == text and doc.title is None


def test_front_matter_with_a_bad_date_is_ignored_with_a_warning(tmp_path, caplog):
    text = "---\ntitle: 标题\npublished: 2024年6月28日\n---\n正文42名。\n"
    with caplog.at_level(logging.WARNING, logger="newsfacts.reader"):
        doc = read_one(write(tmp_path, "a.md", text))
    assert (doc.title, doc.published) == ("标题", None)
    assert "2024年6月28日" in caplog.text and "a.md" in caplog.text


# ---- sidecars ------------------------------------------------------------------------------


def test_sidecar_gives_metadata(tmp_path):
    path = write(tmp_path, "a.txt", "全村共有党员42名。")
    write(tmp_path, "a.meta.json", json.dumps(
        {"published": "2024-08-12", "title": "标题", "source": "本报", "url": "https://e.org/1"}))
    doc = read_one(path)
    assert (doc.published, doc.title, doc.source, doc.url) == (
        "2024-08-12", "标题", "本报", "https://e.org/1")


def test_full_name_sidecar_is_also_read_and_wins(tmp_path):
    path = write(tmp_path, "a.txt", "全村共有党员42名。")
    write(tmp_path, "a.meta.json", json.dumps({"title": "短名", "source": "本报"}))
    write(tmp_path, "a.txt.meta.json", json.dumps({"title": "全名"}))
    doc = read_one(path)
    assert (doc.title, doc.source) == ("全名", "本报")


def test_sidecar_overrides_front_matter(tmp_path):
    path = write(tmp_path, "a.md", FRONT + "正文42名。\n")
    write(tmp_path, "a.meta.json", json.dumps({"published": "2024-07-01"}))
    doc = read_one(path)
    assert (doc.published, doc.source) == ("2024-07-01", "县域党建周刊")


def test_invalid_sidecar_is_ignored_with_a_warning_naming_it(tmp_path, caplog):
    path = write(tmp_path, "a.txt", "全村共有党员42名。")
    write(tmp_path, "a.meta.json", '{"published": "2024-08-12",')
    with caplog.at_level(logging.WARNING, logger="newsfacts.reader"):
        doc = read_one(path)
    assert doc.text == "全村共有党员42名。" and doc.published is None
    assert "a.meta.json" in caplog.text


@pytest.mark.parametrize(
    "published, expected",
    [("2024-08-12", "2024-08-12"), ("2024-08-12T08:00:00Z", "2024-08-12"),
     ("2024-08-12 08:00", "2024-08-12"), ("2024-02-30", None), ("12/08/2024", None),
     ("去年", None), (20240812, None)],
)
def test_published_must_be_an_iso_date(tmp_path, published, expected):
    path = write(tmp_path, "a.txt", "全村共有党员42名。")
    write(tmp_path, "a.meta.json", json.dumps({"published": published}))
    assert read_one(path).published == expected


# ---- HTML ----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}">
<title>梅田湖村：一亩田里算出增收账_县域_示例网</title>
<meta name="PubDate" content="2024-05-20 08:30:00">
<script>var menu = "首页";</script><style>body {{ color: red }}</style>
</head><body>
<header><div class="logo">示例网</div></header>
<nav><a href="/">首页</a> | <a href="/n">新闻</a> | <a href="/c">县域</a> | <a href="/v">视频</a></nav>
<div class="breadcrumb">当前位置：首页 &gt; 县域 &gt; 正文</div>
<article>
<h1>梅田湖村：一亩田里算出增收账</h1>
<p>全村共有农户620户、人口2300余人，去年向入股农户分红48.6万元。</p>
<p>合作社流转水田850亩，亩均纯收入提高约1400元，带动周边4个村共同发展。</p>
<p>村里请来3名省级农业专家，开展培训12场、培训600余人次。喆</p>
</article>
<aside><h3>相关新闻</h3><ul><li>某镇举办开采节</li></ul></aside>
<footer><p>版权所有 © 2024 示例网 未经授权不得转载</p><p>关于我们 | 联系我们 | 网站地图</p></footer>
</body></html>
"""
BOILERPLATE = ("首页", "新闻", "视频", "当前位置", "相关新闻", "开采节", "版权所有", "关于我们", "示例网",
               "var menu", "color")


def test_html_main_text_only_with_paragraph_breaks(tmp_path):
    doc = read_one(write(tmp_path, "a.html", PAGE.format(charset="utf-8")))
    assert doc.format == "html"
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "梅田湖村：一亩田里算出增收账"
    assert paragraphs[1] == "全村共有农户620户、人口2300余人，去年向入股农户分红48.6万元。"
    assert len(paragraphs) == 4
    for word in BOILERPLATE:
        assert word not in doc.text, word


def test_html_metadata(tmp_path):
    page = PAGE.format(charset="utf-8").replace(
        "</head>", '<link rel="canonical" href="https://example.org/a.html"></head>')
    doc = read_one(write(tmp_path, "a.htm", page))
    assert doc.title == "梅田湖村：一亩田里算出增收账"
    assert doc.published == "2024-05-20"
    assert doc.url == "https://example.org/a.html"


def test_html_published_from_open_graph_property(tmp_path):
    page = PAGE.format(charset="utf-8").replace(
        '<meta name="PubDate" content="2024-05-20 08:30:00">',
        '<meta property="article:published_time" content="2024-05-21T10:00:00+08:00">')
    assert read_one(write(tmp_path, "a.html", page)).published == "2024-05-21"


def test_html_declared_charset_is_honoured(tmp_path):
    # declared gb2312, written as GBK (喆 is outside GB2312): decoded with the GB18030 superset
    raw = PAGE.format(charset="gb2312").replace("©", "").encode("gbk")
    doc = read_one(write(tmp_path, "a.html", raw))
    assert doc.encoding == "gb18030"
    assert "分红48.6万元" in doc.text and "喆" in doc.text


def test_html_without_declared_charset_is_detected(tmp_path):
    page = (
        "<html><head><title>村集體經濟</title></head><body>"
        "<nav>首頁 | 新聞 | 縣域 | 視頻</nav><article>"
        + "".join(f"<p>{line}</p>" for line in TRADITIONAL.splitlines())
        + "</article></body></html>"
    )
    doc = read_one(write(tmp_path, "a.html", page.encode("big5")))
    assert doc.encoding == "big5"
    assert doc.text == TRADITIONAL.strip().replace("\n", "\n\n")


def test_html_fallback_parser_when_trafilatura_finds_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "_trafilatura_text", lambda html: "")
    doc = read_one(write(tmp_path, "a.html", PAGE.format(charset="utf-8")))
    assert "全村共有农户620户、人口2300余人，去年向入股农户分红48.6万元。" in doc.text.split("\n\n")
    for word in BOILERPLATE:
        assert word not in doc.text, word


def test_html_without_article_element_keeps_headline_and_drops_menus(tmp_path):
    page = """<html><head><meta charset="utf-8"><title>示例网</title></head><body>
<div id="top-menu"><a>首页</a><a>新闻</a><a>县域</a></div>
<div class="content"><div class="article-header"><h1>倪家营镇温室亩均收入约2.8万元</h1></div>
<div class="text"><p>全镇建成日光温室260座，带动农户390户。</p>
<p>温室亩均收入是露地种植的4倍左右，户均增收6000元以上。</p></div></div>
<div class="foot">版权所有 示例网</div></body></html>"""
    doc = read_one(write(tmp_path, "a.html", page))
    assert doc.text.split("\n\n")[0] == "倪家营镇温室亩均收入约2.8万元"
    assert "全镇建成日光温室260座，带动农户390户。" in doc.text
    for word in ("首页", "新闻", "版权所有"):
        assert word not in doc.text, word


def test_html_with_nothing_but_navigation_is_quarantined(tmp_path):
    page = ("<html><body><nav>首页 | 新闻 | 视频</nav>"
            "<footer>版权所有 © 2024 示例网</footer></body></html>")
    assert "no article text found" in reason_of(write(tmp_path, "a.html", page))


# ---- JSONL ---------------------------------------------------------------------------------


def test_jsonl_one_document_per_line_with_line_numbers(tmp_path):
    lines = [
        json.dumps({"text": "全镇新增民宿42家。", "title": "一", "published": "2024-04-08",
                    "source": "本报讯", "url": "https://e.org/1"}, ensure_ascii=False),
        "",
        json.dumps({"text": "建成日光温室260座。"}, ensure_ascii=False),
    ]
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    path = write(tmp_path, "a.jsonl", raw)
    docs, bad = read_file(path)
    assert bad == []
    assert [(d.part, d.text, d.format) for d in docs] == [
        (1, "全镇新增民宿42家。", "jsonl"), (3, "建成日光温室260座。", "jsonl")]
    assert (docs[0].title, docs[0].published, docs[0].source, docs[0].url) == (
        "一", "2024-04-08", "本报讯", "https://e.org/1")
    assert all(d.content_sha256 == hashlib.sha256(raw).hexdigest() for d in docs)


def test_jsonl_bad_lines_are_quarantined_and_the_rest_load(tmp_path):
    lines = [
        '{"text": "好的一行，党员42名。"}',
        '{"text": "少了括号"',
        '["not", "an", "object"]',
        '{"title": "没有正文"}',
        '{"text": "   "}',
        '{"text": 42}',
        '{"text": "最后一行，农户390户。", "published": "昨天"}',
    ]
    path = write(tmp_path, "a.jsonl", "\n".join(lines))
    docs, bad = read_file(path)
    assert [d.part for d in docs] == [1, 7]
    assert docs[1].published is None
    where = str(path.resolve())
    assert [q.reason.split(": ")[1] for q in bad] == [f"line {n}" for n in (2, 3, 4, 5, 6)]
    assert all(q.reason.startswith(f"{where}: line ") for q in bad)
    assert "invalid JSON" in bad[0].reason
    assert "not a JSON object" in bad[1].reason
    assert '"text" is missing' in bad[2].reason
    assert '"text" is empty' in bad[3].reason
    assert '"text" is not a string' in bad[4].reason


def test_jsonl_sidecar_gives_defaults_each_line_overrides(tmp_path):
    path = write(tmp_path, "a.jsonl", '{"text": "一", "source": "行"}\n{"text": "二"}\n')
    write(tmp_path, "a.meta.json", json.dumps({"source": "文件", "published": "2024-01-02"}))
    docs, _ = read_file(path)
    assert [(d.source, d.published) for d in docs] == [
        ("行", "2024-01-02"), ("文件", "2024-01-02")]


def test_jsonl_with_only_blank_lines_is_empty(tmp_path):
    assert "empty file" in reason_of(write(tmp_path, "a.jsonl", "\n\n  \n"))


# ---- the sample corpus ---------------------------------------------------------------------


def test_sample_corpus_reads_without_quarantine():
    files = discover([SAMPLES])
    names = {p.name for p in files}
    assert {"2024-03-county-page.txt", "village-income-gbk.txt", "cooperative.html",
            "briefs.jsonl", "party-building.md", "planted-error.txt"} <= names
    assert "planted-error.meta.json" not in names and "README.md" not in names
    docs = []
    for path in files:
        got, bad = read_file(path)
        assert bad == [], bad
        docs.extend(got)
    by_name = {(Path(d.source_path).name, d.part): d for d in docs}
    assert by_name["village-income-gbk.txt", 0].encoding == "gb18030"
    assert by_name["township-utf16.txt", 0].encoding == "utf-16"
    assert by_name["planted-error.txt", 0].published == "2024-08-12"
    assert by_name["party-building.md", 0].published == "2024-06-28"
    assert by_name["cooperative.html", 0].published == "2024-05-20"
    assert [p for (name, p) in by_name if name == "briefs.jsonl"] == [1, 2, 3]
    assert "首页" not in by_name["cooperative.html", 0].text
