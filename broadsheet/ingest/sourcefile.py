"""The sources file (`sources.yaml`): which sources a run reads, as a list of named entries.

```yaml
sources:
  - name: seeds            # unique; names the entry in rejects and errors
    kind: folder           # folder | urls | feed | warc
    path: seeds            # a folder (walked recursively) or one article file
  - name: wire
    kind: urls
    urls: [https://example.org/news/one.html]   # or  file: wire-urls.txt  (one URL a line, # comments)
  - name: example-rss
    kind: feed             # RSS 2.0, RSS 1.0 or Atom
    url: https://example.org/feed.xml
  - name: crawl
    kind: warc
    path: crawls/2026-01.warc.gz                # or  url: https://example.org/crawl.warc.gz
  - name: archive
    kind: folder
    path: s3://news-bucket/2026/               # object storage: any fsspec URL (broadsheet.ingest.objectstore)
```

Relative paths are relative to the folder of the sources file, so the file means the same
wherever the command runs. The `path` of a folder or warc entry may instead be a storage URL
(`s3://`, `gs://`, `az://`, ...), kept as written; a `file://` URL is the local path it names. Loading checks everything that can be checked without touching the
sources (kinds, fields, their types, URL schemes, unique names) and raises `SourcesFileError`
naming the file and the entry; whether a folder exists or a URL answers is found out when the
source is read, where a failure is a reject and the run goes on with the other sources.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from broadsheet import yamlfile
from broadsheet.ingest.fetch import FetchError, check_url
from broadsheet.ingest.localfile import FileTooLarge, read_regular_file
from broadsheet.ingest.objectstore import as_source, is_url, url_problem
from broadsheet.paths import SEEDS, SOURCES_FILE

__all__ = [
    "DEFAULT_SOURCES_FILE",
    "KINDS",
    "default_sources",
    "SourceEntry",
    "SourcesFile",
    "SourcesFileError",
    "is_sources_file",
    "load_sources_file",
    "parse_sources",
]

DEFAULT_SOURCES_FILE = SOURCES_FILE
SOURCES_FILE_SUFFIXES = (".yaml", ".yml")
# A list of sources, not a corpus: anything near this size is not a sources file.
_MAX_SOURCES_FILE_BYTES = 4 * 1024 * 1024

# Each kind's required fields, and groups of which exactly one must be given.
_REQUIRED = {"folder": ("path",), "urls": (), "feed": ("url",), "warc": ()}
_ONE_OF = {"folder": (), "urls": ("urls", "file"), "feed": (), "warc": ("path", "url")}
KINDS = tuple(_REQUIRED)
_COMMON = ("name", "kind", "license")
# A licence is a name or a link (an SPDX identifier such as CC-BY-4.0, or the address of the
# publisher's terms), not a paragraph: it is repeated on every document row of the source.
_MAX_LICENSE_CHARS = 200


class SourcesFileError(ValueError):
    """The sources file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class SourceEntry:
    name: str
    kind: str  # one of KINDS
    path: Path | None = None  # folder: the folder or file; warc: a local archive; urls: the URL list file
    path_text: str | None = None  # `path` as written in the sources file, for messages
    urls: tuple[str, ...] = ()  # urls: given inline
    url: str | None = None  # feed: the feed; warc: a remote archive
    # folder, warc: `path` when it is a storage URL (s3://...), kept as written; `path` is None then.
    remote: str | None = None
    # What the source's article texts may be used under, as its publisher states it (an SPDX
    # identifier or the link to the terms); None: not stated, so the publisher's own terms.
    license: str | None = None

    @property
    def label(self) -> str:
        """How details and errors name the entry."""
        return f"source {self.name!r} ({self.kind})"


@dataclass(frozen=True)
class SourcesFile:
    path: Path
    entries: tuple[SourceEntry, ...]


def is_sources_file(source: str | Path) -> bool:
    """A source argument naming a YAML file is a sources file, not an article."""
    return Path(source).suffix.lower() in SOURCES_FILE_SUFFIXES


def local_only(sources: Sequence[str | Path]) -> bool:
    """Whether reading `sources` touches only local files: existing paths, and sources files
    whose entries are all local folders and archives (no URL list, feed, remote archive or
    storage URL, nothing that is fetched)."""
    for source in sources:
        if isinstance(source, str) and is_url(source):
            return False
        if not Path(source).exists():
            return False
        if is_sources_file(source):
            try:
                entries = load_sources_file(source).entries
            except (SourcesFileError, OSError):
                return False
            if any(e.kind not in {"folder", "warc"} or e.path is None or e.remote or e.url for e in entries):
                return False
    return True


def default_sources(cwd: str | Path | None = None) -> list[Path]:
    """What a run reads when it is told nothing: `sources.yaml` in the current folder, else seeds/."""
    candidate = Path(DEFAULT_SOURCES_FILE) if cwd is None else Path(cwd) / DEFAULT_SOURCES_FILE
    if candidate.is_file():
        return [candidate]
    return [Path(SEEDS) if cwd is None else Path(cwd) / SEEDS]


def load_sources_file(path: str | Path) -> SourcesFile:
    """Read and check a sources file. Raises `SourcesFileError` (also when it cannot be read)."""
    path = Path(path)
    try:
        # Never a plain open: a FIFO named as the sources file would block the run forever.
        text = read_regular_file(path, _MAX_SOURCES_FILE_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise SourcesFileError(f"{path}: no such sources file") from None
    except FileTooLarge as exc:
        raise SourcesFileError(f"{path}: holds {exc.size:,} bytes, over the {_MAX_SOURCES_FILE_BYTES:,}-byte limit") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesFileError(f"{path}: cannot be read: {exc}") from None
    try:
        data = yamlfile.load(text)
    except yaml.YAMLError as exc:
        raise SourcesFileError(f"{path}: not valid YAML: {exc}") from None
    # abspath, not resolve: a symlinked folder keeps its own name, which names the uris under it.
    base = Path(_abspath(path)).parent
    return SourcesFile(path=path, entries=parse_sources(data, base, str(path)))


def parse_sources(data: Any, base_dir: Path, label: str = DEFAULT_SOURCES_FILE) -> tuple[SourceEntry, ...]:
    """Check parsed YAML and build its entries, with relative paths taken from `base_dir`."""
    if not isinstance(data, dict) or "sources" not in data:
        raise SourcesFileError(f"{label}: expected a mapping with a 'sources' list at the top level")
    unknown = sorted(set(data) - {"sources"})
    if unknown:
        raise SourcesFileError(f"{label}: unknown top-level key(s) {', '.join(map(repr, unknown))}; only 'sources'")
    raw_entries = data["sources"]
    if not isinstance(raw_entries, list) or not raw_entries:
        raise SourcesFileError(f"{label}: 'sources' must be a non-empty list of entries")

    entries: list[SourceEntry] = []
    names: dict[str, int] = {}
    for number, raw in enumerate(raw_entries, start=1):
        entry = _parse_entry(raw, number, base_dir, label)
        if entry.name in names:
            raise SourcesFileError(
                f"{label}: entry {number} ({entry.name!r}): the name is already used by entry {names[entry.name]}"
            )
        names[entry.name] = number
        entries.append(entry)
    return tuple(entries)


def _parse_entry(raw: Any, number: int, base_dir: Path, label: str) -> SourceEntry:
    where = f"{label}: entry {number}"
    if not isinstance(raw, dict):
        raise SourcesFileError(f"{where}: expected a mapping with 'name' and 'kind', not {type(raw).__name__}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SourcesFileError(f"{where}: missing field 'name' (a non-empty string)")
    name = name.strip()
    where = f"{label}: entry {number} ({name!r})"

    def fail(message: str) -> SourcesFileError:
        return SourcesFileError(f"{where}: {message}")

    kind = raw.get("kind")
    if kind is None:
        raise fail(f"missing field 'kind' (one of {', '.join(KINDS)})")
    if kind not in _REQUIRED:
        raise fail(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    allowed = set(_COMMON) | set(_REQUIRED[kind]) | set(_ONE_OF[kind])
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise fail(f"unknown field(s) {', '.join(map(repr, unknown))} for kind {kind!r}; allowed: {', '.join(sorted(allowed))}")
    for field in _REQUIRED[kind]:
        if raw.get(field) is None:
            raise fail(f"missing field {field!r} for kind {kind!r}")
    group = _ONE_OF[kind]
    if group:
        given = [field for field in group if raw.get(field) is not None]
        if len(given) != 1:
            which = "both" if len(given) > 1 else "neither"
            raise fail(f"kind {kind!r} takes exactly one of {' or '.join(map(repr, group))} ({which} given)")

    def path_field(field: str) -> Path | str | None:
        """The path as a local `Path`, or a storage URL as written (a str)."""
        value = raw.get(field)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise fail(f"field {field!r} must be a non-empty path string")
        if kind == "folder" and field == "path" and Path(value).suffix.lower() in SOURCES_FILE_SUFFIXES:
            raise fail(f"field 'path' names a sources file ({value!r}); sources files do not nest")
        located = as_source(value.strip())
        if is_url(located):
            assert isinstance(located, str)
            if kind == "urls":
                raise fail(f"field 'file' must be a local path; a URL list is read from local disk, not {located!r}")
            problem = url_problem(located)
            if problem is not None:
                raise fail(f"field {field!r}: {problem}")
            return located
        return Path(_abspath(base_dir / Path(located).expanduser()))

    def url_field(value: Any, field: str) -> str:
        try:
            return check_url(value.strip() if isinstance(value, str) else value)
        except FetchError as exc:
            raise fail(f"field {field!r}: {exc.detail}") from None

    urls: tuple[str, ...] = ()
    if kind == "urls" and raw.get("urls") is not None:
        value = raw["urls"]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise fail("field 'urls' must be a non-empty list of URLs")
        urls = tuple(url_field(item, f"urls[{i}]") for i, item in enumerate(value))
    url = url_field(raw["url"], "url") if raw.get("url") is not None else None
    path_key = "file" if kind == "urls" else "path"
    path = path_field(path_key)
    path_text = raw[path_key].strip() if path is not None else None
    remote = path if isinstance(path, str) else None
    path = None if remote is not None else path
    license_ = raw.get("license")
    if license_ is not None:
        if not isinstance(license_, str) or not license_.strip() or "\n" in license_.strip():
            raise fail("field 'license' must be one line: an SPDX identifier (CC-BY-4.0) or the link to the terms")
        license_ = " ".join(license_.split())
        if len(license_) > _MAX_LICENSE_CHARS:
            raise fail(f"field 'license' is over {_MAX_LICENSE_CHARS} characters: give an identifier or a link, not the text")
    return SourceEntry(name=name, kind=kind, path=path, path_text=path_text, urls=urls, url=url, license=license_, remote=remote)


def _abspath(path: Path) -> str:
    return os.path.abspath(path)
