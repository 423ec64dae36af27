"""Build a small warehouse from texts and run the consistency rules on it, without Prefect.

Each text becomes one input file (``case0.txt``, ``case1.txt`` ...): extracted with the
default gazetteer, loaded with ``warehouse.load`` and checked with ``checks.run_rules``.
"""
from __future__ import annotations

import hashlib
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

    facts: list[dict]  # fact_id, source_path, surface, source_start, source_end, value, counted
    failed: list[dict]  # rows of ``checks`` with status fail

    def fact(self, surface: str, occurrence: int = 0, source_path: str | None = None) -> dict:
        """The fact whose surface contains ``surface`` (the n-th such, in text order)."""
        found = [f for f in self.facts if surface in f["surface"]
                 and (source_path is None or f["source_path"] == source_path)]
        if len(found) <= occurrence:
            raise AssertionError(f"no fact {surface!r} (#{occurrence}) among {[f['surface'] for f in self.facts]}")
        return found[occurrence]

    def facts_at(self, start: int, end: int, source_path: str = "case0.txt") -> list[dict]:
        """The facts of one file whose source span overlaps ``[start, end)``."""
        return [f for f in self.facts if f["source_path"] == source_path
                and f["source_start"] < end and start < f["source_end"]]

    def failing(self, rule: str | None = None) -> list[dict]:
        """The failed rows of one rule (all rules when None)."""
        return [r for r in self.failed if rule is None or r["check_id"] == rule]

    def naming(self, fact_id: str, rule: str | None = None) -> list[dict]:
        """The failed rows (of one rule) whose ``fact_ids`` include ``fact_id``."""
        return [r for r in self.failing(rule) if fact_id in r["fact_ids"]]

    def summary(self) -> str:
        """The failed rows, one line each, for assertion messages."""
        return "\n".join(f"{r['check_id']} [{r['severity']}] {r['message']}" for r in self.failed) or "(none)"


def extract_all(texts: Sequence[Text]) -> tuple[list[tuple[str, str, int]], Extraction]:
    """Extract each text as its own file; return the file records and the merged extraction."""
    gaz = default_gazetteer()
    files, out = [], Extraction()
    for i, item in enumerate(texts):
        text, published = (item, PUBLISHED) if isinstance(item, str) else item
        path = f"case{i}.txt"
        ex = extract_document(text, Context(source_path=path, published=published), gaz)
        files.append((path, hashlib.sha256(text.encode()).hexdigest(), len(text.encode())))
        out.articles.extend(ex.articles)
        out.facts.extend(ex.facts)
        out.dates.extend(ex.dates)
        out.enumerations.extend(ex.enumerations)
    return files, out


def check_texts(texts: Sequence[Text], db: Path, run_id: str = "test-run") -> Checked:
    """Extract, load into the warehouse file ``db`` and run the consistency rules."""
    files, ex = extract_all(texts)
    with warehouse.connect(db) as con:
        warehouse.load(
            con, run_id, files=files,
            articles=warehouse.articles_table(ex.articles), facts=warehouse.facts_table(ex.facts),
            dates=warehouse.dates_table(ex.dates), enumerations=warehouse.enumerations_table(ex.enumerations),
        )
        rows = checks.run_rules(con, run_id)
    paths = {a.article_id: a.source_path for a in ex.articles}
    facts = [dict(fact_id=f.fact_id, source_path=paths[f.article_id], surface=f.surface,
                  source_start=f.source_start, source_end=f.source_end, value=f.value, counted=f.counted)
             for f in ex.facts]
    return Checked(facts=facts, failed=[r for r in rows if r["status"] == "fail"])
