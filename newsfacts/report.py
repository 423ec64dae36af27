"""What people read: the facts of a text as a table, failed checks by article, snapshot diffs.

Plain text for the terminal (with ANSI highlight when it is one) and a small HTML page for the
snapshot. Formatting only: the data comes from the warehouse module or the extractor.
"""
from __future__ import annotations

import dataclasses
import html
import json
import shutil
from collections import defaultdict
from pathlib import Path

from .model import Extraction

_ON, _OFF = "\x1b[1;33m", "\x1b[0m"


def highlight(sentence: str, spans: list[tuple[int, int]], color: bool) -> str:
    """Mark spans of a sentence: ANSI colour on a terminal, 【】 elsewhere.

    >>> highlight("共有135名党员", [(2, 6)], color=False)
    '共有【135名】党员'
    """
    return _mark(sentence, spans, _ON if color else "【", _OFF if color else "】")


def _mark(sentence: str, spans: list[tuple[int, int]], on: str, off: str, escape=str) -> str:
    """``sentence`` with each span between ``on`` and ``off`` (overlapping spans and spans past
    its end skipped), the text passed through ``escape``.

    >>> _mark("a<b>c", [(1, 4)], "<mark>", "</mark>", html.escape)
    'a<mark>&lt;b&gt;</mark>c'
    """
    out, pos = [], 0
    for a, b in sorted(spans):
        if a < pos or b > len(sentence):
            continue
        out.append(escape(sentence[pos:a]) + on + escape(sentence[a:b]) + off)
        pos = b
    out.append(escape(sentence[pos:]))
    return "".join(out)


def _span_in_sentence(f) -> tuple[int, int]:
    sentence = f["sentence"] if isinstance(f, dict) else f.sentence
    surface = f["surface"] if isinstance(f, dict) else f.surface
    start = f["sentence_offset"] if isinstance(f, dict) else f.sentence_offset
    if 0 <= start and sentence[start : start + len(surface)] == surface:
        return start, start + len(surface)
    i = sentence.find(surface)
    return (i, i + len(surface)) if i >= 0 else (0, 0)


def _sentences(fact_ids, facts: dict[str, dict]) -> list[tuple[str, list[tuple[int, int]]]]:
    """The sentences of a check's facts, each once and in the order the check names them,
    with the spans of the check's facts in it.

    >>> facts = {"f1": {"sentence": "共有135名党员", "surface": "135名", "sentence_offset": 2},
    ...          "f2": {"sentence": "共有135名党员", "surface": "党员", "sentence_offset": 6}}
    >>> _sentences(["f2", "f1", "f9"], facts)
    [('共有135名党员', [(6, 8), (2, 6)])]
    """
    spans: dict[str, list[tuple[int, int]]] = {}
    for fid in dict.fromkeys(fact_ids or []):
        f = facts.get(fid)
        if f is not None:
            spans.setdefault(f["sentence"], []).append(_span_in_sentence(f))
    return list(spans.items())


def facts_table(ex: Extraction, *, as_json: bool = False, color: bool = False) -> str:
    """The facts of an extraction, one block per fact: the figures, then the sentence."""
    if as_json:
        return "\n".join(json.dumps(dataclasses.asdict(f), ensure_ascii=False) for f in ex.facts)
    titles = {a.article_id: a.title for a in ex.articles}
    lines = []
    current = None
    for f in ex.facts:
        if f.article_id != current:
            current = f.article_id
            lines.append(f"\n== {titles.get(current) or '(untitled)'}")
        value = f"{f.value:g}" if f.value is not None else f"{f.value_low:g}–{f.value_high:g}"
        bounds = ""
        if f.value is not None and (f.value_low is not None or f.value_high is not None):
            lo = "" if f.value_low is None else f"{f.value_low:g}"
            hi = "" if f.value_high is None else f"{f.value_high:g}"
            bounds = f" [{lo}, {hi}]"
        lines.append(
            f"{f.source_start:>6}  {f.surface:<12} {value}{bounds} {f.unit or ''}  {f.kind}"
            f"{' ' + f.approx if f.approx else ''}  counted={f.counted or '-'}  place={f.place or '-'}"
            f"  year={f.year or '-'}"
        )
        lines.append("        " + highlight(f.sentence, [_span_in_sentence(f)], color))
    lines.append(f"\n{len(ex.facts)} facts in {len(ex.articles)} article(s)")
    return "\n".join(lines)


def failed_checks_text(con, *, run_id: str | None = None, severity: str | None = None, color: bool = False) -> str:
    """Failed checks grouped by article, each with its message and highlighted sentences."""
    from . import warehouse

    rows = warehouse.failed_checks(con, run_id, severity)
    if not rows:
        return "no failed checks"
    facts = warehouse.facts_by_id(con, sorted({fid for r in rows for fid in (r["fact_ids"] or [])}))
    by_article: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        by_article[(r["source_path"], r["title"], r["article_id"])].append(r)
    out = []
    for (path, title, _aid), items in by_article.items():
        out.append(f"\n== {title or '(untitled)'}" + (f"  [{path}]" if path else ""))
        for r in items:
            out.append(f"  {r['severity'].upper():7} {r['check_id']}: {r['message']}")
            for sentence, spans in _sentences(r["fact_ids"], facts):
                out.append("          " + highlight(sentence, spans, color))
    out.append(f"\n{len(rows)} failed check(s)")
    return "\n".join(out)


REPORT_ROWS = 2_000  # failed checks of each severity the page shows; the checks table holds all


def failed_checks_html(con, run_id: str, path: Path, limit: int = REPORT_ROWS) -> Path:
    """A page of the failed consistency checks with their spans highlighted; returns its path.

    A table of how many rows of each check failed, then the failed checks by article, errors
    before warnings, at most ``limit`` of each severity: a page that a browser can open even
    when a large archive fails hundreds of thousands of checks (they are all in the ``checks``
    table, and ``newsfacts checks`` lists them). Written a batch at a time.
    """
    from . import warehouse

    counts = con.execute(warehouse.read_sql("queries/failed_counts.sql"), [run_id]).fetchall()
    by_severity: dict[str, int] = defaultdict(int)
    for _check, severity, n in counts:
        by_severity[severity] += n
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write("\n".join([
            "<!doctype html><meta charset='utf-8'><title>newsfacts: failed checks</title>",
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}mark{background:#fd4}"
            ".error{color:#b00}.warning{color:#a60}li{margin:.6em 0}td,th{padding:0 1em 0 0;text-align:left}</style>",
            f"<h1>Failed checks of run {html.escape(run_id)}</h1>",
            f"<p>{sum(by_severity.values())} failed check(s). "
            "Column rules: <a href='../data_docs/index.html'>Data Docs</a>.</p>",
        ]))
        if counts:
            out.write("\n<table><tr><th>check</th><th>severity</th><th>failed</th></tr>")
            out.write("".join(f"\n<tr><td><code>{html.escape(c)}</code></td><td class='{html.escape(sev)}'>"
                              f"{html.escape(sev)}</td><td>{n}</td></tr>" for c, sev, n in counts))
            out.write("\n</table>")
        for severity in ("error", "warning"):
            total = by_severity.get(severity, 0)
            if total:
                _write_severity(out, con, run_id, severity, total, limit)
    return path


def _write_severity(out, con, run_id: str, severity: str, total: int, limit: int) -> None:
    from . import warehouse

    shown = min(total, limit)
    out.write(f"\n<h2 class='{severity}'>{severity}s: {total}</h2>")
    if shown < total:
        out.write(f"\n<p>The first {shown} by file are shown; all {total} are in the <code>checks</code> "
                  f"table, and <code>newsfacts checks --run {html.escape(run_id)} --severity {severity}</code> "
                  "lists them.</p>")
    opened, current, written = False, None, 0
    batches = warehouse.failed_checks_batches(con, run_id, severity, rows=min(limit, 10_000))
    for rows in batches:
        rows = rows[: shown - written]
        written += len(rows)
        facts = warehouse.facts_by_id(con, sorted({fid for r in rows for fid in (r["fact_ids"] or [])}))
        parts = []
        for r in rows:
            if not opened or r["article_id"] != current:
                if opened:
                    parts.append("</ul>")
                opened, current = True, r["article_id"]
                parts.append(f"<h3>{html.escape(r['title'] or '(untitled)')}</h3>"
                             f"<p><small>{html.escape(r['source_path'] or '')}</small></p><ul>")
            parts.append(f"<li><b class='{r['severity']}'>{r['severity']}</b> "
                         f"<code>{html.escape(r['check_id'])}</code>: {html.escape(r['message'] or '')}")
            for sentence, spans in _sentences(r["fact_ids"], facts):
                parts.append(f"<blockquote>{_mark(sentence, spans, '<mark>', '</mark>', html.escape)}</blockquote>")
            parts.append("</li>")
        out.write("".join("\n" + p for p in parts))
        if written >= shown:
            break
    batches.close()  # drops the query's temporary table now, not when the generator is collected
    if opened:
        out.write("\n</ul>")


def diff_text(d: dict, a: str, b: str) -> str:
    """The added, removed and changed facts between two snapshots."""
    out = [f"facts from {a} to {b}:"]
    for name in ("added", "removed"):
        t = d[name]
        out.append(f"\n{name}: {t.num_rows}")
        for r in t.select([c for c in ("fact_id", "surface", "value", "unit", "counted", "place") if c in t.column_names]).to_pylist()[:200]:
            out.append("  " + "  ".join(str(r.get(c)) for c in r))
    ch = d["changed"]
    out.append(f"\nchanged: {ch.num_rows}")
    for r in ch.to_pylist()[:200]:
        cols = r.get("changed_columns") or []
        detail = ", ".join(f"{c}: {r.get(c + '_old')} -> {r.get(c + '_new')}" for c in cols)
        out.append(f"  {r.get('fact_id')}  {detail}")
    return "\n".join(out)


def carry_report(previous: Path, path: Path, previous_run_id: str, run_id: str) -> bool:
    """The failed-checks page of a run whose checks were carried over from ``previous_run_id``:
    that run's page, retitled, copied a block at a time. False when there is none to copy."""
    old_title = f"<h1>Failed checks of run {html.escape(previous_run_id)}</h1>"
    if not previous.is_file():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with previous.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        head = src.read(4096)
        if old_title not in head:
            return False
        out.write(head.replace(old_title, f"<h1>Failed checks of run {html.escape(run_id)}</h1>"
                               f"<p>Nothing changed since run {html.escape(previous_run_id)}: "
                               "its checks stand.</p>", 1))
        shutil.copyfileobj(src, out)
    return True


def run_markdown(summary: dict, failed: list[dict]) -> str:
    """A short Markdown summary of a run, for a Prefect artifact; ``failed`` holds the first
    failed checks (at most 50 are shown), ``summary["checks_failed"]`` how many there are.

    >>> print(run_markdown({"run_id": "r1", "articles_seen": 3, "articles_new": 1, "facts": 9,
    ...     "checks_failed": 0, "quarantined": 0, "snapshot_id": "s1"}, []))
    ### newsfacts run r1
    | articles read | new | facts | checks failed | quarantined | snapshot |
    |---|---|---|---|---|---|
    | 3 | 1 | 9 | 0 | 0 | s1 |
    <BLANKLINE>
    No check failed.
    """
    lines = [
        f"### newsfacts run {summary['run_id']}",
        "| articles read | new | facts | checks failed | quarantined | snapshot |",
        "|---|---|---|---|---|---|",
        f"| {summary['articles_seen']} | {summary['articles_new']} | {summary['facts']} | "
        f"{summary['checks_failed']} | {summary['quarantined']} | {summary['snapshot_id']} |",
        "",
    ]
    if not failed:
        lines.append("No check failed.")
    else:
        lines.append("| severity | check | message |")
        lines.append("|---|---|---|")
        for r in failed[:50]:
            msg = (r.get("message") or "").replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {r['severity']} | {r['check_id']} | {msg[:300]} |")
        more = max(summary.get("checks_failed", 0), len(failed)) - len(failed[:50])
        if more > 0:
            lines.append(f"\n… and {more} more: `newsfacts checks`")
    return "\n".join(lines)
