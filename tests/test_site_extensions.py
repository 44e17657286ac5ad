"""The site's small Sphinx extensions, each on a one-page site built here: what they serve
(docs/_ext/static_folders.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXT = REPO / "docs" / "_ext"


def _site(tmp_path: Path, extensions: list[str], settings: str = "") -> Path:
    source = tmp_path / "src"
    source.mkdir()
    (source / "index.md").write_text("# A page\n\nSome prose.\n", encoding="utf-8")
    (source / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT)!r})\nextensions = {extensions!r}\n{settings}",
        encoding="utf-8",
    )
    return source


def _build(source: Path, out: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "sphinx", "-b", "html", str(source), str(out)]
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}  # each line as it is logged
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment
    )


def test_each_extension_serves_its_own_folder_under_static_and_nothing_else(tmp_path: Path) -> None:
    pytest.importorskip("myst_parser")
    source = _site(tmp_path, ["myst_parser", "quiz", "animations", "accessible_markup"])
    out = tmp_path / "html"
    build = _build(source, out)
    log = build.communicate(timeout=120)[0]
    assert build.returncode == 0, log
    static = out / "_static"
    for job, name in [
        ("quiz", "quiz.js"),
        ("animations", "animations.css"),
        ("accessible_markup", "scroll_regions.js"),
    ]:
        assert (static / job / name).read_bytes() == (EXT / "static" / job / name).read_bytes()
        assert not (static / name).exists(), f"{name} is served twice"
    # Only the folders of the extensions this site uses: the runner and the playgrounds are not.
    assert not (static / "runner").exists() and not (static / "playgrounds").exists()
    # The pages load the files where they are.
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'src="_static/accessible_markup/scroll_regions.js' in page
    assert 'href="_static/animations/animations.css' in page
