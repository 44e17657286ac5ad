"""The in-browser runner's graphviz stand-in writes the same DOT text as the real package.

In the browser there is no ``dot`` program, so the runner installs
``docs/_ext/static/runner/graphviz_shim.py`` as ``graphviz``. Whatever micrograd draws there
must be the graph it draws here: the DOT text is compared, character for character, with
the one the real ``graphviz`` package writes (the independent reference).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from dependencies import require

from micrograd import MLP, Value
from micrograd import graph as mgraph

graphviz = require("graphviz")

SHIM = Path(__file__).resolve().parents[1] / "docs" / "_ext" / "static" / "runner" / "graphviz_shim.py"


def _load_shim() -> ModuleType:
    spec = importlib.util.spec_from_file_location("graphviz_shim", SHIM)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def shim() -> Iterator[ModuleType]:
    """micrograd.graph drawing with the stand-in installed as ``graphviz``, as in the browser."""
    module = _load_shim()
    real = sys.modules["graphviz"]
    sys.modules["graphviz"] = module
    mgraph._digraph_class.cache_clear()
    try:
        yield module
    finally:
        sys.modules["graphviz"] = real
        mgraph._digraph_class.cache_clear()


def _real_source(make: Callable[[], object]) -> str:
    mgraph._digraph_class.cache_clear()
    try:
        return str(make().source)  # type: ignore[attr-defined]
    finally:
        mgraph._digraph_class.cache_clear()


def _odd_labels() -> Value:
    a = Value(1.5, label='quote " and <tag> & back\\slash')
    b = Value(-2e-7, label="node")  # a DOT keyword
    c = Value(3e9, label="tab\tnewline\n")
    return ((a * b + c).tanh() - a**2).exp() / b


def test_draw_dot_writes_the_same_dot_text_as_the_graphviz_package(
    shim: ModuleType, lecture_neuron: Callable[[], dict[str, Value]]
) -> None:
    graphs: list[Callable[[], object]] = []
    o = lecture_neuron()["o"]
    o.backward()
    graphs.append(lambda: mgraph.draw_dot(o))
    graphs.append(lambda: mgraph.draw_dot(o, "TB", show_grad=False, highlight=[o]))
    odd = _odd_labels()
    graphs.append(lambda: mgraph.draw_dot(odd, "BT"))
    model = MLP(2, [2, 1])
    graphs.append(lambda: mgraph.draw_dot(model([0.5, -1.0]), "RL"))
    for make in graphs:
        browser_source = str(make().source)  # type: ignore[attr-defined]
        sys.modules["graphviz"] = graphviz
        try:
            assert browser_source == _real_source(make)
        finally:
            sys.modules["graphviz"] = shim
            mgraph._digraph_class.cache_clear()


def test_backward_stepper_frames_are_the_same_dot_text(
    shim: ModuleType, lecture_neuron: Callable[[], dict[str, Value]]
) -> None:
    o = lecture_neuron()["o"]
    in_browser = [step.digraph.source for step in mgraph.backward_stepper(o).steps]
    sys.modules["graphviz"] = graphviz
    mgraph._digraph_class.cache_clear()
    here = [step.digraph.source for step in mgraph.backward_stepper(o).steps]
    # Each stepper has its own random id prefix for its SVG elements.
    strip = [s.split("id=", 1)[0] + s.split("id=", 1)[1].split("]", 1)[1] for s in in_browser]
    assert strip == [s.split("id=", 1)[0] + s.split("id=", 1)[1].split("]", 1)[1] for s in here]
    assert len(here) == 11


def test_a_hand_built_digraph_as_in_tutorial_2_is_the_same(shim: ModuleType) -> None:
    def build(module: ModuleType) -> str:
        dot = module.Digraph(graph_attr={"rankdir": "TB", "bgcolor": "transparent"})
        dot.attr("graph", nodesep="0.15", ranksep="0.3")
        dot.attr("node", shape="record", style="filled", fillcolor="white", height="0")
        dot.node("140", "{a | data 2.0000 | grad 0.0000}")
        dot.node("140op", "*", shape="ellipse", fillcolor="#e8eef9", width="0")
        dot.node("edge", 'say "hi" \\\\', color=None)
        dot.edge("140op", "140")
        dot.edge("140:p:n", "x y")
        dot.attr(None, splines="ortho")
        dot.attr("node")  # nothing to set: no line
        return str(dot.source)

    assert build(shim) == build(graphviz)
    g = shim.Digraph("G", comment="c", strict=True, node_attr={"shape": "box"})
    assert g.source == graphviz.Digraph("G", comment="c", strict=True, node_attr={"shape": "box"}).source


def test_drawing_without_a_renderer_says_graphviz_is_missing(shim: ModuleType) -> None:
    drawing = mgraph.draw_dot(Value(1.0) * 2)
    with pytest.raises(shim.ExecutableNotFound):
        drawing.pipe(format="svg")
    shim.set_renderer(lambda source, engine: f"<svg><!-- {engine} {len(source)} --></svg>")
    try:
        svg = drawing.pipe(format="svg", encoding="utf-8")
        assert svg.startswith("<svg><!-- dot ") and drawing._repr_mimebundle_()["image/svg+xml"] == svg
        with pytest.raises(RuntimeError, match="SVG only"):
            drawing.pipe(format="png")
    finally:
        shim.set_renderer(None)


def test_a_checkers_blame_drawing_is_drawn_by_the_browsers_graphviz(shim: ModuleType) -> None:
    # The report of a check cell draws its blame with graphviz.Source(dot): in the browser that
    # is the stand-in, which hands the DOT text to viz.js; DOT it cannot draw leaves the text
    # table in the report instead of an error.
    from exercise_engines import make_engine

    from micrograd.exercises import check_value

    report = check_value(make_engine(mistakes=["= instead of +="]))
    assert report.blame is not None
    drawn: list[str] = []

    def render(source: str, engine: str) -> str:
        drawn.append(source)
        return "<svg><title>drawn</title></svg>"

    shim.set_renderer(render)
    try:
        assert report.blame.svg() == "<svg><title>drawn</title></svg>"
        assert drawn == [report.blame.dot]
        assert "<svg><title>drawn</title></svg>" in report._repr_html_()

        def refuse(source: str, engine: str) -> str:
            raise ValueError("syntax error in line 1")

        shim.set_renderer(refuse)
        with pytest.raises(shim.CalledProcessError, match="syntax error in line 1"):
            shim.Source("digraph {").pipe(format="svg")
        assert report.blame.svg() is None
        assert "first wrong" in report._repr_html_()  # the text table
    finally:
        shim.set_renderer(None)
