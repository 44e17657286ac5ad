// Run the package's test suite inside Pyodide (CPython compiled to WebAssembly), in Node.
//
//     node tests/pyodide/run_suite.mjs WHEEL_DIR [pytest arguments...]
//
// The readers' browsers run micrograd in Pyodide, so the engine is tested there too.
// Pyodide comes from docs/node_modules (npm, pinned in docs/package.json); WHEEL_DIR holds
// the pure-Python wheels of tests/pyodide/requirements.txt (pytest, Hypothesis, ...). The
// repository is mounted read-write at /repo and pytest runs there, on the source tree.
// Exits with pytest's exit code.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const [wheelDir, ...pytestArgs] = process.argv.slice(2);
if (!wheelDir) {
  console.error("usage: node tests/pyodide/run_suite.mjs WHEEL_DIR [pytest arguments...]");
  process.exit(2);
}

const { loadPyodide } = await import(join(repo, "docs", "node_modules", "pyodide", "pyodide.mjs"));
// No environment from Node: inside Pyodide, CI is unset, so the PyTorch comparisons skip
// (PyTorch has no WebAssembly build; they run natively) instead of failing as missing.
const pyodide = await loadPyodide({ env: { HOME: "/home/pyodide" } });
// Raw writes, as a terminal gets them (pytest's progress dots come without newlines).
const passTo = (stream) => ({ write: (bytes) => (stream.write(bytes), bytes.length) });
pyodide.setStdout(passTo(process.stdout));
pyodide.setStderr(passTo(process.stderr));
const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
for (const wheel of readdirSync(wheelDir).filter((name) => name.endsWith(".whl"))) {
  const bytes = new Uint8Array(readFileSync(join(wheelDir, wheel)));
  pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages });
}
pyodide.FS.mkdirTree("/repo");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: repo }, "/repo");
pyodide.globals.set("pytest_args", pyodide.toPy(pytestArgs));
const code = pyodide.runPython(`
import os, sys
os.chdir("/repo")
sys.path.insert(0, "/repo")
print("Python", sys.version.split()[0], "on", sys.platform)
import pytest
int(pytest.main(["-p", "no:cacheprovider", *pytest_args]))
`);
process.exit(code);
