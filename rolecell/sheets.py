"""Render rolecell's sheet layouts (rolecell.layout) into .xlsx files with openpyxl.

The report (`write_report`) and the register template (`write_template`) are described once in
rolecell.layout; this adapter only turns that description into openpyxl objects, streaming the
register in write-only mode so that 100,000 rows stay fast and small in memory. User text
always goes through `as_text_cell`, so it can never become a formula.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from rolecell._xlsx import as_text_cell
from rolecell.layout import (
    ASSUMPTION_NAMES,
    STYLES,
    Chart,
    Formula,
    SheetLayout,
    Style,
    WorkbookLayout,
    report_layout,
    template_layout,
)
from rolecell.model import Register, StaffingAssumptions
from rolecell.staffing import check_assumptions, effective_classifications

__all__ = ["read_assumptions", "render", "write_report", "write_template"]


# ------------------------------------------------------------------ styles


class _Styles:
    """openpyxl style objects per style name, built once per workbook."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self._made: dict[str, dict[str, object]] = {}
        thin = Side(style="thin", color="A6A6A6")
        self._border = {"bottom": Border(bottom=Side(style="thin", color="1F3864")),
                        "box": Border(left=thin, right=thin, top=thin, bottom=thin)}
        self._Alignment, self._Font, self._PatternFill = Alignment, Font, PatternFill

    def get(self, name: str) -> dict[str, object]:
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = self._build(STYLES[name])
        return made

    def _build(self, style: Style) -> dict[str, object]:
        attrs: dict[str, object] = {}
        if style.bold or style.italic or style.size or style.color:
            attrs["font"] = self._Font(bold=style.bold, italic=style.italic, size=style.size,
                                       color=style.color)
        if style.fill:
            attrs["fill"] = self._PatternFill("solid", start_color=style.fill,
                                              end_color=style.fill)
        if style.wrap or style.halign or style.valign or style.indent:
            attrs["alignment"] = self._Alignment(wrap_text=style.wrap or None,
                                                 horizontal=style.halign,
                                                 vertical=style.valign,
                                                 indent=style.indent)
        if style.border:
            attrs["border"] = self._border[style.border]
        if style.number_format:
            attrs["number_format"] = style.number_format
        return attrs

    def dxf(self, name: str):
        """A differential style (for conditional formats)."""
        from openpyxl.styles import Font, PatternFill
        from openpyxl.styles.differential import DifferentialStyle

        style = STYLES[name]
        font = Font(bold=style.bold, italic=style.italic, color=style.color) \
            if style.bold or style.italic or style.color else None
        fill = PatternFill(bgColor=style.fill, fill_type="solid") if style.fill else None
        return DifferentialStyle(font=font, fill=fill)


LINE_HEIGHT = 15.0  # points per line of 11-point text
DEFAULT_WIDTH = 8.43


def _lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines a wrapped text needs in a column `width` characters wide (an estimate:
    spreadsheets do not fit row heights to wrapped text in files they open)."""
    per_line = max(1.0, width * (0.9 if bold else 1.0))
    return sum(max(1, -(-len(part) // int(per_line))) for part in text.split("\n"))


def _row_height(ws, row_idx: int, cells: dict[int, tuple[str, str]],
                widths: dict[str, float]) -> None:
    """Give a row the height its wrapped cells need ({col: (text, style)})."""
    from openpyxl.utils import get_column_letter

    lines = 1
    for col, (text, style) in cells.items():
        if STYLES[style].wrap:
            width = widths.get(get_column_letter(col), DEFAULT_WIDTH)
            lines = max(lines, _lines(text, width, STYLES[style].bold))
    if lines > 1:
        ws.row_dimensions[row_idx].height = lines * LINE_HEIGHT + 2


def _apply(cell, attrs: dict[str, object]) -> None:
    for key, value in attrs.items():
        setattr(cell, key, value)


# ------------------------------------------------------------------ cells


def _set_value(cell, value: object) -> None:
    """A layout value into a cell: Formula -> formula, str -> text (never a formula)."""
    if isinstance(value, Formula):
        cell.value = str(value)
    elif isinstance(value, str):
        try:
            as_text_cell(cell, value)
        except ValueError:  # control characters that .xlsx cannot hold
            from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

            as_text_cell(cell, ILLEGAL_CHARACTERS_RE.sub("", value))
    else:
        cell.value = value


def _block_rows(ws, sheet: SheetLayout, styles: _Styles) -> Iterator[list[object]]:
    from openpyxl.cell import WriteOnlyCell

    block = sheet.block
    assert block is not None
    header = []
    for text in block.headers:
        cell = WriteOnlyCell(ws)
        _set_value(cell, text)
        _apply(cell, styles.get(block.header_style))
        header.append(cell)
    _row_height(ws, block.top, {i: (str(t), block.header_style)
                                for i, t in enumerate(block.headers, start=1)}, sheet.widths)
    yield header
    names = list(block.styles) + [None] * (len(block.headers) - len(block.styles))
    column_attrs = [styles.get(name) if name else None for name in names]
    wrapped = [i for i, name in enumerate(names) if name and STYLES[name].wrap]
    for row_idx, values in enumerate(block.rows, start=block.top + 1):
        out: list[object] = []
        for value, attrs in zip(values, column_attrs, strict=False):
            if isinstance(value, str) or (attrs and value is not None):
                cell = WriteOnlyCell(ws)
                _set_value(cell, value)
                if attrs:
                    _apply(cell, attrs)
                out.append(cell)
            else:
                out.append(value)  # numbers and dates: openpyxl formats dates itself
        if wrapped:
            _row_height(ws, row_idx, {i + 1: (values[i], names[i]) for i in wrapped
                                      if i < len(values) and isinstance(values[i], str)},
                        sheet.widths)
        yield out


def _cell_rows(ws, sheet: SheetLayout, styles: _Styles) -> Iterator[list[object]]:
    from openpyxl.cell import WriteOnlyCell

    by_row: dict[int, dict[int, object]] = {}
    for spec in sheet.cells:
        by_row.setdefault(spec.row, {})[spec.col] = spec
    last = max(by_row, default=0)
    stop = sheet.block.top if sheet.block else last + 1
    for row in range(1, stop):
        specs = by_row.get(row, {})
        out: list[object] = [None] * max(specs, default=0)
        for col, spec in specs.items():
            cell = WriteOnlyCell(ws)
            _set_value(cell, spec.value)
            if spec.style:
                _apply(cell, styles.get(spec.style))
            out[col - 1] = cell
        _row_height(ws, row, {c: (spec.value, spec.style) for c, spec in specs.items()
                              if spec.style and isinstance(spec.value, str)}, sheet.widths)
        yield out
    if sheet.block is not None and any(r >= sheet.block.top for r in by_row):
        raise ValueError(f"sheet {sheet.name}: cells below a streamed block are not supported")


# ------------------------------------------------------------------ sheet furniture


def _chart(spec: Chart):
    from openpyxl.chart import BarChart, LineChart, PieChart, Reference, Series
    from openpyxl.chart.label import DataLabelList
    from openpyxl.chart.series import DataPoint

    if spec.kind == "pie":
        chart = PieChart()
    elif spec.kind == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "bar" if spec.kind == "bar" else "col"
        if spec.stacked:
            chart.grouping = "stacked"
            chart.overlap = 100
        chart.gapWidth = 60
    chart.title = spec.title
    chart.width, chart.height = spec.width, spec.height
    categories = Reference(range_string=spec.categories)
    for item in spec.series:
        series = Series(Reference(range_string=item.values), title=item.title)
        if item.color:
            series.graphicalProperties.solidFill = item.color
            series.graphicalProperties.line.solidFill = item.color
        if spec.kind == "pie":
            for index, color in enumerate(spec.colors):
                point = DataPoint(idx=index)
                point.graphicalProperties.solidFill = color
                series.dPt.append(point)
            series.dLbls = DataLabelList()
            series.dLbls.showPercent = True
            for flag in ("showVal", "showCatName", "showSerName", "showLegendKey"):
                setattr(series.dLbls, flag, False)
        chart.series.append(series)
    chart.set_categories(categories)
    if spec.kind != "pie":
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        if spec.y_title:
            chart.y_axis.title = spec.y_title
        if spec.x_title:
            chart.x_axis.title = spec.x_title
        chart.y_axis.majorGridlines = chart.y_axis.majorGridlines  # keep the default grid
        if spec.kind == "bar":
            chart.x_axis.scaling.orientation = "maxMin"  # first category on top
    chart.legend.position = "b"
    return chart


def _furnish(ws, sheet: SheetLayout, styles: _Styles) -> None:
    """Widths, panes, page setup, validations, formats, tables, charts (before any row)."""
    from openpyxl.formatting.formatting import ConditionalFormattingList
    from openpyxl.formatting.rule import Rule
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    for letter, width in sheet.widths.items():
        ws.column_dimensions[letter].width = width
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    ws.sheet_view.showGridLines = sheet.gridlines
    if sheet.tab_color:
        ws.sheet_properties.tabColor = sheet.tab_color
    page = sheet.page
    ws.page_setup.orientation = "landscape" if page.landscape else "portrait"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = page.fit_width
    ws.page_setup.fitToHeight = page.fit_height
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if page.print_area:
        ws.print_area = page.print_area
    if page.title_rows:
        ws.print_title_rows = page.title_rows
    for spec in sheet.validations:
        dv = DataValidation(type=spec.kind, operator=spec.operator, formula1=spec.formula1,
                            formula2=spec.formula2, allow_blank=True, showInputMessage=True,
                            showErrorMessage=True, prompt=spec.prompt or None,
                            error=spec.error or None, errorTitle="rolecell" if spec.error
                            else None)
        dv.add(spec.sqref)
        ws.data_validations.append(dv)
    if not hasattr(ws, "conditional_formatting"):
        ws.conditional_formatting = ConditionalFormattingList()
    for spec in sheet.conditional_formats:
        rule = Rule(type="expression", dxf=styles.dxf(spec.style), formula=[spec.formula])
        ws.conditional_formatting.add(spec.sqref, rule)
    for spec in sheet.tables:
        table = Table(displayName=spec.name, name=spec.name, ref=spec.ref)
        table.tableStyleInfo = TableStyleInfo(name=spec.style, showRowStripes=True)
        table.tableColumns = [TableColumn(id=i, name=name)
                              for i, name in enumerate(spec.columns, start=1)]
        table.autoFilter = AutoFilter(ref=spec.ref)
        with warnings.catch_warnings():  # "add table columns manually": done just above
            warnings.simplefilter("ignore", UserWarning)
            ws.add_table(table)
    for spec in sheet.charts:
        ws.add_chart(_chart(spec), spec.anchor)


def render(layout: WorkbookLayout, path: str | os.PathLike) -> Path:
    """Write a layout to an .xlsx file, atomically (a temporary file, then a rename)."""
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName

    target = Path(path)
    workbook = openpyxl.Workbook(write_only=True)
    styles = _Styles()
    for sheet in layout.sheets:
        ws = workbook.create_sheet(sheet.name)
        _furnish(ws, sheet, styles)
        for row in _cell_rows(ws, sheet, styles):
            ws.append(row)
        if sheet.block is not None:
            for row in _block_rows(ws, sheet, styles):
                ws.append(row)
    for name, ref in layout.names.items():
        workbook.defined_names[name] = DefinedName(name, attr_text=ref)
    names = [s.name for s in layout.sheets]
    if layout.active in names:
        index = names.index(layout.active)
        workbook.active = index
        for i, ws in enumerate(workbook.worksheets):
            ws.sheet_view.tabSelected = i == index
    fixed = dt.datetime(2000, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.creator = "rolecell"
    _atomic_save(workbook.save, target)
    return target


def _atomic_save(save: Callable[[str], None], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".xlsx",
                                    dir=target.parent)
    os.close(handle)
    try:
        save(temp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual permissions
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# ------------------------------------------------------------------ the public writers


def write_report(register: Register, path: str | os.PathLike,
                 assumptions: StaffingAssumptions | None = None) -> Path:
    """Write the report workbook: Register (classified), Comparison, Staffing and Rules.

    Rows without a classification are classified (the register itself is not changed);
    Override always wins. Every staffing number is a live formula; rolecell.plan_staffing
    computes the same plan in Python.
    """
    target = Path(path)
    if register.source and target.exists() and \
            target.resolve() == Path(register.source).resolve():
        raise ValueError(f"{target}: refusing to overwrite the input register")
    settings = assumptions or StaffingAssumptions()
    check_assumptions(settings)
    classifications = effective_classifications(register)
    return render(report_layout(register, classifications, settings), target)


def write_template(path: str | os.PathLike,
                   assumptions: StaffingAssumptions | None = None) -> Path:
    """Write the register template: Instructions, Register table, Rules, Assumptions."""
    return render(template_layout(assumptions), path)


def read_assumptions(path: str | os.PathLike) -> StaffingAssumptions | None:
    """The staffing assumptions held in a workbook's defined names (HoursPerFTE ...).

    None when the workbook defines none of them; names it lacks keep their defaults.
    Raises ValueError naming the cell of a value that is not usable.
    """
    import openpyxl
    from openpyxl.utils import range_boundaries

    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    workbook = openpyxl.load_workbook(path, data_only=True)
    try:
        found: dict[str, object] = {}
        defaults = StaffingAssumptions()
        for name, attr in ASSUMPTION_NAMES:
            if name not in workbook.defined_names:
                continue
            destinations = list(workbook.defined_names[name].destinations)
            if len(destinations) != 1 or destinations[0][0] not in workbook.sheetnames:
                continue
            sheet, ref = destinations[0]
            col, row, _, _ = range_boundaries(ref.replace("$", ""))
            value = workbook[sheet].cell(row, col).value
            where = f"{path}, sheet '{sheet}', cell {ref.replace('$', '')} ({name})"
            found[attr] = _assumption_value(attr, value, getattr(defaults, attr), where)
    finally:
        workbook.close()
    if not found:
        return None
    result = replace(StaffingAssumptions(), **found)
    try:
        check_assumptions(result)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
    return result


def _assumption_value(attr: str, value: object, default: object, where: str) -> object:
    if value is None or value == "":
        return default
    if attr == "plan_start":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"{where}: {value!r} is not a date") from None
    if isinstance(value, bool):
        raise ValueError(f"{where}: {value!r} is not a number")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{where}: {value!r} is not a number") from None
    if attr == "plan_months":
        if not number.is_integer():
            raise ValueError(f"{where}: {value!r} is not a whole number of months")
        return int(number)
    return number


def report_names() -> Sequence[str]:
    """Every defined name of the report, assumptions first (the order of the issue)."""
    from rolecell.layout import RESULT_NAMES

    return [n for n, _ in ASSUMPTION_NAMES + RESULT_NAMES]
