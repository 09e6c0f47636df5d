"""Recalculate workbooks in LibreOffice (headless) and read the calculated values back.

A helper for the tests, the benchmark and docs/make_pictures.py: it runs `soffice` with a
fresh, throw-away user profile whose settings make Calc recalculate every formula on load
(OOXMLRecalcMode = 0, "always"), so the values read back are LibreOffice's own, never cached
values written by openpyxl (which writes none).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

TIMEOUT = 300  # seconds for one soffice call

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
 <prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """The LibreOffice executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile(root: Path) -> str:
    user = root / "profile" / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
    return (root / "profile").as_uri()


def convert(paths: Sequence[Path], to: str, outdir: Path, timeout: float = TIMEOUT
            ) -> list[Path]:
    """Convert files with one soffice call (`to`: xlsx, pdf, ods ...); return the outputs.

    Formulas are recalculated on load. Raises RuntimeError with soffice's output if a file
    was not converted.
    """
    executable = soffice()
    if executable is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    names = [Path(p).stem for p in paths]
    if len(set(names)) != len(names):
        raise ValueError("files converted in one call need distinct names")
    with tempfile.TemporaryDirectory(prefix="rolecell-lo-") as temp:
        filter_name = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "pdf": "pdf:calc_pdf_Export",
                       "ods": "ods"}.get(to, to)
        command = [executable, f"-env:UserInstallation={_profile(Path(temp))}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", filter_name,
                   "--outdir", str(outdir), *[str(p) for p in paths]]
        env = {**os.environ, "HOME": temp, "SAL_USE_VCLPLUGIN": "svp"}
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                env=env, check=False)
    suffix = "." + to.split(":")[0]
    outputs = [outdir / f"{name}{suffix}" for name in names]
    missing = [str(p) for p in outputs if not p.exists()]
    if missing:
        raise RuntimeError(f"soffice did not write {missing}: rc={result.returncode} "
                           f"{result.stdout} {result.stderr}")
    return outputs


def recalculated(paths: Sequence[Path], outdir: Path) -> list[Path]:
    """Open each workbook in LibreOffice, recalculate it and save it as .xlsx in `outdir`."""
    return convert(paths, "xlsx", outdir)


ERROR_VALUES = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!",
                          "Err:502", "Err:504", "Err:508", "Err:509", "Err:511", "Err:522",
                          "Err:523", "#SPILL!", "#CALC!"})


def error_cells(path: Path) -> list[str]:
    """Every cell of a recalculated workbook that holds an error value, as 'Sheet!A1: #ERR'."""
    import openpyxl

    found = []
    workbook = openpyxl.load_workbook(path, data_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "e" or (isinstance(value, str) and value in ERROR_VALUES):
                    found.append(f"{sheet.title}!{cell.coordinate}: {value}")
    return found


def named_values(path: Path, names: Sequence[str]) -> dict[str, object]:
    """The calculated values of workbook-level defined names (each a single cell)."""
    import openpyxl
    from openpyxl.utils import range_boundaries

    workbook = openpyxl.load_workbook(path, data_only=True)
    values = {}
    for name in names:
        defined = workbook.defined_names[name]
        (sheet, ref), = defined.destinations
        col, row, _, _ = range_boundaries(ref.replace("$", ""))
        values[name] = workbook[sheet].cell(row, col).value
    return values
