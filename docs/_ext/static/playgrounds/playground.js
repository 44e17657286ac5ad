// The playgrounds' loader: the only playground file a page loads before the reader acts.
//
// docs/_ext/playground.py writes a placeholder, <div class="mg-playground"
// data-playground="neuron">, holding a sentence about the playground. This script adds a
// Start button to each; on Start it imports the playground's own module (neuron.mjs, ...),
// which draws the controls and loads Python. Nothing else is fetched before that click, and
// nothing from the URL is read or run before it either.

const me = document.querySelector('script[src*="playgrounds/playground.js"]');

for (const box of document.querySelectorAll(".mg-playground[data-playground]")) {
  const kind = box.dataset.playground;
  const start = document.createElement("button");
  start.type = "button";
  start.className = "mg-button mg-button-small mg-pg-start";
  start.textContent = "▶ Start the playground";
  const note = document.createElement("p");
  note.className = "mg-pg-note";
  note.textContent = "It runs micrograd in your browser; nothing is downloaded until you start it.";
  box.append(start, note);
  start.addEventListener("click", async () => {
    const focused = document.activeElement === start;
    start.disabled = true;
    start.textContent = "Starting…";
    try {
      const module = await import(`./${kind}.mjs`);
      start.remove();
      note.remove();
      if (focused) {
        // The keyboard's focus was on the button just removed: it goes to the playground, from
        // which Tab reaches its controls, rather than back to the start of the page.
        box.tabIndex = -1;
        box.focus();
      }
      await module.start(box, me);
    } catch (error) {
      if (!start.isConnected) box.append(start, note);
      start.disabled = false;
      start.textContent = "▶ Start the playground";
      note.textContent = `The playground could not start: ${error.message || error}`;
    }
  });
}
