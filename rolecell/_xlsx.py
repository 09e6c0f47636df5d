"""Small openpyxl helpers shared by the file adapters (register, sheets)."""

from __future__ import annotations


def as_text_cell(cell, value: object) -> None:
    """Put a value in an openpyxl cell; a string always stays text, never becomes a formula.

    openpyxl stores any string that starts with "=" as a formula; user text such as
    "=HYPERLINK(...)" or "=cmd|' /C calc'!A0" must be data, so the cell type is forced to text.
    """
    cell.value = value
    if isinstance(value, str) and value:
        cell.data_type = "s"
