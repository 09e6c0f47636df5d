"""The command line: help, classify, explain, demo, and exit code 2 for user errors."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest
from typer.testing import CliRunner

from rolecell.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def write_register(path, rows):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Register"
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("command", [[], ["classify"], ["explain"], ["demo"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("rolecell ")


def test_classify_writes_a_new_file_beside_the_input_and_prints_a_summary(tmp_path) -> None:
    path = write_register(tmp_path / "team.xlsx", [["Task", "Hours"],
                                                   ["Weekly stock count", 4],
                                                   ["Launch the webshop by May", 10]])
    before = path.read_bytes()
    result = run("classify", str(path))
    assert result.exit_code == 0, result.output
    assert "Operations" in result.output and "Project" in result.output
    target = tmp_path / "team-classified.xlsx"
    assert target.exists() and path.read_bytes() == before
    sheet = openpyxl.load_workbook(target).active
    assert [sheet["C2"].value, sheet["C3"].value] == ["Operations", "Project"]


def test_classify_in_place_with_backup(tmp_path) -> None:
    path = write_register(tmp_path / "team.xlsx", [["Task"], ["Weekly stock count"]])
    result = run("classify", str(path), "--in-place")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "team.bak.xlsx").exists()
    assert openpyxl.load_workbook(path).active["B2"].value == "Operations"


def test_classify_to_named_output_and_sheet(tmp_path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    sheet = workbook.create_sheet("Duties")
    sheet.append(["Duty"])
    sheet.append(["Monitor uptime daily"])
    workbook.save(tmp_path / "in.xlsx")
    result = run("classify", str(tmp_path / "in.xlsx"), "--sheet", "Duties", "-o",
                 str(tmp_path / "out.xlsx"), "-q")
    assert result.exit_code == 0 and result.output == ""
    assert openpyxl.load_workbook(tmp_path / "out.xlsx")["Duties"]["B2"].value == "Operations"


@pytest.mark.parametrize("setup, expected", [
    (lambda p: p.write_text("Name,Cost\nx,1\n"), "no Responsibility column"),
    (lambda p: p.write_text("Task,Hours\nx,-1\n"), "cell B2 (Hours): -1 is negative"),
    (lambda p: None, "no such file"),
])
def test_user_errors_exit_2_with_a_message_and_write_nothing(tmp_path, setup, expected) -> None:
    path = tmp_path / "in.csv"
    setup(path)
    result = run("classify", str(path))
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == (["in.csv"] if path.exists() else [])


def test_in_place_and_output_together_is_an_error(tmp_path) -> None:
    path = write_register(tmp_path / "a.xlsx", [["Task"], ["x"]])
    result = run("classify", str(path), "--in-place", "-o", str(tmp_path / "b.xlsx"))
    assert result.exit_code == 2 and "either --in-place or -o" in result.output


def test_explain_prints_role_confidence_and_evidence_per_dimension() -> None:
    result = run("explain", "Implement the new WMS by Q3 with a cross-functional team")
    assert result.exit_code == 0
    for text in ("Project", "confidence", "Horizon", "Change", "Structure", "Objective",
                 "Way of working", "implement"):
        assert text in result.output


def test_demo_runs_on_the_sample(tmp_path) -> None:
    result = run("demo", "-o", str(tmp_path / "demo.xlsx"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo.xlsx").exists()
    assert "Operations" in result.output


def test_module_entry_point_and_exit_code_in_a_real_process(tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Foo\n1\n")
    process = subprocess.run([sys.executable, "-m", "rolecell", "classify", str(bad)],
                             capture_output=True, text=True, timeout=120)
    assert process.returncode == 2
    assert "error:" in process.stderr and "Traceback" not in process.stderr
