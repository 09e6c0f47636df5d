"""The staffing model: hours per role -> FTE -> headcount -> cost, and the monthly load."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys

import pytest

import rolecell
from rolecell.model import Register, Responsibility, Role, StaffingAssumptions, StaffingPlan
from rolecell.staffing import (
    MAX_PLAN_MONTHS,
    add_months,
    check_assumptions,
    headcount,
    month_windows,
    plan_staffing,
)

D = dt.date


def row(text: str, hours: float | None, override: Role | None = None,
        start: dt.date | None = None, end: dt.date | None = None) -> Responsibility:
    return Responsibility(text=text, hours=hours, override=override, start=start, end=end)


@pytest.mark.parametrize(("fte", "tolerance", "expected"), [
    (0.0, 0.15, 0), (0.1, 0.15, 0), (0.16, 0.15, 1), (2.0, 0.15, 2), (2.1, 0.15, 2),
    (2.15, 0.15, 2), (2.1500001, 0.15, 3), (2.9, 0.15, 3), (2.0000000000004, 0.0, 2),
    (1.9999999999996, 0.15, 2), (7.2, 0.15, 8), (7.2, 0.25, 7),
])
def test_headcount_rounds_up_unless_within_tolerance(fte, tolerance, expected):
    assert headcount(fte, tolerance) == expected


def test_add_months_is_edate():
    assert add_months(D(2027, 1, 31), 1) == D(2027, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2027, 11, 15), 3) == D(2028, 2, 15)
    assert add_months(D(2027, 3, 31), -1) == D(2027, 2, 28)
    assert month_windows(D(2027, 1, 15), 2) == [(D(2027, 1, 15), D(2027, 2, 14)),
                                               (D(2027, 2, 15), D(2027, 3, 14))]


def test_plan_matches_the_definition():
    register = Register(rows=[
        row("run the warehouse", 30, Role.OPERATIONS),
        row("build the webshop", 20, Role.PROJECT, D(2027, 2, 1), D(2027, 3, 31)),
        row("migrate finance", 15, Role.PROJECT, D(2027, 3, 1), D(2027, 4, 30)),
        row("both", 10, Role.SHARED),
        row("no idea", 4, Role.UNCLEAR),
        row("no hours", None, Role.OPERATIONS),
    ])
    a = StaffingAssumptions(hours_per_fte=40, productive_share=0.8, shared_to_operations=0.3,
                            rounding_tolerance=0.15, cost_operations=1000, cost_project=2000,
                            plan_start=D(2027, 1, 1), plan_months=6)
    plan = plan_staffing(register, a)
    capacity = 32.0
    assert (plan.hours_operations, plan.hours_project, plan.hours_shared,
            plan.hours_unclear) == (30, 35, 10, 4)
    assert plan.fte_operations == pytest.approx((30 + 3) / capacity)
    assert plan.fte_project == pytest.approx((35 + 7) / capacity)
    # March: both projects run (20 + 15) plus 70% of the shared 10 hours
    assert plan.monthly_fte_project == pytest.approx(
        tuple(h / capacity for h in (7, 27, 42, 22, 7, 7)))
    assert plan.peak_fte_project == pytest.approx(42 / capacity)
    assert plan.peak_month_project == D(2027, 3, 1)
    assert plan.headcount_operations == headcount(33 / capacity, 0.15) == 1
    assert plan.headcount_project == headcount(42 / capacity, 0.15) == 2  # peak, not average
    assert plan.cost_total == 1 * 1000 + 2 * 2000
    assert plan.months == tuple(D(2027, m, 1) for m in range(1, 7))
    assert plan.rows_unclear == 1


def test_months_count_when_the_row_overlaps_them():
    a = StaffingAssumptions(plan_start=D(2027, 1, 1), plan_months=4, hours_per_fte=10,
                            productive_share=1.0)
    register = Register(rows=[
        row("ends on the first day of February", 10, Role.PROJECT, D(2026, 6, 1),
            D(2027, 2, 1)),
        row("starts on the last day of March", 20, Role.PROJECT, D(2027, 3, 31),
            D(2027, 12, 31)),
        row("start only", 40, Role.PROJECT, start=D(2027, 4, 2)),
        row("end only", 80, Role.PROJECT, end=D(2027, 1, 31)),
    ])
    plan = plan_staffing(register, a)
    assert plan.monthly_fte_project == pytest.approx((9.0, 1.0, 2.0, 6.0))


def test_override_wins_and_unclassified_rows_are_classified():
    text = "Replenish pick faces from reserve racking every morning"
    register = Register(rows=[row(text, 10), row(text, 5, Role.PROJECT)])
    plan = plan_staffing(register)
    assert rolecell.classify(text).role is Role.OPERATIONS
    assert (plan.hours_operations, plan.hours_project) == (10, 5)
    assert all(r.classification is None for r in register)  # not changed


def test_defaults_and_fields():
    plan = plan_staffing(Register(rows=[]))
    assert plan.cost_total == 0 and plan.peak_fte_project == 0
    assert len(plan.months) == StaffingAssumptions().plan_months
    fields = [f.name for f in dataclasses.fields(StaffingPlan)][:10]
    assert fields == ["hours_operations", "hours_project", "hours_shared", "hours_unclear",
                      "fte_operations", "fte_project", "headcount_operations",
                      "headcount_project", "cost_total", "peak_fte_project"]


@pytest.mark.parametrize("change", [
    {"hours_per_fte": 0}, {"productive_share": 0}, {"productive_share": 1.2},
    {"shared_to_operations": -0.1}, {"rounding_tolerance": 1}, {"cost_project": -1},
    {"plan_months": 0}, {"plan_months": MAX_PLAN_MONTHS + 1}, {"plan_months": 2.5},
])
def test_bad_assumptions_are_refused(change):
    with pytest.raises(ValueError):
        check_assumptions(dataclasses.replace(StaffingAssumptions(), **change))


def test_public_api_and_pure_core():
    assert rolecell.plan_staffing is plan_staffing
    assert "plan_staffing" in rolecell.__all__ and "write_report" in rolecell.__all__
    code = ("import sys, rolecell, rolecell.staffing, rolecell.layout; "
            "bad = [m for m in ('openpyxl', 'xlwings', 'pandas') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    from rolecell.sheets import write_report
    assert rolecell.write_report is write_report
