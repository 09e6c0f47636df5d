"""The sheet layouts: plain data, the exact defined names, safe names, portable formulas."""

from __future__ import annotations

import dataclasses
import re

import pytest

from rolecell.layout import (
    ASSUMPTION_NAMES,
    RESULT_NAMES,
    Formula,
    report_layout,
    template_layout,
    unique_names,
    valid_sheet_name,
    valid_table_name,
)
from rolecell.model import Register, Responsibility, Role, StaffingAssumptions, StaffingPlan
from rolecell.staffing import effective_classifications

INJECTIONS = ['=HYPERLINK("http://x.example","click")', "=cmd|' /C calc'!A0", "+1+1", "-2+3",
              "@SUM(A1:A2)"]
ASSUMPTIONS = ["HoursPerFTE", "ProductiveShare", "SharedToOperations", "RoundingTolerance",
               "CostOperations", "CostProject", "PlanStart", "PlanMonths"]
RESULTS = ["HoursOperations", "HoursProject", "HoursShared", "HoursUnclear", "FTEOperations",
           "FTEProject", "HeadcountOperations", "HeadcountProject", "CostTotal",
           "PeakFTEProject"]
# functions Excel 2016 lacks, or LibreOffice does not calculate the same
NOT_PORTABLE = re.compile(r"(?<![A-Z_.])(XLOOKUP|XMATCH|LET|LAMBDA|FILTER|SORT|SORTBY|UNIQUE|"
                          r"SEQUENCE|TEXTJOIN|CONCAT|IFS|MAXIFS|MINIFS|SWITCH|TEXT)\(")


def _register() -> Register:
    rows = [Responsibility(text=t, area=t, owner=t, hours=3) for t in INJECTIONS]
    rows += [Responsibility(text="Weekly stock count in the warehouse", area="Warehouse",
                            hours=10),
             Responsibility(text="Launch the new webshop by June", area="IT", hours=8,
                            override=Role.OPERATIONS)]
    return Register(rows=rows)


def _layout():
    register = _register()
    return report_layout(register, effective_classifications(register))


def test_exact_defined_names_matching_the_dataclasses():
    layout = _layout()
    assert list(layout.names) == ASSUMPTIONS + RESULTS
    assert [n for n, _ in ASSUMPTION_NAMES] == ASSUMPTIONS
    assert [n for n, _ in RESULT_NAMES] == RESULTS
    assert [f for _, f in ASSUMPTION_NAMES] == \
        [f.name for f in dataclasses.fields(StaffingAssumptions)]
    assert [f for _, f in RESULT_NAMES] == [f.name for f in dataclasses.fields(StaffingPlan)][:10]
    assert list(template_layout().names) == ASSUMPTIONS
    for ref in layout.names.values():
        assert re.fullmatch(r"[A-Za-z]+!\$[A-Z]+\$[0-9]+", ref), ref


def test_every_named_cell_exists_and_assumptions_hold_values():
    layout = _layout()
    cells = {(s.name, c.row, c.col): c for s in layout.sheets for c in s.cells}
    a = StaffingAssumptions()
    for name, ref in layout.names.items():
        sheet, cell = ref.split("!")
        letters, row = re.fullmatch(r"\$([A-Z]+)\$([0-9]+)", cell).groups()
        spec = cells[(sheet, int(row), ord(letters) - 64)]
        if name in dict(ASSUMPTION_NAMES):
            assert spec.value == getattr(a, dict(ASSUMPTION_NAMES)[name])
        else:
            assert isinstance(spec.value, Formula)


def test_formulas_are_portable_and_hold_no_user_text():
    layout = _layout()
    formulas = [c.value.text for s in layout.sheets for c in s.cells
                if isinstance(c.value, Formula)]
    assert len(formulas) > 100
    for text in formulas:
        assert not NOT_PORTABLE.search(text.upper()), text
        for injection in INJECTIONS[:2]:
            assert injection not in text


def test_user_text_stays_plain_strings():
    layout = _layout()
    register = next(s for s in layout.sheets if s.name == "Register")
    rows = list(register.block.rows)
    for injection in INJECTIONS:
        assert any(r[1] == injection and isinstance(r[1], str) for r in rows)
    comparison = next(s for s in layout.sheets if s.name == "Comparison")
    areas = [c.value for c in comparison.cells if isinstance(c.value, str)]
    assert "=cmd|' /C calc'!A0" in areas


def test_layout_is_deterministic():
    def flat(layout):
        return [(s.name, [(c.row, c.col, str(c.value), c.style) for c in s.cells],
                 list(s.block.rows) if s.block else None, s.charts, s.validations)
                for s in layout.sheets]

    assert flat(_layout()) == flat(_layout())


@pytest.mark.parametrize(("name", "expected"), [
    ("Register", "Register"), ("a/b:c*d?e[f]g\\h", "a_b_c_d_e_f_g_h"), ("", "Sheet"),
    ("'quoted'", "quoted"), ("x" * 40, "x" * 31), ("History", "History_"),
])
def test_valid_sheet_name(name, expected):
    assert valid_sheet_name(name) == expected


def test_sheet_and_table_names_are_unique():
    assert valid_sheet_name("Register", ["register"]) == "Register (2)"
    assert len(valid_sheet_name("y" * 40, ["y" * 31])) <= 31
    assert valid_table_name("My table!") == "My_table_"
    assert valid_table_name("1st") == "_1st"
    assert valid_table_name("A1") == "_A1"
    assert valid_table_name("R") == "_R"
    assert valid_table_name("Rules", ["rules"]) == "Rules_2"
    assert unique_names(["Notes", "notes", None, "", "a\nb"]) == \
        ["Notes", "notes 2", "Column3", "Column4", "a b"]
