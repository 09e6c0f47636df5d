"""LibreOffice opens every generated workbook, recalculates it, and agrees with plan_staffing.

All workbooks are converted in one soffice call (a fresh profile that recalculates on load);
the calculated values are read back with openpyxl.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import libreoffice
import openpyxl
import pytest
from test_sheets import SAMPLE, tricky_rows, write_csv

from rolecell.layout import ASSUMPTION_NAMES, RESULT_NAMES
from rolecell.model import Role, StaffingAssumptions
from rolecell.register import read_register
from rolecell.sheets import write_report, write_template
from rolecell.staffing import plan_staffing

pytestmark = pytest.mark.skipif(libreoffice.soffice() is None,
                                reason="LibreOffice (soffice) is not installed; CI installs "
                                       "libreoffice-calc-nogui")

CHANGED = StaffingAssumptions(hours_per_fte=40, productive_share=0.8, shared_to_operations=0.25,
                              rounding_tolerance=0.3, cost_operations=70000, cost_project=90000,
                              plan_start=dt.date(2027, 3, 15), plan_months=9)
TRICKY = StaffingAssumptions(plan_start=dt.date(2027, 1, 31), plan_months=14)


def _set_assumptions(path: Path, a: StaffingAssumptions) -> None:
    """Edit the assumption cells of a workbook as a user would (by their defined names)."""
    workbook = openpyxl.load_workbook(path)
    for name, attr in ASSUMPTION_NAMES:
        (sheet, ref), = workbook.defined_names[name].destinations
        workbook[sheet][ref.replace("$", "")] = getattr(a, attr)
    workbook.save(path)


def _set_override(path: Path, row_id: str, role: str) -> None:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Register"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == row_id:
            row[7].value = role
    workbook.save(path)


@pytest.fixture(scope="module")
def calculated(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    """name -> (recalculated workbook, expected plan or assumptions)."""
    work = tmp_path_factory.mktemp("lo")
    sample = read_register(SAMPLE)
    tricky_csv = write_csv(work / "tricky-in.csv", tricky_rows())
    tricky = read_register(tricky_csv)
    files: dict[str, tuple[Path, object]] = {}
    files["demo"] = (write_report(sample, work / "demo.xlsx"), plan_staffing(sample))
    files["tricky"] = (write_report(tricky, work / "tricky.xlsx", TRICKY),
                       plan_staffing(tricky, TRICKY))
    files["template"] = (write_template(work / "template.xlsx"), StaffingAssumptions())
    changed = write_report(sample, work / "demo-changed.xlsx")
    _set_assumptions(changed, CHANGED)
    files["demo-changed"] = (changed, plan_staffing(sample, CHANGED))
    edited = write_report(tricky, work / "tricky-changed.xlsx", TRICKY)
    later = dataclasses.replace(TRICKY, plan_months=24, shared_to_operations=0.9)
    _set_assumptions(edited, later)
    _set_override(edited, "T1", "Project")  # a user re-decides a row in the Register
    tricky.rows[5].override = Role.PROJECT
    assert tricky.rows[5].id == "T1"
    files["tricky-changed"] = (edited, plan_staffing(tricky, later))
    outputs = libreoffice.recalculated([path for path, _ in files.values()], work / "out")
    return {name: (out, expected) for (name, (_, expected)), out
            in zip(files.items(), outputs, strict=True)}


@pytest.mark.parametrize("name", ["demo", "tricky", "template", "demo-changed",
                                  "tricky-changed"])
def test_no_cell_holds_an_error(calculated, name):
    path, _ = calculated[name]
    assert libreoffice.error_cells(path) == []


@pytest.mark.parametrize("name", ["demo", "tricky", "demo-changed", "tricky-changed"])
def test_named_results_equal_plan_staffing(calculated, name):
    path, plan = calculated[name]
    values = libreoffice.named_values(path, [n for n, _ in RESULT_NAMES])
    for result, attr in RESULT_NAMES:
        assert values[result] == pytest.approx(getattr(plan, attr), abs=0.01), result


def _monthly(path: Path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path, data_only=True)["Staffing"]
    rows = list(sheet.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] == "Month")
    return [r for r in rows[top + 1:] if isinstance(r[0], dt.datetime)]


@pytest.mark.parametrize("name", ["demo", "tricky", "demo-changed", "tricky-changed"])
def test_monthly_load_equals_plan_staffing(calculated, name):
    path, plan = calculated[name]
    months = _monthly(path)
    assert [m[0].date() for m in months] == list(plan.months)
    assert [m[5] for m in months] == pytest.approx(list(plan.monthly_fte_operations), abs=0.01)
    assert [m[6] for m in months] == pytest.approx(list(plan.monthly_fte_project), abs=0.01)


def test_assumptions_are_named_cells(calculated):
    for name in ("template", "demo-changed"):
        path, expected = calculated[name]
        a = expected if name == "template" else CHANGED
        values = libreoffice.named_values(path, [n for n, _ in ASSUMPTION_NAMES])
        for assumption, attr in ASSUMPTION_NAMES:
            value = values[assumption]
            value = value.date() if isinstance(value, dt.datetime) else value
            assert value == pytest.approx(getattr(a, attr)), assumption


def test_comparison_and_recommendation_are_calculated(calculated):
    path, plan = calculated["demo"]
    workbook = openpyxl.load_workbook(path, data_only=True)
    rows = list(workbook["Comparison"].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[:3] == ("Role", "Responsibilities",
                                                          "Hours per week"))
    hours = {r[0]: r[2] for r in rows[top + 1:top + 5]}
    assert hours == pytest.approx({"Operations": plan.hours_operations,
                                   "Project": plan.hours_project,
                                   "Shared": plan.hours_shared,
                                   "Unclear": plan.hours_unclear})
    area_top = next(i for i, r in enumerate(rows) if r[0] == "Area")
    area_total = sum(r[5] for r in rows[area_top + 1:] if r[0] and isinstance(r[5], float | int))
    assert area_total == pytest.approx(sum(hours.values()))
    text = [r[0] for r in workbook["Staffing"].iter_rows(values_only=True)
            if isinstance(r[0], str) and r[0].startswith("Hire ")]
    assert text[0].startswith(f"Hire {plan.headcount_operations} operations manager")
    assert text[1].startswith(f"Hire {plan.headcount_project} project manager")
