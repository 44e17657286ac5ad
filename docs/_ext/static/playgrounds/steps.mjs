// backward() one node at a time: the step buttons and the caption under a playground's graph.
//
//     const steps = stepButtons(() => redraw());
//     steps.set(answer);     // answer: graph_frames' {nodes, order, frames}, or null (no Python yet)
//     steps.set(null, {note: "No graph: ..."})  // no graph, and the caption says why
//     steps.set(answer, {restart: true});  // a new graph: show it after backward(), not mid-step
//     steps.stepping();      // true when a step is chosen, false for "after backward()"
//     steps.frame();         // the frame to draw, or null for "after backward()"
//
// The frames come from Python (playgrounds.graph_steps.graph_frames replays micrograd's own
// rule); this module only chooses which one to show and says in words what it does. An answer
// may come without its frames ({nodes} only: a playground that asks Python for the steps only
// when the reader steps); frame() is then null while stepping() is true, and the caption says
// the step is being computed. Every graph has one step per value: frames.length is
// nodes.length + 1.

import {formatNumber} from "./graph.mjs";

function make(tag, attributes = {}, text) {
  const e = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) e.setAttribute(key, value);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** How a caption names a value: its label, or "#id" (the drawing shows the same). */
export function nameOf(node) {
  return node.label || `#${node.id}`;
}

export function stepButtons(onChange, {output = "o"} = {}) {
  let answer = null;
  const waiting = "Stepping through backward() needs Python in your browser.";
  let note = waiting; // the caption while there is no answer
  let step = null; // null: after backward(); k: after the k-th step (0: before it)
  const group = make("div", {class: "mg-pg-buttons", role: "group", "aria-label": "Step through backward()"});
  const caption = make("p", {class: "mg-pg-caption", "aria-live": "polite"});
  const last = () => (answer ? answer.nodes.length : 0);
  const go = (k) => {
    if (!answer) return;
    step = k === null || k >= last() ? null : Math.max(0, k);
    render();
    onChange();
  };
  const button = (text, action) => {
    const b = make("button", {type: "button", class: "mg-button mg-button-small"}, text);
    b.addEventListener("click", action);
    group.append(b);
    return b;
  };
  const first = button("◀◀ Before backward()", () => go(0));
  const back = button("◀ Back", () => go((step ?? last()) - 1));
  const next = button("Step ▶", () => go((step ?? last()) + 1));
  const done = button("All of backward() ▶▶", () => go(null));

  function render() {
    const k = step ?? last();
    first.disabled = back.disabled = !answer || k === 0;
    next.disabled = done.disabled = !answer || step === null;
    caption.textContent = describe();
  }

  function describe() {
    if (!answer) return note;
    if (step === null) {
      return `After ${output}.backward(): each gradient is d ${output} / d value. ◀◀ Before backward() goes back to the start, to step through it.`;
    }
    if (step === 0) return "Before backward(): every gradient is 0. Step ▶ starts at the output.";
    if (!answer.frames) return `Step ${step} of ${last()}: computing it in your browser…`;
    const {nodes} = answer;
    const frame = answer.frames[step];
    const me = nameOf(nodes[frame.node]);
    const passed = frame.passed.map(([child, local]) => `${nameOf(nodes[child])} (local derivative ${formatNumber(local)})`);
    const start = step === 1 ? `${me}.grad = 1 (d ${output} / d ${output}). ` : "";
    const rest = passed.length
      ? `${me} passes its gradient to ${passed.join(" and ")}.`
      : `${me} was not computed from anything: nothing to pass on.`;
    return `Step ${step} of ${last()}: ${start}${rest}`;
  }

  render();
  return {
    elements: [group, caption],
    set(next, {restart = false, note: why = waiting} = {}) {
      answer = next;
      note = why;
      if (restart || (step !== null && step > last())) step = null;
      render();
    },
    stepping() {
      return step !== null;
    },
    frame() {
      return answer && answer.frames && step !== null ? answer.frames[step] : null;
    },
  };
}
