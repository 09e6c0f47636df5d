"""Build templates/rolecell.xlsm and templates/rolecell.xlam from xlwings' quickstart files.

    python templates/make_templates.py

The quickstart workbook carries xlwings' VBA module (RunPython, UDF import); this script keeps
it (openpyxl keep_vba=True), turns its config sheet "_xlwings.conf" into an active
"xlwings.conf" whose UDF Modules names rolecell.excel.functions, and replaces Sheet1 with a
ready Register sheet (rolecell's columns, example rows and live =ROLE formulas) and a Rules
sheet. rolecell.xlam is xlwings' ribbon quickstart add-in with a RoleCell tab: its one VBA
callback (RibbonMyAddin.RunMain) runs `import <add-in name>; <add-in name>.main()`, so the
add-in named rolecell.xlam calls `rolecell.main()`, which updates the whole workbook (creates a
register if there is none; else classifies it and refreshes Comparison and Staffing). Run it
again after upgrading xlwings: the VBA must match the installed xlwings version.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import xlwings
from openpyxl.styles import Font, PatternFill

from rolecell.model import REGISTER_COLUMNS

HERE = Path(__file__).resolve().parent
UDF_MODULE = "rolecell.excel.functions"
CONFIG_SHEET = "xlwings.conf"
EXAMPLES = [
    ("R001", "Replenish pick faces from reserve racking; check min/max levels each morning",
     "Warehouse", 24, None, None, "Tomasz W."),
    ("R002", "Plan and deliver the migration to the new ERP system by March 2027", "IT", 10,
     "2026-10-01", "2027-03-31", "IT lead"),
    ("R003", "Weekly shift roster for pickers, loaders and forklift drivers", "Warehouse", 6,
     None, None, "Warehouse lead"),
]
_FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # zip timestamps, so that the same input gives the same file


def _source(name: str) -> Path:
    return Path(xlwings.__file__).parent / name


def build_xlsm(target: Path) -> Path:
    import datetime as dt

    book = openpyxl.load_workbook(_source("quickstart.xlsm"), keep_vba=True)
    config = book["_xlwings.conf"]
    config.title = CONFIG_SHEET  # without the leading underscore the sheet is active
    for row in config.iter_rows(min_col=1, max_col=2):
        if row[0].value == "UDF Modules":
            row[1].value = UDF_MODULE
    book.remove(book["Sheet1"])
    sheet = book.create_sheet("Register", 0)
    headers = [c.header for c in REGISTER_COLUMNS]
    sheet.append(headers)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="D9E1F2")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    role, confidence, why = (headers.index(h) + 1 for h in ("Role", "Confidence", "Why"))
    for number, example in enumerate(EXAMPLES, start=2):
        ident, text, area, hours, start, end, owner = example
        sheet.append([ident, text, area, hours,
                      dt.date.fromisoformat(start) if start else None,
                      dt.date.fromisoformat(end) if end else None, owner, None])
        sheet.cell(number, role, f"=ROLE(B{number},E{number},F{number})")
        sheet.cell(number, confidence, f"=ROLE_CONFIDENCE(B{number},E{number},F{number})")
        sheet.cell(number, why, f"=ROLE_WHY(B{number},E{number},F{number})")
        for col in (5, 6):
            sheet.cell(number, col).number_format = "yyyy-mm-dd"
    widths = {"A": 8, "B": 60, "C": 14, "D": 10, "E": 12, "F": 12, "G": 16, "H": 12, "I": 12,
              "J": 11, "K": 60}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C2"
    rules = book.create_sheet("Rules", 1)
    rules.append(["Phrase", "Leans to", "Weight", "Dimension"])
    for cell in rules[1]:
        cell.font, cell.fill = bold, fill
    rules.column_dimensions["A"].width = 30
    book.active = 0
    temp = target.with_suffix(".tmp")
    book.save(temp)
    _normalise_zip(temp, target)
    temp.unlink()
    return target


RIBBON_CALLBACK = "RibbonMyAddin.RunMain"  # the one macro of xlwings' ribbon quickstart add-in
CUSTOM_UI = f"""<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui">
    <ribbon>
        <tabs>
            <tab id="rolecellTab" label="RoleCell">
                <group id="rolecellGroup" label="Operations or project?">
                    <button id="rolecellUpdate" label="Update RoleCell" size="large"
                            onAction="{RIBBON_CALLBACK}" imageMso="RecurrenceEdit"
                            screentip="Classify the register and refresh the result sheets"
                            supertip="Creates a Register sheet if the workbook has none.
Otherwise writes Role, Confidence and Why for every responsibility (Override and the Rules
sheet honoured) and builds or refreshes the Comparison and Staffing sheets." />
                </group>
            </tab>
        </tabs>
    </ribbon>
</customUI>
"""


def build_xlam(target: Path) -> Path:
    """xlwings' ribbon quickstart add-in, with the RoleCell tab as its custom UI."""
    temp = target.with_suffix(".tmp")
    with zipfile.ZipFile(_source("quickstart_addin_ribbon.xlam")) as old, \
            zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            data = old.read(name)
            if name == "customUI/customUI.xml":
                data = CUSTOM_UI.encode("utf-8")
            new.writestr(name, data)
    _normalise_zip(temp, target)
    temp.unlink()
    return target


def _normalise_zip(source: Path, target: Path) -> None:
    """Rewrite the zip with fixed timestamps and order: byte-stable output."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as new:
        for name in sorted(old.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(info, old.read(name))


def main() -> None:
    os.chdir(HERE)
    print(build_xlsm(HERE / "rolecell.xlsm"))
    print(build_xlam(HERE / "rolecell.xlam"))


if __name__ == "__main__":
    main()
