// Calling the playgrounds' Python from the page, through the runner's one session.
//
//     const answer = await call("playgrounds.neuron", "neuron_graph", [{x1: 1.5}, "tanh"]);
//
// call(module, function, args) imports `module` from the playgrounds package (the .py files
// beside this one, written into Pyodide's file system once per session), calls the function
// with `args` and resolves with what it returns, as JSON. The arguments cross as one JSON
// string that Python decodes with json.loads: they are data, never code, so nothing a URL
// holds can become Python source. If the function raises, call rejects with a PythonError
// whose message is Python's own (`ValueError: log() is only defined for ...`); if the session
// is stopped meanwhile, with PythonStopped.

import {python} from "../runner/session.mjs";

const HERE = new URL(".", import.meta.url);
const FILES = ["__init__.py", "graph_steps.py", "neuron.py", "expression.py", "training.py"];

export class PythonError extends Error {
  constructor(ename, evalue) {
    super(evalue);
    this.name = ename;
  }
}

/** The session was stopped while a call ran (a code cell's Stop button ends the session). */
export class PythonStopped extends Error {
  constructor() {
    super("Python was stopped, with everything it held: a code cell's Stop button restarts it");
    this.name = "Stopped";
  }
}

let configured = false;
let installedIn = 0; // the session generation the package was written into
let sources = null;

/** Tell the session where the site's files are, from the loader's data- attributes. */
export function configure(script) {
  if (configured) return;
  configured = true;
  python.configure({
    root: new URL("../../", script.src).href, // playground.js is at <root>/_static/playgrounds/
    pyodide: script.dataset.pyodide,
    viz: script.dataset.viz,
    wheel: script.dataset.wheel,
    packageIndex: script.dataset.packageIndex,
  });
}

/** Load Python; onProgress(message) hears what it is doing. Resolves when it can run. */
export async function load(onProgress) {
  const unsubscribe = python.onProgress(onProgress);
  try {
    sources ??= Object.fromEntries(
      await Promise.all(
        FILES.map(async (name) => {
          const response = await fetch(new URL(name, HERE));
          if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
          return [name, await response.text()];
        }),
      ),
    );
    await install();
  } finally {
    unsubscribe();
  }
}

async function install() {
  if (installedIn === python.generation && python.worker) return;
  await python.start();
  const code = [
    "def _mg_install_playgrounds(files):",
    "    import os, sys",
    "    folder = '/home/pyodide/mg_playgrounds/playgrounds'",
    "    os.makedirs(folder, exist_ok=True)",
    "    for name, text in files.items():",
    "        with open(os.path.join(folder, name), 'w', encoding='utf-8') as f:",
    "            f.write(text)",
    "    if os.path.dirname(folder) not in sys.path:",
    "        sys.path.insert(0, os.path.dirname(folder))",
    "import json as _mg_json",
    `_mg_install_playgrounds(_mg_json.loads(${pyString(JSON.stringify(sources))}))`,
    "del _mg_install_playgrounds",
  ].join("\n");
  const generation = python.generation;
  const {ok, outputs} = await python.run(code);
  if (!ok) throw failure(outputs);
  installedIn = generation;
}

/** Call playgrounds.<module>.<name>(*args); resolves with its JSON result. */
export async function call(module, name, args) {
  await install();
  if (!/^playgrounds\.[a-z_]+$/.test(module) || !/^[a-z_]+$/.test(name)) {
    throw new Error(`not a playground function: ${module}.${name}`);
  }
  const code = [
    `import json as _mg_json, ${module} as _mg_module`,
    `print(_mg_json.dumps(_mg_module.${name}(*_mg_json.loads(${pyString(JSON.stringify(args))})), allow_nan=False))`,
  ].join("\n");
  const {ok, outputs, stopped} = await python.run(code);
  if (stopped) throw new PythonStopped();
  if (!ok) throw failure(outputs);
  const printed = outputs.filter((o) => o.kind === "stream" && o.name === "stdout").map((o) => o.text).join("");
  return JSON.parse(printed);
}

/** A Python string literal holding `text` (a JSON string literal is one). */
function pyString(text) {
  return JSON.stringify(text);
}

function failure(outputs) {
  const error = outputs.find((o) => o.kind === "error");
  return error ? new PythonError(error.ename, error.evalue) : new Error("Python failed without an error message");
}

export {python};
