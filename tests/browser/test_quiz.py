"""The quizzes at the end of the tutorials, used the way a reader uses them.

The right answers come from the page sources (``:answer:`` in docs/tutorials/*.md), not from
the built HTML, so a quiz that marks the wrong choice right fails here. Each test opens its
pages in a fresh browser context: local storage (where the quiz keeps the reader's answers)
starts empty.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from dependencies import missing

from .sitelib import AXE, DOCS, Site

OpenPage = Callable[..., tuple[Any, Any]]
TUTORIALS = sorted((DOCS / "tutorials").glob("0*.md"))
PAGE = "tutorials/01-derivatives.html"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def answers_in_source(source: Path) -> list[int]:
    """The right choice of each question (from 0), as written in the page's MyST source."""
    return [int(n) - 1 for n in re.findall(r"^:answer: (\d+)$", source.read_text(encoding="utf-8"), re.M)]


@pytest.fixture
def context(browser_context_factory: Callable[..., Any]) -> Iterator[Any]:
    context = browser_context_factory("light")
    yield context
    context.close()


def quiz(page: Any) -> Any:
    return page.locator(".mg-quiz").first


def visible_card(page: Any) -> Any:
    return quiz(page).locator(".mg-quiz-card:visible")


def choose_and_check(page: Any, choice: int) -> None:
    card = visible_card(page)
    card.locator("input[type=radio]").nth(choice).check()
    card.get_by_role("button", name="Check answer").click()


def stored(page: Any) -> Any:
    return page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith('micrograd-quiz:'))"
        ".map((k) => [k, JSON.parse(localStorage.getItem(k))]))"
    )


@pytest.mark.parametrize("source", TUTORIALS, ids=lambda p: p.stem)
def test_every_tutorial_ends_with_a_quiz_of_three_to_five_questions(
    source: Path, open_page: OpenPage, context: Any
) -> None:
    answers = answers_in_source(source)
    assert 3 <= len(answers) <= 5, f"{source.name} has {len(answers)} quiz questions"
    page, log = open_page(f"tutorials/{source.stem}.html", context=context)
    assert not log.problems(), log.problems()
    assert page.locator(".mg-quiz").count() == 1
    headings = [h.strip("#¶ \n") for h in page.locator("article h2").all_inner_texts()]
    home = page.evaluate(
        "() => document.querySelector('.mg-quiz').closest('section').querySelector('h2').textContent"
    )
    assert headings[-1] == "Quiz" and home.strip("#¶ \n") == "Quiz", "the quiz is the page's last section"
    assert visible_card(page).locator(".mg-quiz-count").inner_text() == f"Question 1 of {len(answers)}"
    assert visible_card(page).count() == 1, "one question at a time"
    assert quiz(page).locator(".mg-quiz-score").inner_text() == f"Score: 0 of {len(answers)} (0 answered)"


def test_answers_get_feedback_explaining_the_right_answer_and_a_score(
    open_page: OpenPage, context: Any
) -> None:
    answers = answers_in_source(DOCS / "tutorials" / "01-derivatives.md")
    total = len(answers)
    page, log = open_page(PAGE, context=context)

    wrong = (answers[0] + 1) % 3
    choose_and_check(page, wrong)
    card = visible_card(page)
    verdict = card.locator(".mg-quiz-verdict").inner_text()
    assert verdict == (f"Not quite: you chose {LETTERS[wrong]}, the answer is {LETTERS[answers[0]]}.")
    assert "Rounding errors at this" in card.locator(".mg-quiz-why").inner_text(), "the explanation is shown"
    assert card.locator(".mg-quiz-choice.is-right").count() == 1
    assert card.locator(".mg-quiz-choice.is-wrong").count() == 1
    assert card.locator("input[type=radio]:disabled").count() == card.locator("input[type=radio]").count()
    assert card.get_by_role("button", name="Check answer").is_hidden()
    assert quiz(page).locator(".mg-quiz-score").inner_text() == f"Score: 0 of {total} (1 answered)"

    for k in range(1, total):
        card.get_by_role("button", name="Next question").click()
        card = visible_card(page)
        assert card.locator(".mg-quiz-count").inner_text() == f"Question {k + 1} of {total}"
        choose_and_check(page, answers[k])
        assert card.locator(".mg-quiz-verdict").inner_text() == f"Correct: {LETTERS[answers[k]]}."
        assert (
            quiz(page).locator(".mg-quiz-score").inner_text() == f"Score: {k} of {total} ({k + 1} answered)"
        )

    card.get_by_role("button", name="See your score").click()
    summary = visible_card(page)
    assert summary.locator(".mg-quiz-result").inner_text() == (
        f"You answered {total - 1} of {total} questions correctly."
    )
    assert not log.problems(), log.problems()


def test_answers_survive_a_reload_and_clear_removes_them(open_page: OpenPage, context: Any) -> None:
    answers = answers_in_source(DOCS / "tutorials" / "01-derivatives.md")
    total = len(answers)
    page, _ = open_page(PAGE, context=context)
    choose_and_check(page, answers[0])
    visible_card(page).get_by_role("button", name="Next question").click()
    choose_and_check(page, (answers[1] + 1) % 3)
    saved = stored(page)
    assert list(saved.values()) == [
        {"chosen": [answers[0], (answers[1] + 1) % 3] + [None] * (total - 2), "current": 1}
    ]

    page.reload(wait_until="networkidle")
    card = visible_card(page)
    assert card.locator(".mg-quiz-count").inner_text() == f"Question 2 of {total}", (
        "back where the reader was"
    )
    assert card.locator(".mg-quiz-verdict").inner_text().startswith("Not quite")
    assert card.locator("input[type=radio]:checked").get_attribute("value") == str((answers[1] + 1) % 3)
    assert quiz(page).locator(".mg-quiz-score").inner_text() == f"Score: 1 of {total} (2 answered)"

    for _ in range(1, total):
        visible_card(page).locator(".mg-quiz-next").click()
    visible_card(page).get_by_role("button", name="Clear my answers and start again").click()
    assert stored(page) == {}
    assert visible_card(page).locator(".mg-quiz-count").inner_text() == f"Question 1 of {total}"
    assert visible_card(page).locator(".mg-quiz-feedback").is_hidden()
    assert quiz(page).locator(".mg-quiz-score").inner_text() == f"Score: 0 of {total} (0 answered)"
    page.reload(wait_until="networkidle")
    assert quiz(page).locator(".mg-quiz-score").inner_text() == f"Score: 0 of {total} (0 answered)"


def test_quiz_works_with_the_keyboard_alone(open_page: OpenPage, context: Any) -> None:
    answers = answers_in_source(DOCS / "tutorials" / "01-derivatives.md")
    page, _ = open_page(PAGE, context=context)
    card = visible_card(page)
    card.locator(".mg-quiz-count").focus()
    tab_until(page, "() => document.activeElement.type === 'radio'")  # past any math in the prompt
    page.keyboard.press("Space")  # picks the first choice
    for _ in range(answers[0]):
        page.keyboard.press("ArrowDown")  # moves the pick down
    assert card.locator("input[type=radio]:checked").get_attribute("value") == str(answers[0])
    tab_until(page, "() => document.activeElement.tagName === 'BUTTON'")  # past any math in the choices
    assert page.evaluate("() => document.activeElement.textContent") == "Check answer"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.className").startswith("mg-quiz-feedback"), (
        "the feedback takes the focus, so a screen reader reads it"
    )
    assert card.locator(".mg-quiz-verdict").inner_text().startswith("Correct")
    # Check is gone and Previous is disabled on question 1: past the explanation, Next.
    tab_until(page, "() => document.activeElement.tagName === 'BUTTON'")
    assert page.evaluate("() => document.activeElement.textContent") == "Next question"
    page.keyboard.press("Space")
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == f"Question 2 of {len(answers)}", "the next question takes the focus"


def tab_until(page: Any, condition: str, most: int = 12) -> None:
    """Press Tab until ``condition`` (a JavaScript function) holds for the focused element."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(condition):
            return
    raise AssertionError(f"{most} presses of Tab did not reach {condition}")


@pytest.mark.parametrize(
    ("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 390), ("dark", 390)]
)
def test_quiz_is_accessible_and_fits_in_every_state(
    scheme: str, width: int, browser_context_factory: Callable[..., Any], open_page: OpenPage
) -> None:
    if not AXE.is_file():
        missing("axe-core (npm)", "bash docs/build.sh (its npm ci installs docs/node_modules)")
    answers = answers_in_source(DOCS / "tutorials" / "07-multiclass.md")
    context = browser_context_factory(scheme, viewport={"width": width, "height": 800})
    try:
        page, _ = open_page("tutorials/07-multiclass.html", context=context)
        page.add_script_tag(path=str(AXE))

        def check(state: str) -> None:
            result = page.evaluate(
                """async () => {
                  const r = await axe.run(document.querySelector(".mg-quiz"),
                                          {resultTypes: ["violations"]});
                  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`);
                }"""
            )
            assert result == [], f"axe, {state}: {result}"
            box = page.evaluate(
                """() => { const q = document.querySelector(".mg-quiz");
                           return [q.scrollWidth, q.clientWidth, q.getBoundingClientRect().right,
                                   document.documentElement.clientWidth]; }"""
            )
            assert box[0] <= box[1] and box[2] <= box[3], f"{state}: the quiz overflows its width: {box}"
            buttons = visible_card(page).locator("button:visible")
            for i in range(buttons.count()):
                size = buttons.nth(i).bounding_box()
                assert size is not None and size["height"] >= 24 and size["width"] >= 24

        quiz(page).scroll_into_view_if_needed()
        check("new")
        choose_and_check(page, (answers[0] + 1) % 3)
        check("answered wrong")
        visible_card(page).locator(".mg-quiz-next").click()
        choose_and_check(page, answers[1])
        check("answered right")
        for _ in range(1, len(answers)):
            visible_card(page).locator(".mg-quiz-next").click()
        check("summary")
    finally:
        context.close()


def test_without_javascript_the_quiz_reads_as_questions_with_folded_answers(
    browser_context_factory: Callable[..., Any], open_page: OpenPage
) -> None:
    answers = answers_in_source(DOCS / "tutorials" / "01-derivatives.md")
    context = browser_context_factory("light", java_script_enabled=False)
    try:
        page, _ = open_page(PAGE, context=context)
        questions = page.locator(".mg-quiz-question")
        assert questions.count() == len(answers)
        for k, answer in enumerate(answers):
            question = questions.nth(k)
            assert question.locator(".mg-quiz-count").inner_text() == f"Question {k + 1} of {len(answers)}"
            assert question.locator("ol.mg-quiz-choices > li").count() >= 2
            key = question.locator(".mg-quiz-key")
            assert key.is_hidden(), "the answer is folded until asked for"
            question.locator("summary").click()
            assert key.inner_text() == f"Answer: {LETTERS[answer]}."
            assert question.locator(".mg-quiz-explanation").is_visible()
    finally:
        context.close()


def test_page_text_never_becomes_markup(open_page: OpenPage, context: Any, site: Site) -> None:
    """A quiz whose id, prompt and choices hold markup as text shows that text, and runs nothing."""
    evil = '<img src=x onerror="window.__pwned = 1">'
    escaped = evil.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    body = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
      <link rel="stylesheet" href="_static/quiz/quiz.css"></head><body>
      <div class="mg-quiz" data-quiz-id="{escaped}">
        <div class="mg-quiz-question" data-answer="1">
          <p class="mg-quiz-count">Question 1 of 1</p>
          <div class="mg-quiz-prompt"><p>{escaped}</p></div>
          <ol class="mg-quiz-choices"><li><p>{escaped}</p></li><li><p>two</p></li></ol>
          <details class="mg-quiz-answer"><summary>Show the answer</summary>
            <p class="mg-quiz-key"><strong>Answer: A.</strong></p>
            <div class="mg-quiz-explanation"><p>{escaped}</p></div></details>
        </div>
      </div>
      <script type="module" src="_static/quiz/quiz.js"></script></body></html>"""
    page = context.new_page()
    try:
        url = f"{site.url}/__quiz.html"
        page.route(url, lambda route: route.fulfill(body=body, content_type="text/html"))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url, wait_until="networkidle")
        choose_and_check(page, 0)
        assert page.locator(".mg-quiz-ready").count() == 1
        assert page.locator("img").count() == 0
        assert page.evaluate("() => window.__pwned") is None
        assert visible_card(page).locator(".mg-quiz-prompt").inner_text() == evil
        assert visible_card(page).locator(".mg-quiz-why").inner_text() == evil
        assert list(stored(page)) == [f"micrograd-quiz:{evil}"]
        assert json.dumps(errors) == "[]"
    finally:
        page.close()
