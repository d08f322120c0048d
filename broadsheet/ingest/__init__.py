"""The ingest stage: sources → article records, and rejects for everything else.

`ingest_sources` is the stage's whole API. A source is one of:

- a path to an article file or a folder of them, walked recursively (`broadsheet.ingest.sources`);
- a path to a sources file (`.yaml`/`.yml`, see `broadsheet.ingest.sourcefile`) whose entries are
  folders, lists of article URLs, RSS/Atom feeds and WARC archives;
- a `SourceEntry` of such a file;
- a storage URL (s3://, gs://, memory://, any fsspec URL) of a folder or file, read as a local
  one is (`broadsheet.ingest.objectstore`).

Files are read in the format their extension names, fetched pages in the format their
Content-Type names (`broadsheet.ingest.readers`, bytes decoded by `broadsheet.ingest.decode`),
WARC archives record by record (`broadsheet.ingest.warc`), feeds item by item
(`broadsheet.ingest.feeds`). Of records that claim one doc id, the first is kept when they are
one article or come from one file, and none when they are different articles from different
files (`_Reader.add` says why). Fetching goes through a `fetcher` (default
`broadsheet.ingest.fetch.fetch_or_failure`; the Prefect flow passes its task that retries
transient failures) into the fetch cache folder.

It never raises for bad input: a missing source, an unsupported, unreadable, oversized, binary,
undecodable or empty file, a bad JSON line, a repeated id, an invalid sources file, a URL that
cannot be fetched, a malformed feed and a damaged WARC each become a `Reject` with a reason code
and a sentence saying what and where, and the other sources are read on.

A fetched article's source uri is its URL as listed (the feed item's link, the WARC record's
target URI), never the address it redirected to, so its doc id is stable across refreshes.
"""

from broadsheet.ingest.decode import BinaryContentError, UndecodableError, decode_bytes
from broadsheet.ingest.reading import MAX_FILE_BYTES, Fetcher, ingest_sources
from broadsheet.ingest.records import IngestResult, Reject, SourceRecord, make_doc_id
from broadsheet.ingest.sourcefile import SourceEntry, default_sources

__all__ = [
    "MAX_FILE_BYTES",
    "BinaryContentError",
    "Fetcher",
    "IngestResult",
    "Reject",
    "SourceEntry",
    "SourceRecord",
    "UndecodableError",
    "decode_bytes",
    "default_sources",
    "ingest_sources",
    "make_doc_id",
]
