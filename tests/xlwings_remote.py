"""Run rolecell's Excel functions and scripts through xlwings' own server machinery.

No Excel and no mocks of ours: xlwings.server's custom_functions_call / custom_scripts_call do
the argument conversion, spilling and book handling exactly as for xlwings Server and Lite.
Import this module before anything imports xlwings (it switches xlwings to server mode).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw  # noqa: E402
from xlwings.server import (  # noqa: E402
    custom_functions_call,
    custom_functions_meta,
    custom_scripts_call,
    custom_scripts_meta,
)

if xw.func.__module__ != "xlwings.pro.udfs_officejs":  # pragma: no cover - set-up problem
    raise RuntimeError("xlwings was imported before XLWINGS_ON_SERVER=true was set; "
                       "import tests.xlwings_remote first (or set it in the environment)")

__all__ = ["xw", "call", "meta", "scripts_meta", "run_script", "book", "error",
           "excel_serial", "actions", "written"]


def error(text: str = "#N/A") -> dict:
    """An Excel error value as Office.js passes it to a custom function."""
    kinds = {"#N/A": "NotAvailable", "#VALUE!": "Value", "#DIV/0!": "Div0", "#REF!": "Ref",
             "#NAME?": "Name", "#NUM!": "Num", "#NULL!": "Null"}
    return {"type": "Error", "basicType": "Error", "basicValue": text,
            "errorType": kinds[text]}


def excel_serial(day: dt.date) -> float:
    """A date as Office.js passes a date cell to a custom function: its serial number."""
    return float((day - dt.date(1899, 12, 30)).days)


def _as_range(value):
    """An argument as Office.js sends it: always a matrix (a single cell is [[value]])."""
    if value is None:
        return None
    if isinstance(value, list):
        return [row if isinstance(row, list) else [row] for row in value]
    return [[value]]


def call(module, name: str, *args, runtime: str = "1.4"):
    """Call a custom function as Excel does; returns what goes back to the cells."""
    data = {
        "func_name": name,
        "args": [_as_range(a) for a in args],
        "caller_address": "Sheet1!Z1",
        "version": xw.__version__,
        "client": "Office.js",
        "runtime": runtime,
        "culture_info_name": "en-US",
        "date_format": "M/d/yyyy",
    }
    return asyncio.run(custom_functions_call(data, module))


def meta(module) -> dict:
    return custom_functions_meta(module)


def scripts_meta(module) -> list:
    return custom_scripts_meta(module)


def book(sheets: dict[str, list[list]], active: int = 0, names: list | None = None) -> dict:
    """xlwings' remote-book JSON, as the Office.js client sends it with a script call."""
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": "Register.xlsx", "active_sheet_index": active, "selection": "A1"},
        "names": names or [],
        "sheets": [
            {"name": name, "values": values or [[]], "pictures": [], "tables": [],
             "shapes": [], "charts": [], "notes": [], "visibility": "Visible",
             "show_gridlines": True, "pivot_tables": [], "print_area": None}
            for name, values in sheets.items()
        ],
    }


def run_script(module, name: str, payload: dict, *args) -> list[dict]:
    """Run a script on a book payload as xlwings Server does; returns the actions to apply."""
    workbook = xw.Book(json=payload)
    result = asyncio.run(custom_scripts_call(module, name, typehint_to_value={xw.Book: workbook},
                                             args=list(args)))
    return result.json()["actions"]


def actions(found: list[dict], func: str) -> list[dict]:
    return [a for a in found if a["func"] == func]


def written(found: list[dict], payload: dict) -> dict[str, dict[tuple[int, int], object]]:
    """Every value the actions write, as {sheet name: {(row, col): value}} (1-based)."""
    names = [s["name"] for s in payload["sheets"]]
    cells: dict[str, dict[tuple[int, int], object]] = {}
    for action in found:
        if action["func"] == "addSheet":
            names.insert(action["args"][0], action["args"][1])
        elif action["func"] == "setSheetName":
            names[action["sheet_position"]] = action["args"][0]
        elif action["func"] == "sheetDelete" or action["func"] == "deleteSheet":
            names.pop(action["sheet_position"])
        elif action["func"] in ("setValues", "setFormula", "setFormulas"):
            sheet = cells.setdefault(names[action["sheet_position"]], {})
            for r, row in enumerate(action["values"] or []):
                for c, value in enumerate(row):
                    sheet[(action["start_row"] + r + 1, action["start_column"] + c + 1)] = value
    return cells
