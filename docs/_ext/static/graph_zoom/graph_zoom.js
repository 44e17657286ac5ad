// Graphs full size: a tap or a click on a computation graph (or Enter on it, from the
// keyboard) opens it in a full-screen view, at its natural size, where it scrolls both ways
// and can be zoomed with two fingers or the Zoom buttons. Esc or the Close button closes the
// view and the focus goes back to the graph. The page's own copy of each graph stays as it
// was: readable on a phone, scrolling sideways when it is wide (docs/_ext/figure_alt_text.py).
// A sentence under the page's first graph says so. See docs/_ext/graph_zoom.py.

const graphs = [...document.querySelectorAll("article img.mg-graph")];
const STEP = 1.25; // each Zoom in or out changes the width by this factor

let view = null; // the <dialog>, made on the first open
let opener = null; // the button that opened it, which gets the focus back

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text) node.textContent = text;
  return node;
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

function open(graph, button) {
  view ??= makeView();
  opener = button;
  view.image.alt = graph.alt;
  view.image.style.width = "";
  view.image.src = graph.currentSrc || graph.src;
  view.dialog.showModal();
  view.area.scrollTo(0, 0);
  view.dialog.querySelector(".mg-zoom-close").focus();
}

graphs.forEach((graph, k) => {
  const button = element("button", "mg-zoom-open");
  button.type = "button";
  button.setAttribute("aria-haspopup", "dialog");
  // The button's name: what it does, then the graph's own text alternative.
  button.append(element("span", "mg-visually-hidden", "Open full size: "));
  graph.replaceWith(button);
  button.append(graph);
  button.addEventListener("click", () => open(graph, button));
  if (k === 0) {
    const hint = element(
      "p",
      "mg-zoom-hint",
      "Tap or click a graph to open it full size, to scroll and zoom; a wide graph also scrolls sideways here.",
    );
    button.parentElement.after(hint);
  }
});
