"""Text preparation: normalise marks, cut a page into articles, repair layout breaks, split sentences.

Everything here keeps offsets honest. ``normalise`` maps one character to one character, so an
index into the normalised text is an index into the source. ``View`` is a repaired reading of a
stretch of the source (column breaks rejoined, a character repeated across a break dropped) that
remembers where each of its characters came from.

>>> page = "村里通电了 路也修好了\\n\\n本报记者 张三\\n\\n全村共有120户,其中\\n\\n中80户种茶。"
>>> [(s.kind, s.title) for s in split_page(page)]
[('article', '村里通电了 路也修好了')]
>>> view = split_page(page)[0].body
>>> view.text
'全村共有120户,其中80户种茶。'
>>> page[view.to_source(view.text.index("80户"))]
'8'
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# One-to-one replacements: full-width ASCII, ideographic space and the full-width marks that
# real pages mix with their ASCII twins. 。、《》“” and the dashes stay: they carry meaning.
_FULL = {0xFF01 + i: 0x21 + i for i in range(94)}
_FULL[0x3000] = 0x20
_TABLE = {k: chr(v) for k, v in _FULL.items()}
_FOLDED = {chr(k): chr(v) for k, v in _FULL.items()}
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")


def normalise(text: str) -> str:
    """Fold full-width digits, letters and marks to ASCII, one character for one.

    >>> normalise("增长１２．５％，共３００人")
    '增长12.5%,共300人'
    >>> len(normalise("１２３")) == 3
    True
    """
    # the same as text.translate(_TABLE), five times as fast on Chinese text: a page holds a
    # handful of distinct full-width marks, and str.replace runs in C where translate looks
    # every character up in a dict
    for ch in set(_FULL_WIDTH.findall(text)):
        text = text.replace(ch, _FOLDED[ch])
    return text


# ----------------------------------------------------------------------------------------------
# Views: a repaired reading of the source that maps back to it


@dataclass
class View:
    """Text assembled from pieces of a source string, with a map back to source offsets."""

    text: str = ""
    _view_starts: list[int] = field(default_factory=list)
    _src_starts: list[int] = field(default_factory=list)

    def add(self, source: str, start: int, end: int) -> None:
        """Append ``source[start:end]``."""
        if end <= start:
            return
        self._view_starts.append(len(self.text))
        self._src_starts.append(start)
        self.text += source[start:end]

    def add_literal(self, s: str) -> None:
        """Append text that has no source (a separator); it maps to the next source char."""
        self.text += s

    def to_source(self, i: int) -> int:
        """Source offset of view offset ``i`` (``i == len(text)`` maps past the last char)."""
        if not self._view_starts:
            return i
        k = bisect_right(self._view_starts, i) - 1
        if k < 0:
            return self._src_starts[0]
        return self._src_starts[k] + (i - self._view_starts[k])

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source span of the view span ``[start, end)``."""
        return self.to_source(start), self.to_source(end - 1) + 1 if end > start else self.to_source(start)


# ----------------------------------------------------------------------------------------------
# Blocks and page structure

_BLANK_SPLIT = re.compile(r"\r?\n[ \t\u3000\r]*\n\s*")
_TERMINAL = set("。!?！？…”’」』)）》\"'")
_SENTENCE_MARK = re.compile(r"[,，。;；:：、!?！？]")
_BYLINE = re.compile(
    r"(?:记者|通讯员|本报讯|特约撰稿|撰稿|作者|编辑|责编|文/|图/|文\s*[|｜]|摄影|来源[:：])"
)
_CAPTION_END = re.compile(r"[(（][^()（）]{0,40}(?:摄|摄影|供图|图)[)）]\s*$")


@dataclass(frozen=True)
class Block:
    """A paragraph of the source: text between blank lines, trimmed."""

    start: int
    end: int


def blocks(text: str) -> list[Block]:
    """Paragraphs separated by blank lines, as spans with surrounding space trimmed.

    >>> t = "甲\\n\\n  乙丙 \\n\\n\\n丁"
    >>> [t[b.start:b.end] for b in blocks(t)]
    ['甲', '乙丙', '丁']
    """
    out = []
    pos = 0
    for m in [*_BLANK_SPLIT.finditer(text), None]:
        end = m.start() if m else len(text)
        s, e = pos, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Block(s, e))
        if m:
            pos = m.end()
    return out


def is_byline(s: str) -> bool:
    """A short line naming reporters or the source.

    >>> is_byline("本报记者 王五 通讯员 赵六"), is_byline("记者走访了全村120户。")
    (True, False)
    """
    return len(s) <= 48 and bool(_BYLINE.search(s)) and not s.endswith(("。", "!", "?", "！", "？"))


def is_caption(s: str) -> bool:
    """A photo caption: ends with the photographer's credit in brackets.

    >>> is_caption("村民在新建的广场上跳舞。(本报记者 李四 摄)")
    True
    """
    return bool(_CAPTION_END.search(s))


_NOT_HEADLINE_END = set("。!?！？;；,，、:：…")


def is_headline_like(s: str) -> bool:
    """Short, one line, no sentence-final punctuation: a headline or a section head.

    >>> is_headline_like("青年干部到一线“墩苗”"), is_headline_like("全村共有120户。")
    (True, False)
    """
    return len(s) <= 60 and "\n" not in s and s[-1] not in _NOT_HEADLINE_END and "。" not in s


def _is_cut(s: str) -> bool:
    """A paragraph that stops mid-sentence: it has sentence marks but no closing mark."""
    return s[-1] not in _TERMINAL and bool(_SENTENCE_MARK.search(s))


@dataclass
class Segment:
    """One article or photo caption of a page."""

    kind: str  # "article" or "caption"
    start: int
    end: int
    title: str | None = None
    title_span: tuple[int, int] | None = None
    byline: str | None = None
    body: View = field(default_factory=View)
    title_view: View = field(default_factory=View)


def join_blocks(text: str, parts: list[Block]) -> View:
    """Read consecutive paragraphs as one text, rejoining those a layout break has cut.

    Paragraphs stay apart (one ``\\n``); a paragraph that stops mid-sentence runs on into the
    next, and a character printed on both sides of the break is read once.

    >>> t = "今年,全村建成\\n\\n成3座桥,修路\\n\\n12公里。\\n\\n新段落。"
    >>> join_blocks(t, blocks(t)).text
    '今年,全村建成3座桥,修路12公里。\\n新段落。'
    """
    view = View()
    prev: Block | None = None
    for b in parts:
        start = b.start
        if prev is not None:
            prev_text = text[prev.start : prev.end]
            next_text = text[b.start : b.end]
            if _is_cut(prev_text) and (not is_headline_like(next_text) or _SENTENCE_MARK.search(next_text)):
                if text[b.start] == prev_text[-1] and not prev_text[-1].isdigit():
                    start += 1  # the character repeated across the break
            else:
                view.add_literal("\n")
        view.add(text, start, b.end)
        prev = b
    return view


def split_page(text: str) -> list[Segment]:
    """Cut a page into articles and photo captions.

    An article starts at the headline lines right before a byline; a caption is a paragraph
    ending with a photo credit. A text with no byline is one article, whose title is its first
    paragraph when that reads as a headline.

    >>> page = "标题一\\n\\n本报记者 甲\\n\\n正文一。\\n\\n标题二\\n\\n记者 乙\\n\\n正文二。"
    >>> [(s.title, s.body.text) for s in split_page(page)]
    [('标题一', '正文一。'), ('标题二', '正文二。')]
    """
    bl = blocks(text)
    if not bl:
        return []
    texts = [text[b.start : b.end] for b in bl]
    # article starts: (first title block index, byline block index)
    starts: list[tuple[int, int]] = []
    for i, s in enumerate(texts):
        if not is_byline(s) or is_caption(s):
            continue
        j = i
        while j - 1 >= 0 and i - (j - 1) <= 3 and is_headline_like(texts[j - 1]) and not is_byline(texts[j - 1]):
            if starts and j - 1 <= starts[-1][1]:
                break
            if j - 2 >= 0 and _is_cut(texts[j - 2]) and not is_headline_like(texts[j - 2]):
                break  # that line continues a cut paragraph, not a headline
            j -= 1
        if j < i:
            starts.append((j, i))
    segments: list[Segment] = []
    if not starts:
        first_is_title = len(bl) > 1 and is_headline_like(texts[0]) and not _is_cut(texts[0])
        groups = [(0 if not first_is_title else 0, None, 1 if first_is_title else 0, len(bl), first_is_title)]
    else:
        groups = []
        if starts[0][0] > 0:
            groups.append((0, None, 0, starts[0][0], False))
        for k, (t0, by) in enumerate(starts):
            end = starts[k + 1][0] if k + 1 < len(starts) else len(bl)
            groups.append((t0, by, by + 1, end, True))
    for t0, by, body0, end, has_title in groups:
        title_blocks = bl[t0:by] if by is not None else (bl[t0:body0] if has_title else [])
        body_blocks = bl[body0:end]
        seg_start = bl[t0].start
        seg_end = bl[end - 1].end if end > t0 else bl[t0].end
        seg = Segment("article", seg_start, seg_end)
        if title_blocks:
            tv = View()
            for n, b in enumerate(title_blocks):
                if n:
                    tv.add_literal(" ")
                start = b.start
                while start < b.end and text[start] in "# \t":  # a Markdown heading's marks
                    start += 1
                tv.add(text, start, b.end)
            seg.title = tv.text
            seg.title_span = (title_blocks[0].start, title_blocks[-1].end)
            seg.title_view = tv
        if by is not None:
            seg.byline = texts[by]
        kept: list[Block] = []
        captions: list[Segment] = []
        for b in body_blocks:
            if is_caption(text[b.start : b.end]):
                cap = Segment("caption", b.start, b.end)
                cap.body = join_blocks(text, [b])
                captions.append(cap)
            else:
                kept.append(b)
        seg.body = join_blocks(text, kept)
        if kept or title_blocks:
            segments.append(seg)
        segments.extend(captions)
    segments.sort(key=lambda s: s.start)
    return segments


# ----------------------------------------------------------------------------------------------
# Sentences

_SENT_END = re.compile(r"[。!?！？…]+[”’」』\"]*|\n+")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a text: split after 。!? (and a closing quote that follows) or a newline;
    a semicolon joins clauses of one sentence (a year stated at its start holds for all of them).

    >>> t = "他说:“今年种了300亩。”全村增收。\\n下一段"
    >>> [t[s:e] for s, e in sentences(t)]
    ['他说:“今年种了300亩。”', '全村增收。', '下一段']
    """
    out = []
    pos = 0
    for m in _SENT_END.finditer(text):
        end = m.end() if text[m.start()] != "\n" else m.start()
        if end > pos and text[pos:end].strip():
            out.append(_trim(text, pos, end))
        pos = m.end()
    if pos < len(text) and text[pos:].strip():
        out.append(_trim(text, pos, len(text)))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
