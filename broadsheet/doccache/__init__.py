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

from broadsheet.doccache.codec import CacheEntryError, Codec, table_row_check
from broadsheet.doccache.inputs import clean_fingerprint, content_key, extract_fingerprint, fingerprint
from broadsheet.doccache.store import CacheStats, DocumentCache

__all__ = [
    "CacheEntryError",
    "CacheStats",
    "Codec",
    "DocumentCache",
    "clean_fingerprint",
    "content_key",
    "extract_fingerprint",
    "fingerprint",
    "table_row_check",
]
