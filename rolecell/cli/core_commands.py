"""Commands on the core: classify a register, explain one statement."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

import rolecell
from rolecell import knowledge
from rolecell.classify import classify_register
from rolecell.cli import app, console, errors, user_errors
from rolecell.model import Register, Role
from rolecell.register import RegisterError, read_register, write_register

PROGRESS_THRESHOLD = 5_000
CHUNK = 2_000
SAMPLE_NAME = "sample-register.csv"


def sample_path() -> Path:
    """The sample organisation's register: inside the installed package, or in the checkout."""
    packaged = resources.files("rolecell").joinpath("_sample", SAMPLE_NAME)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "workbooks" / SAMPLE_NAME


def _classify_with_progress(register: Register, quiet: bool) -> None:
    if quiet or len(register) < PROGRESS_THRESHOLD:
        classify_register(register)
        return
    rows = register.rows
    columns = (TextColumn("classifying"), BarColumn(),
               TextColumn("{task.completed:,}/{task.total:,}"), TimeRemainingColumn())
    with Progress(*columns, console=errors, transient=True) as progress:
        task = progress.add_task("classify", total=len(rows))
        for begin in range(0, len(rows), CHUNK):
            chunk = Register(rows=rows[begin:begin + CHUNK], rules=register.rules)
            classify_register(chunk)
            progress.advance(task, len(chunk))


def summary_table(register: Register) -> Table:
    """Rows, hours and share of hours per role, overrides counted."""
    table = Table(title=f"{len(register):,} responsibilities", title_justify="left")
    table.add_column("Role")
    table.add_column("Rows", justify="right")
    table.add_column("Hours/week", justify="right")
    table.add_column("Share of hours", justify="right")
    total_hours = sum(row.hours or 0 for row in register) or 1.0
    for role in Role:
        rows = [row for row in register if row.role is role]
        hours = sum(row.hours or 0 for row in rows)
        table.add_row(str(role), f"{len(rows):,}", f"{hours:,.1f}", f"{hours / total_hours:.0%}")
    overrides = sum(1 for row in register if row.override)
    if overrides:
        table.caption = f"{overrides} row(s) set by hand (Override)"
    return table


@app.command()
@user_errors
def classify(
    path: Annotated[Path, typer.Argument(help="The register: .xlsx, .xlsm or .csv.",
                                         show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Where to write (default: "
                                                     "NAME-classified.xlsx beside the input).")
                      ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="The sheet that holds the "
                                              "register (default: Register, else the first "
                                              "with a Responsibility column).")] = None,
    in_place: Annotated[bool, typer.Option("--in-place", help="Write into the input itself, "
                                           "atomically, keeping a .bak copy.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print only errors.")] = False,
) -> None:
    """Add Role, Confidence and Why to every responsibility of a register."""
    if in_place and output:
        raise RegisterError("use either --in-place or -o/--output, not both")
    with errors.status("reading the register", spinner="dots") if not quiet else _nothing():
        register = read_register(path, sheet)
    _classify_with_progress(register, quiet)
    target = write_register(register, output, in_place=in_place)
    if not quiet:
        console.print(summary_table(register))
        backup = f" (backup: {target.stem}.bak{target.suffix})" if in_place else ""
        console.print(f"wrote [bold]{target}[/]{backup}", highlight=False)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


@app.command()
def explain(
    text: Annotated[str, typer.Argument(help="A responsibility, in quotes.", show_default=False)],
    start: Annotated[str | None, typer.Option(help="Start date, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="End date, YYYY-MM-DD.")] = None,
) -> None:
    """Show the role of one statement, its confidence and the evidence per dimension."""
    result = rolecell.classify(text, start=start, end=end)
    console.print(f"[bold]{result.role}[/]  confidence {result.confidence:.2f}", highlight=False)
    console.print(f"why: {result.rationale}", highlight=False, markup=False)
    table = Table(show_header=True)
    table.add_column("Dimension")
    table.add_column("Score", justify="right")
    table.add_column("Operations evidence")
    table.add_column("Project evidence")
    for dimension in knowledge.dimensions():
        items = [e for e in result.evidence if e.dimension == dimension.key]
        ops = ", ".join(f"{e.cue} ({e.weight:g})" for e in items if e.side.value == "operations")
        proj = ", ".join(f"{e.cue} ({e.weight:g})" for e in items if e.side.value == "project")
        table.add_row(dimension.name, f"{result.scores[dimension.key]:+.2f}", ops, proj)
    console.print(table)
    console.print("scores run from -1 (operations) to +1 (project)", style="dim")

