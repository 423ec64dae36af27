"""The plain records that pass between the stages of the pipeline.

Offsets are always Python ``str`` indices into ``Document.text``: the decoded text of the
source file (for HTML, the extracted main text; for JSONL, the ``text`` field of one line).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One decoded unit of input: a text file, an HTML page's main text, or one JSONL line."""

    source_path: str
    text: str
    content_sha256: str  # of the raw bytes of the whole source file
    format: str  # "txt", "md", "html" or "jsonl"
    part: int = 0  # JSONL: 1-based line number; otherwise 0
    title: str | None = None
    published: str | None = None  # ISO date from metadata, if any
    source: str | None = None
    url: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class Quarantined:
    """An input that could not be read as an article, and why."""

    source_path: str
    reason: str


@dataclass(frozen=True)
class Article:
    """One article (or photo caption) cut out of a document."""

    article_id: str
    source_path: str
    part: int
    ordinal: int  # position of the article in its document, from 0
    kind: str  # "article" or "caption"
    title: str | None
    byline: str | None
    start: int  # span of the article in Document.text
    end: int
    body_start: int
    published_date: str | None
    published_date_inferred: bool
    text: str  # Document.text[start:end]
    content_sha256: str = ""


@dataclass(slots=True)
class Fact:
    """One quantitative mention, normalised."""

    fact_id: str
    article_id: str
    surface: str
    source_start: int
    source_end: int
    value: float | None
    value_low: float | None
    value_high: float | None
    unit: str | None
    kind: str
    approx: str | None
    counted: str | None
    place: str | None
    year: int | None
    sentence: str
    sentence_start: int = 0
    sentence_offset: int = 0  # where the fact starts inside ``sentence`` (a repaired break can make
    #                           this differ from source_start - sentence_start)
    in_title: bool = False
    place_level: int | None = None  # 0 province, 1 city, 2 county, 3 town, 4 village or community
    place_province: str | None = None
    place_city: str | None = None
    place_county: str | None = None
    per: str | None = None  # 每个党小组 ... 超过6人: the figure holds for each 党小组
    prefix: str = ""  # up to 4 characters of the sentence right before the fact
    suffix: str = ""  # up to 4 characters right after it


@dataclass(slots=True)
class DateMention:
    """A calendar mention resolved to a span of days."""

    article_id: str
    surface: str
    source_start: int
    source_end: int
    date_from: str | None
    date_to: str | None
    year: int | None = None
    base: bool = False  # the base of a comparison (较2018年)


@dataclass
class Extraction:
    """Everything extracted from one document."""

    articles: list[Article] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    enumerations: list[dict] = field(default_factory=list)  # fact_id, items, partial, item_text
