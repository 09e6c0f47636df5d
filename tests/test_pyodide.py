"""rolecell in Pyodide, the runtime of xlwings Lite, run under Node and offline (issue 6).

One Pyodide (npm package `pyodide`, pinned in tests/pyodide/package.json) and one reference
CPython are started per test session; both load the same driver (tests/pyodide/driver.py) and
answer the same requests, so every assertion here is "Pyodide gives what CPython gives":

- the rolecell wheel is pure Python, and with it, xlwings, openpyxl, et-xmlfile and
  snowballstemmer (pure wheels from `pip download`) rolecell runs in Pyodide with nothing else:
  no pandas, typer or rich exists there, and none loads on the Excel path in CPython either;
- classify / classify_many give the same role, confidence, scores, rationale and evidence;
- every custom function, called through xlwings' own custom_functions_call as Excel would,
  gives the same cells, including readable messages for bad arguments;
- every script, called through xlwings' custom_scripts_call on a remote-book payload, asks
  Excel for the same actions.

Skipped, with the reason, only when node or the npm package is not installed
(`apt-get install -y nodejs npm` and `npm ci --prefix tests/pyodide`).
"""

from __future__ import annotations

import csv
import importlib.util
import os
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "pyodide"))

import harness  # noqa: E402

pytestmark = pytest.mark.slow

EXCEL_PATH = ("rolecell", "rolecell.excel.functions", "rolecell.excel.scripts",
              "rolecell.excel.render")
"""The modules xlwings Lite imports through main.py (see `rolecell lite`) and its buttons."""


class Runtimes:
    """The Pyodide under test and the CPython it must agree with."""

    def __init__(self, pyodide: harness.Runtime, cpython: harness.Runtime, wheels: Path):
        self.pyodide = pyodide
        self.cpython = cpython
        self.wheels = wheels

    def both(self, op: str, **arguments: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The answers of Pyodide and CPython to the same request, without their ids."""
        answers = []
        for runtime in (self.pyodide, self.cpython):
            answer = runtime.request(op, **arguments)
            answer.pop("id", None)
            answers.append(answer)
        return answers[0], answers[1]

    def same(self, op: str, **arguments: Any) -> Any:
        """Assert that both runtimes answer alike and without error; the common result."""
        in_pyodide, in_cpython = self.both(op, **arguments)
        assert "error" not in in_cpython, in_cpython["error"]
        assert in_pyodide == in_cpython
        return in_cpython["result"]


@pytest.fixture(scope="session")
def runtimes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtimes]:
    try:
        harness.node_executable()
    except harness.HarnessUnavailable as missing:
        pytest.skip(f"Pyodide harness unavailable: {missing}")
    wheels = harness.prepare_wheels(
        None if os.environ.get(harness.WHEELS_ENV)
        else tmp_path_factory.mktemp("pyodide-wheels")
    )
    with harness.start_pyodide(wheels) as pyodide, harness.start_cpython() as cpython:
        yield Runtimes(pyodide, cpython, wheels)


def _excel_modules() -> list[str]:
    return [name for name in EXCEL_PATH if importlib.util.find_spec(name) is not None]


# ---------------------------------------------------------------- the runtime and the wheels


def test_the_runtime_is_the_pinned_pyodide(runtimes: Runtimes) -> None:
    ready = runtimes.pyodide.ready
    assert ready["pyodide"] == harness.pyodide_version()
    info = runtimes.pyodide.result("info")
    assert info["platform"] == "emscripten"
    assert info["python"] == ready["python"]
    assert info["env"] == harness.XLWINGS_ENV


def test_every_wheel_is_pure_python(runtimes: Runtimes) -> None:
    names = runtimes.pyodide.ready["wheels"]
    assert {name.split("-")[0].lower() for name in names} == {
        "rolecell", "xlwings", "openpyxl", "et_xmlfile", "snowballstemmer"}
    assert all(name.endswith("-none-any.whl") for name in names)


def test_the_vocabulary_ships_inside_the_wheel(runtimes: Runtimes) -> None:
    wheel = next(runtimes.wheels.glob("rolecell-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"rolecell/knowledge/cues.csv", "rolecell/knowledge/dimensions.toml",
            "rolecell/knowledge/patterns.toml"} <= names


def test_versions_match_between_runtimes(runtimes: Runtimes) -> None:
    assert runtimes.pyodide.result("info")["versions"] == \
        runtimes.cpython.result("info")["versions"]


def test_the_excel_path_imports_in_pyodide_with_nothing_heavy(runtimes: Runtimes) -> None:
    """pandas, typer and rich are not even installed in this Pyodide: importing works anyway."""
    modules = _excel_modules()
    assert "rolecell.excel.functions" in modules
    info = runtimes.pyodide.result("info", modules=modules)
    assert info["imported"] == modules
    assert info["heavy_loaded"] == []


def test_the_excel_path_loads_nothing_heavy_in_cpython(runtimes: Runtimes) -> None:
    """In CPython, xlwings itself loads pandas/numpy when they are installed; rolecell adds none.

    Checked in fresh CPython processes: one imports only xlwings (the baseline), one imports
    rolecell alone (nothing heavy at all), one the whole Excel path.
    """
    with harness.start_cpython() as fresh:
        alone = fresh.result("info", modules=["rolecell"])
    assert alone["heavy_loaded"] == [], "import rolecell must not load " + str(alone)
    with harness.start_cpython() as fresh:
        baseline = set(fresh.result("info", modules=["xlwings", "xlwings.server"])
                       ["heavy_loaded"])
    with harness.start_cpython() as fresh:
        excel = set(fresh.result("info", modules=_excel_modules())["heavy_loaded"])
    assert excel - baseline == set(), f"the Excel path loads {sorted(excel - baseline)}"
    assert not excel & {"typer", "rich", "click"}


def test_the_harness_is_offline(runtimes: Runtimes) -> None:
    answer = runtimes.pyodide.request("network_probe", url="https://example.org/simple/")
    assert "offline harness: refused" in answer.get("error", ""), answer


# ---------------------------------------------------------------- the core


def _corpus_texts() -> list[str]:
    texts = []
    for split in ("train", "heldout"):
        path = ROOT / "benchmarks" / "corpus" / f"{split}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle)]
    return texts


EDGE_TEXTS = [
    "", "   ", "Replenish pick faces every morning", "Lead the ERP migration by Q3",
    "=HYPERLINK(\"http://x\",\"click\")", "+cmd|' /C calc'!A0", "-1", "@SUM(A1)",
    "Résumé de la migration – phase 2 … 完成", "😀 daily stand-up with the warehouse team",
    "OPERATIONS AND PROJECTS", "x" * 5000, "3.0", "Tuesday 14:00 weekly review",
    "Deliver the new CRM by 2027-03-31 within budget",
]


def test_classify_many_matches_cpython_on_the_corpus(runtimes: Runtimes) -> None:
    texts = _corpus_texts() + EDGE_TEXTS
    results = runtimes.same("classify", texts=texts)
    assert len(results) == len(texts)
    assert {r["role"] for r in results} >= {"Operations", "Project", "Unclear"}


def test_classify_with_dates_and_rules_matches_cpython(runtimes: Runtimes) -> None:
    texts = ["Run the quarterly stock count", "Roll out the new WMS", "Support the pilot"] * 3
    starts = [None, "2027-01-01", "2027-02-01", "2027-01-01", None, "not a date",
              "2026-12-31", "2027-06-01", None]
    ends = [None, "2027-06-30", None, "2029-01-01", "2027-03-31", None, "2027-01-15", None,
            "2027-09-30"]
    rules = [["pilot", "Project", 3.0], ["stock count", "Operations", 2.5, "horizon"]]
    results = runtimes.same("classify", texts=texts, starts=starts, ends=ends, rules=rules)
    assert any(e[4] == "rule" for r in results for e in r["evidence"])
    assert any(e[4] == "dates" for r in results for e in r["evidence"])


# ---------------------------------------------------------------- custom functions


def _column(values: list[Any]) -> list[list[Any]]:
    return harness.rows(values)


TEXTS = _column(["Replenish pick faces every morning", "Lead the ERP migration by Q3", "",
                 "Approve supplier invoices weekly", 42, True, "=1+1",
                 "Plan and deliver the new depot opening in 2027", "Monitor KPIs daily"])
SERIAL_2027_01_01 = 46388  # Office.js sends dates as Excel serial numbers
STARTS = _column([None, SERIAL_2027_01_01, None, None, None, None, None, SERIAL_2027_01_01,
                  None])
ENDS = _column([None, SERIAL_2027_01_01 + 180, None, None, None, None, None,
                SERIAL_2027_01_01 + 300, None])
HOURS = _column([10, 6, None, 4, 1, 2, 0.5, 12, 3])
RULES = [["Phrase", "Leans to", "Weight"], ["supplier invoices", "Operations", 3],
         ["depot opening", "Project", 2]]
ASSUMPTIONS = [["Hours per FTE", 37.5], ["Productive share", 0.85],
               ["Shared to operations", 0.5], ["Cost operations", 72000],
               ["Cost project", 80000]]
ROLES = _column(["Operations", "Project", "Shared", "Unclear", "Operations", "ops", "PM",
                 "Project", ""])
STAFF_HOURS = _column([10, 6, 4, 1, 2, 0.5, 12, 3, None])

FUNCTION_CASES: list[tuple[str, list[Any]]] = [
    # (function, args as Excel sends them; None for an argument left out)
    ("role", [[["Replenish pick faces every morning"]], None, None, None, None]),
    ("role", [TEXTS, None, None, None, None]),
    ("role", [TEXTS, STARTS, ENDS, HOURS, RULES]),
    ("role", [[["Lead the ERP migration"]], [["not a date"]], None, None, None]),
    ("role", [TEXTS, [[1], [2]], None, None, None]),  # mismatched sizes: one message
    ("role", [TEXTS, None, None, [[-5]], None]),
    ("role", [TEXTS, None, None, None, [["Phrase", "Leans to"], ["x", "Sideways"]]]),
    ("role", [[["a", "Lead the new system roll-out"], ["Run payroll monthly", ""]], None, None,
              None, None]),
    ("role_confidence", [TEXTS, STARTS, ENDS, RULES]),
    ("role_why", [TEXTS, STARTS, ENDS, RULES]),
    ("role_why", [[["x" * 40000]], None, None, None]),
    ("role_scores", [TEXTS, STARTS, ENDS, True, None]),
    ("role_scores", [TEXTS, None, None, None, RULES]),
    ("role_scores", [[["a", "b"], ["c", "d"]], None, None, None, None]),  # 2-D: a message
    ("role_dimensions", [None]),
    ("role_dimensions", [False]),
    ("role_staffing", [ROLES, STAFF_HOURS, ASSUMPTIONS]),
    ("role_staffing", [ROLES, STAFF_HOURS, None]),
    ("role_staffing", [ROLES, None, None]),
    ("role_staffing", [ROLES, HOURS, None]),  # hours on a row with no role: a message
    ("role_staffing", [_column(["Manager", "Project"]), _column([1, 2]), None]),
    ("role_staffing", [ROLES, STAFF_HOURS, [["Productive share", 3]]]),
]


def _functions(runtimes: Runtimes) -> list[str]:
    meta = runtimes.cpython.result("functions_meta", module="rolecell.excel.functions")
    return sorted(f["id"].lower() for f in meta["functions"])


def test_functions_register_alike(runtimes: Runtimes) -> None:
    meta = runtimes.same("functions_meta", module="rolecell.excel.functions")
    assert "ROLE" in {f["name"] for f in meta["functions"]}


def test_every_function_has_a_case() -> None:
    import rolecell.excel.functions as functions

    assert set(functions.__all__) <= {name for name, _ in FUNCTION_CASES}


@pytest.mark.parametrize(("function", "args"), FUNCTION_CASES,
                         ids=[f"{name}-{i}" for i, (name, _) in enumerate(FUNCTION_CASES)])
def test_function_call_matches_cpython(runtimes: Runtimes, function: str,
                                       args: list[Any]) -> None:
    result = runtimes.same("functions_call", module="rolecell.excel.functions",
                           func_name=function, args=args)
    assert isinstance(result, list) and all(isinstance(row, list) for row in result)
    text = repr(result)
    assert "Traceback" not in text and "unexpected problem" not in text, text[:500]


def test_role_spills_one_row_per_cell(runtimes: Runtimes) -> None:
    result = runtimes.same("functions_call", module="rolecell.excel.functions",
                           func_name="role", args=[TEXTS, None, None, None, None])
    assert len(result) == len(TEXTS)
    assert result[0] == ["Operations"] and result[1] == ["Project"] and result[2] == [""]


def test_a_bad_argument_is_a_readable_message_in_pyodide(runtimes: Runtimes) -> None:
    answer = runtimes.pyodide.result("functions_call", module="rolecell.excel.functions",
                                     func_name="role", args=[TEXTS, [[1], [2]], None, None,
                                                             None])
    (cell,) = (value for row in answer for value in row if value not in ("", None))
    assert isinstance(cell, str) and cell.startswith("rolecell")
    assert "Traceback" not in cell and "Error" not in cell.split(":")[0]


def test_role_over_a_large_column_matches_cpython(runtimes: Runtimes) -> None:
    texts = _corpus_texts()
    column = _column([f"{text} (item {i % 7})" for i, text in enumerate(texts * 3)])
    result = runtimes.same("functions_call", module="rolecell.excel.functions",
                           func_name="role", args=[column, None, None, None, None])
    assert len(result) == len(column)


def test_every_function_is_called_in_the_cases(runtimes: Runtimes) -> None:
    assert set(_functions(runtimes)) <= {name for name, _ in FUNCTION_CASES}


# ---------------------------------------------------------------- `rolecell lite`, the user's path


def _lite(*args: str) -> Any:
    from typer.testing import CliRunner

    from rolecell.cli import app

    return CliRunner().invoke(app, ["lite", *args])


def test_rolecell_lite_main_py_registers_the_formulas_and_scripts_in_pyodide(
        runtimes: Runtimes, tmp_path: Path) -> None:
    """The main.py a user pastes into xlwings Lite imports and registers, in Pyodide as here."""
    done = _lite("-o", str(tmp_path))
    assert done.exit_code == 0, done.output
    source = (tmp_path / "main.py").read_text(encoding="utf-8")
    assert runtimes.same("load_module", name="main", source=source) == {"file": "main.py"}
    assert runtimes.pyodide.result("info")["heavy_loaded"] == []
    meta = runtimes.same("functions_meta", module="main")
    assert {"ROLE", "ROLE_WHY", "ROLE_CONFIDENCE"} <= {f["name"] for f in meta["functions"]}
    scripts = runtimes.same("scripts_meta", module="main")
    labels = {str(s.get("name") or s["function_name"]).lower() for s in scripts}
    assert any("classify" in label for label in labels), scripts
    cells = runtimes.same("functions_call", module="main", func_name="role",
                          args=[TEXTS, None, None, None, None])
    assert cells[0] == ["Operations"]


def test_rolecell_lite_requirements_name_rolecell_by_version_or_url(tmp_path: Path) -> None:
    import importlib.metadata

    import rolecell

    assert _lite("-o", str(tmp_path)).exit_code == 0
    lines = [line for line in (tmp_path / "requirements.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    assert lines == [f"xlwings=={importlib.metadata.version('xlwings')}",
                     f"rolecell=={rolecell.__version__}"]
    url = "https://example.org/dl/rolecell-0.1.0-py3-none-any.whl"
    done = _lite("-o", str(tmp_path), "--wheel-url", url)
    assert done.exit_code == 0, done.output
    assert url in (tmp_path / "requirements.txt").read_text().splitlines()
    assert "Classify register" in done.output and "=ROLE(B2:B60)" in done.output


@pytest.mark.parametrize("url", ["ftp://x/rolecell-0.1.0-py3-none-any.whl",
                                 "https://x/rolecell-0.1.0-cp312-cp312-win_amd64.whl",
                                 "https://x/other-0.1.0-py3-none-any.whl", "rolecell.whl"])
def test_rolecell_lite_refuses_a_bad_wheel_url(tmp_path: Path, url: str) -> None:
    done = _lite("-o", str(tmp_path), "--wheel-url", url)
    assert done.exit_code == 2
    assert not (tmp_path / "main.py").exists()


def test_rolecell_lite_never_replaces_a_users_file(tmp_path: Path) -> None:
    mine = tmp_path / "main.py"
    mine.write_text("print('my own code')\n", encoding="utf-8")
    done = _lite("-o", str(tmp_path))
    assert done.exit_code == 2
    assert mine.read_text(encoding="utf-8") == "print('my own code')\n"
    assert "not written by rolecell lite" in done.output


# ---------------------------------------------------------------- scripts


def _book(sheets: dict[str, list[list[Any]]], active: int = 0) -> dict[str, Any]:
    """xlwings' remote-book JSON, as the Office.js client (and xlwings Lite) sends it."""
    import importlib.metadata

    return {
        "client": "Office.js",
        "version": importlib.metadata.version("xlwings"),
        "book": {"name": "Register.xlsx", "active_sheet_index": active, "selection": "A1"},
        "names": [],
        "sheets": [
            {"name": name, "values": values or [[]], "pictures": [], "tables": [],
             "shapes": [], "charts": [], "notes": [], "visibility": "Visible",
             "show_gridlines": True, "pivot_tables": [], "print_area": None}
            for name, values in sheets.items()
        ],
    }


def _sample_register() -> list[list[Any]]:
    with (ROOT / "workbooks" / "sample-register.csv").open(encoding="utf-8",
                                                           newline="") as handle:
        rows = list(csv.reader(handle))
    hours = rows[0].index("Hours per week")
    return [rows[0]] + [[float(v) if i == hours and v else v for i, v in enumerate(row)]
                        for row in rows[1:]]


BOOKS: dict[str, dict[str, Any]] = {
    "sample": _book({"Register": _sample_register(),
                     "Rules": [["Phrase", "Leans to", "Weight"], ["pick faces", "Operations", 2]]}),
    "offset-header-extra-columns": _book({
        "Notes": [["Quarterly review"]],
        "Duties": [["Team duties 2027", None, None, None, None, None],
                   [None, None, None, None, None, None],
                   ["Task", "Dept", "Hrs/wk", "Deadline", "Override", "Cost centre"],
                   ["Roll out the new WMS", "IT", 8, SERIAL_2027_01_01 + 90, None, "CC-1"],
                   ["Approve supplier invoices weekly", "Finance", 4, None, "Project", "CC-2"],
                   ["=HYPERLINK(\"http://x\")", "IT", 1, None, None, "CC-3"],
                   [None, None, None, None, None, None],
                   ["Daily stand-up with the warehouse team", "Ops", 2.5, None, None, "CC-4"]],
    }, active=1),
    "no-register": _book({"Budget": [["Item", "Amount"], ["Rent", 1200], ["Power", 300]],
                          "Sheet2": [[]]}),
    "header-only": _book({"Register": [["ID", "Responsibility", "Hours per week"]]}),
    "bad-cells": _book({"Register": [["Responsibility", "Hours per week", "Start", "End"],
                                     ["Plan the move", "lots", "2027-01-01", "2026-01-01"],
                                     ["Run payroll", 3, "soon", None]]}),
}


def _scripts(runtimes: Runtimes) -> list[str]:
    meta = runtimes.cpython.result("scripts_meta", module="rolecell.excel.scripts")
    return sorted(entry["function_name"] for entry in meta)


def test_scripts_register_alike(runtimes: Runtimes) -> None:
    meta = runtimes.same("scripts_meta", module="rolecell.excel.scripts")
    assert "Classify register" in {entry.get("name") for entry in meta}


@pytest.mark.parametrize("book", sorted(BOOKS))
def test_every_script_asks_for_the_same_actions(runtimes: Runtimes, book: str) -> None:
    for name in _scripts(runtimes):
        in_pyodide, in_cpython = runtimes.both(
            "scripts_call", module="rolecell.excel.scripts", script_name=name,
            book=BOOKS[book])
        assert in_pyodide == in_cpython, f"script {name} on book {book}"
        assert "error" not in in_cpython, f"script {name} on book {book}: {in_cpython}"


def _actions(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return answer["actions"]


def test_classify_register_writes_role_confidence_why_in_pyodide(runtimes: Runtimes) -> None:
    result = runtimes.same("scripts_call", module="rolecell.excel.scripts",
                           script_name="classify_register", book=BOOKS["sample"])
    written = [a for a in _actions(result) if a["func"] == "setValues"]
    headers = [a["values"] for a in written if a["start_row"] == 0]
    assert [["Role"]] in headers and [["Why"]] in headers
    roles = {v for a in written if a["start_row"] == 1 for row in a["values"] for v in row}
    assert {"Operations", "Project"} <= roles


def test_a_book_without_register_gets_a_message_and_nothing_else(runtimes: Runtimes) -> None:
    result = runtimes.same("scripts_call", module="rolecell.excel.scripts",
                           script_name="classify_register", book=BOOKS["no-register"])
    actions = _actions(result)
    assert [a["func"] for a in actions] == ["alert"], actions
    assert "No register found" in actions[0]["args"][0]


def test_the_walkthrough_shows_the_files_rolecell_lite_writes(tmp_path: Path) -> None:
    """The README lets users without Python copy the files: they must be the real ones."""
    import re

    assert _lite("-o", str(tmp_path)).exit_code == 0
    doc = (ROOT / "README.md").read_text(encoding="utf-8")
    requirements = re.search(r"\*\*requirements\.txt\*\*:\n\n```text\n(.*?)```", doc, re.S)
    main = re.search(r"\*\*main\.py\*\*:\n\n```python\n(.*?)```", doc, re.S)
    assert requirements and main

    def code(text: str) -> list[str]:
        body = text.split('"""')[-1]  # after the module docstring
        return [line for line in body.splitlines() if line and not line.startswith("#")]

    written = (tmp_path / "requirements.txt").read_text(encoding="utf-8")
    assert code(requirements.group(1)) == code(written)
    assert code(main.group(1)) == code((tmp_path / "main.py").read_text(encoding="utf-8"))
