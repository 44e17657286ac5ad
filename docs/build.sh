#!/usr/bin/env bash
# Build the documentation site, from a fresh clone or an existing one:
#
#     bash docs/build.sh
#
# Creates (or reuses) the virtual environment .venv at the root of the repository,
# installs the package with its `docs` extra, executes every page and builds the HTML
# site with warnings as errors (-W), nitpicky cross-references (-n) and --keep-going (so
# one run reports every problem). Arguments are passed on to sphinx-build.
#
# Environment:
#   PYTHON             the Python (>= 3.11) that creates .venv; default: python3
#   NB_EXECUTION_MODE  cache (default: execute only pages whose code changed), force, off
#   TORCH_INDEX_URL    where pip finds PyTorch, needed by the pages that compare with it;
#                      e.g. https://download.pytorch.org/whl/cpu for the small CPU build
set -euo pipefail
cd "$(dirname "$0")/.."

# Graphviz's dot draws every computation graph on the site: without it the build fails
# late and obscurely, so check first.
if ! command -v dot >/dev/null 2>&1; then
    echo "docs/build.sh: the Graphviz program 'dot' is not installed; the docs need it to draw graphs." >&2
    echo "Install it, then run this script again:" >&2
    echo "  Debian/Ubuntu:  sudo apt-get install graphviz" >&2
    echo "  Fedora:         sudo dnf install graphviz" >&2
    echo "  macOS:          brew install graphviz" >&2
    echo "  conda:          conda install -c conda-forge graphviz" >&2
    exit 1
fi

# The pages serve MathJax (and the in-browser runner's Pyodide and Graphviz) from the site
# itself, never from a CDN: those files come from npm packages pinned in docs/package.json.
if ! command -v npm >/dev/null 2>&1; then
    echo "docs/build.sh: npm is not installed; the site serves MathJax and other browser files" >&2
    echo "from npm packages pinned in docs/package.json, fetched at build time. Install Node.js and npm:" >&2
    echo "  Debian/Ubuntu:  sudo apt-get install npm" >&2
    echo "  macOS:          brew install node" >&2
    exit 1
fi

python="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "docs/build.sh: needs Python >= 3.11; '$python' is $("$python" --version 2>&1)." >&2
        echo "Run it with another one: PYTHON=python3.12 bash docs/build.sh" >&2
        exit 1
    fi
    echo "== creating the virtual environment .venv"
    "$python" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi

echo "== installing micrograd with its docs extra"
.venv/bin/python -m pip install --quiet -e ".[docs]"
if ! .venv/bin/python -c 'import torch' 2>/dev/null; then
    echo "== installing PyTorch (pages compare micrograd with it)"
    .venv/bin/python -m pip install --quiet ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"} "torch==2.13.0"
fi

# npm ci installs exactly the lock file's versions and checks each package's hash. It runs
# again only when the lock file changed since the last install.
if ! cmp -s docs/package-lock.json docs/node_modules/.micrograd-installed-lock.json; then
    echo "== fetching the pinned browser packages from npm (docs/package-lock.json)"
    (cd docs && npm ci --no-audit --no-fund --loglevel=error)
    cp docs/package-lock.json docs/node_modules/.micrograd-installed-lock.json
fi
echo "== browser packages served by the site (npm, pinned in docs/package-lock.json):"
(cd docs && npm ls --depth=0 | tail -n +2)

echo "== building the site (pages are executed; NB_EXECUTION_MODE=${NB_EXECUTION_MODE:-cache})"
start=$SECONDS
.venv/bin/sphinx-build -j auto -b html -n -W --keep-going docs docs/_build/html "$@"

echo
echo "Built in $((SECONDS - start)) s. Open the site:"
echo "  file://$PWD/docs/_build/html/index.html"
echo "or serve it:  .venv/bin/python -m http.server -d docs/_build/html 8000  (then http://127.0.0.1:8000/)"
