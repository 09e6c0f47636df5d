"""The desktop add-in files: templates/rolecell.xlsm is valid OOXML wired to rolecell."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "templates" / "rolecell.xlsm"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def test_template_is_a_macro_enabled_workbook():
    assert zipfile.is_zipfile(TEMPLATE)
    with zipfile.ZipFile(TEMPLATE) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ET.fromstring(archive.read(name))  # every part is well-formed XML
        types = ET.fromstring(archive.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CT}Override")}
        assert overrides["/xl/workbook.xml"] == MACRO_MAIN
        assert "xl/vbaProject.bin" in archive.namelist()
        assert archive.read("xl/vbaProject.bin")[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_config_sheet_points_udf_modules_at_rolecell():
    book = openpyxl.load_workbook(TEMPLATE, keep_vba=True)
    assert "xlwings.conf" in book.sheetnames  # active: no leading underscore
    config = {row[0].value: row[1].value for row in book["xlwings.conf"].iter_rows(max_col=2)}
    assert config["UDF Modules"] == "rolecell.excel.functions"


def test_template_holds_a_ready_register():
    from rolecell.model import REGISTER_COLUMNS

    book = openpyxl.load_workbook(TEMPLATE)
    sheet = book["Register"]
    assert [c.value for c in sheet[1]] == [c.header for c in REGISTER_COLUMNS]
    assert sheet["I2"].value == "=ROLE(B2,E2,F2)"
    assert sheet["J2"].value.startswith("=ROLE_CONFIDENCE(")
    assert "Rules" in book.sheetnames


def test_vba_project_calls_xlwings():
    # the quickstart workbook's VBA calls the xlwings add-in (installed by `rolecell addin
    # install`), which imports the UDF Modules named on the config sheet
    olevba = pytest.importorskip("oletools.olevba")
    parser = olevba.VBA_Parser(str(TEMPLATE))
    code = "\n".join(source for *_, source in parser.extract_macros())
    assert "RunPython" in code


def test_template_build_is_reproducible(tmp_path):
    sys.path.insert(0, str(ROOT / "templates"))
    try:
        import make_templates
    finally:
        sys.path.pop(0)
    first = make_templates.build_xlsm(tmp_path / "a.xlsm").read_bytes()
    second = make_templates.build_xlsm(tmp_path / "b.xlsm").read_bytes()
    assert first == second


XLAM = Path(__file__).resolve().parents[1] / "templates" / "rolecell.xlam"


def test_ribbon_addin_is_valid_ooxml_with_a_rolecell_tab():
    import xml.etree.ElementTree as ET

    with zipfile.ZipFile(XLAM) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert "xl/vbaProject.bin" in names and "[Content_Types].xml" in names
        ui = ET.fromstring(archive.read("customUI/customUI.xml"))
    ns = {"ui": "http://schemas.microsoft.com/office/2006/01/customui"}
    tabs = ui.findall(".//ui:tab", ns)
    assert [t.get("label") for t in tabs] == ["RoleCell"]
    actions = {b.get("onAction") for b in ui.findall(".//ui:button", ns)}
    assert actions == {"RibbonMyAddin.RunMain"}


def test_ribbon_callbacks_exist_in_the_addin_vba_and_call_rolecell_main():
    olevba = pytest.importorskip("oletools.olevba")
    parser = olevba.VBA_Parser(str(XLAM))
    modules = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    assert "Sub RunMain(control As IRibbonControl)" in modules["RibbonMyAddin"]
    # the callback imports the module named like the add-in file: rolecell.xlam -> rolecell
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in \
        modules["RibbonMyAddin"]
    assert XLAM.stem == "rolecell"
