// Run Python inside Pyodide under Node, offline, the way xlwings Lite runs it in Excel.
//
//   node tests/pyodide/run.mjs WHEEL_DIR DRIVER.py [NAME=VALUE ...]
//
// Starts Pyodide once from the pinned npm package (no CDN: nothing is fetched from the
// network; any attempt to is an error), installs every *.whl of WHEEL_DIR by unpacking it
// into site-packages (pure-Python wheels only, as micropip would), sets the NAME=VALUE pairs
// as environment variables, loads DRIVER.py as the module `driver`, prints one line
// {"ready": {...}} and then answers requests: one JSON object per line on stdin, one JSON
// line on stdout, from `await driver.handle(line)`. Python's own print() goes to stderr, so
// that stdout carries only the protocol. Ends when stdin closes.

import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import readline from "node:readline";

const require = createRequire(import.meta.url);

/** Refuse every network request: the harness must prove that rolecell runs offline. */
function forbidNetwork() {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (resource, options) => {
    const url = String(resource?.url ?? resource);
    if (/^(https?|wss?):/i.test(url)) {
      throw new Error(`offline harness: refused network request to ${url}`);
    }
    return realFetch(resource, options);
  };
}

async function main() {
  const [wheelDir, driverPath, ...pairs] = process.argv.slice(2);
  if (!wheelDir || !driverPath) {
    process.stderr.write("usage: node run.mjs WHEEL_DIR DRIVER.py [NAME=VALUE ...]\n");
    process.exit(2);
  }
  const env = { HOME: "/home/pyodide" };
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  forbidNetwork();

  const started = performance.now();
  const indexURL = path.dirname(require.resolve("pyodide/package.json")) + path.sep;
  const { loadPyodide } = await import("pyodide");
  const pyodide = await loadPyodide({
    indexURL,
    env,
    packages: [],
    stdout: (line) => process.stderr.write(`[py] ${line}\n`),
    stderr: (line) => process.stderr.write(`[py:err] ${line}\n`),
  });
  const bootSeconds = (performance.now() - started) / 1000;

  // Copy the wheels into Pyodide's in-memory file system, then unpack them in Python.
  pyodide.FS.mkdirTree("/tmp/wheels");
  const wheels = readdirSync(wheelDir).filter((name) => name.endsWith(".whl")).sort();
  for (const name of wheels) {
    pyodide.FS.writeFile(`/tmp/wheels/${name}`, readFileSync(path.join(wheelDir, name)));
  }
  pyodide.FS.writeFile("/tmp/driver.py", readFileSync(driverPath));
  const install = `
import site, sys, zipfile, pathlib
target = pathlib.Path(site.getsitepackages()[0])
for wheel in sorted(pathlib.Path("/tmp/wheels").glob("*.whl")):
    if not wheel.name.endswith("-none-any.whl"):
        raise RuntimeError(f"not a pure-Python wheel: {wheel.name}")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
sys.path.insert(0, "/tmp")
import importlib
importlib.invalidate_caches()
import driver
`;
  await pyodide.runPythonAsync(install);
  const driver = pyodide.pyimport("driver");
  const ready = {
    ready: {
      pyodide: pyodide.version,
      python: pyodide.runPython("import sys; sys.version.split()[0]"),
      wheels,
      boot_seconds: bootSeconds,
    },
  };
  process.stdout.write(JSON.stringify(ready) + "\n");

  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let answer;
    try {
      answer = await driver.handle(line);
    } catch (error) {
      answer = JSON.stringify({ error: `harness: ${error}` });
    }
    process.stdout.write(answer + "\n");
  }
  driver.destroy();
}

main().catch((error) => {
  process.stderr.write(`pyodide harness failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
