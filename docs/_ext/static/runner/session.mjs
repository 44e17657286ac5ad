// One Python session in a Web Worker: the runner's JavaScript API, for the page's cells
// and for the exercises and playgrounds.
//
//     import {python} from "<site root>/_static/runner/session.mjs";
//     python.configure({root: "<site root URL>"});   // once; runner.js does it on notebook pages
//     const {ok, outputs} = await python.run("from micrograd import Value\nValue(2.0) * 3");
//     // ok: true; outputs: [{kind: "text", text: "Value(data=6.0, grad=0)"}]
//
// - run(code, {cell, onOutput}) queues code behind any running cell and resolves when it has
//   finished, with every output (the kinds are listed in worker.mjs); onOutput(output) sees
//   each one as it arrives (printed text arrives while the cell runs).
// - Python loads on the first run (or on start()); onProgress(listener) hears what it is doing.
// - stop() ends whatever runs by terminating the worker: the session, with every variable,
//   is gone, and the next run starts a fresh one. `generation` counts the sessions, so a
//   caller knows when its earlier cells have to be run again.
// - Nothing is downloaded before the first run or start().

const HERE = new URL(".", import.meta.url);

class Session {
  constructor() {
    this.generation = 0;
    this.worker = null;
    this.loading = null;
    this.pending = new Map(); // cell -> {outputs, onOutput, resolve}
    this.listeners = new Set();
    this.queue = Promise.resolve();
    this.urls = null;
    this.nextId = 0;
    this.stops = 0; // how many times stop() was called: a run queued before a stop does not run
  }

  /** Where the site's files are. root: the site root URL (the folder holding _static/). */
  configure({root, pyodide, viz, wheel, packageIndex}) {
    const base = new URL(root, location.href);
    this.urls = {
      pyodide: new URL(pyodide, base).href,
      viz: new URL(viz, base).href,
      wheel: new URL(wheel, base).href,
      shim: new URL("graphviz_shim.py", HERE).href,
      driver: new URL("driver.py", HERE).href,
      packageIndex: packageIndex,
    };
  }

  /** Hear progress messages while Python loads: listener(message). Returns an unsubscribe. */
  onProgress(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Load Python now (resolves with Pyodide's version), if it is not loaded or loading. */
  start() {
    if (this.loading) return this.loading;
    if (!this.urls) throw new Error("python.configure({...}) first: the runner does not know where the site is");
    const worker = new Worker(new URL("worker.mjs", HERE), {type: "module"});
    this.worker = worker;
    this.generation += 1;
    this.loading = new Promise((resolve, reject) => {
      worker.onmessage = ({data}) => {
        if (data.type === "progress") this.listeners.forEach((l) => l(data.message));
        else if (data.type === "ready") resolve(data.version);
        else if (data.type === "failed") reject(new Error(`Python could not be loaded: ${data.message}`));
        else this.receive(data);
      };
      worker.onerror = (event) => reject(new Error(`the Python worker failed: ${event.message}`));
    });
    worker.postMessage({type: "init", ...this.urls});
    // A failed load leaves nothing to keep: the next run tries again with a new worker.
    this.loading.catch(() => {
      if (this.worker === worker) this.stop();
    });
    return this.loading;
  }

  receive(data) {
    const job = this.pending.get(data.cell);
    if (!job) return;
    if (data.type === "output") {
      job.outputs.push(data.output);
      job.onOutput?.(data.output);
    } else if (data.type === "done") {
      this.pending.delete(data.cell);
      if (data.fatal) this.stop(); // this worker's Python is unusable: the next run starts anew
      job.resolve({ok: data.ok, outputs: job.outputs, stopped: false, restarted: Boolean(data.fatal)});
    }
  }

  /**
   * Run code; resolves with {ok, outputs, stopped, restarted} when it has finished: stopped if
   * stop() ended it, restarted if Python itself failed (the next run starts a new session).
   */
  run(code, {cell, onOutput} = {}) {
    const id = cell ?? `api-${++this.nextId}`;
    const stops = this.stops;
    const job = this.queue.then(async () => {
      if (this.stops !== stops) return {ok: false, outputs: [], stopped: true, restarted: false};
      await this.start();
      return new Promise((resolve) => {
        this.pending.set(id, {outputs: [], onOutput, resolve});
        this.worker.postMessage({type: "run", cell: id, code});
      });
    });
    this.queue = job.catch(() => {});
    return job;
  }

  /** End what runs now and every queued run; the next run starts a new session. */
  stop() {
    this.stops += 1; // the runs still queued end too, without starting a new session
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    this.loading = null;
    for (const job of this.pending.values()) job.resolve({ok: false, outputs: job.outputs, stopped: true});
    this.pending.clear();
    this.queue = Promise.resolve();
  }

  get running() {
    return this.pending.size > 0;
  }
}

export const python = new Session();
