"""Quizzes written in a page's source, one question at a time in the browser.

A tutorial ends with a short quiz, written in MyST::

    ::::{quiz}
    :::{question}
    :answer: 2

    What does `o.backward()` fill in?

    - `o.data`
    - the `.grad` of every node that `o` depends on
    - nothing until `zero_grad()` is called

    Every node's `.grad` holds d o / d node once `backward()` has run. ...
    :::
    ::::

A question is its prompt (everything before its first bullet list), its choices (that
list; ``:answer:`` is the right one, counted from 1) and an explanation (everything after
the list), which the reader sees once they have answered. The page's HTML holds the whole
quiz, readable without JavaScript: each question with its lettered choices and the answer
with its explanation in a ``<details>`` block. ``static/quiz/quiz.js`` turns it into one
question at a time with immediate feedback and a score, and keeps the reader's answers in
the browser's local storage (no server); it moves the page's own nodes and never parses
text as markup. The script and its CSS are added only to pages that have a quiz.
"""

from __future__ import annotations

import string
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective, SphinxTranslator
from static_folders import serve


class quiz(nodes.General, nodes.Element):
    """A quiz: its children are ``quiz_question`` nodes."""


class quiz_question(nodes.General, nodes.Element):
    """One question: a count line, the prompt, the choices and a ``quiz_answer``."""


class quiz_answer(nodes.General, nodes.Element):
    """The right choice and the explanation, folded in a ``<details>`` block."""


class QuestionDirective(SphinxDirective):
    """``{question}``: a prompt, a bullet list of choices, then the explanation."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"answer": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        if "answer" not in self.options:
            raise self.error("a quiz question needs :answer: N, the number of its right choice (from 1)")
        body = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, body)
        children = list(body.children)
        lists = [i for i, child in enumerate(children) if isinstance(child, nodes.bullet_list)]
        if not lists:
            raise self.error("a quiz question needs its choices as a bullet list, after the prompt")
        at = lists[0]
        prompt, choices, explanation = children[:at], children[at], children[at + 1 :]
        count = len(choices.children)
        answer = self.options["answer"]
        if not prompt:
            raise self.error("a quiz question needs a prompt before its choices")
        if count < 2 or count > len(string.ascii_uppercase):
            raise self.error(f"a quiz question needs 2 to 26 choices, got {count}")
        if answer > count:
            raise self.error(f":answer: {answer} is not one of the {count} choices")
        if not explanation:
            raise self.error("a quiz question needs an explanation after its choices")

        question = quiz_question(answer=answer)
        self.set_source_info(question)
        question += nodes.paragraph("", "", classes=["mg-quiz-count"])  # filled in by the quiz
        question += nodes.container("", *prompt, classes=["mg-quiz-prompt"])
        lettered = nodes.enumerated_list("", *choices.children, enumtype="upperalpha", prefix="", suffix=".")
        lettered["classes"].append("mg-quiz-choices")
        question += lettered
        letter = string.ascii_uppercase[answer - 1]
        right = nodes.paragraph("", "", nodes.strong("", f"Answer: {letter}."), classes=["mg-quiz-key"])
        question += quiz_answer("", right, nodes.container("", *explanation, classes=["mg-quiz-explanation"]))
        return [question]


class QuizDirective(SphinxDirective):
    """``{quiz}``: holds ``{question}`` directives and numbers them "Question k of n"."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"id": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        # The key under which the reader's answers are stored: the page and the quiz's place
        # on it, unless the page names it.
        name = self.options.get("id") or f"{self.env.docname}#{self.env.new_serialno('quiz')}"
        node = quiz(quiz_id=name)
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        others = [child for child in node.children if not isinstance(child, quiz_question)]
        if others or not node.children:
            raise self.error("a quiz holds {question} directives and nothing else")
        total = len(node.children)
        for k, question in enumerate(node.children, start=1):
            question.children[0] += nodes.Text(f"Question {k} of {total}")
        return [node]


def _visit_quiz(self: SphinxTranslator, node: quiz) -> None:
    self.body.append(
        self.starttag(node, "div", CLASS="mg-quiz", **{"data-quiz-id": node["quiz_id"], "aria-label": "Quiz"})
    )


def _visit_question(self: SphinxTranslator, node: quiz_question) -> None:
    self.body.append(self.starttag(node, "div", CLASS="mg-quiz-question", **{"data-answer": node["answer"]}))


def _visit_answer(self: SphinxTranslator, node: quiz_answer) -> None:
    self.body.append(
        self.starttag(node, "details", CLASS="mg-quiz-answer") + "<summary>Show the answer</summary>"
    )


def _depart_div(self: SphinxTranslator, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def _depart_details(self: SphinxTranslator, node: nodes.Element) -> None:
    self.body.append("</details>\n")


def _add_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    if doctree is not None and any(True for _ in doctree.findall(quiz)):
        app.add_js_file("quiz/quiz.js", type="module")
        app.add_css_file("quiz/quiz.css")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(quiz, html=(_visit_quiz, _depart_div))
    app.add_node(quiz_question, html=(_visit_question, _depart_div))
    app.add_node(quiz_answer, html=(_visit_answer, _depart_details))
    app.add_directive("quiz", QuizDirective)
    app.add_directive("question", QuestionDirective)
    serve(app, "quiz")
    app.connect("html-page-context", _add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
