"""micrograd: a scalar-valued autograd engine and a small neural-network library on top.

The public API, re-exported here from the modules that define it:

- :class:`~micrograd.engine.Value` (``micrograd.engine``): a number that remembers how
  it was computed, and :meth:`~micrograd.engine.Value.backward` to differentiate it.
- :class:`~micrograd.nn.Module`, :class:`~micrograd.nn.Neuron`,
  :class:`~micrograd.nn.Layer`, :class:`~micrograd.nn.MLP` (``micrograd.nn``).
- :func:`~micrograd.graph.draw_dot` (``micrograd.graph``): a drawing of the graph behind a
  value, and :func:`~micrograd.graph.backward_stepper`, a clickable step-through of
  backward() (both need the optional ``graphviz`` extra).
"""

from micrograd.engine import Value
from micrograd.graph import backward_stepper, draw_dot
from micrograd.nn import MLP, Layer, Module, Neuron

__all__ = ["MLP", "Layer", "Module", "Neuron", "Value", "backward_stepper", "draw_dot"]
__version__ = "1.0.0"
