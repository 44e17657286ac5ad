// The Web Worker that runs Python: Pyodide with micrograd's wheel, off the page's thread.
//
// THE MESSAGES between the page (session.mjs) and this worker, all of them:
//
// page -> worker
//   {type: "init", pyodide, viz, wheel, shim, driver, packageIndex}
//       Load Python. pyodide: URL of the folder holding pyodide.mjs; viz: URL of
//       @viz-js/viz's viz.js; wheel: URL of micrograd's wheel; shim, driver: URLs of
//       graphviz_shim.py and driver.py; packageIndex: where packages that Pyodide has
//       only in its own distribution (numpy, matplotlib, ...) are fetched from.
//   {type: "run", cell, code}
//       Run code in the session's one namespace. cell: any label, echoed back
//       (tracebacks name it "<cell N>" when it is a number).
//
// worker -> page
//   {type: "progress", message}        while Python loads, or packages are fetched
//   {type: "ready", version}           Python is loaded (version: Pyodide's)
//   {type: "failed", message}          loading failed; the worker is of no further use
//   {type: "output", cell, output}     one output of a running cell, in order, where output is
//       {kind: "stream", name: "stdout" | "stderr", text}
//       {kind: "text", text}                       a value's repr (the cell's last expression)
//       {kind: "svg", svg}                         an SVG repr (draw_dot's graphs)
//       {kind: "html", html, passed?}              an HTML repr (the backward stepper); passed: a
//                                                  checker's report, whether its checks passed
//       {kind: "png", data}                        base64 PNG (a matplotlib figure)
//       {kind: "error", ename, evalue, traceback}  the cell raised; traceback is text
//   {type: "done", cell, ok, fatal}    the cell finished; ok is false if it raised; fatal is
//                                      true if Python itself failed (the page must start a new worker)
//
// There is no "interrupt" message: a static web host cannot send the headers that
// SharedArrayBuffer needs, so the page stops a runaway cell by terminating this worker
// and starting a new one (a fresh session).

let pyodide = null;
let driver = null;

async function init({pyodide: pyodideURL, viz: vizURL, wheel, shim, driver: driverURL, packageIndex}) {
  const progress = (message) => postMessage({type: "progress", message});
  progress("Loading Python (Pyodide) and Graphviz…");
  const [{loadPyodide, version}, {instance}] = await Promise.all([
    import(new URL("pyodide.mjs", pyodideURL).href),
    import(vizURL),
  ]);
  const [py, viz, wheelBytes, shimText, driverText] = await Promise.all([
    loadPyodide({indexURL: pyodideURL, packageBaseUrl: packageIndex}),
    instance(),
    fetchOk(wheel).then((r) => r.arrayBuffer()),
    fetchOk(shim).then((r) => r.text()),
    fetchOk(driverURL).then((r) => r.text()),
  ]);
  progress("Installing micrograd…");
  py.unpackArchive(wheelBytes, "wheel");
  const site = py.runPython("import site; site.getsitepackages()[0]");
  py.FS.mkdirTree(`${site}/graphviz`);
  py.FS.writeFile(`${site}/graphviz/__init__.py`, shimText);
  py.FS.writeFile(`${site}/_mg_runner_driver.py`, driverText);
  py.registerJsModule("_mg_browser", {
    render_svg: (source, engine) => viz.renderString(source, {format: "svg", engine}),
    emit: (cell, json) => postMessage({type: "output", cell, output: JSON.parse(json)}),
  });
  driver = py.pyimport("_mg_runner_driver");
  pyodide = py;
  postMessage({type: "ready", version});
}

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

async function run({cell, code}) {
  let ok = false;
  try {
    // Packages Pyodide has in its own distribution (numpy, ...) come from packageIndex;
    // micrograd, graphviz and the standard library are already here.
    const failures = [];
    await pyodide.loadPackagesFromImports(code, {
      messageCallback: (message) => postMessage({type: "progress", message}),
      errorCallback: (message) => failures.push(message),
    });
    if (failures.length) {
      // Said as what it is (the cell's import would only report a missing module), in one line.
      const evalue = `${packagesInWords(failures, code)} could not be downloaded from Pyodide's package server (is the network off?)`;
      const output = {kind: "error", ename: "DownloadError", evalue, traceback: `DownloadError: ${evalue}`};
      postMessage({type: "output", cell, output});
      postMessage({type: "done", cell, ok: false, fatal: false});
      return;
    }
    ok = driver.run_cell(code, cell);
  } catch (error) {
    // driver.run_cell reports Python's own exceptions as outputs, so an error here means the
    // interpreter itself failed (a package that could not be fetched, or WebAssembly running
    // out of stack, after which Pyodide cannot be used again).
    const fatal = !pythonStillWorks();
    const evalue = String(error.message || error);
    const traceback = fatal
      ? `${error.name || "Error"}: ${evalue}\nPython in the browser failed and cannot go on (a graph too deep ` +
        "for the browser's stack does this). The session has ended: the next Run starts a new one."
      : `${error.name || "Error"}: ${evalue}`;
    postMessage({type: "output", cell, output: {kind: "error", ename: error.name || "Error", evalue, traceback}});
    postMessage({type: "done", cell, ok: false, fatal});
    return;
  }
  postMessage({type: "done", cell, ok});
}

// The packages named in Pyodide's messages ("The following error occurred while loading numpy:",
// one for each package, the ones it depends on too), in words: those the code imports, then how
// many others they need ("matplotlib and numpy, and 10 packages they use").
function packagesInWords(failures, code) {
  const names = [...new Set(failures.flatMap((m) => [...m.matchAll(/while loading (\S+?):/g)].map((g) => g[1])))];
  if (!names.length) return failures[0].split("\n")[0];
  const imported = new Set(pyodide.pyimport("pyodide.code").find_imports(code).toJs());
  // A package is imported under the names its lock file entry lists: scikit-learn as sklearn.
  const importsOf = (name) => pyodide.lockfile.packages[name]?.imports ?? [name.replace(/-/g, "_")];
  const direct = names.filter((n) => importsOf(n).some((i) => imported.has(i)));
  const shown = direct.length ? direct : names.slice(0, 3);
  const list = shown.length > 1 ? `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}` : shown[0];
  const rest = names.length - shown.length;
  if (!rest) return list;
  const packages = `${rest} ${direct.length ? "" : "other "}package${rest === 1 ? "" : "s"}`;
  const users = direct.length === 0 ? "" : direct.length === 1 ? " it uses" : " they use";
  return `${list}, and ${packages}${users}`;
}

function pythonStillWorks() {
  try {
    return pyodide.runPython("1 + 1") === 2;
  } catch {
    return false;
  }
}

// Messages are handled one at a time, in order: a run waits for init and for the run before it.
let queue = Promise.resolve();
self.onmessage = ({data}) => {
  queue = queue.then(async () => {
    if (data.type === "init") {
      try {
        await init(data);
      } catch (error) {
        postMessage({type: "failed", message: String(error.message || error)});
      }
    } else if (data.type === "run") {
      await run(data);
    }
  });
};
