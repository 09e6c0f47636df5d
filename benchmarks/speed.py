"""Classifier speed: 100,000 distinct statements, rows per second, ratio to a trivial baseline.

    python benchmarks/speed.py [--rows N]

The baseline, measured in the same run on the same texts, is lower-casing and splitting into
words with a regular expression: the least any text classifier must do. Goal: >= 50,000 rows/s
and a ratio <= 10.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import time
from pathlib import Path

import rolecell

CORPUS = Path(__file__).parent / "corpus" / "train.csv"
WORD = re.compile(r"[a-z0-9]+")


def distinct_statements(count: int, seed: int = 7) -> list[str]:
    """`count` different statements: the start of one corpus sentence joined to the end of
    another, so that words, cues and their combinations vary as in a large real register."""
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        base = [row["text"].split() for row in csv.DictReader(handle)]
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        first, second = rng.choice(base), rng.choice(base)
        head = first[: rng.randint(2, max(2, len(first) - 1))]
        tail = second[rng.randint(1, max(1, len(second) - 2)):]
        found[" ".join(head + ["and"] + tail)] = None
    return list(found)


def best_of(runs: int, work) -> float:
    """The fastest of `runs` runs, in CPU seconds of this process."""
    timings = []
    for _ in range(runs):
        start = time.process_time()  # CPU time: fair even when other work shares the machine
        work()
        timings.append(time.process_time() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    texts = distinct_statements(args.rows)
    assert len(set(texts)) == len(texts)
    rolecell.classify("warm up the vocabulary")  # load the data files once, outside the timing

    baseline = best_of(args.runs, lambda: [WORD.findall(t.lower()) for t in texts])
    classify = best_of(args.runs, lambda: rolecell.classify_many(texts))
    rate = args.rows / classify
    print(f"statements:                {args.rows:,} (all distinct)")
    print(f"lower-case + tokenise:     {baseline:.3f} s  ({args.rows / baseline:,.0f} rows/s)")
    print(f"rolecell.classify_many:    {classify:.3f} s  ({rate:,.0f} rows/s)")
    print(f"ratio to baseline:         {classify / baseline:.1f}  (goal <= 10)")
    print(f"goal >= 50,000 rows/s:     {'met' if rate >= 50_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
