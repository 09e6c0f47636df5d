"""`rolecell lite`: the two files to paste into the xlwings Lite editor, and the steps.

xlwings Lite (a free Excel add-in for Windows, Mac and Excel on the web) runs Python inside
Excel through Pyodide. It needs a `main.py`, whose imported @func/@script definitions it
registers as formulas and task-pane buttons, and a `requirements.txt`, which it installs with
micropip. rolecell writes both, so that a user never has to know the module names, and prints
where to paste them. The tests in tests/test_pyodide.py prove that this main.py's imports run
in Pyodide.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import os
import tempfile
from pathlib import Path
from typing import Annotated
from urllib.parse import urlparse

import typer

import rolecell
from rolecell.cli import app, console, user_errors
from rolecell.register import RegisterError

EXCEL_MODULES = ("rolecell.excel.functions", "rolecell.excel.scripts")
"""The modules whose definitions xlwings Lite registers (through main.py's imports)."""

MARKER = "Written by `rolecell lite`"
"""Marks a file as ours: only such files (or none) are overwritten."""

DEFAULT_DIRECTORY = Path("rolecell-lite")


def exported_names(module: str) -> list[str]:
    """The formulas or scripts of an Excel module, read from its source, not imported.

    They are the decorated top-level functions (@func, @script), in the order of `__all__`
    when the module has one. Reading the source keeps this command from importing xlwings
    (whose decorators would pick a runtime on this machine).
    """
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise RegisterError(f"{module} is not installed; reinstall rolecell")
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    decorated = [
        node.name for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.decorator_list
        and not node.name.startswith("_")
    ]
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            public = [str(value) for value in ast.literal_eval(node.value)]
            return [name for name in public if name in decorated]
    return decorated


def main_py() -> str:
    """main.py for xlwings Lite: imports rolecell's formulas and scripts, which registers them."""
    lines = [
        '"""# rolecell',
        "",
        "Operations manager or project manager? Type `=ROLE(B2:B60)` next to a column of",
        "responsibilities and the result spills; `=ROLE_WHY(...)` says why. Run",
        "**Classify register** to add Role, Confidence and Why to the register sheet.",
        "",
        f"{MARKER} (rolecell {rolecell.__version__}). Importing the names below is what",
        'registers them with xlwings Lite: keep the imports, add your own code below."""',
        "",
    ]
    for module in EXCEL_MODULES:
        names = exported_names(module)
        if names:
            lines.append(f"from {module} import (  # noqa: F401")
            lines += [f"    {name}," for name in names]
            lines.append(")")
    return "\n".join(lines) + "\n"


def check_wheel_url(url: str) -> str:
    """A hosted rolecell wheel: an https URL of a pure-Python (py3-none-any) rolecell wheel."""
    parsed = urlparse(url)
    name = Path(parsed.path).name
    if parsed.scheme not in ("https", "http") or not parsed.netloc:
        raise typer.BadParameter(f"{url!r} is not a web address (https://...)", param_hint=
                                 "--wheel-url")
    if not (name.startswith("rolecell-") and name.endswith("-py3-none-any.whl")):
        raise typer.BadParameter(
            f"{name!r} is not a rolecell wheel; the URL must end in "
            f"rolecell-VERSION-py3-none-any.whl (build it with `pip wheel . --no-deps`)",
            param_hint="--wheel-url")
    return url


def requirements_txt(wheel_url: str | None = None) -> str:
    """requirements.txt for xlwings Lite: xlwings as tested, and rolecell by version or URL."""
    xlwings_version = importlib.metadata.version("xlwings")
    rolecell_line = wheel_url or f"rolecell=={rolecell.__version__}"
    return (
        f"# {MARKER} (rolecell {rolecell.__version__}).\n"
        "# xlwings Lite installs these with micropip when you save this tab.\n"
        f"xlwings=={xlwings_version}\n"
        f"{rolecell_line}\n"
    )


def _check_ours(path: Path) -> None:
    """Refuse to replace a file that `rolecell lite` did not write (a user's own main.py)."""
    if path.exists():
        current = path.read_text(encoding="utf-8", errors="replace")
        if MARKER not in current:
            raise RegisterError(f"{path} exists and was not written by rolecell lite; "
                                "choose another folder with -o or move the file")


def _write(path: Path, text: str) -> None:
    """Write atomically: a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


STEPS = """\
[bold]Next, in Excel[/] (Windows, Mac or Excel on the web):
  1. Home ▸ [bold]Add-ins[/] (older Excel: Insert ▸ Get Add-ins), search [bold]xlwings[/], \
click [bold]Add[/] on xlwings Lite.
  2. Home ▸ [bold]xlwings Lite[/] opens the editor in the task pane.
  3. Tab [bold]requirements.txt[/]: replace its text with {requirements}; wait until the \
Output pane says the packages are installed.
  4. Tab [bold]main.py[/]: replace its text with {main}; save (Ctrl+S / Cmd+S).
  5. In a cell next to your responsibilities type [bold]=ROLE(B2:B60)[/]: the roles spill \
down. =ROLE_WHY(B2:B60) says why.
  6. In the task pane pick [bold]Classify register[/] and click Run (or press F5): Role, \
Confidence and Why are added to the register sheet.
The code is saved inside the workbook: anyone who opens it with xlwings Lite gets the same."""


@app.command()
@user_errors
def lite(
    output: Annotated[Path, typer.Option("-o", "--output", help="The folder to write main.py "
                                         "and requirements.txt into.")] = DEFAULT_DIRECTORY,
    wheel_url: Annotated[str | None, typer.Option(
        "--wheel-url", help="Install rolecell from this hosted wheel "
                            "(https://.../rolecell-VERSION-py3-none-any.whl) instead of PyPI.",
        callback=lambda value: check_wheel_url(value) if value else value)] = None,
) -> None:
    """Write main.py and requirements.txt for xlwings Lite, and show where to paste them."""
    files = {output / "main.py": main_py(),
             output / "requirements.txt": requirements_txt(wheel_url)}
    for path in files:
        _check_ours(path)  # all checks first: nothing is written unless everything can be
    for path, text in files.items():
        _write(path, text)
    console.print(f"wrote [bold]{output / 'main.py'}[/] and "
                  f"[bold]{output / 'requirements.txt'}[/]", highlight=False)
    console.print(STEPS.format(requirements=output / "requirements.txt",
                               main=output / "main.py"), highlight=False)
