"""Read input files into ``Document`` records; the only module that opens input files.

Three public functions::

    discover(inputs)  -> sorted, de-duplicated input files
    read_file(path)   -> (documents, quarantined); never raises for a bad file
    file_sha256(path) -> hex digest of the raw bytes

plus ``decode_bytes(raw)``, the text-encoding detection that ``read_file`` uses.

Formats:

* ``.txt`` / ``.md``: one ``Document`` whose ``text`` is the decoded file. The decoding is kept
  exactly (``\\r\\n`` stays ``\\r\\n``); only a byte-order mark is dropped. A leading front-matter
  block (``---`` line, ``key: value`` lines, ``---`` line) supplies ``title``, ``published``,
  ``source`` and ``url``; its characters are then replaced by spaces (line breaks kept), so the
  text is as long as the decoded file and every offset into it still indexes the decoded file.
* ``.html`` / ``.htm``: one ``Document`` holding the main text only (navigation, headers,
  footers, sidebars dropped), paragraphs separated by a blank line. Nothing is ever fetched.
* ``.jsonl``: one ``Document`` per good line (``part`` is the 1-based line number); a bad line is
  quarantined with its line number and the other lines still load.

Metadata may also come from a sidecar ``NAME.meta.json`` or ``NAME.txt.meta.json`` (keys
``published``, ``title``, ``source``, ``url``). A sidecar overrides what the file says about
itself (front matter, HTML meta tags); for JSONL it gives defaults that each line's own fields
override. A sidecar that is not a JSON object, or a ``published`` that is not an ISO date, is
ignored with a warning on the ``newsfacts.reader`` logger.

A file that cannot be read as an article is returned as a ``Quarantined`` row whose reason
starts with the file's path: empty, binary, undecodable, truncated, too large, unsupported type,
vanished or unreadable.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import logging
import os
import re
import unicodedata
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

from newsfacts.errors import InputError
from newsfacts.model import Document, Quarantined

log = logging.getLogger("newsfacts.reader")

SUFFIXES = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
SIDECAR_SUFFIX = ".meta.json"
META_KEYS = ("title", "published", "source", "url")

# About 300 characters that are frequent in Chinese news text, in simplified and (where it
# differs) traditional form. Real text hits them often; text decoded with the wrong one of
# GBK/Big5 hits them rarely. Used only to choose between candidate decodings.
COMMON_HANZI = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
    "都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各"
    "重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代"
    "想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接"
    "知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处世车镇村县市省乡万亿"
    "元户名亩项批场增率百千余近约超突破收集济支书记织层群众服务目投累达完共均岁"
    # traditional forms of the characters above that differ from the simplified ones
    "這為個國時來們於對會發動過說產種後學經進著電現實兩體機當點從業應開還義間樣與關線內數麼質氣"
    "變條沒結問無軍並題黨員總設長頭資邊級圖統較將組見計別論運農幾區強決戰則據處車鎮縣鄉萬億戶畝"
    "項場餘約濟書記織層眾務達歲"
)

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
# charset-normalizer's names for the encodings we decode with a superset
_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "euc_cn": "gb18030",
    "hz": "gb18030", "gb18030": "gb18030",
    "big5": "cp950", "cp950": "cp950", "big5hkscs": "big5hkscs",
}
_LABELS = {"gb18030": "GB18030", "cp950": "Big5", "big5hkscs": "Big5-HKSCS"}
_SCORE_CHARS = 200_000
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A, 0x1B}


class _Unreadable(Exception):
    """Internal: why a file cannot be read; turned into a ``Quarantined`` row."""


# --------------------------------------------------------------------------------------------
# discovery


def discover(inputs: list[str | Path]) -> list[Path]:
    """Return the input files named by *inputs*: sorted, absolute, without duplicates.

    A folder is read recursively for ``.txt``, ``.md``, ``.html``, ``.htm`` and ``.jsonl`` files
    (any case), skipping hidden files and folders, ``*.meta.json`` sidecars and ``README.*``
    files (a corpus folder's own notes, such as the sample corpus's README). A file is taken as
    given (so a file of another type reaches ``read_file`` and is quarantined there), except that
    a sidecar is never an input. A path that does not exist raises ``InputError``.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for name in ("b.txt", "a.MD", "a.meta.json", ".hidden.txt", "notes.pdf", "README.md"):
    ...     _ = (root / name).write_text("x")
    >>> [p.name for p in discover([root, root / "b.txt"])]
    ['a.MD', 'b.txt']
    >>> discover([root / "missing"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsfacts.errors.InputError: .../missing: no such file or folder
    """
    found: set[Path] = set()
    for item in inputs:
        path = Path(item).expanduser()
        if path.is_dir():
            found.update(_walk(path))
        elif path.exists():
            if not path.name.lower().endswith(SIDECAR_SUFFIX):
                found.add(path.resolve())
        else:
            raise InputError(str(path), "no such file or folder")
    return sorted(found, key=str)


def _walk(folder: Path):
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            lower = name.lower()
            hidden = name.startswith(".")
            if hidden or lower.endswith(SIDECAR_SUFFIX) or lower.startswith("readme."):
                continue
            if os.path.splitext(lower)[1] in SUFFIXES:
                yield (Path(dirpath) / name).resolve()


def file_sha256(path: Path) -> str:
    """Return the SHA-256 hex digest of the raw bytes of *path*.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> file_sha256(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# reading


def read_file(
    path: Path, *, max_bytes: int = 20_000_000
) -> tuple[list[Document], list[Quarantined]]:
    """Read one input file into documents; a file that cannot be read comes back quarantined.

    Never raises for a bad file. Every quarantine reason starts with the file's path.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> p = folder / "page.txt"
    >>> _ = p.write_bytes("全村共有党员42名。".encode("gbk"))
    >>> docs, bad = read_file(p)
    >>> docs[0].text, docs[0].encoding, bad
    ('全村共有党员42名。', 'gb18030', [])
    >>> _ = (folder / "empty.txt").write_bytes(b"")
    >>> read_file(folder / "empty.txt")[1][0].reason.endswith("empty.txt: empty file")
    True
    """
    path = Path(path)
    where = str(path.resolve())
    fmt = SUFFIXES.get(path.suffix.lower())
    try:
        if fmt is None:
            raise _Unreadable(
                f"unsupported file type {path.suffix or '(none)'!r}; "
                "expected .txt, .md, .html, .htm or .jsonl"
            )
        raw = _read_bytes(path, max_bytes)
        sha = hashlib.sha256(raw).hexdigest()
        if not raw.strip():
            raise _Unreadable("empty file" if not raw else "empty file (only whitespace)")
        sidecar = _read_sidecar(path)
        if fmt == "jsonl":
            return _read_jsonl(raw, where, sha, sidecar)
        if fmt == "html":
            doc = _read_html(raw, where, sha, sidecar)
        else:
            doc = _read_text(raw, where, sha, fmt, sidecar)
        return [doc], []
    except _Unreadable as e:
        return [], [Quarantined(where, f"{where}: {e}")]


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                raise _Unreadable(_too_big(size, max_bytes))
            raw = f.read(max_bytes + 1)
    except FileNotFoundError:
        raise _Unreadable("file not found (it vanished after it was listed)") from None
    except PermissionError:
        raise _Unreadable("cannot open the file: permission denied") from None
    except IsADirectoryError:
        raise _Unreadable("is a folder, not a file") from None
    except OSError as e:
        raise _Unreadable(f"cannot read the file: {e.strerror or e}") from None
    if len(raw) > max_bytes:  # it grew after fstat
        raise _Unreadable(_too_big(len(raw), max_bytes))
    return raw


def _too_big(size: int, limit: int) -> str:
    return f"file is {size:,} bytes, over the {limit:,}-byte limit"


# --------------------------------------------------------------------------------------------
# decoding


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file; return ``(text, encoding)``.

    Tries, in order: a byte-order mark (dropped from the text), BOM-less UTF-16 told by its NUL
    bytes, strict UTF-8, then GB18030, Big5 and charset-normalizer's guess, keeping the
    candidate whose text is mostly Chinese or ASCII and richest in common characters. GBK and
    GB2312 are decoded as GB18030, their superset. Raises ``ValueError`` with the reason when the
    bytes are binary, truncated or in no supported encoding.

    >>> decode_bytes("\\ufeff村集体经济收入86万元".encode("utf-8"))
    ('村集体经济收入86万元', 'utf-8-sig')
    >>> decode_bytes("發展黨員120名，其中女性佔三分之一。".encode("big5"))
    ('發展黨員120名，其中女性佔三分之一。', 'big5')
    >>> decode_bytes("新建大棚1200个".encode("utf-8")[:-1])
    Traceback (most recent call last):
    ...
    ValueError: truncated UTF-8 text (the file ends inside a character)
    """
    try:
        return _decode(raw)
    except _Unreadable as e:
        raise ValueError(str(e)) from None


def _decode(raw: bytes) -> tuple[str, str]:
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            return _decode_unicode(raw[len(bom):], codec, name), name
    if b"\x00" in raw:
        codec = _utf16_by_nuls(raw)
        if codec is None:
            raise _Unreadable("binary file (it contains NUL bytes)")
        text = _decode_unicode(raw, codec, codec)
        if not _plausible(text):
            raise _Unreadable("binary file (it contains NUL bytes)")
        return text, codec
    head = raw[:65536]
    controls = sum(b in _CONTROL_BYTES for b in head)
    if controls > 0.05 * len(head):
        raise _Unreadable(f"binary file ({controls / len(head):.0%} control bytes)")
    try:
        return _checked(raw.decode("utf-8"), "utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        if _truncated_utf8(raw, e):
            raise _Unreadable("truncated UTF-8 text (the file ends inside a character)") from None
    return _decode_legacy(raw)


def _decode_unicode(data: bytes, codec: str, name: str) -> str:
    """Decode UTF-8/16/32 strictly; an incomplete last character means a truncated file."""
    try:
        return _checked(data.decode(codec), name)
    except UnicodeDecodeError as e:
        label = codec.upper().replace("-LE", "").replace("-BE", "")
        if e.end >= len(data) and e.start >= len(data) - 3:
            raise _Unreadable(f"truncated {label} text (the file ends inside a character)")
        raise _Unreadable(f"undecodable text: invalid {label} at byte {e.start}") from None


def _utf16_by_nuls(raw: bytes) -> str | None:
    """Tell BOM-less UTF-16 by where its NUL bytes fall (the high byte of ASCII characters)."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even = raw[0::2].count(0)
    odd = raw[1::2].count(0)
    if odd >= 2 and odd >= 8 * even:
        return "utf-16-le"
    if even >= 2 and even >= 8 * odd:
        return "utf-16-be"
    return None


def _truncated_utf8(raw: bytes, e: UnicodeDecodeError) -> bool:
    """True when *raw* is good UTF-8 (with some non-ASCII) cut inside its last character."""
    if e.reason != "unexpected end of data" or e.end < len(raw) or e.start < len(raw) - 3:
        return False
    try:
        head = raw[: e.start].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not head.isascii()


def _decode_legacy(raw: bytes) -> tuple[str, str]:
    """Choose among GB18030, Big5 and charset-normalizer's guess by scoring the decoded text."""
    candidates = ["gb18030", "cp950"]
    guess = _charset_guess(raw)
    if guess and guess not in candidates:
        candidates.append(guess)
    best = None  # (score, text, codec, truncated)
    for rank, codec in enumerate(candidates):
        decoded = _try_decode(raw, codec)
        if decoded is None:
            continue
        text, truncated = decoded
        ok, score = _score(text)
        if not ok:
            continue
        key = (score, codec == guess, -rank)
        if best is None or key > best[0]:
            best = (key, text, codec, truncated)
    if best is None:
        raise _Unreadable("undecodable text: not UTF-8, GB18030/GBK, Big5 or UTF-16")
    _, text, codec, truncated = best
    label = _LABELS.get(codec, codec)
    if truncated:
        raise _Unreadable(f"truncated {label} text (the file ends inside a character)")
    return _checked(text, codec), ("big5" if codec == "cp950" else codec)


def _charset_guess(raw: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    match = from_bytes(raw[:200_000]).best()
    if match is None:
        return None
    name = match.encoding.lower().replace("-", "_")
    if name.startswith("utf_16") or name.startswith("utf_32"):
        return None  # handled by BOM and NUL detection; a guess here is a misreading
    return _SUPERSETS.get(name, name)


def _try_decode(raw: bytes, codec: str) -> tuple[str, bool] | None:
    """Strictly decode; a failure only in the last character gives the head and ``truncated``."""
    try:
        return raw.decode(codec), False
    except UnicodeDecodeError as e:
        if e.end >= len(raw) and e.start >= len(raw) - 3 and e.start > 0:
            try:
                return raw[: e.start].decode(codec), True
            except UnicodeDecodeError:
                return None
        return None
    except LookupError:
        return None


def _char_class(ch: str) -> str:
    cp = ord(ch)
    if ch.isspace():
        return "space"
    if 0x20 < cp < 0x7F:
        return "ascii"
    if 0x4E00 <= cp <= 0x9FFF:
        return "cjk"
    if (
        0x3000 <= cp <= 0x303F  # CJK punctuation
        or 0xFF00 <= cp <= 0xFFEF  # full-width forms
        or 0x2000 <= cp <= 0x206F  # general punctuation: “” — …
        or 0x2460 <= cp <= 0x24FF  # ① ⑴
        or 0x25A0 <= cp <= 0x25FF  # ■ ● ○
        or 0x2160 <= cp <= 0x217F  # Ⅰ Ⅱ
        or cp in (0xB7, 0xD7, 0xB0, 0xA9, 0xAE)  # · × ° © ®
    ):
        return "punct"
    category = unicodedata.category(ch)
    if category in ("Cc", "Co", "Cn", "Cs") or cp == 0xFFFD:
        return "bad"
    if 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF or cp >= 0x20000:
        return "rare"
    return "other"


def _score(text: str) -> tuple[bool, float]:
    """Is *text* plausible Chinese-or-ASCII text, and how strongly does it look like Chinese?"""
    text = text[:_SCORE_CHARS]  # the strict decode has already vouched for the rest
    counts = {"ascii": 0, "cjk": 0, "punct": 0, "bad": 0, "rare": 0, "other": 0, "space": 0}
    common = 0
    for ch in text:
        counts[_char_class(ch)] += 1
        if ch in COMMON_HANZI:
            common += 1
    n = len(text) - counts["space"]
    if n == 0:
        return True, 0.0
    good = counts["ascii"] + counts["cjk"] + counts["punct"]
    ok = good >= 0.8 * n and counts["bad"] <= 0.02 * n
    score = common - 2 * (counts["rare"] + counts["other"]) - 10 * counts["bad"]
    return ok, score


def _plausible(text: str) -> bool:
    return _score(text)[0]


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # category Cc, less whitespace


def _checked(text: str, codec: str) -> str:
    """Reject decoded text that is mostly control characters (a binary file that decoded)."""
    controls = len(_CONTROL_CHARS.findall(text))
    if text and controls > 0.05 * len(text):
        raise _Unreadable(f"binary file ({controls / len(text):.0%} control characters)")
    return text


# --------------------------------------------------------------------------------------------
# metadata


def _iso_date(value: object, where: str) -> str | None:
    """The date part of an ISO date or datetime, or None (with a warning) when it is not one."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        s = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            try:
                return date.fromisoformat(s).isoformat()
            except ValueError:
                pass
        elif re.match(r"\d{4}-\d{2}-\d{2}[T ]", s):
            try:
                return datetime.fromisoformat(s.replace("Z", "+00:00")).date().isoformat()
            except ValueError:
                pass
    log.warning("%s: ignoring published %r: not an ISO date (YYYY-MM-DD)", where, value)
    return None


def _clean_meta(raw: dict, where: str) -> dict[str, str]:
    """Keep the known keys with string values; ``published`` reduced to an ISO date."""
    meta: dict[str, str] = {}
    for key in META_KEYS:
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            log.warning("%s: ignoring %s=%r: not a string", where, key, value)
            continue
        if key == "published":
            iso = _iso_date(value, where)
            if iso:
                meta[key] = iso
        elif value.strip():
            meta[key] = value.strip()
    return meta


def _sidecar_paths(path: Path) -> list[Path]:
    """``NAME.meta.json`` then ``NAME.txt.meta.json`` (the more specific one wins)."""
    return [path.with_suffix(SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)]


def _read_sidecar(path: Path) -> dict[str, str]:
    meta: dict[str, str] = {}
    for side in _sidecar_paths(path):
        if not side.is_file():
            continue
        try:
            data = json.loads(side.read_bytes().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            log.warning("%s: ignoring sidecar metadata: %s", side, e)
            continue
        if not isinstance(data, dict):
            log.warning("%s: ignoring sidecar metadata: not a JSON object", side)
            continue
        meta.update(_clean_meta(data, str(side)))
    return meta


_FRONT_OPEN = re.compile(r"---[ \t]*\r?\n")
_FRONT_LINE = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:[ \t]*(.*)")


def _front_matter(text: str, where: str) -> tuple[dict[str, str], int]:
    """Parse a leading ``---`` block of ``key: value`` lines; return (metadata, end offset).

    The end offset is 0 when the text has no front matter. ``date`` is read as ``published``.
    """
    if not _FRONT_OPEN.match(text):
        return {}, 0
    pos = _FRONT_OPEN.match(text).end()
    found: dict[str, str] = {}
    for _ in range(200):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl + 1
        line = text[pos:line_end].rstrip("\r\n")
        if line.rstrip() == "---":
            meta = _clean_meta(found, where)
            return meta, line_end
        if nl < 0:
            return {}, 0
        pos = line_end
        if not line.strip() or line.lstrip().startswith("#") or line[:1] in " \t-":
            continue  # blank, comment, or a YAML continuation / list item we do not need
        m = _FRONT_LINE.fullmatch(line.rstrip())
        if not m:
            return {}, 0  # not front matter: a rule line followed by prose
        key, value = m.group(1).lower(), m.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        found.setdefault("published" if key == "date" else key, value)
    return {}, 0


def _blank(text: str, end: int) -> str:
    """Replace ``text[:end]`` by spaces, keeping line breaks, so later offsets do not move."""
    head = "".join(ch if ch in "\r\n" else " " for ch in text[:end])
    return head + text[end:]


# --------------------------------------------------------------------------------------------
# formats


def _read_text(raw: bytes, where: str, sha: str, fmt: str, sidecar: dict) -> Document:
    text, encoding = _decode_or_quarantine(raw)
    meta, end = _front_matter(text, where)
    if end:
        text = _blank(text, end)
    if not text.strip():
        raise _Unreadable("empty file (no text after the front matter)")
    meta.update(sidecar)
    return Document(where, text, sha, fmt, 0, encoding=encoding, **meta)


def _decode_or_quarantine(raw: bytes) -> tuple[str, str]:
    text, encoding = _decode(raw)
    if not text.strip():
        raise _Unreadable("empty file (only whitespace)")
    return text, encoding


def _read_jsonl(
    raw: bytes, where: str, sha: str, sidecar: dict
) -> tuple[list[Document], list[Quarantined]]:
    text, encoding = _decode_or_quarantine(raw)
    docs: list[Document] = []
    bad: list[Quarantined] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            bad.append(Quarantined(where, f"{where}: line {number}: invalid JSON: {e.msg} "
                                          f"(column {e.colno})"))
            continue
        if not isinstance(obj, dict):
            bad.append(Quarantined(where, f"{where}: line {number}: not a JSON object"))
            continue
        body = obj.get("text")
        if not isinstance(body, str) or not body.strip():
            problem = ("missing" if body is None
                       else "empty" if isinstance(body, str) else "not a string")
            bad.append(Quarantined(where, f'{where}: line {number}: "text" is {problem}'))
            continue
        meta = dict(sidecar)
        meta.update(_clean_meta(obj, f"{where}: line {number}"))
        docs.append(Document(where, body, sha, "jsonl", number, encoding=encoding, **meta))
    return docs, bad


# ---- HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_PUBLISHED_META = (
    "publishdate", "pubdate", "publish_date", "publishtime", "publish-date",
    "article:published_time",
    "og:published_time", "datepublished", "date", "dc.date", "dc.date.issued", "dcterms.date",
    "sailthru.date", "parsely-pub-date",
)
_BOILERPLATE_TAGS = ("nav", "footer", "aside", "script", "style", "noscript", "template", "form",
                     "iframe", "svg", "button", "select")
_BOILERPLATE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu"}
_BOILERPLATE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|footer|foot|copyright|breadcrumbs?|crumbs?|"
    r"sidebar|share|related|topbar|header)(?:$|[\s_-])",
    re.I,
)
_COPYRIGHT_LINE = re.compile(r"版权所有|copyright|©|ICP备|ICP证|公网安备|未经授权不得|禁止转载", re.I)
_NAV_SEPARATORS = re.compile(r"\s*[|｜>＞»]\s*")


def _html_encoding(raw: bytes) -> str | None:
    head = raw[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower().replace("-", "_")
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode_html(raw: bytes, where: str) -> tuple[str, str]:
    declared = _html_encoding(raw)
    has_bom = any(raw.startswith(bom) for bom, _, _ in _BOMS)
    if declared and not has_bom and not declared.startswith("utf-16"):
        try:
            return _checked(raw.decode(declared), declared), declared
        except UnicodeDecodeError:
            log.warning("%s: the declared charset %s does not decode the page; detecting it",
                        where, declared)
    return _decode_or_quarantine(raw)


def _read_html(raw: bytes, where: str, sha: str, sidecar: dict) -> Document:
    html, encoding = _decode_html(raw, where)
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses str input that declares one
    meta = _html_meta(html, where)
    text = _main_text(html)
    if not text.strip():
        raise _Unreadable("no article text found in the HTML page")
    meta.update(sidecar)
    return Document(where, text, sha, "html", 0, encoding=encoding, **meta)


def _html_meta(html: str, where: str) -> dict[str, str]:
    """title, published, source and url from the page's meta tags, <h1> and <title>."""
    collector = _HeadCollector()
    try:
        collector.feed(html)
        collector.close()
    except Exception:  # noqa: BLE001 - html.parser is tolerant; be safe on odd markup
        pass
    found: dict[str, str] = {}
    for key in _PUBLISHED_META:
        if key in collector.meta:
            iso = _iso_date(collector.meta[key], where)
            if iso:
                found["published"] = iso
                break
    for title in (collector.meta.get("og:title"), collector.title, collector.h1):
        title = _site_suffix_dropped(re.sub(r"\s+", " ", title or ""))
        if title:
            break
    if title:
        found["title"] = title
    if collector.meta.get("source"):
        found["source"] = collector.meta["source"].strip()
    url = collector.canonical or collector.meta.get("og:url")
    if url:
        found["url"] = url.strip()
    return found


def _site_suffix_dropped(title: str) -> str:
    """``标题_栏目_网站`` -> ``标题``."""
    parts = [p for p in re.split(r"\s*(?:_|\||｜| - | — | -- )\s*", title.strip()) if p]
    return parts[0] if parts else ""


class _HeadCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.h1 = ""
        self.canonical: str | None = None
        self._in: str | None = None
        self._h1_done = False

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("name") or a.get("property") or a.get("itemprop") or "").lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"])
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.canonical = a.get("href") or None
        elif tag == "title" and not self.title:
            self._in = "title"
        elif tag == "h1" and not self._h1_done:
            self._in = "h1"

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None
            self._h1_done = self._h1_done or (tag == "h1" and bool(self.h1.strip()))

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1 += data


def _main_text(html: str) -> str:
    """The page's main text, paragraphs separated by blank lines: trafilatura, else stdlib."""
    text = ""
    try:
        text = _trafilatura_text(html)
    except Exception as e:  # noqa: BLE001 - any extractor failure falls back to the stdlib
        log.warning("trafilatura failed (%s); using the plain HTML text", e)
    if not text.strip():
        text = _fallback_text(html)
    return _drop_boilerplate_lines(text)


def _trafilatura_text(html: str) -> str:
    import lxml.html
    import trafilatura

    tree = lxml.html.fromstring(html)
    _strip_boilerplate(tree)
    doc = trafilatura.bare_extraction(
        tree,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        no_fallback=False,
    )
    return _paragraphs(doc.text or "") if doc is not None else ""


def _strip_boilerplate(tree) -> None:
    """Remove navigation, page headers/footers, sidebars and scripts before extraction."""
    doomed = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in ("html", "body", "main", "article"):
            continue
        inside_article = any(
            isinstance(p.tag, str) and p.tag.lower() in ("article", "main")
            for p in el.iterancestors()
        )
        role = (el.get("role") or "").lower()
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if tag in _BOILERPLATE_TAGS or role in _BOILERPLATE_ROLES:
            doomed.append(el)
        elif (
            not inside_article
            and (tag == "header" or _BOILERPLATE_WORDS.search(marks))
            and not _holds_content(el)
        ):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the text that followed the element


def _holds_content(el) -> bool:
    """A page header or a wrapper that holds the headline or the article is not boilerplate."""
    return any(
        isinstance(d.tag, str) and d.tag.lower() in ("h1", "article", "main")
        for d in el.iterdescendants()
    )


def _paragraphs(text: str) -> str:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n\n".join(line for line in lines if line)


def _drop_boilerplate_lines(text: str) -> str:
    """Drop left-over copyright lines and menu lines such as ``首页 | 新闻 | 视频``."""
    kept = []
    for para in text.split("\n\n"):
        if _COPYRIGHT_LINE.search(para) and len(para) < 120:
            continue
        parts = [p for p in _NAV_SEPARATORS.split(para) if p]
        if len(parts) >= 3 and len(para) <= 80 and all(len(p) <= 8 for p in parts):
            continue
        kept.append(para)
    return "\n\n".join(kept)


class _TextCollector(HTMLParser):
    """Plain text of a page without scripts, styles, menus, headers, footers and sidebars."""

    SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "head",
            "form", "iframe", "svg", "button", "select"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
             "blockquote", "pre", "table", "ul", "ol", "dd", "dt", "figcaption", "main", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.article_parts: list[str] | None = None
        self.article_depth = 0

    def _out(self) -> list[str]:
        return self.article_parts if self.article_depth else self.parts

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            if tag in self.BLOCK and not self.skip_depth:
                self._out().append("\n")
            return
        if tag in self.SKIP or self.skip_depth:
            self.skip_depth += 1
            return
        if tag in ("article", "main"):
            if self.article_depth == 0 and self.article_parts is None:
                self.article_parts = []
            if self.article_parts is not None:
                self.article_depth += 1
        if tag in self.BLOCK:
            self._out().append("\n")

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.skip_depth:
            self.skip_depth -= 1
            return
        if tag in self.BLOCK:
            self._out().append("\n")
        if tag in ("article", "main") and self.article_depth:
            self.article_depth -= 1

    def handle_data(self, data):
        if not self.skip_depth:
            self._out().append(data)


def _fallback_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    parts = collector.article_parts if collector.article_parts else collector.parts
    return _paragraphs(re.sub(r"[ \t\u3000]+", " ", "".join(parts)))
