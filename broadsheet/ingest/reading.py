"""Reading every source into article records, and every input that cannot be one into a reject.

`ingest_sources` walks the sources in the order given (see the package's docstring for what a
source is), reads each file, fetched page, feed item and WARC record in its format, and keeps one
record per doc id (`_Reader.add` says which). It never raises for bad input.
"""

from __future__ import annotations

import dataclasses
import errno
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from broadsheet.ingest import readlog
from broadsheet.ingest.feeds import FeedArchive, FeedError, FeedItem, parse_feed
from broadsheet.ingest.fetch import (
    ARTICLE_POLICY,
    FEED_POLICY,
    WARC_POLICY,
    FetchCache,
    Fetched,
    FetchError,
    FetchFailure,
    FetchPolicy,
    check_url,
    fetch_or_failure,
)
from broadsheet.ingest.localfile import FileTooLarge, NotRegularFile, ReplacedFile, read_regular_file
from broadsheet.ingest.metadata import parse_published_date
from broadsheet.ingest.objectstore import (
    RemoteFile,
    StorageUnavailable,
    as_source,
    find_remote_files,
    is_url,
    open_remote_file,
    url_name,
)
from broadsheet.ingest.readers import FORMAT_BY_EXTENSION, read_source
from broadsheet.ingest.records import IngestResult, Reject, SourceRecord, make_doc_id, make_reject
from broadsheet.ingest.sourcefile import SourceEntry, SourcesFileError, is_sources_file, load_sources_file
from broadsheet.ingest.sources import SourceFile, find_source_files, first_reads, printable_name
from broadsheet.ingest.warc import WarcBadPage, WarcError, WarcTooLarge, iter_warc_pages
from broadsheet.paths import BuildLayout, default_build_dir

# Larger files are refused unread: no single article comes near it, and reading a stray dump or
# video into memory would only produce a reject later.
MAX_FILE_BYTES = 20 * 1024 * 1024


# Formats whose file is one article named by its path: a reject can already say its doc id.
_ONE_ARTICLE_PER_FILE = frozenset({"txt", "md", "html"})


# Fetched bodies: the format their media type names. A missing or generic type falls back to the
# URL's extension, then to HTML, which is what an article URL serves.
_FORMAT_BY_MEDIA_TYPE = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
    "text/markdown": "md",
    "text/x-markdown": "md",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
}


_GENERIC_MEDIA_TYPES = frozenset({None, "application/octet-stream", "binary/octet-stream"})


# (url, cache folder, limits) → the fetched body, or a permanent failure; raises FetchError for a
# transient failure that retrying (if the fetcher retries) did not cure.
Fetcher = Callable[[str, str, FetchPolicy], "Fetched | FetchFailure"]


def ingest_sources(
    sources: Sequence[str | Path | SourceEntry],
    *,
    fetch_dir: str | Path | None = None,
    fetcher: Fetcher | None = None,
    published: Mapping[str, str] | None = None,
) -> IngestResult:
    """Read every source into records and rejects (see the module docstring for what a source is).

    Order is deterministic: sources in the order given, a sources file's entries in file order,
    files in sorted path order, records of a file in file order, feed items in feed order then
    the archived items that have left the feed. When two records share a doc id, the later one is
    rejected `duplicate_id`, or both are when they are different articles from different files
    (see `_Reader.add`), unless one of them is where the previous release had it (`published`:
    doc id → source uri). `fetch_dir` is the fetch cache (default `build/fetch` in the current folder).
    """
    if fetch_dir is None:
        fetch_dir = BuildLayout(default_build_dir()).fetch
    reader = _Reader(Path(fetch_dir), fetcher or fetch_or_failure, published)
    for source in sources:
        source = as_source(source) if not isinstance(source, SourceEntry) else source
        if isinstance(source, SourceEntry) or not readlog.plain_local(source):
            reader.reads = None  # a log covers files and folders named directly (broadsheet.ingest.readlog)
        if isinstance(source, SourceEntry):
            reader.entry(source)
        elif is_url(source):
            # Object storage (broadsheet.ingest.objectstore): named after its last segment, as a folder.
            reader.reading_from = (url_name(source), None)
            if is_sources_file(source):
                detail = f"{source!r}: a sources file is read from local disk; its entries may name storage URLs"
                reader.add([make_reject(source, None, "invalid_sources_file", detail)])
            else:
                reader.path(source)
        elif is_sources_file(source):
            reader.sources_file(source)
        else:
            # Named as its documents' uris name it ('.' after the folder it stands for).
            reader.reading_from = (printable_name(Path(os.path.abspath(source)).name or os.fspath(source)), None)
            reader.path(source)
    reads = tuple(reader.reads) if reader.reads is not None else None
    return IngestResult(records=tuple(reader.records), rejects=tuple(reader.rejects), reads=reads)


class _Reader:
    """The state of one ingest: what was read so far, and how to fetch."""

    def __init__(self, fetch_dir: Path, fetcher: Fetcher, published: Mapping[str, str] | None = None) -> None:
        self.fetch_dir = fetch_dir
        self.fetcher = fetcher
        self.published = dict(published or {})  # doc id → the source uri that held it in the previous release
        # By doc id, in the order first read; a withdrawn record leaves the others in order.
        self.kept: dict[str, tuple[SourceRecord, object]] = {}
        self.contested: dict[str, list[str]] = {}  # doc id → the source uris that claimed it
        self.rejects: list[Reject] = []
        self.read_already: set[tuple[str, str]] = set()
        self.units = 0
        # What local files were read, for broadsheet.ingest.readlog; None once a log cannot cover it.
        self.reads: list[list] | None = []
        # The source being read (its name, the licence it declares): stamped on every record taken.
        self.reading_from: tuple[str | None, str | None] = (None, None)

    @property
    def records(self) -> list[SourceRecord]:
        return [record for record, _unit in self.kept.values()]

    def add(self, items: Iterable[SourceRecord | Reject], unit: object = None) -> None:
        """Take the records and rejects read from one unit of input (a file, a fetched page, an archive).

        Who gets a doc id that two records claim:

        - Records of one unit (lines of one JSON Lines file, records of one WARC archive): the
          first. They come from one writer, whose own order is no outsider's to choose.
        - The same article twice (the same fields: text, title, url, authors, publisher, date
          and record id; or the same bytes read from the same source uri, as when a URL is
          listed and also in a feed): the first; the other is a `duplicate_id` reject naming
          it. Which one is kept changes nothing but where the row says it was found.
        - Different articles from different units, one of them from the source that held the id
          in the previous release (`published`): that one; the newcomer is a `duplicate_id`
          reject naming the owner. An id once published stays with where it was published.
        - Different articles from different units otherwise: neither. Nothing in two records
          tells the original from an impostor that copied its id (a record's publisher and id
          are its own say-so), and "first in sorted order" would let whoever names a file
          `000-...` replace any article. So both are withdrawn as `duplicate_id` rejects, each
          naming the other, and so is every later record with that id. A conflict is loud and
          loses nothing silently; a substitution would publish a wrong row under a trusted id.

        Records can only collide inside one namespace (see `make_doc_id`): a record's own id
        never takes the id of a file or URL, nor the other way round.
        """
        if unit is None:
            self.units += 1
            unit = self.units
        for item in items:
            if isinstance(item, Reject):
                self.rejects.append(item)
                continue
            name, license_ = self.reading_from
            item = dataclasses.replace(item, source_name=name, text_license=license_)
            if item.doc_id in self.contested:
                self.contested[item.doc_id].append(item.source_uri)
                self.rejects.append(_conflict(item, self.contested[item.doc_id][:-1]))
            elif item.doc_id not in self.kept:
                self.kept[item.doc_id] = (item, unit)
            else:
                first, first_unit = self.kept[item.doc_id]
                owner = self.published.get(item.doc_id)
                if first_unit == unit or _same_article(first, item):
                    self.rejects.append(_duplicate(item, first.source_uri))
                elif owner is not None and first.source_uri != item.source_uri and owner in (first.source_uri, item.source_uri):
                    self.reads = None  # the latest release decided: the log covers files alone
                    if owner == item.source_uri:  # the owner came second: it takes its id back
                        self.kept[item.doc_id] = (item, unit)
                        first, item = item, first
                    self.rejects.append(_claimed(item, first.source_uri))
                else:
                    self.reads = None  # as above: with an owner in the latest release, one would have kept it
                    del self.kept[item.doc_id]
                    self.contested[item.doc_id] = [first.source_uri, item.source_uri]
                    self.rejects.append(_conflict(first, [item.source_uri]))
                    self.rejects.append(_conflict(item, [first.source_uri]))

    # --- local files and folders -------------------------------------------------------------

    def path(self, source: str | Path) -> None:
        files: list[SourceFile] | list[RemoteFile]
        files, listing_rejects = find_remote_files(source) if is_url(source) else find_source_files(source)
        self.rejects.extend(listing_rejects)
        if self.reads is not None:
            self.reads.extend(readlog.listing_entries(listing_rejects))
        for source_file in first_reads(files, self.read_already):
            self.add(_read_file(source_file, self.reads))

    def sources_file(self, source: str | Path) -> None:
        name = Path(source).name
        if not Path(source).exists():
            self.add([make_reject(name, None, "missing_source", f"the sources file {os.fspath(source)!r} does not exist")])
            return
        try:
            entries = load_sources_file(source).entries
        except SourcesFileError as exc:
            self.add([make_reject(name, None, "invalid_sources_file", str(exc))])
            return
        for entry in entries:
            self.entry(entry)

    def entry(self, entry: SourceEntry) -> None:
        self.reading_from = (entry.name, entry.license)
        if entry.kind == "folder":
            self.folder(entry)
        elif entry.kind == "urls":
            self.url_list(entry)
        elif entry.kind == "feed":
            self.feed(entry)
        elif entry.kind == "warc":
            self.warc(entry)
        else:  # SourceEntry objects come from the checked sources file; this is a programming error
            raise ValueError(f"unknown source kind {entry.kind!r}")

    def folder(self, entry: SourceEntry) -> None:
        if entry.remote is not None:
            self.path(entry.remote)
            return
        assert entry.path is not None
        if not entry.path.exists():  # also a symbolic link to nothing
            detail = f"{entry.label}: {entry.path_text!r} does not exist (relative to its sources file)"
            self.add([make_reject(entry.path.name, None, "missing_source", detail)])
            return
        self.path(entry.path)

    # --- fetched sources ---------------------------------------------------------------------

    def fetch(self, url: str, policy: FetchPolicy) -> Fetched | FetchFailure:
        try:
            return self.fetcher(url, str(self.fetch_dir), policy)
        except FetchError as exc:
            return exc.failure()

    def url_list(self, entry: SourceEntry) -> None:
        urls: list[str] = list(entry.urls)
        if entry.path is not None:
            listed = self._read_url_file(entry)
            if listed is None:
                return
            urls.extend(listed)
        for url in urls:
            self.add(self.article(url, entry))

    def _read_url_file(self, entry: SourceEntry) -> list[str] | None:
        assert entry.path is not None
        name = entry.path.name
        try:
            # Never a plain open: a FIFO named as the list would block the run forever.
            text = read_regular_file(entry.path, MAX_FILE_BYTES).decode("utf-8-sig")
        except FileNotFoundError:
            detail = f"{entry.label}: the URL list {entry.path_text!r} does not exist (relative to its sources file)"
            self.add([make_reject(name, None, "missing_source", detail)])
            return None
        except FileTooLarge as exc:
            detail = f"{entry.label}: the URL list holds {exc.size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit"
            self.add([make_reject(name, None, "too_large", detail)])
            return None
        except (NotRegularFile, ReplacedFile) as exc:
            self.add([make_reject(name, None, "unreadable", f"{entry.label}: the URL list cannot be read: it is {exc}")])
            return None
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            self.add([make_reject(name, None, "unreadable", f"{entry.label}: the URL list cannot be read: {reason}")])
            return None
        urls = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                urls.append(check_url(line))
            except FetchError as exc:
                detail = f"{entry.label}: line {number} of {entry.path_text}: {exc.detail}"
                self.add([make_reject(f"{name}#L{number}", None, "bad_url", detail)])
        return urls

    def article(self, url: str, entry: SourceEntry, item: FeedItem | None = None) -> list[SourceRecord | Reject]:
        """One article URL fetched and read; a failure is a reject."""
        outcome = self.fetch(url, ARTICLE_POLICY)
        if isinstance(outcome, FetchFailure):
            return [make_reject(url, None, outcome.reason, f"{entry.label}: {outcome.detail}", doc_id=make_doc_id(url))]
        return self.read_fetched(outcome, url, entry, item)

    def read_fetched(
        self, fetched: Fetched, uri: str, entry: SourceEntry, item: FeedItem | None = None
    ) -> list[SourceRecord | Reject]:
        source_format = _fetched_format(fetched)
        if source_format is None:
            detail = (
                f"{entry.label}: {fetched.final_url} is served as {fetched.content_type!r}; "
                f"supported: {', '.join(sorted(_FORMAT_BY_MEDIA_TYPE))}"
            )
            if fetched.content_type and fetched.content_type.endswith(("rss+xml", "atom+xml")):
                detail += " (a feed belongs in an entry of kind 'feed')"
            return [make_reject(uri, None, "unsupported_format", detail, fetched.sha256, make_doc_id(uri))]
        try:
            data = fetched.read_bytes()
        except OSError as exc:
            detail = f"{entry.label}: the fetched copy of {uri} cannot be read: {exc.strerror or type(exc).__name__}"
            return [make_reject(uri, source_format, "unreadable", detail, doc_id=make_doc_id(uri))]
        items = read_source(source_format, data, uri, fetched.charset)
        return [_with_page_context(i, fetched.final_url, item) for i in items]

    def feed(self, entry: SourceEntry) -> None:
        assert entry.url is not None
        feed_url = entry.url
        try:
            archive = FeedArchive(self.fetch_dir, feed_url)
        except FeedError as exc:
            # Going on without the archive would drop every article that has left the feed.
            self.add([make_reject(feed_url, None, "unreadable", f"{entry.label}: {exc}")])
            return
        current: list[FeedItem] = []
        outcome = self.fetch(feed_url, FEED_POLICY)
        if isinstance(outcome, FetchFailure):
            self.add([make_reject(feed_url, None, outcome.reason, f"{entry.label}: {outcome.detail}")])
        else:
            try:
                current, problems = parse_feed(outcome.read_bytes(), feed_url)
            except (FeedError, OSError) as exc:
                detail = f"{entry.label}: {feed_url} is not a readable feed: {exc}"
                self.add([make_reject(feed_url, None, "invalid_feed", detail, outcome.sha256)])
            else:
                for problem in problems:
                    self.add([make_reject(feed_url, None, "invalid_feed", f"{entry.label}: {feed_url}: {problem}")])

        cache = FetchCache(self.fetch_dir)
        in_feed = set()
        for item in current:
            in_feed.add(item.link)
            try:
                check_url(item.link)
            except FetchError as exc:
                self.add([make_reject(item.link, None, "bad_url", f"{entry.label}: an item of {feed_url}: {exc.detail}")])
                continue
            outcome = self.fetch(item.link, ARTICLE_POLICY)
            if isinstance(outcome, FetchFailure):
                # An article fetched on an earlier run stays; one never fetched is reported.
                archived = cache.lookup(item.link) if item.link in archive else None
                if archived is None:
                    detail = f"{entry.label}: {outcome.detail}"
                    self.add([make_reject(item.link, None, outcome.reason, detail, doc_id=make_doc_id(item.link))])
                    continue
                outcome = archived
            archive.add(item)
            self.add(self.read_fetched(outcome, item.link, entry, item))
        # Items that have left the feed are read from the archive, without asking the network.
        for item in archive.items:
            if item.link in in_feed:
                continue
            archived = cache.lookup(item.link)
            if archived is None:
                detail = f"{entry.label}: the archived copy of {item.link}, an earlier item of {feed_url}, is missing from the fetch cache"
                self.add([make_reject(item.link, None, "unreadable", detail, doc_id=make_doc_id(item.link))])
                continue
            self.add(self.read_fetched(archived, item.link, entry, item))
        archive.save()

    def warc(self, entry: SourceEntry) -> None:
        if entry.url is not None:
            name = entry.url
            outcome = self.fetch(entry.url, WARC_POLICY)
            if isinstance(outcome, FetchFailure):
                self.add([make_reject(name, None, outcome.reason, f"{entry.label}: {outcome.detail}")])
                return
            path = Path(outcome.body_path)
        elif entry.remote is not None:
            self._remote_warc(entry)
            return
        else:
            assert entry.path is not None
            name, path = entry.path.name, entry.path
            if not path.is_file():
                what = "does not exist" if not path.exists() else "is not a file"
                detail = f"{entry.label}: {entry.path_text!r} {what} (relative to its sources file)"
                self.add([make_reject(name, None, "missing_source", detail)])
                return
        unit = object()  # one archive, one writer: its records are one unit (see `add`)
        try:
            for page in iter_warc_pages(path, MAX_FILE_BYTES):
                self.add(self._warc_page(page, entry, name), unit)
        except WarcError as exc:
            # invalid_warc for a damaged archive, too_large for a decompression bomb.
            self.add([make_reject(name, None, exc.reason, f"{entry.label}: {name}: {exc}")])
        except OSError as exc:
            detail = f"{entry.label}: {name} cannot be read: {exc.strerror or type(exc).__name__}"
            self.add([make_reject(name, None, "unreadable", detail)])

    def _remote_warc(self, entry: SourceEntry) -> None:
        """A WARC archive in object storage, streamed from it (never downloaded whole)."""
        assert entry.remote is not None
        name = entry.remote
        unit = object()
        try:
            with open_remote_file(name) as archive:
                for page in iter_warc_pages(archive, MAX_FILE_BYTES):
                    self.add(self._warc_page(page, entry, name), unit)
        except WarcError as exc:
            self.add([make_reject(name, None, exc.reason, f"{entry.label}: {name}: {exc}")])
        except StorageUnavailable as exc:
            self.add([make_reject(name, None, exc.reason, f"{entry.label}: {exc.strerror}")])
        except OSError as exc:
            detail = f"{entry.label}: {name} cannot be read: {exc.strerror or type(exc).__name__}"
            self.add([make_reject(name, None, "unreadable", detail)])

    def _warc_page(self, page, entry: SourceEntry, name: str) -> list[SourceRecord | Reject]:
        uri = page.target_uri
        if not uri:
            detail = f"{entry.label}: record {page.record_number} of {name} is an HTML response without a WARC-Target-URI"
            return [make_reject(f"{name}#record-{page.record_number}", "html", "invalid_warc", detail)]
        if isinstance(page, WarcTooLarge):
            detail = (
                f"{entry.label}: record {page.record_number} of {name} holds {page.size:,} bytes or more, "
                f"over the {MAX_FILE_BYTES:,}-byte limit for one article"
            )
            return [make_reject(uri, "html", "too_large", detail, doc_id=make_doc_id(uri))]
        if isinstance(page, WarcBadPage):
            detail = f"{entry.label}: record {page.record_number} of {name}: {page.detail}"
            return [make_reject(uri, "html", "undecodable", detail, doc_id=make_doc_id(uri))]
        items = read_source("html", page.body, uri, page.charset)
        return [_with_page_context(i, uri, None) for i in items]


def _fetched_format(fetched: Fetched) -> str | None:
    if fetched.content_type not in _GENERIC_MEDIA_TYPES:
        return _FORMAT_BY_MEDIA_TYPE.get(fetched.content_type or "")
    from urllib.parse import urlsplit

    extension = os.path.splitext(urlsplit(fetched.final_url).path)[1].lower()
    return FORMAT_BY_EXTENSION.get(extension, "html")


def _with_page_context(item: SourceRecord | Reject, page_url: str, feed_item: FeedItem | None) -> SourceRecord | Reject:
    """Fill what the page's own metadata left empty from where it was found.

    The address it was fetched from is its url. A feed item's title, and its publication date
    (RSS pubDate, Atom published): these are the publisher's metadata about the article, so
    the date counts as a metadata date (documents.published_date_source = "metadata"), but only
    when the page states none of its own, which wins. An HTTP Last-Modified is never used: it
    says when the file changed, not when the article was published.
    """
    if not isinstance(item, SourceRecord) or item.source_format not in _ONE_ARTICLE_PER_FILE:
        return item
    changes: dict[str, object] = {}
    if item.url is None and page_url.lower().startswith(("http://", "https://")):
        changes["url"] = page_url
    if feed_item is not None:
        if item.title is None and feed_item.title:
            changes["title"] = feed_item.title
        if item.published_date_raw is None and feed_item.published_raw:
            changes["published_date_raw"] = feed_item.published_raw
            changes["published_date"] = parse_published_date(feed_item.published_raw)
    return dataclasses.replace(item, **changes) if changes else item


def _read_file(source_file: SourceFile | RemoteFile, reads: list[list] | None = None) -> list[SourceRecord | Reject]:
    """The records of one file, or its reject; `reads`: where to log what was read (broadsheet.ingest.readlog)."""
    uri = source_file.source_uri
    extension = source_file.suffix
    source_format = FORMAT_BY_EXTENSION.get(extension)
    if source_format is None:
        if reads is not None:
            reads.append(readlog.file_entry(source_file, None))
        supported = ", ".join(sorted(FORMAT_BY_EXTENSION))
        what = f"extension {extension!r}" if extension else "no extension"
        return [make_reject(uri, None, "unsupported_format", f"the file has {what}; supported: {supported}")]

    doc_id = make_doc_id(uri) if source_format in _ONE_ARTICLE_PER_FILE else None
    if reads is not None:  # replaced by the hash of its bytes once they are read
        reads.append(readlog.file_entry(source_file, None, failed=True))
    try:
        data = source_file.read(MAX_FILE_BYTES)
    except FileTooLarge as exc:
        return [make_reject(uri, source_format, "too_large", _too_large(exc.size), doc_id=doc_id)]
    except (NotRegularFile, ReplacedFile) as exc:
        return [make_reject(uri, source_format, "unreadable", f"the file was not read: {exc}", doc_id=doc_id)]
    except OSError as exc:
        # strerror, not str(exc): the latter spells out the absolute path of this machine.
        detail = f"the file could not be read: {exc.strerror or type(exc).__name__}"
        if exc.errno == errno.ELOOP:  # listed as a file, a symbolic link by the time it was opened
            detail = "the file was not read: it was replaced by a symbolic link after its folder was listed"
        # Storage that cannot be reached says so (fetch_failed, fetch_timeout), as a web source would.
        reason = exc.reason if isinstance(exc, StorageUnavailable) else "unreadable"
        return [make_reject(uri, source_format, reason, detail, doc_id=doc_id)]
    if reads is not None:
        reads[-1] = readlog.file_entry(source_file, data)
    return read_source(source_format, data, uri)


def _same_article(first: SourceRecord, other: SourceRecord) -> bool:
    """Whether two records with one doc id are one article (see `_Reader.add`)."""
    if first.source_uri == other.source_uri and first.raw_sha256 == other.raw_sha256:
        return True  # the same bytes from the same place, read twice (feed context may differ)
    return _article_fields(first) == _article_fields(other)


def _article_fields(record: SourceRecord) -> tuple:
    return (
        record.text,
        record.title,
        record.url,
        record.authors,
        record.publisher,
        record.published_date,
        record.published_date_raw,
        record.source_record_id,
    )


def _conflict(record: SourceRecord, other_uris: list[str]) -> Reject:
    others = ", ".join(other_uris)
    if record.source_record_id is not None:
        publisher = f" of publisher {record.publisher!r}" if record.publisher else ""
        claim = f"its id {record.source_record_id!r}{publisher}"
    else:
        claim = "its source uri"
    return make_reject(
        record.source_uri,
        record.source_format,
        "duplicate_id",
        f"doc id {record.doc_id} ({claim}) is also claimed by {others} with different content; neither is "
        "published, since nothing tells the original from a copy of its id",
        raw_sha256=record.raw_sha256,
    )


def _claimed(record: SourceRecord, owner_uri: str) -> Reject:
    return make_reject(
        record.source_uri,
        record.source_format,
        "duplicate_id",
        f"doc id {record.doc_id} belongs to {owner_uri}, which held it in the previous release; this "
        "record claims it with different content and is not published",
        raw_sha256=record.raw_sha256,
    )


def _duplicate(record: SourceRecord, first_uri: str) -> Reject:
    if record.source_record_id is not None:
        publisher = f" from publisher {record.publisher!r}" if record.publisher else ""
        why = f"its id {record.source_record_id!r}{publisher} was already used by {first_uri}"
    else:
        why = f"its source uri was already read, first as {first_uri}"
    return make_reject(
        record.source_uri,
        record.source_format,
        "duplicate_id",
        f"doc id {record.doc_id} is taken: {why}",
        raw_sha256=record.raw_sha256,
    )


def _too_large(size: int) -> str:
    return f"the file holds {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit for one source file"
