"""A per-document result cache under the build folder, so a refresh redoes only what changed.

Cleaning one article and running the extractors over one text are the expensive steps of a run,
and each depends only on that one document and on the code, rules and model that process it. A
result is stored under two keys:

- the stage's **fingerprint**: a hash of the source files, rule files and model files that
  produce the result, plus the versions of the libraries whose arithmetic they rely on. Editing
  a rule, retraining the model or upgrading spaCy changes it, and the whole stage's cache is
  then missed (and the folders of other fingerprints are pruned at the end of a run);
- the document's **content key**: a hash of exactly the fields the per-document step reads.

Entries are JSON, one file per document, written atomically (temporary file, then rename), so a
run that dies half-way keeps what it finished. The build folder is not trusted: nothing read from
it can run code or build an object other than the dataclasses the caller names (a
:class:`Codec`), and every entry is verified on read: its SHA-256, fingerprint, key, and the
type of every field. An entry that fails is deleted and counted as evicted, and the document is
computed again; it is never dropped and never an error. Corpus-level steps (entity
canonicalization, near-duplicate clusters, ids) are cheap and are never cached: they are
recomputed over the whole corpus every run, so ids and clusters stay consistent.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
import math
import os
import re
import shutil
import stat
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from broadsheet.paths import PACKAGE_DIR
from broadsheet.tableio import write_atomic

# Bump when the layout of cache entries changes. It is part of every fingerprint, so entries of
# an older format sit in another folder, are never opened, and are pruned. Format 1 was pickle.
CACHE_FORMAT = 2
SUFFIX = ".json"
# An entry is one document's results: far below this even for the largest article ingest accepts
# (20 MiB). A bigger file is not read into memory; it is evicted.
MAX_ENTRY_BYTES = 256 * 1024 * 1024

# What each cached stage's per-document step runs: every module it imports (a test checks this
# list against the imports), its rule files, and the libraries whose output it depends on.
CLEAN_INPUTS = (
    "__init__.py",
    "budget.py",
    "clean",
    "documents.py",
    "language.py",
    "text.py",
    "neardup.py",
    "paths.py",
    "schema.py",
    "extract/__init__.py",
    "extract/dates.py",
    "extract/timex",
    "extract/timex_lexicon.yaml",
)
CLEAN_LIBRARIES = ("pysbd",)
EXTRACT_INPUTS = (
    "__init__.py",
    "budget.py",
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
    # The table definitions too: cleaning rejects a document row that its schema would refuse.
    from broadsheet.paths import schemas_dir

    return fingerprint(CLEAN_INPUTS, CLEAN_LIBRARIES, extra_dirs=(schemas_dir(),))


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


class CacheEntryError(ValueError):
    """A value that does not have the shape its :class:`Codec` declares, or an entry that fails verification."""


Row = dict[str, Any]
RowCheck = Callable[[Mapping[str, Any]], None]
Encoder = Callable[[Any], Any]

# In a row (dict[str, Any]) nothing declares which values are dates, so they are tagged.
_DATE_TAG = "$date"
_DATETIME_TAG = "$datetime"
_JSON_SCALARS = (str, int, float, bool, type(None))


class _Conv(typing.NamedTuple):
    """How one declared type is stored and read back.

    ``accepts``: the types a JSON value may have at this place. ``decode`` is None when such a
    value is already the stored value (ints, strings, ...); otherwise it turns the JSON value
    into the stored one and checks all of it itself.
    """

    encode: Encoder
    decode: Encoder | None
    accepts: frozenset[type]


def _exact(kind: type) -> _Conv:
    # type() rather than isinstance: a bool is not an int here, and a subclass is not stored.
    def encode(value: Any) -> Any:
        if type(value) is not kind:
            raise CacheEntryError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return _Conv(encode, None, frozenset({kind}))


def _float() -> _Conv:
    def encode(value: Any) -> float:
        # An int where a float is declared is stored as the equal float (1 == 1.0); the JSON
        # encoder always writes a float with its decimal point, so one is always read back.
        if type(value) is float or type(value) is int:
            return float(value)
        raise CacheEntryError(f"expected float, got {type(value).__name__}")

    return _Conv(encode, None, frozenset({float}))


def _iso(kind: type[dt.date]) -> _Conv:
    def encode(value: Any) -> str:
        if type(value) is not kind:
            raise CacheEntryError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value.isoformat()

    def decode(value: Any) -> dt.date:
        if type(value) is not str:
            raise CacheEntryError(f"expected an ISO {kind.__name__}, got {type(value).__name__}")
        parsed = kind.fromisoformat(value)
        if parsed.isoformat() != value:  # only the form the encoder writes
            raise CacheEntryError(f"{value!r} is not a {kind.__name__} as the cache writes it")
        return parsed

    return _Conv(encode, decode, frozenset({str}))


def _encode_any(value: Any) -> Any:
    if type(value) in _JSON_SCALARS:
        return value
    if type(value) is dt.datetime:
        return {_DATETIME_TAG: value.isoformat()}
    if type(value) is dt.date:
        return {_DATE_TAG: value.isoformat()}
    if type(value) is list:
        return [_encode_any(v) for v in value]
    raise CacheEntryError(f"a row value of type {type(value).__name__} cannot be stored")


_DECODE_TAGGED = {_DATE_TAG: _iso(dt.date).decode, _DATETIME_TAG: _iso(dt.datetime).decode}


def _decode_any(value: Any) -> Any:
    if type(value) in _JSON_SCALARS:
        return value
    if type(value) is list:
        return [_decode_any(v) for v in value]
    if type(value) is dict and len(value) == 1:
        ((tag, text),) = value.items()
        if tag in _DECODE_TAGGED:
            return _DECODE_TAGGED[tag](text)
    raise CacheEntryError(f"a row value of type {type(value).__name__} is not one the cache writes")


def _row(check: RowCheck | None) -> _Conv:
    def encode(value: Any) -> dict:
        if type(value) is not dict or not all(type(k) is str for k in value):
            raise CacheEntryError(f"expected a row (dict with str keys), got {type(value).__name__}")
        if check is not None:
            check(value)
        return {k: _encode_any(v) for k, v in value.items()}

    def decode(value: Any) -> Row:
        if type(value) is not dict:
            raise CacheEntryError(f"expected a row, got {type(value).__name__}")
        row = {k: _decode_any(v) for k, v in value.items()}
        if check is not None:
            check(row)
        return row

    return _Conv(encode, decode, frozenset({dict}))


def _optional(inner: _Conv) -> _Conv:
    enc, dec = inner.encode, inner.decode
    decode = None if dec is None else (lambda v: None if v is None else dec(v))
    return _Conv(lambda v: None if v is None else enc(v), decode, inner.accepts | {type(None)})


def _checked(conv: _Conv) -> Encoder:
    """`conv`'s decoder, or, where it has none, a check of the value's type."""
    if conv.decode is not None:
        return conv.decode
    accepts = conv.accepts

    def check(value: Any) -> Any:
        if type(value) not in accepts:
            raise CacheEntryError(f"a {type(value).__name__} where {sorted(t.__name__ for t in accepts)} is declared")
        return value

    return check


def _sequence(kind: type, inner: _Conv) -> _Conv:
    enc, dec, accepts = inner

    def encode(value: Any) -> list:
        if type(value) is not kind:
            raise CacheEntryError(f"expected {kind.__name__}, got {type(value).__name__}")
        return [enc(v) for v in value]

    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise CacheEntryError(f"expected a list, got {type(value).__name__}")
        if dec is None:
            if not accepts.issuperset(map(type, value)):
                raise CacheEntryError(f"a list item not of the types {sorted(t.__name__ for t in accepts)}")
            items = value  # the freshly parsed list, already the stored one
        else:
            items = [dec(v) for v in value]
        return items if kind is list else kind(items)

    return _Conv(encode, decode, frozenset({list}))


def _fixed_tuple(inner: Sequence[_Conv]) -> _Conv:
    encs = [c.encode for c in inner]
    decs = [_checked(c) for c in inner]

    def encode(value: Any) -> list:
        if type(value) is not tuple or len(value) != len(encs):
            raise CacheEntryError(f"expected a tuple of {len(encs)}, got {type(value).__name__}")
        return [e(v) for e, v in zip(encs, value, strict=True)]

    def decode(value: Any) -> tuple:
        if type(value) is not list or len(value) != len(decs):
            raise CacheEntryError(f"expected a list of {len(decs)}")
        return tuple(d(v) for d, v in zip(decs, value, strict=True))

    return _Conv(encode, decode, frozenset({list}))


# Up to this many combinations of field types, a dataclass's fields are checked all at once
# against the set of allowed combinations (one C-level lookup instead of a call per field).
_MAX_SIGNATURES = 4096


def _dataclass(cls: type, row_checks: Mapping[str, RowCheck]) -> _Conv:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    unknown = set(row_checks) - set(names)
    if unknown:
        raise TypeError(f"{cls.__qualname__} has no field {', '.join(sorted(unknown))}")
    convs = [_converters(hints[name], row_checks.get(name)) for name in names]
    encs = [c.encode for c in convs]
    n = len(names)
    # Fields whose JSON value is not yet the stored one (dates, lists, nested dataclasses, rows)
    converted = [(i, c.decode) for i, c in enumerate(convs) if c.decode is not None]
    if math.prod(len(c.accepts) for c in convs) <= _MAX_SIGNATURES:
        signatures = frozenset(itertools.product(*(c.accepts for c in convs)))

        def fits(value: list) -> bool:
            return tuple(map(type, value)) in signatures

    else:
        accepts = [c.accepts for c in convs]

        def fits(value: list) -> bool:
            return all(type(v) in a for v, a in zip(value, accepts, strict=True))

    # Positional: a dataclass is stored as the list of its field values, in declaration order.
    def encode(value: Any) -> list:
        if type(value) is not cls:
            raise CacheEntryError(f"expected {cls.__qualname__}, got {type(value).__name__}")
        return [e(getattr(value, name)) for e, name in zip(encs, names, strict=True)]

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != n or not fits(value):
            raise CacheEntryError(f"not the {n} fields of {cls.__qualname__} with their declared types")
        for i, dec in converted:
            value[i] = dec(value[i])  # the freshly parsed list is this decoder's own
        return cls(*value)

    return _Conv(encode, decode, frozenset({list}))


def _table(cls: type) -> _Conv:
    """A list of dataclasses stored by column, one JSON list per field: each column is checked
    with one C-level pass over its types, and the objects are then built without a call per
    object (a document holds tens to hundreds of mentions, claims and dates)."""
    if hasattr(cls, "__post_init__") or "__slots__" in vars(cls):
        return _sequence(list, _dataclass(cls, {}))  # built through its __init__, one by one
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    convs = [_converters(hints[name]) for name in names]
    encs = [c.encode for c in convs]
    n = len(names)
    new = object.__new__

    def encode(value: Any) -> list:
        if type(value) is not list or not all(type(v) is cls for v in value):
            raise CacheEntryError(f"expected a list of {cls.__qualname__}")
        return [[e(getattr(v, name)) for v in value] for e, name in zip(encs, names, strict=True)]

    def decode(value: Any) -> list:
        if type(value) is not list or len(value) != n or not all(type(c) is list for c in value):
            raise CacheEntryError(f"not the {n} columns of {cls.__qualname__}")
        if len({len(c) for c in value}) > 1:
            raise CacheEntryError(f"columns of {cls.__qualname__} of different lengths")
        columns = []
        for column, (_, dec, accepts) in zip(value, convs, strict=True):
            if dec is not None:
                column = [dec(v) for v in column]
            elif not accepts.issuperset(map(type, column)):
                raise CacheEntryError(f"a {cls.__qualname__} field not of the types {sorted(t.__name__ for t in accepts)}")
            columns.append(column)
        out = []
        for row in zip(*columns):
            # the fields set directly, as unpickling does: a generated __init__ only assigns them
            obj = new(cls)
            obj.__dict__.update(zip(names, row))
            out.append(obj)
        return out

    return _Conv(encode, decode, frozenset({list}))


def _converters(hint: Any, row_check: RowCheck | None = None) -> _Conv:
    """How a value of one declared type is stored; a type outside this list is refused when the
    codec is built, so what a codec can construct is known from its dataclass alone."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is float:
        return _float()
    if hint in (int, str, bool):
        return _exact(hint)
    if hint is dt.datetime or hint is dt.date:
        return _iso(hint)
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return _optional(_converters(inner, row_check))
    if origin is list and len(args) == 1 and is_dataclass(args[0]):
        return _table(args[0])
    if origin is list and len(args) == 1:
        return _sequence(list, _converters(args[0], row_check))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence(tuple, _converters(args[0], row_check))
    if origin is tuple and args and Ellipsis not in args:
        return _fixed_tuple([_converters(a, row_check) for a in args])
    if origin is dict and args == (str, Any):
        return _row(row_check)
    if is_dataclass(hint) and isinstance(hint, type):
        return _dataclass(hint, {})
    raise TypeError(f"the cache cannot store values of type {hint!r}")


class Codec:
    """Typed JSON (de)serialisation of exactly one dataclass: what one stage stores per document.

    Fields are encoded as their declared types say (dates as ISO strings, tuples and lists as JSON
    lists, restored as declared; ``dict[str, Any]`` rows with their dates tagged), and decoding
    checks every value against its declared type, so a null or a wrong-typed value is refused
    rather than passed on. ``row_checks`` adds a check to the rows of named fields (their table's
    columns, see :func:`table_row_check`). Nothing but these dataclasses is ever constructed.
    """

    def __init__(self, cls: type, row_checks: Mapping[str, RowCheck] | None = None) -> None:
        if not is_dataclass(cls):
            raise TypeError(f"{cls!r} is not a dataclass")
        self.name = f"{cls.__module__}.{cls.__qualname__}"
        conv = _dataclass(cls, row_checks or {})
        self.encode, self.decode = conv.encode, conv.decode


# What each column type of `schemas/` accepts in a row (broadsheet.schema.ARROW_TYPES).
_FITS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: type(v) is str,
    "int64": lambda v: type(v) is int,
    "float64": lambda v: type(v) is float or type(v) is int,
    "bool": lambda v: type(v) is bool,
    "date": lambda v: type(v) is dt.date,
    "list<string>": lambda v: type(v) is list and all(type(x) is str for x in v),
}


def table_row_check(table: Any, omit: Iterable[str] = ()) -> RowCheck:
    """A check that a row has exactly `table`'s columns (a :class:`broadsheet.schema.TableSchema`)
    but `omit`, each value of its column's type, and a null only where the column allows one."""
    left_out = set(omit)
    columns = [(c.name, c.nullable, _FITS[c.type], c.type) for c in table.columns if c.name not in left_out]
    expected = {name for name, *_ in columns}

    def check(row: Mapping[str, Any]) -> None:
        if row.keys() != expected:
            raise CacheEntryError(f"a {table.name} row without exactly its columns")
        for name, nullable, fits, kind in columns:
            value = row[name]
            if value is None:
                if not nullable:
                    raise CacheEntryError(f"{table.name}.{name} is null")
            elif not fits(value):
                raise CacheEntryError(f"{table.name}.{name} is a {type(value).__name__}, not {kind}")

    return check


@dataclass
class CacheStats:
    processed: int = 0  # computed in this run (cache misses)
    reused: int = 0  # read back from the cache
    evicted: int = 0  # entries that failed verification: deleted, and their documents computed again
    unstored: int = 0  # results that could not be written (not storable, or a write error); used all the same


_ENTRY_NAME = re.compile(r"^[0-9a-f]{64}" + re.escape(SUFFIX) + "$")
_SHARD_NAME = re.compile(r"^[0-9a-f]{2}$")
_HEADER_KEYS = {"format", "codec", "fingerprint", "key", "sha256"}
# An entry is opened without following a symbolic link and without waiting on a FIFO.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


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
        path = self._path(key)
        try:
            # ASCII escapes keep every string exact, lone surrogates included, and keep newlines
            # out of the payload line.
            payload = json.dumps(codec.encode(value), separators=(",", ":")).encode("ascii")
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

    def lookup(
        self, key: str, compute: Callable[[], Any], codec: Codec, keep: Callable[[Any], bool] | None = None
    ) -> Any:
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
            if not _ENTRY_NAME.match(entry.name) or not entry.name.startswith(shard.name) or entry.is_symlink() or not entry.is_file():
                _remove(entry)
                removed.append(entry)
    return removed
