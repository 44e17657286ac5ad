// A quiz written in the page (docs/_ext/quiz.py), one question at a time.
//
// The page's HTML holds every question with its choices and, folded in <details>, the
// answer and its explanation: that is the quiz without JavaScript. This module moves those
// same nodes into one card per question, with radio buttons, a Check button, feedback that
// explains the right answer, a score, and the reader's answers kept in localStorage under
// "micrograd-quiz:<quiz id>". Text always goes in with textContent; page nodes are moved
// or cloned, never re-parsed from strings.

const STORAGE_PREFIX = "micrograd-quiz:";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

let quizCount = 0;
for (const root of document.querySelectorAll(".mg-quiz[data-quiz-id]")) {
  setUp(root, `mg-quiz-${++quizCount}`);
}

/** Read the questions the page wrote, as {prompt, choices, answer, explanation}. */
function readQuestions(root) {
  return [...root.querySelectorAll(":scope > .mg-quiz-question")].map((q) => ({
    prompt: q.querySelector(":scope > .mg-quiz-prompt"),
    choices: [...q.querySelectorAll(":scope > ol.mg-quiz-choices > li")],
    answer: Number(q.dataset.answer) - 1, // counted from 1 in the page source
    explanation: q.querySelector(".mg-quiz-explanation"),
  }));
}

/** Create an element with a class and, optionally, its text (never parsed as HTML). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The reader's saved answers: one chosen index (or null) per question, and where they were. */
function load(key, questions) {
  const empty = { chosen: questions.map(() => null), current: 0 };
  let saved;
  try {
    saved = JSON.parse(localStorage.getItem(key) || "null");
  } catch {
    return empty; // no storage (private mode, blocked) or a damaged entry: start afresh
  }
  if (!saved || !Array.isArray(saved.chosen) || saved.chosen.length !== questions.length) return empty;
  const chosen = saved.chosen.map((c, i) =>
    Number.isInteger(c) && c >= 0 && c < questions[i].choices.length ? c : null,
  );
  const current = Number.isInteger(saved.current) ? Math.min(Math.max(saved.current, 0), questions.length) : 0;
  return { chosen, current };
}

function save(key, state) {
  try {
    localStorage.setItem(key, JSON.stringify(state));
  } catch {
    // Storage is unavailable: the quiz still works, it just forgets on reload.
  }
}

function setUp(root, uid) {
  const questions = readQuestions(root);
  if (questions.length === 0 || questions.some((q) => !q.prompt || q.choices.length < 2 || !q.explanation)) {
    return; // not a quiz this module understands: leave the readable static version
  }
  const key = STORAGE_PREFIX + root.dataset.quizId;
  const total = questions.length;
  let state = load(key, questions);

  const live = el("div", "mg-quiz-live");
  const score = el("p", "mg-quiz-score");
  const announcer = el("p", "mg-visually-hidden");
  announcer.setAttribute("aria-live", "polite");
  const cards = questions.map((q, i) => buildCard(q, i));
  const summary = buildSummary();
  live.append(score, ...cards.map((c) => c.card), summary.card, announcer);

  // The static version goes: its nodes now live in the cards.
  root.replaceChildren(live);
  root.classList.add("mg-quiz-ready");
  root.setAttribute("role", "region");

  questions.forEach((_, i) => showAnswered(i));
  show(state.current, false);

  function buildCard(q, i) {
    const card = el("section", "mg-quiz-card");
    const count = el("p", "mg-quiz-count", `Question ${i + 1} of ${total}`);
    count.tabIndex = -1;
    count.id = `${uid}-q${i + 1}`;
    q.prompt.id = `${uid}-q${i + 1}-prompt`;
    card.setAttribute("aria-labelledby", count.id);

    const group = el("div", "mg-quiz-choices");
    group.setAttribute("role", "radiogroup");
    group.setAttribute("aria-labelledby", `${count.id} ${q.prompt.id}`);
    const radios = q.choices.map((choice, c) => {
      const label = el("label", "mg-quiz-choice");
      const radio = el("input");
      radio.type = "radio";
      radio.name = `${uid}-q${i + 1}`;
      radio.value = String(c);
      const letter = el("span", "mg-quiz-letter", `${LETTERS[c]}.`);
      const text = el("span", "mg-quiz-choice-text");
      text.append(...choice.childNodes); // the page's own nodes: code, math, emphasis
      const mark = el("span", "mg-quiz-mark");
      label.append(radio, letter, text, mark);
      group.append(label);
      return { radio, label, mark, text };
    });

    const feedback = el("div", "mg-quiz-feedback");
    feedback.tabIndex = -1;
    feedback.hidden = true;
    const verdict = el("p", "mg-quiz-verdict");
    const why = el("div", "mg-quiz-why");
    why.append(...q.explanation.childNodes);
    feedback.append(verdict, why);

    const buttons = el("div", "mg-quiz-buttons");
    const check = el("button", "mg-button mg-quiz-check", "Check answer");
    check.type = "button";
    const previous = el("button", "mg-button mg-quiz-previous", "Previous");
    previous.type = "button";
    previous.disabled = i === 0;
    const next = el("button", "mg-button mg-quiz-next", i + 1 < total ? "Next question" : "See your score");
    next.type = "button";
    buttons.append(check, previous, next);

    check.addEventListener("click", () => {
      const picked = radios.findIndex((r) => r.radio.checked);
      if (picked < 0) {
        announce("Choose one of the answers first.");
        radios[0].radio.focus();
        return;
      }
      state.chosen[i] = picked;
      save(key, state);
      showAnswered(i);
      updateScore();
      announce(`${verdictText(i)} Score: ${correctCount()} of ${total}.`);
      feedback.focus();
    });
    previous.addEventListener("click", () => show(i - 1, true));
    next.addEventListener("click", () => show(i + 1, true));

    card.append(count, q.prompt, group, feedback, buttons);
    return { card, count, radios, feedback, verdict, check };
  }

  function buildSummary() {
    const card = el("section", "mg-quiz-card mg-quiz-summary");
    const heading = el("p", "mg-quiz-count", "Your score");
    heading.tabIndex = -1;
    heading.id = `${uid}-summary`;
    card.setAttribute("aria-labelledby", heading.id);
    const result = el("p", "mg-quiz-result");
    const buttons = el("div", "mg-quiz-buttons");
    const review = el("button", "mg-button mg-quiz-previous", "Review the questions");
    review.type = "button";
    review.addEventListener("click", () => show(0, true));
    const clear = el("button", "mg-button mg-quiz-clear", "Clear my answers and start again");
    clear.type = "button";
    clear.addEventListener("click", () => {
      state = { chosen: questions.map(() => null), current: 0 };
      questions.forEach((_, i) => showAnswered(i));
      show(0, true);
      try {
        localStorage.removeItem(key);
      } catch {
        // nothing stored, nothing to clear
      }
      announce("Your answers are cleared.");
    });
    buttons.append(review, clear);
    card.append(heading, result, buttons);
    return { card, heading, result };
  }

  function correctCount() {
    return state.chosen.filter((c, i) => c === questions[i].answer).length;
  }

  function verdictText(i) {
    const right = questions[i].answer;
    return state.chosen[i] === right
      ? `Correct: ${LETTERS[right]}.`
      : `Not quite: you chose ${LETTERS[state.chosen[i]]}, the answer is ${LETTERS[right]}.`;
  }

  function updateScore() {
    const answered = state.chosen.filter((c) => c !== null).length;
    score.textContent = `Score: ${correctCount()} of ${total} (${answered} answered)`;
    summary.result.textContent =
      answered === total
        ? `You answered ${correctCount()} of ${total} questions correctly.`
        : `You answered ${correctCount()} of ${total} questions correctly; ${total - answered} not answered yet.`;
  }

  /** Show question i as answered (radios locked, feedback shown) or as new. */
  function showAnswered(i) {
    const card = cards[i];
    const chosen = state.chosen[i];
    const right = questions[i].answer;
    card.radios.forEach((r, c) => {
      r.radio.checked = chosen === c;
      r.radio.disabled = chosen !== null;
      r.label.classList.toggle("is-right", chosen !== null && c === right);
      r.label.classList.toggle("is-wrong", chosen !== null && c === chosen && c !== right);
      r.mark.textContent = chosen === null ? "" : c === right ? "✓ right answer" : c === chosen ? "✗ your answer" : "";
    });
    card.feedback.hidden = chosen === null;
    card.feedback.classList.toggle("is-right", chosen === right);
    card.verdict.textContent = chosen === null ? "" : verdictText(i);
    card.check.hidden = chosen !== null;
    updateScore();
  }

  /** Show question k (or the summary after the last) and, if asked, move the focus to it. */
  function show(k, moveFocus) {
    state.current = k;
    save(key, state);
    cards.forEach((c, i) => {
      c.card.hidden = i !== k;
    });
    summary.card.hidden = k !== total;
    if (moveFocus) (k === total ? summary.heading : cards[k].count).focus();
  }

  function announce(text) {
    announcer.textContent = "";
    // A fresh text node after a tick, so the same message twice is announced twice.
    setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  }
}
