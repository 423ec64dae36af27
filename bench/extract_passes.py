"""How fast each scanning pass of the extractor runs by itself, against the whole extraction.

Usage (from the repo root; not a timed test)::

    python bench/extract_passes.py --corpus DIR [--mb 3] [--repeats 3]

``DIR`` is a corpus folder of ``bench/pipeline.py`` (``<work>/corpus-...``). The first ``--mb``
MB of its files (every seventh file, so that all the generator's kinds of article are in) are
read once; then each pass runs over all of them ``--repeats`` times and the least CPU time is
kept. The passes are the ones every document goes through whatever it holds: normalising and
cutting sentences, the number scanner, the page splitter, the gazetteer and the date finder.
What the whole extraction costs beyond their sum is the work done for each figure found (rules,
counted phrase, place, year, lists, the row). The sum is a floor for the extraction's rate that
no change to the per-figure work can pass.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from newsfacts import pipeline as nf  # noqa: E402
from newsfacts.dates import find_dates  # noqa: E402
from newsfacts.numbers import scan  # noqa: E402
from newsfacts.settings import Settings  # noqa: E402
from newsfacts.text import normalise, sentences, split_page  # noqa: E402

MB = 1e6


def least_cpu(fn: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="a corpus folder made by bench/pipeline.py")
    ap.add_argument("--mb", type=float, default=3.0, help="MB of text to time the passes on")
    ap.add_argument("--repeats", type=int, default=3, help="runs of each pass; the least CPU time is kept")
    args = ap.parse_args()

    chosen, size = [], 0
    for path in sorted(p for p in args.corpus.iterdir() if p.is_file() and not p.name.startswith("."))[::7]:
        chosen.append(path)
        size += path.stat().st_size
        if size >= args.mb * MB:
            break
    docs = nf.read_files(chosen, {}, Settings()).documents
    texts = [d.text for d in docs]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    gazetteer = nf._gazetteer()
    nf.extract(docs[:1], 1)  # imports and first-use caches: not part of any figure

    def numbers() -> None:
        for text in texts:
            norm = normalise(text)
            for a, b in sentences(norm):
                scan(norm[a:b])

    passes = {
        "normalise + sentences + number scan": numbers,
        "page split (articles, captions, bylines)": lambda: [split_page(t) for t in texts],
        "gazetteer (place names)": lambda: [gazetteer.find(normalise(t)) for t in texts],
        "dates": lambda: [find_dates(normalise(t), None) for t in texts],
    }
    facts = nf.extract(docs, 1).facts.num_rows
    print(f"{nbytes / MB:.2f} MB, {len(docs)} documents, {facts} facts; least CPU time of {args.repeats} runs")
    floor = 0.0
    for name, fn in passes.items():
        seconds = least_cpu(fn, args.repeats)
        floor += seconds
        print(f"  {name:44s} {seconds:6.2f} s  {nbytes / MB / seconds:7.2f} MB/s")
    print(f"  {'sum of the passes (the floor)':44s} {floor:6.2f} s  {nbytes / MB / floor:7.2f} MB/s")
    whole = least_cpu(lambda: nf.extract(docs, 1), args.repeats)
    print(f"  {'whole extraction (split + extract + rows)':44s} {whole:6.2f} s  {nbytes / MB / whole:7.2f} MB/s")
    print(f"  per figure beyond the passes: {(whole - floor) / facts * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
