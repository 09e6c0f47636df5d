"""rolecell's ribbon actions, run through xlwings.server.custom_scripts_call on remote-book JSON.

Each test builds the workbook as the Office.js client sends it, runs the script as xlwings
Server does, and asserts on the cells its actions write.
"""

from __future__ import annotations

import xlwings as xw
import xlwings_remote as xr

import rolecell
from rolecell.excel import scripts
from rolecell.model import REGISTER_COLUMNS

OPS = "Replenish pick faces from reserve racking every morning"
PROJECT = "Plan and deliver the migration to the new ERP system by March 2027"
INJECTION = "=cmd|' /C calc'!A0"


def run(name, payload):
    found = xr.run_script(scripts, name, payload)
    return found, xr.written(found, payload)


def alerts(found):
    return [a["args"][0] for a in xr.actions(found, "alert")]


def test_scripts_are_listed_with_names():
    listed = {s["function_name"]: s["name"] for s in xr.scripts_meta(scripts)}
    assert listed == {"classify_register": "Classify register", "new_register": "New register",
                      "build_comparison": "Build comparison", "build_staffing": "Build staffing"}


def test_classify_register_writes_role_confidence_and_why():
    payload = xr.book({
        "Notes": [["not a register"]],
        "Register": [
            ["Larkfield Provisions", None, None, None, None, None],
            [None, None, None, None, None, None],
            ["ID", "Task", "Hours", "Start", "End", "Override"],
            ["R1", OPS, 24, None, None, None],
            ["R2", PROJECT, 10, "2027-01-01T00:00:00.000Z", "2027-03-31T00:00:00.000Z", None],
            [None, None, None, None, None, None],
            ["R3", INJECTION, 2, None, None, "Project"],
        ]})
    found, cells = run("classify_register", payload)
    sheet = cells["Register"]
    assert (sheet[(3, 7)], sheet[(3, 8)], sheet[(3, 9)]) == ("Role", "Confidence", "Why")
    expected = rolecell.classify(OPS)
    assert sheet[(4, 7)] == "Operations" == str(expected.role)
    assert sheet[(4, 8)] == round(expected.confidence, 2)
    assert sheet[(4, 9)] == expected.rationale
    dated = rolecell.classify(PROJECT, start="2027-01-01", end="2027-03-31")
    assert sheet[(5, 7)] == "Project" and sheet[(5, 9)] == dated.rationale
    assert (sheet[(6, 7)], sheet[(6, 8)], sheet[(6, 9)]) == ("", "", "")  # blank row
    assert sheet[(7, 7)] == "Project" and sheet[(7, 8)] == 1.0  # the override wins ...
    assert sheet[(7, 9)].startswith("override by hand")  # ... and says so
    assert "Notes" not in cells and alerts(found) == []
    assert not any(v == INJECTION for v in sheet.values())  # user text is never rewritten
    formats = xr.actions(found, "setNumberFormat")
    assert formats and formats[0]["args"] == ["0.00"]


def test_classify_register_reuses_existing_output_columns_and_honours_rules():
    text = "Run the quarterly cold chain audit"
    payload = xr.book({
        "Register": [["Responsibility", "Role", "Why", "Confidence"],
                     [text, "old", "old", 0.1]],
        "Rules": [["Phrase", "Leans to", "Weight"], ["cold chain audit", "Project", 8]],
    })
    _, cells = run("classify_register", payload)
    sheet = cells["Register"]
    assert (1, 2) not in sheet  # headers already there: not rewritten
    assert sheet[(2, 2)] == "Project"
    assert "'cold chain audit'" in sheet[(2, 3)]
    assert isinstance(sheet[(2, 4)], float)


def test_bad_cells_stop_with_a_message_naming_them_and_nothing_is_written():
    payload = xr.book({"Register": [
        ["Responsibility", "Hours per week", "Start", "Override"],
        [OPS, "lots", None, None],
        [PROJECT, 4, "next week", "maybe"],
        [OPS, "#N/A", None, None],
    ]})
    found, cells = run("classify_register", payload)
    assert cells == {}
    [message] = alerts(found)
    assert "Sheet 'Register': 4 bad value(s); nothing was written" in message
    assert "cell B2 (Hours per week): 'lots' is not a number of hours" in message
    assert "cell C3 (Start): 'next week' is not a date" in message
    assert "cell D3 (Override): 'maybe' is not a role" in message
    assert "cell B4 (Hours per week): holds the error #N/A" in message


def test_bad_rules_and_missing_register_give_a_message():
    payload = xr.book({"Register": [["Responsibility"], [OPS]],
                       "Rules": [["Phrase", "Leans to"], ["audit", "sometimes"]]})
    found, cells = run("classify_register", payload)
    assert cells == {}
    assert alerts(found) == ["sheet 'Rules' row 2 ('audit'): leans to 'sometimes'; use "
                             "Operations or Project"]
    found, cells = run("classify_register", xr.book({"Sheet1": [["Name", "Age"], ["x", 1]]}))
    assert cells == {} and alerts(found)[0].startswith("No register found")
    found, cells = run("classify_register", xr.book({"Register": [["Responsibility"]]}))
    assert "no rows yet" in alerts(found)[0]


def test_new_register_adds_a_ready_sheet_and_rules():
    payload = xr.book({"Register": [["Responsibility"], [OPS]]})
    found, cells = run("new_register", payload)
    added = [a["args"][1] for a in xr.actions(found, "addSheet")]
    assert added == ["Register 2", "Rules"]
    headers = [cells["Register 2"][(1, c)] for c in range(1, len(REGISTER_COLUMNS) + 1)]
    assert headers == [c.header for c in REGISTER_COLUMNS]
    assert [cells["Rules"][(1, c)] for c in range(1, 5)] == ["Phrase", "Leans to", "Weight",
                                                             "Dimension"]
    assert xr.actions(found, "activateSheet")
    # a book with a Rules sheet keeps it
    found, _ = run("new_register", xr.book({"Rules": [["Phrase", "Leans to"]]}))
    assert [a["args"][1] for a in xr.actions(found, "addSheet")] == ["Register"]


def _register_book():
    return xr.book({"Tasks": [
        ["ID", "Task", "Hours", "Area"],
        ["R1", OPS, 24, "Warehouse"],
        ["R2", PROJECT, 10, "IT"],
        ["R3", INJECTION, 2, "IT"],
    ]})


def test_build_comparison_renders_the_layout_into_the_book():
    payload = _register_book()
    found, cells = run("build_comparison", payload)
    register, sheet = cells["Tasks"], cells["Comparison"]
    assert [register[(1, c)] for c in range(5, 11)] == ["Start", "End", "Override", "Role",
                                                        "Confidence", "Why"]
    assert sheet[(1, 1)].startswith("'Operations manager or project manager")
    assert "'Horizon" in sheet.values()
    formulas = [v for v in sheet.values() if isinstance(v, str) and v.startswith("=")]
    assert formulas and all("Register!" not in f for f in formulas)
    assert any("'Tasks'!$C:$C" in f for f in formulas)  # hours, where they really are
    texts = [v for v in sheet.values() if isinstance(v, str)]
    assert INJECTION not in texts  # user text: only ever with the text prefix
    assert xr.actions(found, "addChart")
    assert alerts(found) == []


def test_build_staffing_renders_formulas_and_names():
    payload = _register_book()
    found, cells = run("build_staffing", payload)
    sheet = cells["Staffing"]
    names = {a["args"][0]: a["args"][1] for a in xr.actions(found, "namesAdd")}
    assert names["HoursPerFTE"] == "=Staffing!$B$5"
    assert {"HeadcountOperations", "HeadcountProject", "CostTotal"} <= set(names)
    assert sheet[(5, 2)] == 37.5  # the default assumption, editable
    assert any(isinstance(v, str) and v.startswith("=") and "RoundingTolerance" in v
               for v in sheet.values())
    assert xr.actions(found, "activateSheet")


def test_build_staffing_refresh_keeps_edited_assumptions():
    payload = _register_book()
    payload["sheets"].append({"name": "Staffing", "values": [[None, None]] * 4 +
                              [["Hours per FTE per week", 40]], "pictures": [], "tables": [],
                              "charts": [], "shapes": [], "notes": []})
    payload["names"] = [{"name": "HoursPerFTE", "sheet_index": 1, "address": "$B$5",
                         "scope_sheet_name": None, "scope_sheet_index": None,
                         "book_scope": True}]
    found, cells = run("build_staffing", payload)
    assert cells["Staffing"][(5, 2)] == 40
    assert "addSheet" not in {a["func"] for a in found}  # refreshed in place
    assert xr.actions(found, "nameDelete")


def test_build_with_no_register_is_a_message():
    found, cells = run("build_staffing", xr.book({"Sheet1": [["x"]]}))
    assert cells == {} and alerts(found)[0].startswith("No register found")


def _ribbon_module():
    """The classic ribbon button (rolecell.main -> scripts.update_all), as an xlwings script."""
    import types

    module = types.ModuleType("ribbon")

    @xw.script
    def update_all(book: xw.Book) -> None:
        scripts.update_all(book)

    module.update_all = update_all
    return module


def test_ribbon_button_on_a_book_without_register_adds_one():
    found = xr.run_script(_ribbon_module(), "update_all", xr.book({"Sheet1": [["hello"]]}))
    added = [a["args"][1] for a in xr.actions(found, "addSheet")]
    assert "Register" in added


def test_ribbon_button_classifies_and_builds_both_result_sheets():
    payload = xr.book({"Register": [["Responsibility", "Hours per week"], [OPS, 20],
                                    [PROJECT, 10]]})
    found = xr.run_script(_ribbon_module(), "update_all", payload)
    cells = xr.written(found, payload)
    assert cells["Register"][(2, 3)] == "Operations"
    assert cells["Register"][(3, 3)] == "Project"
    assert {"Comparison", "Staffing"} <= set(cells)


def test_rolecell_main_is_the_xlam_entry_point():
    assert callable(rolecell.main)
