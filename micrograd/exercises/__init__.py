"""Checkers for the tutorials' exercises: run the reader's own code and explain what broke.

Each exercise of the tutorials has a checker here, named for what the reader writes:
:func:`check_subtraction` for the second exercise of *Building Value*,
:func:`check_value` for the finished ``MyValue`` class of *Gradients that add up*,
:func:`check_relu` for that page's first exercise, :func:`check_my_backward` for the iterative
backward of *Backprop step by step*, and so on. A checker takes what the reader wrote (a
class with the classic micrograd interface, ``data``, ``grad``, ``_prev``, ``_op``, ``label``, the operators
and ``backward()``, built with closures or with stored local derivatives; or a function)
and runs three kinds of checks:

- fixed cases with answers known on paper, including zero and negative inputs;
- the classic traps: ``x + x``, a value used three times, a reused intermediate,
  ``backward()`` twice, a chain of 1,200 steps (deeper than Python's recursion limit),
  ``2 * x`` next to ``x * 2``;
- random cases, compared with micrograd's own engine, whose gradients are themselves
  tested against PyTorch and central differences.

The checkers of *Building Value*'s exercises leave out every case where a value is used
twice: that page's engine sets gradients with ``=``, which is right exactly when no value
is (the next page adds them with ``+=``), so they check trees only, and their reports say so.

It returns a :class:`Report`: one line per check, passed or failed, and for a failure
what was expected, what came back, and the likely mistake in a learner's words. When
gradients differ, the report carries a :class:`Blame` drawing of the reader's graph:
every value coloured by how far its gradient is from the right one, and the first wrong
value, in the order a correct ``backward()`` visits them, marked. Its parent operation
holds the bug. Where the right numbers are the exercise's answer (gradients predicted by
hand: :func:`check_gradients_by_hand`, :func:`check_backward_order`, :func:`check_dead_relu`),
neither the report nor the drawing states them: a wrong one is named, with the likely
mistake, and the reader tries again.

A report prints as text, and shows in Jupyter as a checklist with the drawing (the
drawing needs the ``graphviz`` package and the ``dot`` program; without them the
checklist still shows, and :attr:`Blame.dot` holds the drawing's DOT source for any
other renderer, such as Graphviz compiled to WebAssembly in the browser).

A ``backward()`` that walks the reader's graph runs on a budget: every iteration over a
node's ``_prev`` and every call of a node's ``_backward`` is counted, and a check that
takes too many steps (or more than ten seconds) stops with a message saying so, which is
how an exponential or endless walk ends. The counting needs no thread, no signal and no
trace function, so it works the same in plain Python, Jupyter and Pyodide. Functions that
run a loop of their own (a training loop, an optimizer) are called on small problems, a
few steps long.

The package holds one module per job: ``report`` and ``blame`` (what a checker returns, and
the drawing), ``budget`` (the counted steps), ``compare`` (tolerances, numbers as a learner
writes them), ``cases``, ``diagnoses`` and ``expressions`` (running an expression on the
reader's value class, naming the mistake, random expressions), ``updates`` (what an optimizer
that moved nothing did instead), then the checkers, by the
tutorials they belong to: ``value_class``, ``backward``, ``numeric``, ``networks``,
``tensors``, ``cross_entropy``, ``optimizers`` and ``experiments``. Import them all from here.
"""

from __future__ import annotations

from micrograd.exercises.backward import check_backward_order, check_dead_relu, check_my_backward
from micrograd.exercises.blame import Blame, BlameNode
from micrograd.exercises.cases import Builder as Builder
from micrograd.exercises.cases import Diagnosis as Diagnosis
from micrograd.exercises.cross_entropy import check_bce_by_hand, check_cross_entropy_by_hand
from micrograd.exercises.experiments import (
    check_and_or,
    check_generalisation,
    check_he_scale,
    check_misclassified,
    check_relative_change,
    check_residual,
    check_slope_changes,
    check_solves_xor,
    check_tanh_model,
    check_two_classes,
    check_xor_feature,
    check_xor_weights,
)
from micrograd.exercises.networks import (
    check_count_parameters,
    check_layer_and_mlp,
    check_neuron,
    check_sgd,
    check_train,
)
from micrograd.exercises.numeric import (
    check_central_difference,
    check_numerical_gradient,
    check_second_derivative,
)
from micrograd.exercises.optimizers import check_adam_halves, check_momentum, check_nesterov
from micrograd.exercises.report import Check, ExerciseFailed, Report
from micrograd.exercises.tensors import check_linear_backward, check_tensor, check_tensor_training
from micrograd.exercises.value_class import CHAIN_CASE as CHAIN_CASE
from micrograd.exercises.value_class import CHAIN_STEPS as CHAIN_STEPS
from micrograd.exercises.value_class import (
    check_gradients_by_hand,
    check_log_and_division,
    check_plain_numbers,
    check_relu,
    check_sigmoid,
    check_squared_error,
    check_subtraction,
    check_value,
)

# The API page documents __all__. The `X as X` imports above are importable too, as before the
# package was split, though not documented: the long chain's name and length, which the tests
# use, and the types of a case.
__all__ = [
    "Blame",
    "BlameNode",
    "Check",
    "ExerciseFailed",
    "Report",
    "check_adam_halves",
    "check_and_or",
    "check_backward_order",
    "check_bce_by_hand",
    "check_central_difference",
    "check_count_parameters",
    "check_cross_entropy_by_hand",
    "check_dead_relu",
    "check_generalisation",
    "check_gradients_by_hand",
    "check_he_scale",
    "check_layer_and_mlp",
    "check_linear_backward",
    "check_log_and_division",
    "check_misclassified",
    "check_momentum",
    "check_my_backward",
    "check_nesterov",
    "check_neuron",
    "check_numerical_gradient",
    "check_plain_numbers",
    "check_relative_change",
    "check_relu",
    "check_residual",
    "check_second_derivative",
    "check_sgd",
    "check_sigmoid",
    "check_slope_changes",
    "check_solves_xor",
    "check_squared_error",
    "check_subtraction",
    "check_tanh_model",
    "check_tensor",
    "check_tensor_training",
    "check_train",
    "check_two_classes",
    "check_value",
    "check_xor_feature",
    "check_xor_weights",
]

# The results are documented, and referred to in type hints, as micrograd.exercises.Report and
# so on: the name a reader imports them by, not the module that happens to define them.
for _result in (Blame, BlameNode, Check, ExerciseFailed, Report):
    _result.__module__ = __name__
del _result
