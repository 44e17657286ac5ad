"""'Your expression, stepped': the reader's text becomes micrograd Values, and nothing else runs.

Good expressions give the value and gradients of the same expression written in Python with
micrograd directly; text outside the grammar is refused with a message naming what; math
errors carry the engine's own message; the state survives a trip through a URL.
"""

from __future__ import annotations

import math

import pytest
from playgrounds.expression import (  # docs/_ext/static, put on sys.path by conftest
    MAX_LENGTH,
    ExpressionError,
    build,
    decode_state,
    encode_state,
    stepped,
)

from micrograd import Value

VALUES = {"a": 2.0, "b": -3.0, "c": 0.5, "x": 1.5, "y": 4.0}

# Each expression, and the same written in Python over micrograd Values.
GOOD = [
    ("a*b + c.tanh()", lambda a, b, c, x, y: a * b + c.tanh()),
    ("(x**2).exp() / y", lambda a, b, c, x, y: (x**2).exp() / y),
    ("-a + 3 * b - c / 4", lambda a, b, c, x, y: -a + 3 * b - c / 4),
    ("a**-2 + b**3", lambda a, b, c, x, y: a**-2 + b**3),
    (
        "(a*x + b).relu() + (a*x - b).sigmoid()",
        lambda a, b, c, x, y: (a * x + b).relu() + (a * x - b).sigmoid(),
    ),
    ("y.log() * a + 2 ** c", lambda a, b, c, x, y: y.log() * a + 2**c),
    ("a ** c", lambda a, b, c, x, y: a**c),
    ("a * a * a", lambda a, b, c, x, y: a * a * a),
    ("+x - -y", lambda a, b, c, x, y: x - (-y)),
    ("1e-3 * x.exp().log()", lambda a, b, c, x, y: 1e-3 * x.exp().log()),
]


@pytest.mark.parametrize(("text", "python"), GOOD, ids=[t for t, _ in GOOD])
def test_expression_gives_the_value_and_gradients_of_the_same_micrograd_code(
    text: str, python: object
) -> None:
    out, leaves = build(text, VALUES)
    out.backward()
    direct = {name: Value(v) for name, v in VALUES.items()}
    expected = python(**direct)  # type: ignore[operator]
    expected.backward()
    assert math.isclose(out.data, expected.data, rel_tol=1e-15, abs_tol=1e-300)
    for name in VALUES:
        assert math.isclose(leaves[name].grad, direct[name].grad, rel_tol=1e-12, abs_tol=1e-15), name

    shown = stepped(text, VALUES)
    assert shown["ok"] and shown["data"] == out.data
    assert shown["grads"] == {name: leaf.grad for name, leaf in leaves.items()}
    final = shown["frames"][-1]["grads"]
    for node in shown["nodes"]:
        if node["label"] in VALUES:
            assert math.isclose(final[node["id"]], direct[node["label"]].grad, rel_tol=1e-12, abs_tol=1e-15)


def test_a_name_used_twice_is_one_value_whose_gradient_accumulates() -> None:
    shown = stepped("a * a", {"a": 3.0})
    assert [n["label"] for n in shown["nodes"]] == ["a", "out"]
    assert shown["grads"] == {"a": 6.0}
    assert [f["node"] for f in shown["frames"]] == [None, 1, 0]


def _balanced_sum(leaves: int) -> str:
    """``((a+a)+(a+a))...``: many parts, little depth."""
    return "a" if leaves == 1 else f"({_balanced_sum(leaves // 2)}+{_balanced_sum(leaves - leaves // 2)})"


MALICIOUS = [
    ("__import__('os')", "call of '__import__'"),
    ("__import__('os').system('echo hi')", "method 'system'"),
    ("a.__class__", "attribute access to '__class__'"),
    ("a.__class__.__mro__", "attribute access to '__mro__'"),
    ("a.tanh.__globals__", "attribute access to '__globals__'"),
    ("a.data", "attribute access to 'data'"),
    ("a.__add__(b)", "method '__add__'"),
    ("a.backward()", "method 'backward'"),
    ("a.tanh(1)", "takes no arguments"),
    ("(lambda: 1)()", "call of 'Lambda'"),
    ("lambda: 1", "a lambda"),
    ("[x for x in ().__class__.__base__.__subclasses__()]", "a list comprehension"),
    ("{x: 1 for x in 'ab'}", "a dict comprehension"),
    ("(x for x in 'ab')", "a generator expression"),
    ("'text'", "only numbers"),
    ("b'bytes'", "only numbers"),
    ("1j", "only numbers"),
    ("True", "only numbers"),
    ("None", "only numbers"),
    ("open", "unknown name 'open'"),
    ("eval('1')", "call of 'eval'"),
    ("a[0]", "indexing"),
    ("a if b else c", "'if ... else'"),
    ("a < b", "a comparison"),
    ("a and b", "'and' / 'or'"),
    ("(z := 1)", "assignment with :="),
    ("f'{a}'", "an f-string"),
    ("a // b", "'//'"),
    ("a % b", "'%'"),
    ("~a", "'~'"),
    ("not a", "'not'"),
    ("a @ b", "'@'"),
    ("a, b", "a tuple"),
    ("[a]", "a list"),
    ("import os", "not a valid expression"),
    ("a = 1", "not a valid expression"),
    ("a; b", "not a valid expression"),
    ("a ** 1000", "exponent 1000.0 is too large"),
    ("a ** -101", "exponent -101.0 is too large"),
    ("-" * 30 + "a", "nested more than"),
    ("(" * 30 + "a" + "+1)" * 30, "nested more than"),
    ("a" + "+a" * 100, "characters long"),
    (_balanced_sum(32), "more than 60 parts"),
    ("1" * 400, "characters long"),
    ("", "empty"),
    ("a\x00b", "not a valid expression"),
]


@pytest.mark.parametrize(("text", "named"), MALICIOUS, ids=[t[:30] for t, _ in MALICIOUS])
def test_text_outside_the_grammar_is_refused_with_a_message_naming_it(text: str, named: str) -> None:
    with pytest.raises(ExpressionError) as error:
        build(text, {"a": 2.0, "b": 3.0, "c": 1.0})
    assert named in str(error.value)
    shown = stepped(text, {"a": 2.0, "b": 3.0, "c": 1.0})
    assert shown == {"ok": False, "error": str(error.value), "kind": "syntax"}


def test_length_limit_is_stated() -> None:
    with pytest.raises(ExpressionError, match=f"at most {MAX_LENGTH} are allowed"):
        build("a+" * MAX_LENGTH + "a", {"a": 1.0})


@pytest.mark.parametrize(
    ("text", "values", "direct"),
    [
        ("a.log()", {"a": -2.0}, lambda: Value(-2.0).log()),
        ("a / (b - b)", {"a": 1.0, "b": 2.0}, lambda: Value(1.0) / (Value(2.0) - Value(2.0))),
        ("(a * 1000).exp()", {"a": 1.0}, lambda: (Value(1.0) * 1000).exp()),
        ("a ** 0.5", {"a": -4.0}, lambda: Value(-4.0) ** 0.5),
        ("a ** b", {"a": -4.0, "b": 2.0}, lambda: Value(-4.0) ** Value(2.0)),
        ("(a ** 100) ** 100", {"a": 10.0}, lambda: (Value(10.0) ** 100) ** 100),
        ("9 ** 9 ** 9", {}, lambda: Value(9.0) ** (Value(9.0) ** 9)),  # floats: no huge integer is made
    ],
)
def test_math_errors_carry_the_engines_own_message(
    text: str, values: dict[str, float], direct: object
) -> None:
    with pytest.raises((ValueError, ZeroDivisionError, OverflowError)) as engine:
        direct()  # type: ignore[operator]
    shown = stepped(text, values)
    assert shown == {"ok": False, "error": str(engine.value), "kind": "math"}


@pytest.mark.parametrize(
    "values", [{"x": 1.0}, {"x": 3.0, "y": -2.5, "w1": 1e-3}, {"long_name_12345": 0.1}, {}]
)
def test_state_round_trips_through_the_url(values: dict[str, float]) -> None:
    text = "x*y + (x**2).exp() / 3 - w1.tanh() & é" if values else "1 + 2"
    assert decode_state(encode_state(text, values)) == (text, values)
    assert decode_state("?" + encode_state(text, values)) == (text, values)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("a=1", "no expression"),
        ("expr=a&a=1&a=2", "'a' more than once"),
        ("expr=a&a=nan", "finite number"),
        ("expr=a&a=1e999", "finite number"),
        ("expr=a&a=%3Cimg%3E", "not a number"),
        ("expr=a&__class__=1", "cannot be a name"),
        ("expr=a&1a=1", "cannot be a name"),
        ("expr=a&" + "&".join(f"v{i}=1" for i in range(9)), "at most 8 names"),
        ("expr=" + "a" * 2000, "too long"),
    ],
)
def test_a_bad_link_is_refused_with_a_message(query: str, named: str) -> None:
    with pytest.raises(ExpressionError, match=named):
        decode_state(query)


def test_a_link_with_code_in_the_expression_decodes_to_text_that_is_then_refused() -> None:
    query = encode_state("__import__('os').system('touch /tmp/pwned')", {"a": 1.0})
    text, values = decode_state(query)
    shown = stepped(text, values)
    assert shown == {
        "ok": False,
        "error": "the method 'system' is not allowed; use one of tanh, exp, log, relu, sigmoid",
        "kind": "syntax",
    }


def test_no_expression_reaches_eval_or_exec(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("eval or exec was called")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    for text, _ in GOOD:
        assert stepped(text, VALUES)["ok"]
    for text, _ in MALICIOUS:
        assert not stepped(text, {"a": 2.0, "b": 3.0, "c": 1.0})["ok"]
