"""Benchmark this engine against the classic micrograd 0.1.0, side by side.

Usage, from the repository root (standard library only; Python >= 3.11)::

    python3 benchmarks/run.py              # the full benchmark, ~8 minutes on an idle machine
    python3 benchmarks/run.py --quick      # a smoke test of the machinery, well under a minute
    python3 benchmarks/run.py --help       # repetitions, sizes, which workloads

Both engines are imported as ``micrograd``, so each lives in its own virtual environment
under ``benchmarks/.venvs/``: ``this`` has this repository's last commit installed
(reinstalled when the commit changes; ``--working-tree`` installs the working tree instead,
uncommitted changes included), ``classic`` has ``micrograd==0.1.0`` from PyPI. The same workload
files (``benchmarks/workloads/``) run in both, each run in a fresh interpreter, the two
engines taking turns, several repetitions each. The machine is shared and its timings are
noisy: the table shows medians and the ratios between the engines in the same run.

The training step is also run without an engine, taking turns with the two: by hand on
plain floats (``workloads/float_step.py``, the floor, in the ``this`` environment) and with
PyTorch (``workloads/torch_step.py``, on the same scalar graph and vectorized, in the Python
given by ``--torch-python``, by default this one if it has PyTorch). A second table gives
each as a multiple of the floor, and checks this engine's against its target.

When Chromium and a built site are there, the training step also runs in the browser, taking
turns with the others: ``browser_runner.py --json-step`` serves the site from 127.0.0.1 with
the wheel of the code measured here in place of the site's own, and runs the engine's step and
the float step in the site's Pyodide, in the Python given by ``--browser-python`` (one with
Playwright, by default this one if it has it). A third table gives each against the same step
run natively in the same round, and checks the engine's against its target (the browser's steps
timed after a warm-up; a row gives the engine's first steps in a new page).

The results go to ``benchmarks/results/`` (JSON and a markdown table, not committed) and,
after a full run of the last commit with the default sizes, to
``docs/explanation/benchmark-results.json`` and ``.md.txt``, which the documentation's
Performance page shows.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from browser_runner import BROWSER_RATIO, CHROMIUM, WARM_UP_SECONDS

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORKLOADS = HERE / "workloads"
VENVS = HERE / ".venvs"
WHEELS = VENVS / "this" / "wheel"  # the wheel installed in the "this" environment
RESULTS = HERE / "results"
PUBLISHED = REPO / "docs" / "explanation" / "benchmark-results.json"
# The table as MyST markdown, for the Performance page to include. Not ".md", which Sphinx
# would take for a page of its own.
PUBLISHED_TABLE = REPO / "docs" / "explanation" / "benchmark-results.md.txt"

THIS, CLASSIC = "this", "classic"
ENGINE_NAMES = {THIS: "this engine", CLASSIC: "classic micrograd 0.1.0"}
# The training step's references: the same step without an engine. Each is a workload file
# and its arguments; the float floor runs in this engine's environment (the same Python),
# PyTorch in the Python given by --torch-python.
FLOATS, TORCH_SCALAR, TORCH_VECTORIZED = "floats", "torch_scalar", "torch_vectorized"
REFERENCES = {
    FLOATS: (WORKLOADS / "float_step.py", []),
    TORCH_SCALAR: (WORKLOADS / "torch_step.py", ["scalar"]),
    TORCH_VECTORIZED: (WORKLOADS / "torch_step.py", ["vectorized"]),
}
ENGINE_NAMES |= {
    FLOATS: "plain floats by hand",
    TORCH_SCALAR: "PyTorch, scalar graph",
    TORCH_VECTORIZED: "PyTorch, vectorized",
}
# The training step in Chromium: this engine's and the float floor's, in one page of the site.
BROWSER = "browser"
ENGINE_NAMES[BROWSER] = "both in Chromium"

# The targets of the performance issue, checked against every full run.
TRAIN_STEP_SPEEDUP = 10.0
FLOOR_RATIO = 4.0  # this engine's training step, at most this many times the float floor's
DEMO_SECONDS = 10.0
DEPTH_BACKWARD_SECONDS = 5.0
MEMORY_FRACTION = 0.25
GROWTH_BYTES = 10 * 2**20
SAME_LOSSES = 1e-9

Run = dict[str, Any]


def main() -> int:
    args = parse_args()
    started = time.perf_counter()
    python_this, installed = setup_this(args.working_tree)
    pythons = {THIS: python_this, CLASSIC: setup_classic(), FLOATS: python_this}
    torch_python = find_torch_python(args.torch_python)
    if torch_python is not None:
        pythons |= {TORCH_SCALAR: torch_python, TORCH_VECTORIZED: torch_python}
    else:
        say("PyTorch not found (see --torch-python): the training step is measured without it")
    references = dict(REFERENCES)
    browser_python, browser_missing = find_browser(args.browser_python, args.site)
    if browser_python is not None:
        pythons[BROWSER] = browser_python
        wheel = installed["wheel"]
        # The workload's own argument, the number of steps, comes last: after --steps.
        options = ["--json-step", f"--site={args.site.resolve()}", f"--wheel={wheel}", "--steps"]
        references[BROWSER] = (HERE / "browser_runner.py", options)
    else:
        say(f"the training step is not measured in the browser: {browser_missing}")
    sizes = quick_sizes() if args.quick else default_sizes()
    plan = [
        ("train_step", [str(sizes["train_steps"])], args.repeats),
        ("full_demo", [str(sizes["demo_steps"])], args.demo_repeats),
        ("depth", [str(sizes["depth"])], args.depth_repeats),
        ("memory", [str(sizes["memory_nodes"]), str(sizes["memory_graphs"])], args.memory_repeats),
    ]
    plan = [step for step in plan if not args.only or step[0] in args.only]
    runs: dict[str, dict[str, list[Run]]] = {}
    for workload, workload_args, repeats in plan:
        # The training step is also measured without an engine: the references take turns too.
        engines = [THIS, CLASSIC] + (
            [e for e in references if e in pythons] if workload == "train_step" else []
        )
        runs[workload] = {e: [] for e in engines}
        for rep in range(repeats):
            # The engines take turns, and the one that goes first changes from run to run.
            shift = rep % len(engines)
            order = engines[shift:] + engines[:shift]
            if rep % 2:
                order.reverse()
            for engine in order:
                script, extra = references.get(engine, (WORKLOADS / f"{workload}.py", []))
                result = run_workload(pythons[engine], engine, script, [*extra, *workload_args])
                runs[workload][engine].append(result)
                say(f"{workload:<10} run {rep + 1}/{repeats}  {ENGINE_NAMES[engine]:<24} {brief(result)}")

    if args.working_tree and source_digest() != installed["digest"]:
        installed["description"] += " (the package's source changed during the run: run it again)"
    seconds = time.perf_counter() - started
    report = build_report(args, sizes, runs, seconds, installed["description"], browser_missing)
    markdown = render_markdown(report)
    report["markdown"] = markdown
    print()
    print(markdown)

    RESULTS.mkdir(exist_ok=True)
    stamp = report["date"].replace(":", "").replace("-", "")
    for path in (RESULTS / f"{stamp}.json", RESULTS / "latest.json"):
        path.write_text(json.dumps(report, indent=1) + "\n")
    for path in (RESULTS / f"{stamp}.md", RESULTS / "latest.md"):
        path.write_text(markdown + "\n")
    say(f"\nwrote {RESULTS / (stamp + '.json')} and {RESULTS / (stamp + '.md')}")
    # Only the committed code, at the default sizes, with every workload, gets published.
    complete = not args.quick and not args.only and not args.working_tree and sizes == default_sizes()
    if complete and not args.no_publish:
        PUBLISHED.write_text(json.dumps(report, indent=1) + "\n")
        PUBLISHED_TABLE.write_text(markdown + "\n")
        names = f"{PUBLISHED.relative_to(REPO)} and {PUBLISHED_TABLE.name}"
        say(f"wrote {names}, shown on the docs' Performance page: commit them to publish")
    elif not args.no_publish:
        say(f"not written to {PUBLISHED.relative_to(REPO)}: only a full run of the last commit is")
    return 0 if report["all_targets_met"] or not complete else 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark this micrograd against the classic micrograd 0.1.0 (see the module docstring)."
    )
    parser.add_argument("--repeats", type=int, default=7, help="runs of the training step (default 7)")
    parser.add_argument("--demo-repeats", type=int, default=1, help="runs of the full demo (default 1)")
    parser.add_argument("--depth-repeats", type=int, default=3, help="runs of the depth test (default 3)")
    parser.add_argument("--memory-repeats", type=int, default=1, help="runs of the memory test (default 1)")
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each: a smoke test")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["train_step", "full_demo", "depth", "memory"],
        help="run only these workloads",
    )
    parser.add_argument(
        "--no-publish", action="store_true", help="do not write docs/explanation/benchmark-results.json"
    )
    parser.add_argument(
        "--torch-python",
        help="a Python with PyTorch, for the training step's PyTorch rows (default: the Python "
        "running this script, if it has PyTorch; 'none' leaves them out)",
    )
    parser.add_argument(
        "--browser-python",
        help="a Python with Playwright, for the training step in Chromium (default: the Python "
        "running this script, if it has Playwright; 'none' leaves it out)",
    )
    parser.add_argument(
        "--site",
        type=Path,
        default=REPO / "docs" / "_build" / "html",
        help="the built documentation site whose Pyodide runs the browser's step (default: docs/_build/html)",
    )
    parser.add_argument(
        "--working-tree",
        action="store_true",
        help="measure the working tree, uncommitted changes included (default: the last commit)",
    )
    args = parser.parse_args()
    if args.quick:
        args.repeats = args.demo_repeats = args.depth_repeats = args.memory_repeats = 1
    python = Path(sys.executable)  # shown as run: the project's .venv has PyTorch and Playwright
    shown = str(python.relative_to(REPO)) if python.is_relative_to(REPO) else "python3"
    args.command = shlex.join([shown, "benchmarks/run.py", *sys.argv[1:]])
    return args


def default_sizes() -> dict[str, int]:
    return {
        "train_steps": 5,
        "demo_steps": 100,
        "depth": 1_000_000,
        "memory_nodes": 100_000,
        "memory_graphs": 20,
    }


def quick_sizes() -> dict[str, int]:
    return {"train_steps": 2, "demo_steps": 5, "depth": 20_000, "memory_nodes": 10_000, "memory_graphs": 3}


# -- the two environments ------------------------------------------------------------------


def setup_this(working_tree: bool) -> tuple[Path, dict[str, str]]:
    """The environment with this repository installed: its last commit, or its working tree.

    Returns the environment's Python, and what was installed: a digest that tells when
    to reinstall, and a description for the report.
    """
    python = make_venv(THIS)
    head = git_head()
    if working_tree or head is None:
        digest = source_digest()
        dirty = head is not None and git_is_dirty()
        description = f"working tree of {head[:7] if head else 'an unknown commit'}" + (
            ", with uncommitted changes to the package" if dirty else ""
        )
    else:
        digest, description = head, f"{head[:7]} (committed code only)"
    stamp = VENVS / THIS / "installed-source.txt"
    if not stamp.exists() or stamp.read_text() != digest or not list(WHEELS.glob("*.whl")):
        say(f"installing this repository ({description}) into benchmarks/.venvs/this ...")
        # A wheel, kept: the browser's training step runs the same one.
        shutil.rmtree(WHEELS, ignore_errors=True)
        with tempfile.TemporaryDirectory() as snapshot:
            if working_tree or head is None:
                source = str(REPO)
            else:
                export_commit(head, Path(snapshot))
                source = snapshot
            pip(python, "wheel", "--no-deps", "--wheel-dir", str(WHEELS), source)
        pip(python, "install", "--force-reinstall", "--no-deps", str(this_wheel()))
        stamp.write_text(digest)
    return python, {"digest": digest, "description": description, "wheel": str(this_wheel())}


def this_wheel() -> Path:
    """The wheel of this repository that the ``this`` environment has installed."""
    [wheel] = WHEELS.glob("*.whl")
    return wheel


def wheel_files(wheel: Path) -> dict[str, str]:
    """The SHA-256 of each file of the package ``micrograd`` in ``wheel``, by its path in the package."""
    with zipfile.ZipFile(wheel) as archive:
        return {
            name.removeprefix("micrograd/"): hashlib.sha256(archive.read(name)).hexdigest()
            for name in archive.namelist()
            if name.startswith("micrograd/") and not name.endswith("/")
        }


def export_commit(commit: str, destination: Path) -> None:
    """Write the files of ``commit`` to ``destination``, leaving the working tree alone."""
    archive = subprocess.run(["git", "archive", commit], cwd=REPO, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4: refuse unsafe paths
            tar.extractall(destination, filter="data")
        else:
            tar.extractall(destination)  # our own repository's archive


def setup_classic() -> Path:
    python = make_venv(CLASSIC)
    stamp = VENVS / CLASSIC / "installed.txt"
    if not stamp.exists():
        say("installing micrograd==0.1.0 into benchmarks/.venvs/classic ...")
        pip(python, "install", "micrograd==0.1.0")
        stamp.write_text("micrograd==0.1.0\n")
    return python


def find_torch_python(given: str | None) -> Path | None:
    """The Python that runs the PyTorch references, or None to leave them out."""
    if given is not None:
        return None if given == "none" else Path(given)
    has_torch = subprocess.run(
        [sys.executable, "-c", "import torch"], cwd=VENVS.parent, capture_output=True, check=False
    )
    return Path(sys.executable) if has_torch.returncode == 0 else None


def find_browser(given: str | None, site: Path) -> tuple[Path | None, str]:
    """The Python (one with Playwright) that runs the browser's training step, or None and why not."""
    if given == "none":
        return None, "--browser-python none"
    python = Path(given) if given is not None else Path(sys.executable)
    has_playwright = subprocess.run(
        [str(python), "-c", "import playwright"], cwd=VENVS.parent, capture_output=True, check=False
    )
    if has_playwright.returncode != 0:
        return None, f"{python} has no Playwright (see --browser-python)"
    if not CHROMIUM.exists():
        return None, f"no Chromium at {CHROMIUM} (set MICROGRAD_CHROMIUM to its path)"
    if not (site / "_static" / "runner" / "runner.js").exists():
        return None, f"no built site at {site} (build it with: bash docs/build.sh)"
    return python, ""


def make_venv(name: str) -> Path:
    """The environment ``name``, made by the Python running this script (remade if another made it).

    The engines and the floor run in it, so that the Python the report names is the one measured.
    """
    path = VENVS / name
    python = path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists() or venv_python_version(path) != platform.python_version():
        version = platform.python_version()
        say(f"creating the virtual environment benchmarks/.venvs/{name} (Python {version}) ...")
        venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return python


def venv_python_version(path: Path) -> str | None:
    """The version of the Python that made the virtual environment at ``path``, from its pyvenv.cfg."""
    try:
        lines = (path / "pyvenv.cfg").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        key, _, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            return value.strip()
    return None


def pip(python: Path, *args: str) -> None:
    subprocess.run(
        [str(python), "-m", "pip", "--quiet", "--disable-pip-version-check", *args],
        check=True,
        cwd=VENVS,  # not the repository root, whose micrograd/ would shadow the installed one
    )


def source_digest() -> str:
    """A digest of everything that goes into this repository's installed package."""
    digest = hashlib.sha256()
    files = [REPO / "pyproject.toml", *sorted((REPO / "micrograd").rglob("*"))]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# -- running the workloads -----------------------------------------------------------------


def run_workload(python: Path, engine: str, script: Path, args: list[str]) -> Run:
    """Run one workload file in a fresh interpreter of an environment; return its JSON result."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    proc = subprocess.run(
        [str(python), str(script), *args],
        cwd=WORKLOADS,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{script.name} failed in the {engine} environment:\n{proc.stdout}{proc.stderr}")
    result: Run = json.loads(proc.stdout.strip().splitlines()[-1])
    installed = Path(result["engine"]["file"]).resolve()
    if engine in (THIS, CLASSIC) and not installed.is_relative_to(VENVS / engine):
        raise SystemExit(f"the {engine} environment imported micrograd from {installed}, not from itself")
    if engine == BROWSER and result["files"] != wheel_files(this_wheel()):
        raise SystemExit(f"the browser ran another micrograd than {this_wheel().name}, the code measured")
    return result


def brief(result: Run) -> str:
    """One line about one run, for the progress log."""
    workload = result["workload"]
    if workload == "train_step" and "float_seconds" in result:  # the browser's
        engine, floats = (statistics.median(result[key]) for key in ("seconds", "float_seconds"))
        return f"{engine:.4f} s/step, plain floats {floats:.4f} s/step"
    if workload == "train_step":
        return f"{statistics.median(result['seconds']):.4f} s/step"
    if workload == "full_demo":
        return f"{result['seconds']:.2f} s, accuracy {result['final_accuracy']:.0%}"
    if workload == "depth":
        backward = result["backward_seconds"]
        done = f"backward {backward:.2f} s" if backward is not None else result["error"][:40]
        return f"build {result['build_seconds']:.2f} s, {done}"
    return f"{result['bytes_per_node']:.0f} bytes/node, growth {result['growth_bytes'] / 2**20:.2f} MiB"


def say(message: str) -> None:
    print(message, flush=True)


# -- the report ----------------------------------------------------------------------------


def build_report(
    args: argparse.Namespace,
    sizes: dict[str, int],
    runs: dict[str, dict[str, list[Run]]],
    seconds: float,
    commit: str,
    browser_missing: str,
) -> dict[str, Any]:
    rows: list[dict[str, str]] = []
    reference_rows: list[dict[str, str]] = []
    browser_rows: list[dict[str, str]] = []
    summary: dict[str, Any] = {}
    verdicts: list[bool] = []

    def row(
        workload: str, measure: str, this: str, classic: str, ratio: str, target: str, met: bool | None
    ) -> None:
        shown = "" if met is None else verdict(met, verdicts)
        rows.append(
            {"workload": workload, "measure": measure, "this": this, "classic": classic, "ratio": ratio}
            | {"target": target, "met": shown}
        )

    if "train_step" in runs:
        r = runs["train_step"]
        native = [e for e in r if e != BROWSER]  # the browser's table comes after
        wall = {e: statistics.median(step_time(run, "seconds") for run in r[e]) for e in native}
        cpu = {e: statistics.median(step_time(run, "cpu_seconds") for run in r[e]) for e in native}
        speedup = wall[CLASSIC] / wall[THIS]
        diff = loss_difference(r[THIS], [run["losses"] for run in r[CLASSIC]])
        summary |= {"train_step_seconds": wall, "train_step_cpu_seconds": cpu, "train_step_speedup": speedup}
        summary["train_step_cpu_speedup"] = cpu[CLASSIC] / cpu[THIS]
        summary["train_step_max_loss_difference"] = diff
        name = f"Training step (two moons, {sizes['train_steps']} steps)"
        row(name, "time per step", timed(wall[THIS], cpu[THIS]), timed(wall[CLASSIC], cpu[CLASSIC]),
            f"{speedup:.1f}x faster", f"≥ {TRAIN_STEP_SPEEDUP:g}x faster",
            speedup >= TRAIN_STEP_SPEEDUP)  # fmt: skip
        first, last = (f"{r[e][0]['losses'][0]:.6f} … {r[e][0]['losses'][-1]:.6f}" for e in (THIS, CLASSIC))
        row(name, "losses from the same seed", first, last, f"differ by {difference_text(diff)}",
            "same to 1e-9", diff <= SAME_LOSSES)  # fmt: skip
        reference_rows.extend(reference_table(r, summary, verdicts))
        browser_rows.extend(browser_table(r, summary, verdicts))

    if "full_demo" in runs:
        r = runs["full_demo"]
        wall = {e: statistics.median(run["seconds"] for run in r[e]) for e in (THIS, CLASSIC)}
        cpu = {e: statistics.median(run["cpu_seconds"] for run in r[e]) for e in (THIS, CLASSIC)}
        accuracy = {e: r[e][0]["final_accuracy"] for e in (THIS, CLASSIC)}
        summary |= {"demo_seconds": wall, "demo_cpu_seconds": cpu, "demo_speedup": wall[CLASSIC] / wall[THIS]}
        summary["demo_final_accuracy"] = accuracy
        row(f"Full demo ({sizes['demo_steps']} steps)", "wall time",
            f"{timed(wall[THIS], cpu[THIS])}, accuracy {accuracy[THIS]:.0%}",
            f"{timed(wall[CLASSIC], cpu[CLASSIC])}, accuracy {accuracy[CLASSIC]:.0%}",
            f"{wall[CLASSIC] / wall[THIS]:.1f}x faster", f"< {DEMO_SECONDS:g} s",
            wall[THIS] < DEMO_SECONDS and (sizes["demo_steps"] < 100 or accuracy[THIS] == 1.0))  # fmt: skip

    if "depth" in runs:
        r = runs["depth"]
        name = f"Depth ({sizes['depth']:,}-step chain)"

        def median_of(key: str, e: str) -> float | None:
            times = [run[key] for run in r[e]]
            return None if None in times else statistics.median(times)

        build = {e: median_of("build_seconds", e) for e in (THIS, CLASSIC)}
        build_cpu = {e: median_of("build_cpu_seconds", e) for e in (THIS, CLASSIC)}
        backward = {e: median_of("backward_seconds", e) for e in (THIS, CLASSIC)}
        backward_cpu = {e: median_of("backward_cpu_seconds", e) for e in (THIS, CLASSIC)}
        summary |= {"depth_build_seconds": build, "depth_build_cpu_seconds": build_cpu}
        summary |= {"depth_backward_seconds": backward, "depth_backward_cpu_seconds": backward_cpu}
        summary["depth_classic_error"] = next((run["error"] for run in r[CLASSIC] if "error" in run), None)
        summary["depth_recursion_limit"] = r[THIS][0]["recursion_limit"]
        summary["depth_grad_relative_error"] = max(run.get("grad_relative_error", 0.0) for run in r[THIS])

        def backward_text(e: str) -> str:
            wall, cpu = backward[e], backward_cpu[e]
            return timed(wall, cpu) if wall is not None and cpu is not None else "RecursionError"

        this_b = backward[THIS]
        row(name, f"backward, default recursion limit ({r[THIS][0]['recursion_limit']})",
            backward_text(THIS), backward_text(CLASSIC), "", f"< {DEPTH_BACKWARD_SECONDS:g} s",
            this_b is not None and this_b < DEPTH_BACKWARD_SECONDS)  # fmt: skip
        b_this, b_classic = build[THIS] or 0.0, build[CLASSIC] or 0.0
        row(name, "building the chain", timed(b_this, build_cpu[THIS] or 0.0),
            timed(b_classic, build_cpu[CLASSIC] or 0.0), f"{b_classic / b_this:.1f}x faster",
            "", None)  # fmt: skip

    if "memory" in runs:
        r = runs["memory"]
        name = f"Memory ({sizes['memory_nodes']:,}-node graph)"
        per_node = {e: statistics.median(run["bytes_per_node"] for run in r[e]) for e in (THIS, CLASSIC)}
        growth = {e: max(run["growth_bytes"] for run in r[e]) for e in (THIS, CLASSIC)}
        peak = {e: max(run["peak_bytes"] for run in r[e]) for e in (THIS, CLASSIC)}
        summary |= {"bytes_per_node": per_node, "growth_bytes": growth, "peak_bytes": peak}
        fraction = per_node[THIS] / per_node[CLASSIC]
        row(name, "bytes per node", f"{per_node[THIS]:,.0f}", f"{per_node[CLASSIC]:,.0f}",
            f"{1 / fraction:.1f}x less", "≤ ¼ of classic", fraction <= MEMORY_FRACTION)  # fmt: skip
        graphs = sizes["memory_graphs"]
        row(name, f"growth after building and dropping {graphs} graphs", mib_text(growth[THIS]),
            mib_text(growth[CLASSIC]), "", f"< {GROWTH_BYTES / 2**20:g} MiB",
            growth[THIS] < GROWTH_BYTES)  # fmt: skip
        row(name, f"peak while building {graphs} graphs", mib_text(peak[THIS]), mib_text(peak[CLASSIC]),
            f"{peak[CLASSIC] / peak[THIS]:.1f}x less", "", None)  # fmt: skip

    engines = {e: next(iter(next(iter(runs.values()))[e]))["engine"] for e in (THIS, CLASSIC)}
    return {
        "command": args.command,
        "date": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "machine": machine(),
        "commit": commit,
        "engines": engines,
        "settings": {
            "sizes": sizes,
            "repeats": {
                "train_step": args.repeats,
                "full_demo": args.demo_repeats,
                "depth": args.depth_repeats,
                "memory": args.memory_repeats,
            },
        },
        "total_seconds": round(seconds, 1),
        "rows": rows,
        "reference_rows": reference_rows,
        "browser_rows": browser_rows,
        "browser_python": next((run["python"] for run in runs.get("train_step", {}).get(BROWSER, [])), None),
        "browser_not_measured": browser_missing,
        "summary": summary,
        "all_targets_met": all(verdicts),
        "runs": runs,
    }


def step_time(run: Run, clock: str) -> float:
    """A run's time per training step: the median of its steps."""
    return statistics.median(run[clock])


def loss_difference(runs: list[Run], others: list[list[float]], key: str = "losses") -> float:
    """The largest difference between a step's loss in ``runs`` (under ``key``) and in ``others``."""
    return max(abs(a - b) for run in runs for losses in others for a, b in zip(run[key], losses, strict=True))


def difference_text(diff: float) -> str:
    """A difference of losses for a table: at most so much, or exactly 0."""
    return "0" if diff == 0 else f"≤ {diff:.1e}"


def verdict(ok: bool, verdicts: list[bool]) -> str:
    """Record whether a target is met, and say so in the table's words."""
    verdicts.append(ok)
    return "yes" if ok else "NO"


def reference_table(
    r: dict[str, list[Run]], summary: dict[str, Any], verdicts: list[bool]
) -> list[dict[str, str]]:
    """The training step of every engine and reference, as a multiple of the float floor's.

    Each ratio is the median, over the repetitions, of the ratio of two runs of the same
    round (every implementation runs once per round, in turn): the machine's load changes less
    within a round than across the whole benchmark.
    The ratios compare CPU times, which other programs on a shared machine inflate less than
    they inflate wall-clock times (every implementation here computes on one core).
    """
    if FLOATS not in r:
        return []
    descriptions = {
        FLOATS: "Plain Python floats, forward and backward derived by hand (the floor)",
        THIS: "This engine (a graph of Values)",
        CLASSIC: "Classic micrograd 0.1.0",
        TORCH_SCALAR: "PyTorch on the same scalar graph (a 0-d float64 tensor per value, eager)",
        TORCH_VECTORIZED: "PyTorch vectorized (float64 tensors: a matrix product per layer)",
    }
    floor_losses = [run["losses"] for run in r[FLOATS]]
    table, ratios = [], {}
    for e in (FLOATS, THIS, CLASSIC, TORCH_SCALAR, TORCH_VECTORIZED):
        if e not in r:
            continue
        pairs = zip(r[e], r[FLOATS], strict=True)
        ratio = statistics.median(step_time(a, "cpu_seconds") / step_time(b, "cpu_seconds") for a, b in pairs)
        wall = statistics.median(step_time(run, "seconds") for run in r[e])
        cpu = statistics.median(step_time(run, "cpu_seconds") for run in r[e])
        diff = loss_difference(r[e], floor_losses)
        ratios[e] = ratio
        target, met = ("", "")
        if e == THIS:
            target, met = f"≤ {FLOOR_RATIO:g}x the floor", verdict(ratio <= FLOOR_RATIO, verdicts)
        if e != FLOATS:
            verdicts.append(diff <= SAME_LOSSES)
        table.append(
            {"implementation": descriptions[e], "time": timed(wall, cpu), "ratio": ratio_text(ratio)}
            | {"losses": "" if e == FLOATS else difference_text(diff), "target": target, "met": met}
        )
    summary["train_step_times_the_floor"] = ratios
    return table


def browser_table(
    r: dict[str, list[Run]], summary: dict[str, Any], verdicts: list[bool]
) -> list[dict[str, str]]:
    """The training step in Chromium, this engine's and the floor's, against the same step natively.

    Each ratio is the median, over the repetitions, of the browser's time per step over the
    native one's in the same repetition. Both are wall-clock times (the browser's Python has no
    clock of its own process's time); the runs taking turns keep the machine's load alike for the two.
    The target is the engine's after the browser's warm-up; a row shows its first steps in a new page.
    """
    if BROWSER not in r or FLOATS not in r:
        return []
    floor_losses = [run["losses"] for run in r[FLOATS]]
    table, ratios = [], {}
    for e, times, losses, key, description in (
        (THIS, "seconds", "losses", THIS, "This engine"),
        (THIS, "first_seconds", "first_losses", "first steps", "This engine, a new page's first steps"),
        (FLOATS, "float_seconds", "float_losses", FLOATS, "Plain Python floats (the floor)"),
    ):
        in_browser = [statistics.median(run[times]) for run in r[BROWSER]]
        native = [step_time(run, "seconds") for run in r[e]]
        ratio = statistics.median(b / n for b, n in zip(in_browser, native, strict=True))
        diff = loss_difference(r[BROWSER], floor_losses, losses)
        verdicts.append(diff <= SAME_LOSSES)
        ratios[key] = ratio
        target, met = ("", "")
        if key == THIS:
            target, met = f"≤ {BROWSER_RATIO:g}x native", verdict(ratio <= BROWSER_RATIO, verdicts)
        table.append(
            {"implementation": description, "browser": seconds_text(statistics.median(in_browser))}
            | {"native": seconds_text(statistics.median(native)), "ratio": ratio_text(ratio)}
            | {"losses": difference_text(diff), "target": target, "met": met}
        )
    summary["train_step_browser_times_native"] = ratios
    return table


def render_markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    load = m["load_average_at_end"]
    lines = [
        f"- **Command:** `{report['command']}`",
        f"- **Date:** {report['date']}",
        f"- **Machine:** {m['cpu']}, {m['cores']} cores, {m['platform']}; "
        f"{m['implementation']} {m['python']}" + (f"; load average {load:.1f} at the end" if load else ""),
        f"- **Commit:** {report['commit']}",
        "",
        "| Workload | Measure | This engine | Classic micrograd 0.1.0 | Ratio | Target | Met |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    previous = None
    for r in report["rows"]:
        workload = "" if r["workload"] == previous else r["workload"]  # once per group of rows
        previous = r["workload"]
        cells = [workload, r["measure"], r["this"], r["classic"], r["ratio"], r["target"], r["met"]]
        lines.append("| " + " | ".join(cells) + " |")
    if report["reference_rows"]:
        lines += [
            "",
            "The training step against its references, as a multiple of the plain-float step "
            "(each ratio the median, over the rounds, of the CPU times of the two runs in the same "
            "round, every implementation running once per round, in turn; each reference's losses "
            "compared with the plain floats'):",
            "",
            "| Training step | Time per step | Times the floor | Losses differ by | Target | Met |",
            "| --- | ---: | ---: | ---: | --- | --- |",
        ]
        for r in report["reference_rows"]:
            cells = [r["implementation"], r["time"], r["ratio"], r["losses"], r["target"], r["met"]]
            lines.append("| " + " | ".join(cells) + " |")
    if report["browser_rows"]:
        lines += [
            "",
            f"The training step in headless Chromium ({report['browser_python']} compiled to "
            "WebAssembly; the documentation site served from 127.0.0.1), against the same step "
            "run natively, taking turns with it (each ratio the median, over the rounds, of the "
            "wall-clock times of the two runs in the same round; the losses compared with the "
            f"native plain floats'). The browser's steps are timed after {WARM_UP_SECONDS:g} s of "
            "running them, except in the row of a new page's first steps:",
            "",
            "| Training step | In the browser | Natively | Browser ÷ native | Losses differ by "
            "| Target | Met |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- |",
        ]
        for r in report["browser_rows"]:
            cells = [
                r["implementation"],
                r["browser"],
                r["native"],
                r["ratio"],
                r["losses"],
                r["target"],
                r["met"],
            ]
            lines.append("| " + " | ".join(cells) + " |")
    elif report["browser_not_measured"] and "train_step" in report["runs"]:
        lines += ["", f"The training step was not measured in the browser: {report['browser_not_measured']}."]
    repeats = report["settings"]["repeats"]
    lines += [
        "",
        "Medians of "
        + ", ".join(
            f"{n} run{'s' if n != 1 else ''} ({w})" for w, n in repeats.items() if w in report["runs"]
        )
        + f" per engine, engines alternating; {report['total_seconds']:.0f} s in all.",
    ]
    return "\n".join(lines)


def seconds_text(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def ratio_text(ratio: float) -> str:
    """A ratio with two or three significant digits: 0.15x, 4.0x, 7.8x, 190x."""
    return f"{ratio:#.2g}".rstrip(".") + "x" if ratio < 10 else f"{ratio:.0f}x"


def timed(wall: float, cpu: float) -> str:
    """A wall-clock time, with the CPU time of the process beside it."""
    return f"{seconds_text(wall)} (CPU {seconds_text(cpu)})"


def mib_text(size: float) -> str:
    return f"{size / 2**20:.2f} MiB"


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "platform": platform.platform(terse=True),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "load_average_at_end": load,
    }


def git_head() -> str | None:
    """The commit checked out in the repository, or None outside a git checkout."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def git_is_dirty() -> bool:
    """Whether the package's files differ from the last commit."""
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", "micrograd", "pyproject.toml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return bool(status.stdout.strip())


if __name__ == "__main__":
    sys.exit(main())
