"""Start rolecell in Pyodide (under Node, offline) and in CPython, and talk to both alike.

Used by tests/test_pyodide.py and benchmarks/lite_speed.py. The steps are the ones the issue
asks for and the ones xlwings Lite takes, minus the network:

1. build the rolecell wheel from the checkout (it must be py3-none-any);
2. `pip download` the pure-Python wheels of its run-time imports on the Excel path (xlwings,
   openpyxl, et-xmlfile, snowballstemmer), at the versions installed in this CPython, so that
   both runtimes run the same code;
3. start `node run.mjs` with the npm package `pyodide` pinned in package.json: Pyodide boots
   from node_modules, unpacks the wheels into its site-packages and loads driver.py;
4. start driver.py in a CPython subprocess with the same environment, for the reference answers.

Both runtimes speak one JSON request per line and answer one JSON line (see driver.py).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RUNNER = HERE / "run.mjs"
DRIVER = HERE / "driver.py"
PYODIDE_PACKAGE = HERE / "node_modules" / "pyodide" / "package.json"

PURE_DEPENDENCIES = ("xlwings", "openpyxl", "et-xmlfile", "snowballstemmer")
"""What rolecell needs at run time in Excel: stdlib, these, nothing else."""

XLWINGS_ENV = {"XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
"""xlwings' server-side machinery (custom_functions_call ...), as in xlwings Lite."""

WHEELS_ENV = "ROLECELL_PYODIDE_WHEELS"
"""A folder that already holds the wheels (CI can fill it once); else a temporary one is made."""

START_TIMEOUT = 180.0
REQUEST_TIMEOUT = 600.0


class HarnessUnavailable(RuntimeError):
    """Node or the npm package is missing: the Pyodide tests cannot run here."""


class HarnessError(RuntimeError):
    """The harness could not build, install or start what it needs."""


def node_executable() -> str:
    """The `node` to run Pyodide with, or HarnessUnavailable with what to install."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        raise HarnessUnavailable("node is not installed (apt-get install -y nodejs npm)")
    if not PYODIDE_PACKAGE.is_file():
        raise HarnessUnavailable(
            "the npm package pyodide is not installed (npm ci --prefix tests/pyodide)"
        )
    return node


def pyodide_version() -> str:
    """The version of the npm package pyodide that is installed (pinned in package.json)."""
    return json.loads(PYODIDE_PACKAGE.read_text(encoding="utf-8"))["version"]


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise HarnessError(f"{what} failed ({' '.join(command)}):\n{done.stdout}{done.stderr}")


def build_rolecell_wheel(target: Path) -> Path:
    """Build the rolecell wheel of this checkout into `target`; it must be pure Python."""
    for old in target.glob("rolecell-*.whl"):
        old.unlink()
    command = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
               "-w", str(target)]
    try:
        import hatchling  # noqa: F401  (the build backend is here: build without a venv)

        command.append("--no-build-isolation")
    except ImportError:
        pass
    _run(command, "building the rolecell wheel")
    wheels = list(target.glob("rolecell-*.whl"))
    if len(wheels) != 1 or not wheels[0].name.endswith("-py3-none-any.whl"):
        raise HarnessError(f"expected one pure rolecell wheel, found {[w.name for w in wheels]}")
    return wheels[0]


def download_dependency_wheels(target: Path, python_version: str = "3.12") -> list[Path]:
    """`pip download` the pure wheels of PURE_DEPENDENCIES, at the versions installed here.

    Only py3-none-any wheels are accepted (--platform any --abi none): that is what Pyodide
    can load. A wheel already in `target` is reused, so a warm folder needs no network.
    """
    pins = [f"{name}=={importlib.metadata.version(name)}" for name in PURE_DEPENDENCIES]
    missing = [pin for pin in pins if not _wheel_for(target, pin)]
    if missing:
        _run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
              "--only-binary=:all:", "--platform", "any", "--implementation", "py",
              "--abi", "none", "--python-version", python_version, "-d", str(target),
              *missing], "downloading the pure dependency wheels")
    found = [_wheel_for(target, pin) for pin in pins]
    if not all(found):
        raise HarnessError(f"pip download did not leave pure wheels for {pins} in {target}")
    return [path for path in found if path]


def _wheel_for(folder: Path, pin: str) -> Path | None:
    name, version = pin.split("==")
    stem = name.replace("-", "_").lower()
    for path in folder.glob("*.whl"):
        parts = path.name.split("-")
        if parts[0].lower() == stem and parts[1] == version and path.name.endswith("-none-any.whl"):
            return path
    return None


def prepare_wheels(folder: Path | None = None) -> Path:
    """A folder with the rolecell wheel and its pure dependency wheels, ready for Pyodide."""
    if folder is None:
        configured = os.environ.get(WHEELS_ENV)
        folder = Path(configured) if configured else Path(tempfile.mkdtemp(prefix="rc-wheels-"))
    folder.mkdir(parents=True, exist_ok=True)
    build_rolecell_wheel(folder)
    download_dependency_wheels(folder)
    return folder


class Runtime:
    """One long-lived interpreter (Pyodide under Node, or CPython) that answers requests."""

    def __init__(self, name: str, command: list[str], env: Mapping[str, str]):
        self.name = name
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", env=dict(env), cwd=str(HERE),
        )
        self._stderr: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()
        self._next_id = 0
        self.ready = self._read_line(START_TIMEOUT)["ready"]

    def _drain(self) -> None:
        assert self._process.stderr is not None
        for line in self._process.stderr:
            self._stderr.append(line)
            del self._stderr[:-200]  # keep the tail, for messages

    def _read_line(self, timeout: float) -> dict[str, Any]:
        assert self._process.stdout is not None
        result: list[str] = []
        reader = threading.Thread(target=lambda: result.append(self._process.stdout.readline()))
        reader.start()
        reader.join(timeout)
        if reader.is_alive() or not result or not result[0]:
            self.close()
            raise HarnessError(f"{self.name} did not answer; its stderr:\n"
                               + "".join(self._stderr[-40:]))
        return json.loads(result[0])

    def request(self, op: str, **arguments: Any) -> dict[str, Any]:
        """Send one request; the answer has "result", or "error" if the op raised."""
        assert self._process.stdin is not None
        self._next_id += 1
        line = json.dumps({"op": op, "id": self._next_id, **arguments})
        self._process.stdin.write(line + "\n")
        self._process.stdin.flush()
        answer = self._read_line(REQUEST_TIMEOUT)
        if answer.get("id") != self._next_id:
            raise HarnessError(f"{self.name}: answer out of order: {answer}")
        return answer

    def result(self, op: str, **arguments: Any) -> Any:
        """The result of a request that must succeed."""
        answer = self.request(op, **arguments)
        if "error" in answer:
            raise HarnessError(f"{self.name}: {op} failed: {answer['error']}")
        return answer["result"]

    def close(self) -> None:
        """End the interpreter (closing stdin ends both runners)."""
        if self._process.poll() is None:
            try:
                if self._process.stdin:
                    self._process.stdin.close()
                self._process.wait(timeout=20)
            except (subprocess.TimeoutExpired, OSError):
                self._process.kill()
                self._process.wait()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _environment(extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XLWINGS_")}
    env.update(XLWINGS_ENV)
    env.update(extra)
    return env


def start_pyodide(wheels: Path, env: Mapping[str, str] | None = None) -> Runtime:
    """Pyodide under Node with the wheels of `wheels` installed and driver.py loaded."""
    node = node_executable()
    settings = {**XLWINGS_ENV, **(env or {})}
    pairs = [f"{key}={value}" for key, value in settings.items()]
    return Runtime("pyodide", [node, str(RUNNER), str(wheels), str(DRIVER), *pairs],
                   _environment({}))


def start_cpython(env: Mapping[str, str] | None = None) -> Runtime:
    """driver.py in a fresh CPython with the same XLWINGS_* settings, for reference answers."""
    return Runtime("cpython", [sys.executable, str(DRIVER)], _environment(env or {}))


def rows(values: Iterable[object]) -> list[list[object]]:
    """A column of values as Excel sends a range: one list per row."""
    return [[value] for value in values]
