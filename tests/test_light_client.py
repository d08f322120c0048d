"""The light client: `pip install broadsheet` reads releases without the pipeline's packages.

The pipeline (Prefect, Great Expectations, spaCy, trafilatura, ...) is the `pipeline` extra;
download, verify and `broadsheet.load()` must work when none of it can be imported, and the
commands that need it must say so at once instead of failing deep inside an import.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from tests import synthetic_releases
from tests.repo import REPO_ROOT

LIGHT = {"polars", "pyarrow", "httpx", "pyyaml"}
# Everything the light client must do without: the pipeline, and the optional outputs of load().
BLOCKED = (
    "prefect",
    "great_expectations",
    "spacy",
    "thinc",
    "trafilatura",
    "sentencex",
    "feedparser",
    "warcio",
    "lxml",
    "charset_normalizer",
    "pycountry",
    "pandas",
    "duckdb",
)


def _name(requirement: str) -> str:
    for sep in "=<>[ ;":
        requirement = requirement.split(sep, 1)[0]
    return requirement.lower().replace("_", "-")


def test_the_base_install_is_the_light_client_and_the_pipeline_an_extra_that_dev_includes():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert {_name(r) for r in project["dependencies"]} == LIGHT
    extras = project["optional-dependencies"]
    pipeline = {_name(r) for r in extras["pipeline"]}
    assert {"prefect", "great-expectations", "spacy", "trafilatura"} <= pipeline
    assert not pipeline & LIGHT, "the pipeline extra repeats a base dependency"
    assert "broadsheet[pipeline]" in extras["dev"], "the README's install (.[dev]) must set up the whole pipeline"


def _run_light(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `script` in a fresh interpreter in which every BLOCKED package fails to import."""
    prelude = textwrap.dedent(
        f"""
        import importlib.abc, sys
        BLOCKED = {BLOCKED!r}
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ModuleNotFoundError(f"No module named {{name!r}} (blocked: light client)", name=name)
                return None
        sys.meta_path.insert(0, Block())
        sys.path.insert(0, {str(REPO_ROOT)!r})
        """
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(script)], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_download_verify_and_load_work_without_the_pipeline_and_run_says_what_is_missing(tmp_path: Path):
    dist = tmp_path / "dist"
    synthetic_releases.publish(dist)
    version = json.loads((dist / "latest.json").read_text())["version"]
    script = f"""
        import json, sys
        import broadsheet
        from broadsheet.cli import main
        assert main(["verify", {str(dist / version)!r}]) == 0
        assert main(["download", "latest", "--from", {str(dist)!r}, "--to", {str(tmp_path / "got")!r}]) == 0
        frame = broadsheet.load("rejects", source={str(dist)!r}, cache={str(tmp_path / "cache")!r})
        try:
            broadsheet.load("rejects", source={str(dist)!r}, cache={str(tmp_path / "cache")!r}, output="pandas")
        except ImportError as exc:
            pandas_message = str(exc)
        print(json.dumps({{"rows": frame.height, "pandas": pandas_message, "run": main(["run"]),
                          "loaded": sorted(m for m in sys.modules if m.split(".")[0] in {BLOCKED!r})}}))
    """
    done = _run_light(script, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rows"] == 2 and result["loaded"] == []
    assert "pip install pandas" in result["pandas"]
    assert result["run"] == 2 and 'pip install "broadsheet[pipeline]"' in done.stderr
    assert (tmp_path / "got" / version / "manifest.json").is_file()


def test_load_gives_pandas_with_nullable_dtypes_and_a_duckdb_relation(tmp_path: Path):
    pd = pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    import broadsheet

    dist = tmp_path / "dist"
    synthetic_releases.publish(dist, n=3)
    frame = broadsheet.load("rejects", source=dist, cache=tmp_path / "cache", output="pandas")
    assert isinstance(frame, pd.DataFrame) and len(frame) == 3
    assert frame["doc_id"].isna().all() and str(frame["doc_id"].dtype).startswith("str"), frame.dtypes
    relation = broadsheet.load("rejects", source=dist, cache=tmp_path / "cache", output="duckdb")
    assert isinstance(relation, duckdb.DuckDBPyRelation)
    assert relation.aggregate("count(*)").fetchall() == [(3,)]
    with pytest.raises(ValueError, match="output must be one of"):
        broadsheet.load("rejects", source=dist, cache=tmp_path / "cache", output="excel")
