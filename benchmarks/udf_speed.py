"""How fast is =ROLE over a 10,000-row column, next to xlwings' own conversion cost?

    python benchmarks/udf_speed.py [--rows 10000] [--repeat 3]

Both calls go through xlwings.server.custom_functions_call, as xlwings Server and Lite make
them: ROLE over the column, and a trivial identity function over the same column (which costs
only xlwings' argument and result conversion). The ratio ROLE / identity is what rolecell adds;
the goal is at most 2. Reported twice: "first" on rows rolecell has never seen (a fresh
process cache: what a user waits for when the column is first filled) and "recalc" on the same
call again (what Excel's recalculation costs). The rows are distinct statements built from the
labelled corpus, so de-duplication does not flatter the result.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import statistics
import sys
import time
import types
from pathlib import Path

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw  # noqa: E402
from xlwings.server import custom_functions_call  # noqa: E402

from rolecell.excel import _values, functions  # noqa: E402

CORPUS = Path(__file__).parent / "corpus"
GOAL = 2.0


@xw.func
def identity(values):
    """The same column back: xlwings' own conversion cost, nothing else."""
    return values


IDENTITY = types.ModuleType("identity_udfs")
IDENTITY.identity = identity


def statements(rows: int, salt: str) -> list[str]:
    texts = []
    for split in ("train", "heldout"):
        with (CORPUS / f"{split}.csv").open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle)]
    return [f"{texts[i % len(texts)]} ({salt} {i // len(texts) + 1})" for i in range(rows)]


def request(name: str, texts: list[str]) -> dict:
    return {"func_name": name, "args": [[[t] for t in texts]], "caller_address": "Sheet1!C2",
            "version": xw.__version__, "client": "Office.js", "runtime": "1.4",
            "culture_info_name": "en-US", "date_format": "M/d/yyyy"}


def timed(data: dict, module) -> tuple[float, list]:
    start = time.perf_counter()
    result = asyncio.run(custom_functions_call(data, module))
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args(argv)

    timed(request("role", statements(200, "warm-up")), functions)  # load vocabulary, imports
    identity_times, first_times, recalc_times = [], [], []
    for run in range(options.repeat):
        texts = statements(options.rows, f"run {run}")
        _values._CACHE.clear()
        identity_times.append(timed(request("identity", texts), IDENTITY)[0])
        seconds, result = timed(request("role", texts), functions)
        first_times.append(seconds)
        assert len(result) == options.rows and result[0][0] in {"Operations", "Project",
                                                                 "Shared", "Unclear"}
        recalc_times.append(timed(request("role", texts), functions)[0])

    base = statistics.median(identity_times)
    first, recalc = statistics.median(first_times), statistics.median(recalc_times)
    print(f"rows: {options.rows:,} (distinct statements), median of {options.repeat} runs")
    print(f"identity (xlwings conversion only): {base:.3f} s")
    print(f"ROLE, rows not seen before:          {first:.3f} s   ratio {first / base:.2f}")
    print(f"ROLE, recalculation (same rows):     {recalc:.3f} s   ratio {recalc / base:.2f}")
    verdict = "meets" if first / base <= GOAL else "misses"
    print(f"goal: ratio <= {GOAL:g} on rows not seen before: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
