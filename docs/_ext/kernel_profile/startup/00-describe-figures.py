"""Each matplotlib figure a page draws carries a description of itself for its alt text.

Run by the docs build's kernels before a page's first cell (docs/_ext/build_kernels.py).
Every PNG a figure is saved as gets a ``Description`` text chunk: its title, its axes (their
labels and scales) and what is drawn in them (the legend's entries). The extension
figure_alt_text turns it into the image's ``alt`` text, unless the cell gives its own.
"""

import re

from matplotlib.backend_bases import FigureCanvasBase


def _plain(text):
    """TeX markup read aloud as plain text: ``$x_1$`` becomes ``x_1``."""
    return (
        re.sub(r"\\(mathrm|text|mathbf|operatorname)\{([^}]*)\}", r"\2", text)
        .replace("$", "")
        .replace("\\", "")
    )


def _describe_axes(ax):
    parts = []
    title = _plain(ax.get_title())
    if title:
        parts.append(f'"{title}"')
    for name, label, scale in [
        ("x", ax.get_xlabel(), ax.get_xscale()),
        ("y", ax.get_ylabel(), ax.get_yscale()),
    ]:
        if label:
            scale_text = f" ({scale} scale)" if scale != "linear" else ""
            parts.append(f"{_plain(label)} on the {name} axis{scale_text}")
    drawn = []
    if ax.images:
        drawn.append("an image")
    if ax.collections:
        drawn.append("points or shaded regions")
    lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    legend = ax.get_legend()
    entries = (
        [_plain(t.get_text()) for t in legend.get_texts()]
        if legend
        else [_plain(line.get_label()) for line in lines]
    )
    if entries:
        drawn.append("curves for " + "; ".join(entries))
    elif ax.get_lines():
        drawn.append("lines")
    if drawn:
        parts.append("showing " + ", ".join(drawn))
    return ", ".join(parts)


def describe(figure):
    """One or two sentences about ``figure`` for a reader who cannot see it."""
    panels = [ax for ax in figure.axes if ax.get_label() != "<colorbar>" and ax.get_visible()]
    described = [_describe_axes(ax) for ax in panels]
    suptitle = figure._suptitle.get_text() if figure._suptitle is not None else ""
    head = f'Figure "{_plain(suptitle)}". ' if suptitle else ""
    if len(described) == 1:
        return f"{head}Plot {described[0]}.".replace("Plot .", "Plot.")
    return (
        head
        + f"{len(described)} panels. "
        + " ".join(f"Panel {i}: {text or 'no labels'}." for i, text in enumerate(described, start=1))
    )


_print_figure = FigureCanvasBase.print_figure


def _print_figure_described(self, filename, *args, **kwargs):
    if kwargs.get("format") == "png" and "metadata" not in kwargs:
        kwargs["metadata"] = {"Description": describe(self.figure)}
    return _print_figure(self, filename, *args, **kwargs)


FigureCanvasBase.print_figure = _print_figure_described
