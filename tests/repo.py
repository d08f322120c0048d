"""Where the tests find this repository's own files (the package resolves user data from the
current folder, so tests name the checkout's folders explicitly)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"
PACKAGE_DIR = REPO_ROOT / "broadsheet"
