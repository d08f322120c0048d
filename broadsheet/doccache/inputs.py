"""What a cached result depends on: the stage's fingerprint and the document's content key.

The **fingerprint** hashes the source files, rule files and model files that produce a stage's
per-document result, plus the versions of the libraries whose arithmetic they rely on: editing a
rule, retraining the model or upgrading spaCy changes it, and the whole stage's cache is then
missed. The **content key** hashes exactly the fields the per-document step reads.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from broadsheet.paths import PACKAGE_DIR

# Bump when the layout of cache entries changes. It is part of every fingerprint, so entries of
# an older format sit in another folder, are never opened, and are pruned. Format 1 was pickle.
CACHE_FORMAT = 2


# What each cached stage's per-document step runs: every module it imports (a test checks this
# list against the imports), its rule files, and the libraries whose output it depends on.
CLEAN_INPUTS = (
    "__init__.py",
    "version.py",
    "budget.py",
    "calendar.py",
    "clean",
    "language.py",
    "text.py",
    "abbreviations.yaml",
    "paths.py",
    "schema.py",
    "yamlfile.py",
    "frames.py",
    "extract/__init__.py",
    "extract/dates.py",
    "extract/timex",
    "extract/timex_lexicon.yaml",
)


CLEAN_LIBRARIES = ("sentencex",)


EXTRACT_INPUTS = (
    "__init__.py",
    "calendar.py",
    "version.py",
    "schema.py",
    "yamlfile.py",
    "budget.py",
    "extract",
    "entities",
    "text.py",
    "abbreviations.yaml",
    "ids.py",
    "paths.py",
    "memory.py",
    "frames.py",
)


EXTRACT_LIBRARIES = ("sentencex", "spacy", "thinc", "numpy")


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
        entries.extend(
            (f"{extra.name}/{p.relative_to(extra).as_posix()}", p) for p in sorted(Path(extra).rglob("*")) if p.is_file()
        )
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
    # The table definitions too: cleaning rejects a document row that its schema would refuse.
    from broadsheet.paths import schemas_dir

    return fingerprint(CLEAN_INPUTS, CLEAN_LIBRARIES, extra_dirs=(schemas_dir(),))


@functools.cache
def extract_fingerprint(model_dir: Path | None = None) -> str:
    from broadsheet.entities.recognizer import DEFAULT_MODEL_DIR

    # The table definitions too: the claims extractor reads its vocabularies from them.
    from broadsheet.paths import schemas_dir

    return fingerprint(EXTRACT_INPUTS, EXTRACT_LIBRARIES, extra_dirs=(Path(model_dir or DEFAULT_MODEL_DIR), schemas_dir()))


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
