"""Where things live: the one home of every folder and file name the pipeline reads or writes.

Two kinds of place, resolved differently on purpose:

- **the user's data** (the sources, the build folder, the releases) is resolved from the current
  folder, or from the flags that name it, never from where the package is installed: an
  installed wheel must not write into site-packages, and `broadsheet run` in a project folder
  must mean that folder's `sources.yaml`, `build/` and `dist/`;
- **what ships with the code** (the table definitions, the trained model) is found next to the
  code: the repository's folders in a checkout, the copies packed into the wheel otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_DIR = PACKAGE_DIR.parent

# The names a user's project folder is read and written under (relative to the current folder).
SOURCES_FILE = "sources.yaml"
SEEDS = "seeds"
BUILD = "build"
DIST = "dist"

# The release layout: `<dist>/<version>/` with its manifest, and two files beside the versions.
LATEST = "latest.json"  # the pointer to the newest release
INDEX = "index.json"  # every release's files, sizes and hashes
MANIFEST = "manifest.json"  # inside a version folder: its files and facts
DATAPACKAGE = "datapackage.json"
DATA_CARD = "README.md"
DIFF = "diff.json"  # what changed against the previous release
VALIDATION_DIR = "validation"
VALIDATION_RESULTS = "validation_results.json"  # in a validation report folder, and a release's validation/
REPORT_PAGE = "report.html"  # a release's report, and a validation report folder's page of its results
STAGING_PREFIX = ".staging-"  # a release being written; never read as a release
DAMAGED_PREFIX = ".damaged-"  # a release that no longer matched its manifest, kept for examination

# The lock a run holds on each folder it writes (see broadsheet.lock).
LOCK_FILE = ".broadsheet.lock"


def default_seeds_dir() -> Path:
    return Path.cwd() / SEEDS


def default_build_dir() -> Path:
    return Path.cwd() / BUILD


def default_dist_dir() -> Path:
    return Path.cwd() / DIST


@dataclass(frozen=True)
class BuildLayout:
    """The build folder: each stage's tables, the fetch and per-document caches, the validation
    reports and Prefect's temporary home. Every module asks this for a place instead of spelling
    out a sub-folder."""

    root: Path

    def stage(self, name: str) -> Path:
        """`<build>/<stage>/`: the Parquet tables a stage wrote."""
        return Path(self.root) / name

    @property
    def fetch(self) -> Path:
        """Fetched pages with their validators, and the feeds' archives."""
        return Path(self.root) / "fetch"

    @property
    def cache(self) -> Path:
        """The per-document results of the clean and extract stages (broadsheet.doccache)."""
        return Path(self.root) / "cache"

    def reports(self, *parts: str) -> Path:
        """`<build>/reports/<stage>` or `<build>/reports/release/<version>`: validation results."""
        return Path(self.root).joinpath("reports", *parts)

    @property
    def prefect_home(self) -> Path:
        """Prefect's database when no server or profile is configured (kept out of the user's home)."""
        return Path(self.root) / "prefect"


def _shipped(folder: str) -> Path:
    # A checkout (an editable install) reads the repository's folder, so an edit shows at once;
    # an installed wheel carries its own copy as `broadsheet/_<folder>`.
    if (_CHECKOUT_DIR / "pyproject.toml").is_file() and (_CHECKOUT_DIR / folder).is_dir():
        return _CHECKOUT_DIR / folder
    return PACKAGE_DIR / f"_{folder}"


def schemas_dir() -> Path:
    """The table definitions (``schemas/``)."""
    return _shipped("schemas")


def models_dir() -> Path:
    """The trained models (``models/``)."""
    return _shipped("models")
