"""Build a small warehouse from texts and run the consistency rules on it, without Prefect.

Each text becomes one input file (``case0.txt``, ``case1.txt`` ... unless named): it is
extracted with the default gazetteer, loaded with ``warehouse.load`` and checked with
``checks.run_rules``, as the pipeline's load and check stages do.

    with Bench(tmp_path / "newsfacts.duckdb") as bench:
        found = bench.check(["全村有党员60名,党支部3个。"])
    found.failed  # the rows of the failed checks

A run of the rules costs about a fifth of a second whatever the data, so many independent
cases are best checked in one run, each in files of its own, and read apart with
``Checked.of_files``: every rule but cross_article joins facts of one article (or one file),
and a cross_article row that pairs two cases' files is an artefact of sharing the run.
"""
from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence

from newsfacts import checks, warehouse
from newsfacts.extract import Context, extract_document
from newsfacts.model import Extraction
from newsfacts.places import default_gazetteer

PUBLISHED = date(2024, 11, 20)  # the publication date the cases are written against

Text = str | tuple[str, date | None]  # a text, or a text with its publication date (None: inferred)


@dataclass
class Checked:
    """What one build found: the facts loaded and the rows of the failed checks."""

    facts: list[dict]  # fact_id, source_path, surface, source_start, source_end, value, unit, counted
    failed: list[dict]  # rows of ``checks`` with status fail
    sources: dict[str, str]  # article_id -> source_path

    def of_files(self, paths: Sequence[str]) -> Checked:
        """What concerns these files alone: their facts, and the failed rows about nothing else."""
        paths = set(paths)
        facts = [f for f in self.facts if f["source_path"] in paths]
        ids = {f["fact_id"] for f in facts}
        failed = [r for r in self.failed
                  if (set(r["fact_ids"]) <= ids if r["fact_ids"] else self.sources.get(r["article_id"]) in paths)]
        return Checked(facts, failed, {a: p for a, p in self.sources.items() if p in paths})

    def fact(self, surface: str, occurrence: int = 0, source_path: str | None = None) -> dict:
        """The fact whose surface contains ``surface`` (the n-th such, in text order)."""
        found = [f for f in self.facts if surface in f["surface"] and _is_file(f["source_path"], source_path)]
        if len(found) <= occurrence:
            raise AssertionError(f"no fact {surface!r} (#{occurrence}) among {[f['surface'] for f in self.facts]}")
        return found[occurrence]

    def facts_at(self, start: int, end: int, source_path: str = "case0.txt") -> list[dict]:
        """The facts of one file whose source span overlaps ``[start, end)``."""
        return [f for f in self.facts if _is_file(f["source_path"], source_path)
                and f["source_start"] < end and start < f["source_end"]]

    def failing(self, rule: str | None = None, severity: str | None = None) -> list[dict]:
        """The failed rows, of one rule and one severity when given."""
        return [r for r in self.failed
                if (rule is None or r["check_id"] == rule) and (severity is None or r["severity"] == severity)]

    def naming(self, fact_id: str, rule: str | None = None) -> list[dict]:
        """The failed rows (of one rule) whose ``fact_ids`` include ``fact_id``."""
        return [r for r in self.failing(rule) if fact_id in r["fact_ids"]]

    def summary(self) -> str:
        """The failed rows, one line each, for assertion messages."""
        return "\n".join(f"{r['check_id']} [{r['severity']}] {r['fact_ids']} {r['message']}"
                         for r in self.failed) or "(no failed check)"


def _is_file(path: str, wanted: str | None) -> bool:
    """Whether ``path`` is the file ``wanted`` (``case0.txt`` also names ``3/case0.txt``)."""
    return wanted is None or path == wanted or path.endswith("/" + wanted)


def extract_all(texts: Sequence[Text], paths: Sequence[str] | None = None
                ) -> tuple[list[tuple[str, str, int]], Extraction]:
    """Extract each text as its own file; return the file records and the merged extraction."""
    gaz = default_gazetteer()
    files, out = [], Extraction()
    paths = list(paths) if paths is not None else [f"case{i}.txt" for i in range(len(texts))]
    for item, path in zip(texts, paths, strict=True):
        text, published = (item, PUBLISHED) if isinstance(item, str) else item
        ex = extract_document(text, Context(source_path=path, published=published), gaz)
        files.append((path, hashlib.sha256(text.encode()).hexdigest(), len(text.encode())))
        out.articles.extend(ex.articles)
        out.facts.extend(ex.facts)
        out.dates.extend(ex.dates)
        out.enumerations.extend(ex.enumerations)
    return files, out


class Bench:
    """One warehouse file, kept open; each ``check`` replaces its texts and runs the rules."""

    _runs = itertools.count(1)

    def __init__(self, db: Path):
        self.db = Path(db)

    def __enter__(self) -> Bench:
        self._cm = warehouse.connect(self.db)
        self.con = self._cm.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._cm.__exit__(*exc)

    def check(self, texts: Sequence[Text], paths: Sequence[str] | None = None) -> Checked:
        """Extract, load (dropping the texts of the previous check) and run the consistency rules."""
        files, ex = extract_all(texts, paths)
        run_id = f"test-run-{next(self._runs)}"
        paths = {f[0] for f in files}
        warehouse.drop_files(self.con, [p for p in warehouse.known_files(self.con) if p not in paths])
        warehouse.load(
            self.con, run_id, files=files,
            articles=warehouse.articles_table(ex.articles), facts=warehouse.facts_table(ex.facts),
            dates=warehouse.dates_table(ex.dates), enumerations=warehouse.enumerations_table(ex.enumerations),
        )
        rows = checks.run_rules(self.con, run_id)
        source = {a.article_id: a.source_path for a in ex.articles}
        facts = [dict(fact_id=f.fact_id, source_path=source[f.article_id], surface=f.surface,
                      source_start=f.source_start, source_end=f.source_end, value=f.value, unit=f.unit,
                      counted=f.counted)
                 for f in ex.facts]
        return Checked(facts=facts, failed=[r for r in rows if r["status"] == "fail"], sources=source)

    def check_cases(self, cases: dict[str, Sequence[Text]]) -> dict[str, Checked]:
        """Check many independent cases in one run; each case's texts are its files ``<n>/caseK.txt``."""
        names = list(cases)
        paths = {name: [f"{n}/case{k}.txt" for k in range(len(cases[name]))] for n, name in enumerate(names)}
        found = self.check([t for name in names for t in cases[name]], [p for name in names for p in paths[name]])
        return {name: found.of_files(paths[name]) for name in names}


def check_texts(texts: Sequence[Text], db: Path) -> Checked:
    """Extract ``texts`` into the warehouse file ``db``, run the consistency rules, return what failed."""
    with Bench(db) as bench:
        return bench.check(texts)


def edit(text: str, old: str, new: str) -> tuple[str, tuple[int, int]]:
    """Replace the one occurrence of ``old``; return the new text and the edited span in it.

    The span is the part of ``new`` that differs from ``old`` (at least one character), so a
    fact whose source span overlaps it is the fact the edit changed.

    >>> edit("共有135名党员", "共有135名", "共有35名")
    ('共有35名党员', (2, 3))
    >>> edit("党支部549个", "549个", "54900个")
    ('党支部54900个', (6, 8))
    """
    if text.count(old) != 1:
        raise ValueError(f"{old!r} occurs {text.count(old)} times; an edit needs one")
    at = text.index(old)
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) - p and old[-1 - s] == new[-1 - s]:
        s += 1
    start, end = at + p, at + len(new) - s
    return text[:at] + new + text[at + len(old):], (start, max(end, start + 1))
