"""Test-wide settings: Prefect and Great Expectations stay offline, quiet and out of ~/.prefect.

These must be set before either library is imported, hence at conftest import time.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_prefect_home = tempfile.mkdtemp(prefix="broadsheet-test-prefect-")
atexit.register(shutil.rmtree, _prefect_home, ignore_errors=True)
os.environ["PREFECT_HOME"] = _prefect_home
os.environ.pop("PREFECT_API_URL", None)
os.environ.pop("PREFECT_PROFILE", None)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ["GX_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

import pytest  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("BROADSHEET_CORPORA", REPO_ROOT.parent / "shared" / "corpora"))


@pytest.fixture(scope="session")
def corpora() -> Path:
    """The annotated corpora folder; tests that need it skip when it is absent."""
    if not CORPORA.is_dir():
        pytest.skip(f"annotated corpora not found at {CORPORA} (set BROADSHEET_CORPORA)")
    return CORPORA
