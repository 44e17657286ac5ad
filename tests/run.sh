#!/usr/bin/env bash
# The full test suite, from a fresh clone: lint, types, unit, property and doc tests,
# the documentation build, and browser tests of the built site.
#
# Needs Python >= 3.11 and the system packages named in the README (Graphviz, Chromium).
# Set MICROGRAD_SKIP_TORCH=1 to skip installing PyTorch (its comparison tests then skip, or fail
# when CI=true), or TORCH_INDEX_URL to choose where pip finds it (see below).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test,docs]"
if [[ "${MICROGRAD_SKIP_TORCH:-0}" != 1 ]]; then
    # PyTorch is a test-only dependency: the independent reference for every gradient.
    # The CI machines hold a CPU build of 2.13.0 that pip takes; elsewhere, set
    # TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu for the small CPU build
    # instead of PyPI's CUDA one (several GB).
    .venv/bin/python -m pip install --quiet ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"} "torch==2.13.0"
fi
.venv/bin/python -m pip check

echo "== ruff"
.venv/bin/ruff check micrograd tests benchmarks docs
.venv/bin/ruff format --check micrograd tests benchmarks docs/conf.py docs/_ext  # Python files; pages keep their own layout
echo "== mypy --strict"
.venv/bin/mypy
.venv/bin/mypy --strict docs/_ext/static/playgrounds  # the playgrounds' Python, run by Pyodide in the page
echo "== documentation build"
mkdir -p test-artifacts
bash docs/build.sh 2>&1 | tee test-artifacts/docs-build.log
# A green build prints no warnings, and a second build with nothing changed says so.
.venv/bin/sphinx-build -b html -n -W --keep-going docs docs/_build/html > test-artifacts/docs-rebuild.log 2>&1
if sed -n '/^== building the site/,$p' test-artifacts/docs-build.log | grep -E "WARNING|Warning:" \
    || grep -E "WARNING|Warning:|configuration has changed|[1-9][0-9]* (added|changed|removed)" test-artifacts/docs-rebuild.log; then
    echo "tests/run.sh: the docs build log has warnings, or a second build found something changed (above)" >&2
    exit 1
fi
echo "== pytest"
# One test file per worker, as many workers as cores (a file's tests share its browser and
# fixtures); the slowest tests are listed, to keep CI's time in view.
MICROGRAD_DOCS_BUILD="$PWD/docs/_build/html" .venv/bin/python -m pytest -n auto --dist loadfile --durations=25 "$@"
