"""The Python side of the Pyodide harness: one request in, one JSON answer out.

The same module runs in Pyodide (loaded by run.mjs) and in CPython (imported by the tests and
the benchmark), so that both runtimes answer the same request with the same code and the
answers can be compared as they are. Requests are JSON objects with an "op" and its
arguments; every answer is a JSON object, with "error" (type and message) if the op raised.

Ops:
  info            runtime, versions, which heavy modules are loaded (`modules` to import first)
  classify        rolecell.classify_many over texts (+ starts, ends, rules)
  load_module     write `source` as module `name` and import it (main.py of `rolecell lite`)
  functions_meta  xlwings' custom_functions_meta of a module (what Excel registers)
  functions_call  xlwings' custom_functions_call: one call of a custom function, as Excel sends it
  scripts_meta    xlwings' custom_scripts_meta of a module
  scripts_call    xlwings' custom_scripts_call on a remote-book payload; answers book.json()
  bench           time `functions_call` (or `classify`) repeated, inside this runtime
  network_probe   (Pyodide) try to fetch a URL: the harness must refuse, it runs offline
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import json
import math
import os
import platform
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

HEAVY_MODULES = ("pandas", "numpy", "typer", "rich", "click", "polars", "scipy", "sklearn")
"""Modules that must never load on the Excel path (rolecell, rolecell.excel.*)."""

Op = Callable[[dict[str, Any]], Awaitable[Any]]


def _plain(value: object) -> object:
    """JSON for values JSON has no type for: dates as ISO text, NaN/inf spelled out."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return {"__date__": value.isoformat()}
    if isinstance(value, float) and not math.isfinite(value):
        return {"__float__": repr(value)}
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "_asdict"):
        return value._asdict()
    return {"__repr__": repr(value)}


def _load(name: str) -> Any:
    return importlib.import_module(name)


async def _info(request: dict[str, Any]) -> dict[str, Any]:
    loaded = []
    for name in request.get("modules", ()):
        _load(name)
        loaded.append(name)
    versions = {}
    from importlib import metadata

    for dist in ("rolecell", "xlwings", "openpyxl", "et-xmlfile", "snowballstemmer"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return {
        "python": platform.python_version(),
        "platform": sys.platform,
        "imported": loaded,
        "heavy_loaded": sorted(m for m in HEAVY_MODULES if m in sys.modules),
        "versions": versions,
        "env": {k: v for k, v in os.environ.items() if k.startswith("XLWINGS_")},
    }


def _classification(result: Any) -> dict[str, Any]:
    return {
        "role": str(result.role),
        "confidence": result.confidence,
        "scores": dict(result.scores),
        "rationale": result.rationale,
        "overridden": result.overridden,
        "evidence": [
            [e.cue, e.dimension, str(e.side), e.weight, e.source] for e in result.evidence
        ],
    }


async def _classify(request: dict[str, Any]) -> list[dict[str, Any]]:
    import rolecell

    results = rolecell.classify_many(
        request["texts"],
        starts=request.get("starts"),
        ends=request.get("ends"),
        rules=[tuple(rule) for rule in request.get("rules", ())] or None,
    )
    return [_classification(result) for result in results]


async def _load_module(request: dict[str, Any]) -> dict[str, Any]:
    """Write `source` as module `name` into a folder on sys.path and import it afresh."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / "rolecell-driver-modules"
    folder.mkdir(parents=True, exist_ok=True)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    name = request["name"]
    (folder / f"{name}.py").write_text(request["source"], encoding="utf-8")
    importlib.invalidate_caches()
    sys.modules.pop(name, None)
    module = importlib.import_module(name)
    return {"file": module.__file__ and Path(module.__file__).name}


async def _functions_meta(request: dict[str, Any]) -> Any:
    import xlwings.server

    return xlwings.server.custom_functions_meta(_load(request["module"]))


def _call_data(request: dict[str, Any]) -> dict[str, Any]:
    """The body Excel sends for one custom-function call (xlwings' Office.js client)."""
    import xlwings

    data = {
        "func_name": request["func_name"],
        "args": request.get("args", []),
        "caller_address": request.get("caller_address", "Sheet1!C2"),
        "formula_name": request.get("formula_name", request["func_name"].upper()),
        "version": xlwings.__version__,
        "runtime": "1.4",
        "culture_info_name": "en-US",
        "date_format": "M/d/yyyy",
        "client": "Office.js",
    }
    data.update(request.get("data", {}))
    return data


async def _functions_call(request: dict[str, Any]) -> Any:
    import xlwings.server

    module = _load(request["module"])
    return await xlwings.server.custom_functions_call(_call_data(request), module)


async def _scripts_meta(request: dict[str, Any]) -> Any:
    import xlwings.server

    return xlwings.server.custom_scripts_meta(_load(request["module"]))


async def _scripts_call(request: dict[str, Any]) -> Any:
    import xlwings as xw
    import xlwings.server

    module = _load(request["module"])
    book = xw.Book(json=request["book"])
    try:
        await xlwings.server.custom_scripts_call(
            module, request["script_name"], typehint_to_value={xw.Book: book},
            args=request.get("args"),
        )
        return book.json()
    finally:
        book.close()


async def _network_probe(request: dict[str, Any]) -> Any:
    """Try to fetch a URL from inside Pyodide: the harness must refuse (it runs offline)."""
    from pyodide.http import pyfetch  # only in Pyodide

    response = await pyfetch(request["url"])
    return {"status": response.status}


async def _bench(request: dict[str, Any]) -> dict[str, Any]:
    inner = _OPS[request["inner"]["op"]]
    times = []
    answer = None
    for _ in range(int(request.get("repeat", 1))):
        begin = time.perf_counter()
        answer = await inner(request["inner"])
        times.append(time.perf_counter() - begin)
    size = len(answer) if isinstance(answer, list) else None
    return {"seconds": times, "rows": size}


_OPS: dict[str, Op] = {
    "info": _info,
    "classify": _classify,
    "load_module": _load_module,
    "functions_meta": _functions_meta,
    "functions_call": _functions_call,
    "scripts_meta": _scripts_meta,
    "scripts_call": _scripts_call,
    "bench": _bench,
    "network_probe": _network_probe,
}


async def answer(request: dict[str, Any]) -> dict[str, Any]:
    """Run one request; the op's result under "result", or its exception under "error"."""
    op = _OPS.get(request.get("op", ""))
    if op is None:
        return {"id": request.get("id"), "error": f"unknown op {request.get('op')!r}"}
    try:
        result = await op(request)
    except Exception as error:  # the answer carries it; the tests decide what it means
        return {"id": request.get("id"), "error": f"{type(error).__name__}: {error}"}
    return {"id": request.get("id"), "result": result}


async def handle(line: str) -> str:
    """The harness entry point: a JSON request line in, a JSON answer line out."""
    return json.dumps(await answer(json.loads(line)), default=_plain, sort_keys=True)


def handle_sync(line: str) -> str:
    """`handle` for CPython callers that have no event loop running."""
    return asyncio.run(handle(line))


def main() -> None:
    """CPython side of the harness: the same line protocol as run.mjs, on stdin/stdout."""
    info = {"pyodide": None, "python": platform.python_version(), "wheels": []}
    print(json.dumps({"ready": info}), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(handle_sync(line), flush=True)


if __name__ == "__main__":
    main()
