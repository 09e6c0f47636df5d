"""The data rolecell works with: plain dataclasses, no I/O.

Everything else (classifier, staffing model, readers, sheets) speaks in these types, so a
register read from Excel, CSV or an xlwings range looks the same to the core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

DIMENSIONS: tuple[str, ...] = ("horizon", "change", "structure", "objective", "way_of_working")
"""The five dimensions that separate the two roles, in display order (see knowledge/)."""


class Role(StrEnum):
    """The four outcomes of a classification."""

    OPERATIONS = "Operations"
    PROJECT = "Project"
    SHARED = "Shared"
    UNCLEAR = "Unclear"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value: object) -> Role | None:
        """Read a role typed by a person ("ops", "project", "PM", "shared" ...); None if blank."""
        if value is None:
            return None
        text = str(value).strip().lower()
        if not text:
            return None
        return _ROLE_SYNONYMS.get(text)


_ROLE_SYNONYMS: dict[str, Role] = {
    **{w: Role.OPERATIONS for w in ("operations", "operation", "ops", "om", "operations manager",
                                    "operational", "o")},
    **{w: Role.PROJECT for w in ("project", "projects", "pm", "project manager", "p")},
    **{w: Role.SHARED for w in ("shared", "both", "s")},
    **{w: Role.UNCLEAR for w in ("unclear", "unknown", "?", "u")},
}


class Side(StrEnum):
    """Which role a piece of evidence leans towards."""

    OPERATIONS = "operations"
    PROJECT = "project"

    def __str__(self) -> str:
        return self.value

    @property
    def sign(self) -> int:
        return 1 if self is Side.PROJECT else -1


class Evidence(NamedTuple):
    """One cue found in a statement: what matched, on which dimension, which way, how strongly.

    A named tuple rather than a dataclass: a register of 100,000 rows makes half a million.
    """

    cue: str
    dimension: str
    side: Side
    weight: float
    source: str = "vocabulary"  # vocabulary | pattern | rule | dates


class Classification(NamedTuple):
    """The verdict on one responsibility, with the evidence that decided it.

    Immutable (rows with the same text share one), and a named tuple for speed: registers of
    100,000 rows make one per distinct row.
    """

    role: Role
    confidence: float
    scores: Mapping[str, float]
    rationale: str
    evidence: tuple[Evidence, ...] = ()
    overridden: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """A user's own cue: a phrase that leans to a role, which wins over the built-in vocabulary."""

    phrase: str
    side: Side
    weight: float = 2.0
    dimension: str = "way_of_working"


@dataclass(slots=True)
class Responsibility:
    """One row of a responsibility register."""

    text: str
    id: str = ""
    area: str = ""
    hours: float | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    owner: str = ""
    override: Role | None = None
    row: int | None = None  # 1-based row in the source sheet, for messages
    extra: dict[str, object] = field(default_factory=dict)
    classification: Classification | None = None

    def output_values(self) -> list[object]:
        """The Role, Confidence and Why cells that rolecell writes for this row."""
        result = self.classification
        if result is None:
            return ["", "", ""]
        return [str(result.role), round(result.confidence, 2), result.rationale]

    @property
    def role(self) -> Role | None:
        """The role that counts: the override if there is one, else the classification."""
        if self.override is not None:
            return self.override
        return self.classification.role if self.classification else None


@dataclass(slots=True)
class Register:
    """A table of responsibilities, with where it came from (for messages and write-back)."""

    rows: list[Responsibility]
    source: str = ""
    sheet: str = ""
    header_row: int = 1
    columns: dict[str, str] = field(default_factory=dict)  # canonical name -> header as found
    headers: list[str] = field(default_factory=list)  # every header, in sheet order
    rules: tuple[Rule, ...] = ()
    problems: list[str] = field(default_factory=list)  # bad cells, when read with strict=False

    def __iter__(self) -> Iterator[Responsibility]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def extra_headers(self) -> list[str]:
        """Headers of the user's own columns, which every output keeps."""
        known = {name for column in REGISTER_COLUMNS for name in column.accepted()}
        return [h for h in self.headers if h and " ".join(h.lower().split()) not in known]

    def table(self) -> tuple[list[str], Iterator[list[object]]]:
        """Headers and cell values: input columns, the user's extra columns, Role/Confidence/Why."""
        extra = self.extra_headers()
        headers = [c.header for c in REGISTER_COLUMNS if not c.output] + extra
        headers += OUTPUT_HEADERS

        def rows() -> Iterator[list[object]]:
            for row in self.rows:
                values = [row.id, row.text, row.area, row.hours, row.start, row.end, row.owner,
                          str(row.override) if row.override else None]
                yield values + [row.extra.get(h) for h in extra] + row.output_values()

        return headers, rows()


@dataclass(frozen=True, slots=True)
class StaffingAssumptions:
    """The editable assumptions of a staffing plan (same names, same order, as the sheet)."""

    hours_per_fte: float = 37.5
    productive_share: float = 0.85
    shared_to_operations: float = 0.5
    rounding_tolerance: float = 0.15
    cost_operations: float = 72000.0
    cost_project: float = 80000.0
    plan_start: dt.date = dt.date(2027, 1, 1)
    plan_months: int = 12


@dataclass(frozen=True, slots=True)
class StaffingPlan:
    """Hours per role, FTE, headcount and cost: the headline results of a staffing plan."""

    hours_operations: float
    hours_project: float
    hours_shared: float
    hours_unclear: float
    fte_operations: float
    fte_project: float
    headcount_operations: int
    headcount_project: int
    cost_total: float
    peak_fte_project: float
    monthly_fte_operations: tuple[float, ...] = ()
    monthly_fte_project: tuple[float, ...] = ()
    months: tuple[dt.date, ...] = ()
    peak_fte_operations: float = 0.0
    average_fte_operations: float = 0.0
    average_fte_project: float = 0.0
    peak_month_project: dt.date | None = None  # first month of the project peak
    rows_unclear: int = 0


@dataclass(frozen=True, slots=True)
class Column:
    """A canonical register column: header, the field it fills, the headers accepted for it."""

    header: str
    field: str
    synonyms: tuple[str, ...] = ()
    output: bool = False

    def accepted(self) -> tuple[str, ...]:
        """Every header read as this column (lower case)."""
        return (self.header.lower(), *self.synonyms)


REGISTER_COLUMNS: tuple[Column, ...] = (
    Column("ID", "id", ("id", "ref", "reference", "no", "number", "key", "item", "#")),
    Column("Responsibility", "text", (
        "responsibility", "responsibilities", "task", "tasks", "duty", "duties", "description",
        "activity", "activities", "work", "work item", "accountability", "role description",
        "statement", "what", "deliverable", "job", "function description",
    )),
    Column("Area", "area", ("area", "dept", "department", "team", "function", "unit",
                            "division", "section", "business unit")),
    Column("Hours per week", "hours", ("hours per week", "hours", "hrs/wk", "hrs per week",
                                       "hrs", "weekly hours", "hours/week", "hours a week",
                                       "h/week", "h per week", "effort", "effort (h/week)",
                                       "hours per wk", "hrs/week")),
    Column("Start", "start", ("start", "start date", "from", "begins", "starts")),
    Column("End", "end", ("end", "end date", "to", "until", "finish", "due", "due date",
                          "deadline", "ends")),
    Column("Owner", "owner", ("owner", "responsible", "assignee", "assigned to", "who",
                              "current owner", "person")),
    Column("Override", "override", ("override", "manual role", "role override", "decision",
                                    "role (manual)")),
    Column("Role", "role", ("role", "rolecell role"), output=True),
    Column("Confidence", "confidence", ("confidence",), output=True),
    Column("Why", "why", ("why", "rationale", "reason"), output=True),
)
"""The register's columns in canonical order; readers accept any order and these synonyms."""

OUTPUT_HEADERS: tuple[str, ...] = tuple(c.header for c in REGISTER_COLUMNS if c.output)
"""The columns rolecell writes: Role, Confidence, Why."""
