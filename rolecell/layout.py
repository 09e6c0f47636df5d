"""The sheets rolecell writes, described once as plain data, for any renderer.

A `WorkbookLayout` lists sheets; each `SheetLayout` holds cells (values, `Formula`s, style names),
at most one streamed `Block` of user data (the register), column widths, frozen panes, data
validations, conditional formats, tables, charts and page setup, and the workbook holds its
defined names. `rolecell.sheets` renders a layout into an .xlsx file with openpyxl; the
xlwings scripts can render the same layout into an open workbook.

The one rule every renderer must keep: a `str` value is always text, never a formula, whatever
it starts with (user text such as "=HYPERLINK(...)" is data). Formulas are `Formula` objects,
written by rolecell only, and use only functions that Excel 2016+ and LibreOffice both
calculate (SUMIFS, COUNTIFS, EDATE, INDEX/MATCH, IF, INT, ROUND, MAX, AVERAGE, IFERROR, FIXED).

Pure: standard library and the rolecell core only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from rolecell import knowledge
from rolecell.model import (
    DIMENSIONS,
    REGISTER_COLUMNS,
    Classification,
    Register,
    Role,
    Rule,
    StaffingAssumptions,
)
from rolecell.staffing import MAX_PLAN_MONTHS
from rolecell.table import column_letter

__all__ = [
    "ASSUMPTION_NAMES", "RESULT_NAMES", "Block", "Cell", "Chart", "ConditionalFormat",
    "Formula", "Page", "Series", "SheetLayout", "Style", "STYLES", "Table", "Validation",
    "WorkbookLayout", "column_letter", "report_layout", "template_layout", "unique_names",
    "valid_sheet_name", "valid_table_name",
]

# ------------------------------------------------------------------ the vocabulary of a layout


@dataclass(frozen=True, slots=True)
class Formula:
    """A spreadsheet formula written by rolecell (without the leading '=')."""

    text: str

    def __str__(self) -> str:
        return "=" + self.text


@dataclass(frozen=True, slots=True)
class Style:
    """How a cell looks; renderers map it to their own style objects."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None  # font colour, RRGGBB
    fill: str | None = None  # background, RRGGBB
    number_format: str | None = None
    wrap: bool = False
    halign: str | None = None  # left | center | right
    valign: str | None = None  # top | center | bottom
    border: str | None = None  # bottom | box
    indent: int = 0


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: 1-based row and column, a value (str = text, Formula = formula), a style name."""

    row: int
    col: int
    value: object
    style: str | None = None


@dataclass(slots=True)
class Block:
    """A large table of user data streamed row by row: header row at `top`, then `rows`.

    `styles` has one style name (or None) per column for the body cells; every str in `rows`
    is text. Rows are produced lazily, so a 100,000-row register is never held twice.
    """

    top: int
    headers: tuple[str, ...]
    rows: Iterable[Sequence[object]]
    header_style: str = "header"
    styles: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Validation:
    """A data validation: kind list | decimal | whole | date, over `sqref`."""

    sqref: str
    kind: str
    operator: str | None = None  # between | greaterThanOrEqual | ...
    formula1: str = ""
    formula2: str | None = None
    prompt: str = ""
    error: str = ""


@dataclass(frozen=True, slots=True)
class ConditionalFormat:
    """Style `style` where `formula` (relative to the top-left cell of `sqref`) is true."""

    sqref: str
    formula: str
    style: str


@dataclass(frozen=True, slots=True)
class Table:
    """An Excel table (ListObject) over `ref`; its header cells are its column names."""

    name: str
    ref: str
    columns: tuple[str, ...]
    style: str = "TableStyleMedium2"


@dataclass(frozen=True, slots=True)
class Series:
    """One data series of a chart: a title and a range of values ('Sheet!$B$2:$B$9')."""

    title: str
    values: str
    color: str | None = None


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart: kind bar (horizontal) | column | pie | line, anchored at a cell, size in cm."""

    kind: str
    title: str
    anchor: str
    categories: str
    series: tuple[Series, ...]
    stacked: bool = False
    x_title: str = ""
    y_title: str = ""
    width: float = 16.0
    height: float = 7.5
    colors: tuple[str, ...] = ()  # per data point, for pie charts


@dataclass(frozen=True, slots=True)
class Page:
    """Print setup: orientation, fit to pages wide/tall (0 = as many as needed), print area."""

    landscape: bool = True
    fit_width: int = 1
    fit_height: int = 0
    print_area: str | None = None
    title_rows: str | None = None  # e.g. "1:1", repeated on every printed page


@dataclass(slots=True)
class SheetLayout:
    """Everything about one sheet."""

    name: str
    cells: list[Cell] = field(default_factory=list)
    block: Block | None = None
    widths: dict[str, float] = field(default_factory=dict)
    freeze: str | None = None
    validations: list[Validation] = field(default_factory=list)
    conditional_formats: list[ConditionalFormat] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    page: Page = field(default_factory=Page)
    tab_color: str | None = None
    gridlines: bool = True

    def put(self, ref: str, value: object, style: str | None = None) -> None:
        """Add a cell by its A1 reference."""
        col, row = _split_ref(ref)
        self.cells.append(Cell(row, col, value, style))

    def section(self, row: int, title: str, last_column: str) -> None:
        """A section's title band: the title in column A, the band drawn to `last_column`."""
        self.put(f"A{row}", title, "section")
        for col in range(2, _split_ref(f"{last_column}1")[0] + 1):
            self.put(f"{column_letter(col)}{row}", None, "section")


@dataclass(slots=True)
class WorkbookLayout:
    """Sheets in order, workbook-level defined names (name -> 'Sheet!$B$5'), the active sheet."""

    sheets: list[SheetLayout]
    names: dict[str, str] = field(default_factory=dict)
    active: str | None = None


# ------------------------------------------------------------------ styles and colours

ROLE_COLORS: dict[Role, tuple[str, str]] = {  # (strong, light)
    Role.OPERATIONS: ("2F5597", "DDEBF7"),
    Role.PROJECT: ("C55A11", "FBE5D6"),
    Role.SHARED: ("548235", "E2EFDA"),
    Role.UNCLEAR: ("7F7F7F", "EDEDED"),
}
NAVY = "1F3864"
_INPUT = Style(fill="FFF2CC", color=NAVY, border="box", bold=True)
_BOLD = Style(bold=True)

STYLES: dict[str, Style] = {
    "title": Style(bold=True, size=16, color=NAVY),
    "subtitle": Style(italic=True, color="595959"),
    "section": Style(bold=True, size=12, color="FFFFFF", fill=NAVY),
    "header": Style(bold=True, fill="D9E1F2", wrap=True, valign="center", border="bottom"),
    "label": Style(),
    "label_bold": _BOLD,
    "note": Style(italic=True, color="7F7F7F"),
    "wrap": Style(wrap=True, valign="top"),
    "top": Style(valign="top"),
    "date_top": Style(valign="top", number_format="yyyy-mm-dd"),
    "count_top": Style(valign="top", halign="center", bold=True, size=12,
                       number_format="#,##0"),
    "text": Style(valign="top"),
    "input": replace(_INPUT, number_format="0.0"),
    "input_percent": replace(_INPUT, number_format="0%"),
    "input_decimal": replace(_INPUT, number_format="0.00"),
    "input_money": replace(_INPUT, number_format="#,##0"),
    "input_date": replace(_INPUT, number_format="yyyy-mm-dd"),
    "input_whole": replace(_INPUT, number_format="0"),
    "hours": Style(number_format="#,##0.0"),
    "fte": Style(number_format="0.00"),
    "count": Style(number_format="#,##0"),
    "money": Style(number_format="#,##0"),
    "percent": Style(number_format="0%"),
    "date": Style(number_format="yyyy-mm-dd"),
    "month": Style(number_format="mmm yyyy", halign="left"),
    "total_label": Style(bold=True, border="bottom"),
    "total_hours": Style(bold=True, number_format="#,##0.0"),
    "total_fte": Style(bold=True, number_format="0.00"),
    "total_count": Style(bold=True, number_format="#,##0"),
    "total_money": Style(bold=True, number_format="#,##0"),
    "headline_count": Style(bold=True, size=12, color=NAVY, number_format="0",
                            fill="E2EFDA", border="box", halign="center"),
    "headline_money": Style(bold=True, size=12, color=NAVY, number_format="#,##0",
                            fill="E2EFDA", border="box"),
    "recommendation": Style(size=11),
    "dimension": Style(bold=True, valign="top", color=NAVY),
    "override": Style(italic=True, bold=True, fill="FFF2CC"),
    **{f"role_{role.value.lower()}": Style(bold=True, color=strong, fill=light)
       for role, (strong, light) in ROLE_COLORS.items()},
}
"""Every style a layout may name."""

ASSUMPTION_NAMES: tuple[tuple[str, str], ...] = (
    ("HoursPerFTE", "hours_per_fte"),
    ("ProductiveShare", "productive_share"),
    ("SharedToOperations", "shared_to_operations"),
    ("RoundingTolerance", "rounding_tolerance"),
    ("CostOperations", "cost_operations"),
    ("CostProject", "cost_project"),
    ("PlanStart", "plan_start"),
    ("PlanMonths", "plan_months"),
)
"""Defined name of each assumption and its StaffingAssumptions field, in order."""

RESULT_NAMES: tuple[tuple[str, str], ...] = (
    ("HoursOperations", "hours_operations"),
    ("HoursProject", "hours_project"),
    ("HoursShared", "hours_shared"),
    ("HoursUnclear", "hours_unclear"),
    ("FTEOperations", "fte_operations"),
    ("FTEProject", "fte_project"),
    ("HeadcountOperations", "headcount_operations"),
    ("HeadcountProject", "headcount_project"),
    ("CostTotal", "cost_total"),
    ("PeakFTEProject", "peak_fte_project"),
)
"""Defined name of each headline result and its StaffingPlan field, in order."""

# (label, style, unit/explanation, validation kind, operator, formula1, formula2)
_ASSUMPTION_ROWS: dict[str, tuple[str, str, str, str, str, str, str | None]] = {
    "HoursPerFTE": ("Hours per FTE per week", "input", "contracted hours of one full-time "
                    "manager", "decimal", "between", "1", "168"),
    "ProductiveShare": ("Productive share", "input_percent", "share of those hours free for "
                        "this work (the rest: leave, training, admin)", "decimal", "between",
                        "0.01", "1"),
    "SharedToOperations": ("Shared work to operations", "input_percent", "share of Shared "
                           "hours planned for operations; the rest goes to project",
                           "decimal", "between", "0", "1"),
    "RoundingTolerance": ("Rounding tolerance (FTE)", "input_decimal", "round headcount down "
                          "when the fraction of an FTE is at most this", "decimal", "between",
                          "0", "0.99"),
    "CostOperations": ("Cost per operations manager", "input_money", "per year, fully loaded",
                       "decimal", "greaterThanOrEqual", "0", None),
    "CostProject": ("Cost per project manager", "input_money", "per year, fully loaded",
                    "decimal", "greaterThanOrEqual", "0", None),
    "PlanStart": ("Plan start", "input_date", "first day of month 1 of the plan", "date",
                  "between", "DATE(1990,1,1)", "DATE(2200,12,31)"),
    "PlanMonths": ("Plan months", "input_whole", f"months in the planning horizon (1 to "
                   f"{MAX_PLAN_MONTHS})", "whole", "between", "1", str(MAX_PLAN_MONTHS)),
}

ROLE_ORDER: tuple[Role, ...] = (Role.OPERATIONS, Role.PROJECT, Role.SHARED, Role.UNCLEAR)
MAX_AREAS = 12
EXAMPLES = 3
REGISTER_SHEET = "Register"
RULES_SHEET = "Rules"

# ------------------------------------------------------------------ names and references

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NAME_BAD = re.compile(r"[^A-Za-z0-9_.]")
_A1_LIKE = re.compile(r"^[A-Za-z]{1,3}[0-9]+$|^[RrCc][0-9]*$|^[Rr][0-9]+[Cc][0-9]+$")


def _split_ref(ref: str) -> tuple[int, int]:
    match = re.fullmatch(r"\$?([A-Z]+)\$?([0-9]+)", ref)
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    letters, row = match.groups()
    col = 0
    for char in letters:
        col = col * 26 + ord(char) - 64
    return col, int(row)


def valid_sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """A sheet name Excel accepts: no []:*?/\\, not blank, no edge quote, <= 31, unique."""
    text = _SHEET_FORBIDDEN.sub("_", " ".join(str(name).split())).strip("'") or "Sheet"
    if text.lower() == "history":  # reserved by Excel
        text = "History_"
    used = {t.lower() for t in taken}
    base, n = text[:31], 1
    candidate = base
    while candidate.lower() in used:
        n += 1
        suffix = f" ({n})"
        candidate = base[:31 - len(suffix)] + suffix
    return candidate


def valid_table_name(name: str, taken: Iterable[str] = ()) -> str:
    """A table or defined name Excel accepts: letters, digits, _ and ., starts with a letter
    or _, not a cell reference, <= 255 characters, unique (case-insensitive)."""
    text = _NAME_BAD.sub("_", str(name).strip()) or "Table"
    if not (text[0].isalpha() or text[0] == "_") or _A1_LIKE.match(text):
        text = "_" + text
    used = {t.lower() for t in taken}
    base, n = text[:255], 1
    candidate = base
    while candidate.lower() in used:
        n += 1
        candidate = f"{base[:250]}_{n}"
    return candidate


def unique_names(headers: Sequence[object]) -> list[str]:
    """Column headers made valid for an Excel table: text, not blank, unique (ignoring case),
    at most 255 characters, no line breaks."""
    out: list[str] = []
    used: set[str] = set()
    for index, header in enumerate(headers, start=1):
        text = " ".join(str(header if header is not None else "").split())[:255]
        text = text or f"Column{index}"
        candidate, n = text, 1
        while candidate.lower() in used:
            n += 1
            candidate = f"{text[:250]} {n}"
        used.add(candidate.lower())
        out.append(candidate)
    return out


def _quote(sheet: str) -> str:
    return sheet if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", sheet) else \
        "'" + sheet.replace("'", "''") + "'"


def _abs(sheet: str, ref: str) -> str:
    """'Sheet!$B$5' from 'B5', or 'Sheet!$B$5:$B$9' from 'B5:B9'."""
    parts = []
    for part in ref.split(":"):
        col, row = _split_ref(part)
        parts.append(f"${column_letter(col)}${row}")
    return f"{_quote(sheet)}!" + ":".join(parts)


def _text_literal(text: str) -> str:
    """A formula string literal of rolecell's own words (never user text)."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class RegisterRefs:
    """Whole-column references to the Register sheet columns the formulas read."""

    area: str
    hours: str
    start: str
    end: str
    override: str
    role: str

    @classmethod
    def for_headers(cls, headers: Sequence[str], sheet: str = REGISTER_SHEET) -> RegisterRefs:
        """References by the position of each canonical header in `headers`."""
        position = {h: i + 1 for i, h in enumerate(headers)}

        def col(header: str) -> str:
            letter = column_letter(position[header])
            return f"{_quote(sheet)}!${letter}:${letter}"

        return cls(area=col("Area"), hours=col("Hours per week"), start=col("Start"),
                   end=col("End"), override=col("Override"), role=col("Role"))

    def role_hours(self, role: str, *criteria: str) -> str:
        """Hours of rows whose role is `role` (Override if set, else Role), as SUMIFS.

        Override rows, plus Role rows, minus Role rows that also have an Override.
        """
        extra = "".join("," + c for c in criteria)
        return (f"SUMIFS({self.hours},{self.override},{role}{extra})"
                f"+SUMIFS({self.hours},{self.role},{role}{extra})"
                f"-SUMIFS({self.hours},{self.role},{role},{self.override},\"<>\"{extra})")

    def role_count(self, role: str, *criteria: str) -> str:
        """Number of rows whose role is `role`, as COUNTIFS (same rule as role_hours)."""
        extra = "".join("," + c for c in criteria)
        return (f"COUNTIFS({self.override},{role}{extra})"
                f"+COUNTIFS({self.role},{role}{extra})"
                f"-COUNTIFS({self.role},{role},{self.override},\"<>\"{extra})")

    def active_hours(self, role: str, total: str, first: str, last: str) -> str:
        """Hours of `role` rows running in the month first..last (cells holding dates).

        All rows, minus those that start after the month, minus those that end before it,
        plus those that do both (inclusion-exclusion, so blank dates count as open-ended).
        """
        after = f'{self.start},">"&{last}'
        before = f'{self.end},"<"&{first}'
        return (f"{total}-({self.role_hours(role, after)})-({self.role_hours(role, before)})"
                f"+({self.role_hours(role, after, before)})")


def _area_criterion(cell: str) -> str:
    """A SUMIFS criterion matching the text in `cell` exactly (wildcards escaped)."""
    return (f'"="&SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({cell},"~","~~"),"*","~*"),"?","~?")')


# ------------------------------------------------------------------ the register sheet


def _register_headers(register: Register) -> list[str]:
    headers, _ = register.table()
    return unique_names(headers)


def _register_rows(register: Register, classifications: Sequence[Classification]
                   ) -> Iterator[list[object]]:
    _, rows = register.table()
    width = len(register.extra_headers())
    for values, result in zip(rows, classifications, strict=True):
        values[8 + width:] = [str(result.role), round(result.confidence, 2), result.rationale]
        yield values


def register_sheet(register: Register, classifications: Sequence[Classification] | None,
                   name: str = REGISTER_SHEET, min_rows: int = 1) -> SheetLayout:
    """The register as an Excel table: canonical columns, the user's extra columns, Role,
    Confidence and Why; validation, role colours, overrides marked, frozen header."""
    headers = _register_headers(register)
    count = len(register)
    last_row = 1 + max(count, min_rows)
    position = {h: column_letter(i + 1) for i, h in enumerate(headers)}
    rows: Iterable[Sequence[object]]
    if classifications is None:
        _, rows = register.table()
    else:
        rows = _register_rows(register, classifications)
    small = count <= 2000  # small registers get wrapped text and top-aligned rows
    styles = tuple(
        ("wrap" if small else None) if h in ("Responsibility", "Why") else
        (("date_top" if h in ("Start", "End") else "top") if small else None)
        for h in headers)
    sheet = SheetLayout(name=name, block=Block(1, tuple(headers), rows, styles=styles),
                        freeze="C2", tab_color=NAVY)
    widths = {"ID": 9, "Responsibility": 60, "Area": 16, "Hours per week": 10, "Start": 11,
              "End": 11, "Owner": 18, "Override": 12, "Role": 12, "Confidence": 11,
              "Why": 60}
    for header, letter in position.items():
        sheet.widths[letter] = widths.get(header, 14)
    sheet.tables.append(Table("RegisterTable", f"A1:{column_letter(len(headers))}{last_row}",
                              tuple(headers)))
    limit = max(last_row, 1000)
    roles = ",".join(r.value for r in ROLE_ORDER)
    hours, start, end = position["Hours per week"], position["Start"], position["End"]
    override, role = position["Override"], position["Role"]
    sheet.validations += [
        Validation(f"{override}2:{override}{limit}", "list", formula1=f'"{roles}"',
                   prompt="Leave empty to use rolecell's classification, or choose a role "
                          "by hand: it always wins.",
                   error="Choose Operations, Project, Shared or Unclear, or leave it empty."),
        Validation(f"{hours}2:{hours}{limit}", "decimal", "between", "0", "168",
                   prompt="Hours per week this work takes (0 to 168).",
                   error="Hours per week must be a number from 0 to 168."),
        Validation(f"{start}2:{end}{limit}", "date", "between", "DATE(1990,1,1)",
                   "DATE(2200,12,31)", prompt="A date (YYYY-MM-DD); empty for ongoing work.",
                   error="Enter a date, or leave it empty for ongoing work."),
    ]
    for item in ROLE_ORDER:
        sheet.conditional_formats.append(ConditionalFormat(
            f"{role}2:{role}{limit}", f'${role}2="{item.value}"',
            f"role_{item.value.lower()}"))
    sheet.conditional_formats.append(ConditionalFormat(
        f"{override}2:{override}{limit}", f'LEN(${override}2)>0', "override"))
    sheet.page = Page(landscape=True, fit_width=1, fit_height=0, title_rows="1:1",
                      print_area=f"A1:{column_letter(len(headers))}{last_row}")
    return sheet


# ------------------------------------------------------------------ assumptions


def _assumption_block(sheet: SheetLayout, top: int, a: StaffingAssumptions,
                      names: dict[str, str]) -> int:
    """The editable assumptions from row `top`; returns the row of the derived capacity."""
    sheet.section(top, "Assumptions (edit the yellow cells)", "C")
    for offset, (name, attr) in enumerate(ASSUMPTION_NAMES, start=1):
        label, style, note, kind, operator, low, high = _ASSUMPTION_ROWS[name]
        row = top + offset
        sheet.put(f"A{row}", label, "label")
        sheet.put(f"B{row}", getattr(a, attr), style)
        sheet.put(f"C{row}", note, "note")
        names[name] = _abs(sheet.name, f"B{row}")
        sheet.validations.append(Validation(f"B{row}", kind, operator, low, high,
                                            prompt=note, error=f"{label}: {note}."))
    row = top + len(ASSUMPTION_NAMES) + 1
    sheet.put(f"A{row}", "Productive hours per FTE per week", "label")
    sheet.put(f"B{row}", Formula("HoursPerFTE*ProductiveShare"), "hours")
    sheet.put(f"C{row}", "derived: what one FTE delivers each week", "note")
    return row


def assumptions_sheet(a: StaffingAssumptions, names: dict[str, str]) -> SheetLayout:
    """The template's Assumptions sheet: the staffing assumptions as named, editable cells."""
    sheet = SheetLayout(name="Assumptions", gridlines=False, tab_color="BF8F00")
    sheet.put("A1", "Staffing assumptions", "title")
    sheet.put("A2", "rolecell report reads these cells (by their names) when it builds the "
                    "staffing plan from this workbook.", "subtitle")
    _assumption_block(sheet, 4, a, names)
    sheet.widths.update({"A": 34, "B": 14, "C": 70})
    sheet.page = Page(landscape=True, fit_width=1, fit_height=1, print_area="A1:C14")
    return sheet


# ------------------------------------------------------------------ the staffing sheet

_MONTH_TOP = 33  # header row of the monthly table
_ROLE_ROWS = {Role.OPERATIONS: 17, Role.PROJECT: 18, Role.SHARED: 19, Role.UNCLEAR: 20}


def staffing_sheet(headers: Sequence[str], a: StaffingAssumptions,
                   names: dict[str, str]) -> SheetLayout:
    """The staffing plan: assumptions, hours -> FTE -> headcount -> cost, a recommendation and
    a month-by-month load, every number a live formula over the Register and assumptions."""
    refs = RegisterRefs.for_headers(headers)
    sheet = SheetLayout(name="Staffing", gridlines=False, tab_color="548235")
    sheet.put("A1", "Staffing plan: operations managers and project managers", "title")
    sheet.put("A2", "Every number is a live formula over the Register sheet and the yellow "
                    "assumptions: change one and the plan follows.", "subtitle")
    capacity_row = _assumption_block(sheet, 4, a, names)
    capacity = f"$B${capacity_row}"

    sheet.section(15, "Plan", "I")
    heads = ["Role", "Hours per week (as classified)", "Shared hours added",
             "Hours to staff", "FTE (all work at once)", "Average monthly FTE",
             "Peak monthly FTE", "Headcount to hire", "Annual cost"]
    for i, text in enumerate(heads):
        sheet.put(f"{column_letter(i + 1)}16", text, "header")
    first, last = _MONTH_TOP + 1, _MONTH_TOP + MAX_PLAN_MONTHS
    totals = {Role.OPERATIONS: "HoursOperations", Role.PROJECT: "HoursProject",
              Role.SHARED: "HoursShared", Role.UNCLEAR: "HoursUnclear"}
    for role, row in _ROLE_ROWS.items():
        label = {Role.OPERATIONS: "Operations manager", Role.PROJECT: "Project manager",
                 Role.SHARED: "Shared (split above)",
                 Role.UNCLEAR: "Unclear (not staffed)"}[role]
        sheet.put(f"A{row}", label, f"role_{role.value.lower()}")
        sheet.put(f"B{row}", Formula(refs.role_hours(_text_literal(role.value))), "hours")
        names[totals[role]] = _abs("Staffing", f"B{row}")
    for role, share, fte_col, hc_name, cost_name in (
            (Role.OPERATIONS, "SharedToOperations", "F", "HeadcountOperations",
             "CostOperations"),
            (Role.PROJECT, "(1-SharedToOperations)", "G", "HeadcountProject", "CostProject")):
        row = _ROLE_ROWS[role]
        sheet.put(f"C{row}", Formula(f"{share}*HoursShared"), "hours")
        sheet.put(f"D{row}", Formula(f"B{row}+C{row}"), "hours")
        sheet.put(f"E{row}", Formula(f"D{row}/{capacity}"), "fte")
        sheet.put(f"F{row}", Formula(f"IFERROR(AVERAGE({fte_col}{first}:{fte_col}{last}),0)"),
                  "fte")
        sheet.put(f"G{row}", Formula(f"MAX({fte_col}{first}:{fte_col}{last})"), "fte")
        basis = f"E{row}" if role is Role.OPERATIONS else f"G{row}"
        sheet.put(f"H{row}", Formula(
            f"IF({basis}<=0,0,IF(ROUND({basis}-INT({basis}),9)<=RoundingTolerance,"
            f"INT({basis}),INT({basis})+1))"), "headline_count")
        sheet.put(f"I{row}", Formula(f"H{row}*{cost_name}"), "money")
        names[hc_name] = _abs("Staffing", f"H{row}")
    names["FTEOperations"] = _abs("Staffing", "E17")
    names["FTEProject"] = _abs("Staffing", "E18")
    names["PeakFTEProject"] = _abs("Staffing", "G18")
    sheet.put("C19", "split between the two roles above", "note")
    sheet.put("C20", "not staffed: needs a decision", "note")
    sheet.put("A21", "Total", "total_label")
    sheet.put("B21", Formula("SUM(B17:B20)"), "total_hours")
    sheet.put("D21", Formula("D17+D18"), "total_hours")
    sheet.put("E21", Formula("E17+E18"), "total_fte")
    sheet.put("H21", Formula("H17+H18"), "headline_count")
    sheet.put("I21", Formula("I17+I18"), "headline_money")
    names["CostTotal"] = _abs("Staffing", "I21")
    sheet.put("A22", "Busiest month for project work", "label")
    sheet.put("B22", Formula(f"IFERROR(INDEX(A{first}:A{last},MATCH(PeakFTEProject,"
                             f"G{first}:G{last},0)),PlanStart)"), "month")
    sheet.put("C22", "project headcount is sized for this month's load (the peak), "
                     "not the average", "note")
    sheet.put("A23", "Operations headcount is based on the FTE of all operations work; project "
                     "headcount on the peak monthly project FTE.", "note")

    sheet.section(25, "Recommendation", "I")
    unclear_rows = refs.role_count('"Unclear"')
    lines = [
        '"Hire "&HeadcountOperations&IF(HeadcountOperations=1," operations manager",'
        '" operations managers")&" for the steady, day-to-day work: "&FIXED(D17,0)&'
        '" hours a week, "&FIXED(FTEOperations,1)&" FTE."',
        '"Hire "&HeadcountProject&IF(HeadcountProject=1," project manager",'
        '" project managers")&", staffed for the busiest month ("&FIXED(PeakFTEProject,1)&'
        '" FTE) rather than the average month ("&FIXED(F18,1)&'
        '" FTE): project work comes and goes."',
        '"Recommended team: "&(HeadcountOperations+HeadcountProject)&'
        '" managers at an annual cost of "&FIXED(CostTotal,0)&"."',
        f'IF(HoursUnclear>0,FIXED(HoursUnclear,0)&" hours a week ("&({unclear_rows})&'
        '" responsibilities) are Unclear and not staffed: decide who owns them in the '
        'Override column of the Register sheet, and the plan updates.",'
        '"No responsibility is Unclear: every hour has a role.")',
        'IF(HoursShared>0,FIXED(HoursShared,0)&" hours a week are Shared between the roles; "&'
        'FIXED(SharedToOperations*100,0)&"% of them are planned for operations."'
        ',"No work is Shared between the roles.")',
    ]
    for offset, text in enumerate(lines):
        sheet.put(f"A{26 + offset}", Formula(text), "recommendation")

    sheet.section(_MONTH_TOP - 1, "Monthly load over the planning horizon", "I")
    month_heads = ["Month", "Month end", "Operations hours", "Project hours", "Shared hours",
                   "Operations FTE", "Project FTE", "Total FTE"]
    for i, text in enumerate(month_heads):
        sheet.put(f"{column_letter(i + 1)}{_MONTH_TOP}", text, "header")
    for i in range(MAX_PLAN_MONTHS):
        row = first + i
        sheet.put(f"A{row}", Formula(f'IF(PlanMonths>={i + 1},EDATE(PlanStart,{i}),"")'),
                  "month")
        sheet.put(f"B{row}", Formula(f'IF($A{row}="","",EDATE(PlanStart,{i + 1})-1)'), "date")
        for col, role in (("C", Role.OPERATIONS), ("D", Role.PROJECT), ("E", Role.SHARED)):
            active = refs.active_hours(_text_literal(role.value), totals[role],
                                       f"$A{row}", f"$B{row}")
            sheet.put(f"{col}{row}", Formula(f'IF($A{row}="","",{active})'), "hours")
        sheet.put(f"F{row}", Formula(
            f'IF($A{row}="","",(C{row}+SharedToOperations*E{row})/{capacity})'), "fte")
        sheet.put(f"G{row}", Formula(
            f'IF($A{row}="","",(D{row}+(1-SharedToOperations)*E{row})/{capacity})'), "fte")
        sheet.put(f"H{row}", Formula(f'IF($A{row}="","",F{row}+G{row})'), "fte")
    shown = first + a.plan_months - 1
    strong = {role: ROLE_COLORS[role][0] for role in ROLE_ORDER}
    sheet.charts.append(Chart(
        kind="column", title="Monthly load: FTE by role", anchor=f"J{_MONTH_TOP - 1}",
        categories=_abs("Staffing", f"A{first}:A{shown}"),
        series=(Series("Operations", _abs("Staffing", f"F{first}:F{shown}"),
                       strong[Role.OPERATIONS]),
                Series("Project", _abs("Staffing", f"G{first}:G{shown}"),
                       strong[Role.PROJECT])),
        stacked=True, y_title="FTE", width=17, height=8.5))
    sheet.widths.update({"A": 34, "B": 14, "C": 14, "D": 13, "E": 13, "F": 13, "G": 13,
                         "H": 13, "I": 13})
    sheet.page = Page(landscape=True, fit_width=1, fit_height=1,
                      print_area=f"A1:R{max(shown, _MONTH_TOP + 16)}")
    return sheet


# ------------------------------------------------------------------ the comparison sheet


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _areas(register: Register, roles: Sequence[Role]
           ) -> tuple[list[str], dict[Role, list[tuple[str, float]]], bool]:
    """Top areas by hours (case-insensitive, as SUMIFS matches), top 3 per role, and
    whether any hours fall outside the listed areas."""
    spelling: dict[str, str] = {}
    by_area: dict[str, float] = {}
    by_role: dict[Role, dict[str, float]] = {role: {} for role in ROLE_ORDER}
    for row, role in zip(register.rows, roles, strict=True):
        key = _norm(row.area)
        if not key:
            continue
        spelling.setdefault(key, row.area)
        hours = row.hours or 0.0
        by_area[key] = by_area.get(key, 0.0) + hours
        by_role[role][key] = by_role[role].get(key, 0.0) + hours
    order = sorted(by_area, key=lambda k: (-by_area[k], k))
    listed = order[:MAX_AREAS]
    other = any(by_area[k] > 0 for k in order[MAX_AREAS:]) or any(
        not _norm(r.area) and (r.hours or 0) > 0 for r in register.rows)
    tops = {role: [(spelling[k], h) for k, h in sorted(values.items(),
                                                       key=lambda kv: (-kv[1], kv[0]))
                   if h > 0][:3]
            for role, values in by_role.items()}
    return [spelling[k] for k in listed], tops, other


def _examples(register: Register, results: Sequence[Classification], dimension: str,
              side: Role) -> list[str]:
    """The clearest responsibilities leaning to `side` on `dimension`: rows of that role
    first, then by strength of the dimension score, confidence and register order."""
    sign = -1 if side is Role.OPERATIONS else 1
    picked = []
    for index, (row, result) in enumerate(zip(register.rows, results, strict=True)):
        score = result.scores.get(dimension, 0.0) * sign
        if score > 0 and row.text.strip():
            picked.append((result.role is not side, -score, -result.confidence, index))
    picked.sort()
    seen: set[str] = set()
    out = []
    for *_, index in picked:
        text = register.rows[index].text
        if _norm(text) in seen:
            continue
        seen.add(_norm(text))
        out.append(text)
        if len(out) == EXAMPLES:
            break
    return out


def comparison_sheet(register: Register, results: Sequence[Classification],
                     headers: Sequence[str]) -> SheetLayout:
    """The five dimensions side by side with the organisation's own evidence, hours and share
    per role, top areas per role, and charts."""
    refs = RegisterRefs.for_headers(headers)
    roles = [r.role for r in results]
    sheet = SheetLayout(name="Comparison", gridlines=False, tab_color="C55A11")
    sheet.put("A1", "Operations manager or project manager: the evidence in this register",
              "title")
    sheet.put("A2", f"{len(register):,} responsibilities. Counts and examples as rolecell "
                    "classified them; hours are live formulas over the Register sheet.",
              "subtitle")
    # 1. the five dimensions
    sheet.section(4, "The five dimensions that separate the roles", "G")
    heads = ["Dimension", "Operations manager", "Project manager", "Lean operations",
             "Lean project", "Clearest operations examples", "Clearest project examples"]
    for i, text in enumerate(heads):
        sheet.put(f"{column_letter(i + 1)}5", text, "header")
    row = 6
    for dimension in knowledge.dimensions():
        key = dimension.key
        ops = sum(1 for r in results if r.scores.get(key, 0.0) < 0)
        proj = sum(1 for r in results if r.scores.get(key, 0.0) > 0)
        sheet.put(f"A{row}", dimension.name, "dimension")
        sheet.put(f"B{row}", dimension.operations, "wrap")
        sheet.put(f"C{row}", dimension.project, "wrap")
        sheet.put(f"D{row}", ops, "count_top")
        sheet.put(f"E{row}", proj, "count_top")
        ops_examples = _examples(register, results, key, Role.OPERATIONS)
        project_examples = _examples(register, results, key, Role.PROJECT)
        for i in range(EXAMPLES):
            for col, examples in (("F", ops_examples), ("G", project_examples)):
                sheet.put(f"{col}{row + i}", examples[i] if i < len(examples) else None,
                          "wrap")
        row += EXAMPLES
    # 2. hours and share per role
    top = row + 1
    sheet.section(top, "Responsibilities and hours per role", "D")
    for i, text in enumerate(["Role", "Responsibilities", "Hours per week", "Share of hours"]):
        sheet.put(f"{column_letter(i + 1)}{top + 1}", text, "header")
    first = top + 2
    total_row = first + len(ROLE_ORDER)
    for i, role in enumerate(ROLE_ORDER):
        r = first + i
        literal = _text_literal(role.value)
        sheet.put(f"A{r}", role.value, f"role_{role.value.lower()}")
        sheet.put(f"B{r}", Formula(refs.role_count(literal)), "count")
        sheet.put(f"C{r}", Formula(refs.role_hours(literal)), "hours")
        sheet.put(f"D{r}", Formula(f"IF($C${total_row}=0,0,C{r}/$C${total_row})"), "percent")
    sheet.put(f"A{total_row}", "Total", "total_label")
    sheet.put(f"B{total_row}", Formula(f"SUM(B{first}:B{total_row - 1})"), "total_count")
    sheet.put(f"C{total_row}", Formula(f"SUM(C{first}:C{total_row - 1})"), "total_hours")
    sheet.put(f"D{total_row}", Formula(f"SUM(D{first}:D{total_row - 1})"), "percent")
    # 3. top areas per role
    areas, tops, other = _areas(register, roles)
    atop = total_row + 2
    sheet.section(atop, "Top areas per role", "D")
    for i, text in enumerate(["Role", "Area", "Hours per week", "Share of the role's hours"]):
        sheet.put(f"{column_letter(i + 1)}{atop + 1}", text, "header")
    r = atop + 2
    for i, role in enumerate(ROLE_ORDER):
        role_total = f"$C${first + i}"
        for rank, (area, _) in enumerate(tops[role] or [("", 0.0)]):
            sheet.put(f"A{r}", role.value if rank == 0 else None,
                      f"role_{role.value.lower()}" if rank == 0 else None)
            if area:
                sheet.put(f"B{r}", area, "text")
                hours = refs.role_hours(_text_literal(role.value),
                                        f"{refs.area},{_area_criterion(f'$B{r}')}")
                sheet.put(f"C{r}", Formula(hours), "hours")
                sheet.put(f"D{r}", Formula(f"IF({role_total}=0,0,C{r}/{role_total})"),
                          "percent")
            else:
                sheet.put(f"B{r}", "no hours", "note")
            r += 1
    # 4. hours by area and role
    btop = r + 1
    sheet.section(btop, "Weekly hours by area and role", "F")
    for i, text in enumerate(["Area", *(role.value for role in ROLE_ORDER), "Total"]):
        sheet.put(f"{column_letter(i + 1)}{btop + 1}", text, "header")
    afirst = btop + 2
    for i, area in enumerate(areas):
        r = afirst + i
        sheet.put(f"A{r}", area, "text")
        for j, role in enumerate(ROLE_ORDER):
            hours = refs.role_hours(_text_literal(role.value),
                                    f"{refs.area},{_area_criterion(f'$A{r}')}")
            sheet.put(f"{column_letter(j + 2)}{r}", Formula(hours), "hours")
        sheet.put(f"F{r}", Formula(f"SUM(B{r}:E{r})"), "total_hours")
    alast = afirst + len(areas) - 1
    if other or not areas:
        alast += 1
        sheet.put(f"A{alast}", "Other areas / no area", "note")
        for j in range(len(ROLE_ORDER)):
            col = column_letter(j + 2)
            listed = f"-SUM({col}{afirst}:{col}{alast - 1})" if areas else ""
            sheet.put(f"{col}{alast}", Formula(f"$C${first + j}{listed}"), "hours")
        sheet.put(f"F{alast}", Formula(f"SUM(B{alast}:E{alast})"), "total_hours")
    # charts
    chart_row = alast + 2
    colors = tuple(ROLE_COLORS[role][0] for role in ROLE_ORDER)
    sheet.charts.append(Chart(
        kind="bar", title="Weekly hours by area and role", anchor=f"A{chart_row}",
        categories=_abs("Comparison", f"A{afirst}:A{alast}"),
        series=tuple(Series(role.value, _abs("Comparison",
                                             f"{column_letter(j + 2)}{afirst}:"
                                             f"{column_letter(j + 2)}{alast}"), colors[j])
                     for j, role in enumerate(ROLE_ORDER)),
        stacked=True, y_title="hours per week", width=20, height=9.5))
    sheet.charts.append(Chart(
        kind="pie", title="Share of weekly hours per role", anchor=f"F{chart_row}",
        categories=_abs("Comparison", f"A{first}:A{first + 3}"),
        series=(Series("Hours per week", _abs("Comparison", f"C{first}:C{first + 3}")),),
        width=13, height=9.5, colors=colors))
    sheet.widths.update({"A": 24, "B": 34, "C": 34, "D": 11, "E": 11, "F": 50, "G": 50})
    sheet.page = Page(landscape=True, fit_width=1, fit_height=1,
                      print_area=f"A1:G{chart_row + 19}")
    return sheet


# ------------------------------------------------------------------ rules and instructions


def rules_sheet(rules: Sequence[Rule]) -> SheetLayout:
    """The organisation's own vocabulary: Phrase, Leans to, Weight, Dimension."""
    sheet = SheetLayout(name=RULES_SHEET, freeze="A2", tab_color="7F7F7F")
    heads = ["Phrase", "Leans to", "Weight", "Dimension"]
    for i, text in enumerate(heads):
        sheet.put(f"{column_letter(i + 1)}1", text, "header")
    for r, rule in enumerate(rules, start=2):
        sheet.put(f"A{r}", rule.phrase, "text")
        sheet.put(f"B{r}", "Operations" if rule.side.value == "operations" else "Project",
                  "text")
        sheet.put(f"C{r}", rule.weight, None)
        sheet.put(f"D{r}", rule.dimension, "text")
    last = max(2, len(rules) + 1)
    sheet.tables.append(Table("RulesTable", f"A1:D{last}", tuple(heads), "TableStyleLight9"))
    sheet.validations += [
        Validation("B2:B1000", "list", formula1='"Operations,Project"',
                   prompt="Which role this phrase leans to.",
                   error="Choose Operations or Project."),
        Validation("C2:C1000", "decimal", "between", "0", "10",
                   prompt="How strongly (default 2; the built-in cues weigh 0.5 to 3).",
                   error="A weight from 0 to 10."),
        Validation("D2:D1000", "list", formula1='"' + ",".join(DIMENSIONS) + '"',
                   prompt="Optional: the dimension (default way_of_working).",
                   error="Choose one of the five dimensions, or leave it empty."),
    ]
    notes = [
        "Your organisation's own vocabulary.",
        "Each row: a phrase (a word or a few words), the role it leans to, a weight.",
        "Where a phrase matches, it wins over rolecell's built-in vocabulary for those words.",
        "Example: 'hypercare' | Project | 2.5 | horizon.",
        "rolecell classify / report read this sheet when it is named Rules.",
    ]
    for i, text in enumerate(notes):
        sheet.put(f"F{i + 1}", text, "note")
    sheet.widths.update({"A": 34, "B": 12, "C": 9, "D": 16, "E": 3, "F": 70})
    return sheet


_COLUMN_HELP = {
    "ID": ("A stable identifier, such as R001.", "no (generated)"),
    "Responsibility": ("The work, in words: what is done, how often, for what goal.", "yes"),
    "Area": ("The function or team: Warehouse, IT, Finance ...", "no"),
    "Hours per week": ("Effort it takes while it runs (0 to 168).", "no"),
    "Start": ("First day, for temporary work; empty for ongoing work.", "no"),
    "End": ("Last day or deadline, for temporary work.", "no"),
    "Owner": ("Who does it today.", "no"),
    "Override": ("A role chosen by hand (Operations, Project, Shared, Unclear); it always "
                 "wins.", "no"),
    "Role": ("Written by rolecell: Operations, Project, Shared or Unclear.", "output"),
    "Confidence": ("Written by rolecell: 0 to 1.", "output"),
    "Why": ("Written by rolecell: the evidence that decided.", "output"),
}


def instructions_sheet() -> SheetLayout:
    """How to fill in the template, what each column means, which formulas and commands exist."""
    sheet = SheetLayout(name="Instructions", gridlines=False, tab_color=NAVY)
    put = sheet.put
    put("A1", "Responsibility register: operations manager or project manager?", "title")
    put("A2", "List your management work, one responsibility per row; rolecell decides who "
              "should own it and what team to hire.", "subtitle")
    steps = [
        "1. On the Register sheet, write one responsibility per row: what the work is, its "
        "area and its hours per week.",
        "2. For temporary work, add Start and End dates; leave them empty for ongoing work.",
        "3. Optional: choose a role by hand in Override; it always wins over rolecell.",
        "4. Optional: on the Rules sheet, add your own words and which role they lean to.",
        "5. Optional: adjust the staffing assumptions on the Assumptions sheet.",
        "6. Run: rolecell report THIS-FILE.xlsx -o report.xlsx (or Classify / Report in Excel).",
    ]
    sheet.section(4, "How to fill it in", "C")
    for i, text in enumerate(steps):
        put(f"A{5 + i}", text, "label")
    row = 5 + len(steps) + 1
    sheet.section(row, "The columns of the Register", "C")
    for i, text in enumerate(["Column", "What to enter", "Required"]):
        put(f"{column_letter(i + 1)}{row + 1}", text, "header")
    for i, column in enumerate(REGISTER_COLUMNS):
        meaning, required = _COLUMN_HELP[column.header]
        put(f"A{row + 2 + i}", column.header, "label_bold")
        put(f"B{row + 2 + i}", meaning, "label")
        put(f"C{row + 2 + i}", required, "label")
    row += 2 + len(REGISTER_COLUMNS) + 1
    sheet.section(row, "Formulas and commands", "C")
    items = [
        ("=ROLE(B2:B500)", "Excel (rolecell add-in): the role of each responsibility; spills."),
        ("=ROLE_CONFIDENCE(...), =ROLE_WHY(...)", "Excel: the confidence and the evidence."),
        ("=ROLE_SCORES(...), =ROLE_DIMENSIONS()", "Excel: scores per dimension; the five "
                                                  "dimensions."),
        ("=ROLE_STAFFING(roles, hours)", "Excel: a staffing summary over a range."),
        ("rolecell classify FILE", "Adds Role, Confidence and Why to the register."),
        ("rolecell report FILE -o OUT.xlsx", "Writes the Register, Comparison and Staffing "
                                             "sheets, every staffing number a live formula."),
        ("rolecell new [PATH]", "Writes this template."),
        ("rolecell demo", "The report for a sample organisation."),
    ]
    for i, (what, meaning) in enumerate(items):
        put(f"A{row + 1 + i}", what, "label_bold")
        put(f"B{row + 1 + i}", meaning, "label")
    row += 1 + len(items) + 1
    roles = [("Operations", "ongoing work in existing processes and structures"),
             ("Project", "temporary work with its own goal, deadline and budget"),
             ("Shared", "strong evidence for both roles"),
             ("Unclear", "too little evidence: decide with an Override")]
    for i, (role, meaning) in enumerate(roles):
        put(f"A{row + i}", role, f"role_{role.lower()}")
        put(f"B{row + i}", meaning, "label")
    row += len(roles) - 1
    sheet.widths.update({"A": 44, "B": 84, "C": 16})
    sheet.page = Page(landscape=True, fit_width=1, fit_height=1, print_area=f"A1:C{row}")
    return sheet


# ------------------------------------------------------------------ whole workbooks


def report_layout(register: Register, classifications: Sequence[Classification],
                  assumptions: StaffingAssumptions | None = None) -> WorkbookLayout:
    """The report: Register (classified), Comparison, Staffing and Rules."""
    a = assumptions or StaffingAssumptions()
    headers = _register_headers(register)
    names: dict[str, str] = {}
    sheets = [
        register_sheet(register, classifications),
        comparison_sheet(register, classifications, headers),
        staffing_sheet(headers, a, names),
        rules_sheet(register.rules),
    ]
    ordered = {n: names[n] for n, _ in ASSUMPTION_NAMES + RESULT_NAMES}
    return WorkbookLayout(sheets=sheets, names=ordered, active="Staffing")


def template_layout(assumptions: StaffingAssumptions | None = None) -> WorkbookLayout:
    """The register template: Instructions, an empty Register table, Rules, Assumptions."""
    a = assumptions or StaffingAssumptions()
    names: dict[str, str] = {}
    empty = Register(rows=[])
    sheets = [instructions_sheet(), register_sheet(empty, [], min_rows=1), rules_sheet(()),
              assumptions_sheet(a, names)]
    ordered = {n: names[n] for n, _ in ASSUMPTION_NAMES}
    return WorkbookLayout(sheets=sheets, names=ordered, active="Instructions")

