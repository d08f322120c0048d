"""A per-document result cache under the build folder, so a refresh redoes only what changed.

Cleaning one article and running the extractors over one text are the expensive steps of a run,
and each depends only on that one document and on the code, rules and model that process it. A
result is stored under two keys:

- the stage's **fingerprint**: a hash of the source files, rule files and model files that
  produce the result, plus the versions of the libraries whose arithmetic they rely on. Editing
  a rule, retraining the model or upgrading spaCy changes it, and the whole stage's cache is
  then missed (and the folders of other fingerprints are pruned at the end of a run);
- the document's **content key**: a hash of exactly the fields the per-document step reads.

Entries are pickles written atomically (temporary file, then rename), one file per document, so
a run that dies half-way keeps what it finished. Corpus-level steps (entity canonicalization,
near-duplicate clusters, ids) are cheap and are never cached: they are recomputed over the whole
corpus every run, so ids and clusters stay consistent.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import pickle
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from broadsheet.paths import PACKAGE_DIR
from broadsheet.tableio import write_atomic

# Bump when the layout of cache entries changes.
CACHE_FORMAT = 1

# What each cached stage's per-document step runs: every module it imports (a test checks this
# list against the imports), its rule files, and the libraries whose output it depends on.
CLEAN_INPUTS = (
    "__init__.py",
    "clean",
    "documents.py",
    "language.py",
    "text.py",
    "neardup.py",
    "extract/__init__.py",
    "extract/dates.py",
    "extract/timex",
    "extract/timex_lexicon.yaml",
)
CLEAN_LIBRARIES = ("pysbd",)
EXTRACT_INPUTS = (
    "__init__.py",
    "extract",
    "entities",
    "text.py",
    "ids.py",
    "paths.py",
)
EXTRACT_LIBRARIES = ("pysbd", "spacy", "thinc", "numpy")


def _files(root: Path, relative: Iterable[str]) -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = []
    for rel in relative:
        path = root / rel
        if path.is_dir():
            out.extend(
                (p.relative_to(root).as_posix(), p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".pyo"}
            )
        elif path.is_file():
            out.append((rel, path))
        else:
            raise FileNotFoundError(f"cache fingerprint input {path} does not exist")
    return out


def fingerprint(
    package_paths: Sequence[str],
    libraries: Sequence[str] = (),
    extra_dirs: Sequence[Path] = (),
    package_dir: Path = PACKAGE_DIR,
) -> str:
    """Hash of the files (path and bytes) and library versions a per-document step depends on."""
    digest = hashlib.sha256(f"broadsheet-cache:{CACHE_FORMAT}\n".encode())
    entries = _files(package_dir, package_paths)
    for extra in extra_dirs:
        entries.extend((f"{extra.name}/{p.relative_to(extra).as_posix()}", p) for p in sorted(Path(extra).rglob("*")) if p.is_file())
    for name, path in entries:
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for library in sorted(libraries):
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{library}=={version}\n".encode())
    return digest.hexdigest()


@functools.cache
def clean_fingerprint() -> str:
    return fingerprint(CLEAN_INPUTS, CLEAN_LIBRARIES)


@functools.cache
def extract_fingerprint(model_dir: Path | None = None) -> str:
    from broadsheet.entities.recognizer import DEFAULT_MODEL_DIR

    return fingerprint(EXTRACT_INPUTS, EXTRACT_LIBRARIES, extra_dirs=(Path(model_dir or DEFAULT_MODEL_DIR),))


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot key on {type(value).__name__}")


def content_key(value: Any) -> str:
    """SHA-256 of a canonical JSON form of `value` (dates as ISO strings, keys sorted)."""
    payload = json.dumps(value, sort_keys=True, ensure_ascii=False, default=_json_default, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class CacheStats:
    processed: int = 0  # computed in this run (cache misses)
    reused: int = 0  # read back from the cache


class DocumentCache:
    """`<root>/<stage>/<fingerprint[:16]>/<key[:2]>/<key>.pkl`: one stage's per-document results."""

    def __init__(self, root: Path, stage: str, fingerprint: str) -> None:
        self.stage_dir = Path(root) / stage
        self.fingerprint = fingerprint
        self.directory = self.stage_dir / fingerprint[:16]
        self.stats = CacheStats()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.pkl"

    def get(self, key: str) -> Any | None:
        path = self._path(key)
        try:
            with open(path, "rb") as fh:
                entry = pickle.load(fh)
        except FileNotFoundError:
            return None
        except Exception:  # a truncated or foreign file is a miss, never an error
            return None
        if not isinstance(entry, dict) or entry.get("fingerprint") != self.fingerprint or entry.get("key") != key:
            return None
        return entry["value"]

    def put(self, key: str, value: Any) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"fingerprint": self.fingerprint, "key": key, "value": value}
        write_atomic(path, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))

    def lookup(self, key: str, compute):
        """The cached value for `key`, else `compute()` stored under it; counts reuse and work."""
        value = self.get(key)
        if value is not None:
            self.stats.reused += 1
            return value
        self.stats.processed += 1  # counted before computing: a document that fails was still tried
        value = compute()
        self.put(key, value)
        return value

    def prune_other_fingerprints(self) -> list[Path]:
        """Delete the entries of older code, rules or models: they can never be hit again."""
        removed = []
        if self.stage_dir.is_dir():
            for child in sorted(self.stage_dir.iterdir()):
                if child.is_dir() and child.name != self.directory.name:
                    shutil.rmtree(child, ignore_errors=True)
                    removed.append(child)
        return removed
