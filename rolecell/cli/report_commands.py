"""Commands that write workbooks for a leadership team: new (template), report, demo."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from rolecell.cli import app, console, user_errors
from rolecell.cli.core_commands import sample_path, summary_table
from rolecell.layout import ASSUMPTION_NAMES
from rolecell.model import Register, StaffingAssumptions, StaffingPlan
from rolecell.register import RegisterError, default_output_path, read_register
from rolecell.sheets import read_assumptions, write_report, write_template
from rolecell.staffing import effective_classifications, plan_staffing

DEFAULT_TEMPLATE = "responsibility-register.xlsx"
_FIELDS = dict(ASSUMPTION_NAMES)


def _with_settings(base: StaffingAssumptions, settings: list[str] | None) -> StaffingAssumptions:
    """Apply --set NAME=VALUE options (names as in the workbook: PlanMonths=18)."""
    changes: dict[str, object] = {}
    lower = {name.lower(): attr for name, attr in ASSUMPTION_NAMES}
    for item in settings or []:
        name, _, value = item.partition("=")
        attr = lower.get(name.strip().lower())
        if attr is None or not value.strip():
            raise RegisterError(f"--set {item!r}: use NAME=VALUE with NAME one of "
                                f"{', '.join(_FIELDS)}")
        try:
            if attr == "plan_start":
                changes[attr] = dt.date.fromisoformat(value.strip())
            elif attr == "plan_months":
                changes[attr] = int(value)
            else:
                text = value.strip()
                changes[attr] = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            raise RegisterError(f"--set {item!r}: {value!r} is not a valid value") from None
    return dataclasses.replace(base, **changes)


def _checked(assumptions: StaffingAssumptions) -> StaffingAssumptions:
    from rolecell.staffing import check_assumptions

    try:
        check_assumptions(assumptions)
    except ValueError as error:
        raise RegisterError(f"staffing assumptions: {error}") from None
    return assumptions


def plan_table(plan: StaffingPlan) -> Table:
    """The headline numbers of the staffing plan."""
    table = Table(title="Staffing plan", title_justify="left")
    for name, justify in (("Role", "left"), ("Hours/week", "right"), ("FTE", "right"),
                          ("Peak monthly FTE", "right"), ("Hire", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    table.add_row("Operations manager", f"{plan.hours_operations:,.1f}",
                  f"{plan.fte_operations:.2f}", f"{plan.peak_fte_operations:.2f}",
                  str(plan.headcount_operations))
    table.add_row("Project manager", f"{plan.hours_project:,.1f}", f"{plan.fte_project:.2f}",
                  f"{plan.peak_fte_project:.2f}", str(plan.headcount_project))
    table.add_row("Shared (split)", f"{plan.hours_shared:,.1f}", "", "", "")
    table.add_row("Unclear (not staffed)", f"{plan.hours_unclear:,.1f}", "", "", "")
    table.caption = f"annual cost of the recommended team: {plan.cost_total:,.0f}"
    return table


def _report(register: Register, assumptions: StaffingAssumptions, target: Path,
            quiet: bool) -> Path:
    try:
        written = write_report(register, target, assumptions)
    except ValueError as error:
        raise RegisterError(str(error)) from None
    if not quiet:
        results = effective_classifications(register)
        for row, result in zip(register.rows, results, strict=True):
            row.classification = result
        console.print(summary_table(register))
        console.print(plan_table(plan_staffing(register, assumptions)))
        console.print(f"wrote [bold]{written}[/]", highlight=False)
    return written


@app.command()
@user_errors
def new(
    path: Annotated[Path, typer.Argument(help="Where to write the template.")
                    ] = Path(DEFAULT_TEMPLATE),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")
                     ] = False,
) -> None:
    """Write an empty responsibility register template to fill in (Instructions, Register,
    Rules, Assumptions)."""
    if path.suffix.lower() != ".xlsx":
        raise RegisterError(f"{path}: the template is an .xlsx workbook; name it *.xlsx")
    if path.exists() and not force:
        raise RegisterError(f"{path}: already exists; choose another name or use --force")
    written = write_template(path)
    console.print(f"wrote [bold]{written}[/]: fill in the Register sheet, then run "
                  f"rolecell report {written.name}", highlight=False)


@app.command()
@user_errors
def report(
    path: Annotated[Path, typer.Argument(help="The register: .xlsx, .xlsm or .csv.",
                                         show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Where to write (default: "
                                                     "NAME-report.xlsx beside the input).")
                      ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="The sheet that holds the "
                                              "register.")] = None,
    settings: Annotated[list[str] | None, typer.Option(
        "--set", help="A staffing assumption, NAME=VALUE (e.g. PlanMonths=18, "
                      "PlanStart=2027-04-01); repeatable. Default: the workbook's own "
                      "assumptions, else rolecell's.")] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print only errors.")] = False,
) -> None:
    """Write the report workbook: the Register classified, the Comparison and the Staffing
    plan, every staffing number a live formula."""
    register = read_register(path, sheet)
    try:
        found = read_assumptions(path)
    except ValueError as error:
        raise RegisterError(str(error)) from None
    assumptions = _checked(_with_settings(found or StaffingAssumptions(), settings))
    target = output or default_output_path(path, "report")
    if target.suffix.lower() != ".xlsx":
        raise RegisterError(f"{target}: the report is an .xlsx workbook; name it *.xlsx")
    if target.resolve() == path.resolve():
        raise RegisterError(f"{target}: refusing to overwrite the input")
    _report(register, assumptions, target, quiet)


@app.command()
@user_errors
def demo(
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Where to write the report.")] = None,
) -> None:
    """The report for the sample organisation (Larkfield Provisions), and its summary."""
    source = sample_path()
    register = read_register(source)
    target = output or Path.cwd() / "rolecell-demo.xlsx"
    console.print(f"[bold]rolecell demo[/]: the sample register of {len(register)} "
                  f"responsibilities ({source.name})", highlight=False)
    _report(register, StaffingAssumptions(), target, quiet=False)
