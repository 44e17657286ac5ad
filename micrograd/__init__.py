"""micrograd: a scalar-valued autograd engine and a small neural-network library on top.

The public API, re-exported here from the modules that define it:

- :class:`~micrograd.engine.Value` (``micrograd.engine``): a number that remembers how
  it was computed, and :meth:`~micrograd.engine.Value.backward` to differentiate it.
- :class:`~micrograd.nn.Module`, :class:`~micrograd.nn.Neuron`,
  :class:`~micrograd.nn.Layer`, :class:`~micrograd.nn.MLP` (``micrograd.nn``).
- :func:`~micrograd.graph.draw_dot` (``micrograd.graph``): a drawing of the graph behind a
  value, and :func:`~micrograd.graph.backward_stepper`, a clickable step-through of
  backward() (both need the optional ``graphviz`` extra).
- :func:`~micrograd.losses.mse_loss`, :func:`~micrograd.losses.hinge_loss`,
  :func:`~micrograd.losses.binary_cross_entropy_with_logits`,
  :func:`~micrograd.losses.cross_entropy` and :func:`~micrograd.losses.softmax`
  (``micrograd.losses``).
- :class:`~micrograd.optim.Optimizer`, :class:`~micrograd.optim.SGD`,
  :class:`~micrograd.optim.Adam` (``micrograd.optim``).
- :func:`~micrograd.gradcheck.gradcheck`, :class:`~micrograd.gradcheck.GradcheckResult`,
  :class:`~micrograd.gradcheck.GradcheckError` (``micrograd.gradcheck``): compare
  gradients with central differences.

Not re-exported, because a reader imports only the one an exercise needs: a checker per
exercise of the tutorials, such as :func:`~micrograd.exercises.check_value`
(``from micrograd.exercises import check_value``).
"""

from micrograd.engine import Value
from micrograd.gradcheck import GradcheckError, GradcheckResult, gradcheck
from micrograd.graph import backward_stepper, draw_dot
from micrograd.losses import binary_cross_entropy_with_logits, cross_entropy, hinge_loss, mse_loss, softmax
from micrograd.nn import MLP, Layer, Module, Neuron
from micrograd.optim import SGD, Adam, Optimizer

__all__ = [
    "MLP",
    "SGD",
    "Adam",
    "GradcheckError",
    "GradcheckResult",
    "Layer",
    "Module",
    "Neuron",
    "Optimizer",
    "Value",
    "backward_stepper",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "draw_dot",
    "gradcheck",
    "hinge_loss",
    "mse_loss",
    "softmax",
]
__version__ = "1.0.0"
