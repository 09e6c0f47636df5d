"""rolecell: which management work belongs to an operations manager, which to a project manager.

The public API::

    import rolecell
    rolecell.classify("Replenish pick faces every morning").role      # Role.OPERATIONS
    rolecell.classify_many(texts)                                      # list[Classification]
    register = rolecell.read_register("register.xlsx")
    rolecell.write_register(register, "classified.xlsx")
    rolecell.plan_staffing(register)                                   # StaffingPlan
    rolecell.write_report(register, "report.xlsx")                     # live staffing formulas
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rolecell.classify import classify, classify_many, classify_register
from rolecell.model import (
    DIMENSIONS,
    Classification,
    Evidence,
    Register,
    Responsibility,
    Role,
    Rule,
    Side,
    StaffingAssumptions,
    StaffingPlan,
)
from rolecell.staffing import plan_staffing

__version__ = "0.1.0"

__all__ = [
    "DIMENSIONS",
    "Classification",
    "Evidence",
    "Register",
    "Responsibility",
    "Role",
    "Rule",
    "Side",
    "StaffingAssumptions",
    "StaffingPlan",
    "classify",
    "classify_many",
    "classify_register",
    "plan_staffing",
    "read_register",
    "to_dataframe",
    "write_register",
    "write_report",
    "__version__",
]

if TYPE_CHECKING:
    from rolecell.register import read_register, to_dataframe, write_register
    from rolecell.sheets import write_report

_LAZY = {"read_register", "write_register", "to_dataframe"}
_LAZY_SHEETS = {"write_report"}


def main() -> None:
    """Entry point of the RoleCell ribbon tab (rolecell.xlam calls `rolecell.main()`)."""
    import xlwings as xw

    from rolecell.excel.scripts import update_all

    update_all(xw.Book.caller())


def __getattr__(name: str) -> Any:
    # The file readers live in an adapter and import openpyxl/pandas: load them on first use,
    # so `import rolecell` stays light (Pyodide, custom functions).
    if name in _LAZY:
        from rolecell import register

        return getattr(register, name)
    if name in _LAZY_SHEETS:
        from rolecell import sheets

        return getattr(sheets, name)
    raise AttributeError(f"module 'rolecell' has no attribute {name!r}")
