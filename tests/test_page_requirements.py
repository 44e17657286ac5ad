"""The note that says what a page's code needs: the install commands, and the checks on the field.

``docs/_ext/page_requirements.py`` renders each notebook page's ``requires`` front-matter
field as a note under its title; the built site's notes are checked in
``tests/browser/test_page_requirements_note.py``. Here: the commands themselves, and that a
notebook page without the field, or with a malformed one, fails the build (``-W``).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from dependencies import require

REPO = Path(__file__).resolve().parents[1]


def _extension() -> Any:
    spec = importlib.util.spec_from_file_location(
        "page_requirements", REPO / "docs/_ext/page_requirements.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_install_commands_take_torch_from_its_cpu_index_and_the_rest_from_pypi() -> None:
    commands = _extension().install_commands
    assert commands([]) == []
    assert commands(["matplotlib", "numpy"]) == ["python -m pip install matplotlib numpy"]
    assert commands(["matplotlib", "torch"]) == [
        "python -m pip install matplotlib",
        "python -m pip install torch --index-url https://download.pytorch.org/whl/cpu",
    ]


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ("numpy", "a list"),
        ('["numpy", "matplotlib"]', "sorted"),
        (["numpy", "numpy"], "once"),
        ([""], "a list"),
    ],
)
def test_a_malformed_requires_field_is_an_error_that_says_what_is_wrong(field: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        _extension().parse_requires(field)


NOTEBOOK = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
{field}---

# A page

Some prose.

```{{code-cell}} ipython3
print(1 + 1)
```
"""


def _build(tmp_path: Path, field: str) -> tuple[str, str]:
    """Build a one-page site (cells not executed); return the page's HTML and the warnings."""
    require("myst_nb")
    source = tmp_path / "src"
    source.mkdir()
    (source / "installation.md").write_text("---\norphan: true\n---\n# Installation\n", encoding="utf-8")
    (source / "index.md").write_text(NOTEBOOK.format(field=field), encoding="utf-8")
    (source / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(REPO / 'docs' / '_ext')!r})\n"
        "extensions = ['myst_nb', 'page_requirements']\n"
        "nb_execution_mode = 'off'\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", str(source), str(tmp_path / "html")]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return (tmp_path / "html" / "index.html").read_text(encoding="utf-8"), result.stderr


def test_a_notebook_page_without_the_field_is_a_build_warning(tmp_path: Path) -> None:
    page, warnings = _build(tmp_path, "")
    assert "notebook page without a 'requires' field" in warnings
    assert "micrograd-requires" not in page


def test_the_field_becomes_a_note_right_under_the_title(tmp_path: Path) -> None:
    page, warnings = _build(tmp_path, "requires: [matplotlib, torch]\n")
    assert "WARNING" not in warnings, warnings
    title_end = page.index("</h1>")
    note = page.index("micrograd-requires")
    assert note > title_end and "<p>" not in page[title_end:note]
    assert page.index("Some prose.") > note
    text = re.sub(r"<[^>]+>", "", page)
    assert "python -m pip install matplotlib" in text
    assert "python -m pip install torch --index-url https://download.pytorch.org/whl/cpu" in text


def test_a_malformed_field_is_a_build_warning(tmp_path: Path) -> None:
    _, warnings = _build(tmp_path, "requires: [numpy, matplotlib]\n")
    assert "sorted" in warnings
