"""Where things live. Every other module derives its paths from here instead of spelling them out."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def schemas_dir() -> Path:
    """The table definitions: the repository's ``schemas/`` in a checkout, the packaged copy otherwise."""
    in_checkout = REPO_ROOT / "schemas"
    if in_checkout.is_dir():
        return in_checkout
    return PACKAGE_DIR / "_schemas"


SEEDS_DIR = REPO_ROOT / "seeds"
DEFAULT_BUILD_DIR = REPO_ROOT / "build"
DEFAULT_DIST_DIR = REPO_ROOT / "dist"
