"""Finding the files a source argument stands for, and naming each one by its source uri.

A source is a file or a folder. Folders are walked recursively in sorted order, so the output is
the same on every machine: a folder's files, then its subfolders one by one. Hidden entries
(names starting with '.') are skipped, and so are files and links whose names start with '_'.

Nothing outside the sources a user named is read. The source itself may be a symbolic link (or
lie under one): that is what the user named, and its real folder is the boundary. Inside it,
links are judged before anything is opened:

- a link whose real target lies outside the source's real folder is rejected `outside_source`,
  and the target is never opened (not even stat'ed: only the link chain is resolved);
- a link loop is rejected `outside_source` too (a chain of links that never ends, or a link to
  a folder that contains the link), and a link to nothing (dangling) `unreadable`;
- a link that stays inside is followed, but every real file and folder is read once: a link to
  a file that the walk reaches under its own name anyway is a `duplicate_content` reject naming
  it (the file is read under its own name, so its doc id does not depend on links), a link to a
  folder the walk reaches anyway is passed over, and a link to something the
  walk does not reach otherwise (a hidden file, say) is read under the link's name. Such files
  come after the files the walk reaches directly.

Each file is listed with the device and inode it had when its folder was listed, and is opened
by its real path without following a link in the last step (`broadsheet.ingest.localfile`):
a file swapped for a link, a FIFO or another file after the listing is refused, not read.
FIFOs, devices and sockets are listed like files and refused when read, without blocking.

A file's `source_uri` is its POSIX path relative to the PARENT of the source argument: passing
`seeds/` names a file `seeds/001-foo.txt`, passing `x/a.txt` names it `a.txt`. It never holds
the absolute location, so the same folder moved elsewhere yields the same uris (and doc ids).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from broadsheet.ingest.localfile import read_regular_file
from broadsheet.ingest.records import STAGE, Reject

__all__ = ["SourceFile", "find_source_files", "first_reads"]

# A local SourceFile or a file in object storage: anything with `key` and `source_uri`.
T = TypeVar("T")


@dataclass(frozen=True)
class SourceFile:
    path: Path  # where to open it: for a file inside a folder, its real path
    source_uri: str
    # (st_dev, st_ino) when listed: the file opened must be this one. None for a source named
    # directly, which is opened as named (following links: that is what the user named).
    identity: tuple[int, int] | None = None

    @property
    def follow_links(self) -> bool:
        return self.identity is None

    # What a file in object storage (`broadsheet.ingest.objectstore.RemoteFile`) offers too, so
    # that reading does not care where a file lives.
    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def key(self) -> str:
        """The file itself, whatever it is named: one file reached twice under one uri is read once."""
        return os.path.realpath(self.path)

    def read(self, max_bytes: int) -> bytes:
        """Its bytes, under the guards of `broadsheet.ingest.localfile` (raises its errors or `OSError`)."""
        return read_regular_file(self.path, max_bytes, follow_links=self.follow_links, identity=self.identity)


def first_reads(files: Iterable[T], read_already: set[tuple[str, str]]) -> Iterator[T]:
    """The files not read yet, marking each as read: the same file reached twice under the same
    uri (a source given twice) would only repeat identical records, so reading it once is the
    whole of its content."""
    for source_file in files:
        key = (source_file.key, source_file.source_uri)
        if key not in read_already:
            read_already.add(key)
            yield source_file


def find_source_files(source: str | Path) -> tuple[list[SourceFile], list[Reject]]:
    """The files under one source argument, in sorted order, and rejects for what cannot be listed."""
    # abspath rather than resolve: it normalizes '.' and '..' (so `.` is named after the current
    # folder) without replacing a symlinked folder's name by its target's.
    root = Path(os.path.abspath(source))
    base = root.parent
    name = printable_name(root.name or root.as_posix())

    if not root.exists():  # also a symbolic link to nothing
        detail = f"the source {printable_name(os.fspath(source))!r} does not exist"
        return [], [_listing_reject(name, "missing_source", detail)]
    if root.is_file():
        return [SourceFile(root, name)], []
    if not root.is_dir():
        detail = f"the source {printable_name(os.fspath(source))!r} is neither a file nor a folder"
        return [], [_listing_reject(name, "unreadable", detail)]

    walk = _Walk(Path(os.path.realpath(root)), base)
    walk.folder(root, walk.boundary)
    walk.follow_links()
    return walk.files, walk.rejects


class _Walk:
    """One folder source being listed: what was found, and what was already reached."""

    def __init__(self, boundary: Path, base: Path) -> None:
        self.boundary = boundary  # the real path of the named folder: nothing outside it is read
        self.base = base
        self.files: list[SourceFile] = []
        self.rejects: list[Reject] = []
        self.links: list[tuple[Path, Path]] = []  # (as named, real location of the link itself)
        self.walked: set[Path] = set()
        self.seen: dict[tuple[int, int], str] = {}  # (device, inode) → the uri it is read under
        self.aliases: list[tuple[Path, Path]] = []  # links to files, judged once the walk is done

    def folder(self, named: Path, real: Path) -> None:
        """List the folder at `real` (inside the boundary), naming what is in it under `named`."""
        if real in self.walked:
            return
        self.walked.add(real)
        try:
            with os.scandir(real) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            detail = f"the folder could not be listed: {exc.strerror or type(exc).__name__}"
            self.rejects.append(_listing_reject(self._uri(named), "unreadable", detail))
            return
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_symlink():
                    if not entry.name.startswith("_"):
                        self.links.append((named / entry.name, real / entry.name))
                elif entry.is_dir(follow_symlinks=False):
                    subfolders.append(entry.name)
                elif not entry.name.startswith("_"):
                    info = entry.stat(follow_symlinks=False)
                    self.seen.setdefault((info.st_dev, info.st_ino), self._uri(named / entry.name))
                    self.files.append(SourceFile(real / entry.name, self._uri(named / entry.name), (info.st_dev, info.st_ino)))
            except OSError as exc:  # gone or unreadable between listing and looking
                detail = f"the entry could not be examined: {exc.strerror or type(exc).__name__}"
                self.rejects.append(_listing_reject(self._uri(named / entry.name), "unreadable", detail))
        for subfolder in subfolders:
            self.folder(named / subfolder, real / subfolder)

    def follow_links(self) -> None:
        """Judge the links found (and those found in linked folders), in the order found."""
        position = 0
        while position < len(self.links):
            named, location = self.links[position]
            position += 1
            self._link(named, location)
        # Links to files last: only now is every file the walk reaches by its own name known.
        for named, target in self.aliases:
            try:
                info = os.stat(target)
            except OSError as exc:
                detail = f"the symbolic link's target could not be examined: {exc.strerror or type(exc).__name__}"
                self.rejects.append(_listing_reject(self._uri(named), "unreadable", detail))
                continue
            read_as = self.seen.get((info.st_dev, info.st_ino))
            if read_as is not None:
                # The same file, read once under its own name; the link is listed, not lost.
                detail = f"a symbolic link to {read_as}, which is read under its own name"
                self.rejects.append(_listing_reject(self._uri(named), "duplicate_content", detail))
                continue
            self.seen[(info.st_dev, info.st_ino)] = self._uri(named)
            self.files.append(SourceFile(target, self._uri(named), (info.st_dev, info.st_ino)))

    def _link(self, named: Path, location: Path) -> None:
        uri = self._uri(named)
        # Resolving reads only the links themselves; the target is not touched yet.
        target = Path(os.path.realpath(location))
        if not target.is_relative_to(self.boundary):
            detail = "a symbolic link that leads outside the source folder; it was not followed"
            self.rejects.append(_listing_reject(uri, "outside_source", detail))
            return
        try:
            is_folder = stat.S_ISDIR(os.stat(location).st_mode)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                detail = "a symbolic link loop; it was not followed"
                self.rejects.append(_listing_reject(uri, "outside_source", detail))
            elif exc.errno == errno.ENOENT:
                detail = "a symbolic link to nothing (its target does not exist)"
                self.rejects.append(_listing_reject(uri, "unreadable", detail))
            else:
                detail = f"the symbolic link could not be followed: {exc.strerror or type(exc).__name__}"
                self.rejects.append(_listing_reject(uri, "unreadable", detail))
            return
        if is_folder:
            if location.parent.is_relative_to(target):
                # A link to a folder that holds it: following it would only go round; a cycle
                # is reported, not silently passed over like a link to a sibling folder.
                detail = "a symbolic link to a folder that contains it (a loop); it was not followed"
                self.rejects.append(_listing_reject(uri, "outside_source", detail))
                return
            self.folder(named, target)  # nothing if the walk has been there already
        else:
            self.aliases.append((named, target))

    def _uri(self, path: Path) -> str:
        return _uri(path, self.base)


def _uri(path: Path, base: Path) -> str:
    return printable_name(path.relative_to(base).as_posix())


def printable_name(name: str) -> str:
    """`name` as it can be stored and hashed: a file name whose bytes are not UTF-8 (which Python
    hands over with lone surrogates standing for the bad bytes) is spelled with backslash
    escapes ("bad\\xffname.txt"), so it is listed and read instead of failing the run."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _listing_reject(source_uri: str, reason: str, detail: str) -> Reject:
    return Reject(
        source_uri=source_uri,
        source_format=None,
        stage=STAGE,
        reason=reason,
        detail=detail,
        raw_sha256=None,
    )
