"""The vocabulary data: well-formed, consistent, and in one place."""

from __future__ import annotations

import importlib
import re
from collections import defaultdict

from rolecell import DIMENSIONS, knowledge

classifier = importlib.import_module("rolecell.classify")


def test_five_dimensions_with_both_descriptions() -> None:
    found = knowledge.dimensions()
    assert tuple(d.key for d in found) == DIMENSIONS
    for dimension in found:
        assert dimension.operations and dimension.project
        assert dimension.operations_label and dimension.project_label


def test_every_cue_has_a_valid_dimension_side_and_positive_weight() -> None:
    rows = knowledge.cue_rows()
    assert len(rows) > 500
    for row in rows:
        assert row.dimension in DIMENSIONS
        assert row.side in ("operations", "project", "neutral")
        assert row.side == "neutral" or 0 < row.weight <= 4.0, row
        assert row.side == "neutral" or 0 < row.prior <= 4.0, row


def test_each_dimension_has_cues_on_both_sides() -> None:
    sides = defaultdict(set)
    for row in knowledge.cue_rows():
        sides[row.dimension].add(row.side)
    for dimension in DIMENSIONS:
        assert {"operations", "project"} <= sides[dimension], dimension


def test_no_two_cues_with_the_same_key_lean_to_different_sides() -> None:
    normalise = classifier._knowledge().normalise
    by_key = defaultdict(set)
    for row in knowledge.cue_rows():
        if row.side != "neutral":
            by_key[normalise.phrase(row.cue)].add(row.side)
    conflicts = {key: sides for key, sides in by_key.items() if len(sides) > 1}
    assert not conflicts


def test_patterns_compile_and_have_triggers() -> None:
    for pattern in knowledge.pattern_rows():
        re.compile(pattern.regex)
        assert pattern.triggers, pattern.name
        assert pattern.dimension in DIMENSIONS


def test_decision_settings_are_sane() -> None:
    decision = knowledge.settings()["decision"]
    assert 0 < decision["shared_balance"] <= 1
    assert decision["min_evidence"] > 0
