"""Finding the files a source argument stands for, and naming each one by its source uri.

A source is a file or a folder. Folders are walked recursively in sorted order, so the output is
the same on every machine; hidden entries (names starting with '.') and files starting with '_'
are skipped, as are repeat visits of a folder reached again through a symbolic link.

A file's `source_uri` is its POSIX path relative to the PARENT of the source argument: passing
`seeds/` names a file `seeds/001-foo.txt`, passing `x/a.txt` names it `a.txt`. It never holds
the absolute location, so the same folder moved elsewhere yields the same uris (and doc ids).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from broadsheet.ingest.records import STAGE, Reject

__all__ = ["SourceFile", "find_source_files"]


@dataclass(frozen=True)
class SourceFile:
    path: Path
    source_uri: str


def find_source_files(source: str | Path) -> tuple[list[SourceFile], list[Reject]]:
    """The files under one source argument, in sorted order, and rejects for what cannot be listed."""
    # abspath rather than resolve: it normalizes '.' and '..' (so `.` is named after the current
    # folder) without replacing a symlinked folder's name by its target's.
    root = Path(os.path.abspath(source))
    base = root.parent
    name = root.name or root.as_posix()

    if not root.exists():  # also a symbolic link to nothing
        detail = f"the source {os.fspath(source)!r} does not exist"
        return [], [_listing_reject(name, "missing_source", detail)]
    if root.is_file():
        return [SourceFile(root, name)], []
    if not root.is_dir():
        detail = f"the source {os.fspath(source)!r} is neither a file nor a folder"
        return [], [_listing_reject(name, "unreadable", detail)]

    files: list[SourceFile] = []
    rejects: list[Reject] = []

    def on_error(error: OSError) -> None:
        uri = _uri(Path(error.filename), base) if error.filename else name
        rejects.append(_listing_reject(uri, "unreadable", f"the folder could not be listed: {error.strerror}"))

    visited: set[str] = set()
    for folder, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        # Following links lets a corpus be linked into the seeds folder; remembering the real
        # folders visited stops a link cycle from walking forever.
        real = os.path.realpath(folder)
        if real in visited:
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            if filename.startswith((".", "_")):
                continue
            path = Path(folder, filename)
            files.append(SourceFile(path, _uri(path, base)))
    return files, rejects


def _uri(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix()


def _listing_reject(source_uri: str, reason: str, detail: str) -> Reject:
    return Reject(
        source_uri=source_uri,
        source_format=None,
        stage=STAGE,
        reason=reason,
        detail=detail,
        raw_sha256=None,
    )
