// The neuron playground: sliders for x1, x2, w1, w2 and b, a choice of activation, the graph
// of o = act(x1*w1 + x2*w2 + b) with every value and gradient, and backward() one step at a time.
//
// Every number comes from micrograd: from Python in the browser (through pycall.mjs) once it
// has loaded, and before that from neuron-frames.json, which the site's build computed with
// the same functions for each slider moved on its own. A setting
// neither has is drawn with "…" and the status says why: the drawing never shows the numbers
// of another setting as if they were this one's.
//
// A slider move must redraw within 100 ms on a busy 2-core machine, so each move asks Python
// for only what the drawing needs (playgrounds.neuron.neuron_numbers: each value's data and
// gradient); the steps of backward() (neuron_graph, several times larger to turn into JSON)
// are asked for only while the reader is stepping. One call runs at a time; moves made during
// it are not queued: when it ends, only the newest setting is computed.
//
// For tests and the benchmark, the box carries data-source ("python", "frames" or "waiting"),
// data-drawn (the settings the numbers are for, as JSON) and data-latency-ms (from the last
// input event to the drawing of Python's numbers for it); each value's box in the drawing
// carries data-label, data-data and data-grad.

import {drawGraph, formatNumber} from "./graph.mjs";
import {call, configure, load} from "./pycall.mjs";
import {stepButtons} from "./steps.mjs";

const NAMES = ["x1", "x2", "w1", "w2", "b"];
const ACTIVATIONS = ["tanh", "relu", "sigmoid"];
const TITLE = "The neuron's computation graph: each box holds a value's label, data and gradient";

function make(tag, attributes = {}, text) {
  const e = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) e.setAttribute(key, value);
  if (text !== undefined) e.textContent = text;
  return e;
}

let serial = 0;

export async function start(box, script) {
  configure(script);
  const id = `mg-neuron-${++serial}`;
  const response = await fetch(new URL("neuron-frames.json", import.meta.url));
  if (!response.ok) throw new Error(`neuron-frames.json: HTTP ${response.status}`);
  const precomputed = await response.json();
  const positions = Object.fromEntries(
    NAMES.map((name) => [name, precomputed.activations.tanh.moves[name].map(([x]) => x)]),
  );
  const state = {...precomputed.defaults, activation: "tanh", showGrads: true};
  let answer = null; // Python's answer for the drawn settings: {key, since, data, grads, frames?}
  let pythonReady = false;
  let wanted = null; // {settings, key, since}: the settings the page should show
  let computing = false;

  // -- the controls ---------------------------------------------------------------------
  const controls = make("div", {class: "mg-pg-controls"});
  const sliders = {};
  for (const name of NAMES) {
    const row = make("div", {class: "mg-pg-slider"});
    const label = make("label", {for: `${id}-${name}`}, name);
    const input = make("input", {
      type: "range",
      id: `${id}-${name}`,
      min: "0",
      max: String(positions[name].length - 1),
      step: "1",
    });
    input.value = String(positions[name].indexOf(state[name]));
    const shown = make("output", {for: `${id}-${name}`, "aria-hidden": "true"});
    input.addEventListener("input", (event) => {
      state[name] = positions[name][Number(input.value)];
      update(event.timeStamp);
    });
    row.append(label, input, shown);
    controls.append(row);
    sliders[name] = {input, shown};
  }
  const activationRow = make("div", {class: "mg-pg-slider"});
  const activation = make("select", {id: `${id}-activation`});
  for (const name of ACTIVATIONS) activation.append(make("option", {value: name}, name));
  activation.addEventListener("change", (event) => {
    state.activation = activation.value;
    update(event.timeStamp);
  });
  activationRow.append(make("label", {for: `${id}-activation`}, "activation"), activation);
  const gradsRow = make("div", {class: "mg-pg-slider"});
  const showGrads = make("input", {type: "checkbox", id: `${id}-grads`});
  showGrads.checked = true;
  showGrads.addEventListener("change", () => {
    state.showGrads = showGrads.checked;
    draw();
  });
  gradsRow.append(showGrads, make("label", {for: `${id}-grads`}, "show gradients"));
  controls.append(activationRow, gradsRow);

  const steps = stepButtons(() => {
    if (pythonReady) {
      wanted = {...wanted, since: performance.now()};
      compute(); // stepping needs the frames of backward(), which a move leaves out
    }
    draw();
  });

  const figure = make("div", {class: "mg-pg-figure", tabindex: "0", role: "group", "aria-label": "The neuron's graph"});
  const status = make("p", {class: "mg-pg-status", role: "status"});
  box.append(controls, figure, ...steps.elements, status);
  let graph = drawGraph(figure, precomputed.activations.tanh.nodes, {title: TITLE});
  let graphActivation = "tanh";

  // -- where the numbers come from -------------------------------------------------------
  const settings = () => Object.fromEntries(NAMES.map((name) => [name, state[name]]));
  const keyOf = (s, act) => JSON.stringify({...s, activation: act});

  function fromFrames(s, act) {
    const table = precomputed.activations[act];
    const moved = NAMES.filter((name) => s[name] !== precomputed.defaults[name]);
    if (moved.length === 0) return table.default;
    if (moved.length > 1) return null;
    const found = table.moves[moved[0]].find(([x]) => x === s[moved[0]]);
    return found ? found[1] : null;
  }

  function update(since) {
    for (const name of NAMES) sliders[name].shown.textContent = String(Number(state[name].toFixed(4)));
    for (const name of NAMES) {
      sliders[name].input.setAttribute("aria-valuetext", `${name} = ${formatNumber(state[name])}`);
    }
    const s = settings();
    wanted = {settings: s, activation: state.activation, key: keyOf(s, state.activation), since};
    if (pythonReady) compute();
    draw();
  }

  // Python's answer fits the wanted settings if it is for them, with the frames if stepping.
  const fits = (a) => a !== null && a.key === wanted.key && (a.frames !== undefined || !steps.stepping());

  async function compute() {
    if (computing) return; // the loop below picks up the newest settings when this one ends
    computing = true;
    try {
      while (wanted && !fits(answer)) {
        const asked = wanted;
        const args = [asked.settings, asked.activation];
        if (steps.stepping()) {
          const full = await call("playgrounds.neuron", "neuron_graph", args);
          const data = full.nodes.map((n) => n.data);
          const grads = full.nodes.map((n) => full.grads[n.label]);
          answer = {data, grads, frames: full.frames, key: asked.key, since: asked.since};
        } else {
          const lean = await call("playgrounds.neuron", "neuron_numbers", args);
          answer = {data: lean.data, grads: lean.grads, key: asked.key, since: asked.since};
        }
        if (fits(answer)) {
          draw();
          box.dataset.latencyMs = String(performance.now() - asked.since);
        }
      }
    } catch (error) {
      status.textContent = `Python failed: ${error.name}: ${error.message}`;
    } finally {
      computing = false;
    }
  }

  function draw() {
    const current = fits(answer) ? answer : null;
    const nodes = precomputed.activations[wanted.activation].nodes; // the same for every setting
    if (graphActivation !== wanted.activation) {
      graphActivation = wanted.activation;
      graph = drawGraph(figure, nodes, {title: TITLE});
    }
    let numbers = null;
    let source = "waiting";
    // Once Python runs, the buttons work: a step not computed yet is asked for, and its caption says so.
    steps.set(pythonReady ? {nodes, frames: current ? current.frames : undefined} : null);
    if (current) {
      const frame = steps.frame();
      numbers = {
        data: current.data,
        grads: frame ? frame.grads : current.grads,
        active: frame ? frame.node : null,
        receiving: frame ? frame.passed.map(([child]) => child) : [],
      };
      source = "python";
    } else if (!steps.stepping()) {
      // The build's frames hold the gradients after backward(), never a step's: not while stepping.
      const frame = fromFrames(wanted.settings, wanted.activation);
      if (frame) {
        numbers = {data: frame.data, grads: frame.grads, active: null, receiving: []};
        source = "frames";
      }
    }
    graph.show({...(numbers || {data: null, grads: null}), showGrads: state.showGrads});
    box.dataset.source = source;
    box.dataset.drawn = numbers ? wanted.key : "";
    figure.classList.toggle("mg-pg-stale", !numbers);
    figure.setAttribute("aria-busy", String(!numbers));

    const o = numbers ? formatNumber(numbers.data[numbers.data.length - 1]) : "…";
    if (source === "python") status.textContent = `o = ${o}, computed by micrograd in your browser.`;
    else if (source === "frames") {
      const python = pythonReady ? "Python is computing it again in your browser" : "Python is loading in your browser";
      status.textContent = `o = ${o}, computed by micrograd when this site was built; ${python} (stepping works once it has).`;
    } else if (pythonReady) status.textContent = "Computing…";
    else {
      status.textContent =
        "Python is loading in your browser: the numbers for this setting appear when it is ready. " +
        "Until then, moving one slider at a time from the start shows numbers computed when the site was built.";
    }
  }

  update(performance.now());
  load((message) => {
    if (!pythonReady) status.dataset.progress = message;
  })
    .then(() => {
      pythonReady = true;
      compute();
      draw();
    })
    .catch((error) => {
      status.textContent = `Python could not be loaded: ${error.message}. The numbers shown come from the site's build.`;
    });
}
