"""Sources in object storage: fsspec URLs (s3://, gs://, az://, memory://, ...) read as folders and files.

The one place that knows fsspec. A source named by a URL (`scheme://...`, or an fsspec chain such
as `simplecache::s3://...`) is listed and read through the filesystem fsspec has for its
protocol, under the rules of a local folder (`broadsheet.ingest.sources`), so that the rest of
ingest does not care where a file lives:

- a folder URL is walked recursively in sorted order, a folder's files before its subfolders;
  names starting with '.' are skipped, and everything under them; so are files starting with '_';
- each object's `source_uri` is its URL: the URL as named, then the object's path under it
  (`s3://bucket/news/2026/a.txt`), so doc ids do not depend on the machine or its mounts;
- nothing outside the named prefix is read: what a listing returns is kept only below the prefix
  (a store's prefix listing of `news` may also match `news-old/`);
- an object is read only up to the per-file limit (its listed size is checked first, and the read
  asks for one byte past the limit).

A `file://` URL is the local path it names (`as_source`), read by the local walker as that path
would be: symbolic links are judged and FIFOs refused without blocking (fsspec's local filesystem
would open a FIFO and wait), and its files are named relative to the folder's parent, so the
same folder gives the same doc ids however it is named. `http(s)://` URLs are fetched by
`broadsheet.ingest.fetch` (entries of kind urls, feed or warc), with its timeouts, size limits and
cache, never listed here.

Credentials come from the filesystem's own configuration (its environment variables, config files,
instance roles), never from the URL: a URL with a password (`user:secret@`) or a query (signed
URLs, SAS tokens) is refused before any I/O, since the URL is published as `source_uri`.

Nothing here raises for a source that cannot be read. Listing gives rejects: an unknown protocol
or a filesystem package that is not installed is `bad_url` (naming the package to install), a
missing prefix `missing_source`, a refused permission `unreadable`, storage that cannot be reached
`fetch_failed` or `fetch_timeout`. Reading an object raises only `OSError`s that
`broadsheet.ingest.reading` turns into rejects (`StorageUnavailable` says which reason).
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

from broadsheet.ingest.localfile import FileTooLarge
from broadsheet.ingest.records import Reject, make_reject

__all__ = [
    "RemoteFile",
    "StorageUnavailable",
    "as_source",
    "find_remote_files",
    "is_url",
    "open_remote_file",
    "url_name",
    "url_problem",
]

# A scheme (RFC 3986) then '://', or an fsspec chain ('simplecache::s3://...'); a local name with
# '::' in it and no '://' stays a path.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*(://|::.*://)")
_LOCAL_PROTOCOLS = frozenset({"file", "local"})
_FETCHED_PROTOCOLS = frozenset({"http", "https"})
# Storage errors are quoted into the rejects table; a long one is a stack of library internals.
_MAX_MESSAGE = 300


class StorageUnavailable(OSError):
    """The storage could not be reached or answered with an error; `reason` is the reject's code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(errno.EIO, message)
        self.reason = reason


@dataclass(frozen=True)
class RemoteFile:
    """One object under a URL source: the `SourceFile` interface (suffix, key, read) over fsspec."""

    source_uri: str
    path: str  # in the filesystem's own terms (no protocol)
    size: int | None  # as listed
    fs: Any = field(compare=False, repr=False)

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.path).suffix.lower()

    @property
    def key(self) -> str:
        return self.source_uri

    def read(self, max_bytes: int) -> bytes:
        """The object's bytes; raises `FileTooLarge`, `FileNotFoundError`, `PermissionError` or `StorageUnavailable`."""
        if self.size is not None and self.size > max_bytes:
            raise FileTooLarge(self.size)
        try:
            data = self.fs.cat_file(self.path, start=0, end=max_bytes + 1)
        except FileNotFoundError:
            raise FileNotFoundError(errno.ENOENT, "the object no longer exists (removed after its folder was listed)") from None
        except Exception as exc:  # noqa: BLE001 - a storage library's own errors are not OSErrors
            raise _os_error(exc) from None
        if len(data) > max_bytes:  # it grew after the listing
            raise FileTooLarge(len(data))
        return bytes(data)


def is_url(source: object) -> bool:
    """Whether a source argument is a storage URL (a string; a `Path` is always a local path).

    A local file URL is not (see `as_source`)."""
    return isinstance(source, str) and _URL.match(source) is not None and _file_url_path(source) is None


def as_source(source: str | Path) -> str | Path:
    """A source argument as ingest reads it: a local file URL becomes the `Path` it names; the rest as given.

    `file:///data/news` is the local folder /data/news; so is `local:///data/news`.
    """
    local = _file_url_path(source) if isinstance(source, str) else None
    return source if local is None else local


def _file_url_path(source: str) -> Path | None:
    if "::" in source or "://" not in source or source.split("://", 1)[0].lower() not in _LOCAL_PROTOCOLS:
        return None
    split = urlsplit(source)
    if split.netloc not in ("", "localhost"):
        return None  # a file on another host: fsspec's business, and an unknown one (a reject)
    return Path(unquote(split.path) or "/")


def url_problem(url: str) -> str | None:
    """Why `url` cannot name a folder or file source, found without I/O; None when it may."""
    for part in url.split("::"):
        if "://" not in part:
            continue
        try:
            split = urlsplit(part)
        except ValueError as exc:
            return f"{_redacted(url)!r} is not a valid URL: {exc}"
        if split.password is not None:
            return (
                f"{_redacted(url)!r} holds a password; credentials come from the storage's own configuration "
                "(environment, config files), never from the URL, which is published as the documents' source_uri"
            )
        if split.query:
            return (
                f"{_redacted(url)!r} has a query ('?...'); signed URLs and tokens are not taken, since the URL is "
                "published as the documents' source_uri: configure the storage's credentials instead"
            )
    protocol = _protocol(url)
    if protocol in _LOCAL_PROTOCOLS and "::" not in url:
        return f"{url!r} names a file on another host; only local file URLs (file:///path) are read"
    if protocol in _FETCHED_PROTOCOLS:
        return (
            f"{url!r} is a web address: list it in a sources file entry of kind 'urls', 'feed' or 'warc' (url:), "
            "where it is fetched with timeouts and limits"
        )
    from fsspec.registry import known_implementations, registry

    if protocol not in known_implementations and protocol not in registry:
        return f"{url!r}: {protocol!r} is not a protocol fsspec knows (s3, gs, az, memory, ... : see fsspec's registry)"
    return None


def url_name(url: str) -> str:
    """What a URL source is called (`documents.source_name`): its last path segment, as a folder's name."""
    named = _named_part(url)
    split = urlsplit(named) if "://" in named else None
    tail = (split.netloc + split.path) if split else named
    return tail.rstrip("/").rsplit("/", 1)[-1] or url


def find_remote_files(url: str) -> tuple[list[RemoteFile], list[Reject]]:
    """The objects under one URL source, in the order of a local folder walk, and rejects for what cannot be listed."""
    problem = url_problem(url)
    if problem is not None:
        return [], [make_reject(_redacted(url), None, "bad_url", problem)]
    try:
        fs, root = _filesystem(url)
    except _Refused as exc:
        return [], [make_reject(url, None, exc.reason, exc.detail)]
    try:
        info = fs.info(root)
    except FileNotFoundError:
        return [], [make_reject(url, None, "missing_source", f"the source {url!r} does not exist")]
    except Exception as exc:  # noqa: BLE001 - see _os_error
        return [], [_storage_reject(url, "could not be examined", exc)]
    if info.get("type") == "file":
        return [RemoteFile(url, root, info.get("size"), fs)], []
    if info.get("type") != "directory":
        return [], [make_reject(url, None, "unreadable", f"the source {url!r} is neither a file nor a folder")]
    try:
        listed = fs.find(root, withdirs=False, detail=True)
    except Exception as exc:  # noqa: BLE001 - see _os_error
        return [], [_storage_reject(url, "could not be listed", exc)]

    prefix = root.rstrip("/") + "/" if root.rstrip("/") else ""
    found = []
    for path, entry in listed.items():
        relative = path.lstrip("/") if not prefix else path[len(prefix) :] if path.startswith(prefix) else None
        if not relative or relative.endswith("/") or entry.get("type", "file") != "file":
            continue  # outside the prefix, the prefix itself, or a folder marker
        parts = relative.split("/")
        if any(part.startswith(".") for part in parts) or parts[-1].startswith("_"):
            continue
        # A local walk's order: a folder's files by name, then its subfolders by name.
        order = tuple((1, folder) for folder in parts[:-1]) + ((0, parts[-1]),)
        found.append((order, RemoteFile(_join(url, relative), path, entry.get("size"), fs)))
    return [remote for _order, remote in sorted(found, key=lambda pair: pair[0])], []


@contextmanager
def open_remote_file(url: str) -> Iterator[BinaryIO]:
    """The object at `url`, open for reading (a WARC archive, streamed). Raises `OSError` only.

    Before the file opens: `StorageUnavailable` with reason bad_url, missing_source, unreadable,
    fetch_failed or fetch_timeout; while reading, every storage error is an `OSError`.
    """
    problem = url_problem(url)
    if problem is not None:
        raise StorageUnavailable("bad_url", problem)
    try:
        fs, root = _filesystem(url)
    except _Refused as exc:
        raise StorageUnavailable(exc.reason, exc.detail) from None
    try:
        raw = fs.open(root, "rb")
    except FileNotFoundError:
        raise StorageUnavailable("missing_source", f"{url!r} does not exist") from None
    except IsADirectoryError:
        raise StorageUnavailable("unreadable", f"{url!r} is a folder, not a file") from None
    except Exception as exc:  # noqa: BLE001 - see _os_error
        raise _os_error(exc) from None
    try:
        yield _Guarded(raw)  # type: ignore[misc]
    finally:
        with suppress(Exception):  # closing an object only read: nothing is lost
            raw.close()


class _Guarded:
    """A storage file whose errors are `OSError`s, as a local file's are."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def read(self, size: int = -1) -> bytes:
        return self._call(self.raw.read, size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._call(self.raw.seek, offset, whence)

    def tell(self) -> int:
        return self._call(self.raw.tell)

    def readable(self) -> bool:
        return True

    @staticmethod
    def _call(method, *args):
        try:
            return method(*args)
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - see _os_error
            raise _os_error(exc) from None


class _Refused(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _filesystem(url: str) -> tuple[Any, str]:
    """fsspec's filesystem for `url` and the path in it; configured by the storage's own settings only."""
    import fsspec.core
    from fsspec.registry import known_implementations

    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as exc:
        protocol = _missing_protocol(url, exc)
        package = known_implementations.get(protocol, {}).get("class", "").split(".")[0]
        install = f"install it with `pip install {package}`" if package else str(exc)
        detail = f"{url!r}: the filesystem package for {protocol}:// is not installed; {install}"
        raise _Refused("bad_url", detail) from None
    except ValueError as exc:
        if str(exc).startswith("Protocol not known"):  # one further down an fsspec chain
            raise _Refused("bad_url", f"{url!r}: {exc}") from None
        raise _Refused("unreadable", f"{url!r}: the storage could not be set up: {_message(exc)}") from None
    except Exception as exc:  # noqa: BLE001 - a filesystem's constructor checks its configuration
        raise _Refused("unreadable", f"{url!r}: the storage could not be set up: {_message(exc)}") from None


def _missing_protocol(url: str, exc: ImportError) -> str:
    from fsspec.registry import known_implementations

    protocols = [_protocol(part + ("://" if "://" not in part else "")) for part in url.split("::")]
    for protocol in protocols:
        err = known_implementations.get(protocol, {}).get("err")
        if err and err in str(exc):
            return protocol
    return protocols[0]


def _storage_reject(url: str, what: str, exc: BaseException) -> Reject:
    error = _os_error(exc)
    reason = error.reason if isinstance(error, StorageUnavailable) else "unreadable"
    return make_reject(url, None, reason, f"the source {url!r} {what}: {error.strerror}")


def _os_error(exc: BaseException) -> OSError:
    """A storage library's error as an OSError that says what happened, with a reject reason where not a local one.

    fsspec filesystems raise OSError subclasses for the common cases (FileNotFoundError,
    PermissionError), but a backend's own exceptions (a cloud SDK's client errors) pass through:
    each becomes an OSError here, so one storage failure is one reject, never a stopped run.
    """
    if isinstance(exc, PermissionError):
        return PermissionError(errno.EACCES, f"permission denied by the storage ({_message(exc)})")
    if isinstance(exc, FileNotFoundError):
        return FileNotFoundError(errno.ENOENT, f"no such object ({_message(exc)})")
    if isinstance(exc, TimeoutError):
        return StorageUnavailable("fetch_timeout", f"the storage did not answer in time ({_message(exc)})")
    return StorageUnavailable("fetch_failed", f"the storage could not be reached or read: {_message(exc)}")


def _message(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = text if text.startswith(type(exc).__name__) else f"{type(exc).__name__}: {text}"
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def _protocol(url: str) -> str:
    part = _named_part(url)
    return part.split("://", 1)[0].lower() if "://" in part else part.split("::", 1)[0].lower()


def _named_part(url: str) -> str:
    """The part of an fsspec chain that holds the path named (the first with '://')."""
    return next((part for part in url.split("::") if "://" in part), url)


def _join(url: str, relative: str) -> str:
    """The URL of the object at `relative` under the folder URL `url`, chain and all."""
    parts = url.split("::")
    index = next((i for i, part in enumerate(parts) if "://" in part), 0)
    head = parts[index].rstrip("/")
    parts[index] = (head + "//" if head.endswith(":") else head + "/") + relative
    return "::".join(parts)


def _redacted(url: str) -> str:
    """`url` without the password or query (a token) it holds, for messages and the rejects table."""
    return re.sub(r"\?[^:]*", "?***", re.sub(r"(://[^/@:]*):[^/@]*@", r"\1:***@", url))
