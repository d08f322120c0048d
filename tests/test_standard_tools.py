"""A release is read by the standard tools as they are: `frictionless validate` accepts its data
package, and the Hugging Face `datasets` Parquet loader reads every config its data card offers.

Both tools run in a subprocess, offline, on a release as published: the one `dist/latest.json`
points at (the default run) and one built from two sample articles by `broadsheet run` (`-m flow`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.repo import REPO_ROOT, SEEDS_DIR

JAN_1_2026 = "1767225600"


def _offline_env(tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "HF_HOME": str(tmp / "hf"),
        "HF_DATASETS_CACHE": str(tmp / "hf" / "datasets"),
        "HF_HUB_DISABLE_TELEMETRY": "1",
    }


def frictionless_errors(release: Path, tmp: Path) -> list[str]:
    """What `frictionless validate` finds wrong with the release's data package (empty: valid)."""
    tool = Path(sys.executable).with_name("frictionless")
    done = subprocess.run(
        [str(tool), "validate", "--json", "datapackage.json"],
        cwd=release,
        capture_output=True,
        text=True,
        timeout=300,
        env=_offline_env(tmp),
    )
    report = json.loads(done.stdout)
    problems = [f"package: {e['message']}" for e in report.get("errors", [])]
    for task in report["tasks"]:
        problems += [f"{task['name']}: {e['message']}" for e in task["errors"]]
    assert report["valid"] is (not problems)
    return problems


def huggingface_rows(release: Path, tmp: Path) -> dict[str, int]:
    """Rows the `datasets` loader reads for each config of the data card's front matter."""
    card = (release / "README.md").read_text()
    front = yaml.safe_load(card.split("---", 2)[1])
    script = (
        "import json, sys\n"
        "from datasets import load_dataset\n"
        "release, names = sys.argv[1], sys.argv[2:]\n"
        "print(json.dumps({n: load_dataset(release, n, split='train').num_rows for n in names}))\n"
    )
    names = [config["config_name"] for config in front["configs"]]
    done = subprocess.run(
        [sys.executable, "-c", script, str(release), *names],
        capture_output=True,
        text=True,
        timeout=300,
        env=_offline_env(tmp),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _check(release: Path, tmp: Path) -> None:
    assert frictionless_errors(release, tmp) == []
    manifest = json.loads((release / "manifest.json").read_text())
    rows = huggingface_rows(release, tmp)
    offered = {name: info["rows"] for name, info in manifest["tables"].items() if info["rows"]}
    assert rows == offered, "every non-empty table is a config and reads whole"
    card = (release / "README.md").read_text()
    for name, info in manifest["tables"].items():
        if not info["rows"]:
            assert f"`{name}`" in card.split("## Loading", 1)[1].split("\n\n", 2)[1], f"the card names empty {name}"


def test_the_published_latest_release_passes_frictionless_and_loads_in_huggingface_datasets(tmp_path: Path):
    latest = REPO_ROOT / "dist" / "latest.json"
    if not latest.is_file():
        pytest.skip("no release is published in dist/")
    release = REPO_ROOT / "dist" / json.loads(latest.read_text())["version"]
    copy = tmp_path / "release"
    shutil.copytree(release, copy, ignore=shutil.ignore_patterns("validation"))  # the tools write caches beside it
    _check(copy, tmp_path)


@pytest.mark.flow
def test_a_fresh_release_passes_frictionless_and_loads_in_huggingface_datasets(tmp_path: Path):
    from prefect.testing.utilities import prefect_test_harness

    from broadsheet.cli import main

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for article in sorted(SEEDS_DIR.glob("*.txt"))[:2]:
        shutil.copy(article, seeds / article.name)
    with pytest.MonkeyPatch.context() as mp, prefect_test_harness(server_startup_timeout=180):
        mp.setenv("SOURCE_DATE_EPOCH", JAN_1_2026)
        assert main(["run", "--source", str(seeds), "--out", str(tmp_path / "dist"), "--build", str(tmp_path / "build")]) == 0
    version = json.loads((tmp_path / "dist" / "latest.json").read_text())["version"]
    _check(tmp_path / "dist" / version, tmp_path)


def test_the_citation_file_names_the_package_version_and_licence():
    from broadsheet.version import __version__

    citation = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0" and citation["title"] and citation["authors"]
    assert citation["version"] == __version__, "CITATION.cff must follow the package version"
    project = (REPO_ROOT / "pyproject.toml").read_text()
    assert f'license = "{citation["license"]}"' in project
