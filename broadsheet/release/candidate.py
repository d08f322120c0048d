"""A release candidate: the release written in full to its staging folder, validated, not yet published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from broadsheet.tableio import FileInfo


@dataclass(frozen=True)
class Candidate:
    """A release written to its staging folder, not yet published."""

    version: str
    release_date: dt.date
    data_digest: str
    staging_dir: Path
    tables: Mapping[str, FileInfo]  # paths relative to the staging folder


class ReleaseError(RuntimeError):
    """Publishing or recovering would be unsafe: a different release already holds the version, or
    the dist folder is not locked by this run."""
