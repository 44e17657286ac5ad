"""The documentation's build configuration: Read the Docs and Sphinx settings a build relies on.

The Read the Docs file is validated against the official v2 JSON schema, kept in the
shared folder beside the repository (``../shared/schemas/readthedocs-v2.schema.json``,
as in CI's clone). The Sphinx checks read ``docs/conf.py`` the way Sphinx does.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import runpy
from pathlib import Path
from typing import Any

import pytest
from dependencies import missing, require

jsonschema = require("jsonschema")
yaml = require("yaml")

REPO = Path(__file__).resolve().parents[1]
SCHEMA = Path(
    os.environ.get("MICROGRAD_RTD_SCHEMA", REPO.parent / "shared" / "schemas" / "readthedocs-v2.schema.json")
)


@pytest.fixture(scope="module")
def rtd_config() -> dict[str, Any]:
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert isinstance(config, dict)
    return config


@pytest.fixture(scope="module")
def validator() -> Any:
    if not SCHEMA.is_file():
        # CI's clone has shared/ beside it: there, a missing schema fails the test.
        missing(f"the Read the Docs schema at {SCHEMA}", "set MICROGRAD_RTD_SCHEMA to its path")
    import json

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.fixture(scope="module")
def sphinx_conf() -> dict[str, Any]:
    return runpy.run_path(str(REPO / "docs" / "conf.py"))


def test_readthedocs_config_is_valid_against_the_v2_schema(
    rtd_config: dict[str, Any], validator: Any
) -> None:
    errors = sorted(validator.iter_errors(rtd_config), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_the_schema_check_rejects_a_broken_config(rtd_config: dict[str, Any], validator: Any) -> None:
    # Guards the test above against a schema that accepts anything.
    broken = copy.deepcopy(rtd_config)
    broken["build"]["os"] = "windows-95"
    broken["sphinx"]["fail_on_warning"] = "yes"
    messages = [e.message for e in validator.iter_errors(broken)]
    assert len(messages) == 2, messages


def test_readthedocs_builds_like_the_readme_command(rtd_config: dict[str, Any]) -> None:
    assert rtd_config["version"] == 2
    assert rtd_config["build"]["os"] == "ubuntu-24.04"
    python = rtd_config["build"]["tools"]["python"]
    assert tuple(int(part) for part in python.split(".")) >= (3, 11)
    assert "graphviz" in rtd_config["build"]["apt_packages"]
    assert rtd_config["python"]["install"] == [{"method": "pip", "path": ".", "extra_requirements": ["docs"]}]
    assert rtd_config["sphinx"]["configuration"] == "docs/conf.py"
    assert (REPO / rtd_config["sphinx"]["configuration"]).is_file()
    assert rtd_config["sphinx"]["fail_on_warning"] is True


def test_readthedocs_installs_the_cpu_build_of_torch(rtd_config: dict[str, Any]) -> None:
    # PyPI's default torch wheel brings GBs of CUDA libraries: past Read the Docs' 7 GB.
    commands = rtd_config["build"]["jobs"]["post_install"]
    torch_installs = [c for c in commands if "torch" in c]
    assert torch_installs, commands
    assert all("--index-url https://download.pytorch.org/whl/cpu" in c for c in torch_installs)


def test_sphinx_executes_pages_through_the_cache_and_fails_on_errors(
    sphinx_conf: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sphinx_conf["nb_execution_raise_on_error"] is True
    assert sphinx_conf["nitpicky"] is True
    assert "myst_parser" not in sphinx_conf["extensions"]  # myst_nb brings it
    monkeypatch.delenv("NB_EXECUTION_MODE", raising=False)
    assert runpy.run_path(str(REPO / "docs" / "conf.py"))["nb_execution_mode"] == "cache"
    monkeypatch.setenv("NB_EXECUTION_MODE", "force")
    assert runpy.run_path(str(REPO / "docs" / "conf.py"))["nb_execution_mode"] == "force"


def test_every_intersphinx_inventory_is_a_file_in_the_repository(sphinx_conf: dict[str, Any]) -> None:
    # The build runs without network: every inventory must be local.
    mapping = sphinx_conf["intersphinx_mapping"]
    assert "python" in mapping
    for name, (url, inventory) in mapping.items():
        assert url.startswith("https://"), name
        path = Path(inventory)
        assert path.is_file() and path.is_relative_to(REPO / "docs"), (name, inventory)
        assert path.read_bytes().startswith(b"# Sphinx inventory version 2"), name


def _extension(name: str) -> Any:
    """One of the site's own Sphinx extensions, ``docs/_ext/<name>.py``, imported as Sphinx does."""
    spec = importlib.util.spec_from_file_location(name, REPO / "docs" / "_ext" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_conf_py_lists_the_sites_own_extensions_each_a_file_in_docs_ext(sphinx_conf: dict[str, Any]) -> None:
    own = [name for name in sphinx_conf["extensions"] if (REPO / "docs" / "_ext" / f"{name}.py").is_file()]
    assert {"stream_merge", "public_signatures", "notebook_downloads", "vendored_assets"} <= set(own)
    # conf.py reads as configuration: the machinery lives in the extensions, not in functions here.
    conf = str(REPO / "docs" / "conf.py")
    functions = [name for name, value in sphinx_conf.items() if getattr(value, "__code__", None)]
    assert not [name for name in functions if sphinx_conf[name].__code__.co_filename == conf], functions


def test_private_parameters_are_left_out_of_api_signatures() -> None:
    split = _extension("public_signatures").split_parameters
    assert split("data, _children=(), _op='', *, label=''") == [
        "data",
        "_children=()",
        "_op=''",
        "*",
        "label=''",
    ]
    assert split("a, b=(1, 2), c='x,y'") == ["a", "b=(1, 2)", "c='x,y'"]


def test_every_vendored_npm_package_is_pinned_to_one_version_with_a_hash() -> None:
    # Third-party browser files are fetched by the build (npm ci checks these hashes), never committed.
    manifest = json.loads((REPO / "docs" / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((REPO / "docs" / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in {**manifest["dependencies"], **manifest["devDependencies"]}.items():
        assert version[0].isdigit() and all(part.isdigit() for part in version.split(".")), (name, version)
        entry = lock["packages"][f"node_modules/{name}"]
        assert entry["version"] == version and entry["integrity"].startswith("sha512-"), name
    assert "mathjax" in manifest["dependencies"]


def _stream(name: str, text: str) -> dict[str, Any]:
    return {"output_type": "stream", "name": name, "text": text}


def test_printed_lines_reach_the_page_exactly_as_printed(sphinx_conf: dict[str, Any]) -> None:
    require("myst_nb")
    merge = _extension("stream_merge").merge_streams_exactly
    # print("step", 1, 41, 41) flushed by the kernel in pieces, a blank line, and stderr between.
    chunks = [
        _stream("stdout", "step 1  41"),
        _stream("stderr", "warning\n"),
        _stream("stdout", " 41\n"),
        _stream("stdout", "\nnext line\n"),
    ]
    original = copy.deepcopy(chunks)
    merged = merge(chunks)
    texts = {o["name"]: o["text"] for o in merged}
    assert texts["stdout"] == "step 1  41 41\n\nnext line\n"
    assert texts["stderr"] == "warning\n"
    assert [o["name"] for o in merged] == ["stdout", "stderr"]
    assert chunks == original  # the executed notebook's own outputs are left untouched


def test_other_outputs_keep_their_place_between_streams(sphinx_conf: dict[str, Any]) -> None:
    require("myst_nb")
    merge = _extension("stream_merge").merge_streams_exactly
    figure = {"output_type": "display_data", "data": {"image/png": "..."}, "metadata": {}}
    merged = merge([_stream("stdout", "a"), figure, _stream("stdout", "b\n")])
    assert figure in merged
    assert "".join(o["text"] for o in merged if o.get("output_type") == "stream") == "ab\n"


def test_cached_pages_run_again_when_the_package_they_import_changes(tmp_path: Path) -> None:
    from types import SimpleNamespace

    cache = _extension("notebook_cache")
    package = tmp_path / "micrograd"
    package.mkdir()
    (package / "engine.py").write_text("x = 1\n")
    before = cache.code_hash((package,))
    assert cache.code_hash((package,)) == before  # same code, same folder: nothing runs again
    (package / "engine.py").write_text("x = 2\n")
    assert cache.code_hash((package,)) != before
    (package / "engine.py").write_text("x = 1\n")
    (package / "nn.py").write_text("")
    assert cache.code_hash((package,)) != before  # a new file counts too

    # The build's cache folder is keyed by the package and kernel profile, and old ones go.
    base = tmp_path / "jupyter_cache"
    (base / "0123456789abcdef").mkdir(parents=True)
    (base / "global.db").write_text("from before the folders were keyed")
    config = SimpleNamespace(nb_execution_mode="cache", nb_execution_cache_path=str(base))
    cache._take_cache(None, config)
    assert config.nb_execution_cache_path == str(base / cache.code_hash())
    assert sorted(p.name for p in base.iterdir()) == sorted([cache.code_hash(), cache.LOCK])
    assert (base / cache.code_hash() / "global.db").is_file()  # made here, before the read processes
    again = SimpleNamespace(nb_execution_mode="cache", nb_execution_cache_path=str(base))
    cache._take_cache(None, again)  # a second build keys the same folder: its config is unchanged
    assert again.nb_execution_cache_path == config.nb_execution_cache_path
