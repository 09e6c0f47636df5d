"""Read a responsibility register from .xlsx/.xlsm/.csv, and write a classified one back.

Readers are forgiving about layout (header row anywhere in the first rows, synonyms, any column
order, extra columns kept) and strict about values: a bad hour, date or override is reported
with its file, sheet and cell, and nothing is written. Writers never touch the input unless
asked to write in place, and then do so atomically, with a backup.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rolecell._xlsx import as_text_cell
from rolecell.model import (
    DIMENSIONS,
    OUTPUT_HEADERS,
    Register,
    Rule,
)
from rolecell.table import (
    HEADER_SEARCH_ROWS,
    RuleCellError,
    cell_text,
    column_letter,
    find_header,
    find_rules_header,
    list_problems,
    normalise_header,
    read_rows,
    rule_from_row,
)

__all__ = [
    "RegisterError",
    "read_register",
    "write_register",
    "default_output_path",
    "to_dataframe",
]

RULES_SHEET = "Rules"


class RegisterError(Exception):
    """A register that cannot be read or written; the message names file, sheet and cells."""


@dataclass(frozen=True, slots=True)
class _Table:
    """A sheet as plain rows of values, with where it came from."""

    source: str
    sheet: str
    rows: list[tuple]


# ---------------------------------------------------------------- reading tables


def _read_csv(path: Path) -> _Table:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text[:4096]:
        raise RegisterError(f"{path}: not a text CSV file (binary content)")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [tuple(record) for record in csv.reader(text.splitlines(), dialect)]
    return _Table(str(path), "", rows)


def _open_workbook(path: Path, **options):
    import openpyxl  # an adapter's import: the core stays free of it

    if zipfile.is_zipfile(path) is False:
        with path.open("rb") as handle:
            head = handle.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise RegisterError(
                f"{path}: the file is encrypted (password-protected) or in the old .xls "
                "format; remove the password or save it as .xlsx in Excel, then try again")
        raise RegisterError(f"{path}: not an Excel workbook (the file is not a valid .xlsx)")
    try:
        return openpyxl.load_workbook(path, **options)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise RegisterError(f"{path}: the workbook is damaged and cannot be read ({error})") \
            from None


def _sheet_rows(worksheet) -> list[tuple]:
    return [tuple(row) for row in worksheet.iter_rows(values_only=True)]


def _found_headers(rows: Sequence[tuple]) -> str:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [f"{column_letter(c + 1)}{index + 1} {v!r}" for c, v in enumerate(row)
                 if v not in (None, "")]
        if cells:
            return ", ".join(cells[:12])
    return "none (the sheet is empty)"


def _load_tables(path: Path, sheet: str | None
                 ) -> tuple[list[_Table], list[str], list[_Table]]:
    """The candidate sheets (only `sheet` if given), every sheet name, and the Rules sheet."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [_read_csv(path)], [], []
    if suffix not in (".xlsx", ".xlsm"):
        raise RegisterError(f"{path}: unsupported file type {suffix or '(none)'}; "
                            "use .xlsx, .xlsm or .csv")
    workbook = _open_workbook(path, read_only=True, data_only=True)
    try:
        names = list(workbook.sheetnames)
        if sheet is not None:
            if sheet not in names:
                raise RegisterError(f"{path}: no sheet named {sheet!r}; sheets: {', '.join(names)}")
            chosen = [sheet]
        else:  # a sheet called Register first, then the others in order
            chosen = sorted(names, key=lambda name: name.strip().lower() != "register")
        tables = [_Table(str(path), name, _sheet_rows(workbook[name])) for name in chosen
                  if name != RULES_SHEET or sheet == RULES_SHEET]
        rules = [_Table(str(path), RULES_SHEET, _sheet_rows(workbook[RULES_SHEET]))] \
            if RULES_SHEET in names else []
        return tables, names, rules
    finally:
        workbook.close()


# ---------------------------------------------------------------- reading values


_RULE_PROBLEMS = {"side": ("Leans to", "must be Operations or Project"),
                  "weight": ("Weight", "is not a number"),
                  "dimension": ("Dimension", f"is not one of {', '.join(DIMENSIONS)}")}


class _Problems:
    """Collects bad cells so that one run reports all of them at once."""

    def __init__(self, table: _Table):
        self.where = f"{table.source}" + (f", sheet '{table.sheet}'" if table.sheet else "")
        self.items: list[str] = []

    def add(self, row: int, col: int, header: str, message: str) -> None:
        self.items.append(f"cell {column_letter(col + 1)}{row} ({header}): {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise RegisterError(f"{self.where}: {len(self.items)} bad value(s):\n"
                                f"{list_problems(self.items)}")


def _read_rules(table: _Table) -> tuple[Rule, ...]:
    found = find_rules_header(table.rows)
    if found is None:
        return ()
    index, mapping = found
    problems = _Problems(table)
    rules = []
    for number, row in enumerate(table.rows[index + 1:], start=index + 2):
        try:
            rule = rule_from_row(row, mapping)
        except RuleCellError as error:
            header, reason = _RULE_PROBLEMS[error.field]
            problems.add(number, mapping[error.field], header, f"{error.value!r} {reason}")
            continue
        if rule is not None:
            rules.append(rule)
    problems.raise_if_any()
    return tuple(rules)


def read_register(path: str | os.PathLike, sheet: str | None = None, *,
                  strict: bool = True) -> Register:
    """Read a register from .xlsx, .xlsm or .csv.

    The sheet is `sheet`, else one called Register, else the first with a Responsibility-like
    header in its first 30 rows. A "Rules" sheet (Phrase, Leans to, Weight[, Dimension]) becomes
    the register's own vocabulary. Bad values raise RegisterError naming every bad cell
    (with `strict=False` they are left empty and listed in `register.problems`).
    """
    path = Path(path)
    if not path.exists():
        raise RegisterError(f"{path}: no such file")
    if path.is_dir():
        raise RegisterError(f"{path}: is a folder, not a register file")
    tables, names, rule_tables = _load_tables(path, sheet)
    for table in tables:
        header = find_header(table.rows)
        if header is None:
            continue
        index, mapping = header
        headers = [cell_text(h) for h in table.rows[index]]
        rows, problems = read_rows(table.rows[index + 1:], mapping, headers,
                                   first_row=index + 2)
        if strict and problems:
            where = table.source + (f", sheet '{table.sheet}'" if table.sheet else "")
            raise RegisterError(f"{where}: {len(problems)} bad value(s):\n"
                                f"{list_problems(problems)}")
        register = Register(
            rows=rows, source=str(path), sheet=table.sheet, header_row=index + 1,
            columns={f: headers[c] for f, c in mapping.items()},
            headers=headers,
            rules=_read_rules(rule_tables[0]) if rule_tables else (),
            problems=problems,
        )
        return register
    where = f"{path}" + (f", sheet '{tables[0].sheet}'" if len(tables) == 1 and tables[0].sheet
                         else "")
    found = "; ".join(f"{t.sheet or 'CSV'}: {_found_headers(t.rows)}" for t in tables)
    raise RegisterError(
        f"{where}: no Responsibility column found (also accepted: Task, Duty, Description, "
        f"Activity). Headers found: {found or 'none'}"
        + (f". Sheets: {', '.join(names)}" if names else ""))


# ---------------------------------------------------------------- writing



def default_output_path(source: str | os.PathLike, suffix: str = "classified") -> Path:
    """Where an output goes when the user names none: beside the input, never over it."""
    source = Path(source)
    return source.with_name(f"{source.stem}-{suffix}.xlsx")


def _atomic_save(save: Callable[[Path], None], target: Path) -> None:
    """Write through a temporary file in the same folder, then rename: all or nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix,
                                    dir=target.parent)
    os.close(handle)
    try:
        save(Path(temp))
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _has_parts_openpyxl_drops(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    kinds = {"xl/charts/": "charts", "xl/drawings/": "drawings or images",
             "xl/pivotTables/": "pivot tables", "xl/slicers/": "slicers"}
    return [label for prefix, label in kinds.items() if any(n.startswith(prefix) for n in names)]


def _write_into_workbook(register: Register, source: Path, target: Path) -> None:
    keep_vba = source.suffix.lower() == ".xlsm"
    workbook = _open_workbook(source, keep_vba=keep_vba, rich_text=True)
    worksheet = workbook[register.sheet] if register.sheet else workbook.active
    header_row = register.header_row
    columns: dict[str, int] = {}
    headers = {normalise_header(c.value): c.column for c in worksheet[header_row] if c.value}
    next_col = max((c.column for c in worksheet[header_row] if c.value is not None), default=0)
    for name in OUTPUT_HEADERS:
        column = headers.get(name.lower())
        if column is None:
            next_col += 1
            column = next_col
            as_text_cell(worksheet.cell(header_row, column), name)
        columns[name] = column
    for row in register.rows:
        for name, value in zip(OUTPUT_HEADERS, row.output_values(), strict=True):
            as_text_cell(worksheet.cell(row.row, columns[name]), value)
    _extend_table(worksheet, header_row, next_col)
    _atomic_save(lambda temp: workbook.save(temp), target)


def _extend_table(worksheet, header_row: int, last_col: int) -> None:
    """Grow an Excel table that holds the register so that it covers the new columns."""
    from openpyxl.utils import get_column_letter, range_boundaries

    for table in worksheet.tables.values():
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        if min_row == header_row and max_col < last_col:
            table.ref = f"{get_column_letter(min_col)}{min_row}:" \
                        f"{get_column_letter(last_col)}{max_row}"
            table.autoFilter = None
            table.tableColumns = []
            table._initialise_columns()
            for cell, column in zip(worksheet[header_row][min_col - 1:last_col],
                                    table.tableColumns, strict=False):
                column.name = str(cell.value)


def _write_new_workbook(register: Register, target: Path) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet("Register")
    headers, rows = register.table()
    worksheet.append(headers)
    for values in rows:
        cells = []
        for value in values:
            cell = WriteOnlyCell(worksheet)
            as_text_cell(cell, value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        worksheet.append(cells)
    _atomic_save(lambda temp: workbook.save(temp), target)


def write_register(register: Register, path: str | os.PathLike | None = None, *,
                   in_place: bool = False) -> Path:
    """Write a classified register and return where it went.

    From an .xlsx/.xlsm source, the source workbook is copied with Role, Confidence and Why
    added to its register sheet (every other sheet, name, style and macro kept); from a CSV,
    a new workbook with a Register sheet. `in_place` replaces the source atomically and keeps
    `<name>.bak<suffix>` beside it. The source is never modified otherwise.
    """
    source = Path(register.source) if register.source else None
    excel_source = source is not None and source.suffix.lower() in (".xlsx", ".xlsm")
    if in_place:
        if not excel_source:
            raise RegisterError("--in-place works on .xlsx and .xlsm registers only; "
                                "a CSV register is written to a new .xlsx file")
        dropped = _has_parts_openpyxl_drops(source)
        if dropped:
            raise RegisterError(
                f"{source}: contains {', '.join(dropped)}, which cannot be kept when writing "
                "in place; write to a new file with -o instead")
        target = source
        backup = source.with_name(f"{source.stem}.bak{source.suffix}")
        shutil.copy2(source, backup)
    else:
        target = Path(path) if path else default_output_path(source or "register.xlsx")
        if source is not None and target.resolve() == source.resolve():
            raise RegisterError(f"{target}: refusing to overwrite the input; use --in-place")
        if excel_source and target.suffix.lower() != source.suffix.lower():
            target = target.with_suffix(source.suffix)
    if excel_source:
        _write_into_workbook(register, source, target)
    else:
        _write_new_workbook(register, target)
    return target


def to_dataframe(register: Register):
    """The register as a pandas DataFrame: the same columns as the written sheet."""
    import pandas as pd  # only for callers who want a frame

    headers, rows = register.table()
    return pd.DataFrame(list(rows), columns=headers)
