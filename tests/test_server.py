"""`rolecell serve`: the real server on a free loopback port, called as Excel calls it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest
import xlwings_remote as xr

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from rolecell.server import SCRIPTS, _action_name  # noqa: E402

NS = {"o": "http://schemas.microsoft.com/office/appforoffice/1.1",
      "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
      "ov": "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
      "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "XLWINGS_ON_SERVER"}  # serve sets it
    process = subprocess.Popen(
        [sys.executable, "-m", "rolecell", "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/", timeout=1)
            break
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("rolecell serve did not start:\n" + process.stdout.read())
            time.sleep(0.2)
    with httpx.Client(base_url=base, timeout=60) as client:
        yield client
    process.terminate()
    try:
        output, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    assert "non-commercial use only" in output  # the licence is stated when it starts


def test_root_states_the_licence(server):
    text = server.get("/").text
    assert "manifest.xml" in text and "non-commercial use only" in text


def test_manifest_is_a_valid_add_in_manifest(server):
    response = server.get("/manifest.xml")
    assert response.status_code == 200 and "xml" in response.headers["content-type"]
    root = ET.fromstring(response.content)  # well-formed
    base = str(server.base_url).rstrip("/")
    assert root.tag == f"{{{NS['o']}}}OfficeApp" and root.get(XSI_TYPE) == "TaskPaneApp"
    # the required elements of a task pane add-in, in schema order
    children = [child.tag.split("}")[1] for child in root]
    required = ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description",
                "IconUrl", "Hosts", "DefaultSettings", "Permissions", "VersionOverrides"]
    assert [c for c in children if c in required] == required
    assert root.find("o:Hosts/o:Host", NS).get("Name") == "Workbook"
    assert root.find("o:DefaultSettings/o:SourceLocation", NS).get("DefaultValue") == \
        base + "/taskpane.html"
    overrides = root.find("ov:VersionOverrides", NS)
    host = overrides.find("ov:Hosts/ov:Host", NS)
    functions = [e for e in host.iter(f"{{{NS['ov']}}}ExtensionPoint")
                 if e.get(XSI_TYPE) == "CustomFunctions"]
    assert len(functions) == 1
    # every resid names a resource, and every resource URL is served here
    resources = overrides.find("ov:Resources", NS)
    ids = {e.get("id"): e.get("DefaultValue") for e in resources.iter()
           if e.get("id") is not None}
    used = {e.get("resid") for e in overrides.iter() if e.get("resid")}
    assert used <= set(ids), used - set(ids)
    urls = {k: v for k, v in ids.items() if v and v.startswith("http")}
    for url in urls.values():
        assert url.startswith(base)
        assert server.get(url.removeprefix(base)).status_code == 200, url
    assert ids["RoleCell.Functions.Metadata.Url"] == base + "/xlwings/custom-functions-meta"
    assert ids["RoleCell.Functions.Script.Url"] == base + "/xlwings/custom-functions-code"
    # a RoleCell tab with a button for each action, each calling an associated function
    tab = host.find(".//ov:CustomTab", NS)
    assert ids[tab.find("ov:Label", NS).get("resid")] == "RoleCell"
    actions = [e.text for e in tab.iter(f"{{{NS['ov']}}}FunctionName")]
    assert actions == [_action_name(name) for name, _, _ in SCRIPTS]
    client = server.get("/rolecell.js").text
    for name, _, _ in SCRIPTS:
        assert f'"{_action_name(name)}": "{name}"' in client


def test_taskpane_has_a_button_per_action(server):
    html = server.get("/taskpane.html").text
    assert "office.js" in html and "/xlwings/custom-functions-code" in html
    for name, label, _ in SCRIPTS:
        assert f'id="{name}"' in html and label in html
    assert "non-commercial use only" in html


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("path", ["/rolecell.js", "/xlwings/custom-functions-code"])
def test_javascript_parses(server, path, tmp_path):
    script = tmp_path / "code.js"
    script.write_text(server.get(path).text, encoding="utf-8")
    result = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_functions_metadata_and_code(server):
    meta = server.get("/xlwings/custom-functions-meta").json()
    names = {f["name"] for f in meta["functions"]}
    assert {"ROLE", "ROLE_CONFIDENCE", "ROLE_WHY", "ROLE_SCORES", "ROLE_STAFFING",
            "ROLE_DIMENSIONS"} == names
    code = server.get("/xlwings/custom-functions-code").text
    for name in names:
        assert f'CustomFunctions.associate("{name}"' in code


def test_role_over_a_range_as_excel_calls_it(server):
    data = {"func_name": "role", "version": xr.xw.__version__, "client": "Office.js",
            "runtime": "1.4", "culture_info_name": "en-US", "date_format": "M/d/yyyy",
            "caller_address": "Sheet1!C2",
            "args": [[["Replenish pick faces every morning"], [None],
                      ["Launch the new ERP by March 2027"], [xr.error()]], None, None, None,
                     None]}
    response = server.post("/xlwings/custom-functions-call", json=data)
    assert response.status_code == 200
    assert response.json()["result"] == [["Operations"], [""], ["Project"],
                                         [{"type": "Error", "errorType": "NotAvailable"}]]


def test_scripts_metadata_and_a_script_call_with_a_book(server):
    meta = server.get("/xlwings/custom-scripts-meta").json()
    assert {m["function_name"] for m in meta} == {name for name, _, _ in SCRIPTS}
    payload = xr.book({"Register": [["Responsibility", "Hours per week"],
                                    ["Replenish pick faces every morning", 20]]})
    response = server.post("/xlwings/custom-scripts-call/classify_register", json=payload)
    assert response.status_code == 200
    cells = xr.written(response.json()["actions"], payload)["Register"]
    assert cells[(1, 3)] == "Role" and cells[(2, 3)] == "Operations"
    missing = server.post("/xlwings/custom-scripts-call/format_disk", json=payload)
    assert missing.status_code == 404 and "no script named" in missing.json()["detail"]


def test_icons_are_png(server):
    for size in (16, 32, 80):
        body = server.get(f"/icon-{size}.png").content
        assert body.startswith(b"\x89PNG\r\n\x1a\n")
