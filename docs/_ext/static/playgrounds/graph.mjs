// Drawing a computation graph as SVG, from the node list Python returns
// (playgrounds.graph_steps.graph_frames): one box per value with its label, data and
// gradient, and the name of the operation that made it in a pill before it.
//
//     const graph = drawGraph(container, nodes);      // lays out and draws the boxes
//     graph.show({data, grads, showGrads, active, receiving});  // fills in the numbers
//
// Two layouts. Where there is room, the graph reads left to right, inputs first, as the
// site's other graphs do. A box too narrow for that even at 3/4 size (a phone) gets the same
// graph stacked top to bottom, inputs first, at full size, laid out to the box's width: the
// page scrolls down through it, as it does through the text, and nothing scrolls sideways.
// The graph is laid out again when its box changes width (a phone turned, a window resized).
//
// Every piece of text is set with textContent: labels come from the reader's expression or
// the URL and are never read as markup.

const SVG = "http://www.w3.org/2000/svg";
const BOX = {width: 120, height: 58}; // room for "grad -1.5000" and a 13-letter label
const GAP = 38; // between a box and the operation of the next column: room for the edges
// A graph wider than its box shrinks to fit, but not below this share of its size, at which
// its text is still 9.75 px (13 px at full size); in a narrower box it is stacked instead.
const SMALLEST = 0.75;
const ROW = 78;
const PAD = 12;
// The stacked layout: the space between two boxes side by side, and above a row of boxes: room
// for the edges only, or for the edges and the operations' pills.
const STACK = {gap: 16, edges: 28, ops: 66};

/** The width of an operation's box: a circle for "+", a wider pill for "sigmoid" or "**0.5".
 * Its text is 13 px monospace, as the values', 0.6 em a letter in the usual fonts, with room
 * to spare. */
function opWidth(op) {
  return Math.max(26, Math.ceil(op.length * 8 + 10));
}

function element(name, attributes = {}, text) {
  const e = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) e.setAttribute(key, String(value));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A number as the drawing shows it: four decimals, no "-0.0000". */
export function formatNumber(x) {
  if (x === null || x === undefined) return "…";
  const text = Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-4) ? x.toExponential(3) : x.toFixed(4);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

/** Columns: an operation one right of its deepest input; an input just left of its first user.
 * (In the stacked layout, columns are the levels, top to bottom.) */
function columns(nodes) {
  const column = new Array(nodes.length).fill(0);
  for (const node of nodes) {
    // nodes come inputs first, so every input's column is known
    if (node.inputs.length) column[node.id] = 1 + Math.max(...node.inputs.map((i) => column[i]));
  }
  const users = nodes.map(() => []);
  nodes.forEach((node) => node.inputs.forEach((i) => users[i].push(node.id)));
  for (const node of nodes) {
    if (!node.inputs.length && users[node.id].length) {
      column[node.id] = Math.min(...users[node.id].map((u) => column[u])) - 1;
    }
  }
  const count = Math.max(...column) + 1;
  const byColumn = Array.from({length: count}, () => []);
  nodes.forEach((node) => byColumn[column[node.id]].push(node.id));
  return {column, users, byColumn};
}

/** An S-shaped curve to (x2, y2) from where the path is, (x1, y1), leaving and arriving along
 * the flow: rightwards, or downwards. */
function bend(x1, y1, x2, y2, rightwards) {
  if (rightwards) return `C${x1 + 30},${y1} ${x2 - 27},${y2} ${x2},${y2}`;
  const middle = (y1 + y2) / 2;
  return `C${x1},${middle} ${x2},${middle} ${x2},${y2}`;
}

/** Left to right: each column's boxes centred on each other, each column ordered by where its
 * users sit, and room before each column for its widest operation's pill. */
function wideLayout(nodes) {
  const {column, users, byColumn} = columns(nodes);
  const count = byColumn.length;
  // Rows: from the output back, each column ordered by where its users sit.
  const row = new Array(nodes.length).fill(0);
  for (let c = count - 1; c >= 0; c -= 1) {
    const mean = (id) => {
      const placed = users[id];
      return placed.length ? placed.reduce((sum, u) => sum + row[u], 0) / placed.length : 0;
    };
    byColumn[c].sort((a, b) => mean(a) - mean(b) || a - b);
    byColumn[c].forEach((id, k) => {
      row[id] = k;
    });
  }
  const rows = Math.max(...byColumn.map((ids) => ids.length));
  const y = (id) => PAD + ((rows - byColumn[column[id]].length) / 2 + row[id]) * ROW;
  // Each column leaves room before its boxes for its widest operation's name.
  const room = new Array(count).fill(opWidth(""));
  nodes.forEach((node) => {
    if (node.op) room[column[node.id]] = Math.max(room[column[node.id]], opWidth(node.op));
  });
  const left = [PAD + 44];
  for (let c = 1; c < count; c += 1) left.push(left[c - 1] + BOX.width + GAP + room[c]);
  const at = nodes.map((node) => ({x: left[column[node.id]], y: y(node.id)}));
  const ops = [];
  const edges = [];
  for (const node of nodes) {
    if (!node.op) continue;
    const {x, y: top} = at[node.id];
    const middle = top + BOX.height / 2;
    const opRight = x - 13;
    const opLeft = opRight - opWidth(node.op);
    ops[node.id] = {x: opLeft, y: middle - 13, width: opRight - opLeft, height: 26};
    for (const input of node.inputs) {
      const from = at[input];
      const [fx, fy] = [from.x + BOX.width, from.y + BOX.height / 2];
      edges.push(`M${fx},${fy} ${bend(fx, fy, opLeft, middle, true)}`);
    }
    edges.push(`M${opRight},${middle} L${x},${middle}`);
  }
  return {
    kind: "wide",
    width: left[count - 1] + BOX.width + PAD,
    height: PAD * 2 + (rows - 1) * ROW + BOX.height,
    smallest: SMALLEST,
    at,
    ops,
    edges,
  };
}

/** Top to bottom, `width` wide: each level's boxes side by side, as many as fit, ordered by
 * where their users sit. A level with more boxes than fit takes several rows, filled column by
 * column, so that a box stays above the others that go to the same place; an edge that has to
 * pass a row on its way down goes through the nearest gap between its boxes. */
function stackedLayout(nodes, available) {
  const {users, byColumn} = columns(nodes);
  const width = Math.max(available, BOX.width + 2 * PAD);
  const perRow = Math.max(1, Math.floor((width - 2 * PAD + STACK.gap) / (BOX.width + STACK.gap)));
  const centre = new Array(nodes.length).fill(width / 2);
  const levelRows = [];
  for (let c = byColumn.length - 1; c >= 0; c -= 1) {
    const mean = (id) => users[id].reduce((sum, u) => sum + centre[u], 0) / (users[id].length || 1);
    const ids = byColumn[c].map((id) => [mean(id), id]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const count = Math.ceil(ids.length / perRow);
    const rows = Array.from({length: count}, (_, r) => ids.filter((_, k) => k % count === r).map(([, id]) => id));
    for (const row of rows) {
      const space = (width - row.length * BOX.width) / (row.length + 1); // as much on each side
      row.forEach((id, k) => {
        centre[id] = space * (k + 1) + BOX.width * (k + 0.5);
      });
    }
    levelRows[c] = rows;
  }
  const rows = levelRows.flat(); // top to bottom
  const rowOf = [];
  const tops = [];
  let y = PAD - STACK.edges;
  rows.forEach((row, r) => {
    y += row.some((id) => nodes[id].op) ? STACK.ops : STACK.edges;
    tops.push(y);
    row.forEach((id) => {
      rowOf[id] = r;
    });
    y += BOX.height;
  });
  const at = nodes.map((node) => ({x: centre[node.id] - BOX.width / 2, y: tops[rowOf[node.id]]}));

  // The gaps of rows first to last, as [left, right] spans, between their boxes.
  const gaps = (first, last) => {
    let free = [[2, width - 2]];
    for (let r = first; r <= last; r += 1) {
      for (const id of rows[r]) {
        const [a, b] = [at[id].x - 4, at[id].x + BOX.width + 4];
        free = free.flatMap(([l, h]) => [[l, Math.min(h, a)], [Math.max(l, b), h]]).filter(([l, h]) => h - l > 6);
      }
    }
    return free;
  };
  const ops = [];
  const edges = [];
  for (const node of nodes) {
    if (!node.op) continue;
    const top = at[node.id].y;
    const w = opWidth(node.op);
    const op = {x: centre[node.id] - w / 2, y: top - 34, width: w, height: 26}; // 8 px above its box
    ops[node.id] = op;
    const [tx, ty] = [centre[node.id], op.y];
    for (const input of node.inputs) {
      const [fx, fy] = [centre[input], at[input].y + BOX.height];
      const [first, last] = [rowOf[input] + 1, rowOf[node.id] - 1]; // the rows in between
      // The lane nearest the straight way down; of two as near, the one nearer the outside.
      const straight = (fx + tx) / 2;
      const lanes = first > last ? [] : gaps(first, last).map(([l, h]) => Math.min(Math.max(straight, l + 3), h - 3));
      const cost = (lane) => Math.abs(lane - fx) + Math.abs(lane - tx) - Math.abs(lane - width / 2) / 100;
      const lane = lanes.sort((a, b) => cost(a) - cost(b))[0];
      if (lane === undefined) edges.push(`M${fx},${fy} ${bend(fx, fy, tx, ty)}`); // behind, if rows are full
      else {
        const [enter, leave] = [tops[first], tops[last] + BOX.height];
        edges.push(`M${fx},${fy} ${bend(fx, fy, lane, enter)} L${lane},${leave} ${bend(lane, leave, tx, ty)}`);
      }
    }
    edges.push(`M${centre[node.id]},${op.y + op.height} L${centre[node.id]},${top}`);
  }
  return {kind: "stacked", width, height: y + PAD, smallest: 1, at, ops, edges};
}

/** The wide layout if it fits `available` px at 3/4 size or more (or the width is not known),
 * otherwise the stacked one. */
function layout(nodes, available) {
  const wide = wideLayout(nodes);
  return !available || wide.width * SMALLEST <= available ? wide : stackedLayout(nodes, available);
}

function draw(container, nodes, title, plan) {
  const {width, height, at, ops, edges} = plan;
  const svg = element("svg", {
    class: "mg-pg-graph",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    style: `min-width: ${Math.ceil(width * plan.smallest)}px`,
    "data-layout": plan.kind,
  });
  svg.append(element("title", {}, title));
  const lines = element("g", {class: "mg-pg-edges"});
  lines.append(...edges.map((d) => element("path", {d})));
  const boxes = element("g");
  svg.append(lines, boxes);
  const parts = [];
  for (const node of nodes) {
    const {x, y} = at[node.id];
    const op = ops[node.id];
    if (op) {
      boxes.append(element("rect", {class: "mg-pg-op", ...op, rx: 13}));
      const text = {class: "mg-pg-op-text", x: op.x + op.width / 2, y: op.y + 18, "text-anchor": "middle"};
      boxes.append(element("text", text, node.op));
    }
    const group = element("g", {class: "mg-pg-node", "data-label": node.label});
    const box = element("rect", {x, y, width: BOX.width, height: BOX.height, rx: 6});
    const label = element("text", {class: "mg-pg-label", x: x + 8, y: y + 17}, node.label || `#${node.id}`);
    const data = element("text", {class: "mg-pg-data", x: x + 8, y: y + 34});
    const grad = element("text", {class: "mg-pg-grad", x: x + 8, y: y + 51});
    group.append(box, label, data, grad);
    boxes.append(group);
    parts.push({group, data, grad});
  }
  container.replaceChildren(svg);

  // When the graph scrolls inside its box: keep the value being stepped (its box and the
  // operation's pill before it) in view, or the reader steps through values unseen.
  function keepInView(id) {
    const scale = svg.getBoundingClientRect().width / width || 1; // shrunk to fit, or not
    const left = (Math.min(at[id].x, ops[id] ? ops[id].x : Infinity) - 5) * scale;
    const right = (at[id].x + BOX.width + 4) * scale;
    if (left < container.scrollLeft) container.scrollLeft = left;
    else if (right > container.scrollLeft + container.clientWidth) container.scrollLeft = right - container.clientWidth;
  }

  return {
    svg,
    /** Fill in the numbers: data[i], grads[i] (null: not known, drawn as "…"). */
    show({data, grads, showGrads = true, active = null, receiving = []}) {
      parts.forEach(({group, data: dataText, grad}, i) => {
        const d = data ? data[i] : null;
        const g = grads ? grads[i] : null;
        dataText.textContent = `data ${formatNumber(d)}`;
        grad.textContent = showGrads ? `grad ${formatNumber(g)}` : "";
        group.dataset.data = d === null || d === undefined ? "" : String(d);
        group.dataset.grad = g === null || g === undefined ? "" : String(g);
        group.classList.toggle("mg-pg-active", i === active);
        group.classList.toggle("mg-pg-receiving", receiving.includes(i));
      });
      if (active !== null && active !== undefined) keepInView(active);
    },
  };
}

const watching = new WeakMap(); // container -> the observer of its width, for the graph it shows

export function drawGraph(container, nodes, {title = "The computation graph"} = {}) {
  watching.get(container)?.disconnect(); // a graph drawn in its place stops following the width
  let plan = layout(nodes, container.clientWidth);
  let drawn = draw(container, nodes, title, plan);
  let shown = null; // the numbers last filled in, to fill in again after a new layout
  const observer = new ResizeObserver(() =>
    requestAnimationFrame(() => {
      if (!drawn.svg.isConnected) return observer.disconnect(); // the graph was taken away
      const next = layout(nodes, container.clientWidth);
      if (next.kind === plan.kind && next.width === plan.width) return;
      plan = next;
      drawn = draw(container, nodes, title, plan);
      if (shown) drawn.show(shown);
    }),
  );
  observer.observe(container);
  watching.set(container, observer);
  return {
    show(numbers) {
      shown = numbers;
      drawn.show(numbers);
    },
  };
}
