// "Your expression, stepped": a field for an expression over named values, its graph drawn,
// and backward() one node at a time.
//
// The expression and its values are kept in the page's URL (?expr=a*b%2Bc.tanh()&a=2&b=-3&c=0.5),
// so a link shows the same graph. A link can hold any text, so nothing in it is run: the page
// puts it into the fields as text; Python's playgrounds.expression parses it with an
// allow-list of syntax (never eval or exec) and builds it from micrograd Values; the drawing
// sets every label with textContent. Errors are Python's own messages: the allow-list's
// ("a call of 'print' ...") and the engine's ("log() is only defined for positive inputs ...").
//
// For tests: the box carries data-state ("waiting", "drawn" or "error") and data-drawn (the
// expression and values the drawing is for, as JSON).

import {drawGraph, formatNumber} from "./graph.mjs";
import {call, configure, load} from "./pycall.mjs";
import {stepButtons} from "./steps.mjs";

const EXAMPLE = {expr: "a*b + c.tanh()", values: "a=2, b=-3, c=0.5"};
const TITLE = "The expression's computation graph: each box holds a value's label, data and gradient";

function make(tag, attributes = {}, text) {
  const e = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) e.setAttribute(key, value);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** "a=2, b=-3" as {a: 2, b: -3}; throws an Error whose message says what is wrong. */
export function readValues(text) {
  const values = {};
  for (const piece of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(piece);
    const number = match ? Number(match[2]) : NaN;
    if (!match || !Number.isFinite(number)) {
      throw new Error(`cannot read "${piece.slice(0, 40)}" as a value: write name = number, such as a = 2`);
    }
    if (Object.hasOwn(values, match[1])) throw new Error(`${match[1]} is given two values`);
    values[match[1]] = number;
  }
  return values;
}

/** The state a URL's query string holds: {expr, values} as the fields show them, or null. */
function fromURL() {
  const params = new URLSearchParams(location.search);
  if (!params.has("expr")) return null;
  const values = [...params].filter(([key]) => key !== "expr").map(([key, value]) => `${key}=${value}`);
  return {expr: params.get("expr"), values: values.join(", ")};
}

let serial = 0;

export async function start(box, script) {
  configure(script);
  const id = `mg-expression-${++serial}`;
  const initial = fromURL() || EXAMPLE;

  const form = make("form", {class: "mg-pg-form", "aria-label": "Your expression"});
  const field = (name, label, value, hint) => {
    const row = make("div", {class: "mg-pg-field"});
    const input = make("input", {type: "text", id: `${id}-${name}`, spellcheck: "false", autocomplete: "off", "aria-describedby": `${id}-${name}-hint`});
    input.value = value;
    row.append(make("label", {for: input.id}, label), input, make("span", {id: `${id}-${name}-hint`, class: "mg-pg-note"}, hint));
    form.append(row);
    return input;
  };
  const expression = field("expr", "Expression", initial.expr, "names, numbers, + - * / **, and .tanh() .exp() .log() .relu() .sigmoid()");
  const values = field("values", "Values", initial.values, "name = number, separated by commas");
  const submit = make("button", {type: "submit", class: "mg-button mg-button-small"}, "Draw and step");
  form.append(submit);
  const error = make("p", {class: "mg-pg-error", role: "alert"});
  const figure = make("div", {class: "mg-pg-figure", tabindex: "0", role: "group", "aria-label": "Your expression's graph"});
  const steps = stepButtons(() => draw(), {output: "out"});
  const status = make("p", {class: "mg-pg-status", role: "status"});
  box.append(form, error, figure, ...steps.elements, status);

  let answer = null; // {result, key}
  let graph = null;
  let pythonReady = false;
  let asked = 0;

  function draw() {
    const result = answer && answer.result;
    if (!result || !result.ok) {
      figure.replaceChildren();
      graph = null;
      return;
    }
    const frame = steps.frame();
    graph.show({
      data: result.nodes.map((n) => n.data),
      grads: frame ? frame.grads : result.frames[result.frames.length - 1].grads,
      active: frame ? frame.node : null,
      receiving: frame ? frame.passed.map(([child]) => child) : [],
    });
  }

  async function submitted() {
    error.textContent = "";
    let state;
    try {
      state = {expr: expression.value, values: readValues(values.value)};
    } catch (problem) {
      show({ok: false, error: problem.message, kind: "values"}, null);
      return;
    }
    const query = new URLSearchParams([["expr", state.expr], ...Object.entries(state.values).map(([k, v]) => [k, String(v)])]);
    history.replaceState(history.state, "", `${location.pathname}?${query}${location.hash}`);
    box.dataset.state = "waiting";
    box.dataset.drawn = "";
    const mine = ++asked;
    figure.classList.add("mg-pg-stale");
    if (!pythonReady) status.textContent = "Python is loading in your browser: the graph appears when it is ready.";
    try {
      await loading;
      const result = await call("playgrounds.expression", "stepped", [state.expr, state.values]);
      if (mine === asked) show(result, JSON.stringify(state));
    } catch (problem) {
      if (mine === asked) show({ok: false, error: `${problem.name}: ${problem.message}`, kind: "python"}, null);
    }
  }

  function show(result, key) {
    answer = {result, key};
    figure.classList.remove("mg-pg-stale");
    if (!result.ok) {
      error.textContent = result.kind === "math" ? `micrograd raised an error: ${result.error}` : result.error;
      box.dataset.state = "error";
      box.dataset.drawn = "";
      status.textContent = "";
      steps.set(null, {note: "No graph to step through: fix the expression or the values above, then draw it again."});
      draw();
      return;
    }
    graph = drawGraph(figure, result.nodes, {title: TITLE});
    steps.set(result, {restart: true}); // the step reached in another graph means nothing here
    draw();
    box.dataset.state = "drawn";
    box.dataset.drawn = key;
    const names = Object.entries(result.grads).map(([name, g]) => `d out / d ${name} = ${formatNumber(g)}`);
    status.textContent = `out = ${formatNumber(result.data)}; ${names.join(", ")}. Computed by micrograd in your browser.`;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitted();
  });
  box.dataset.state = "waiting";
  const loading = load(() => {}).then(() => {
    pythonReady = true;
  });
  loading.catch((problem) => {
    status.textContent = `Python could not be loaded: ${problem.message}`;
  });
  submitted();
}
