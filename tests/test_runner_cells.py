"""The runner decides before any click which cells can run in the browser (docs/_ext/runner.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from dependencies import require

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))
require("myst_nb")  # the docs' extensions import Sphinx, which comes with it
import runner  # noqa: E402  (docs/_ext, put on the path above)


def test_micrograd_the_standard_library_and_drawing_run_offline() -> None:
    verdicts = runner.classify_cells(
        [
            "import math, random\nfrom micrograd import Value, draw_dot",
            "draw_dot(Value(math.pi))",
            "import graphviz",
        ]
    )
    assert [v["run"] for v in verdicts] == ["offline"] * 3


def test_numpy_and_matplotlib_need_the_network_and_so_do_the_cells_using_their_names() -> None:
    verdicts = runner.classify_cells(
        [
            "import matplotlib.pyplot as plt\nimport numpy as np",
            "xs = np.linspace(0, 1, 5)",  # uses np: needs numpy
            "print(len(xs))",  # uses xs, made with numpy
            "xs = [1, 2]\nprint(xs)",  # makes its own xs
            "from sklearn.datasets import make_moons",
        ]
    )
    assert [v["run"] for v in verdicts] == ["network", "network", "network", "offline", "network"]
    # np exists only once the first cell ran, and that needs matplotlib as well.
    assert verdicts[0]["packages"] == verdicts[1]["packages"] == ["matplotlib", "numpy"]
    assert verdicts[4]["local"] == "pip install scikit-learn"
    # What makes each need it, for the runner to ask again once the reader rewrote a cell.
    assert [(v.get("own"), v.get("via")) for v in verdicts] == [
        (True, {}),
        (False, {"np": 1}),
        (False, {"xs": 2}),
        (None, None),
        (True, {}),
    ]


def test_torch_glue_png_drawings_and_their_results_never_run_here_and_say_why() -> None:
    verdicts = runner.classify_cells(
        [
            "import torch",
            "t = torch.tensor(1.0)",
            "def f(x):\n    return x + 1\nprint(f(t))",
            "from myst_nb import glue",
            "d.render('g', format='png')",
            "d.render('g', format='svg')",
            "import requests",
        ]
    )
    assert [v["run"] for v in verdicts] == ["never", "never", "never", "never", "never", "offline", "never"]
    assert "PyTorch" in verdicts[0]["reason"]
    assert "uses t, made by cell 2" in verdicts[2]["reason"]
    assert "myst-nb" in verdicts[3]["reason"]
    assert "png" in verdicts[4]["reason"] and "dot program" in verdicts[4]["reason"]
    assert "requests" in verdicts[6]["reason"]


def test_names_imported_beside_a_package_the_browser_lacks_are_not_there_either() -> None:
    verdicts = runner.classify_cells(
        ["import matplotlib.pyplot as plt\nfrom micrograd import Value", "Value(1.0)"]
    )
    assert [v["run"] for v in verdicts] == ["network", "network"]


def test_a_functions_parameter_does_not_make_a_name_for_later_cells() -> None:
    verdicts = runner.classify_cells(
        [
            "import numpy as np",
            "X = np.zeros(3)",
            "def count(X):\n    return len(X)",
            "count(X)",
            "def size(X):\n    return len(X)\nprint(size(X))",
        ]
    )
    assert [v["run"] for v in verdicts] == ["network", "network", "offline", "network", "network"]


def test_a_cell_with_a_syntax_error_runs_and_shows_pythons_error() -> None:
    assert runner.classify_cells(["def (:"]) == [{"run": "offline"}]


def test_each_folded_solution_is_marked_with_the_checks_of_its_exercise() -> None:
    """A reader may write an answer in a folded solution's place (runner.js): its verdict
    names the cells that check its exercise: the check cells after the exercise's solutions,
    until the next solution. A solution that cannot run here gets no mark, and does not end
    its exercise; one without a check gets none."""
    cells = [
        runner.Cell("x = 1", set(), ""),
        runner.Cell("def sub(self, other): ...", {"hide-cell"}, "Show solution"),
        runner.Cell("print(sub)", set(), ""),
        runner.Cell(
            "from micrograd.exercises import check_subtraction\n\ncheck_subtraction(MyValue)\n", set(), ""
        ),
        runner.Cell("class MyMLP: ...", {"hide-cell"}, "Show solution"),
        runner.Cell("train(MyMLP)", {"hide-cell"}, "Show solution (training)"),
        runner.Cell("import torch", {"hide-cell"}, "Show solution"),
        runner.Cell("from micrograd.exercises import check_mlp\ncheck_mlp(MyMLP)", set(), ""),
        runner.Cell("from micrograd.exercises import check_train\ncheck_train(train)", set(), ""),
        runner.Cell("answer = 3", {"hide-cell"}, "Show solution"),
    ]
    verdicts = runner.classify_cells([cell.source for cell in cells])
    runner.mark_solutions(cells, verdicts)
    assert verdicts[1]["solution"] == {"checks": [{"cell": 4, "call": "check_subtraction(MyValue)"}]}
    second = [{"cell": 8, "call": "check_mlp(MyMLP)"}, {"cell": 9, "call": "check_train(train)"}]
    assert verdicts[4]["solution"] == verdicts[5]["solution"] == {"checks": second}
    assert "solution" not in verdicts[6]  # PyTorch: never runs here
    assert verdicts[9]["solution"] == {"checks": []}
    runner.mark_solutions(cells[:1], verdicts[:1])  # a page without exercises
    assert "solution" not in verdicts[0]


def test_a_check_of_what_an_earlier_exercise_made_is_paired_with_that_solution_too() -> None:
    """04's exercise 3 plots two runs of exercise 2's train, and its check calls check_train(train):
    a reader's train is in exercise 2's solution, so the check checks that one as well. A check
    of what its own exercise made (here MyValue, changed by attaching a method) stays its own."""
    cells = [
        runner.Cell("class MyValue: ...", {"hide-cell"}, "Show solution"),
        runner.Cell("from micrograd.exercises import check_value\ncheck_value(MyValue)", set(), ""),
        runner.Cell("def train(lr, zero_grad=True): ...", {"hide-cell"}, "Show solution"),
        runner.Cell("from micrograd.exercises import check_train\ncheck_train(train)", set(), ""),
        runner.Cell("correct = train(0.1)\nforgetful = train(0.1, False)", {"hide-cell"}, "Show solution"),
        runner.Cell("from micrograd.exercises import check_train\ncheck_train(train)", set(), ""),
        runner.Cell("def sub(self, other): ...\nMyValue.__sub__ = sub", {"hide-cell"}, "Show solution"),
        runner.Cell("from micrograd.exercises import check_sub\ncheck_sub(MyValue)", set(), ""),
    ]
    verdicts = runner.classify_cells([cell.source for cell in cells])
    runner.mark_solutions(cells, verdicts)
    checks = {
        k: [c["cell"] for c in v["solution"]["checks"]] for k, v in enumerate(verdicts) if "solution" in v
    }
    assert checks == {0: [2], 2: [4, 6], 4: [6], 6: [8]}
