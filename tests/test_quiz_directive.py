"""The {quiz} directive (docs/_ext/quiz.py): what a page author writes, and their mistakes.

Each test builds a one-page Sphinx project with MyST and the extension, as the site does.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

EXT = Path(__file__).resolve().parents[1] / "docs" / "_ext"

QUESTION = """\
:::{{question}}
:answer: {answer}

What is `1 + 1`?

- 1
- 2
- 3

Adding one to one makes **two**.
:::
"""


def build(tmp_path: Path, body: str) -> tuple[int, str, str]:
    """Build a page holding ``body``; the return code, the warnings and the page's HTML."""
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT)!r})\n"
        'extensions = ["myst_parser", "quiz"]\nmyst_enable_extensions = ["colon_fence"]\n',
        encoding="utf-8",
    )
    (tmp_path / "index.md").write_text(f"# Page\n\n{body}", encoding="utf-8")
    out = tmp_path / "html"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(tmp_path), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    page = out / "index.html"
    return result.returncode, result.stderr, page.read_text(encoding="utf-8") if page.is_file() else ""


def test_a_quiz_renders_each_question_with_lettered_choices_and_a_folded_answer(tmp_path: Path) -> None:
    code, errors, html = build(tmp_path, "::::{quiz}\n" + QUESTION.format(answer=2) * 2 + "::::\n")
    assert code == 0, errors
    assert html.count('class="mg-quiz-question" data-answer="2"') == 2
    assert re.search(r'<div aria-label="Quiz" class="mg-quiz" data-quiz-id="index#0"', html)
    assert "Question 1 of 2" in html and "Question 2 of 2" in html
    assert html.count('<ol class="upperalpha simple mg-quiz-choices">') == 2
    assert html.count("<summary>Show the answer</summary>") == 2
    assert "<strong>Answer: B.</strong>" in html and "makes <strong>two</strong>" in html
    assert "quiz/quiz.js" in html and "quiz/quiz.css" in html
    assert (tmp_path / "html" / "_static" / "quiz" / "quiz.js").is_file()


def test_a_page_without_a_quiz_loads_no_quiz_script(tmp_path: Path) -> None:
    code, errors, html = build(tmp_path, "No quiz here.\n")
    assert code == 0, errors
    assert "quiz.js" not in html


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("::::{quiz}\n" + QUESTION.format(answer=4) + "::::\n", ":answer: 4 is not one of the 3 choices"),
        (
            "::::{quiz}\n" + QUESTION.format(answer=1).replace(":answer: 1\n", "") + "::::\n",
            "needs :answer: N",
        ),
        ("::::{quiz}\n:::{question}\n:answer: 1\n\nNo choices.\n:::\n::::\n", "choices as a bullet list"),
        ("::::{quiz}\n:::{question}\n:answer: 1\n\n- a\n- b\n\nWhy.\n:::\n::::\n", "needs a prompt"),
        ("::::{quiz}\n:::{question}\n:answer: 1\n\nQ?\n\n- a\n- b\n:::\n::::\n", "needs an explanation"),
        ("::::{quiz}\n:::{question}\n:answer: 1\n\nQ?\n\n- a\n\nWhy.\n:::\n::::\n", "2 to 26 choices, got 1"),
        ("::::{quiz}\nJust text.\n::::\n", "holds {question} directives and nothing else"),
    ],
)
def test_a_mistake_in_a_quiz_fails_the_build_with_a_message(tmp_path: Path, body: str, message: str) -> None:
    code, errors, _ = build(tmp_path, body)
    assert code != 0
    assert message in errors, errors
