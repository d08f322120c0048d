"""The release stage: a validated candidate published atomically under `dist/<version>/`.

- `stage.py`: assemble the candidate in a staging folder, finalize it (manifest, datapackage,
  data card, validation report), publish it (rename, then `latest.json`, then `index.json`);
- `recover.py`: what a run does first, under its lock: finish or undo what an interrupted run left;
- `folders.py`: reading `latest.json`, checking a release against its manifest, moving one aside;
- `candidate.py`, `card.py` (the data card), `datapackage.py` (Frictionless descriptor and data
  dictionary), `datadocs.py` (deterministic Data Docs), `history.py` (diffs and `index.json`),
  `previous.py` (what the latest release holds, for the stages that keep its ids),
  `unchanged.py` (the digest of a build's inputs, recorded with the release it gave, so that a
  refresh with nothing new stops right after ingest).

The names below are the stage's API, as the flows and the command line use it.
"""

from broadsheet.release.candidate import Candidate, ReleaseError
from broadsheet.release.folders import latest, latest_manifest
from broadsheet.release.recover import recover
from broadsheet.release.stage import (
    assemble,
    current_version,
    data_digest,
    discard,
    finalize,
    publish,
    read_candidate,
    release_date,
    row_drop_warnings,
    version_for,
)

__all__ = [
    "Candidate",
    "ReleaseError",
    "assemble",
    "current_version",
    "data_digest",
    "discard",
    "finalize",
    "latest",
    "latest_manifest",
    "publish",
    "read_candidate",
    "recover",
    "release_date",
    "row_drop_warnings",
    "version_for",
]
