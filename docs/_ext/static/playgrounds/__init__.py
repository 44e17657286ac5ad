"""The Python side of the site's playgrounds, run by the in-browser runner (Pyodide).

Each playground page draws what these modules return; every number comes from the
micrograd package itself, so what moves on the screen is the code the reader is reading.
The modules are plain Python over micrograd's public API, with no browser code: the page's
JavaScript calls them through the runner and gets back plain dicts, lists and numbers.
They are tested natively (tests/test_playgrounds_*.py) and served with the site under
``_static/playgrounds/``.

- :mod:`playgrounds.graph_steps`: a graph as a node list, and ``backward()`` one node at a time.
- :mod:`playgrounds.expression`: "Your expression, stepped": a safe parser of expressions.
- :mod:`playgrounds.neuron`: the neuron playground (sliders for x1, x2, w1, w2, b).
- :mod:`playgrounds.training`: the training playground (data sets, networks, steps).

They live with the site, not in the package: they are the site's machinery (URL state,
what a page draws), and the package stays an autograd engine with its library.

To use them in the browser, ``pycall.mjs`` (beside them) writes these files into a folder
``playgrounds/`` on Pyodide's ``sys.path``, once per session of the runner, and calls them:
``playgrounds.expression.stepped(*json.loads(arguments))``. Every function a page calls
returns JSON-ready data (dicts, lists, floats, strings), so the answer crosses to
JavaScript with ``json.dumps`` unchanged. ``_static/playgrounds/neuron-frames.json``
holds the neuron playground's numbers for use before Python has loaded.
"""
