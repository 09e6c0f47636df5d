"""Cell values as Excel hands them to Python, and back: pure helpers of the Excel adapter.

Standard library and the rolecell core only, so that this module runs in Pyodide (xlwings
Lite) as well as under the classic COM add-in and xlwings Server. The three runtimes deliver
the same cell differently: a date is a `datetime` through COM but a serial number through
Office.js; an error is a COM error code or an Office.js error object (both become "#N/A"-style
strings with xlwings' `err_to_str` option, which these helpers expect).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from rolecell.classify import classify_many, normalise_rules
from rolecell.model import DIMENSIONS, Classification, Rule
from rolecell.table import (  # noqa: F401 - EXCEL_ERRORS, header_field: part of this API
    EXCEL_ERRORS,
    RuleCellError,
    cell_text,
    field_value,
    find_rules_header,
    header_field,
    normalise_header,
    parse_date,
    parse_hours,
    rule_from_row,
)

__all__ = [
    "EXCEL_ERRORS",
    "MAX_CELL_CHARS",
    "ArgumentError",
    "Grid",
    "as_date",
    "as_hours",
    "as_text",
    "broadcast",
    "classify_cached",
    "fit",
    "grid",
    "header_field",
    "is_blank",
    "is_error",
    "message",
    "rules_from_rows",
    "safe_text",
]

MAX_CELL_CHARS = 32_767
"""The most characters an Excel cell holds."""

_COM_ERRORS = {-2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826259: "#NAME?",
               -2146826288: "#NULL!", -2146826252: "#NUM!", -2146826265: "#REF!",
               -2146826273: "#VALUE!"}
_FORMULA_START = ("=", "+", "-", "@")
PREFIX = "rolecell: "

Grid = list[list[Any]]


class ArgumentError(ValueError):
    """A bad argument of a custom function; its message goes into the cell."""


def message(text: str) -> str:
    """A readable message for a cell: never starts with '#' (which Office.js makes an error)."""
    return fit(PREFIX + text)


def fit(value: Any) -> Any:
    """A value that fits in a cell: strings longer than Excel's limit are cut, with an ellipsis."""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        return value[: MAX_CELL_CHARS - 1] + "…"
    return value


def safe_text(value: Any) -> Any:
    """User text written by a script: kept as text, never run as a formula (formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_error(value: Any) -> bool:
    """An Excel error value (#N/A, #VALUE! ...), as a string or a COM error code."""
    if isinstance(value, str):
        return value.strip().upper() in EXCEL_ERRORS
    return isinstance(value, int) and not isinstance(value, bool) and value in _COM_ERRORS


def error_text(value: Any) -> str:
    """The "#N/A"-style text of an error value."""
    if isinstance(value, int):
        return _COM_ERRORS[value]
    return str(value).strip().upper()


def grid(value: Any) -> Grid:
    """Any argument as a list of rows: a scalar becomes [[value]], a flat list one column."""
    if isinstance(value, list | tuple):
        if not value:
            return [[None]]
        if all(isinstance(row, list | tuple) for row in value):
            rows = [list(row) for row in value]
            width = max((len(row) for row in rows), default=0) or 1
            return [row + [None] * (width - len(row)) for row in rows]
        return [[item] for item in value]
    return [[value]]


def shape(cells: Grid) -> tuple[int, int]:
    return len(cells), len(cells[0]) if cells else 0


def _size(rows: int, cols: int) -> str:
    return f"{rows:,} row{'s' if rows != 1 else ''} × {cols} column{'s' if cols != 1 else ''}"


def broadcast(name: str, value: Any, rows: int, cols: int) -> Grid:
    """An optional argument matched to the text's shape: one cell for all, or the same shape.

    A single column or row is accepted against a text of the same length in the other
    orientation's sense only when it matches exactly; anything else is an ArgumentError.
    """
    cells = grid(value)
    r, c = shape(cells)
    if (r, c) == (1, 1):
        return [[cells[0][0]] * cols for _ in range(rows)]
    if (r, c) == (rows, cols):
        return cells
    raise ArgumentError(f"{name} is {_size(r, c)} but text is {_size(rows, cols)}; "
                        f"give {name} as one cell or a range of the same size")


def as_text(value: Any) -> str:
    """A responsibility cell as text (numbers without a trailing .0, booleans as TRUE/FALSE)."""
    return cell_text(value)


def as_date(name: str, value: Any) -> dt.date | None:
    """A Start/End cell: a date, an Excel serial number or YYYY-MM-DD text; blank is None."""
    try:
        return parse_date(value)
    except ValueError as error:
        raise ArgumentError(f"{name} {error}") from None


def as_hours(name: str, value: Any) -> float | None:
    """An hours-per-week cell: a number from 0 to 168, or text such as "6h"; blank is None."""
    try:
        return parse_hours(value)
    except ValueError as error:
        raise ArgumentError(f"{name} {error}") from None


# ------------------------------------------------------------------ rules




def rules_from_rows(rows: Sequence[Sequence[Any]], where: str = "rules",
                    first_row: int = 1) -> tuple[Rule, ...]:
    """A Rules table (Phrase, Leans to[, Weight[, Dimension]]) as rules; with or without header.

    Without a header row the columns are taken in that order. Bad rows raise ArgumentError
    naming the row (counted from `first_row`).
    """
    rows = [list(row) for row in rows]
    header = find_rules_header(rows)
    if header is None:  # no header: the columns in their usual order
        mapping, start = {"phrase": 0, "side": 1, "weight": 2, "dimension": 3}, 0
    else:
        mapping, start = header[1], header[0] + 1
    rules = []
    for index, row in enumerate(rows[start:], start=start):
        number = first_row + index
        if all(is_blank(v) for v in row):
            continue
        bad = next((v for v in row if is_error(v)), None)
        if bad is not None:
            raise ArgumentError(f"{where} row {number} holds the error {error_text(bad)}")

        try:
            rule = rule_from_row(row, mapping)
        except RuleCellError as error:
            phrase = as_text(field_value(row, mapping, "phrase"))
            reason = {"side": "; use Operations or Project", "weight": " is not a number",
                      "dimension": f" is not one of {', '.join(DIMENSIONS)}"}[error.field]
            shown = "leans to" if error.field == "side" else error.field
            raise ArgumentError(f"{where} row {number} ({phrase!r}): {shown} "
                                f"{error.value!r}{reason}") from None
        if rule is not None:
            rules.append(rule)
    return normalise_rules(rules)


# ------------------------------------------------------------------ classification cache


_CACHE: dict[tuple[str, dt.date | None, dt.date | None, tuple[Rule, ...]], Classification] = {}
_CACHE_LIMIT = 100_000


def classify_cached(keys: Iterable[tuple[str, dt.date | None, dt.date | None]],
                    rules: tuple[Rule, ...] = ()) -> list[Classification]:
    """Classify (text, start, end) rows, remembering results across calls.

    Excel recalculates the same column often, and ROLE, ROLE_CONFIDENCE and ROLE_WHY over one
    column ask for the same classifications: each distinct row is computed once. The cache is
    bounded (cleared when it reaches 100,000 rows).
    """
    keys = list(keys)
    found: dict[tuple[str, dt.date | None, dt.date | None], Classification] = {}
    missing = []
    for key in dict.fromkeys(keys):
        result = _CACHE.get((*key, rules))
        if result is None:
            missing.append(key)
        else:
            found[key] = result
    if missing:
        results = classify_many([k[0] for k in missing], starts=[k[1] for k in missing],
                                ends=[k[2] for k in missing], rules=rules)
        if len(_CACHE) + len(missing) > _CACHE_LIMIT:
            _CACHE.clear()
        for key, result in zip(missing, results, strict=True):
            found[key] = result
            if len(missing) <= _CACHE_LIMIT:
                _CACHE[(*key, rules)] = result
    return [found[k] for k in keys]
