"""Register + assumptions -> staffing plan: hours per role, FTE, headcount, cost, monthly load.

Pure and deterministic (standard library only). The Staffing sheet computes the same plan with
spreadsheet formulas (see rolecell.layout); the two must agree, so every rule here has an exact
spreadsheet twin:

- role of a row: its Override if set, else its classification; rows with no hours count 0;
- Shared hours are split: `shared_to_operations` of them to operations, the rest to project;
- FTE = hours / (hours_per_fte * productive_share);
- headcount = FTE rounded up, but rounded down when the fractional part is at most
  `rounding_tolerance` (2.1 with tolerance 0.15 -> 2);
- month i (0-based) runs from EDATE(plan_start, i) to EDATE(plan_start, i + 1) - 1; a row counts
  in a month when (no Start or Start <= month end) and (no End or End >= month start), so
  undated rows count in every month;
- operations headcount is based on operations FTE (steady work); project headcount on the
  PEAK monthly project FTE over the horizon, not the average (project work comes and goes);
- cost = headcount * annual cost per role; Unclear hours are reported, not staffed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Sequence

from rolecell.classify import classify_many, normalise_rules, overridden
from rolecell.model import Classification, Register, Role, StaffingAssumptions, StaffingPlan

__all__ = ["MAX_PLAN_MONTHS", "add_months", "effective_classifications", "headcount",
           "month_windows", "plan_staffing", "check_assumptions"]

MAX_PLAN_MONTHS = 60
"""The longest planning horizon the Staffing sheet lays out (one row per month)."""


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, clamped to the month's last day (Excel's EDATE)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def month_windows(start: dt.date, months: int) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of each planning month, as the sheet computes them with EDATE."""
    return [(add_months(start, i), add_months(start, i + 1) - dt.timedelta(days=1))
            for i in range(months)]


def headcount(fte: float, tolerance: float) -> int:
    """People to hire for `fte`: round up, but down when the fraction is <= `tolerance`.

    The fraction is rounded to 9 decimals first, as the sheet does, so that both agree on
    values such as 2.15 that binary floating point cannot hold exactly.
    """
    if fte <= 0:
        return 0
    whole = math.floor(fte)
    fraction = round(fte - whole, 9)
    return int(whole) if fraction <= tolerance else int(whole) + 1


def check_assumptions(assumptions: StaffingAssumptions) -> None:
    """Raise ValueError naming the first assumption the sheet could not calculate with."""
    a = assumptions
    if not a.hours_per_fte > 0:
        raise ValueError(f"hours_per_fte must be more than 0, not {a.hours_per_fte!r}")
    if not 0 < a.productive_share <= 1:
        raise ValueError(f"productive_share must be in (0, 1], not {a.productive_share!r}")
    if not 0 <= a.shared_to_operations <= 1:
        raise ValueError(f"shared_to_operations must be in [0, 1], not "
                         f"{a.shared_to_operations!r}")
    if not 0 <= a.rounding_tolerance < 1:
        raise ValueError(f"rounding_tolerance must be in [0, 1), not {a.rounding_tolerance!r}")
    if a.cost_operations < 0 or a.cost_project < 0:
        raise ValueError("costs per role must be 0 or more")
    if not isinstance(a.plan_start, dt.date):
        raise ValueError(f"plan_start must be a date, not {a.plan_start!r}")
    if not (isinstance(a.plan_months, int) and 1 <= a.plan_months <= MAX_PLAN_MONTHS):
        raise ValueError(f"plan_months must be a whole number from 1 to {MAX_PLAN_MONTHS}, "
                         f"not {a.plan_months!r}")


def effective_classifications(register: Register) -> list[Classification]:
    """Each row's classification as the report shows it, without changing the register.

    Rows that have none are classified (with the register's own rules); an Override always
    wins and is marked as such.
    """
    missing = [i for i, row in enumerate(register.rows) if row.classification is None]
    computed: dict[int, Classification] = {}
    if missing:
        rows = [register.rows[i] for i in missing]
        results = classify_many([r.text for r in rows], starts=[r.start for r in rows],
                                ends=[r.end for r in rows],
                                rules=normalise_rules(register.rules))
        computed = dict(zip(missing, results, strict=True))
    out = []
    for i, row in enumerate(register.rows):
        result = row.classification or computed[i]
        if row.override is not None and (not result.overridden or result.role != row.override):
            result = overridden(result, row.override)
        out.append(result)
    return out


def _active(start: dt.date | None, end: dt.date | None, first: dt.date, last: dt.date) -> bool:
    return (start is None or start <= last) and (end is None or end >= first)


def plan_staffing(register: Register, assumptions: StaffingAssumptions | None = None,
                  roles: Sequence[Role] | None = None) -> StaffingPlan:
    """The staffing plan of a register, exactly as the Staffing sheet's formulas compute it.

    `roles` (one per row) skips classification when the caller already knows them.
    """
    a = assumptions or StaffingAssumptions()
    check_assumptions(a)
    if roles is None:
        roles = [c.role for c in effective_classifications(register)]
    windows = month_windows(a.plan_start, a.plan_months)
    totals = dict.fromkeys(Role, 0.0)
    monthly = {role: [0.0] * len(windows) for role in Role}
    for row, role in zip(register.rows, roles, strict=True):
        hours = row.hours or 0.0
        if not hours:
            continue
        totals[role] += hours
        for m, (first, last) in enumerate(windows):
            if _active(row.start, row.end, first, last):
                monthly[role][m] += hours
    capacity = a.hours_per_fte * a.productive_share
    share = a.shared_to_operations
    fte_operations = (totals[Role.OPERATIONS] + share * totals[Role.SHARED]) / capacity
    fte_project = (totals[Role.PROJECT] + (1 - share) * totals[Role.SHARED]) / capacity
    monthly_ops = tuple((monthly[Role.OPERATIONS][m] + share * monthly[Role.SHARED][m])
                        / capacity for m in range(len(windows)))
    monthly_project = tuple((monthly[Role.PROJECT][m] + (1 - share) * monthly[Role.SHARED][m])
                            / capacity for m in range(len(windows)))
    peak_project = max(monthly_project, default=0.0)
    ops_count = headcount(fte_operations, a.rounding_tolerance)
    project_count = headcount(peak_project, a.rounding_tolerance)
    peak_index = monthly_project.index(peak_project) if monthly_project else 0
    return StaffingPlan(
        hours_operations=totals[Role.OPERATIONS],
        hours_project=totals[Role.PROJECT],
        hours_shared=totals[Role.SHARED],
        hours_unclear=totals[Role.UNCLEAR],
        fte_operations=fte_operations,
        fte_project=fte_project,
        headcount_operations=ops_count,
        headcount_project=project_count,
        cost_total=ops_count * a.cost_operations + project_count * a.cost_project,
        peak_fte_project=peak_project,
        monthly_fte_operations=monthly_ops,
        monthly_fte_project=monthly_project,
        months=tuple(first for first, _ in windows),
        peak_fte_operations=max(monthly_ops, default=0.0),
        average_fte_operations=sum(monthly_ops) / len(monthly_ops),
        average_fte_project=sum(monthly_project) / len(monthly_project),
        peak_month_project=windows[peak_index][0],
        rows_unclear=sum(1 for role in roles if role is Role.UNCLEAR),
    )
