"""How many years of a warehouse's facts agree with a gold reading (../shared/tools/score_facts.py
does not score the year). A fact is matched with a gold fact whose span overlaps it, as the
scorer does.

Usage (not a test):
    python bench/gold_years.py WAREHOUSE_DIR GOLD_JSON
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb


def main(warehouse: str, gold_path: str) -> None:
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    with duckdb.connect(str(Path(warehouse) / "newsfacts.duckdb"), read_only=True) as con:
        rows = con.execute("select surface, source_start, source_end, year from facts").fetchall()
    agree = 0
    for g in gold["facts"]:
        ours = [r for r in rows if r[1] < g["end"] and g["start"] < r[2]]
        if not ours:
            continue
        if ours[0][3] == g.get("year"):
            agree += 1
        else:
            print(f"  {g['surface']}: gold {g.get('year')}, ours {ours[0][3]}")
    matched = sum(1 for g in gold["facts"] if any(r[1] < g["end"] and g["start"] < r[2] for r in rows))
    print(f"years agree for {agree} of {matched} matched gold facts")


if __name__ == "__main__":
    main(*sys.argv[1:3])
