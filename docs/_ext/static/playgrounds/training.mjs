// The training playground: a data set, a network, a loss, an optimizer; Play, Pause, Step,
// Reset; the decision boundary with the points, and the loss and accuracy curves, drawn on
// canvases from the numbers micrograd returns (playgrounds.training.open_run and train).
//
// The whole setup and the seed are in the page's URL (?dataset=moons&size=100&...&seed=1):
// the same link gives the same run. Only the setup's own keys are read from the URL, as text;
// Python's Setup.from_query checks every one and refuses anything else with a message.
//
// For tests and the benchmark, the box carries data-state ("loading", "ready", "playing" or
// "error"), data-steps (steps trained), data-losses (the loss of every step, as JSON) and
// data-steps-per-second (measured while playing).

import {onThemeChange} from "../runner/theme_changes.mjs";
import {call, configure, load, python, PythonStopped} from "./pycall.mjs";

const KEYS = ["dataset", "size", "noise", "seed", "hidden", "activation", "loss", "optimizer", "lr"];
const CHOICES = {
  dataset: ["moons", "xor", "circles", "spiral"],
  activation: ["relu", "tanh", "sigmoid"],
  loss: ["hinge", "bce", "mse"],
  optimizer: ["sgd", "momentum", "adam"],
};
const LABELS = {
  dataset: "data set",
  size: "points",
  noise: "noise",
  seed: "seed",
  hidden: "hidden layers",
  activation: "activation",
  loss: "loss",
  optimizer: "optimizer",
  lr: "learning rate",
};
const NUMBERS = {size: [4, 400, 1], noise: [0, 1, 0.05], seed: [0, 4294967295, 1], lr: [0.001, 10, "any"]};
// While playing, the boundary is computed after every GRID_EVERY steps (each costs a forward
// pass of the network per grid point, more than a training step of 100 points).
const GRID_EVERY = 5;

function make(tag, attributes = {}, text) {
  const e = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) e.setAttribute(key, value);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The setup keys of the page's URL, as a query string; everything else is left out. */
function setupInURL() {
  const params = new URLSearchParams(location.search);
  return new URLSearchParams([...params].filter(([key]) => KEYS.includes(key))).toString();
}

let serial = 0;

export async function start(box, script) {
  configure(script);
  const id = `mg-training-${++serial}`;

  // -- controls -------------------------------------------------------------------------
  const form = make("form", {class: "mg-pg-form", "aria-label": "Training setup"});
  const fields = {};
  for (const key of KEYS) {
    const row = make("div", {class: "mg-pg-field mg-pg-small"});
    let input;
    if (CHOICES[key]) {
      input = make("select", {id: `${id}-${key}`});
      for (const choice of CHOICES[key]) input.append(make("option", {value: choice}, choice));
    } else if (NUMBERS[key]) {
      const [min, max, step] = NUMBERS[key];
      input = make("input", {type: "number", id: `${id}-${key}`, min: String(min), max: String(max), step: String(step)});
    } else {
      input = make("input", {type: "text", id: `${id}-${key}`, spellcheck: "false", "aria-describedby": `${id}-${key}-hint`});
    }
    row.append(make("label", {for: input.id}, LABELS[key]), input);
    if (key === "hidden") row.append(make("span", {class: "mg-pg-note", id: `${id}-${key}-hint`}, "sizes, such as 16,16"));
    form.append(row);
    fields[key] = input;
  }
  const apply = make("button", {type: "submit", class: "mg-button mg-button-small"}, "Apply and reset");
  form.append(apply);
  const buttons = make("div", {class: "mg-pg-buttons", role: "group", "aria-label": "Training"});
  const play = make("button", {type: "button", class: "mg-button mg-button-small"}, "▶ Play");
  const step = make("button", {type: "button", class: "mg-button mg-button-small"}, "Step");
  const reset = make("button", {type: "button", class: "mg-button mg-button-small"}, "Reset");
  buttons.append(play, step, reset);
  const error = make("p", {class: "mg-pg-error", role: "alert"});
  const pictures = make("div", {class: "mg-pg-pictures"});
  const plane = make("canvas", {width: "320", height: "320", role: "img", class: "mg-pg-canvas"});
  const curves = make("canvas", {width: "320", height: "320", role: "img", class: "mg-pg-canvas"});
  pictures.append(plane, curves);
  const weightsBox = make("details", {class: "mg-pg-weights"});
  const weights = make("pre", {tabindex: "0"});
  weightsBox.append(make("summary", {}, "The network's weights"), weights);
  weightsBox.hidden = true;
  const status = make("p", {class: "mg-pg-status", role: "status"});
  box.append(form, buttons, error, pictures, status, weightsBox);

  // -- the run --------------------------------------------------------------------------
  let run = null; // {query, points, labels, bounds, parameters, grid}
  let records = [];
  let grid = null;
  let playing = false;
  let busy = false;
  let generation = 0; // a Reset or Apply starts a new one; answers of an older one are dropped
  let openedIn = 0; // the Python session the run was opened in (a code cell's Stop ends it)

  const setState = (state) => {
    box.dataset.state = state;
    play.textContent = playing ? "⏸ Pause" : "▶ Play";
    // The status changes with every frame while playing: a screen reader hears it when play stops.
    status.setAttribute("aria-busy", String(playing));
    play.disabled = step.disabled = reset.disabled = apply.disabled = state === "loading";
  };

  function fill(query) {
    const params = new URLSearchParams(query);
    for (const key of KEYS) if (params.has(key)) fields[key].value = params.get(key);
  }

  function formQuery() {
    return new URLSearchParams(KEYS.map((key) => [key, fields[key].value.trim()])).toString();
  }

  async function open(query) {
    playing = false;
    generation += 1;
    const mine = generation;
    setState("loading");
    error.textContent = "";
    status.textContent = "Python is loading in your browser: training starts when it is ready.";
    try {
      await loading;
      status.textContent = "Making the data set and the network…";
      const opened = await call("playgrounds.training", "open_run", [query]);
      if (mine !== generation) return;
      openedIn = python.generation;
      run = opened;
      records = [];
      grid = opened.grid;
      delete box.dataset.stepsPerSecond;
      fill(opened.query);
      history.replaceState(history.state, "", `${location.pathname}?${opened.query}${location.hash}`);
      weights.textContent = "";
      weightsBox.hidden = true;
      setState("ready");
      drawAll();
    } catch (problem) {
      if (mine !== generation) return;
      run = null;
      error.textContent = `${problem.name === "ValueError" ? "This setup cannot run" : problem.name}: ${problem.message}`;
      setState("error");
      play.disabled = step.disabled = true;
      reset.disabled = apply.disabled = false;
      status.textContent = "";
    }
  }

  async function train(count, withGrid) {
    const mine = generation;
    if (openedIn !== python.generation || !python.worker) {
      // Python was restarted since the run was opened, and the run went with it: open it
      // again, from its setup, and train from the start.
      const opened = await call("playgrounds.training", "open_run", [run.query]);
      if (mine !== generation) return false;
      openedIn = python.generation;
      run = opened;
      records = [];
      grid = opened.grid;
      error.textContent = "";
    }
    const answer = await call("playgrounds.training", "train", [count, withGrid]);
    if (mine !== generation) return false;
    records.push(...answer.records);
    if (answer.grid) grid = answer.grid;
    if (answer.weights) weights.textContent = describeWeights(answer.weights);
    weightsBox.hidden = !answer.weights;
    box.dataset.steps = String(records.length);
    box.dataset.losses = JSON.stringify(records.map((r) => r.loss));
    drawSoon();
    return true;
  }

  // While playing, the next step is asked for at once and the drawing waits for the next
  // frame: Python computes while the page draws, and several steps between two frames are
  // drawn once.
  let drawing = false;
  function drawSoon() {
    if (drawing) return;
    drawing = true;
    requestAnimationFrame(() => {
      drawing = false;
      drawAll();
    });
  }

  async function playLoop() {
    if (busy) return;
    busy = true;
    const started = performance.now();
    let trained = 0; // in this loop (a restarted run starts its records over)
    try {
      while (playing) {
        const next = records.length + 1;
        if (!(await train(1, next % GRID_EVERY === 0))) break;
        trained += 1;
        const seconds = (performance.now() - started) / 1000;
        box.dataset.stepsPerSecond = String(trained / seconds);
      }
    } catch (problem) {
      stopWith(problem);
    } finally {
      busy = false;
    }
  }

  function stopWith(problem) {
    playing = false;
    if (problem instanceof PythonStopped) {
      // Not the run's fault: the next Play or Step opens it again and trains from the start.
      error.textContent = `Training paused: ${problem.message}. Play or Step trains again, from the start.`;
      setState("ready");
      return;
    }
    // A loss that overflows is the usual way a run fails: a step too large makes it diverge.
    const advice = problem.name === "OverflowError" ? " (a smaller learning rate may help)" : "";
    error.textContent = `Training stopped: ${problem.name}: ${problem.message}${advice}.`;
    setState("error");
    reset.disabled = apply.disabled = false;
  }

  play.addEventListener("click", () => {
    if (!run) return;
    playing = !playing;
    setState(playing ? "playing" : "ready");
    if (playing) playLoop();
  });
  step.addEventListener("click", async () => {
    if (!run || busy) return;
    playing = false;
    busy = true;
    setState("ready");
    try {
      await train(1, true);
    } catch (problem) {
      stopWith(problem);
    } finally {
      busy = false;
    }
  });
  reset.addEventListener("click", () => open(run ? run.query : formQuery()));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    open(formQuery());
  });

  // -- drawing --------------------------------------------------------------------------
  function colors() {
    const style = getComputedStyle(box);
    return {
      text: style.getPropertyValue("--color-foreground-primary").trim() || "#000",
      muted: style.getPropertyValue("--color-foreground-muted").trim() || "#666",
      background: style.getPropertyValue("--color-background-primary").trim() || "#fff",
      classes: ["#d95f02", "#1b6ac9"], // class 0, class 1
    };
  }

  function drawAll() {
    drawPlane();
    drawCurves();
    const last = records[records.length - 1];
    const summary = last
      ? `Step ${last.step}: loss ${last.loss.toFixed(4)}, accuracy ${(100 * last.accuracy).toFixed(0)}% (before the step's update).`
      : "Not trained yet.";
    const speed = box.dataset.stepsPerSecond ? ` ${Number(box.dataset.stepsPerSecond).toFixed(1)} steps per second.` : "";
    status.textContent = `${summary}${speed} Computed by micrograd in your browser.`;
    plane.setAttribute("aria-label", `The data set and the network's decision boundary. ${summary}`);
    curves.setAttribute("aria-label", `Loss and accuracy, step by step. ${summary}`);
  }

  function drawPlane() {
    const c = plane.getContext("2d");
    const {width, height} = plane;
    const color = colors();
    c.fillStyle = color.background;
    c.fillRect(0, 0, width, height);
    if (!run) return;
    const [x0, x1, y0, y1] = run.bounds;
    const px = (x) => ((x - x0) / (x1 - x0)) * width;
    const py = (y) => height - ((y - y0) / (y1 - y0)) * height;
    if (grid) {
      const n = grid.x.length;
      const cellW = width / n;
      const cellH = height / n;
      grid.scores.forEach((row, j) =>
        row.forEach((score, i) => {
          c.globalAlpha = Math.min(0.45, 0.12 + 0.3 * Math.min(1, Math.abs(score)));
          c.fillStyle = color.classes[score > 0 ? 1 : 0];
          c.fillRect(i * cellW, height - (j + 1) * cellH, cellW + 0.5, cellH + 0.5);
        }),
      );
      c.globalAlpha = 1;
    }
    run.points.forEach(([x, y], k) => {
      c.beginPath();
      c.arc(px(x), py(y), 4, 0, 2 * Math.PI);
      c.fillStyle = color.classes[run.labels[k]];
      c.fill();
      c.strokeStyle = color.text;
      c.lineWidth = 1;
      c.stroke();
    });
  }

  function drawCurves() {
    const c = curves.getContext("2d");
    const {width, height} = curves;
    const color = colors();
    c.fillStyle = color.background;
    c.fillRect(0, 0, width, height);
    c.font = "12px sans-serif";
    c.fillStyle = color.text;
    c.fillText("loss (line), accuracy (dashed, 0 to 100%)", 8, 16);
    if (records.length < 1) return;
    const top = 28;
    const plot = height - top - 20;
    const most = Math.max(...records.map((r) => r.loss), 1e-12);
    const x = (k) => 8 + (k / Math.max(1, records.length - 1)) * (width - 16);
    const line = (values, scale, dash, stroke) => {
      c.beginPath();
      c.setLineDash(dash);
      c.strokeStyle = stroke;
      c.lineWidth = 2;
      values.forEach((v, k) => (k ? c.lineTo : c.moveTo).call(c, x(k), top + plot - (v / scale) * plot));
      c.stroke();
      c.setLineDash([]);
    };
    line(records.map((r) => r.loss), most, [], color.classes[1]);
    line(records.map((r) => r.accuracy), 1, [6, 4], color.classes[0]);
    c.fillStyle = color.text;
    c.fillText(`step ${records.length}, loss ${records[records.length - 1].loss.toFixed(3)}`, 8, height - 4);
  }

  function describeWeights(layers) {
    return layers
      .map((layer, l) =>
        layer
          .map((neuron, j) => {
            const ws = neuron.slice(0, -1).map((w) => w.toFixed(3)).join(", ");
            return `layer ${l + 1}, neuron ${j + 1}: w = [${ws}], b = ${neuron[neuron.length - 1].toFixed(3)}`;
          })
          .join("\n"),
      )
      .join("\n");
  }

  // -- start ----------------------------------------------------------------------------
  fill(new URLSearchParams({dataset: "moons", size: "100", noise: "0.1", seed: "1", hidden: "16,16", activation: "relu", loss: "hinge", optimizer: "sgd", lr: "0.1"}).toString());
  fill(box.dataset.setup || "");
  fill(setupInURL());
  box.dataset.steps = "0";
  box.dataset.losses = "[]";
  const loading = load(() => {});
  loading.catch((problem) => {
    status.textContent = `Python could not be loaded: ${problem.message}`;
  });
  drawAll();
  onThemeChange(drawAll); // the canvases take their colours from the theme
  open(formQuery());
}
