"""Render the sheets of the demo report to PNG pictures in docs/, through LibreOffice.

    python docs/make_pictures.py [--dpi 110]

Builds the report for the sample register (workbooks/sample-register.csv) exactly as
`rolecell demo` does, prints it to PDF with LibreOffice headless (each sheet's own page setup:
landscape, fitted to the page width, its print area), and turns the first page of each sheet
into docs/<sheet>.png with pdftoppm (poppler-utils). Needs `soffice` and `pdftoppm`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import libreoffice  # noqa: E402  (tests/libreoffice.py: soffice with a throw-away profile)

import rolecell  # noqa: E402
from rolecell.sheets import write_report, write_template  # noqa: E402

# words printed near the top of each sheet's first page -> picture name
REPORT_PAGES = {
    "Confidence": "register",
    "Operations manager or project manager": "comparison",
    "Staffing plan": "staffing",
}
TEMPLATE_PAGES = {"Responsibility register": "template-instructions"}


def _top_lines(pdf: Path, page: int) -> str:
    text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf),
                           "-"], capture_output=True, text=True, check=True).stdout
    return " ".join([line.strip() for line in text.splitlines() if line.strip()][:3])


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines()
                    if line.startswith("Pages:")))


def pictures(pdf: Path, wanted: dict[str, str], outdir: Path, dpi: int) -> list[Path]:
    """One PNG per sheet: the first page whose top lines contain a key of `wanted`."""
    written = []
    remaining = dict(wanted)
    for page in range(1, _pages(pdf) + 1):
        top = _top_lines(pdf, page)
        key = next((k for k in remaining if k in top), None)
        if key is None:
            continue
        name = remaining.pop(key)
        stem = outdir / name
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                        "-singlefile", str(pdf), str(stem)], check=True)
        written.append(stem.with_suffix(".png"))
    if remaining:
        raise SystemExit(f"no page found for {sorted(remaining.values())}")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=110)
    parser.add_argument("--outdir", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rolecell-pictures-") as temp:
        work = Path(temp)
        register = rolecell.read_register(ROOT / "workbooks" / "sample-register.csv")
        report = write_report(register, work / "rolecell-demo.xlsx")
        template = write_template(work / "responsibility-register.xlsx")
        pdfs = libreoffice.convert([report, template], "pdf", work / "pdf")
        written = pictures(pdfs[0], REPORT_PAGES, args.outdir, args.dpi)
        written += pictures(pdfs[1], TEMPLATE_PAGES, args.outdir, args.dpi)
    for path in written:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
