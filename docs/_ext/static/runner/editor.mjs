// Editing a cell's code: a plain textarea in place of the highlighted code.
//
// Keyboard: Tab and Shift+Tab move focus as everywhere else (no focus trap); Shift+Enter or
// Ctrl+Enter runs the cell. close() puts the page's own code back.

const editors = new WeakMap();

export function editor(cell) {
  if (!editors.has(cell)) editors.set(cell, new Editor(cell));
  return editors.get(cell);
}

class Editor {
  constructor(cell) {
    this.cell = cell;
    this.view = cell.querySelector(".cell_input div.highlight") || cell.querySelector(".cell_input pre");
    this.original = (cell.querySelector(".cell_input pre")?.textContent || "").replace(/\n$/, "");
    this.area = null;
  }

  /** The code to run: the edited text if the reader edited it, else the page's. */
  code() {
    return this.area ? this.area.value : this.original;
  }

  /** Whether the code to run differs from the page's. */
  edited() {
    return this.area !== null && this.area.value !== this.original;
  }

  open(runCell) {
    if (!this.area) {
      const number = [...document.querySelectorAll("div.cell")].indexOf(this.cell) + 1;
      const area = document.createElement("textarea");
      area.className = "mg-editor";
      area.value = this.original;
      area.spellcheck = false;
      area.rows = Math.min(30, this.original.split("\n").length + 1);
      area.setAttribute("aria-label", `Code of cell ${number} (Shift+Enter runs it)`);
      area.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.shiftKey || event.ctrlKey)) {
          event.preventDefault();
          runCell();
        }
      });
      this.view.hidden = true;
      this.view.after(area);
      this.area = area;
    }
    this.area.focus();
  }

  close() {
    this.area?.remove();
    this.area = null;
    this.view.hidden = false;
  }
}
