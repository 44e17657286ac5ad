"""Write ``moons.json``: the 100 two-moons points of the classic micrograd demo.

The classic demo draws its data with scikit-learn::

    X, y = make_moons(n_samples=100, noise=0.1, random_state=1)

The benchmark environments hold nothing but an engine, so the points are made once,
here, and stored as JSON (``repr`` of each float, which round-trips exactly). Run it
with any Python that has scikit-learn, for example the project's dev environment::

    .venv/bin/python benchmarks/make_moons_data.py          # (re)write moons.json
    .venv/bin/python benchmarks/make_moons_data.py --check  # verify the stored file
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sklearn.datasets import make_moons

PATH = Path(__file__).resolve().parent / "moons.json"


def moons() -> dict[str, object]:
    X, y = make_moons(n_samples=100, noise=0.1, random_state=1)
    return {
        "source": "sklearn.datasets.make_moons(n_samples=100, noise=0.1, random_state=1)",
        "X": [[float(a), float(b)] for a, b in X],
        # The demo turns the 0/1 labels into -1/+1 for the hinge loss.
        "y": [int(label) * 2 - 1 for label in y],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare moons.json with make_moons")
    args = parser.parse_args()
    data = moons()
    if args.check:
        stored = json.loads(PATH.read_text())
        if stored != data:
            print(f"{PATH} differs from make_moons(); rewrite it without --check", file=sys.stderr)
            return 1
        print(f"{PATH} matches make_moons()")
        return 0
    # One point per line: short lines, readable diffs.
    points = ",\n  ".join(json.dumps(point) for point in data["X"])  # type: ignore[attr-defined]
    source, labels = json.dumps(data["source"]), json.dumps(data["y"])
    PATH.write_text(f'{{"source": {source},\n "X": [\n  {points}\n ],\n "y": {labels}}}\n')
    print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
