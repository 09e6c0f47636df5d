"""A register as a table of cell values: find its header, read each cell, name every bad one.

Pure (standard library and the core only). The file reader (`rolecell.register`) and the
live-workbook reader (`rolecell.excel.scripts`) both hand rows of plain values here, so that a
register reads the same, and a bad cell is reported in the same words, from a file and from
Excel.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from rolecell.model import DIMENSIONS, REGISTER_COLUMNS, Responsibility, Role, Rule, Side

__all__ = [
    "EXCEL_ERRORS",
    "HEADER_SEARCH_ROWS",
    "RULE_HEADERS",
    "cell_text",
    "column_letter",
    "find_header",
    "find_rules_header",
    "header_field",
    "is_blank",
    "is_excel_error",
    "list_problems",
    "normalise_header",
    "parse_date",
    "parse_hours",
    "parse_override",
    "read_rows",
    "field_value",
    "rule_from_cells",
    "rule_from_row",
    "RuleCellError",
]

HEADER_SEARCH_ROWS = 30
MAX_LISTED_PROBLEMS = 15
EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial number 0 of Excel's 1900 date system
_LAST_SERIAL = 2_958_465  # 9999-12-31
_SYNONYMS = {name: column.field for column in REGISTER_COLUMNS for name in column.accepted()}
RULE_HEADERS = {"phrase": "phrase", "word": "phrase", "cue": "phrase", "leans to": "side",
                "side": "side", "role": "side", "weight": "weight", "strength": "weight",
                "dimension": "dimension"}
"""The headers of a Rules table (Phrase, Leans to, Weight, Dimension) and their synonyms."""


def column_letter(column: int) -> str:
    """1-based column number -> Excel letters (1 -> A, 27 -> AA)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_excel_error(value: object) -> bool:
    """An Excel error value as text: #N/A, #VALUE! ..."""
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing .0, booleans as TRUE/FALSE, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 42 else text[:40] + "…'"


def normalise_header(value: object) -> str:
    text = str(value or "").strip().lower().replace("_", " ")
    return re.sub(r"\s+", " ", text)


def header_field(value: object) -> str | None:
    """The register field a header names (text, hours, start ...), or None."""
    return _SYNONYMS.get(normalise_header(value)) if isinstance(value, str) else None


def parse_hours(value: object) -> float | None:
    """Hours per week: a number from 0 to 168, or text such as "6", "2,5" or "6h"; blank is None.

    Raises ValueError with the reason, in words a user can act on.
    """
    if is_blank(value):
        return None
    if is_excel_error(value):
        raise ValueError(f"holds the error {str(value).strip().upper()}")
    if isinstance(value, bool):
        raise ValueError(f"{_shown(value)} is not a number of hours")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().lower().removesuffix("h").removesuffix("hrs").strip()
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise ValueError(f"{_shown(value)} is not a number of hours") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{_shown(value)} is not a number of hours")
    if number < 0:
        raise ValueError(f"{number:g} is negative; hours per week must be 0 or more")
    if number > 168:
        raise ValueError(f"{number:g} is more than the 168 hours in a week")
    return number


def parse_date(value: object) -> dt.date | None:
    """A Start/End cell: a date, an Excel serial number or YYYY-MM-DD text; blank is None."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if is_excel_error(value):
        raise ValueError(f"holds the error {str(value).strip().upper()}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= _LAST_SERIAL:  # also false for NaN
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(f"{_shown(value)} is not a date")
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        try:  # "2027-01-01T00:00:00.000Z", as Office.js sends dates
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    raise ValueError(f"{_shown(value)} is not a date (use a date cell or YYYY-MM-DD)")


def parse_override(value: object) -> Role | None:
    """A role chosen by hand ("Operations", "ops", "PM", "shared" ...); blank is None."""
    if is_blank(value):
        return None
    role = Role.parse(value) if not is_excel_error(value) else None
    if role is None:
        raise ValueError(f"{_shown(cell_text(value))} is not a role (use Operations, Project, "
                         "Shared or Unclear)")
    return role


def find_header(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, field -> 0-based column) in the first 30 rows, or None.

    The header row is the first with a Responsibility-like column; any order, synonyms.
    """
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[str, int] = {}
        for col, value in enumerate(row):
            found = header_field(value)
            if found and found not in mapping:
                mapping[found] = col
        if "text" in mapping:
            return index, mapping
    return None


_PARSERS = (("hours", parse_hours), ("start", parse_date), ("end", parse_date),
            ("override", parse_override))


def field_value(row: Sequence[object], mapping: dict[str, int], field: str) -> object:
    """The cell of `field` in a row (None when the table has no such column or the row is short)."""
    col = mapping.get(field)
    return row[col] if col is not None and col < len(row) else None


def read_rows(rows: Sequence[Sequence[object]], mapping: dict[str, int], headers: list[str],
              *, first_row: int, first_column: int = 1
              ) -> tuple[list[Responsibility], list[str]]:
    """The responsibilities below a header, and every bad cell as "cell B7 (Hours): reason".

    `first_row` and `first_column` are the sheet's 1-based row of rows[0] and column of
    column 0, so that messages name the cells the user sees. A bad cell is left empty in its
    row; blank rows are skipped; columns that are not the register's are kept in `extra`.
    """
    problems: list[str] = []
    known = set(mapping.values())
    found: list[Responsibility] = []
    for number, row in enumerate(rows, start=first_row):
        if all(is_blank(value) for value in row):
            continue

        def cell(field: str, row: Sequence[object] = row) -> object:
            return field_value(row, mapping, field)

        def problem(field: str, reason: str, number: int = number) -> None:
            col = mapping[field]
            problems.append(f"cell {column_letter(first_column + col)}{number} "
                            f"({headers[col]}): {reason}")

        values: dict[str, object] = {}
        for field, parse in _PARSERS:
            try:
                values[field] = parse(cell(field))
            except ValueError as error:
                problem(field, str(error))
                values[field] = None
        start, end = values["start"], values["end"]
        if start and end and end < start:
            problem("end", f"ends ({end}) before it starts ({start})")
            values["end"] = None
        found.append(Responsibility(
            text=cell_text(cell("text")),
            id=cell_text(cell("id")) or f"R{len(found) + 1:04d}",
            area=cell_text(cell("area")),
            hours=values["hours"],
            start=values["start"],
            end=values["end"],
            owner=cell_text(cell("owner")),
            override=values["override"],
            row=number,
            extra={headers[c] or column_letter(first_column + c): v for c, v in enumerate(row)
                   if c not in known and c < len(headers)},
        ))
    return found, problems


def list_problems(problems: Sequence[str], indent: str = "  ") -> str:
    """The first problems, one a line, and how many more there are."""
    shown = list(problems[:MAX_LISTED_PROBLEMS])
    more = len(problems) - len(shown)
    return "\n".join(indent + line for line in shown + ([f"... and {more} more"] if more
                                                       else []))


def find_rules_header(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, field -> 0-based column) of a Rules table, or None.

    A Rules header has at least a Phrase and a Leans to column (or their synonyms).
    """
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[str, int] = {}
        for col, value in enumerate(row):
            field = RULE_HEADERS.get(normalise_header(value))
            if field and field not in mapping:
                mapping[field] = col
        if "phrase" in mapping and "side" in mapping:
            return index, mapping
    return None


class RuleCellError(ValueError):
    """A bad cell in a Rules row: which field ("side", "weight", "dimension") and its value."""

    def __init__(self, field: str, value: object):
        super().__init__(f"{field} {value!r}")
        self.field, self.value = field, value


def rule_from_cells(phrase: object, side: object, weight: object,
                    dimension: object) -> Rule | None:
    """One row of a Rules table as a Rule; None for a row without a phrase.

    Blank weight means 2, blank dimension "way_of_working". A bad side, weight or dimension
    raises RuleCellError, which each reader words for where the user sees the table.
    """
    text = cell_text(phrase)
    if not text:
        return None
    role = Role.parse(side)
    if role not in (Role.OPERATIONS, Role.PROJECT):
        raise RuleCellError("side", side)
    try:
        strength = 2.0 if is_blank(weight) else float(weight)
    except (TypeError, ValueError):
        raise RuleCellError("weight", weight) from None
    key = normalise_header(dimension).replace(" ", "_") or "way_of_working"
    if key not in DIMENSIONS:
        raise RuleCellError("dimension", dimension)
    return Rule(text, Side(role.value.lower()), strength, key)


def rule_from_row(row: Sequence[object], mapping: dict[str, int]) -> Rule | None:
    """`rule_from_cells` for a row of a Rules table whose columns `find_rules_header` found."""
    return rule_from_cells(*(field_value(row, mapping, field)
                             for field in ("phrase", "side", "weight", "dimension")))
