"""How fast, and how lean, is the report for 1,000, 10,000 and 100,000 responsibilities?

    python benchmarks/report_speed.py [--sizes 1000 10000 100000] [--libreoffice]

For each size, in fresh processes of the same run: the seconds and peak memory (max RSS) of
building the report workbook from a classified register (`write_report`), of classifying it
first, and of the baseline: writing the same register cells (headers, inputs, Role, Confidence,
Why) alone with openpyxl in write-only mode. The ratio is report seconds / baseline seconds.
Goal (issue 3): 100,000 rows in under 60 s and under 1 GiB, ratio <= 3.
With --libreoffice, also the seconds LibreOffice takes to open and recalculate the report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "workbooks" / "sample-register.csv"
GOAL_SECONDS, GOAL_BYTES, GOAL_RATIO = 60.0, 1 << 30, 3.0


def synthetic_register(size: int):
    """`size` responsibilities: the sample organisation's rows, varied per site and year."""
    from rolecell.model import Register, Responsibility
    from rolecell.register import read_register

    sample = read_register(SAMPLE)
    rows = []
    for i in range(size):
        base = sample.rows[i % len(sample.rows)]
        site = i // len(sample.rows)
        shift = dt.timedelta(days=7 * (site % 40))
        rows.append(Responsibility(
            text=f"{base.text} (site {site})", id=f"R{i + 1:06d}", area=base.area,
            hours=base.hours, start=base.start + shift if base.start else None,
            end=base.end + shift if base.end else None, owner=base.owner,
            override=base.override, row=i + 2))
    return Register(rows=rows, source="")


def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB


def child(mode: str, size: int, outdir: Path) -> dict[str, float]:
    """One measurement in this (fresh) process."""
    from rolecell.classify import classify_register

    register = synthetic_register(size)
    started = time.perf_counter()
    classify_register(register)
    classify_seconds = time.perf_counter() - started
    target = outdir / f"{mode}-{size}.xlsx"
    started = time.perf_counter()
    if mode == "report":
        from rolecell.sheets import write_report

        write_report(register, target)
    else:
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("Register")
        headers, rows = register.table()
        sheet.append(headers)
        for values in rows:
            sheet.append(values)
        workbook.save(target)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "classify_seconds": classify_seconds,
            "peak_bytes": _peak_bytes(), "file_bytes": target.stat().st_size}


def _run(mode: str, size: int, outdir: Path) -> dict[str, float]:
    result = subprocess.run([sys.executable, __file__, "--child", mode, str(size),
                             str(outdir)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _libreoffice_seconds(path: Path, outdir: Path) -> float:
    sys.path.insert(0, str(ROOT / "tests"))
    import libreoffice

    started = time.perf_counter()
    libreoffice.convert([path], "xlsx", outdir / "recalculated", timeout=1800)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--libreoffice", action="store_true",
                        help="also time LibreOffice's recalculation of each report")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, size, outdir = args.child
        print(json.dumps(child(mode, int(size), Path(outdir))))
        return
    print(f"{'rows':>8} {'report s':>9} {'peak MiB':>9} {'baseline s':>11} {'base MiB':>9} "
          f"{'ratio':>6} {'classify s':>11} {'file MiB':>9}"
          + (f" {'LibreOffice s':>14}" if args.libreoffice else ""))
    failed = []
    with tempfile.TemporaryDirectory(prefix="rolecell-bench-") as temp:
        outdir = Path(temp)
        for size in args.sizes:
            report = _run("report", size, outdir)
            baseline = _run("baseline", size, outdir)
            ratio = report["seconds"] / baseline["seconds"]
            line = (f"{size:>8,} {report['seconds']:>9.2f} "
                    f"{report['peak_bytes'] / 2**20:>9.0f} {baseline['seconds']:>11.2f} "
                    f"{baseline['peak_bytes'] / 2**20:>9.0f} {ratio:>6.2f} "
                    f"{report['classify_seconds']:>11.2f} "
                    f"{report['file_bytes'] / 2**20:>9.1f}")
            if args.libreoffice:
                line += f" {_libreoffice_seconds(outdir / f'report-{size}.xlsx', outdir):>14.1f}"
            print(line, flush=True)
            if size >= 100_000 and (report["seconds"] > GOAL_SECONDS
                                    or report["peak_bytes"] > GOAL_BYTES or ratio > GOAL_RATIO):
                failed.append(size)
    print("report s: write_report on a classified register; classify s: classifying it first; "
          "peak: max RSS of the whole process; ratio: report s / baseline s")
    if failed:
        print(f"goal missed for {failed} rows (60 s, 1 GiB, ratio 3)")
        sys.exit(1)


if __name__ == "__main__":
    main()
