// Showing one output of a cell run in the browser, as the built page shows it.
//
// Text (printed lines, reprs, tracebacks) is always inserted as text, never as markup. SVG
// (draw_dot's graphs) is shown as an image, which cannot run scripts. HTML (the backward
// stepper, an exercise checker's report, or any object with _repr_html_) runs its own script,
// so it is shown in a sandboxed iframe: scripts run, but in an opaque origin, with no access to
// this page, its storage or its cookies. The frame tells the page only its height, and which
// of its blame drawings the reader asked to see full size, by number; the page tells the frame
// only which drawing to give the focus back to, and the page's colours when its theme changes.
//
// Graphs open full size as the build's do (graph_zoom/full_size.mjs): an image's own button,
// or, for a blame drawing inside a report's frame, a button in the frame that asks the page.
// The page then shows its own copy of that drawing, parsed from the HTML it gave the frame,
// as an image: nothing the frame says is shown or run.

import {openFullSize, zoomable} from "../graph_zoom/full_size.mjs";
import {onThemeChange} from "./theme_changes.mjs";

const frames = new Map(); // iframe window -> {frame, html}, for the frames' messages

// An HTML output reads as part of the page: its frame takes the page's text colour, background
// and font (furo's variables), in either theme, and again when the reader switches theme.
function pageColors() {
  const style = getComputedStyle(document.body);
  const get = (name, otherwise) => style.getPropertyValue(name).trim().replace(/[;<>"]/g, "") || otherwise;
  return {
    color: get("--color-foreground-primary", "#000"),
    background: get("--color-background-primary", "#fff"),
    fontFamily: get("--font-stack", "system-ui, sans-serif").replace(/'/g, ""),
  };
}

onThemeChange(() => {
  const colors = pageColors();
  for (const window_ of frames.keys()) window_?.postMessage({mgRunnerColors: colors}, "*");
});

addEventListener("message", (event) => {
  const shown = frames.get(event.source);
  if (!shown || typeof event.data !== "object" || event.data === null) return;
  const {mgRunnerHeight: height, mgRunnerZoom: k} = event.data;
  if (Number.isFinite(height)) shown.frame.style.height = `${Math.ceil(Math.min(height, 5000))}px`;
  if (Number.isInteger(k)) {
    const drawing = blameDrawing(shown.html, k);
    // The open view makes the page behind it inert, the frame too, which loses its focus:
    // on closing, the frame is asked to focus the drawing's button again.
    const back = {focus: () => {
      shown.frame.focus();
      shown.frame.contentWindow.postMessage({mgRunnerFocus: k}, "*");
    }};
    if (drawing) openFullSize(drawing, back);
  }
});

// A checker's report (micrograd.exercises.Report) holds its blame drawing as inline SVG in a
// <div class="micrograd-blame">. The frame's script makes each a button that posts its number;
// the page finds the same drawing here, in the HTML it gave the frame.
const BLAME = ".micrograd-blame > svg";

function blameDrawing(html, k) {
  const svg = new DOMParser().parseFromString(html, "text/html").querySelectorAll(BLAME)[k];
  if (!svg) return null;
  const text = new XMLSerializer().serializeToString(svg);
  return {src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`, alt: svgTitle(text) || "The blame drawing"};
}

// What the page's script adds to the frame's HTML: it reports the height, and makes each blame
// drawing a button, named as the page's graphs are, that asks the page to open it full size
// (and takes the focus back when the page's view closes).
// Its height is sent at once too: Chromium does not render a frame out of view, whose
// ResizeObserver would wait until the reader scrolls to it, and show the report cut short.
const FRAME_SCRIPT = `
const sendHeight = () => parent.postMessage({mgRunnerHeight: Math.ceil(document.body.getBoundingClientRect().height)}, "*");
new ResizeObserver(sendHeight).observe(document.body);
const opens = [];
document.querySelectorAll(${JSON.stringify(BLAME)}).forEach((svg, k) => {
  const title = svg.querySelector("g.graph > title");
  const open = document.createElement("button");
  open.type = "button";
  open.className = "mg-zoom-open";
  open.setAttribute("aria-haspopup", "dialog");
  open.setAttribute("aria-label", "Open full size: " + (title ? title.textContent.trim() : "the blame drawing"));
  svg.replaceWith(open);
  open.append(svg);
  opens.push(open);
  open.addEventListener("click", () => parent.postMessage({mgRunnerZoom: k}, "*"));
  // Wider than the frame, it scrolls sideways (a scroll bar that may not show): say so.
  const box = open.closest(".micrograd-blame");
  const wide = document.createElement("p");
  wide.className = "mg-wide";
  wide.hidden = true;
  wide.textContent = "The drawing is wider than this column: scroll it sideways, or open it full size (click it, or Enter).";
  box.after(wide);
  new ResizeObserver(() => { wide.hidden = box.scrollWidth <= box.clientWidth + 1; }).observe(box);
});
addEventListener("message", (event) => {
  const data = event.source === parent && event.data ? event.data : {};
  if (Number.isInteger(data.mgRunnerFocus)) opens[data.mgRunnerFocus]?.focus();
  if (data.mgRunnerColors) Object.assign(document.body.style, data.mgRunnerColors);
});
sendHeight();`;
const FRAME_STYLE =
  "body{margin:0;display:flow-root}" + // its height is its content's, margins included
  // A blame drawing wider than the frame scrolls sideways, on a white card in either theme,
  // as the site's graphs are (micrograd.css): Graphviz draws in dark ink.
  ".micrograd-blame{overflow-x:auto}" +
  ".micrograd-blame svg{background:#fff;border-radius:.5rem;padding:.35rem}" +
  ".mg-zoom-open{display:inline-block;padding:0;border:0;background:none;color:inherit;font:inherit;cursor:zoom-in}" +
  ".mg-zoom-open:focus-visible{outline:2px solid #0a4bff;outline-offset:2px}" +
  ".mg-wide{margin:.25rem 0 0;font-size:.9em}";

function textBlock(area, text, kind) {
  const pre = document.createElement("pre");
  pre.className = `mg-${kind}`;
  pre.textContent = text;
  area.append(pre);
  return pre;
}

// A traceback wraps like prose (runner.css), so that its message, the line that matters, shows
// whole on a phone; but a line of code in it, and the ^ and ~ under it that point at a column,
// must not wrap, or the marks no longer sit under what they point at. Python indents those
// lines by four spaces: each run of them goes in a block of its own that keeps its columns and
// scrolls sideways when it is wider than the screen, while the message stays in view.
function traceback(area, text) {
  const pre = textBlock(area, "", "error");
  let code = null; // the block of the run of code lines being read, if any
  for (const line of text.split(/(?<=\n)/)) {
    if (!line.startsWith("    ")) {
      pre.append(line);
      code = null;
    } else if (code) code.textContent += line;
    else {
      code = document.createElement("span");
      code.className = "mg-traceback-code";
      code.textContent = line;
      pre.append(code);
    }
  }
  pre.querySelectorAll(".mg-traceback-code").forEach(scrollToMarks);
}

// A block of code whose first mark (^ or ~) is past its right edge opens scrolled to it, with a
// third of its width of code before the mark: on a phone, where it failed tells more than how
// the line starts.
function scrollToMarks(block) {
  const text = block.firstChild;
  const marks = /^ *[~^][ ~^]*$/m.exec(text.data);
  if (!marks) return;
  const at = marks.index + marks[0].search(/[~^]/);
  const range = document.createRange();
  range.setStart(text, at);
  range.setEnd(text, at + 1);
  const mark = range.getBoundingClientRect();
  const box = block.getBoundingClientRect();
  if (mark.right > box.left + block.clientWidth) block.scrollLeft = mark.left - box.left - block.clientWidth / 3;
}

// Graphviz writes a graph's name as the <title> of its drawing; micrograd's drawings name
// themselves with a sentence saying what they show, which becomes the image's text alternative.
// DOMParser only parses (an SVG document made this way runs no script), and only text is read.
const UNNAMED = new Set(["", "%3", "G", "micrograd", "blame"]);

function svgTitle(svg) {
  const title = new DOMParser().parseFromString(svg, "image/svg+xml").querySelector("g.graph > title");
  const text = title ? title.textContent.trim() : "";
  return UNNAMED.has(text) ? "" : text;
}

// The width in CSS px at which a drawing's smallest text is READABLE_PX, or its natural width
// if that is narrower, or null: a graph never shrinks below it but scrolls sideways, as the
// build's graphs do (readable_width in docs/_ext/figure_alt_text.py computes it for them).
const READABLE_PX = 9.5;

function readableWidth(svg) {
  const root = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
  const width = /^([\d.]+)pt$/.exec(root.getAttribute("width") || "");
  const viewBox = (root.getAttribute("viewBox") || "").trim().split(/\s+/).map(Number);
  const sizes = [...root.querySelectorAll("[font-size]")].map((node) => Number(node.getAttribute("font-size")));
  if (!width || viewBox.length !== 4 || !sizes.length) return null;
  return Math.min((Number(width[1]) * 4) / 3, (READABLE_PX * viewBox[2]) / Math.min(...sizes));
}

function image(area, kind, alt, src) {
  const img = document.createElement("img");
  img.className = kind;
  img.alt = alt;
  img.src = src;
  area.append(img);
  return img;
}

// A graph as the build shows one (micrograd.css, class mg-graph): no narrower than its text
// allows, in a block of its own that scrolls sideways when the graph is wider; and it opens
// full size.
function graph(area, svg, cell) {
  const block = document.createElement("div");
  block.className = "mg-graph-block";
  area.append(block);
  const alt = svgTitle(svg) || `Drawing output by cell ${cell}`;
  const img = image(block, "mg-svg mg-graph", alt, URL.createObjectURL(new Blob([svg], {type: "image/svg+xml"})));
  const readable = readableWidth(svg);
  if (readable !== null) img.style.setProperty("--mg-readable-width", `${Math.round(readable)}px`);
  zoomable(img);
}

// Empties an output area before its cell runs again. A graph's image holds its SVG as a blob
// URL, and an HTML frame has an entry in `frames`: both are let go here, or they would last as
// long as the page.
export function clearOutputs(area) {
  area.querySelectorAll("img.mg-graph").forEach((img) => URL.revokeObjectURL(img.src));
  area.querySelectorAll("iframe.mg-html").forEach((frame) => frames.delete(frame.contentWindow));
  area.replaceChildren();
}

export function showOutput(area, output, cell) {
  switch (output.kind) {
    case "stream": {
      // Consecutive chunks of one stream form one block, as on the built page.
      const last = area.lastElementChild;
      if (last && last.classList.contains(`mg-${output.name}`)) last.textContent += output.text;
      else textBlock(area, output.text, output.name);
      break;
    }
    case "text":
      textBlock(area, output.text, "text");
      break;
    case "error":
      traceback(area, `${output.traceback}`.trimEnd() || `${output.ename}: ${output.evalue}`);
      break;
    case "svg":
      graph(area, output.svg, cell);
      break;
    case "png":
      image(area, "mg-png", `Figure output by cell ${cell}`, `data:image/png;base64,${output.data}`);
      break;
    case "html": {
      const frame = document.createElement("iframe");
      frame.className = "mg-html";
      frame.title = `HTML output of cell ${cell}`;
      frame.setAttribute("sandbox", "allow-scripts");
      const {color, background, fontFamily} = pageColors();
      const body = `<body style="color:${color};background:${background};font-family:${fontFamily}">`;
      frame.srcdoc = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>${FRAME_STYLE}</style></head>${body}${output.html}<script>${FRAME_SCRIPT}</` + "script></body></html>";
      area.append(frame);
      frames.set(frame.contentWindow, {frame, html: output.html});
      break;
    }
    default:
      textBlock(area, JSON.stringify(output), "text");
  }
}
