"""The openpyxl rendering: report, template, user text as text, determinism, the CLI."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import rolecell
from rolecell.cli import app
from rolecell.model import Role, Rule, Side, StaffingAssumptions
from rolecell.register import read_register
from rolecell.sheets import read_assumptions, report_names, write_report, write_template
from rolecell.staffing import effective_classifications

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "workbooks" / "sample-register.csv"
TEMPLATE = ROOT / "templates" / "responsibility-register.xlsx"
INJECTIONS = ['=HYPERLINK("http://x.example","click")', "=cmd|' /C calc'!A0", "+1+1", "-2+3",
              "@SUM(A1:A2)"]
HEADERS = ["ID", "Responsibility", "Area", "Hours per week", "Start", "End", "Owner",
           "Override"]


def tricky_rows() -> list[list[object]]:
    """Rows that exercise the formulas: injections, blanks, open-ended dates, overrides,
    wildcard and case variants of areas, work outside the horizon."""
    rows: list[list[object]] = [
        [f"X{i}", text, text, 2 + i, None, None, text, None]
        for i, text in enumerate(INJECTIONS)]
    rows += [
        ["T1", "Replenish pick faces from reserve racking every morning", "Warehouse", 24,
         None, None, "Tom", None],
        ["T2", "Daily route planning for the delivery fleet", "warehouse", 12, None, None,
         "", "Project"],
        ["T3", "Set up the new WMS and train the pickers before go-live", "IT*", 20,
         dt.date(2027, 2, 1), dt.date(2027, 7, 30), "Ines", None],
        ["T4", "Migrate the finance ledger to the ERP module", "Fin?ance", 15,
         dt.date(2027, 5, 15), None, "", None],
        ["T5", "Refurbish cold store two by the end of March", "Facilities", 9, None,
         dt.date(2027, 3, 31), "", None],
        ["T6", "Plan the second depot opening", "Facilities", 30, dt.date(2029, 1, 1),
         dt.date(2029, 6, 30), "", "Project"],
        ["T7", "Monthly budget review with the board and ad-hoc change requests", "Finance",
         None, None, None, "", "Shared"],
        ["T8", "Something vague", "", 4, None, None, "", None],
        ["T9", "Keep the customer helpdesk running", "Customer ~ Service", 7.5, None, None,
         "", "Unclear"],
        ["T10", "Launch the webshop for trade customers by September", "IT", 10,
         dt.date(2027, 1, 15), dt.date(2027, 9, 1), "", "Shared"],
    ]
    return rows


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date)
                                                   else v) for v in row])
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from rolecell._xlsx import as_text_cell

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "My register"
    for c, header in enumerate(HEADERS, start=1):
        sheet.cell(1, c, header)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            as_text_cell(sheet.cell(r, c), value)
    workbook.save(path)
    return path


def cells(path: Path) -> dict[str, list[tuple]]:
    """Every cell's coordinate, value and type, per sheet (formulas as their text)."""
    workbook = openpyxl.load_workbook(path)
    return {ws.title: [(c.coordinate, c.value, c.data_type) for row in ws.iter_rows()
                       for c in row if c.value is not None]
            for ws in workbook.worksheets}


def assert_injections_are_text(path: Path, must_find: bool = True) -> None:
    found = set()
    for sheet, items in cells(path).items():
        for coordinate, value, kind in items:
            if kind == "f":
                assert not any(i in str(value) for i in INJECTIONS), (sheet, coordinate)
            if value in INJECTIONS:
                assert kind == "s", (sheet, coordinate, value, kind)
                found.add(value)
    if must_find:
        assert found == set(INJECTIONS)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return write_report(read_register(SAMPLE), tmp_path_factory.mktemp("demo") / "demo.xlsx")


def test_report_sheets_names_and_formulas(demo):
    workbook = openpyxl.load_workbook(demo)
    assert workbook.sheetnames == ["Register", "Comparison", "Staffing", "Rules"]
    assert list(workbook.defined_names) == report_names()
    staffing = workbook["Staffing"]
    (sheet, ref), = workbook.defined_names["HeadcountProject"].destinations
    assert sheet == "Staffing" and str(staffing[ref.replace("$", "")].value).startswith("=IF(")
    register = workbook["Register"]
    assert [c.value for c in register[1]] == [
        "ID", "Responsibility", "Area", "Hours per week", "Start", "End", "Owner", "Override",
        "Role", "Confidence", "Why"]
    assert "RegisterTable" in register.tables
    assert register.freeze_panes == "C2"
    overridden = [r for r in register.iter_rows(min_row=2, values_only=True) if r[7]]
    assert overridden and all(r[8] == r[7] and r[10].startswith("override by hand")
                              for r in overridden)


def test_report_round_trips_through_the_reader(demo):
    again = read_register(demo)
    original = read_register(SAMPLE)
    assert [r.text for r in again] == [r.text for r in original]
    assert rolecell.plan_staffing(again) == rolecell.plan_staffing(original)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_user_text_is_text_in_every_output(tmp_path, kind):
    rows = tricky_rows()
    source = write_csv(tmp_path / "in.csv", rows) if kind == "csv" else \
        write_xlsx(tmp_path / "in.xlsx", rows)
    register = read_register(source)
    assert [r.text for r in register][:5] == INJECTIONS
    report = write_report(register, tmp_path / "report.xlsx")
    assert_injections_are_text(report)
    runner = CliRunner()
    result = runner.invoke(app, ["classify", str(source), "-o", str(tmp_path / "c.xlsx")])
    assert result.exit_code == 0, result.output
    assert_injections_are_text(tmp_path / "c.xlsx")
    result = runner.invoke(app, ["report", str(source), "-o", str(tmp_path / "r.xlsx"), "-q"])
    assert result.exit_code == 0, result.output
    assert_injections_are_text(tmp_path / "r.xlsx")


def test_same_input_same_cells(tmp_path):
    register = read_register(write_csv(tmp_path / "in.csv", tricky_rows()))
    first = write_report(register, tmp_path / "a.xlsx")
    second = write_report(read_register(tmp_path / "in.csv"), tmp_path / "b.xlsx")
    assert cells(first) == cells(second)
    assert cells(write_template(tmp_path / "t1.xlsx")) == \
        cells(write_template(tmp_path / "t2.xlsx"))


def test_template_and_its_rules_are_honoured(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Instructions", "Register", "Rules", "Assumptions"]
    assert list(workbook.defined_names) == report_names()[:8]
    assert "RegisterTable" in workbook["Register"].tables
    assert "RulesTable" in workbook["Rules"].tables
    assert len(workbook["Register"].data_validations.dataValidation) >= 3
    assert workbook["Register"].conditional_formatting
    assert read_assumptions(path) == StaffingAssumptions()
    assert len(read_register(path)) == 0
    # a user fills it in: one row, a rule of their own, a changed assumption
    register, rules = workbook["Register"], workbook["Rules"]
    for c, value in enumerate(["", "Hypercare for the zebra rollout", "IT", 6], start=1):
        register.cell(2, c, value or None)
    for c, value in enumerate(["zebra", "Project", 3, "change"], start=1):
        rules.cell(2, c, value)
    (sheet, ref), = workbook.defined_names["PlanMonths"].destinations
    workbook[sheet][ref.replace("$", "")] = 18
    workbook.save(path)
    filled = read_register(path)
    assert filled.rules == (Rule("zebra", Side.PROJECT, 3.0, "change"),)
    result, = effective_classifications(filled)
    assert result.role is Role.PROJECT
    assert "zebra" in result.rationale
    assert read_assumptions(path).plan_months == 18


def test_committed_template_is_up_to_date(tmp_path):
    assert TEMPLATE.exists(), "run: rolecell new templates/responsibility-register.xlsx"
    assert cells(TEMPLATE) == cells(write_template(tmp_path / "fresh.xlsx"))


def test_cli_new_report_demo(tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "responsibility-register.xlsx").exists()
    assert runner.invoke(app, ["new"]).exit_code == 2  # never overwrites silently
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Staffing plan" in result.output
    assert openpyxl.load_workbook(tmp_path / "rolecell-demo.xlsx").sheetnames[2] == "Staffing"
    result = runner.invoke(app, ["report", str(SAMPLE), "-o", "r.xlsx", "--set",
                                 "PlanMonths=18", "--set", "ProductiveShare=80%"])
    assert result.exit_code == 0, result.output
    assert read_assumptions(tmp_path / "r.xlsx") == StaffingAssumptions(
        plan_months=18, productive_share=0.8)
    bad = runner.invoke(app, ["report", str(SAMPLE), "--set", "PlanMonths=500"])
    assert bad.exit_code == 2 and "plan_months" in bad.output
    bad = runner.invoke(app, ["report", str(SAMPLE), "--set", "Nope=1"])
    assert bad.exit_code == 2
    source = tmp_path / "r.xlsx"
    assert runner.invoke(app, ["report", str(source), "-o", str(source)]).exit_code == 2
