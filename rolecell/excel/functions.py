"""rolecell's Excel formulas: =ROLE(B2), =ROLE(B2:B10001) and the ROLE_... family.

One definition per formula, with xlwings' decorators, which pick the runtime at import time:
the classic Windows add-in (UDF Modules: rolecell.excel.functions), xlwings Lite (Pyodide)
and xlwings Server (`rolecell serve`). Only the standard library, xlwings and the rolecell core
are imported here.

Every formula takes one cell or a whole range and returns a range of the same shape, which
spills. The rules, for every formula:

- an empty cell gives an empty result;
- an Excel error (#N/A, #VALUE! ...) in a cell gives the same error in the result;
- a number or TRUE/FALSE where text is expected is read as its text;
- a bad start, end or hours cell gives a "rolecell: ..." message in that result cell;
- a bad argument as a whole (mismatched sizes, a bad rules table) gives one "rolecell: ..."
  message; never a Python traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xlwings import arg, func

from rolecell import knowledge
from rolecell.classify import normalise_rules
from rolecell.excel._values import (
    ArgumentError,
    Grid,
    as_date,
    as_hours,
    as_text,
    broadcast,
    classify_cached,
    error_text,
    fit,
    grid,
    is_blank,
    is_error,
    message,
    rules_from_rows,
)
from rolecell.model import (
    DIMENSIONS,
    Classification,
    Register,
    Responsibility,
    Role,
    StaffingAssumptions,
    StaffingPlan,
)
from rolecell.staffing import check_assumptions, plan_staffing

__all__ = [
    "role",
    "role_confidence",
    "role_why",
    "role_scores",
    "role_staffing",
    "role_dimensions",
]

_TEXT = ("The responsibility: one cell, or a column of them (the result spills, one row per "
         "cell).")
_START = ("Optional. Start date of the work: one cell for all, or a range the size of text. "
          "Dated, bounded work leans Project.")
_END = "Optional. End date or deadline: one cell for all, or a range the size of text."
_HOURS = ("Optional. Hours per week: checked (0 to 168) but not evidence of the role; "
          "one cell or a range the size of text.")
_RULES = ("Optional. Your own cues: a range with Phrase, Leans to (Operations/Project) and "
          "optionally Weight and Dimension, such as the Rules sheet.")
_OPTIONS = {"ndim": 2, "err_to_str": True}


def _guard(compute: Callable[[], Grid]) -> Grid:
    """Run a formula: a bad argument becomes a readable message, never a traceback."""
    try:
        return compute()
    except ArgumentError as error:
        return [[message(str(error))]]
    except Exception as error:  # a bug of ours: still a message in the cell, not a crash
        return [[message(f"unexpected problem ({type(error).__name__}: {error}); "
                         "please report it")]]


def _rules(rules: Any) -> tuple:
    if rules is None:
        return ()
    try:
        return normalise_rules(rules_from_rows(grid(rules)))
    except ValueError as error:
        raise ArgumentError(str(error)) from None


Verdict = Classification | str  # a classification, or what to show instead ("", "#N/A", message)


def _verdicts(text: Any, start: Any, end: Any, hours: Any, rules: Any) -> list[list[Verdict]]:
    """Classify every cell of `text`; blanks, errors and bad rows stay as what to show."""
    cells = grid(text)
    rows, cols = len(cells), len(cells[0])
    starts = broadcast("start", start, rows, cols)
    ends = broadcast("end", end, rows, cols)
    hours_cells = broadcast("hours", hours, rows, cols)
    rule_set = _rules(rules)
    out: list[list[Verdict]] = [[""] * cols for _ in range(rows)]
    keys, places = [], []
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            if is_error(value):
                out[r][c] = error_text(value)
                continue
            if is_blank(value):
                continue
            extra = (starts[r][c], ends[r][c], hours_cells[r][c])
            bad = next((v for v in extra if is_error(v)), None)
            if bad is not None:
                out[r][c] = error_text(bad)
                continue
            try:
                begin, finish = as_date("start", extra[0]), as_date("end", extra[1])
                as_hours("hours", extra[2])
                if begin and finish and finish < begin:
                    raise ArgumentError(f"end {finish.isoformat()} is before start "
                                        f"{begin.isoformat()}")
            except ArgumentError as error:
                out[r][c] = message(str(error))
                continue
            keys.append((as_text(value), begin, finish))
            places.append((r, c))
    for (r, c), result in zip(places, classify_cached(keys, rule_set), strict=True):
        out[r][c] = result
    return out


def _each(verdicts: list[list[Verdict]], value: Callable[[Classification], Any]) -> Grid:
    return [[value(v) if isinstance(v, Classification) else v for v in row] for row in verdicts]


@func
@arg("text", doc=_TEXT, **_OPTIONS)
@arg("start", doc=_START, **_OPTIONS)
@arg("end", doc=_END, **_OPTIONS)
@arg("hours", doc=_HOURS, **_OPTIONS)
@arg("rules", doc=_RULES, **_OPTIONS)
def role(text: Any, start: Any = None, end: Any = None, hours: Any = None,
         rules: Any = None) -> list[list[Any]]:
    """Who should own this work: Operations, Project, Shared or Unclear. Give one cell or a
    whole column; the result spills."""
    return _guard(lambda: _each(_verdicts(text, start, end, hours, rules),
                                lambda c: str(c.role)))


@func
@arg("text", doc=_TEXT, **_OPTIONS)
@arg("start", doc=_START, **_OPTIONS)
@arg("end", doc=_END, **_OPTIONS)
@arg("rules", doc=_RULES, **_OPTIONS)
def role_confidence(text: Any, start: Any = None, end: Any = None,
                    rules: Any = None) -> list[list[Any]]:
    """How sure rolecell is of ROLE, from 0 (no evidence) to 1. One cell or a whole column;
    the result spills."""
    return _guard(lambda: _each(_verdicts(text, start, end, None, rules),
                                lambda c: c.confidence))


@func
@arg("text", doc=_TEXT, **_OPTIONS)
@arg("start", doc=_START, **_OPTIONS)
@arg("end", doc=_END, **_OPTIONS)
@arg("rules", doc=_RULES, **_OPTIONS)
def role_why(text: Any, start: Any = None, end: Any = None, rules: Any = None
             ) -> list[list[Any]]:
    """Why ROLE decided as it did: the evidence it found, by dimension, in one line. One cell
    or a whole column; the result spills."""
    return _guard(lambda: _each(_verdicts(text, start, end, None, rules),
                                lambda c: fit(c.rationale)))


def _dimension_names() -> list[str]:
    return [d.name for d in knowledge.dimensions()]


def _scores(text: Any, start: Any, end: Any, header: Any, rules: Any) -> Grid:
    cells = grid(text)
    rows, cols = len(cells), len(cells[0])
    if rows > 1 and cols > 1:
        raise ArgumentError(f"ROLE_SCORES takes one cell, one column or one row of text, "
                            f"not {rows:,} rows × {cols} columns (it returns a row per cell)")
    show_header = _flag("header", header, default=False)
    verdicts = _verdicts(text, start, end, None, rules)
    flat = [v for row in verdicts for v in row]
    width = len(DIMENSIONS)
    out: Grid = [_dimension_names()] if show_header else []
    for verdict in flat:
        if isinstance(verdict, Classification):
            out.append([verdict.scores[key] for key in DIMENSIONS])
        elif verdict == "" or is_error(verdict):
            out.append([verdict] * width)
        else:  # a message: once, the rest of the row empty
            out.append([verdict] + [""] * (width - 1))
    return out


def _flag(name: str, value: Any, default: bool) -> bool:
    value = grid(value)[0][0] if isinstance(value, list) else value
    if is_blank(value):
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise ArgumentError(f"{name} must be TRUE or FALSE, not {value!r}")


@func
@arg("text", doc=_TEXT, **_OPTIONS)
@arg("start", doc=_START, **_OPTIONS)
@arg("end", doc=_END, **_OPTIONS)
@arg("header", doc="Optional. TRUE to put the dimension names above the scores "
                   "(default FALSE).")
@arg("rules", doc=_RULES, **_OPTIONS)
def role_scores(text: Any, start: Any = None, end: Any = None, header: Any = False,
                rules: Any = None) -> list[list[Any]]:
    """The five dimension scores (Horizon, Change, Structure, Objective, Way of working), from
    -1 (operations) to +1 (project): a row per responsibility, which spills."""
    return _guard(lambda: _scores(text, start, end, header, rules))


@func
@arg("header", doc="Optional. TRUE (default) to put column headings above the table.")
def role_dimensions(header: Any = True) -> list[list[Any]]:
    """The five dimensions that separate an operations manager from a project manager, as a
    reference table that spills: dimension, operations manager, project manager."""

    def table() -> Grid:
        rows: Grid = [["Dimension", "Operations manager", "Project manager"]] \
            if _flag("header", header, default=True) else []
        rows += [[d.name, d.operations, d.project] for d in knowledge.dimensions()]
        return rows

    return _guard(table)


# ------------------------------------------------------------------ staffing

_ASSUMPTION_NAMES = {
    "hours_per_fte": ("hours per fte", "hours per week per fte", "fte hours", "hours per person"),
    "productive_share": ("productive share", "productive", "productivity", "utilisation",
                         "utilization"),
    "shared_to_operations": ("shared to operations", "shared work to operations",
                             "share of shared work to operations", "shared split",
                             "shared to ops"),
    "rounding_tolerance": ("rounding tolerance", "tolerance"),
    "cost_operations": ("cost operations", "cost per operations manager", "cost operations manager",
                        "operations manager cost", "cost ops"),
    "cost_project": ("cost project", "cost per project manager", "cost project manager",
                     "project manager cost", "cost pm"),
    "plan_start": ("plan start", "planning start", "start of plan"),
    "plan_months": ("plan months", "planning horizon", "months", "horizon (months)",
                    "planning horizon (months)"),
}
_ASSUMPTION_LOOKUP = {name: field for field, names in _ASSUMPTION_NAMES.items()
                      for name in (*names, field.replace("_", " "))}


def _assumption_key(label: Any) -> str | None:
    text = " ".join(str(label or "").strip().lower().replace("_", " ").rstrip(":").split())
    for candidate in (text, text.split(" (")[0]):
        if candidate in _ASSUMPTION_LOOKUP:
            return _ASSUMPTION_LOOKUP[candidate]
    return None


def assumptions_from_rows(rows: Grid) -> StaffingAssumptions:
    """Staffing assumptions from a two-column range of label and value (blank rows skipped)."""
    values: dict[str, Any] = {}
    defaults = StaffingAssumptions()
    for number, row in enumerate(rows, start=1):
        if all(is_blank(v) for v in row):
            continue
        if len(row) < 2:
            raise ArgumentError("assumptions must be two columns: a label and a value")
        label, value = row[0], row[1]
        key = _assumption_key(label)
        if key is None:
            known = ", ".join(n.replace("_", " ") for n in _ASSUMPTION_NAMES)
            raise ArgumentError(f"assumptions row {number}: {as_text(label)!r} is not one of: "
                                f"{known}")
        if is_error(value):
            raise ArgumentError(f"assumptions row {number} ({as_text(label)}) holds "
                                f"{error_text(value)}")
        if is_blank(value):
            continue
        current = getattr(defaults, key)
        try:
            if key == "plan_start":
                parsed = as_date(as_text(label), value)
            elif isinstance(current, int):
                parsed = int(float(value))
            else:
                text = str(value).strip().rstrip("%") if isinstance(value, str) else value
                parsed = float(text)
                if isinstance(value, str) and value.strip().endswith("%"):
                    parsed /= 100
        except (TypeError, ValueError):
            raise ArgumentError(f"assumptions row {number}: {as_text(label)} "
                                f"{value!r} is not a number") from None
        values[key] = parsed
    result = StaffingAssumptions(**{**_as_dict(defaults), **values})
    _check_assumptions(result)
    return result


def _as_dict(assumptions: StaffingAssumptions) -> dict[str, Any]:
    return {name: getattr(assumptions, name) for name in StaffingAssumptions.__slots__}


def _check_assumptions(assumptions: StaffingAssumptions) -> None:
    try:
        check_assumptions(assumptions)
    except ValueError as error:
        raise ArgumentError(f"assumptions: {error}") from None


def _staffing(roles: Any, hours: Any, assumptions: Any, start: Any, end: Any) -> Grid:
    role_cells = grid(roles)
    rows, cols = len(role_cells), len(role_cells[0])
    if hours is None:
        raise ArgumentError("give the hours per week of each row (the hours argument)")
    hour_cells = broadcast("hours", hours, rows, cols)
    starts = broadcast("start", start, rows, cols)
    ends = broadcast("end", end, rows, cols)
    register_rows: list[Responsibility] = []
    chosen: list[Role] = []
    for r in range(rows):
        for c in range(cols):
            value = role_cells[r][c]
            where = f"row {r + 1}" + (f", column {c + 1}" if cols > 1 else "")
            cells = (value, hour_cells[r][c], starts[r][c], ends[r][c])
            bad = next((v for v in cells if is_error(v)), None)
            if bad is not None:
                raise ArgumentError(f"{where} holds the error {error_text(bad)}")
            try:
                effort = as_hours("hours", cells[1])
                begin, finish = as_date("start", cells[2]), as_date("end", cells[3])
            except ArgumentError as error:
                raise ArgumentError(f"{where}: {error}") from None
            if is_blank(value):
                if effort:
                    raise ArgumentError(f"{where}: {effort:g} hours but no role")
                continue
            parsed = Role.parse(value)
            if parsed is None:
                raise ArgumentError(f"{where}: {as_text(value)[:40]!r} is not a role "
                                    "(Operations, Project, Shared or Unclear)")
            register_rows.append(Responsibility(text="", hours=effort, start=begin, end=finish))
            chosen.append(parsed)
    settings = assumptions_from_rows(grid(assumptions)) if assumptions is not None \
        else StaffingAssumptions()
    plan = plan_staffing(Register(rows=register_rows), settings, roles=chosen)
    return staffing_table(plan, settings, unclear_rows=sum(r is Role.UNCLEAR for r in chosen))


def staffing_table(plan: StaffingPlan, a: StaffingAssumptions, unclear_rows: int = 0) -> Grid:
    """The headline numbers of a staffing plan, as the table ROLE_STAFFING spills."""
    share = a.shared_to_operations
    ops_hours = plan.hours_operations + share * plan.hours_shared
    project_hours = plan.hours_project + (1 - share) * plan.hours_shared
    ops_cost = plan.headcount_operations * a.cost_operations
    project_cost = plan.headcount_project * a.cost_project
    return [
        ["", "Hours per week", "FTE", "Headcount", "Cost per year"],
        ["Operations manager", round(ops_hours, 2), round(plan.fte_operations, 2),
         plan.headcount_operations, ops_cost],
        ["Project manager (at peak)", round(project_hours, 2), round(plan.peak_fte_project, 2),
         plan.headcount_project, project_cost],
        ["Shared (split above)", round(plan.hours_shared, 2), "", "", ""],
        ["Unclear (not staffed)", round(plan.hours_unclear, 2), "", "", ""],
        ["Total", round(ops_hours + project_hours + plan.hours_unclear, 2),
         round(plan.fte_operations + plan.peak_fte_project, 2),
         plan.headcount_operations + plan.headcount_project, plan.cost_total],
        ["Recommendation", _recommendation(plan, unclear_rows), "", "", ""],
    ]


def _people(count: int, role: str) -> str:
    return f"{count} {role}{'s' if count != 1 else ''}"


def _recommendation(plan: StaffingPlan, unclear_rows: int) -> str:
    text = (f"Staff {_people(plan.headcount_operations, 'operations manager')} and "
            f"{_people(plan.headcount_project, 'project manager')}")
    if plan.months and plan.peak_fte_project > 0:
        peak = plan.months[list(plan.monthly_fte_project).index(plan.peak_fte_project)]
        text += f" (project load peaks at {plan.peak_fte_project:.1f} FTE in {peak:%b %Y})"
    text += "."
    if plan.hours_unclear:
        text += (f" {plan.hours_unclear:g} hours a week ({unclear_rows} row"
                 f"{'s' if unclear_rows != 1 else ''}) are Unclear and not staffed: decide "
                 "them with an Override.")
    return text


@func
@arg("roles", doc="The roles: a column such as the Role column, or =ROLE(...) results "
                  "(Operations, Project, Shared, Unclear).", **_OPTIONS)
@arg("hours", doc="Hours per week of each row: a range the size of roles.", **_OPTIONS)
@arg("assumptions", doc="Optional. Two columns of label and value: Hours per FTE, Productive "
                        "share, Shared to operations, Rounding tolerance, Cost operations, "
                        "Cost project.", **_OPTIONS)
@arg("start", doc="Optional. Start date of each row: project headcount follows the busiest "
                  "month, so dated work counts only while it runs.", **_OPTIONS)
@arg("end", doc="Optional. End date of each row: a range the size of roles.", **_OPTIONS)
def role_staffing(roles: Any, hours: Any = None, assumptions: Any = None, start: Any = None,
                  end: Any = None) -> list[list[Any]]:
    """A staffing summary: hours, FTE, headcount and cost per role and a one-line
    recommendation, as a table that spills (the same plan as the Staffing sheet)."""
    return _guard(lambda: _staffing(roles, hours, assumptions, start, end))


def _tidy_help() -> None:
    """Excel shows the docstring as one line of help (at most 255 characters on Windows)."""
    for function in (role, role_confidence, role_why, role_scores, role_dimensions,
                     role_staffing):
        info = getattr(function, "__xlfunc__", None)
        if info is not None:
            info["ret"]["doc"] = " ".join((function.__doc__ or "").split())[:255]


_tidy_help()
