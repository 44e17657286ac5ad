// Running a page's cells: what happens when the reader clicks Run, Edit, Reset or Stop.
//
// A click on Run runs, first, every cell above that has not run to its end in this session, or
// whose code was edited since, so that the session matches the page as it reads; then the clicked
// cell. Cells above that cannot run here are skipped (and named if the clicked one raises); cells
// above that need the network run only when the clicked cell needs it too (a click on an offline
// cell never fetches anything from outside the site). A cell above that raises does not stop the
// clicked one: the reader's mistake in an exercise often makes a demonstration below it fail, and
// the checker further down is what says what the mistake is; but a check does not run when the
// answer it checks raised (it would check what an earlier run of the answer left). Outputs replace
// the page's built outputs in the cell; Reset brings back the page's code and outputs. A cell whose
// packages cannot be downloaded (the network is off) has not run at all: it keeps the page's
// outputs, and so does the clicked cell below it, as long as no code above it was edited (the
// page's outputs are then still what its code gives).
//
// A folded exercise solution has Write your answer instead of Edit: the reader writes their own
// code below the fold, which stays shut, and it runs in the solution's place, for the check
// below as for every other cell. A check that ran on the page's solution says so. Where the
// page's solution ran already in this session, what it defined (a method it attached to a
// class, say) would stand in for what the answer leaves out: the answer's run starts a new
// session. Code the reader wrote or edited runs whatever the page's code needed (it may need
// no package from the network), and if it cannot download a package, it is one more cell above
// that raised.

import {python} from "./session.mjs";
import {clearOutputs, showOutput} from "./outputs.mjs";
import {editor} from "./editor.mjs";

export function attach({script, cells, verdicts}) {
  const root = new URL("../../", script.src); // runner.js is at <root>/_static/runner/
  python.configure({
    root: root.href,
    pyodide: script.dataset.pyodide,
    viz: script.dataset.viz,
    wheel: script.dataset.wheel,
    packageIndex: script.dataset.packageIndex,
  });
  let ranIn = 0; // the session generation the cells in `ran` ran in
  const ran = new Map(); // cell -> the code it ran to its end, in this session
  const solutionsRan = new Set(); // folded solutions whose page code ran in this session
  const forget = () => {
    ran.clear();
    solutionsRan.clear();
  };
  const part = (i, action) => cells[i].querySelector(`.mg-run [data-action="${action}"]`);
  const status = (i, text) => {
    cells[i].querySelector(".mg-run .mg-status").textContent = text;
  };
  const code = (i) => editor(cells[i]).code();

  // The outputs the page was built with (a folded solution's are in its <details>).
  const builtOutputs = (i) =>
    cells[i].querySelectorAll(":scope > .cell_output:not(.mg-outputs), :scope details > .cell_output:not(.mg-outputs)");

  function outputArea(i) {
    const cell = cells[i];
    const built = [...builtOutputs(i)];
    let area = cell.querySelector(".mg-outputs");
    if (!area) {
      area = document.createElement("div");
      area.className = "mg-outputs cell_output";
      // A group, so that its name is allowed (a <div> without a role may not have one).
      area.setAttribute("role", "group");
      area.setAttribute("aria-live", "polite");
      area.setAttribute("aria-label", `Output of cell ${i + 1}, run in your browser`);
    }
    // Where the page has the cell's outputs: a folded solution's stay folded with it; the
    // reader's own answer's show under its buttons.
    if (editor(cell).answering()) cell.querySelector(":scope > .mg-run").after(area);
    else if (built.length) built[built.length - 1].after(area);
    else (cell.classList.contains("tag_hide-cell") ? cell.querySelector(":scope > details") : cell).append(area);
    built.forEach((o) => {
      o.hidden = true;
    });
    clearOutputs(area);
    area.hidden = false;
    part(i, "reset").hidden = false; // the page's outputs can come back
    return area;
  }

  // Whether the page's code, from the top down to cell i, is as the page has it.
  const asBuilt = (i) => cells.slice(0, i + 1).every((cell) => !editor(cell).edited());

  // Whether cell i needs the network as the page reads now: for its own imports, or for a name
  // it uses from a cell above that needs it (runner.py). The reader's own code may need none of
  // what the page's code there needed: only the names it still mentions count (and its own
  // imports, if any, are fetched when it runs).
  function needsNetwork(i) {
    const {run, own, via} = verdicts[i];
    if (run !== "network") return false;
    const mine = editor(cells[i]).edited();
    if (own && !mine) return true;
    const mentions = (name) => new RegExp(`(?<![\\w.])${name}(?!\\w)`, "u").test(code(i));
    return Object.entries(via).some(([name, k]) => (!mine || mentions(name)) && needsNetwork(k - 1));
  }

  // The page's own outputs again, in place of what a run showed (Reset, or a run that did not
  // happen). Reset stays for an edited cell: it also brings back the page's code.
  function showBuilt(i) {
    cells[i].querySelector(".mg-outputs")?.remove();
    builtOutputs(i).forEach((o) => {
      o.hidden = false;
    });
    part(i, "reset").hidden = !editor(cells[i]).edited();
  }

  // What a run that could not download its packages says (worker.mjs): "numpy could not be
  // downloaded ...", or null for any other run.
  const undownloaded = (result) =>
    result.outputs.find((o) => o.kind === "error" && o.ename === "DownloadError")?.evalue ?? null;

  // Run is disabled while the cell runs and Stop shows only then: the keyboard's focus moves
  // from the one to the other, rather than falling back to the page's start.
  function setRunning(i, running) {
    const [runButton, stopButton] = [part(i, "run"), part(i, "stop")];
    const focused = [runButton, stopButton].includes(document.activeElement);
    runButton.disabled = running;
    stopButton.hidden = !running;
    if (focused) (running ? stopButton : runButton).focus();
  }

  // data-mg-state on a cell: "running", then "ok", "error" or "stopped" (for styles and tests).
  async function runOne(i) {
    const area = outputArea(i);
    cells[i].dataset.mgState = "running";
    const source = code(i);
    const result = await python.run(source, {cell: i + 1, onOutput: (output) => showOutput(area, output, i + 1)});
    if (result.ok) ran.set(i, source); // one that raised (a download that failed, say) runs again
    if (verdicts[i].solution && !editor(cells[i]).edited()) solutionsRan.add(i);
    cells[i].dataset.mgState = result.stopped ? "stopped" : result.ok ? "ok" : "error";
    return result;
  }

  let busy = null; // the cell running, with the cells above it

  async function run(i) {
    if (busy !== null) {
      status(i, `Cell ${busy + 1} is running: wait for it, or stop it, then run this one.`);
      return;
    }
    busy = i;
    setRunning(i, true);
    outputArea(i); // the page's outputs make way at once: none may pass for this run's
    const unsubscribe = python.onProgress((message) => status(i, message));
    // Answers, down to this cell, written in place of a solution that ran in this session.
    const replaced = [...solutionsRan].filter((k) => k <= i && editor(cells[k]).edited()).map((k) => k + 1);
    const fresh = replaced.length
      ? ` A new Python session: the page's solution in ${cellsText(replaced)} had run, and what it made would have stood in for your answer.`
      : "";
    if (replaced.length) python.stop();
    try {
      if (ranIn !== python.generation || !python.worker) {
        status(i, "Loading Python in your browser (about 15 MB the first time)…");
        await python.start();
        forget();
        ranIn = python.generation;
      }
      const online = needsNetwork(i);
      const skipped = [];
      const raised = [];
      for (let k = 0; k < i; k++) {
        if (ran.get(k) === code(k)) continue; // ran, and not edited since
        const verdict = verdicts[k];
        const mine = editor(cells[k]).edited(); // the reader's code: what the page's needed may not apply
        if (verdict.run === "never" || (needsNetwork(k) && !online && !mine)) {
          skipped.push(k + 1);
          continue;
        }
        status(i, `Running cell ${k + 1} above first…`);
        const above = await runOne(k);
        if (above.stopped) return;
        if (above.restarted) {
          forget();
          status(i, `Python failed in cell ${k + 1} above and was restarted.`);
          return;
        }
        const missing = undownloaded(above);
        if (missing && mine) {
          status(k, `Not run: ${missing}.`);
          raised.push(k + 1);
          continue;
        }
        if (missing) {
          if (asBuilt(k)) showBuilt(k);
          status(k, `Not run: ${missing}.`);
          notRun(i, `cell ${k + 1} above needs the network: ${missing}.`);
          return;
        }
        if (!above.ok) raised.push(k + 1);
      }
      // A check whose answer (or solution) raised would read what an earlier run left instead.
      const answers = raised.filter((n) => verdicts[n - 1].solution?.checks.some((c) => c.cell === i + 1));
      if (answers.length) {
        const which = `${cellsText(answers)}, which this check reads, raised an error (see its output)`;
        notRun(i, `${which}: the check would read what an earlier run left. Fix it, then run this check again.`);
        return;
      }
      status(i, "Running…");
      const result = await runOne(i);
      if (result.stopped) return;
      if (result.restarted) {
        forget();
        status(i, "Python failed and was restarted: the next Run starts a new session.");
        return;
      }
      const missing = undownloaded(result);
      if (missing) {
        notRun(i, `${missing}.`);
        return;
      }
      const solutions = pageSolutionsChecked(i);
      const checked = solutions.length
        ? ` This check ran on the page's solution (${cellsText(solutions)}): Write your answer there to check yours.`
        : "";
      const failed = raised.length ? ` Cells above that raised an error: ${raised.join(", ")} (see their outputs).` : "";
      // The cells skipped above, where they may be why this one raised (a cell that ran well did
      // not need them: what it uses from them would have kept it from running here).
      const others =
        skipped.length && !result.ok ? ` Cells not run above: ${skipped.join(", ")} (see their notes).` : "";
      // A checker's report that found a mistake: the run went well, the answer did not.
      const mistaken = result.outputs.some((o) => o.passed === false);
      const done = mistaken ? "Ran in your browser: the check found a mistake (its report is below)." : "Ran in your browser.";
      status(i, (result.ok ? done : "Raised an error.") + fresh + checked + failed + others);
    } catch (error) {
      status(i, String(error.message || error));
      cells[i].dataset.mgState = "error";
    } finally {
      unsubscribe();
      setRunning(i, false);
      busy = null;
    }
  }

  // The clicked cell did not run: its page's outputs come back, unless code down to it was
  // edited (a checker's built "all checks passed" is the page's solution's, not the reader's);
  // the download's error, if it was this cell's, stays with the edited code.
  function notRun(i, why) {
    const shown = asBuilt(i);
    if (shown) showBuilt(i);
    cells[i].dataset.mgState = "error";
    status(i, `Not run: ${why}${shown ? " The page's output is shown." : ""}`);
  }

  function stop(i) {
    python.stop();
    cells.forEach((cell) => {
      if (cell.dataset.mgState === "running") cell.dataset.mgState = "stopped";
    });
    forget();
    status(i, "Stopped. Python was restarted: the next Run starts a new session and runs the cells above again.");
    setRunning(i, false);
    busy = null;
  }

  // The folded solutions of the exercise that cell i checks, if none has the reader's answer.
  function pageSolutionsChecked(i) {
    const mine = verdicts.flatMap((v, k) => (v.solution?.checks.some((c) => c.cell === i + 1) ? [k] : []));
    return mine.some((k) => editor(cells[k]).edited()) ? [] : mine.map((k) => k + 1);
  }

  function edit(i) {
    editor(cells[i]).open(() => run(i));
    part(i, "reset").hidden = false;
  }

  // An answer of the reader's own in place of a folded solution (the cell's note names its checks).
  function answer(i) {
    editor(cells[i]).open(() => run(i), "# Your answer (the solution above stays folded)\n\n");
    part(i, "reset").hidden = false;
  }

  function reset(i) {
    const answering = editor(cells[i]).answering();
    editor(cells[i]).close();
    showBuilt(i);
    status(i, answering ? "Your answer is gone: the page's solution is back." : "The page's code and outputs are back.");
    (part(i, "edit") || part(i, "answer")).focus();
  }

  return {run, stop, edit, answer, reset};
}

// "cell 3", "cells 3 and 5", "cells 3, 5 and 8".
function cellsText(numbers) {
  if (numbers.length === 1) return `cell ${numbers[0]}`;
  return `cells ${numbers.slice(0, -1).join(", ")} and ${numbers.at(-1)}`;
}
