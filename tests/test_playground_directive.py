"""The {playground} directive (docs/_ext/playground.py): what a page author writes, and their mistakes.

One small Sphinx project with MyST, the runner and the extension, built once for the module
(the runner builds micrograd's wheel and copies Pyodide, so a build takes several seconds):
a page with playgrounds, a page without, and a page with two mistakes.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dependencies import missing

DOCS = Path(__file__).resolve().parents[1] / "docs"
EXT = DOCS / "_ext"
HOSTILE_SETUP = 'dataset=xor&hidden=4"><script>window.__pwned = 1</script>'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    if not (DOCS / "node_modules" / "pyodide").is_dir():
        missing("pyodide (npm)", "bash docs/build.sh (its npm ci installs docs/node_modules)")
    root = tmp_path_factory.mktemp("playground-site")
    (root / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT)!r})\n"
        'extensions = ["myst_parser", "playground"]\n'
        'master_doc = "with"\n',
        encoding="utf-8",
    )
    (root / "with.md").write_text(
        "# Playgrounds\n\n```{playground} neuron\n```\n\n"
        f"```{{playground}} training\n:setup: {HOSTILE_SETUP}\n```\n\n{{doc}}`without` {{doc}}`mistakes`\n",
        encoding="utf-8",
    )
    (root / "without.md").write_text("# No playground\n\nText.\n", encoding="utf-8")
    (root / "mistakes.md").write_text(
        "# Mistakes\n\n```{playground} quiz\n```\n\n```{playground} neuron\n:setup: dataset=xor\n```\n",
        encoding="utf-8",
    )
    out = root / "html"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(root), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out, result.stderr


def test_a_playground_is_a_placeholder_and_only_the_loader_is_added_to_its_page(
    built: tuple[Path, str],
) -> None:
    out, _ = built
    page = (out / "with.html").read_text(encoding="utf-8")
    boxes = re.findall(r'<div [^>]*class="mg-playground"[^>]*>', page)
    assert (
        len(boxes) == 2
        and 'data-playground="neuron"' in boxes[0]
        and 'data-playground="training"' in boxes[1]
    )
    assert 'role="region"' in boxes[0] and 'aria-label="Neuron playground"' in boxes[0]
    # The :setup: option is an attribute value, escaped: it cannot close the tag or add a script.
    assert f'data-setup="{html.escape(HOSTILE_SETUP, quote=True)}"' in boxes[1]
    assert "<script>window.__pwned" not in page
    loader = re.search(r"<script [^>]*playgrounds/playground\.js[^>]*>", page)
    assert loader and 'data-pyodide="_static/vendor/pyodide-' in loader[0] and "data-wheel=" in loader[0]
    assert "playgrounds/playground.css" in page
    assert (out / "_static" / "playgrounds" / "neuron.mjs").is_file()
    other = (out / "without.html").read_text(encoding="utf-8")
    assert "playground.js" not in other and "playground.css" not in other


def test_an_unknown_playground_or_a_misplaced_setup_is_reported_with_its_name(
    built: tuple[Path, str],
) -> None:
    _, warnings = built
    assert (
        "mistakes.md:3" in warnings
        and "unknown playground 'quiz'; choose one of neuron, expression, training" in warnings
    )
    assert ":setup: is an option of the training playground only" in warnings
