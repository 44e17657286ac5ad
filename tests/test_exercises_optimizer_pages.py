"""The checkers of *Multiclass*, exercise 3, and of *Optimizers* fail every wrong answer that a
learner review found passing, pass the right answers it found failing, and name each slip it
found told something else.

Each test puts one learner's slip into an otherwise right answer; the reference runs are
computed here, with micrograd's optimizers in the page's own loop, not by the checker's code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from test_exercises import failed_with, reader_value_class

from micrograd import Value
from micrograd.exercises import check_cross_entropy_by_hand

# -- Multiclass, exercise 3: cross-entropy by hand -----------------------------------------------


def cross_entropy(slip: str = "", V: Any = Value) -> Callable[..., Any]:
    """The page's mean_cross_entropy_by_hand on the class V, or with one of a learner's slips."""

    def loss(batch_logits: list[list[Any]], targets: list[int]) -> Any:
        whole_batch = max(z.data for logits in batch_logits for z in logits)
        total = V(0.0)
        for logits, target in zip(batch_logits, targets, strict=True):
            m = whole_batch if slip == "one max" else max(z.data for z in logits)
            exps = [(z - m).exp() for z in logits]
            if slip == "-log p":
                total = total - (exps[target] / sum(exps, V(0.0))).log()
            else:
                total = total + (m + sum(exps, V(0.0)).log() - logits[target])
        return total / (len(targets) - 1 if slip == "n - 1" else len(targets))

    return loss


def test_cross_entropy_with_one_max_for_the_whole_batch_fails_and_is_told_each_examples_own() -> None:
    V = reader_value_class()
    assert check_cross_entropy_by_hand(cross_entropy()).passed
    assert check_cross_entropy_by_hand(cross_entropy(V=V), value_class=V).passed
    for report in (
        check_cross_entropy_by_hand(cross_entropy("one max")),
        check_cross_entropy_by_hand(cross_entropy("one max", V), value_class=V),
    ):
        failed_with(report, "subtract each example's own largest logit")


def test_cross_entropy_as_minus_log_p_is_told_that_p_underflowed_not_a_line_of_the_log() -> None:
    V = reader_value_class()
    for report in (
        check_cross_entropy_by_hand(cross_entropy("-log p")),
        check_cross_entropy_by_hand(cross_entropy("-log p", V), value_class=V),
    ):
        failed_with(report, "p_y underflowed to 0")
        failed_with(report, "not -log p_y")
        assert "raised by your code" not in str(report), str(report)


def test_cross_entropy_divided_by_one_less_than_the_batch_is_told_so_not_a_negative_power() -> None:
    V = reader_value_class()
    for report in (
        check_cross_entropy_by_hand(cross_entropy("n - 1")),
        check_cross_entropy_by_hand(cross_entropy("n - 1", V), value_class=V),
    ):
        failed_with(report, "not len(targets) - 1")
        assert "negative power" not in str(report), str(report)
