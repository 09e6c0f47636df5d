"""How fast =ROLE(B2:B10001) is in xlwings Lite's runtime (Pyodide) and in CPython, same run.

    python benchmarks/lite_speed.py                # 10,000 rows, 3 rounds
    python benchmarks/lite_speed.py --rows 2000 --rounds 5

Starts Pyodide under Node from tests/pyodide (npm ci --prefix tests/pyodide first) with the
rolecell wheel built from this checkout, and a CPython with the same driver; then calls ROLE
through xlwings' custom_functions_call, as Excel does, on a column of distinct responsibilities
(from the corpus, made unique per row so that no cache helps). Each round uses new rows (a
first calculation); "recalc" repeats the last round's rows (what Excel does on a recalculation,
where rolecell's cache answers). Times are measured inside each runtime, so they exclude the
JSON round trip of the harness; the wall time per call, with it, is shown too.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "pyodide"))

import harness  # noqa: E402


def corpus_texts() -> list[str]:
    """Every statement of the labelled corpus (train and held-out)."""
    texts = []
    for split in ("train", "heldout"):
        with (ROOT / "benchmarks" / "corpus" / f"{split}.csv").open(encoding="utf-8",
                                                                    newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle)]
    return texts


def column(rows: int, round_number: int) -> list[list[str]]:
    """`rows` distinct responsibilities as Excel sends B2:B(rows+1): one list per row."""
    texts = corpus_texts()
    return [[f"{texts[i % len(texts)]} (ref {round_number}-{i})"] for i in range(rows)]


def role_request(cells: list[list[str]]) -> dict[str, Any]:
    return {"op": "functions_call", "module": "rolecell.excel.functions", "func_name": "role",
            "args": [cells, None, None, None, None]}


def measure(runtime: harness.Runtime, cells: list[list[str]]) -> tuple[float, float]:
    """(seconds inside the runtime, wall seconds with the harness round trip) of one ROLE call."""
    begin = time.perf_counter()
    answer = runtime.result("bench", inner=role_request(cells), repeat=1)
    wall = time.perf_counter() - begin
    if answer["rows"] != len(cells):
        raise SystemExit(f"{runtime.name}: ROLE returned {answer['rows']} rows, not {len(cells)}")
    return answer["seconds"][0], wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args(argv)
    try:
        harness.node_executable()
    except harness.HarnessUnavailable as missing:
        print(f"cannot run: {missing}", file=sys.stderr)
        return 2

    wheels = harness.prepare_wheels()
    with harness.start_pyodide(wheels) as pyodide, harness.start_cpython() as cpython:
        print(f"Pyodide {pyodide.ready['pyodide']} (Python {pyodide.ready['python']}, under "
              f"Node, booted in {pyodide.ready['boot_seconds']:.1f} s) vs CPython "
              f"{cpython.ready['python']}; ROLE over {options.rows:,} rows, "
              f"{options.rounds} rounds of new rows")
        for runtime in (pyodide, cpython):  # import and warm up, outside the timing
            runtime.result("functions_call", **{k: v for k, v in role_request(
                [["Warm up the harness daily"]]).items() if k != "op"})
        results: dict[str, list[tuple[float, float]]] = {"pyodide": [], "cpython": []}
        for round_number in range(options.rounds):
            cells = column(options.rows, round_number)
            for runtime in (pyodide, cpython):
                results[runtime.name].append(measure(runtime, cells))
        recalc = {runtime.name: measure(runtime, cells) for runtime in (pyodide, cpython)}

    print(f"{'runtime':<9}{'first calc (median)':>21}{'best':>9}{'recalc':>9}"
          f"{'rows/s':>10}{'wall/call':>11}")
    medians = {}
    for name, rounds in results.items():
        inside = [seconds for seconds, _ in rounds]
        medians[name] = statistics.median(inside)
        print(f"{name:<9}{medians[name]:>19.3f} s{min(inside):>7.3f} s"
              f"{recalc[name][0]:>7.3f} s{options.rows / medians[name]:>10,.0f}"
              f"{statistics.median(w for _, w in rounds):>9.3f} s")
    print(f"Pyodide / CPython: {medians['pyodide'] / medians['cpython']:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
