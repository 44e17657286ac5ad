// The full-size view of a computation graph, for every graph of a page: those the build drew
// (graph_zoom.js) and those the in-browser runner draws after a Run (runner/outputs.mjs).
//
// zoomable(img) makes a graph's image a button; a tap or a click on it (or Enter on it, from
// the keyboard) opens the graph in a full-screen view, at its natural size, where it scrolls
// both ways and can be zoomed with two fingers or the Zoom buttons. Esc or the Close button
// closes the view and the focus goes back to the graph. openFullSize(picture, opener) opens
// the view for a picture shown elsewhere (a drawing inside a sandboxed frame of the runner).
//
// The view shows a picture only as an <img>: an SVG shown that way runs no script and loads
// nothing, whatever its text says. There is one view per page: the build's graphs and the
// runner's share it, since both import this module from the same address.

const STEP = 1.25; // each Zoom in or out changes the width by this factor

let view = null; // the <dialog>, made on the first open
let opener = null; // what opened it, which gets the focus back

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text) node.textContent = text;
  return node;
}

// The pages that show a graph from the build load this stylesheet with the page; a page
// whose only graphs are drawn by the runner gets it here, when its first graph is drawn.
function ensureStylesheet() {
  if (document.querySelector('link[href*="graph_zoom/graph_zoom.css"]')) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("graph_zoom.css", import.meta.url).href;
  document.head.append(link);
}

function makeView() {
  const dialog = element("dialog", "mg-zoom");
  dialog.setAttribute("aria-labelledby", "mg-zoom-title");
  const bar = element("div", "mg-zoom-bar");
  const title = element("h2", "mg-zoom-title", "Full size");
  title.id = "mg-zoom-title";
  const smaller = element("button", "mg-button mg-zoom-out", "Zoom out");
  const larger = element("button", "mg-button mg-zoom-in", "Zoom in");
  const close = element("button", "mg-button mg-zoom-close", "Close");
  for (const b of [smaller, larger, close]) b.type = "button";
  bar.append(title, smaller, larger, close);
  // The graph scrolls both ways in here; the region takes the focus so the arrow keys scroll it.
  const area = element("div", "mg-zoom-area");
  area.tabIndex = 0;
  area.setAttribute("role", "region");
  area.setAttribute("aria-label", "The graph (scrolls both ways)");
  const image = element("img", "mg-zoom-image");
  area.append(image);
  dialog.append(bar, area);
  document.body.append(dialog);

  const resize = (factor) => {
    const fit = area.clientWidth - 16;
    const width = Math.min(Math.max(image.offsetWidth * factor, Math.min(fit, image.naturalWidth)), image.naturalWidth * 4);
    image.style.width = `${Math.round(width)}px`;
  };
  smaller.addEventListener("click", () => resize(1 / STEP));
  larger.addEventListener("click", () => resize(STEP));
  close.addEventListener("click", () => dialog.close());
  // A click on the backdrop (the dialog itself, outside its bar and area) closes it too.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  // Esc closes a modal <dialog> by itself; whichever way it closes, the focus goes back.
  dialog.addEventListener("close", () => {
    image.removeAttribute("src");
    if (opener) opener.focus();
    opener = null;
  });
  return {dialog, image, area};
}

/** Open the view on the picture at `src` (described by `alt`); `from` (an element, or anything
 * with a focus() method) gets the focus back when the view closes. */
export function openFullSize({src, alt}, from) {
  ensureStylesheet();
  view ??= makeView();
  opener = from;
  view.image.alt = alt;
  view.image.style.width = "";
  view.image.src = src;
  view.dialog.showModal();
  view.area.scrollTo(0, 0);
  view.dialog.querySelector(".mg-zoom-close").focus();
}

/** Make a graph's <img> a button that opens it full size. Under the first such graph that
 * the reader can see (the runner hides a cell's built outputs when it shows its own), one
 * sentence says what the graphs do. */
export function zoomable(graph) {
  if (graph.parentElement.classList.contains("mg-zoom-open")) return;
  ensureStylesheet();
  const button = element("button", "mg-zoom-open");
  button.type = "button";
  button.setAttribute("aria-haspopup", "dialog");
  // The button's name: what it does, then the graph's own text alternative.
  button.append(element("span", "mg-visually-hidden", "Open full size: "));
  graph.replaceWith(button);
  button.append(graph);
  button.addEventListener("click", () => openFullSize({src: graph.currentSrc || graph.src, alt: graph.alt}, button));
  const shown = [...document.querySelectorAll(".mg-zoom-hint")].some((hint) => !hint.closest("[hidden]"));
  if (!shown) {
    const hint = element(
      "p",
      "mg-zoom-hint",
      "Tap or click a graph to open it full size, to scroll and zoom; a wide graph also scrolls sideways here.",
    );
    button.parentElement.after(hint);
  }
}
