"""The package as a user installs it: from a wheel, outside this checkout, run in a folder of its own.

Everything the user's run reads and writes is resolved from the current folder (its seeds/,
build/ and dist/), and what ships with the code (schemas, rules, the model) comes from inside the
installed package; nothing is written into the installation.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.repo import REPO_ROOT, SEEDS_DIR

pytestmark = pytest.mark.flow


def _files(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_the_package_installed_from_a_wheel_builds_a_release_in_the_current_folder(tmp_path: Path) -> None:
    wheels, site, project = tmp_path / "wheels", tmp_path / "site", tmp_path / "project"
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(REPO_ROOT)], check=True)
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), *map(str, wheels.glob("*.whl"))], check=True)
    (project / "seeds").mkdir(parents=True)
    for article in sorted(SEEDS_DIR.glob("*.txt"))[:2]:
        shutil.copy(article, project / "seeds" / article.name)
    installed = _files(site)

    script = "import broadsheet, sys; print(broadsheet.__file__); from broadsheet.cli import main; sys.exit(main(['run']))"
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-c", script], cwd=project, env=env, capture_output=True, text=True, timeout=900)

    assert run.returncode == 0, run.stdout + run.stderr
    assert Path(run.stdout.splitlines()[0]).is_relative_to(site), "the checkout, not the wheel, was imported"
    latest = json.loads((project / "dist" / "latest.json").read_text())
    manifest = json.loads((project / "dist" / latest["version"] / "manifest.json").read_text())
    assert manifest["tables"]["documents"]["rows"] == 2
    assert (project / "build" / "clean").is_dir()
    assert _files(site) == installed, "the run wrote into the installed package"
