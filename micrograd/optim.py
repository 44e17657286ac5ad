"""Optimizers: turn the gradients that :meth:`~micrograd.engine.Value.backward` computed into a step.

The classes follow ``torch.optim``: build one from ``model.parameters()``, then in
every training iteration call :meth:`Optimizer.zero_grad`, compute the loss, call
``loss.backward()`` and call :meth:`Optimizer.step`. The update formulas are
PyTorch's, operation for operation, so the same problem gives the same numbers in
both libraries. The learning rate is the attribute ``lr``: assign to it between
steps to follow a schedule.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from micrograd.engine import Value, _is_number, _short_repr


class Optimizer:
    """The base class of optimizers: a list of parameters and a learning rate.

    A subclass implements :meth:`step`, the update that uses each parameter's
    ``grad`` to change its ``data``.

    Args:
        params: The :class:`~micrograd.engine.Value` objects to optimize, usually
            ``model.parameters()``. Each may appear only once.
        lr: The learning rate, non-negative.

    Raises:
        TypeError: If ``params`` is not an iterable of Values or ``lr`` is not a number.
        ValueError: If ``params`` is empty or repeats a Value, or ``lr`` is negative
            or not finite.

    Attributes:
        params (list[~micrograd.engine.Value]): The parameters, as a list, in the order they were
            given.

    Example:
        >>> x = Value(1.0)
        >>> opt = SGD([x], lr=0.25)
        >>> for _ in range(2):
        ...     opt.zero_grad()
        ...     loss = x * x
        ...     loss.backward()
        ...     opt.step()  # x -= lr * 2 * x
        ...     opt.lr = opt.lr / 2  # a schedule: assign to lr between steps
        >>> x.data  # 1 * (1 - 2 * 0.25) * (1 - 2 * 0.125)
        0.375
    """

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params: list[Value] = _check_params(params, f"{type(self).__name__}()")
        self.lr = lr

    @property
    def lr(self) -> float:
        """The learning rate of the next :meth:`step`; assign to it to change it.

        Raises:
            TypeError: On assigning something that is not a number.
            ValueError: On assigning a negative or non-finite number.
        """
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = _check_hyperparameter(value, "lr", type(self).__name__)

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to zero, before the next ``backward()``.

        Needed because :meth:`~micrograd.engine.Value.backward` adds to the gradients
        of parameters rather than replacing them.
        """
        for p in self.params:
            p.grad = 0

    def step(self) -> None:
        """Update every parameter's ``data`` from its ``grad``.

        Raises:
            NotImplementedError: Always, in the base class.
        """
        raise NotImplementedError(f"{type(self).__name__} does not implement step()")

    def _grads(self) -> list[float]:
        """Every parameter's gradient, or a clear error for one that is not a number."""
        grads = [p.grad for p in self.params]
        for i, g in enumerate(grads):
            if not _is_number(g):
                raise TypeError(
                    f"{type(self).__name__}.step(): params[{i}] has grad={g!r}; micrograd's gradients "
                    f"are numbers, so reset them to 0 (zero_grad()), not to None. No parameter was changed."
                )
        return grads

    def _update(self, new_data: list[float], **state: object) -> None:
        """Write the new parameter values and optimizer state: all of them, or none.

        Nothing is written if a new value is not finite, and an interruption half-way
        (a ``KeyboardInterrupt``) puts back what was already written.
        """
        for i, x in enumerate(new_data):
            if not math.isfinite(x):
                p = self.params[i]
                cause = (
                    f"its gradient {p.grad!r} is not finite (see backward())"
                    if not math.isfinite(p.grad)
                    else f"the learning rate {self.lr!r} may be too large"
                )
                raise OverflowError(
                    f"{type(self).__name__}.step(): the update made params[{i}] {x!r} "
                    f"(it was {p.data!r}, its grad {p.grad!r}); {cause}. No parameter was changed."
                )
        old_data = [p.data for p in self.params]
        old_state = {name: getattr(self, name) for name in state}
        try:
            for p, x in zip(self.params, new_data, strict=True):
                p.data = x
            for name, value in state.items():
                setattr(self, name, value)
        except BaseException:
            for p, x in zip(self.params, old_data, strict=True):
                p.data = x
            for name, value in old_state.items():
                setattr(self, name, value)
            raise


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and weight decay.

    Like ``torch.optim.SGD``. For each parameter ``p``, every :meth:`step` does::

        g = p.grad + weight_decay * p.data
        if momentum != 0:
            b = g                                    # on the first step
            b = momentum * b + (1 - dampening) * g   # on every later step
            g = g + momentum * b if nesterov else b
        p.data = p.data - lr * g

    Args:
        params: The :class:`~micrograd.engine.Value` objects to optimize, usually
            ``model.parameters()``. Each may appear only once.
        lr: The learning rate, non-negative.
        momentum: How much of the previous step to keep, non-negative (``0.9`` is
            common); ``0`` for plain gradient descent.
        dampening: How much to scale down the new gradient in the momentum buffer:
            it is added with weight ``1 - dampening``.
        weight_decay: The coefficient of an L2 penalty ``weight_decay / 2 * p**2``
            added to the loss, non-negative.
        nesterov: Use Nesterov momentum: step along the gradient plus the
            momentum buffer, as if looking one step ahead.

    Raises:
        TypeError: If ``params`` is not an iterable of Values or a number argument
            is not a number.
        ValueError: If ``params`` is empty or repeats a Value, ``lr``, ``momentum``
            or ``weight_decay`` is negative, or ``nesterov`` is set without a
            positive momentum and zero dampening.

    Example:
        >>> x = Value(0.0)
        >>> opt = SGD([x], lr=0.1)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     loss = (x - 3) ** 2
        ...     loss.backward()
        ...     opt.step()
        >>> round(x.data, 4)  # each step removes a fifth of the distance to 3
        1.464
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = _check_hyperparameter(momentum, "momentum", "SGD")
        self.dampening = _check_hyperparameter(dampening, "dampening", "SGD", non_negative=False)
        self.weight_decay = _check_hyperparameter(weight_decay, "weight_decay", "SGD")
        if nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError(
                f"SGD(): Nesterov momentum needs momentum > 0 and dampening == 0, "
                f"got momentum={momentum!r}, dampening={dampening!r}"
            )
        self.nesterov = bool(nesterov)
        self._buffers: list[float] | None = None  # the momentum of each parameter, after a step

    def step(self) -> None:
        """Update every parameter's ``data`` from its ``grad``, as described above.

        Raises:
            OverflowError: If the update would make a parameter infinite or NaN; then
                no parameter and no momentum is changed.
            TypeError: If a gradient is not a number (such as None).
        """
        lr, momentum, dampening, weight_decay = self.lr, self.momentum, self.dampening, self.weight_decay
        grads = self._grads()
        if weight_decay != 0:
            grads = [g + weight_decay * p.data for p, g in zip(self.params, grads, strict=True)]
        buffers = self._buffers
        if momentum != 0:
            if self._buffers is None:
                buffers = list(grads)
            else:
                buffers = [
                    b * momentum + (1 - dampening) * g for b, g in zip(self._buffers, grads, strict=True)
                ]
            if self.nesterov:
                grads = [g + momentum * b for g, b in zip(grads, buffers, strict=True)]
            else:
                grads = buffers
        self._update([p.data - lr * g for p, g in zip(self.params, grads, strict=True)], _buffers=buffers)

    def __repr__(self) -> str:
        return (
            f"SGD(lr={self.lr!r}, momentum={self.momentum!r}, dampening={self.dampening!r}, "
            f"weight_decay={self.weight_decay!r}, nesterov={self.nesterov!r}; {len(self.params)} parameters)"
        )


class Adam(Optimizer):
    """Adam: a step per parameter scaled by running averages of its gradient and squared gradient.

    Like ``torch.optim.Adam``. With ``t`` the number of steps taken so far
    (``1`` on the first), for each parameter ``p`` every :meth:`step` does::

        g = p.grad + weight_decay * p.data
        m = beta1 * m + (1 - beta1) * g          # m and v start at 0
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** t)             # undo the pull towards the 0 start
        v_hat = v / (1 - beta2 ** t)
        p.data = p.data - lr * m_hat / (sqrt(v_hat) + eps)

    computed in PyTorch's arrangement, ``lr / (1 - beta1**t) * m /
    (sqrt(v) / sqrt(1 - beta2**t) + eps)``, so the results agree to the last digits.
    Each parameter moves by about ``lr`` per step at first, whatever the scale of
    its gradient.

    Args:
        params: The :class:`~micrograd.engine.Value` objects to optimize, usually
            ``model.parameters()``. Each may appear only once.
        lr: The learning rate, non-negative.
        betas: The decay rates ``(beta1, beta2)`` of the running averages of the
            gradient and of its square, each in ``[0, 1)``.
        eps: Added to the denominator so that it is never zero, positive.
        weight_decay: The coefficient of an L2 penalty added to the gradient, as
            in :class:`SGD` (not the decoupled decay of AdamW), non-negative.

    Raises:
        TypeError: If ``params`` is not an iterable of Values or a number argument
            is not a number.
        ValueError: If ``params`` is empty or repeats a Value, or a number argument
            is out of its range.

    Example:
        >>> x = Value(0.0)
        >>> opt = Adam([x], lr=0.1)
        >>> loss = (x - 3) ** 2
        >>> loss.backward()
        >>> opt.step()
        >>> round(x.data, 6)  # the first step has length lr, whatever the gradient's size
        0.1
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            raise TypeError(f"Adam(): betas must be a pair (beta1, beta2), got {betas!r}")
        beta1 = _check_hyperparameter(betas[0], "betas[0]", "Adam")
        beta2 = _check_hyperparameter(betas[1], "betas[1]", "Adam")
        for name, beta in (("betas[0]", beta1), ("betas[1]", beta2)):
            if beta >= 1:
                raise ValueError(f"Adam(): {name} must be in [0, 1), got {beta!r}")
        self.betas = (beta1, beta2)
        self.eps = _check_hyperparameter(eps, "eps", "Adam")
        if self.eps == 0:
            raise ValueError(
                "Adam(): eps must be positive: it keeps the step finite for a parameter whose gradients "
                "have all been 0, got eps=0"
            )
        self.weight_decay = _check_hyperparameter(weight_decay, "weight_decay", "Adam")
        self._steps = 0
        self._m = [0.0] * len(self.params)  # running average of each gradient
        self._v = [0.0] * len(self.params)  # running average of each squared gradient

    def step(self) -> None:
        """Update every parameter's ``data`` from its ``grad``, as described above.

        Raises:
            OverflowError: If the update would make a parameter infinite or NaN, or a
                squared gradient overflows; then no parameter and no state is changed.
            TypeError: If a gradient is not a number (such as None).
        """
        lr, (beta1, beta2), eps, weight_decay = self.lr, self.betas, self.eps, self.weight_decay
        t = self._steps + 1
        step_size = lr / (1 - beta1**t)
        bias_correction2_sqrt = math.sqrt(1 - beta2**t)
        new_m, new_v, new_data = [], [], []
        for i, (p, g, m, v) in enumerate(zip(self.params, self._grads(), self._m, self._v, strict=True)):
            if weight_decay != 0:
                g = g + weight_decay * p.data
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            if not math.isfinite(v) and math.isfinite(g):
                # torch lets v become inf: the step is then 0 for ever after, silently.
                raise OverflowError(
                    f"Adam.step(): the running average of the squared gradient of params[{i}] "
                    f"overflows (its grad is {g!r}, its square too large for a float); scale the loss "
                    f"down or clip the gradients. No parameter was changed."
                )
            denom = math.sqrt(v) / bias_correction2_sqrt + eps
            new_data.append(p.data - step_size * m / denom)
            new_m.append(m)
            new_v.append(v)
        self._update(new_data, _m=new_m, _v=new_v, _steps=t)

    def __repr__(self) -> str:
        return (
            f"Adam(lr={self.lr!r}, betas={self.betas!r}, eps={self.eps!r}, "
            f"weight_decay={self.weight_decay!r}; {len(self.params)} parameters)"
        )


# -- helpers ------------------------------------------------------------------------


def _check_params(params: object, where: str) -> list[Value]:
    """``params`` as a list of distinct Values, or a clear error."""
    if hasattr(params, "parameters") and not isinstance(params, Iterable):
        raise TypeError(f"{where}: got a {type(params).__name__}; pass its parameters: model.parameters()")
    if not isinstance(params, Iterable) or isinstance(params, Value | str):
        raise TypeError(
            f"{where}: params must be an iterable of Values, such as model.parameters(); "
            f"got {params!r} ({type(params).__name__})"
        )
    result: list[Value] = []
    first_index: dict[int, int] = {}
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"{where}: params[{i}] is not a Value: {p!r} ({type(p).__name__})")
        j = first_index.setdefault(id(p), i)
        if j != i:
            raise ValueError(
                f"{where}: params[{i}] is the same Value as params[{j}]; "
                f"each parameter may appear only once, or it would be updated twice per step"
            )
        result.append(p)
    if not result:
        raise ValueError(f"{where} got an empty list of parameters")
    return result


def _check_hyperparameter(value: object, name: str, owner: str, *, non_negative: bool = True) -> float:
    """``value`` as a float, checked to be a finite (and by default non-negative) number."""
    if not _is_number(value):
        kind = type(value).__name__
        raise TypeError(f"{owner}(): {name} must be a number, got {_short_repr(value)} ({kind})")
    try:
        x = float(value)
    except OverflowError:
        raise ValueError(f"{owner}(): {name} is too large for a float, got {_short_repr(value)}") from None
    if not math.isfinite(x):
        raise ValueError(f"{owner}(): {name} must be finite, got {value!r}")
    if non_negative and x < 0:
        raise ValueError(f"{owner}(): {name} must be non-negative, got {_short_repr(value)}")
    return x
