"""The site's small Sphinx extensions, each on a one-page site built here: what they serve and
how they keep a parallel build safe (docs/_ext/static_folders.py, notebook_cache.py)."""

from __future__ import annotations

import fcntl
import importlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dependencies import require

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
    require("myst_nb")  # myst-parser comes with it
    source = _site(tmp_path, ["myst_parser", "quiz", "animations", "accessible_markup", "graph_zoom"])
    out = tmp_path / "html"
    build = _build(source, out)
    log = build.communicate(timeout=120)[0]
    assert build.returncode == 0, log
    static = out / "_static"
    for job, name in [
        ("quiz", "quiz.js"),
        ("animations", "animations.css"),
        ("accessible_markup", "scroll_regions.js"),
        ("graph_zoom", "graph_zoom.js"),
    ]:
        assert (static / job / name).read_bytes() == (EXT / "static" / job / name).read_bytes()
        assert not (static / name).exists(), f"{name} is served twice"
    # Only the folders of the extensions this site uses: the runner and the playgrounds are not.
    assert not (static / "runner").exists() and not (static / "playgrounds").exists()
    # The pages load the files where they are.
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'src="_static/accessible_markup/scroll_regions.js' in page
    assert 'href="_static/animations/animations.css' in page


def _cache_site(tmp_path: Path) -> tuple[Path, Path]:
    require("myst_nb")
    cache = tmp_path / "cache"
    settings = f"nb_execution_mode = 'cache'\nnb_execution_cache_path = {str(cache)!r}\n"
    return _site(tmp_path, ["myst_nb", "notebook_cache"], settings), cache


def test_a_build_creates_the_notebook_cache_before_its_read_processes_start(tmp_path: Path) -> None:
    # jupyter-cache creates its database on first use, in whichever read process gets there
    # first; two at once fail ("table ... already exists"). After the build's start, the
    # database is there with its tables, so no read process creates it.
    source, cache = _cache_site(tmp_path)
    build = _build(source, tmp_path / "html")
    log = build.communicate(timeout=120)[0]
    assert build.returncode == 0, log
    (database,) = cache.glob("*/global.db")  # in the folder of this version of the package
    with sqlite3.connect(database) as db:
        tables = {name for (name,) in db.execute("select name from sqlite_master where type = 'table'")}
    assert {"nbcache", "nbproject"} <= tables


def test_a_second_build_of_the_same_checkout_waits_for_the_first(tmp_path: Path) -> None:
    source, cache = _cache_site(tmp_path)
    cache.mkdir()
    # This test holds the lock a running build would hold.
    lock = os.open(cache / "build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(lock, fcntl.LOCK_EX)
    build = _build(source, tmp_path / "html")
    assert build.stdout is not None
    lines = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("another build is using" in line for line in lines):
            line = build.stdout.readline()
            if not line:
                break
            lines.append(line)
        time.sleep(1)
        assert build.poll() is None, "the second build did not wait:\n" + "".join(lines)
    finally:
        os.close(lock)  # the first build ends
    log = "".join(lines) + build.communicate(timeout=120)[0]
    assert build.returncode == 0, log
    assert "waiting for it to finish" in log
    assert log.index("waiting for it to finish") < log.index("build succeeded")


def test_the_markup_rewrites_can_run_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    # An incremental build rewrites every page, the ones an earlier build rewrote too: a
    # replacement that contains what it replaces would nest (a <nav> in a <nav>).
    require("myst_nb")  # and Sphinx with it
    monkeypatch.syspath_prepend(str(EXT))  # docs/_ext is not a package
    accessible_markup = importlib.import_module("accessible_markup")
    for old, new in accessible_markup.REWRITES:
        assert old not in new, old
    page = "".join(old for old, _ in accessible_markup.REWRITES)
    once = accessible_markup.rewrite(page)
    assert once != page and accessible_markup.rewrite(once) == once


def test_an_incremental_build_writes_every_page_again_when_an_extension_adds_a_script(tmp_path: Path) -> None:
    require("myst_nb")
    here = f"sys.path.insert(0, {str(tmp_path / 'src')!r})\n"  # where one_more_script.py is
    source = _site(tmp_path, ["myst_parser", "asset_changes", "one_more_script"], here)
    (source / "index.md").write_text("# A page\n\n```{toctree}\nother\n```\n", encoding="utf-8")
    (source / "other.md").write_text("# Another page\n", encoding="utf-8")
    out = tmp_path / "html"

    def build_loading(scripts: list[str]) -> str:
        calls = "".join(f"    app.add_js_file({name!r})\n" for name in scripts)
        (source / "one_more_script.py").write_text(
            f"def setup(app):\n{calls}    return {{}}\n", encoding="utf-8"
        )
        build = _build(source, out)
        log = build.communicate(timeout=120)[0]
        assert build.returncode == 0, log
        return log

    build_loading(["first.js"])
    assert "first.js" in (out / "other.html").read_text(encoding="utf-8")
    assert "0 source files that are out of date" in build_loading(["first.js"])  # nothing changed
    build_loading(["first.js", "second.js"])  # no page changed, only what the extension loads
    for page in ("index.html", "other.html"):
        assert "second.js" in (out / page).read_text(encoding="utf-8"), f"{page} was not written again"
