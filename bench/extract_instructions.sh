#!/usr/bin/env bash
# Instructions the extraction of a fixed sample costs, in millions: a figure that, unlike seconds,
# does not move with the load of a shared machine, for comparing two versions of the code.
#
# Usage (not a timed test; needs valgrind):
#     bench/extract_instructions.sh CORPUS_DIR [REPO]
#
# CORPUS_DIR is a corpus folder of bench/pipeline.py; REPO (default: this checkout) is the code to
# measure, e.g. a `git worktree` of an older commit. The sample is three of the corpus files and,
# when ../shared/seed exists beside this checkout, the seed page. The script runs Python under callgrind twice, once
# extracting and once only loading the sample and the gazetteer, and prints the difference.
set -euo pipefail
corpus=${1:?usage: $0 CORPUS_DIR [REPO]}
here=$(cd "$(dirname "$0")/.." && pwd)
repo=${2:-$here}
seed="$here/../shared/seed"
python=${PYTHON:-python}
count() {
    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$python" - "$repo" "$corpus" "$seed" "$1" 2>&1 <<'EOF' | awk '/Collected/ {print $NF}'
import sys
from pathlib import Path
repo, corpus, seed, run = sys.argv[1:]
sys.path.insert(0, repo)
from newsfacts import pipeline as nf
from newsfacts.settings import Settings
files = sorted(Path(corpus).iterdir())[::23][:3]
files += sorted(Path(seed).glob("*.txt"))
docs = nf.read_files(files, {}, Settings()).documents
nf._gazetteer()
if run == "1":
    nf.extract(docs, 1)
EOF
}
with=$(count 1)
without=$(count 0)
echo "extraction: $(( (with - without) / 1000000 )) million instructions ($repo)"
