"""What a checker returns: one :class:`Check` per check, gathered in a :class:`Report` with
its blame drawing; and the two helpers that record a check of the reader's function.
"""

from __future__ import annotations

import html
import inspect
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from micrograd.exercises.blame import Blame, _blame_table
from micrograd.exercises.budget import _describe_error
from micrograd.exercises.compare import _ATOL, _RTOL, _as_float, _close, _not_a_number, _num

# The width of a report printed as text.
_WIDTH = 88


class ExerciseFailed(AssertionError):
    """Raised by :meth:`Report.assert_passed` when a check failed; the message is the report."""


def _stopped_message(name: str, what: str, mistake: str) -> str:
    """The message of a check whose code raised: what it raised, then the likely mistake.

    The mistake starts a sentence, capitalised, unless it starts with code (``backward()``,
    ``__rmul__``), which keeps its spelling.
    """
    first = mistake.split(" ", 1)[0]
    if not any(c in first for c in "()_.*[]'\""):
        mistake = mistake[:1].upper() + mistake[1:]
    return f"{name} stopped: {what.removesuffix('.')}. {mistake}{'' if mistake.endswith('?') else '.'}"


@dataclass(frozen=True)
class Check:
    """The outcome of one check of an exercise.

    Attributes:
        name: What was checked, such as ``"x + x"``.
        passed: Whether the reader's code gave the right answer.
        message: For a failure: what came back, what was expected, and the likely
            mistake. For a pass: the fact that was confirmed.
        mistake: For a failure, the likely mistake alone, in a learner's words.
        advisory: A check that is reported but does not fail the exercise (such as a
            recursive ``backward()`` on a chain deeper than the recursion limit, before
            the tutorial that removes the recursion).

    Example:
        >>> c = Check("x + x", False, "x + x gave x.grad = 1, expected 2", "use +=")
        >>> print(c)
        ✗ x + x gave x.grad = 1, expected 2
    """

    name: str
    passed: bool
    message: str
    mistake: str = ""
    advisory: bool = False

    def __str__(self) -> str:
        mark = "✓" if self.passed else ("!" if self.advisory else "✗")
        text = self.message if self.message.startswith(self.name) else f"{self.name}: {self.message}"
        # Wrapped to fit a notebook's output and a printed page, continued lines indented.
        return textwrap.fill(f"{mark} {text}", width=_WIDTH, subsequent_indent="  ", break_on_hyphens=False)


@dataclass
class Report:
    """Every check of one exercise, and where the gradients broke.

    Attributes:
        title: The exercise, such as ``"Gradients that add up: MyValue"``.
        checks: One :class:`Check` per check, in the order they ran.
        blame: The reader's graph coloured by gradient error, for the first check
            whose gradients were wrong, or ``None``.

    Example:
        >>> from micrograd import Value
        >>> from micrograd.exercises import check_value
        >>> report = check_value(Value)  # micrograd's own Value passes, of course
        >>> report.passed
        True
        >>> print(str(report).splitlines()[0])
        Gradients that add up: MyValue: all 19 checks passed
    """

    title: str
    checks: list[Check] = field(default_factory=list)
    blame: Blame | None = None

    @property
    def passed(self) -> bool:
        """Whether every check that counts passed (advisory ones do not count)."""
        return all(c.passed or c.advisory for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        """The checks that failed, advisory ones included."""
        return [c for c in self.checks if not c.passed]

    def assert_passed(self) -> None:
        """Raise if a check failed: for a test, or a cell that must not go on.

        Raises:
            ExerciseFailed: If a check that counts failed; its message is the report.
        """
        if not self.passed:
            raise ExerciseFailed(str(self))

    def _summary(self) -> str:
        # Most checkers stop at their first failure, so the checks that ran are not all there are:
        # a failed report counts what failed and what passed, never "1 of 1".
        counted = [c for c in self.checks if not c.advisory]
        failed = [c for c in counted if not c.passed]
        if not failed:
            text = f"all {len(counted)} checks passed" if len(counted) > 1 else "the check passed"
        else:
            text = "a check failed" if len(failed) == 1 else f"{len(failed)} checks failed"
            if len(counted) > len(failed):
                text += f", {len(counted) - len(failed)} passed"
        notes = sum(1 for c in self.checks if c.advisory and not c.passed)
        if notes:
            text += f" ({notes} note{'s' if notes > 1 else ''})"
        if self.title.endswith("?"):  # "XOR, exercise 4: is one seed enough? All 2 checks passed"
            return f"{self.title} {text[:1].upper()}{text[1:]}"
        return f"{self.title}: {text}"

    def _shown(self) -> list[Check]:
        """The checks as shown: a failure whose likely mistake an earlier failure named already
        ends in "the same mistake as above" (a wrong network fails every run of a loop alike)."""
        shown: list[Check] = []
        named: set[str] = set()
        for c in self.checks:
            if c.passed or not c.mistake:
                shown.append(c)
                continue
            # The message ends in its mistake, followed by a full stop unless it is a question; as a
            # sentence of its own, capitalised, in a check that stopped on an error.
            capitalised = c.mistake[:1].upper() + c.mistake[1:]
            stop = "" if c.mistake.endswith("?") else "."
            ending = next((m for m in (c.mistake, capitalised) if c.message.endswith(m + stop)), None)
            before = c.message[: -len(ending + stop)] if ending else ""
            # Only a mistake that is a clause of its own: "gave None: the same..." reads, "gave the
            # same..." (a message whose mistake is what was given) would not.
            if ending and c.mistake in named and before.endswith((": ", ". ", "; ")):
                same = "The same" if ending == capitalised != c.mistake else "the same"
                c = replace(c, message=f"{before}{same} mistake as above.")
            else:
                named.add(c.mistake)
            shown.append(c)
        return shown

    def __str__(self) -> str:
        lines = [self._summary()]
        lines += [textwrap.indent(str(c), "  ") for c in self._shown()]
        if self.blame is not None:
            where = f"Where it breaks, in {self.blame.case}: {self.blame.culprit}."
            lines.append(textwrap.indent(textwrap.fill(where, width=_WIDTH - 2), "  "))
            lines.append(_blame_table(self.blame))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Report {self._summary()}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        """A checklist with ticks and crosses, and the blame drawing when there is one."""
        items = []
        for c in self._shown():
            if c.passed:
                mark, css, colour = "✓", "passed", "#2da44e"
            elif c.advisory:
                mark, css, colour = "!", "note", "#bf8700"
            else:
                mark, css, colour = "✗", "failed", "#cf222e"
            # A message that starts with the check's name says it once, as str() does.
            rest = c.message[len(c.name) :] if c.message.startswith(c.name) else f": {c.message}"
            items.append(
                f'<li class="micrograd-check-{css}"><span class="micrograd-check-mark" '
                f'style="color: {colour}; font-weight: bold" aria-label="{css}">{mark}</span> '
                f"<b>{html.escape(c.name)}</b>{_code_of_lines(html.escape(rest))}</li>"
            )
        parts = [
            '<div class="micrograd-report">',
            f"<p><b>{html.escape(self._summary())}</b></p>",
            '<ul class="micrograd-checklist" style="list-style: none; padding-left: 0.5em">',
            *items,
            "</ul>",
        ]
        if self.blame is not None:
            svg = self.blame.svg()
            parts.append(
                f"<p>Where it breaks, in {_CODE}{html.escape(self.blame.case)}</code>: "
                f"{html.escape(self.blame.culprit)}. Each value is coloured by how far its "
                "gradient is from the right one; the first wrong one has a thick red border.</p>"
            )
            # The DOT source travels with the drawing, so that a page without `dot` (the
            # browser) can draw it with its own Graphviz.
            parts.append(f'<div class="micrograd-blame" data-dot="{html.escape(self.blame.dot)}">')
            parts.append(svg if svg is not None else f"<pre>{html.escape(_blame_table(self.blame))}</pre>")
            parts.append("</div>")
        parts.append("</div>")
        return "\n".join(parts)


# Code in a message: "monospace" twice, or browsers set it at 13/16 of the text's size.
_CODE = '<code style="font-family: monospace, monospace; font-size: 0.9em">'


def _code_of_lines(text: str) -> str:
    """``text`` with the reader's lines that it quotes, ``(line 14: p.data -= lr)``, set as code.

    A quoted line ends at the parenthesis that closes ``(line``, counted past the line's own
    (``(line 3: for p in net.parameters(): p.zero_grad())``).
    """
    parts, done = [], 0
    for quote in re.finditer(r"\((?:cell \d+, )?line \d+: ", text):
        if quote.start() < done:
            continue  # inside a line quoted already
        depth, end = 1, quote.end()
        while end < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        if depth:
            continue  # never closed: left as text
        parts += [text[done : quote.end()], _CODE, text[quote.end() : end - 1], "</code>)"]
        done = end
    return "".join([*parts, text[done:]])


# -- checks of a reader's function ------------------------------------------------------------


def _attempt(
    report: Report, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any
) -> tuple[bool, Any]:
    """Call the reader's code; on an error, record a failed check and return (False, None)."""
    try:
        return True, fn(*args, **kwargs)
    except Exception as err:  # the reader's code may raise anything
        what, mistake = _describe_error(err, "")
        report.checks.append(Check(name, False, _stopped_message(name, what, mistake), mistake))
        return False, None


def _is_number(report: Report, name: str, got: object, subject: str = "") -> bool:
    """Whether ``got`` is a number; if not, a failed check saying what it is instead.

    ``subject`` starts the message (``"count_parameters(3, [4, 4, 1]) returned"``); by default
    the check's name and "gave".
    """
    what = _not_a_number(got)
    if what is None:
        return True
    report.checks.append(Check(name, False, f"{subject or name + ' gave'} {what}.", what))
    return False


def _not_a_list(x: object) -> str | None:
    """What ``x`` is when it is not a list of things (one number, None, a text), else ``None``.

    Example:
        >>> print(_not_a_list(0.25))
        one number, 0.25, not a list
        >>> _not_a_list([0.25, 0.5]) is None
        True
    """
    if x is None:
        return "None, not a list (did a function end without return?)"
    if x is Ellipsis:
        return "..., the placeholder: replace it with your answer"
    if isinstance(x, (str, bytes)):
        return f"the text {x!r}, not a list"
    if isinstance(x, Mapping):
        return f"a {type(x).__name__}, not a list"
    try:
        iter(x)  # type: ignore[call-overload]  # any object may come in
    except TypeError:
        pass
    else:
        return None
    if hasattr(x, "data") and hasattr(x, "grad"):
        return f"one {type(x).__name__}, not a list"
    if _not_a_number(x) is None:
        return f"one number, {_num(x)}, not a list"
    return f"a {type(x).__name__}, not a list"


def _is_list(report: Report, name: str, got: object, variable: str, mistake: str) -> bool:
    """Whether ``got`` (the reader's ``variable``) can be read as a list; if not, a failed check
    saying what it is instead (one number, None), then ``mistake``."""
    what = _not_a_list(got)
    if what is None:
        return True
    report.checks.append(Check(name, False, f"{name}: your {variable} is {what}: {mistake}.", mistake))
    return False


def _call(report: Report, name: str, fn: Any, asked: str, *args: Any, **kwargs: Any) -> tuple[bool, Any]:
    """:func:`_attempt`, saying so plainly when ``fn`` does not take the arguments the exercise
    gives it (``asked``, such as ``"train(learning_rate, steps=100, zero_grad=True)"``)."""
    try:
        inspect.signature(fn).bind(*args, **kwargs)
    except TypeError as err:
        mistake = f"write it as {asked}, as the exercise asks"
        if not callable(fn):
            mistake = f"{asked.split('(')[0]} must be a function: {mistake}"
        message = f"{name}: calling it failed ({err}): {mistake}."
        report.checks.append(Check(name, False, message, mistake))
        return False, None
    except ValueError:  # no signature to read (a builtin): the call itself says what is wrong
        pass
    return _attempt(report, name, fn, *args, **kwargs)


def _has_methods(report: Report, name: str, made: Any, class_name: str, methods: Sequence[str]) -> bool:
    """Whether the object the reader's class made has these methods; if not, a failed check saying
    which, or that the class is a function (it returned None)."""
    missing = [m for m in methods if not callable(getattr(made, m, None))]
    if not missing:
        return True
    wanted = " and ".join(f"{m}()" for m in methods)
    if made is None:
        mistake = f"write {class_name} as a class (class {class_name}:) with the methods {wanted}"
        message = f"{name} returned None, not an object: {mistake}."
    else:
        names = " or ".join(f"{m}()" for m in missing)
        mistake = f"add {' and '.join(f'def {m}(self)' for m in missing)} to the class {class_name}"
        message = f"{name}: your {class_name} has no {names} method: {mistake}."
    report.checks.append(Check(name, False, message, mistake))
    return False


def _number_check(
    report: Report,
    name: str,
    got: object,
    expected: float,
    wrongs: Sequence[tuple[float, str]],
    fallback: str,
    *,
    rtol: float = _RTOL,
    atol: float = _ATOL,
) -> bool:
    """One check of a number: passed, or failed with the mistake whose value matches; a value
    that is not a number (None, a list) is named for what it is, not read as nan."""
    if not _is_number(report, name, got):
        return False
    g = _as_float(got)
    if _close(g, expected, rtol, atol):
        report.checks.append(Check(name, True, f"{_num(expected)}"))
        return True
    mistake = fallback
    for wrong, text in wrongs:
        if not _close(wrong, expected, rtol, atol) and _close(g, wrong, max(rtol, 1e-6), atol):
            mistake = text
            break
    shown, want = _num(g), _num(expected)
    digits = 7
    while shown == want and digits <= 17:
        shown, want = f"{g:.{digits}g}", f"{expected:.{digits}g}"
        digits += 1
    report.checks.append(Check(name, False, f"{name} gave {shown}, expected {want}: {mistake}.", mistake))
    return False
