// Run, Edit and Reset on every code cell of a notebook page (on a folded exercise solution,
// Write your answer instead of Edit): the only runner file a page loads before the reader
// clicks. It adds the buttons, and says before any click which cells cannot run here and why
// (docs/_ext/runner.py decided that when the site was built). Everything else (cells.mjs,
// Python itself) is fetched on the first click.

const me = document.querySelector('script[src*="runner/runner.js"]');
const island = document.getElementById("mg-runner-cells");
const cells = [...document.querySelectorAll("div.cell")];

function button(label, action, hidden = false) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "mg-button mg-button-small";
  b.textContent = label;
  b.dataset.action = action;
  b.hidden = hidden;
  return b;
}

function note(text, command) {
  const p = document.createElement("p");
  p.className = "mg-note";
  p.textContent = text;
  if (command) {
    const code = document.createElement("code");
    code.textContent = command;
    p.append(" On your computer: ", code);
  }
  return p;
}

// Under a folded solution: the cells that will check the reader's answer, and what they call.
function checkedBy(checks) {
  const p = note("Checked below by ");
  checks.forEach(({cell, call}, k) => {
    const code = document.createElement("code");
    code.textContent = call;
    p.append(k ? " and " : "", code, ` (cell ${cell})`);
  });
  p.append(".");
  return p;
}

// Above a check's report as built: it checked the page's solution, not the reader's answer
// (hidden while a run's outputs stand in its place: runner.css).
function builtReport(solutions) {
  const p = note(`The report below checks the page's solution (cell${solutions[1] ? "s" : ""} ${solutions.join(" and ")}). Write your answer there, then run this cell to check yours.`);
  p.classList.add("mg-built-note");
  return p;
}

if (me && island && cells.length) {
  const verdicts = JSON.parse(island.textContent);
  cells.forEach((cell, i) => {
    const verdict = verdicts[i] || {run: "never", reason: "The runner does not know this cell."};
    const bar = document.createElement("div");
    bar.className = "mg-run";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", `Cell ${i + 1}`);
    // The number that the runner's messages and tracebacks name the cell by ("<cell 3>").
    const number = document.createElement("span");
    number.className = "mg-cell-number";
    number.setAttribute("aria-hidden", "true"); // the group's name says it
    number.textContent = `cell ${i + 1}`;
    bar.append(number);
    if (verdict.run === "never") {
      bar.append(note(`Runs only on your computer. ${verdict.reason}`));
    } else {
      // A folded solution: the reader may write an answer of their own instead (cells.mjs).
      const change = verdict.solution ? button("Write your answer", "answer") : button("Edit", "edit");
      bar.append(button("▶ Run", "run"), change, button("Reset", "reset", true), button("■ Stop", "stop", true));
      const status = document.createElement("span");
      status.className = "mg-status";
      status.setAttribute("role", "status");
      bar.append(status);
      if (verdict.solution?.checks.length) bar.append(checkedBy(verdict.solution.checks));
      if (verdict.checks && cell.querySelector(":scope > .cell_output")) bar.append(builtReport(verdict.checks));
      if (verdict.run === "network") {
        const packages = verdict.packages;
        const named = packages.length > 1 ? `${packages.slice(0, -1).join(", ")} and ${packages.at(-1)}` : packages[0];
        const verb = packages.length > 1 ? "come" : "comes";
        bar.append(note(`Needs the network: ${named} ${verb} from Pyodide's package server on the first run.`, verdict.local));
      }
    }
    // A folded solution's buttons are outside its fold, so that writing an answer needs no look
    // at the solution, and so is the note of a folded cell that cannot run here, which other
    // cells' messages point to; any other cell's are under its code.
    const fold = (verdict.solution || verdict.run === "never") && cell.querySelector(":scope > details");
    (fold || cell.querySelector(".cell_input") || cell.firstElementChild).after(bar);
  });
  let cellsModule = null;
  document.addEventListener("click", async (event) => {
    const b = event.target.closest(".mg-run button[data-action]");
    if (!b) return;
    const cell = b.closest("div.cell");
    cellsModule ??= import("./cells.mjs").then((m) => m.attach({script: me, cells, verdicts}));
    (await cellsModule)[b.dataset.action](cells.indexOf(cell));
  });
}
