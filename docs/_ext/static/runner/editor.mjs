// Editing a cell's code: a plain textarea in place of the highlighted code, or, for a folded
// exercise solution, an answer of the reader's own, written below the fold (which stays shut).
//
// Keyboard: Tab indents (the line, or every line selected) to the next multiple of four spaces
// and Shift+Tab takes four away, as Python's code is written; Escape, then Tab or Shift+Tab,
// moves the focus on, so the editor is no trap. Shift+Enter or Ctrl+Enter runs the cell.
// close() puts the page's own code back.

const INDENT = 4;
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

  /** Whether the code is the reader's own answer, written in place of a folded solution. */
  answering() {
    return this.area?.dataset.answer === "true";
  }

  /**
   * Open the editor on the page's code; or, given `answer` (the text it starts from), on an
   * answer of the reader's own, placed before the cell's buttons, the solution left folded.
   */
  open(runCell, answer = null) {
    if (this.area && this.answering() !== (answer !== null)) this.close();
    if (!this.area) {
      const number = [...document.querySelectorAll("div.cell")].indexOf(this.cell) + 1;
      const area = document.createElement("textarea");
      area.className = "mg-editor";
      area.value = answer ?? this.original;
      area.spellcheck = false;
      // As tall as the code, and taller as it grows (an answer starts with room to write), up
      // to 30 lines; then it scrolls.
      const fit = () => {
        area.rows = Math.min(30, Math.max(answer === null ? 0 : 8, area.value.split("\n").length + 1));
      };
      fit();
      area.addEventListener("input", fit);
      area.dataset.answer = String(answer !== null);
      const what = answer === null ? `Code of cell ${number}` : `Your answer, cell ${number}`;
      area.setAttribute("aria-label", `${what} (Shift+Enter runs it; Tab indents; Escape, then Tab, leaves)`);
      let escaped = false; // the key before was Escape: Tab moves the focus on
      area.addEventListener("keydown", (event) => {
        const afterEscape = escaped;
        escaped = event.key === "Escape";
        if (event.key === "Enter" && (event.shiftKey || event.ctrlKey)) {
          event.preventDefault();
          runCell();
        } else if (event.key === "Tab" && !afterEscape && !event.ctrlKey && !event.altKey && !event.metaKey) {
          event.preventDefault();
          indent(area, event.shiftKey);
        }
      });
      if (answer === null) {
        this.view.hidden = true;
        this.view.after(area);
      } else {
        this.cell.querySelector(":scope > .mg-run").before(area);
      }
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

// Tab and Shift+Tab: at the caret, Tab adds spaces up to the next multiple of INDENT; over a
// selection, or with Shift, the lines it touches move by INDENT.
function indent(area, outdent) {
  const {value, selectionStart: start, selectionEnd: end} = area;
  const first = value.lastIndexOf("\n", start - 1) + 1;
  if (!outdent && start === end) {
    replace(area, start, end, " ".repeat(INDENT - ((start - first) % INDENT)));
    return;
  }
  const last = end > start && value[end - 1] === "\n" ? end - 1 : end; // not the next line's
  const lineEnd = value.indexOf("\n", last) === -1 ? value.length : value.indexOf("\n", last);
  const lines = value.slice(first, lineEnd).split("\n");
  const shifted = lines.map((line) =>
    outdent ? line.slice(Math.min(INDENT, line.length - line.trimStart().length)) : " ".repeat(INDENT) + line,
  );
  const text = shifted.join("\n");
  replace(area, first, lineEnd, text);
  if (start === end) {
    // A caret stays by the same character, the line having moved under it.
    const moved = shifted[0].length - lines[0].length;
    area.setSelectionRange(Math.max(first, start + moved), Math.max(first, start + moved));
  } else {
    area.setSelectionRange(first, first + text.length); // the lines stay selected, to move again
  }
}

// Replace the text from `start` to `end`, on the browser's undo stack where it keeps one
// (execCommand), else directly.
function replace(area, start, end, text) {
  area.setSelectionRange(start, end);
  if (!document.execCommand("insertText", false, text)) area.setRangeText(text, start, end, "end");
}
