"""rolecell: which management work belongs to an operations manager, which to a project manager.

The public API::

    import rolecell
    rolecell.classify("Replenish pick faces every morning").role      # Role.OPERATIONS
    rolecell.classify_many(texts)                                      # list[Classification]
    register = rolecell.read_register("register.xlsx")
    rolecell.write_register(register, "classified.xlsx")
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
    "read_register",
    "write_register",
    "__version__",
]

if TYPE_CHECKING:
    from rolecell.register import read_register, write_register

_LAZY = {"read_register", "write_register"}


def __getattr__(name: str) -> Any:
    # The file readers live in an adapter and import openpyxl/pandas: load them on first use,
    # so `import rolecell` stays light (Pyodide, custom functions).
    if name in _LAZY:
        from rolecell import register

        return getattr(register, name)
    raise AttributeError(f"module 'rolecell' has no attribute {name!r}")
