// Drawing a computation graph as SVG, from the node list Python returns
// (playgrounds.graph_steps.graph_frames): one box per value with its label, data and
// gradient, the name of the operation that made it in a rounded box before it, inputs on
// the left.
//
//     const graph = drawGraph(container, nodes);      // lays out and draws the boxes once
//     graph.show({data, grads, showGrads, active, receiving});  // fills in the numbers
//
// Every piece of text is set with textContent: labels come from the reader's expression or
// the URL and are never read as markup.

const SVG = "http://www.w3.org/2000/svg";
const BOX = {width: 120, height: 58}; // room for "grad -1.5000" and a 13-letter label
const GAP = 38; // between a box and the operation of the next column: room for the edges
// A graph wider than its box shrinks to fit, but not below this share of its size, at which
// its text is still 9.75 px (13 px at full size); a wider one scrolls sideways.
const SMALLEST = 0.75;
const ROW = 78;
const PAD = 12;

/** The width of an operation's box: a circle for "+", a wider pill for "sigmoid" or "**0.5".
 * Its text is 11 px monospace, 0.6 em a letter in the usual fonts, with room to spare. */
function opWidth(op) {
  return Math.max(26, Math.ceil(op.length * 6.8 + 10));
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

/** Columns: an operation one right of its deepest input; an input just left of its first user. */
function layout(nodes) {
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
  const columns = Math.max(...column) + 1;
  // Rows: from the output back, each column ordered by where its users sit.
  const row = new Array(nodes.length).fill(0);
  const byColumn = Array.from({length: columns}, () => []);
  nodes.forEach((node) => byColumn[column[node.id]].push(node.id));
  for (let c = columns - 1; c >= 0; c -= 1) {
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
  const room = new Array(columns).fill(opWidth(""));
  nodes.forEach((node) => {
    if (node.op) room[column[node.id]] = Math.max(room[column[node.id]], opWidth(node.op));
  });
  const left = [PAD + 44];
  for (let c = 1; c < columns; c += 1) left.push(left[c - 1] + BOX.width + GAP + room[c]);
  return {
    width: left[columns - 1] + BOX.width + PAD,
    height: PAD * 2 + (rows - 1) * ROW + BOX.height,
    at: nodes.map((node) => ({x: left[column[node.id]], y: y(node.id)})),
  };
}

export function drawGraph(container, nodes, {title = "The computation graph"} = {}) {
  const {width, height, at} = layout(nodes);
  const svg = element("svg", {
    class: "mg-pg-graph",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    style: `min-width: ${Math.ceil(width * SMALLEST)}px`,
  });
  svg.append(element("title", {}, title));
  const edges = element("g", {class: "mg-pg-edges"});
  const boxes = element("g");
  svg.append(edges, boxes);
  const parts = [];
  for (const node of nodes) {
    const {x, y} = at[node.id];
    const middle = y + BOX.height / 2;
    if (node.op) {
      const opRight = x - 13;
      const opLeft = opRight - opWidth(node.op);
      for (const input of node.inputs) {
        const from = at[input];
        const fy = from.y + BOX.height / 2;
        const fx = from.x + BOX.width;
        edges.append(element("path", {d: `M${fx},${fy} C${fx + 30},${fy} ${opLeft - 27},${middle} ${opLeft},${middle}`}));
      }
      edges.append(element("path", {d: `M${opRight},${middle} L${x},${middle}`}));
      const op = {class: "mg-pg-op", x: opLeft, y: middle - 13, width: opRight - opLeft, height: 26, rx: 13};
      boxes.append(element("rect", op));
      const text = {class: "mg-pg-op-text", x: (opLeft + opRight) / 2, y: middle + 4, "text-anchor": "middle"};
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

  // On a narrow screen the graph scrolls inside its box: keep the value being stepped (its box
  // and the operation's circle before it) in view, or the reader steps through values unseen.
  function keepInView({x}, op) {
    const scale = svg.getBoundingClientRect().width / width || 1; // shrunk to fit, or not
    const left = (x - 18 - opWidth(op)) * scale;
    const right = (x + BOX.width + 4) * scale;
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
      if (active !== null && active !== undefined) keepInView(at[active], nodes[active].op);
    },
  };
}
