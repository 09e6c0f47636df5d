"""Render rolecell.layout's sheets into the open workbook, through xlwings' Book API.

The same layout `rolecell report` writes to a file with openpyxl, here written into a live book
(classic COM, xlwings Server or Lite): values, formulas, styles, column widths, frozen panes,
defined names and the charts whose data is one block. Every str is written as text (with
Excel's ' prefix), never as a formula; formulas come only from `layout.Formula`.
Only the standard library, xlwings and the rolecell core are imported here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from typing import Any

from rolecell import layout
from rolecell.excel._values import fit, header_field
from rolecell.excel.scripts import (
    LiveRegister,
    RegisterSheetError,
    _alert,
    classify_live,
    read_register,
    write_outputs,
)
from rolecell.model import REGISTER_COLUMNS, StaffingAssumptions

__all__ = ["build_sheet", "render_sheet", "register_headers"]

_EPOCH = dt.date(1899, 12, 30)
_PLANNED = ("Area", "Hours per week", "Start", "End", "Override")  # columns formulas read
_CHART_TYPES = {("bar", True): "bar_stacked", ("bar", False): "bar_clustered",
                ("column", True): "column_stacked", ("column", False): "column_clustered",
                ("line", False): "line", ("line", True): "line_stacked",
                ("pie", False): "pie", ("pie", True): "pie"}
_CM = 28.3465  # points per centimetre


def _cell_value(value: Any) -> Any:
    """A layout value as a formula-array entry: text always stays text."""
    if isinstance(value, layout.Formula):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + fit(value) if value else ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return float((value - _EPOCH).days)
    return value


def _runs(items: Iterable[tuple[int, Any]]) -> list[tuple[int, list[Any]]]:
    """(first column, values) for each run of consecutive columns."""
    runs: list[tuple[int, list[Any]]] = []
    for col, value in sorted(items, key=lambda item: item[0]):
        if runs and runs[-1][0] + len(runs[-1][1]) == col:
            runs[-1][1].append(value)
        else:
            runs.append((col, [value]))
    return runs


def _apply_style(rng, style: layout.Style) -> None:
    if style.bold:
        rng.font.bold = True
    if style.italic:
        rng.font.italic = True
    if style.size:
        rng.font.size = style.size
    if style.color:
        rng.font.color = "#" + style.color
    if style.fill:
        rng.color = "#" + style.fill
    if style.number_format:
        rng.number_format = style.number_format
    if style.wrap:
        rng.wrap_text = True
    if style.halign:
        rng.horizontal_alignment = style.halign
    if style.valign:
        rng.vertical_alignment = style.valign


def _fresh_sheet(book, name: str, after=None):
    """The sheet `name`, emptied (contents, formats, charts) if it exists, else added."""
    for sheet in book.sheets:
        if sheet.name.lower() == name.lower():
            for chart in list(sheet.charts):
                chart.delete()
            sheet.clear()
            return sheet
    return book.sheets.add(name, after=after or book.sheets[len(book.sheets) - 1])


def render_sheet(book, spec: layout.SheetLayout, after=None):
    """Write one SheetLayout into the book; returns the xlwings sheet."""
    sheet = _fresh_sheet(book, spec.name, after)
    rows: dict[int, list[tuple[int, Any]]] = {}
    for cell in spec.cells:
        rows.setdefault(cell.row, []).append((cell.col, _cell_value(cell.value)))
    for row, items in sorted(rows.items()):
        for col, values in _runs(items):
            sheet.range((row, col), (row, col + len(values) - 1)).formula = [values]
    styles: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for cell in spec.cells:
        if cell.style:
            styles.setdefault((cell.row, cell.style), []).append((cell.col, cell.style))
    for (row, name), items in sorted(styles.items()):
        style = layout.STYLES.get(name)
        if style is None:
            continue
        for col, values in _runs(items):
            _apply_style(sheet.range((row, col), (row, col + len(values) - 1)), style)
    for letter, width in spec.widths.items():
        sheet.range(f"{letter}1").column_width = width
    if spec.freeze:
        # not every runtime can freeze panes; the sheet is complete without it
        with contextlib.suppress(Exception):
            sheet.freeze_panes.freeze_at(spec.freeze)
    for chart in spec.charts:
        _chart(sheet, chart)
    return sheet


def _block(chart: layout.Chart) -> str | None:
    """The one range holding a chart's categories, series and their titles, if there is one."""
    def parts(ref: str) -> tuple[str, str, int, int]:
        area = ref.split("!")[-1].replace("$", "")
        first, last = area.split(":")
        col1, row1 = first.rstrip("0123456789"), int(first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        col2, row2 = last.rstrip("0123456789"), int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        if col1 != col2:
            raise ValueError(ref)
        return col1, col2, row1, row2

    try:
        cat = parts(chart.categories)
        series = [parts(s.values) for s in chart.series]
    except ValueError:
        return None
    letters = [cat[0]] + [s[0] for s in series]
    numbers = [layout._split_ref(f"{c}1")[0] for c in letters]
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return None
    if any((s[2], s[3]) != (cat[2], cat[3]) for s in series):
        return None
    return f"{cat[0]}{cat[2] - 1}:{letters[-1]}{cat[3]}"


def _chart(sheet, chart: layout.Chart) -> None:
    source = _block(chart)
    if source is None:  # data not in one block: left out of the live sheet (the file has it)
        return
    try:
        made = sheet.charts.add(chart_type=_CHART_TYPES.get((chart.kind, chart.stacked),
                                                            "column_clustered"),
                                source=sheet.range(source), anchor=sheet.range(chart.anchor),
                                width=chart.width * _CM, height=chart.height * _CM)
        made.title = chart.title
    except Exception:  # a runtime without charts: the numbers are all there regardless
        pass


# ------------------------------------------------------------------ the register the sheets read


def register_headers(live: LiveRegister) -> list[str]:
    """Canonical header of each sheet column of the live register ("" for other columns)."""
    canonical = {c.field: c.header for c in REGISTER_COLUMNS}
    width = max([live.last_column, *live.columns.values()])
    headers = [""] * width
    for field, col in live.columns.items():
        headers[col - 1] = canonical[field]
    return headers


def _add_missing_columns(live: LiveRegister) -> None:
    """Give the register the columns the formulas read (Area, Hours, Start, End, Override)."""
    for header in _PLANNED:
        field = header_field(header)
        if field in live.columns:
            continue
        live.last_column += 1
        live.columns[field] = live.last_column
        live.sheet.range((live.header_row, live.last_column)).value = header


def _prepare(book) -> tuple[LiveRegister, list[str]]:
    live = read_register(book)
    _add_missing_columns(live)
    classify_live(live)
    written = write_outputs(live)
    for header, col in written.items():
        live.columns[header_field(header)] = col
        live.last_column = max(live.last_column, col)
    return live, register_headers(live)


def _on_register_sheet(spec: layout.SheetLayout, sheet_name: str) -> layout.SheetLayout:
    """Point the layout's formulas at the sheet that really holds the register."""
    if sheet_name == layout.REGISTER_SHEET:
        return spec
    quoted = "'" + sheet_name.replace("'", "''") + "'"
    old = f"{layout.REGISTER_SHEET}!$"
    spec.cells = [
        layout.Cell(c.row, c.col, layout.Formula(c.value.text.replace(old, quoted + "!$")),
                    c.style) if isinstance(c.value, layout.Formula) else c
        for c in spec.cells
    ]
    return spec


def _current_assumptions(book) -> StaffingAssumptions:
    """The assumptions already in the book (its named cells), so a refresh keeps edits."""
    values: dict[str, Any] = {}
    defaults = StaffingAssumptions()
    try:
        names = {n.name.lower(): n for n in book.names}
    except Exception:
        return defaults
    for name, attr in layout.ASSUMPTION_NAMES:
        found = names.get(name.lower())
        if found is None:
            continue
        try:
            value = found.refers_to_range.value
        except Exception:
            continue
        current = getattr(defaults, attr)
        try:
            if isinstance(current, dt.date):
                if isinstance(value, dt.datetime):
                    value = value.date()
                elif isinstance(value, str):
                    value = dt.date.fromisoformat(value[:10])
                elif isinstance(value, int | float):
                    value = _EPOCH + dt.timedelta(days=int(value))
                else:
                    continue
            elif isinstance(current, int):
                value = int(value)
            else:
                value = float(value)
        except (TypeError, ValueError):
            continue
        values[attr] = value
    chosen = StaffingAssumptions(**{**{k: getattr(defaults, k) for k in
                                       StaffingAssumptions.__slots__}, **values})
    try:
        from rolecell.staffing import check_assumptions

        check_assumptions(chosen)
    except ValueError:
        return defaults
    return chosen


def _set_names(book, names: dict[str, str]) -> None:
    existing = {}
    with contextlib.suppress(Exception):
        existing = {n.name.lower(): n for n in book.names}
    for name, ref in names.items():
        if name.lower() in existing:
            existing[name.lower()].delete()
        book.names.add(name, "=" + ref)


def build_sheet(book, which: str) -> None:
    """Build or refresh the Comparison or Staffing sheet of the open workbook."""
    try:
        live, headers = _prepare(book)
    except RegisterSheetError as error:
        _alert(book, str(error))
        return
    results = [row.classification for row in live.register.rows]
    if which == "comparison":
        spec = layout.comparison_sheet(live.register, results, headers)
        names: dict[str, str] = {}
    else:
        names = {}
        spec = layout.staffing_sheet(headers, _current_assumptions(book), names)
    spec = _on_register_sheet(spec, live.sheet.name)
    sheet = render_sheet(book, spec)
    if names:
        _set_names(book, names)
    sheet.activate()

