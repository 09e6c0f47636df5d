"""rolecell's ribbon actions (xlwings scripts) on the workbook that is open in Excel.

One definition per action, with `xlwings.script`: a button of the RoleCell ribbon tab (the
classic add-in, through RunPython), of the Office.js task pane (`rolecell serve`) and of
xlwings Lite. Each takes the open workbook (`xw.Book`) and changes it in place, through
xlwings' Book API only. Only the standard library, xlwings and the rolecell core are imported
here, so that the actions run in Pyodide too.

- classify_register: writes Role, Confidence and Why beside the register; honours Override and
  the Rules sheet. Bad cells stop it with a message naming each cell; nothing is written then.
- new_register: adds an empty, ready register sheet (and a Rules sheet if there is none).
- build_comparison / build_staffing: build or refresh the Comparison and Staffing sheets, the
  same layout as `rolecell report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import xlwings as xw
from xlwings import script

from rolecell.classify import classify_many, overridden
from rolecell.excel._values import (
    ArgumentError,
    as_text,
    error_text,
    fit,
    header_field,
    is_blank,
    is_error,
    rules_from_rows,
    safe_text,
)
from rolecell.model import OUTPUT_HEADERS, REGISTER_COLUMNS, Register, Rule
from rolecell.table import find_header, list_problems, read_rows

__all__ = ["classify_register", "new_register", "build_comparison", "build_staffing",
           "read_register", "RegisterSheetError"]

RULES_SHEET = "Rules"
REGISTER_SHEET = "Register"
TITLE = "rolecell"
_DATE_FORMAT = "yyyy-mm-dd"


class RegisterSheetError(Exception):
    """The register in the open workbook cannot be used; the message names sheet and cells."""


@dataclass
class LiveRegister:
    """A register read from a sheet of the open workbook, with where each part sits."""

    register: Register
    sheet: Any  # xw.Sheet
    header_row: int  # 1-based sheet row of the header
    first_column: int  # 1-based sheet column of the table's first cell
    columns: dict[str, int] = field(default_factory=dict)  # field -> 1-based sheet column
    last_column: int = 0  # last used column of the header row
    last_row: int = 0  # last sheet row of the table


def _values(sheet) -> tuple[list[list[Any]], int, int]:
    """Every value of a sheet's used range, and the 1-based row and column where it starts."""
    used = sheet.used_range
    values = used.options(ndim=2, err_to_str=True).value or [[]]
    return [list(row) for row in values], used.row, used.column


def _register_sheets(book) -> list:
    sheets = [s for s in book.sheets if s.name.strip().lower() != RULES_SHEET.lower()]
    return sorted(sheets, key=lambda s: s.name.strip().lower() != REGISTER_SHEET.lower())


def read_rules(book) -> tuple[Rule, ...]:
    """The Rules sheet of the book (Phrase, Leans to, Weight, Dimension), if it has one."""
    for sheet in book.sheets:
        if sheet.name.strip().lower() == RULES_SHEET.lower():
            rows, first_row, _ = _values(sheet)
            try:
                return rules_from_rows(rows, where=f"sheet '{sheet.name}'", first_row=first_row)
            except ArgumentError as error:
                raise RegisterSheetError(str(error)) from None
    return ()


def read_register(book, sheet_name: str | None = None) -> LiveRegister:
    """The register of the open workbook: sheet Register, else the first with a
    Responsibility-like header in its first 30 rows. Bad cells raise RegisterSheetError
    naming each of them."""
    sheets = [book.sheets[sheet_name]] if sheet_name else _register_sheets(book)
    for sheet in sheets:
        rows, first_row, first_col = _values(sheet)
        rows = [[error_text(v) if is_error(v) else v for v in row] for row in rows]
        header = find_header(rows)
        if header is None:
            continue
        index, mapping = header
        live = LiveRegister(
            register=Register(rows=[], source=book.name, sheet=sheet.name,
                              header_row=first_row + index,
                              headers=[as_text(h) for h in rows[index]]),
            sheet=sheet, header_row=first_row + index, first_column=first_col,
            columns={f: first_col + c for f, c in mapping.items()},
            last_column=first_col + max((c for c, v in enumerate(rows[index])
                                         if not is_blank(v)), default=0),
            last_row=first_row + len(rows) - 1,
        )
        live.register.columns = {f: as_text(rows[index][c]) for f, c in mapping.items()}
        _parse_rows(live, rows[index + 1:], mapping, first_row + index + 1)
        live.register.rules = read_rules(book)
        return live
    names = ", ".join(s.name for s in book.sheets)
    raise RegisterSheetError(
        "No register found: no sheet has a Responsibility column in its first 30 rows (also "
        f"accepted: Task, Duty, Description, Activity). Sheets: {names}. Use 'New register' to "
        "start one.")


def _parse_rows(live: LiveRegister, rows: list[list[Any]], mapping: dict[str, int],
                first_row: int) -> None:
    found, problems = read_rows(rows, mapping, live.register.headers, first_row=first_row,
                                first_column=live.first_column)
    if problems:
        raise RegisterSheetError(f"Sheet '{live.sheet.name}': {len(problems)} bad value(s); "
                                 f"nothing was written. Fix them and run it again:\n"
                                 f"{list_problems(problems, indent='')}")
    live.register.rows.extend(found)


def _alert(book, text: str) -> None:
    book.app.alert(fit(text), title=TITLE)


def _output_columns(live: LiveRegister) -> dict[str, int]:
    """The sheet column of Role, Confidence and Why: found by header, else added at the end."""
    columns = {}
    next_column = live.last_column
    for header in OUTPUT_HEADERS:
        found = live.columns.get(header_field(header) or "")
        if found is None:
            next_column += 1
            found = next_column
        columns[header] = found
    return columns


def classify_live(live: LiveRegister) -> None:
    """Classify every row of a live register (its rules first, an Override always wins)."""
    rows = live.register.rows
    results = classify_many([r.text for r in rows], starts=[r.start for r in rows],
                            ends=[r.end for r in rows], rules=live.register.rules)
    for row, result in zip(rows, results, strict=True):
        row.classification = overridden(result, row.override) if row.override else result


def write_outputs(live: LiveRegister) -> dict[str, int]:
    """Write Role, Confidence and Why (headers too) beside the register; blank rows cleared."""
    sheet = live.sheet
    columns = _output_columns(live)
    by_row = {row.row: row for row in live.register.rows}
    last_row = max([live.last_row, *by_row], default=live.header_row)
    first = live.header_row + 1
    for index, header in enumerate(OUTPUT_HEADERS):
        column = columns[header]
        if header_field(header) not in live.columns:
            sheet.range((live.header_row, column)).value = header
        if last_row < first:
            continue
        values = []
        for number in range(first, last_row + 1):
            row = by_row.get(number)
            value = row.output_values()[index] if row is not None else ""
            values.append([safe_text(fit(value))])
        target = sheet.range((first, column), (last_row, column))
        target.value = values
        if header == "Confidence":
            target.number_format = "0.00"
    return columns


@script(name="Classify register")
def classify_register(book: xw.Book) -> None:
    """Write Role, Confidence and Why for every responsibility of the register."""
    _classify_register(book)


def _classify_register(book) -> None:
    try:
        live = read_register(book)
    except RegisterSheetError as error:
        _alert(book, str(error))
        return
    if not live.register.rows:
        write_outputs(live)
        _alert(book, f"Sheet '{live.sheet.name}' has a register header but no rows yet: add "
                     "responsibilities below it, then classify again.")
        return
    classify_live(live)
    write_outputs(live)


def _unique_name(book, base: str) -> str:
    taken = {s.name.lower() for s in book.sheets}
    if base.lower() not in taken:
        return base
    number = 2
    while f"{base} {number}".lower() in taken:
        number += 1
    return f"{base} {number}"


_WIDTHS = {"ID": 8, "Responsibility": 60, "Area": 16, "Hours per week": 10, "Start": 12,
           "End": 12, "Owner": 18, "Override": 12, "Role": 12, "Confidence": 11, "Why": 60}
RULE_HEADERS = ("Phrase", "Leans to", "Weight", "Dimension")


@script(name="New register")
def new_register(book: xw.Book) -> None:
    """Add an empty register sheet with rolecell's columns, and a Rules sheet if missing."""
    _new_register(book)


def _new_register(book) -> None:
    name = _unique_name(book, REGISTER_SHEET)
    sheet = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
    headers = [c.header for c in REGISTER_COLUMNS]
    sheet.range((1, 1)).value = [headers]
    header = sheet.range((1, 1), (1, len(headers)))
    header.font.bold = True
    for index, title in enumerate(headers, start=1):
        sheet.range((1, index)).column_width = _WIDTHS.get(title, 12)
        if title in ("Start", "End"):
            sheet.range((2, index), (1000, index)).number_format = _DATE_FORMAT
    if not any(s.name.strip().lower() == RULES_SHEET.lower() for s in book.sheets):
        rules = book.sheets.add(RULES_SHEET, after=sheet)
        rules.range((1, 1)).value = [list(RULE_HEADERS)]
        rules.range((1, 1), (1, len(RULE_HEADERS))).font.bold = True
        rules.range((1, 1)).column_width = 30
    sheet.activate()


@script(name="Build comparison")
def build_comparison(book: xw.Book) -> None:
    """Build or refresh the Comparison sheet: the five dimensions filled with your register."""
    from rolecell.excel.render import build_sheet  # noqa: PLC0415 - keeps start-up light

    build_sheet(book, "comparison")


@script(name="Build staffing")
def build_staffing(book: xw.Book) -> None:
    """Build or refresh the Staffing sheet: hours, FTE, headcount and cost per role."""
    from rolecell.excel.render import build_sheet  # noqa: PLC0415

    build_sheet(book, "staffing")


def update_all(book: xw.Book) -> None:
    """The RoleCell ribbon button of the classic add-in: do what the workbook needs next.

    No register yet: add one. Otherwise classify it and build or refresh Comparison and
    Staffing. (xlwings' ribbon add-in has a single callback, so one button does it all.)
    """
    from rolecell.excel.render import build_sheet  # noqa: PLC0415

    try:
        read_register(book)
    except RegisterSheetError:
        _new_register(book)
        return
    _classify_register(book)
    build_sheet(book, "comparison")
    build_sheet(book, "staffing")
