"""The five dimensions and their cue vocabulary, loaded from the data files beside this module.

`dimensions.toml` describes the dimensions and how evidence becomes a verdict; `cues.csv` holds
the words and phrases (one per line: cue, dimension, side, prior, weight: the prior is the
weight a person gave it, the weight is the one in use, fitted on the training split by
`benchmarks/fit_weights.py` where the corpus has evidence for it); `patterns.toml` the time
expressions that need a regular expression (dates, "every second week", "by Q3").
Edit the data, not the code.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from rolecell.model import DIMENSIONS


@dataclass(frozen=True, slots=True)
class Dimension:
    """One of the five dimensions, in the words of the comparison sheet and the rationale."""

    key: str
    name: str
    operations: str
    project: str
    operations_label: str
    project_label: str


@dataclass(frozen=True, slots=True)
class CueRow:
    """One line of cues.csv, as written (not yet normalised)."""

    cue: str
    dimension: str
    side: str  # operations | project | neutral
    prior: float
    weight: float
    line: int


@dataclass(frozen=True, slots=True)
class PatternRow:
    """One time-expression pattern of patterns.toml."""

    name: str
    regex: str
    dimension: str
    side: str
    weight: float
    triggers: tuple[str, ...] = ()


def _read_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def settings() -> dict[str, Any]:
    """The whole of dimensions.toml (decision thresholds, date evidence)."""
    return tomllib.loads(_read_text("dimensions.toml"))


@cache
def dimensions() -> tuple[Dimension, ...]:
    """The five dimensions, in display order."""
    found = tuple(Dimension(**entry) for entry in settings()["dimension"])
    if tuple(d.key for d in found) != DIMENSIONS:
        raise ValueError(f"dimensions.toml must list {DIMENSIONS}, found {[d.key for d in found]}")
    return found


@cache
def cue_rows() -> tuple[CueRow, ...]:
    """Every cue of cues.csv; lines starting with '#' are section comments."""
    rows = []
    reader = csv.reader(io.StringIO(_read_text("cues.csv")))
    next(reader)  # header
    for line, record in enumerate(reader, start=2):
        if not record or record[0].startswith("#"):
            continue
        cue, dimension, side, prior, weight = (field.strip() for field in record[:5])
        if dimension not in DIMENSIONS or side not in ("operations", "project", "neutral"):
            raise ValueError(f"cues.csv line {line}: bad dimension or side: {record}")
        rows.append(CueRow(cue, dimension, side, float(prior), float(weight or prior), line))
    return tuple(rows)


@cache
def pattern_rows() -> tuple[PatternRow, ...]:
    """Every time-expression pattern of patterns.toml."""
    data = tomllib.loads(_read_text("patterns.toml"))
    return tuple(PatternRow(**{**entry, "triggers": tuple(entry.get("triggers", ()))})
                 for entry in data["pattern"])
