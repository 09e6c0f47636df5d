"""The code base is ruff clean, and the core stays free of I/O libraries."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ["model.py", "classify.py", "knowledge/__init__.py", "staffing.py", "layout.py",
        "table.py"]
FORBIDDEN_IN_CORE = {"openpyxl", "xlwings", "pandas", "typer", "rich", "numpy"}


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install -e .[test])")
    result = subprocess.run([ruff, "check", "rolecell", "tests", "benchmarks"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module", CORE)
def test_core_imports_no_io_library(module: str) -> None:
    path = ROOT / "rolecell" / module
    if not path.exists():
        pytest.skip(f"{module} not present")
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & FORBIDDEN_IN_CORE
    assert not {name for name in imported if name == "rolecell"} - {"rolecell"}


def test_importing_rolecell_loads_no_heavy_library() -> None:
    code = ("import sys, rolecell, rolecell.classify; "
            "print(sorted(m for m in ('pandas', 'openpyxl', 'typer', 'rich', 'numpy') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
