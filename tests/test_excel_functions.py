"""rolecell's Excel formulas, run through xlwings' own custom-function machinery.

xlwings.server.custom_functions_call converts the arguments exactly as for Excel (Office.js
matrices, error objects, date serials), calls the function and converts the result back.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
import xlwings_remote as xr

import rolecell
from rolecell import knowledge
from rolecell.excel import functions
from rolecell.model import DIMENSIONS, Register, Responsibility, Role, StaffingAssumptions
from rolecell.staffing import plan_staffing

NA = {"type": "Error", "errorType": "NotAvailable"}  # what Excel receives for #N/A
OPS = "Replenish pick faces from reserve racking every morning"
PROJECT = "Plan and deliver the migration to the new ERP system by March 2027"


def call(name, *args, **kwargs):
    return xr.call(functions, name, *args, **kwargs)


def column(values):
    return [[v] for v in values]


def flat(result):
    return [row[0] for row in result]


def is_message(value) -> bool:
    return isinstance(value, str) and value.startswith("rolecell: ")


# ------------------------------------------------------------------ metadata / function wizard


def test_metadata_lists_every_formula_with_help():
    found = {f["name"]: f for f in xr.meta(functions)["functions"]}
    assert set(found) == {"ROLE", "ROLE_CONFIDENCE", "ROLE_WHY", "ROLE_SCORES", "ROLE_STAFFING",
                          "ROLE_DIMENSIONS"}
    for name, function in found.items():
        assert 20 < len(function["description"]) <= 255, name
        assert "\n" not in function["description"]
        for param in function["parameters"]:
            assert not param["description"].startswith("Positional argument"), (name, param)
    assert [p["name"] for p in found["ROLE"]["parameters"]] == ["text", "start", "end", "hours",
                                                                "rules"]
    assert [p.get("optional", False) for p in found["ROLE"]["parameters"]] == \
        [False, True, True, True, True]


# ------------------------------------------------------------------ ROLE


def test_role_of_one_cell_matches_the_core():
    assert call("role", OPS) == [[str(rolecell.classify(OPS).role)]] == [["Operations"]]
    assert call("role", PROJECT) == [["Project"]]


def test_role_of_a_column_spills_in_one_call():
    texts = [OPS, PROJECT, "Weekly stock count", "Open the new Leeds depot by June"] * 2_500
    start = time.perf_counter()
    result = call("role", column(texts))
    elapsed = time.perf_counter() - start
    assert len(result) == 10_000 and all(len(row) == 1 for row in result)
    assert flat(result) == [str(c.role) for c in rolecell.classify_many(texts)]
    assert elapsed < 30


def test_empty_cells_give_empty_results():
    assert call("role", None) == [[""]]
    assert call("role", "   ") == [[""]]
    assert flat(call("role", column([OPS, None, "", PROJECT]))) == ["Operations", "", "",
                                                                     "Project"]
    assert flat(call("role_confidence", column([None]))) == [""]
    assert flat(call("role_why", column([None, OPS])))[0] == ""


def test_excel_errors_pass_through_as_the_same_error():
    result = call("role", column([OPS, xr.error("#N/A"), xr.error("#VALUE!")]))
    assert result[0] == ["Operations"]
    assert result[1] == [NA]
    assert result[2] == [{"type": "Error", "errorType": "Value"}]
    # an error in a start cell makes that row's result the error, too
    result = call("role", column([OPS, PROJECT]), column([None, xr.error("#REF!")]))
    assert result == [["Operations"], [{"type": "Error", "errorType": "Ref"}]]
    # older Office runtimes (before 1.4) get the error as its text
    assert call("role", xr.error("#N/A"), runtime="1.3") == [["#N/A"]]


def test_numbers_and_booleans_are_read_as_text():
    result = flat(call("role", column([42, 3.0, True, OPS])))
    assert result == [str(rolecell.classify("42").role), str(rolecell.classify("3").role),
                      str(rolecell.classify("TRUE").role), "Operations"]
    assert result[0] == "Unclear"


def test_a_two_dimensional_range_gives_a_result_of_the_same_shape():
    result = call("role", [[OPS, PROJECT], [None, OPS]])
    assert result == [["Operations", "Project"], ["", "Operations"]]
    row = call("role", [[OPS, PROJECT, None]])
    assert row == [["Operations", "Project", ""]]


def test_a_30000_character_cell_is_classified_whole():
    text = ("Monitor daily dispatch performance and maintain the existing routines. " * 500
            )[:30_000]
    assert len(text) == 30_000
    start = time.perf_counter()
    assert call("role", text) == [[str(rolecell.classify(text).role)]]
    why = call("role_why", text)[0][0]
    assert time.perf_counter() - start < 5
    assert isinstance(why, str) and 0 < len(why) <= 32_767
    # longer than Excel allows (only possible from Python): still an answer, never an error
    assert call("role", text * 2)[0][0] in {r.value for r in Role}


def test_dates_as_excel_serials_iso_text_or_blank():
    text = "Pilot the handheld scanners with the warehouse team"
    serial = [[xr.excel_serial(dt.date(2027, 1, 1))]], [[xr.excel_serial(dt.date(2027, 6, 30))]]
    expected = rolecell.classify(text, start="2027-01-01", end="2027-06-30")
    assert call("role", text, *serial) == [[str(expected.role)]]
    assert call("role", text, "2027-01-01", "2027-06-30") == [[str(expected.role)]]
    assert call("role_why", text, "2027-01-01", "2027-06-30") == [[expected.rationale]]
    assert "dated 2027-01-01 to 2027-06-30" in expected.rationale
    assert call("role", text, None, None) == [[str(rolecell.classify(text).role)]]


def test_one_start_cell_applies_to_every_row_and_ranges_pair_row_by_row():
    texts = column([OPS, PROJECT])
    assert call("role_why", texts, "2027-01-01", "2027-03-31") == [
        [rolecell.classify(OPS, start="2027-01-01", end="2027-03-31").rationale],
        [rolecell.classify(PROJECT, start="2027-01-01", end="2027-03-31").rationale]]
    pairs = call("role_why", texts, column([None, "2027-01-01"]), column([None, "2027-02-01"]))
    assert pairs[0] == [rolecell.classify(OPS).rationale]
    assert "dated 2027-01-01 to 2027-02-01" in pairs[1][0]


def test_bad_dates_and_hours_give_a_message_in_their_row():
    result = flat(call("role", column([OPS, PROJECT, OPS]), column([None, "next week", None]),
                       None, column([4, 6, "lots"])))
    assert result[0] == "Operations"
    assert result[1] == "rolecell: start 'next week' is not a date (use a date cell or " \
                        "YYYY-MM-DD)"
    assert result[2] == "rolecell: hours 'lots' is not a number of hours"
    assert flat(call("role", column([OPS]), "2027-05-01", "2027-01-01")) == [
        "rolecell: end 2027-01-01 is before start 2027-05-01"]
    assert flat(call("role", OPS, None, None, -3)) == [
        "rolecell: hours -3 is negative; hours per week must be 0 or more"]
    assert is_message(call("role", OPS, True)[0][0])


def test_a_range_of_the_wrong_size_gives_one_message():
    result = call("role", column([OPS, PROJECT]), column(["2027-01-01"] * 3))
    assert result == [["rolecell: start is 3 rows × 1 column but text is 2 rows × 1 column; "
                       "give start as one cell or a range of the same size"]]


def test_rules_range_with_or_without_header():
    text = "Run the quarterly cold chain audit"
    rules = [["Phrase", "Leans to", "Weight"], ["cold chain audit", "Project", 6]]
    assert call("role", text, None, None, None, rules) == [["Project"]]
    assert "'cold chain audit'" in call("role_why", text, None, None, rules)[0][0]
    assert call("role", text, None, None, None, [["cold chain audit", "Project", 6]]) == \
        [["Project"]]
    bad = call("role", text, None, None, None, [["Phrase", "Leans to"], ["audit", "maybe"]])
    assert bad == [["rolecell: rules row 2 ('audit'): leans to 'maybe'; use Operations or "
                    "Project"]]
    assert is_message(call("role", text, None, None, None,
                           [["Phrase", "Leans to"], ["audit", xr.error()]])[0][0])


# ------------------------------------------------------------------ the other formulas


def test_confidence_and_why_match_the_core():
    texts = [OPS, PROJECT, "Weekly stock count"]
    results = rolecell.classify_many(texts)
    assert flat(call("role_confidence", column(texts))) == [r.confidence for r in results]
    assert flat(call("role_why", column(texts))) == [r.rationale for r in results]
    assert all(0 <= r.confidence <= 1 for r in results)


def test_scores_spill_a_row_of_five_per_text_with_optional_header():
    result = call("role_scores", column([OPS, None, PROJECT]), None, None, True)
    assert result[0] == [d.name for d in knowledge.dimensions()]
    assert result[1] == [rolecell.classify(OPS).scores[k] for k in DIMENSIONS]
    assert result[2] == [""] * 5
    assert result[3] == [rolecell.classify(PROJECT).scores[k] for k in DIMENSIONS]
    assert call("role_scores", OPS) == [[rolecell.classify(OPS).scores[k] for k in DIMENSIONS]]
    # a row of texts gives a row of scores per text, too
    assert len(call("role_scores", [[OPS, PROJECT]])) == 2
    assert call("role_scores", xr.error())[0] == [NA] * 5


def test_scores_of_a_two_dimensional_range_is_a_message():
    result = call("role_scores", [[OPS, PROJECT], [OPS, PROJECT]])
    assert len(result) == 1 and is_message(result[0][0])
    assert "one column" in result[0][0]
    assert is_message(call("role_scores", OPS, None, None, "perhaps")[0][0])


def test_dimensions_reference_table():
    table = call("role_dimensions")
    assert table[0] == ["Dimension", "Operations manager", "Project manager"]
    assert [row[0] for row in table[1:]] == [d.name for d in knowledge.dimensions()]
    assert table[1][1] == "Ongoing, day-to-day operations"
    assert call("role_dimensions", False) == table[1:]


def test_staffing_summary_agrees_with_the_core_plan():
    roles = ["Operations", "Project", "Shared", "Unclear", "ops", None]
    hours = [30, 20, 10, 5, 12.5, None]
    starts = [None, "2027-01-01", None, None, None, None]
    ends = [None, "2027-03-31", None, None, None, None]
    table = call("role_staffing", column(roles), column(hours), None, column(starts),
                 column(ends))
    rows = [Responsibility(text="", hours=h, start=s and dt.date.fromisoformat(s),
                           end=e and dt.date.fromisoformat(e))
            for r, h, s, e in zip(roles, hours, starts, ends, strict=True) if r]
    plan = plan_staffing(Register(rows=rows), StaffingAssumptions(),
                         roles=[Role.parse(r) for r in roles if r])
    by_label = {row[0]: row for row in table}
    assert table[0] == ["", "Hours per week", "FTE", "Headcount", "Cost per year"]
    assert by_label["Operations manager"][3] == plan.headcount_operations
    assert by_label["Operations manager"][2] == round(plan.fte_operations, 2)
    assert by_label["Project manager (at peak)"][3] == plan.headcount_project
    assert by_label["Project manager (at peak)"][2] == round(plan.peak_fte_project, 2)
    assert by_label["Total"][4] == plan.cost_total
    assert by_label["Unclear (not staffed)"][1] == 5
    assert "Unclear" in by_label["Recommendation"][1]


def test_staffing_assumptions_from_a_label_value_range():
    roles, hours = column(["Operations", "Project"]), column([60, 40])
    assumptions = [["Hours per FTE", 40], ["Productive share", "80%"], [None, None],
                   ["Cost per project manager", 90000]]
    table = call("role_staffing", roles, hours, assumptions)
    expected = plan_staffing(
        Register(rows=[Responsibility("", hours=60), Responsibility("", hours=40)]),
        StaffingAssumptions(hours_per_fte=40, productive_share=0.8, cost_project=90000),
        roles=[Role.OPERATIONS, Role.PROJECT])
    assert table[1][2] == round(expected.fte_operations, 2)
    assert table[5][4] == expected.cost_total
    bad = call("role_staffing", roles, hours, [["Coffee budget", 3]])
    assert is_message(bad[0][0]) and "'Coffee budget'" in bad[0][0]
    assert is_message(call("role_staffing", roles, hours, [["Productive share", 3]])[0][0])


def test_staffing_bad_cells_give_a_message_naming_the_row():
    assert call("role_staffing", column(["Operations", "Manager"]), column([5, 5])) == [
        ["rolecell: row 2: 'Manager' is not a role (Operations, Project, Shared or Unclear)"]]
    assert call("role_staffing", column(["Operations", None]), column([5, 8])) == [
        ["rolecell: row 2: 8 hours but no role"]]
    assert call("role_staffing", column(["Operations"]), column([xr.error("#DIV/0!")])) == [
        ["rolecell: row 1 holds the error #DIV/0!"]]
    assert is_message(call("role_staffing", column(["Operations"]))[0][0])  # no hours


# ------------------------------------------------------------------ never a traceback


@pytest.mark.parametrize("name", ["role", "role_confidence", "role_why", "role_scores"])
@pytest.mark.parametrize("value", [
    None, "", 0, -1.5, 1e308, True, "#N/A", "=HYPERLINK(\"x\")", "\x00\x01", "日本語の業務",
    [[None, None], [None, None]], [[OPS, 1, True, None, xr.error()]],
])
def test_any_value_gives_cells_never_an_exception(name, value):
    result = call(name, value)
    assert isinstance(result, list) and all(isinstance(row, list) for row in result)
    widths = {len(row) for row in result}
    assert len(widths) == 1
    for row in result:
        for cell in row:
            assert cell is None or isinstance(cell, str | int | float | dict)
            assert not (isinstance(cell, str) and "Traceback" in cell)


def test_formulas_are_plain_functions_outside_excel():
    # the same definitions are ordinary Python functions: the core's answer, as a table
    assert functions.role(OPS) == [["Operations"]]
    assert functions.role_dimensions(False)[0][0] == "Horizon"
