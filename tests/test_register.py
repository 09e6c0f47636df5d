"""Reading registers from xlsx/xlsm/csv, and writing classified ones without harming the input."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

import rolecell
from rolecell import Role
from rolecell.register import RegisterError, read_register, write_register

INJECTIONS = ['=HYPERLINK("http://x.example","click")', "=cmd|' /C calc'!A0", "+1+1", "-2+3",
              "@SUM(A1:A2)"]


def make_xlsx(path: Path, rows: list[list], sheet: str = "Register", extra_sheets=()) -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    for name in extra_sheets:
        workbook.create_sheet(name)["A1"] = f"kept {name}"
    workbook.save(path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reads_the_sample_csv() -> None:
    from rolecell.cli.core_commands import sample_path

    register = read_register(sample_path())
    assert len(register) >= 60
    assert register.columns["text"] == "Responsibility"
    dated = [row for row in register if row.start and row.end]
    assert dated and all(row.start <= row.end for row in dated)
    assert sum(1 for row in register if row.override) == 3


def test_header_anywhere_synonyms_any_order_extra_columns_and_empty_rows(tmp_path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [
        ["Acme responsibilities", None, None, None],
        [None, None, None, None],
        ["Dept", "Task", "Hrs/wk", "Notes", "Due date"],
        ["Warehouse", "Weekly stock count", 4, "keep me", None],
        [None, None, None, None, None],
        ["IT", "Migrate mail to the cloud", "2,5", "", dt.datetime(2027, 6, 30)],
    ])
    register = read_register(path)
    assert register.header_row == 3
    assert [row.text for row in register] == ["Weekly stock count", "Migrate mail to the cloud"]
    assert [row.area for row in register] == ["Warehouse", "IT"]
    assert [row.hours for row in register] == [4.0, 2.5]
    assert register.rows[1].end == dt.date(2027, 6, 30)
    assert register.rows[0].extra == {"Notes": "keep me"}
    assert [row.row for row in register] == [4, 6]
    assert [row.id for row in register] == ["R0001", "R0002"]


def test_odd_values_in_the_text_column_become_text(tmp_path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [
        ["Responsibility"], [42], [3.5], [True], [dt.datetime(2027, 1, 2)], ["#N/A"],
    ])
    texts = [row.text for row in read_register(path)]
    assert texts == ["42", "3.5", "TRUE", "2027-01-02", "#N/A"]
    roles = [rolecell.classify(t).role for t in texts]
    assert set(roles) <= set(Role)


def test_bad_hours_dates_and_overrides_are_reported_with_their_cells(tmp_path) -> None:
    path = make_xlsx(tmp_path / "bad.xlsx", [
        ["Responsibility", "Hours per week", "Start", "End", "Override"],
        ["a", -3, None, None, None],
        ["b", "lots", "next week", None, "maybe"],
        ["c", 2, "2027-05-01", "2027-01-01", "ops"],
    ])
    with pytest.raises(RegisterError) as error:
        read_register(path)
    message = str(error.value)
    assert "bad.xlsx" in message and "sheet 'Register'" in message
    for fragment in ("cell B2 (Hours per week): -3 is negative", "cell B3 (Hours per week): "
                     "'lots' is not a number", "cell C3 (Start): 'next week' is not a date",
                     "cell E3 (Override): 'maybe' is not a role", "cell D4 (End): ends"):
        assert fragment in message


def test_lenient_reading_collects_problems_instead(tmp_path) -> None:
    path = make_xlsx(tmp_path / "bad.xlsx", [["Task", "Hours"], ["a", -1], ["b", 3]])
    register = read_register(path, strict=False)
    assert [row.hours for row in register] == [None, 3.0]
    assert register.problems == ["cell B2 (Hours): -1 is negative; hours per week must be 0 or "
                                 "more"]


def test_no_responsibility_column_names_file_sheet_and_headers(tmp_path) -> None:
    path = make_xlsx(tmp_path / "nope.xlsx", [["Name", "Cost"], ["x", 1]], sheet="Data")
    with pytest.raises(RegisterError) as error:
        read_register(path)
    message = str(error.value)
    assert "nope.xlsx" in message and "Data" in message
    assert "A1 'Name'" in message and "B1 'Cost'" in message


def test_named_sheet_must_exist(tmp_path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [["Task"], ["a"]])
    with pytest.raises(RegisterError, match="no sheet named 'Other'; sheets: Register"):
        read_register(path, sheet="Other")


@pytest.mark.parametrize("content, message", [
    (b"this is not a workbook", "not an Excel workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "is encrypted"),
    (b"PK\x03\x04broken zip", "not an Excel workbook"),
], ids=["text", "encrypted-or-xls", "broken-zip"])
def test_unreadable_files_get_a_clear_message(tmp_path, content: bytes, message: str) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    with pytest.raises(RegisterError, match=message):
        read_register(path)


def test_zip_that_is_not_a_workbook(tmp_path) -> None:
    path = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(RegisterError, match="damaged"):
        read_register(path)


def test_unsupported_suffix_and_missing_file(tmp_path) -> None:
    (tmp_path / "r.ods").write_text("x")
    with pytest.raises(RegisterError, match="unsupported file type .ods"):
        read_register(tmp_path / "r.ods")
    with pytest.raises(RegisterError, match="no such file"):
        read_register(tmp_path / "missing.xlsx")


def test_csv_with_semicolons_and_windows_encoding(tmp_path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("Tâche;Duty;Hrs/wk\nx;Café rota weekly;3\n".encode("cp1252"))
    register = read_register(path)
    assert register.rows[0].text == "Café rota weekly"
    assert register.rows[0].hours == 3.0


def test_rules_sheet_is_read_and_honoured(tmp_path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Register"
    workbook.active.append(["Responsibility"])
    workbook.active.append(["Prepare the SOX walkthroughs"])
    rules = workbook.create_sheet("Rules")
    rules.append(["Phrase", "Leans to", "Weight"])
    rules.append(["SOX walkthroughs", "Operations", 3])
    path = tmp_path / "r.xlsx"
    workbook.save(path)
    register = rolecell.classify_register(read_register(path))
    assert register.rules[0].phrase == "SOX walkthroughs"
    assert register.rows[0].role is Role.OPERATIONS


def test_bad_rule_is_reported(tmp_path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Task"])
    rules = workbook.create_sheet("Rules")
    rules.append(["Phrase", "Leans to", "Weight"])
    rules.append(["foo", "Sideways", 1])
    path = tmp_path / "r.xlsx"
    workbook.save(path)
    with pytest.raises(RegisterError, match="cell B2 \\(Leans to\\)"):
        read_register(path)


def test_write_from_xlsx_keeps_everything_and_never_touches_the_input(tmp_path) -> None:
    path = make_xlsx(tmp_path / "org.xlsx", [["ID", "Responsibility", "Override"],
                                             ["A1", "Weekly stock count", None],
                                             ["A2", "Launch the webshop by May", "Operations"]],
                     extra_sheets=["Notes"])
    workbook = openpyxl.load_workbook(path)
    workbook["Register"]["B1"].font = openpyxl.styles.Font(bold=True, color="FF0000")
    workbook.defined_names["Budget"] = DefinedName("Budget", attr_text="Notes!$A$1")
    workbook.save(path)
    before = digest(path)

    register = rolecell.classify_register(read_register(path))
    target = write_register(register)
    assert target == tmp_path / "org-classified.xlsx"
    assert digest(path) == before

    out = openpyxl.load_workbook(target)
    assert out.sheetnames == ["Register", "Notes"]
    assert out["Notes"]["A1"].value == "kept Notes"
    assert "Budget" in out.defined_names
    sheet = out["Register"]
    assert sheet["B1"].font.bold and sheet["B1"].font.color.rgb == "00FF0000"
    assert [c.value for c in sheet[1]] == ["ID", "Responsibility", "Override", "Role",
                                           "Confidence", "Why"]
    assert sheet["D2"].value == "Operations"
    assert sheet["D3"].value == "Operations"
    assert sheet["F3"].value.startswith("override by hand")


def test_existing_output_columns_are_updated_not_duplicated(tmp_path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [["Task", "Role", "Why"], ["Weekly count", "x", "y"]])
    register = rolecell.classify_register(read_register(path))
    out = openpyxl.load_workbook(write_register(register, tmp_path / "out.xlsx"))
    assert [c.value for c in out.active[1]] == ["Task", "Role", "Why", "Confidence"]
    assert out.active["B2"].value == "Operations"


def test_in_place_is_atomic_and_keeps_a_backup(tmp_path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [["Task"], ["Weekly count"]], extra_sheets=["Keep"])
    before = path.read_bytes()
    register = rolecell.classify_register(read_register(path))
    assert write_register(register, in_place=True) == path
    assert (tmp_path / "r.bak.xlsx").read_bytes() == before
    out = openpyxl.load_workbook(path)
    assert out.sheetnames == ["Register", "Keep"]
    assert out.active["B2"].value == "Operations"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


def test_in_place_keeps_vba_in_xlsm(tmp_path) -> None:
    plain = make_xlsx(tmp_path / "plain.xlsx", [["Task"], ["Weekly count"]])
    path = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
                    b"</Types>", b'<Default Extension="bin" ContentType="application/'
                                 b'vnd.ms-office.vbaProject"/></Types>')
            target.writestr(item, data)
        target.writestr("xl/vbaProject.bin", b"VBA-PROJECT-BYTES")
    register = rolecell.classify_register(read_register(path))
    write_register(register, in_place=True)
    with zipfile.ZipFile(path) as archive:
        assert archive.read("xl/vbaProject.bin") == b"VBA-PROJECT-BYTES"
    assert openpyxl.load_workbook(path).active["B2"].value == "Operations"


def test_refuses_to_overwrite_the_input_without_in_place(tmp_path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [["Task"], ["x"]])
    register = read_register(path)
    with pytest.raises(RegisterError, match="refusing to overwrite"):
        write_register(register, path)


def test_failed_write_leaves_no_file(tmp_path, monkeypatch) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [["Task"], ["x"]])
    register = read_register(path)

    def explode(self, filename):
        Path(filename).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", explode)
    with pytest.raises(OSError, match="disk full"):
        write_register(register, tmp_path / "out.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_user_text_is_written_as_text_never_as_formula(tmp_path, suffix: str) -> None:
    if suffix == ".csv":
        import csv

        path = tmp_path / "r.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Responsibility", "Owner"])
            writer.writerows([[text, text] for text in INJECTIONS])
    else:
        path = tmp_path / "r.xlsx"
        workbook = openpyxl.Workbook()
        workbook.active.append(["Responsibility", "Owner"])
        for text in INJECTIONS:
            workbook.active.append([text, text])
        for cell in workbook.active["A"][1:] + workbook.active["B"][1:]:
            cell.data_type = "s"
        workbook.save(path)
    register = rolecell.classify_register(read_register(path))
    target = write_register(register, tmp_path / "out.xlsx")
    with zipfile.ZipFile(target) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    values = [[c.value for c in row] for row in openpyxl.load_workbook(target).active.iter_rows()]
    for text in INJECTIONS:
        assert any(text in row for row in values), text


def test_same_input_gives_the_same_cells(tmp_path) -> None:
    from rolecell.cli.core_commands import sample_path

    contents = []
    for name in ("a.xlsx", "b.xlsx"):
        register = rolecell.classify_register(read_register(sample_path()))
        target = write_register(register, tmp_path / name)
        contents.append([[c.value for c in row]
                         for row in openpyxl.load_workbook(target).active.iter_rows()])
    assert contents[0] == contents[1]


def test_register_as_a_dataframe() -> None:
    from rolecell.cli.core_commands import sample_path

    register = rolecell.classify_register(read_register(sample_path()))
    frame = rolecell.to_dataframe(register)
    assert len(frame) == len(register)
    assert list(frame.columns[:2]) == ["ID", "Responsibility"]
    assert set(frame["Role"]) <= {"Operations", "Project", "Shared", "Unclear"}
