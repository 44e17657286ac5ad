"""Tests of micrograd.graph: draw_dot and the backward stepper.

Tests that render need the Graphviz ``dot`` program (``@needs_dot``); tests of the DOT
source need only the ``graphviz`` Python package. Without either, they skip on a
developer's machine and fail in CI (see ``tests/dependencies.py``).
"""

from __future__ import annotations

import itertools
import math
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from dependencies import require

from micrograd import graph
from micrograd.engine import Value
from micrograd.graph import backward_stepper, draw_dot

graphviz = require("graphviz")


@pytest.fixture
def dot_program() -> str:
    """The path of Graphviz's dot program, which every test that renders needs."""
    path: str = require("dot")
    return path


needs_dot = pytest.mark.usefixtures("dot_program")

SVG = "{http://www.w3.org/2000/svg}"


def parse_source(source: str) -> tuple[dict[str, str], dict[str, str], list[tuple[str, str]]]:
    """Value boxes (DOT name -> bold label), op ellipses (DOT name -> op) and edges of a drawing."""
    boxes, ops, edges = {}, {}, []
    for line in source.splitlines():
        line = line.strip()
        if m := re.fullmatch(r"(\w+) -> (\w+)(?::\w+)?(?: \[.*\])?", line):
            edges.append((m[1].split(":")[0], m[2]))
        elif m := re.fullmatch(r"(\w+) \[label=<(.*)> (.*)\]", line):
            name, label, attrs = m[1], m[2], m[3]
            if "shape=ellipse" in attrs:
                ops[name] = label
            else:
                bold = re.search(r"<B>(.*?)</B>", label)
                boxes[name] = bold[1] if bold else ""
    return boxes, ops, edges


def svg_texts(svg: str) -> list[str]:
    """The text of every <text> element of an SVG drawing, in document order."""
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def render_svg(dot: object) -> str:
    svg: str = dot.pipe(format="svg", encoding="utf-8")  # type: ignore[attr-defined]
    return svg


# -- draw_dot: structure ----------------------------------------------------------------------------


def test_draw_dot_has_one_box_per_value_one_ellipse_per_op_and_edges_child_to_op_to_result(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    v = lecture_neuron()
    boxes, ops, edges = parse_source(draw_dot(v["o"]).source)

    assert sorted(boxes.values()) == sorted(v)
    assert sorted(ops.values()) == sorted(["*", "*", "+", "+", "tanh"])
    name_of = {dot_name: label for dot_name, label in boxes.items()}
    made_by = {
        "x1w1": ["x1", "w1"],
        "x2w2": ["x2", "w2"],
        "x1w1x2w2": ["x1w1", "x2w2"],
        "n": ["x1w1x2w2", "b"],
        "o": ["n"],
    }
    for op_node in ops:
        results = [name_of[b] for a, b in edges if a == op_node]
        inputs = sorted(name_of[a] for a, b in edges if b == op_node)
        assert len(results) == 1, "an op has exactly one result"
        assert inputs == sorted(made_by[results[0]])
    assert len(edges) == 5 + 9  # one edge out of each op, one into it per input
    assert all((a in boxes) != (b in boxes) for a, b in edges), "edges alternate value -> op -> value"


def test_draw_dot_shows_an_input_used_twice_with_two_arrows() -> None:
    x = Value(3.0, label="x")
    boxes, ops, edges = parse_source(draw_dot(x * x).source)
    (x_node,) = (name for name, label in boxes.items() if label == "x")
    (op_node,) = ops
    assert edges.count((x_node, op_node)) == 2


def test_draw_dot_shows_the_lectures_data_and_grads_with_four_decimals(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    v = lecture_neuron()
    v["o"].backward()
    source = draw_dot(v["o"]).source
    # The lecture's numbers: o = tanh(0.8814) = 0.7071, x1.grad = -1.5, w1.grad = 1, x2.grad = 0.5.
    for fragment in ["data 0.7071", "grad 1.0000", "grad -1.5000", "grad 0.5000", "data 0.8814"]:
        assert fragment in source
    assert f"data {math.tanh(0.8813735870195432):.4f}" in source


def test_draw_dot_without_a_label_has_no_label_cell_and_show_grad_false_hides_grads() -> None:
    a = Value(1.5)
    source = draw_dot(a, show_grad=False).source
    assert "<B>" not in source
    assert "data 1.5000" in source
    assert "grad 0" not in source


def test_draw_dot_formats_tiny_and_huge_numbers_in_scientific_notation() -> None:
    source = draw_dot(Value(1.234e-7) + Value(5.0e9)).source
    assert "data 1.234e-07" in source
    assert "data 5.000e+09" in source


def test_draw_dot_highlights_exactly_the_given_values(lecture_neuron: Callable[[], dict[str, Value]]) -> None:
    v = lecture_neuron()
    source = draw_dot(v["o"], highlight=[v["n"], v["b"]]).source
    highlighted = re.findall(r'BGCOLOR="#ffd54f"><TR><TD><B>(\w+)</B>', source)
    assert sorted(highlighted) == ["b", "n"]


@pytest.mark.parametrize("rankdir", ["LR", "RL", "TB", "BT"])
def test_draw_dot_accepts_the_four_directions(rankdir: str) -> None:
    assert f"rankdir={rankdir}" in draw_dot(Value(1.0) * 2, rankdir).source


def test_draw_dot_rejects_a_bad_direction_and_a_non_value() -> None:
    with pytest.raises(ValueError, match=r"rankdir must be one of LR, RL, TB, BT; got 'left'"):
        draw_dot(Value(1.0), "left")
    with pytest.raises(TypeError, match=r"draw_dot\(\) needs a Value, got 3.0 \(float\)"):
        draw_dot(3.0)  # type: ignore[arg-type]


# -- draw_dot: size limits and deep graphs -----------------------------------------------------------


def chain(length: int) -> Value:
    """A chain of ``length`` values: x, x+1, x+1+1, ..."""
    v = Value(0.5, label="x")
    for _ in range(length - 1):
        v = v + 1.0
    return v


def test_draw_dot_refuses_a_graph_above_max_nodes_saying_how_to_raise_the_limit() -> None:
    # chain(60) has 60 values plus 59 constants 1.0.
    with pytest.raises(ValueError, match=r"the graph has 119 values, more than max_nodes=100.*max_nodes=119"):
        draw_dot(chain(60), max_nodes=100)
    assert draw_dot(chain(60), max_nodes=119).source.count("data ") == 119


def test_draw_dot_default_limit_is_5000_values() -> None:
    with pytest.raises(ValueError, match=r"5001 values, more than max_nodes=5000"):
        draw_dot(chain(2501))


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_draw_dot_rejects_a_max_nodes_that_is_not_a_positive_int(bad: object) -> None:
    with pytest.raises(ValueError, match="max_nodes must be a positive int"):
        draw_dot(Value(1.0), max_nodes=bad)  # type: ignore[arg-type]


def test_draw_dot_traces_a_10000_value_chain_without_recursion_error() -> None:
    root = chain(5000)  # 5000 values + 4999 constants
    assert sys.getrecursionlimit() < 9999
    boxes, ops, edges = parse_source(draw_dot(root, max_nodes=10_000).source)
    assert (len(boxes), len(ops), len(edges)) == (9999, 4999, 3 * 4999)


# -- draw_dot: rendering -------------------------------------------------------------------------------

NASTY_LABELS = [
    'pipe|brace{}angle<>"quotes"',
    "back\\slash \\N \\G \\n \\l and a trailing backslash\\",
    "amp & entity &lt; &#60; cdata ]]> 'single'",
    "unicode θ₁ ∂L/∂w 😀",
    "record {<port> a | b}",
]


@needs_dot
@pytest.mark.parametrize("label", NASTY_LABELS)
def test_draw_dot_renders_any_label_literally(label: str) -> None:
    svg = render_svg(draw_dot(Value(2.0, label=label) * 3.0))
    assert label in svg_texts(svg)


@needs_dot
def test_draw_dot_shows_control_characters_in_a_label_as_escapes() -> None:
    svg = render_svg(draw_dot(Value(2.0, label="line\nbreak\ttab\x00nul")))
    assert "line\\nbreak\\ttab\\x00nul" in svg_texts(svg)


@needs_dot
def test_draw_dot_displays_inline_in_jupyter_as_svg(lecture_neuron: Callable[[], dict[str, Value]]) -> None:
    v = lecture_neuron()
    bundle = draw_dot(v["o"])._repr_mimebundle_()
    svg = bundle["image/svg+xml"]
    texts = svg_texts(svg)
    assert {"x1", "w1", "o", "tanh", "data 0.7071"} <= set(texts)
    root = ET.fromstring(svg)
    # Graphviz paints an opaque background as the graph's first polygon; a transparent one is not painted.
    assert root.find(f"{SVG}g/{SVG}polygon") is None


def test_missing_dot_program_explains_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no dot anywhere
    dot = draw_dot(Value(1.0) * 2)  # building the Digraph needs no dot
    for render in [lambda: dot.pipe(format="svg"), dot._repr_mimebundle_, lambda: dot.render(tmp_path / "g")]:
        with pytest.raises(graphviz.ExecutableNotFound) as info:
            render()
        message = str(info.value)
        for advice in [
            "apt-get install graphviz",
            "brew install graphviz",
            "conda install",
            "winget install",
        ]:
            assert advice in message
        assert "https://graphviz.org/download/" in message


def test_missing_graphviz_package_explains_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)  # makes `import graphviz` fail
    graph._digraph_class.cache_clear()
    try:
        with pytest.raises(ImportError, match=re.escape("pip install graphviz")):
            draw_dot(Value(1.0))
    finally:
        graph._digraph_class.cache_clear()


# -- backward_stepper ---------------------------------------------------------------------------------


def parents_of(root: Value) -> dict[Value, list[Value]]:
    """For every value of the graph, the values computed directly from it."""
    parents: dict[Value, list[Value]] = {root: []}
    todo = [root]
    while todo:
        v = todo.pop()
        for child in v._prev:
            if child not in parents:
                parents[child] = []
                todo.append(child)
            parents[child].append(v)
    return parents


def test_stepper_has_one_frame_before_backward_and_one_per_value(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    v = lecture_neuron()
    stepper = backward_stepper(v["o"])
    assert len(stepper.steps) == len(v) + 1
    assert stepper.steps[0].node is None
    assert sorted(s.node.label for s in stepper.steps[1:]) == sorted(v)  # type: ignore[union-attr]


def test_stepper_processes_values_in_reverse_topological_order() -> None:
    x = Value(0.5, label="x")
    y = (x * x + x.exp()) * x.tanh() + x  # x reaches the output along four paths
    parents = parents_of(y)
    processed: set[Value] = set()
    for step in backward_stepper(y).steps[1:]:
        assert step.node is not None
        assert all(p in processed for p in parents[step.node]), "every user of a value goes first"
        processed.add(step.node)
    assert processed == set(parents)


def test_stepper_grad_of_a_value_is_final_when_it_is_processed(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    v = lecture_neuron()
    steps = backward_stepper(v["o"]).steps
    for step in steps[1:]:
        assert step.node is not None
        assert step.grads[step.node] == steps[-1].grads[step.node]


def test_stepper_changes_only_the_grads_of_the_processed_values_inputs() -> None:
    x = Value(3.0, label="x")
    y = x * x + 1
    steps = backward_stepper(y).steps
    assert all(g == 0 for g in steps[0].grads.values())
    for before, step in itertools.pairwise(steps):
        assert step.node is not None
        changed = {v for v in step.grads if step.grads[v] != before.grads[v]}
        assert changed <= set(step.node._prev) | {y}


def test_stepper_final_grads_equal_backward_and_the_lecture(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    v = lecture_neuron()
    final = backward_stepper(v["o"]).steps[-1].grads
    v["o"].backward()
    assert {name: final[value] for name, value in v.items()} == {
        name: value.grad for name, value in v.items()
    }
    assert final[v["x1"]] == pytest.approx(-1.5)
    assert final[v["w1"]] == pytest.approx(1.0)
    assert final[v["x2"]] == pytest.approx(0.5)
    assert final[v["w2"]] == 0.0


def test_stepper_leaves_the_grads_of_the_users_graph_alone(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    v = lecture_neuron()
    for value in v.values():
        value.grad = 42.0
    stepper = backward_stepper(v["o"])
    assert all(value.grad == 42.0 for value in v.values())
    assert all(g == 0 for g in stepper.steps[0].grads.values()), "the replay starts from zero"
    assert stepper.steps[-1].grads[v["x1"]] == pytest.approx(-1.5)


@needs_dot
def test_rendering_a_stepper_leaves_the_grads_of_the_users_graph_alone(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    v = lecture_neuron()
    for value in v.values():
        value.grad = 42.0
    backward_stepper(v["o"]).to_html()
    assert all(value.grad == 42.0 for value in v.values())


def test_stepper_of_a_single_value_sets_its_grad_to_one() -> None:
    a = Value(2.0, label="a")
    steps = backward_stepper(a).steps
    assert [s.grads[a] for s in steps] == [0.0, 1.0]
    assert "leaf" in steps[1].caption


def test_stepper_captions_spell_out_the_chain_rule() -> None:
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    steps = backward_stepper(y).steps
    assert steps[0].caption.startswith("Before backward(): ")
    assert steps[1].caption.startswith("Step 1 of 2: 'y' is the output, so its grad is 1")
    # d(x*x)/dx = x = 3 for each use of x: the two contributions add up to 6.
    assert "'x'.grad += 3.0000 * 1.0000 → 3.0000; 'x'.grad += 3.0000 * 1.0000 → 6.0000" in steps[1].caption


def test_stepper_frame_highlights_the_processed_value_and_the_inputs_it_feeds(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    v = lecture_neuron()
    steps = backward_stepper(v["o"]).steps
    (step,) = [s for s in steps if s.node is v["n"]]
    source = step.digraph.source
    yellow = re.findall(r'BGCOLOR="#ffd54f"><TR><TD><B>([^<]*)</B>', source)
    green = re.findall(r'<TD><B>([^<]*)</B></TD><TD>data [^<]*</TD><TD BGCOLOR="#b9e6c3"', source)
    assert yellow == ["n"]
    assert sorted(green) == ["b", "x1w1x2w2"]
    assert source.count('color="#e8590c"') == 2, "the two arrows into n's operation are coloured"


def test_stepper_refuses_a_graph_above_max_nodes() -> None:
    with pytest.raises(
        ValueError, match=r"backward_stepper\(\): the graph has 59 values, more than max_nodes=50"
    ):
        backward_stepper(chain(30))
    assert len(backward_stepper(chain(30), max_nodes=59).steps) == 60


def test_stepper_rejects_a_non_value() -> None:
    with pytest.raises(TypeError, match=r"backward_stepper\(\) needs a Value"):
        backward_stepper([Value(1.0)])  # type: ignore[arg-type]


@needs_dot
def test_stepper_html_has_a_frame_per_step_with_escaped_captions() -> None:
    a = Value(2.0, label="</script><b>a</b>")
    stepper = backward_stepper(a * 3)
    page = stepper._repr_html_()
    assert page.count('<figure class="mg-frame">') == len(stepper.steps) == 4
    assert page.count("<svg ") == 4
    assert "</script><b>" not in page
    assert "&lt;/script&gt;&lt;b&gt;a&lt;/b&gt;" in page


@needs_dot
def test_stepper_html_loads_nothing_from_outside_the_page(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    page = backward_stepper(lecture_neuron()["o"]).to_html()
    for external in ["src=", "href=", "url(", "@import", "<link", "<iframe"]:
        assert external not in page
    # The only URLs are XML namespace names, which browsers never fetch.
    urls = set(re.findall(r"https?://[^\s\"'<>]*", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


@needs_dot
def test_stepper_html_ids_are_unique_across_steppers_and_repeated_displays() -> None:
    x = Value(3.0, label="x")
    first, second = backward_stepper(x * x), backward_stepper(x + 1)
    page = first.to_html() + second.to_html() + first.to_html()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) > 3 * 4
    assert len(ids) == len(set(ids))


@needs_dot
def test_stepper_frames_share_one_layout_so_only_colours_and_numbers_change(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    stepper = backward_stepper(lecture_neuron()["o"])
    stepper.to_html()

    def geometry(svg: str) -> tuple[list[str], ...]:
        borders = re.findall(r'<polygon fill="none"[^>]*points="([^"]*)"', svg)
        ellipses = re.findall(r"<ellipse[^>]*(cx=\"[^\"]*\" cy=\"[^\"]*\" rx=\"[^\"]*\" ry=\"[^\"]*\")", svg)
        paths = re.findall(r'<path[^>]* d="([^"]*)"', svg)
        return borders, ellipses, paths

    frames = [geometry(step.digraph.pipe(format="svg", encoding="utf-8")) for step in stepper.steps]
    assert [len(part) for part in frames[0]] == [30, 5, 14]  # 10 boxes of 3 cells, 5 ops, 14 edges
    assert all(frame == frames[0] for frame in frames)


@needs_dot
def test_stepper_save_writes_a_standalone_page(tmp_path: Path) -> None:
    path = tmp_path / "stepper.html"
    backward_stepper(Value(2.0, label="a") * 3).save(path)
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count('<figure class="mg-frame">') == 4
    assert '<meta charset="utf-8">' in page


def test_stepper_display_without_dot_explains_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stepper = backward_stepper(Value(1.0) * 2)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(graphviz.ExecutableNotFound, match="apt-get install graphviz"):
        stepper._repr_html_()


# -- labels and arguments that used to make dot fail or were refused (issue 8, item 11) ----------


@needs_dot
def test_draw_dot_shows_noncharacters_in_a_label_as_escapes_and_dot_renders_it() -> None:
    svg = render_svg(draw_dot(Value(2.0, label="a\ufffeb\uffffc") * 3.0))
    assert "a\\ufffeb\\uffffc" in svg_texts(svg)


@needs_dot
@pytest.mark.parametrize("length", [20_000, 100_000])
def test_draw_dot_cuts_a_very_long_label_and_dot_renders_it(length: int) -> None:
    svg = render_svg(draw_dot(Value(2.0, label="<&>" * (length // 3))))
    (text,) = [t for t in svg_texts(svg) if t.startswith("<&>")]
    assert text.endswith("more characters)")
    assert len(text) < 300


@needs_dot
def test_stepper_saves_a_page_for_an_op_name_with_a_lone_surrogate(tmp_path: Path) -> None:
    x = Value(2.0)
    out = Value(x.data, (x,), "op\udcff", (1.0,))
    backward_stepper(out).save(tmp_path / "page.html")
    assert "op\\udcff" in (tmp_path / "page.html").read_text(encoding="utf-8")


def test_max_nodes_may_be_a_numpy_int() -> None:
    np = require("numpy")
    assert draw_dot(Value(1.0) * 2, max_nodes=np.int64(10)).source.count("data ") == 3
    assert len(backward_stepper(Value(1.0) * 2, max_nodes=np.int64(10)).steps) == 4


def test_draw_dot_highlight_may_be_none_or_one_value_and_anything_else_is_refused_clearly() -> None:
    x = Value(1.0)
    y = x * 2
    assert draw_dot(y, highlight=None).source.count(graph._HIGHLIGHT) == 0
    assert draw_dot(y, highlight=x).source.count(graph._HIGHLIGHT) == 1
    with pytest.raises(TypeError, match="highlight must be a list of Values, got 3"):
        draw_dot(y, highlight=3)  # type: ignore[arg-type]


# -- what a reader who cannot see the drawings gets ---------------------------------------


@needs_dot
def test_draw_dot_svg_title_describes_the_graph_in_a_sentence() -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b + 1
    c.label = "c"
    c.backward()
    svg = draw_dot(c).pipe(format="svg", encoding="utf-8")
    root = ET.fromstring(svg)
    title = root.find(f"{SVG}g/{SVG}title")
    assert title is not None and title.text is not None
    # a, b, a*b, the constant 1 and c: five values; one * and one +; c = 2 * -3 + 1.
    assert title.text.startswith(
        "Computation graph of c = -5.0000 (grad 1.0000): 5 values, 2 operations (*, +)"
    )
    assert "inputs a, b, 1.0000" in title.text
    assert title.text.endswith("Each box shows a value's label, data, grad.")
    assert "label, data." in draw_dot(c, show_grad=False).pipe(format="svg", encoding="utf-8")


def test_draw_dot_saves_under_its_usual_file_name_despite_the_long_graph_name(tmp_path: Path) -> None:
    drawing = draw_dot(Value(1.0, label="x"))
    assert drawing.filename == "micrograd.gv"


@needs_dot
def test_stepper_frames_mark_the_processed_value_and_its_inputs_for_the_page(
    lecture_neuron: Callable[[], dict[str, Value]],
) -> None:
    # The page's script scrolls a frame wider than a phone to the marked values.
    v = lecture_neuron()
    stepper = backward_stepper(v["o"])
    k = next(i for i, s in enumerate(stepper.steps) if s.node is v["n"])
    svg = stepper.steps[k].digraph.pipe(format="svg", encoding="utf-8")
    root = ET.fromstring(svg)

    def labels(mark: str) -> list[str]:
        groups = [g for g in root.iter(f"{SVG}g") if mark in (g.get("class") or "").split()]
        return sorted("".join(t.text or "" for t in g.iter(f"{SVG}text")).split("data")[0] for g in groups)

    assert labels("mgactive") == ["+", "n"]  # the box of n and its operation
    assert labels("mgreceiving") == ["b", "x1w1x2w2"]
    assert 'class="node mg' not in stepper.steps[0].digraph.pipe(format="svg", encoding="utf-8")
