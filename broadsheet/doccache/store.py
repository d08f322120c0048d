"""The per-document cache's store: one verified JSON entry per document under `<build>/cache/`.

Entries are written atomically (temporary file, then rename), so a run that dies half-way keeps
what it finished, and verified on read (SHA-256, fingerprint, key, every field's type). An entry
that fails is deleted and counted as evicted, and the document is computed again: never dropped,
never an error. The folders of other fingerprints are pruned at the end of a run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet.doccache.codec import CacheEntryError, Codec
from broadsheet.doccache.inputs import CACHE_FORMAT
from broadsheet.tableio import write_atomic

SUFFIX = ".json"


# An entry is one document's results: far below this even for the largest article ingest accepts
# (20 MiB). A bigger file is not read into memory; it is evicted.
MAX_ENTRY_BYTES = 256 * 1024 * 1024


_SHARD_NAME = re.compile(r"^[0-9a-f]{2}$")


_HEADER_KEYS = {"format", "codec", "fingerprint", "key", "sha256"}


# An entry is opened without following a symbolic link and without waiting on a FIFO.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


@dataclass
class CacheStats:
    processed: int = 0  # computed in this run (cache misses)
    reused: int = 0  # read back from the cache
    evicted: int = 0  # entries that failed verification: deleted, and their documents computed again
    unstored: int = 0  # results that could not be written (not storable, or a write error); used all the same


_ENTRY_NAME = re.compile(r"^[0-9a-f]{64}" + re.escape(SUFFIX) + "$")


def encoded(value: Any, codec: Codec) -> bytes | None:
    """The payload that stores `value` (what `DocumentCache.put` writes after its header); None
    when the value does not have the codec's shape, and is then left out of the cache."""
    try:
        # ASCII escapes keep every string exact, lone surrogates included, and keep newlines out
        # of the payload line.
        return json.dumps(codec.encode(value), separators=(",", ":")).encode("ascii")
    except (CacheEntryError, ValueError, TypeError, RecursionError):
        return None


class DocumentCache:
    """`<root>/<stage>/<fingerprint[:16]>/<key[:2]>/<key>.json`: one stage's per-document results.

    An entry is two lines: a JSON header (format, codec, fingerprint, key and the SHA-256 of the
    payload) and the payload, the value as its :class:`Codec` encodes it.
    """

    def __init__(self, root: Path, stage: str, fingerprint: str) -> None:
        self.stage_dir = Path(root) / stage
        self.fingerprint = fingerprint
        self.directory = self.stage_dir / fingerprint[:16]
        self.stats = CacheStats()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}{SUFFIX}"

    def get(self, key: str, codec: Codec) -> Any | None:
        """The verified value stored under `key`, else None; an entry that fails is evicted."""
        path = self._path(key)
        try:
            data = _read_entry(path)
            if data is None:
                return None
            return self._verified(data, key, codec)
        except Exception:  # noqa: BLE001 - whatever is wrong with the file, it is a miss, never an error
            self._evict(path)
            return None

    def _verified(self, data: bytes, key: str, codec: Codec) -> Any:
        header_line, newline, payload = data.partition(b"\n")
        header = json.loads(header_line)
        if not newline or type(header) is not dict or header.keys() != _HEADER_KEYS:
            raise CacheEntryError("not a cache entry")
        expected = {"format": CACHE_FORMAT, "codec": codec.name, "fingerprint": self.fingerprint, "key": key}
        for field_name, value in expected.items():
            if header[field_name] != value:
                raise CacheEntryError(f"entry of another {field_name}")
        if header["sha256"] != hashlib.sha256(payload).hexdigest():
            raise CacheEntryError("payload does not match its SHA-256")
        return codec.decode(json.loads(payload))

    def _evict(self, path: Path) -> None:
        self.stats.evicted += 1
        _remove(path)

    def put(self, key: str, value: Any, codec: Codec) -> bool:
        """Store `value` atomically; False when it cannot be (the result is good all the same)."""
        return self.put_encoded(key, encoded(value, codec), codec)

    def put_encoded(self, key: str, payload: bytes | None, codec: Codec) -> bool:
        """Store a value `encoded` already (by a worker process, beside its work) atomically;
        False when it cannot be (a payload of None: the value could not be encoded)."""
        if payload is None:
            self.stats.unstored += 1
            return False
        path = self._path(key)
        try:
            header = {
                "format": CACHE_FORMAT,
                "codec": codec.name,
                "fingerprint": self.fingerprint,
                "key": key,
                "sha256": hashlib.sha256(payload).hexdigest(),
            }
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps(header, separators=(",", ":")).encode("ascii") + b"\n" + payload)
        except (CacheEntryError, ValueError, TypeError, RecursionError, OSError):
            self.stats.unstored += 1
            return False
        return True

    def lookup(self, key: str, compute: Callable[[], Any], codec: Codec, keep: Callable[[Any], bool] | None = None) -> Any:
        """The cached value for `key`, else `compute()` stored under it; counts reuse and work.

        `keep(value)` false leaves a computed value out of the cache: an outcome that depends on
        the moment rather than the input (a document stopped by its time budget) is tried again.
        """
        value = self.get(key, codec)
        if value is not None:
            self.stats.reused += 1
            return value
        self.stats.processed += 1  # counted before computing: a document that fails was still tried
        value = compute()
        if keep is None or keep(value):
            self.put(key, value, codec)
        return value

    def prune_other_fingerprints(self) -> list[Path]:
        """Delete what can never be hit again: the folders of older code, rules, models or cache
        formats, and in this fingerprint's folder every file that is not an entry of this format
        (an older format's file, the temporary file of a write that was killed)."""
        removed = []
        if not self.stage_dir.is_dir():
            return removed
        for child in sorted(self.stage_dir.iterdir()):
            if child.name == self.directory.name and child.is_dir() and not child.is_symlink():
                removed.extend(_prune_foreign(child))
            else:
                _remove(child)
                removed.append(child)
        return removed


def _read_entry(path: Path) -> bytes | None:
    """The bytes of a regular file of at most MAX_ENTRY_BYTES; None when there is no file."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            raise CacheEntryError("not a regular file of a cache entry's size")
        data = fh.read(info.st_size + 1)  # sized by the file: a read of the maximum allocates it
        if len(data) != info.st_size:
            raise CacheEntryError("the file changed while it was read")
        return data


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:  # the next put, or the next prune, tries again
        pass


def _prune_foreign(directory: Path) -> list[Path]:
    removed = []
    for shard in sorted(directory.iterdir()):
        if not _SHARD_NAME.match(shard.name) or shard.is_symlink() or not shard.is_dir():
            _remove(shard)
            removed.append(shard)
            continue
        for entry in sorted(shard.iterdir()):
            if (
                not _ENTRY_NAME.match(entry.name)
                or not entry.name.startswith(shard.name)
                or entry.is_symlink()
                or not entry.is_file()
            ):
                _remove(entry)
                removed.append(entry)
    return removed
