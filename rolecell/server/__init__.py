"""rolecell as an Office.js add-in (Excel on the web, Mac and Windows), on xlwings Server.

Optional: `pip install "rolecell[server]"`. `create_app()` returns a FastAPI app that serves

- /manifest.xml and /taskpane.html (the add-in: custom functions and a RoleCell ribbon tab),
- xlwings Server's endpoints: /xlwings/custom-functions-meta, -code, -call and
  /xlwings/custom-scripts-meta, /xlwings/custom-scripts-call/{name},

backed by the same definitions as the desktop add-in: rolecell.excel.functions and
rolecell.excel.scripts. xlwings Server and the xlwings PRO modules it uses are free for
non-commercial use only (PolyForm Noncommercial 1.0.0); commercial use needs a licence from
their vendor, Zoomer Analytics (https://www.xlwings.org).
"""


import os
import struct
import zlib
from functools import cache
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["LICENCE_NOTICE", "SCRIPTS", "create_app", "manifest", "prepare_environment"]

LICENCE_NOTICE = (
    "xlwings Server and the xlwings PRO modules are free for non-commercial use only "
    "(PolyForm Noncommercial 1.0.0); commercial use needs a licence from their vendor "
    "(https://www.xlwings.org).")

SCRIPTS: tuple[tuple[str, str, str], ...] = (
    ("classify_register", "Classify register",
     "Write Role, Confidence and Why for every responsibility of the register."),
    ("build_comparison", "Comparison", "Build or refresh the Comparison sheet."),
    ("build_staffing", "Staffing", "Build or refresh the Staffing sheet."),
    ("new_register", "New register", "Add an empty register sheet (and a Rules sheet)."),
)
"""The ribbon buttons: script function, button label, tooltip."""

ADDIN_ID = "5b0c6f6e-7c1f-4a43-9a55-2f7d3b1c0a11"  # fixed, so a re-sideload updates the add-in
NAMESPACE = "ROLECELL"


def prepare_environment() -> None:
    """xlwings picks its runtime when first imported: switch it to server mode first."""
    os.environ["XLWINGS_ON_SERVER"] = "true"
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


def _template(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def manifest(base_url: str) -> str:
    """The add-in manifest (XML) for an add-in served at `base_url` (https://host:port)."""
    base = escape(base_url.rstrip("/"))
    buttons = "\n".join(
        _template("button.xml.part").format(id=f"RoleCell.{name}", label=f"RoleCell.{name}.Label",
                                            tip=f"RoleCell.{name}.Tip",
                                            action=_action_name(name))
        for name, _, _ in SCRIPTS)
    strings = "\n".join(
        f'          <bt:String id="RoleCell.{name}.Label" DefaultValue="{escape(label)}"/>'
        for name, label, _ in SCRIPTS)
    tips = "\n".join(
        f'          <bt:String id="RoleCell.{name}.Tip" DefaultValue="{escape(tip)}"/>'
        for name, _, tip in SCRIPTS)
    return _template("manifest.xml").format(base=base, id=ADDIN_ID, buttons=buttons,
                                            short_strings=strings, long_strings=tips,
                                            namespace=NAMESPACE)


def _action_name(script: str) -> str:
    """The Office.actions name of a script's button (camelCase of the Python name)."""
    first, *rest = script.split("_")
    return first + "".join(word.title() for word in rest)


@cache
def icon_png(size: int) -> bytes:
    """A square icon (navy R-less tile) as PNG, made here so that no binary file is shipped."""
    navy, white = (0x1F, 0x38, 0x64), (0xFF, 0xFF, 0xFF)
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            border = min(x, y, size - 1 - x, size - 1 - y) < max(1, size // 10)
            bar = size * 0.3 <= x < size * 0.45 or (size * 0.3 <= y < size * 0.42 and
                                                    size * 0.3 <= x < size * 0.7)
            row += bytes(white if (bar and not border) else navy)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def create_app(public_url: str | None = None):
    """The FastAPI app; `public_url` is where Excel reaches it (default: from each request)."""
    prepare_environment()
    import xlwings as xw
    from fastapi import Body, FastAPI, HTTPException, Request
    from fastapi.middleware.cors import CORSMiddleware
    from fastapi.responses import JSONResponse, PlainTextResponse, Response
    from xlwings.server import (
        custom_functions_call,
        custom_functions_meta,
        custom_scripts_call,
        custom_scripts_meta,
    )

    from rolecell.excel import functions, scripts

    if xw.func.__module__ != "xlwings.pro.udfs_officejs":
        raise RuntimeError("xlwings was imported before server mode was set; start the server "
                           "with `rolecell serve` or set XLWINGS_ON_SERVER=true")

    app = FastAPI(title="rolecell", description="rolecell's Office.js add-in on xlwings Server. "
                  + LICENCE_NOTICE)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"],
                       allow_headers=["*"])

    def base(request: Request) -> str:
        return public_url or str(request.base_url).rstrip("/")

    @app.get("/manifest.xml")
    def get_manifest(request: Request) -> Response:
        return Response(manifest(base(request)), media_type="application/xml")

    @app.get("/taskpane.html")
    def get_taskpane(request: Request) -> Response:
        buttons = "\n".join(
            f'    <button id="{name}" title="{escape(tip)}">{escape(label)}</button>'
            for name, label, tip in SCRIPTS)
        html = _template("taskpane.html").replace("{{buttons}}", buttons).replace(
            "{{base}}", escape(base(request))).replace("{{licence}}", escape(LICENCE_NOTICE))
        return Response(html, media_type="text/html")

    @app.get("/rolecell.js")
    def get_client() -> Response:
        actions = ", ".join(f'"{_action_name(name)}": "{name}"' for name, _, _ in SCRIPTS)
        js = _template("rolecell.js").replace("/*{{actions}}*/", actions).replace(
            "{{version}}", xw.__version__)
        return Response(js, media_type="text/javascript")

    @app.get("/icon-{size}.png")
    def get_icon(size: int) -> Response:
        if size not in (16, 32, 64, 80, 128):
            raise HTTPException(404, "no such icon")
        return Response(icon_png(size), media_type="image/png")

    @app.get("/xlwings/custom-functions-meta")
    def functions_meta() -> JSONResponse:
        return JSONResponse(custom_functions_meta(functions))

    @app.get("/xlwings/custom-functions-code")
    def functions_code() -> Response:
        js = _template("custom-functions.js").replace("{{version}}", xw.__version__)
        names = [name for name in dir(functions) if hasattr(getattr(functions, name),
                                                              "__xlfunc__")]
        js += "".join(f'CustomFunctions.associate("{name.upper()}", '
                      f'(...args) => rolecellCall("{name}", args));\n' for name in sorted(names))
        return Response(js, media_type="text/javascript")

    @app.post("/xlwings/custom-functions-call")
    async def functions_call(data: dict[str, Any] = Body(...)) -> JSONResponse:  # noqa: B008
        try:
            result = await custom_functions_call(data, functions)
        except Exception as error:  # the cell shows it; never a traceback
            result = [[f"rolecell: {type(error).__name__}: {error}"]]
        return JSONResponse({"result": result})

    @app.get("/xlwings/custom-scripts-meta")
    def scripts_meta() -> JSONResponse:
        return JSONResponse(custom_scripts_meta(scripts))

    @app.post("/xlwings/custom-scripts-call/{script_name}")
    async def scripts_call(script_name: str,
                           data: dict[str, Any] = Body(...)) -> JSONResponse:  # noqa: B008
        known = {entry["function_name"] for entry in custom_scripts_meta(scripts)}
        if script_name not in known:
            raise HTTPException(404, f"no script named {script_name!r}; scripts: "
                                     f"{', '.join(sorted(known))}")
        try:
            book = xw.Book(json=data)
            book = await custom_scripts_call(scripts, script_name,
                                             typehint_to_value={xw.Book: book})
        except Exception as error:
            raise HTTPException(400, f"{script_name}: {error}") from None
        return JSONResponse(book.json())

    @app.get("/", response_class=PlainTextResponse)
    def root(request: Request) -> str:
        return (f"rolecell add-in server. Sideload {base(request)}/manifest.xml in Excel.\n"
                + LICENCE_NOTICE + "\n")

    return app
