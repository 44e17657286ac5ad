"""API signatures without private parameters.

``Value(data, _children, _op, _local_grads, *, label)`` is documented as
``Value(data, *, label='')``: parameters whose names start with ``_`` are the engine's
internals, not part of the API a reader calls.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def split_parameters(parameters: str) -> list[str]:
    """Split ``a, b=(1, 2), *, c=''`` at its top-level commas."""
    parts, depth, current, quote = [], 0, "", ""
    for char in parameters:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    return [*parts, current.strip()] if current.strip() else parts


def public_signature(
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """Leave out parameters whose names start with ``_``.

    Runs sphinx-autodoc-typehints' own handler first (only the first handler's answer
    counts) and trims its result.
    """
    from sphinx_autodoc_typehints import process_signature

    result = process_signature(app, what, name, obj, options, signature or "", return_annotation or "")
    if result is not None:
        signature, return_annotation = result
    if not signature or "_" not in signature:
        return result
    kept = [p for p in split_parameters(signature.strip()[1:-1]) if not p.lstrip("*").startswith("_")]
    if kept and kept[-1] == "*":
        kept.pop()  # a bare * with nothing after it is a syntax error
    return f"({', '.join(kept)})", return_annotation


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_autodoc_typehints")
    app.connect("autodoc-process-signature", public_signature, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
