"""The per-document cache under attack and corruption: nothing in it runs, nothing wrong is used.

Each corrupted or hostile entry must be a miss: deleted (evicted), counted, and the document
computed again, with rows identical to a computation without any cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import pickle
import random
import re
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest

from broadsheet.clean.cached import _clean_one, _Cleaned, clean_documents, cleaned_codec, cleaning_key
from broadsheet.clean.documents import build_documents
from broadsheet.doccache import store as cache_module
from broadsheet.doccache.codec import CacheEntryError, Codec
from broadsheet.doccache.inputs import CACHE_FORMAT, content_key
from broadsheet.doccache.store import DocumentCache
from broadsheet.entities.recognizer import Mention
from broadsheet.extract.cached import FOUND_CODEC, extract_documents, extraction_key
from broadsheet.extract.claims import Claim
from broadsheet.extract.dates import TemporalExpression
from broadsheet.extract.rows import _Found
from broadsheet.ingest import ingest_sources
from broadsheet.ingest.stage import ingested_row
from broadsheet.schema import load_schemas

ARTICLES = {
    "harbour.txt": (
        "Harbour strike ends after talks\n\n"
        "By Jane Porter\n\nMarch 3, 2026\n\n"
        '"We have a deal," union leader Maria Lopez said on Tuesday. The strike began on Feb. 12 '
        "and cost the port about $40 million, according to the Port Authority. "
        "Mayor Tom Reed said the city would review its contracts next year.\n"
    ),
    "budget.md": (
        "# Council passes budget\n\n"
        "The council passed the 2027 budget last week. Finance chief Ana Silva said spending "
        "would rise by 3 percent, and critics warned that taxes may go up in the spring.\n"
    ),
    "plain.txt": "No names here, no dates either, only words in a row without a claim\n",
}


class _Recognizer:
    """Two capitalized words in a row are a PERSON: enough mentions to fill a cache entry
    without loading the trained model."""

    def find(self, text: str) -> list[Mention]:
        return [Mention(m.start(), m.end(), m.group(), "PERSON", 0.75) for m in re.finditer(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", text)]

    def find_many(self, texts: list[str]) -> list[list[Mention]]:
        return [self.find(t) for t in texts]


def _load() -> _Recognizer:
    return _Recognizer()


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[dict]:
    folder = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text)
    return [ingested_row(r) for r in ingest_sources([folder]).records]


@pytest.fixture(scope="module")
def documents(records) -> list[dict]:
    return build_documents(records).documents


@pytest.fixture(scope="module")
def fresh_extraction(documents):
    return extract_documents(documents, load_recognizer=_load)


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (1 == 1.0, ('a',) vs ['a'], date vs datetime)."""
    if type(a) is not type(b):
        return False
    if is_dataclass(a):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in fields(a))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def _rewrite(path: Path, change) -> None:
    """Change an entry's payload and give it the matching SHA-256, as a deliberate forger would:
    what is left to catch it is the check of every field's type."""
    header_line, _, payload = path.read_bytes().partition(b"\n")
    header = json.loads(header_line)
    value = json.loads(payload)
    change(value)
    payload = json.dumps(value).encode()
    header["sha256"] = hashlib.sha256(payload).hexdigest()
    path.write_bytes(json.dumps(header).encode() + b"\n" + payload)


def _set(index: int, new: Any):
    def change(value: list) -> None:
        value[index] = new

    return change


def _set_in_first(index: int, field: int, new: Any):
    def change(value: list) -> None:
        value[index][field][0] = new  # a list of dataclasses is stored by column

    return change


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip_a_byte_of_the_payload(path: Path) -> None:
    data = bytearray(path.read_bytes())
    at = data.rindex(b"PERSON")
    data[at : at + 6] = b"PERSOM"  # still valid JSON, still the right types: only the hash can tell
    path.write_bytes(bytes(data))


# _Found is [mentions, claims, timexes, anchor, anchor_source], each list one column per field;
# Claim's field 0 is start, 15 modality_cues.
EXTRACT_DAMAGE = {
    "truncated": _truncate,
    "wrong_hash": _flip_a_byte_of_the_payload,
    "null_claims": lambda p: _rewrite(p, _set(1, None)),
    "null_mentions": lambda p: _rewrite(p, _set(0, None)),
    "timexes_not_a_list": lambda p: _rewrite(p, _set(2, {"0": []})),
    "claim_start_a_string": lambda p: _rewrite(p, _set_in_first(1, 0, "12")),
    "claim_start_null": lambda p: _rewrite(p, _set_in_first(1, 0, None)),
    "claim_start_a_bool": lambda p: _rewrite(p, _set_in_first(1, 0, True)),
    "claim_field_missing": lambda p: _rewrite(p, lambda v: v[1].pop()),
    "claim_columns_of_different_lengths": lambda p: _rewrite(p, lambda v: v[1][0].pop()),
    "modality_cues_null": lambda p: _rewrite(p, _set_in_first(1, 15, None)),
    "mention_confidence_a_string": lambda p: _rewrite(p, _set_in_first(0, 4, "0.9")),
    "anchor_not_a_date": lambda p: _rewrite(p, _set(3, "last Tuesday")),
    "anchor_source_null": lambda p: _rewrite(p, _set(4, None)),
    "an_extra_field": lambda p: _rewrite(p, lambda v: v.append([])),
    "payload_not_a_list": lambda p: _rewrite(p, lambda v: v.clear()),
    "header_of_another_key": lambda p: p.write_bytes(p.read_bytes().replace(b'"key":"', b'"key":"0', 1)),
    "header_of_another_codec": lambda p: p.write_bytes(p.read_bytes().replace(b"_Found", b"_Cleaned", 1)),
    "empty": lambda p: p.write_bytes(b""),
    "deeply_nested": lambda p: p.write_bytes(b"[" * 200_000),
}


def _the_harbour(documents) -> dict:
    return next(d for d in documents if d["source_uri"].endswith("harbour.txt"))


@pytest.mark.parametrize("damage", EXTRACT_DAMAGE.values(), ids=EXTRACT_DAMAGE.keys())
def test_a_damaged_extraction_entry_is_evicted_and_the_document_extracted_again(damage, documents, fresh_extraction, tmp_path):
    extract_documents(documents, DocumentCache(tmp_path, "extract", "e" * 64), load_recognizer=_load)
    doc = _the_harbour(documents)
    key = extraction_key(doc)
    path = DocumentCache(tmp_path, "extract", "e" * 64)._path(key)
    damage(path)

    probe = DocumentCache(tmp_path, "extract", "e" * 64)
    assert probe.get(key, FOUND_CODEC) is None
    assert not path.exists() and probe.stats.evicted == 1

    extract_documents(documents, DocumentCache(tmp_path, "extract", "e" * 64), load_recognizer=_load)  # stored again
    damage(path)
    again = DocumentCache(tmp_path, "extract", "e" * 64)
    got = extract_documents(documents, again, load_recognizer=_load)
    assert (again.stats.evicted, again.stats.processed, again.stats.reused) == (1, 1, len(documents) - 1)
    for table in ("entities", "entity_mentions", "claims", "dates", "rejects"):
        assert getattr(got, table) == getattr(fresh_extraction, table), table
    assert got.claims and any(c["doc_id"] == doc["doc_id"] for c in got.claims)
    assert DocumentCache(tmp_path, "extract", "e" * 64).get(key, FOUND_CODEC) is not None  # stored again


def _first_document_entry(cache: DocumentCache, records) -> tuple[str, Path]:
    record = next(r for r in records if r["source_uri"].endswith("harbour.txt"))
    key = cleaning_key(record)
    return key, cache._path(key)


def _document_field(name: str, new: Any):
    def change(value: list) -> None:
        value[0][name] = new

    return change


# _Cleaned is [document, cleaning_log, rejects].
CLEAN_DAMAGE = {
    "truncated": _truncate,
    "text_null": lambda p: _rewrite(p, _document_field("text", None)),
    "text_a_number": lambda p: _rewrite(p, _document_field("text", 12)),
    "authors_null": lambda p: _rewrite(p, _document_field("authors", None)),
    "authors_a_string": lambda p: _rewrite(p, _document_field("authors", "Jane Porter")),
    "n_words_a_string": lambda p: _rewrite(p, _document_field("n_words", "40")),
    "published_date_untagged": lambda p: _rewrite(p, _document_field("published_date", "2026-03-03")),
    "published_date_a_datetime": lambda p: _rewrite(p, _document_field("published_date", {"$datetime": "2026-03-03T00:00:00"})),
    "a_column_missing": lambda p: _rewrite(p, lambda v: v[0].pop("n_sentences")),
    "a_column_added": lambda p: _rewrite(p, _document_field("injected", "x")),
    "cleaning_log_null": lambda p: _rewrite(p, _set(1, None)),
    "an_unknown_tag": lambda p: _rewrite(p, _document_field("title", {"$pickle": "gASV"})),
}


@pytest.mark.parametrize("damage", CLEAN_DAMAGE.values(), ids=CLEAN_DAMAGE.keys())
def test_a_damaged_cleaning_entry_is_evicted_and_the_record_cleaned_again(damage, records, tmp_path):
    expected = build_documents(records)
    clean_documents(records, DocumentCache(tmp_path, "clean", "f" * 64))
    key, path = _first_document_entry(DocumentCache(tmp_path, "clean", "f" * 64), records)
    damage(path)

    probe = DocumentCache(tmp_path, "clean", "f" * 64)
    assert probe.get(key, cleaned_codec()) is None
    assert not path.exists() and probe.stats.evicted == 1

    clean_documents(records, DocumentCache(tmp_path, "clean", "f" * 64))  # stored again
    damage(path)
    again = DocumentCache(tmp_path, "clean", "f" * 64)
    got = clean_documents(records, again)
    assert (again.stats.evicted, again.stats.processed, again.stats.reused) == (1, 1, len(records) - 1)
    assert _same(got.documents, expected.documents)
    assert _same(got.cleaning_log, expected.cleaning_log)
    assert _same(got.rejects, expected.rejects)


class _Payload:
    """Unpickling this creates the marker file: what a planted entry would do to a run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_planted_pickle_is_never_executed(records, documents, fresh_extraction, tmp_path):
    marker = tmp_path / "pwned"
    planted = pickle.dumps(_Payload(marker))
    root = tmp_path / "cache"
    clean = DocumentCache(root, "clean", "f" * 64)
    extract = DocumentCache(root, "extract", "e" * 64)
    targets = [clean._path(cleaning_key(r)) for r in records]
    targets += [extract._path(extraction_key(d)) for d in documents]
    for path in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(planted)  # under the entry's own name ...
        path.with_suffix(".pkl").write_bytes(planted)  # ... and where format 1 kept its pickles

    cleaned = clean_documents(records, clean)
    extracted = extract_documents(documents, extract, load_recognizer=_load)
    assert not marker.exists()
    assert _same(cleaned.documents, build_documents(records).documents)
    for table in ("entities", "entity_mentions", "claims", "dates", "rejects"):
        assert getattr(extracted, table) == getattr(fresh_extraction, table), table
    assert (clean.stats.evicted, clean.stats.processed) == (len(records), len(records))
    assert (extract.stats.evicted, extract.stats.processed) == (len(documents), len(documents))

    # and the format-1 files are pruned, never opened
    assert clean.prune_other_fingerprints() and extract.prune_other_fingerprints()
    assert not list(root.rglob("*.pkl")) and not marker.exists()


def test_an_entry_of_another_codec_is_not_read_as_this_one(records, tmp_path):
    cache = DocumentCache(tmp_path, "extract", "e" * 64)
    record = records[0]
    key = content_key(dict(record))
    assert cache.put(key, _clean_one(record), cleaned_codec())
    assert cache.get(key, FOUND_CODEC) is None and cache.stats.evicted == 1


def test_an_entry_that_is_a_symbolic_link_is_not_followed(documents, tmp_path):
    cache = DocumentCache(tmp_path / "cache", "extract", "e" * 64)
    extract_documents(documents, cache, load_recognizer=_load)
    key = extraction_key(documents[0])
    path = cache._path(key)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(elsewhere)
    assert cache.get(key, FOUND_CODEC) is None
    assert not path.is_symlink() and elsewhere.exists()


def test_a_result_that_cannot_be_stored_is_used_all_the_same(tmp_path):
    cache = DocumentCache(tmp_path, "extract", "e" * 64)
    odd = _Found([], None, [], None, "none")  # type: ignore[arg-type]
    assert cache.lookup("a" * 64, lambda: odd, FOUND_CODEC) is odd
    assert cache.stats.unstored == 1 and not cache._path("a" * 64).exists()


def test_writes_are_atomic_a_failed_write_leaves_the_old_entry_and_no_partial_file(tmp_path, monkeypatch):
    cache = DocumentCache(tmp_path, "extract", "e" * 64)
    old = _Found([Mention(0, 3, "Ann", "PERSON", 0.5)], [], [], None, "none")
    assert cache.put("b" * 64, old, FOUND_CODEC)

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    assert not cache.put("b" * 64, _Found([], [], [], None, "none"), FOUND_CODEC)
    monkeypatch.undo()
    assert cache.get("b" * 64, FOUND_CODEC) == old
    assert [p.name for p in cache._path("b" * 64).parent.iterdir()] == [f"{'b' * 64}.json"]


def test_pruning_removes_older_formats_and_leftovers_and_keeps_entries(tmp_path):
    old = DocumentCache(tmp_path, "extract", "a" * 64)
    old.put("c" * 64, _Found([], [], [], None, "none"), FOUND_CODEC)
    cache = DocumentCache(tmp_path, "extract", "b" * 64)
    entry = _Found([], [], [], dt.date(2026, 3, 3), "published_date")
    cache.put("d" * 64, entry, FOUND_CODEC)
    shard = cache._path("d" * 64).parent
    leftovers = [shard / f"{'d' * 64}.pkl", shard / f".{'e' * 64}.json.k2j3", cache.directory / "notes.txt"]
    for path in leftovers:
        path.write_bytes(b"x")
    (tmp_path / "extract" / "stray.pkl").write_bytes(b"x")
    removed = cache.prune_other_fingerprints()
    assert set(removed) == {old.directory, tmp_path / "extract" / "stray.pkl", *leftovers}
    assert cache.get("d" * 64, FOUND_CODEC) == entry


def test_the_format_is_not_pickle_and_old_files_are_never_opened():
    from broadsheet.doccache import codec, inputs

    assert CACHE_FORMAT >= 2 and cache_module.SUFFIX == ".json"
    assert not any(hasattr(module, "pickle") for module in (cache_module, codec, inputs))


# -- round trips ----------------------------------------------------------------------------------

# Random but reproducible values of every stored type: empty and full lists, nulls, the first
# and last dates, non-ASCII and astral text, huge and negative numbers.
_ALPHABET = ["a", "Z", " ", "\n", '"', "\\", "é", "ß", "中", "ي", "\u200f", "😀", "\x00", "\ud800", "$date"]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.choice([0, 1, 3, 12])))


def _int(rng: random.Random) -> int:
    return rng.choice([0, 1, rng.randrange(10**6), 2**63 - 1, -rng.randrange(10**4)])


def _float(rng: random.Random) -> float:
    return rng.choice([0.0, 1.0, -0.0, rng.random(), 1e300, -2.5, math.inf])


def _date(rng: random.Random) -> dt.date:
    return rng.choice([dt.date.min, dt.date.max, dt.date(2026, 3, 3), dt.date.fromordinal(rng.randrange(1, 800_000))])


def _datetime(rng: random.Random) -> dt.datetime:
    naive = dt.datetime.combine(_date(rng), dt.time(rng.randrange(24), rng.randrange(60), 0, rng.randrange(10**6)))
    return rng.choice([naive, naive.replace(tzinfo=dt.UTC), naive.replace(tzinfo=dt.timezone(dt.timedelta(hours=-5)))])


def _maybe(rng: random.Random, make):
    return None if rng.random() < 0.3 else make(rng)


def _some(rng: random.Random, make, most: int = 4) -> list:
    return [make(rng) for _ in range(rng.choice([0, 1, most]))]


def _mention(rng):
    return Mention(_int(rng), _int(rng), _text(rng), rng.choice(["PERSON", "ORG", "GPE"]), _float(rng))


def _claim(rng):
    return Claim(
        _int(rng), _int(rng), _text(rng), rng.choice(["direct_quote", "assertion"]),
        _maybe(rng, _int), _maybe(rng, _int), _maybe(rng, _text), _maybe(rng, _int), _maybe(rng, _int),
        _maybe(rng, _text), "person", _maybe(rng, _int), _maybe(rng, _int), _maybe(rng, _text),
        rng.choice(["asserted", "hedged"]), tuple(_some(rng, _text)), _float(rng),
    )  # fmt: skip


def _timex(rng):
    return TemporalExpression(
        _int(rng), _int(rng), _text(rng), "DATE", _text(rng), _maybe(rng, _text), "day",
        _maybe(rng, _date), _maybe(rng, _date), rng.random() < 0.5, rng.random() < 0.5,
    )  # fmt: skip


def _found(rng):
    return _Found(
        _some(rng, _mention), _some(rng, _claim), _some(rng, _timex), _maybe(rng, _date), _text(rng),
        _maybe(rng, lambda r: tuple(_some(r, _int))),
    )  # fmt: skip


_SCHEMAS = load_schemas()
_VALUES = {
    "string": _text,
    "int64": _int,
    "float64": _float,
    "bool": lambda rng: rng.random() < 0.5,
    "date": _date,
    "list<string>": lambda rng: _some(rng, _text),
}


def _row(rng, table: str, omit: tuple[str, ...] = ()) -> dict:
    columns = [c for c in _SCHEMAS[table].columns if c.name not in omit]
    return {c.name: (_maybe(rng, _VALUES[c.type]) if c.nullable else _VALUES[c.type](rng)) for c in columns}


def _cleaned(rng):
    return _Cleaned(
        _maybe(rng, lambda r: _row(r, "documents", ("duplicate_cluster_id",))),
        _some(rng, lambda r: _row(r, "cleaning_log")),
        _some(rng, lambda r: _row(r, "rejects"), 2),
    )


@dataclass(frozen=True)
class _Rows:
    rows: list[dict[str, Any]]
    pair: tuple[int, str]
    at: dt.datetime | None


def _any(rng, depth: int = 0):
    makers = [lambda r: None, lambda r: r.random() < 0.5, _int, _float, _text, _date, _datetime]
    if depth < 2:
        makers.append(lambda r: _some(r, lambda q: _any(q, depth + 1), 3))
    return rng.choice(makers)(rng)


def _rows(rng):
    return _Rows(
        _some(rng, lambda r: {_text(r): _any(r) for _ in range(r.randrange(5))}), (_int(rng), _text(rng)), _maybe(rng, _datetime)
    )


def _round_trip(codec: Codec, value: Any) -> Any:
    return codec.decode(json.loads(json.dumps(codec.encode(value))))


@pytest.mark.parametrize(
    ("codec", "make"),
    [(FOUND_CODEC, _found), (cleaned_codec(), _cleaned), (Codec(_Rows), _rows)],
    ids=["extraction", "cleaning", "rows"],
)
def test_every_stored_type_round_trips_exactly(codec, make):
    rng = random.Random(15)
    for _ in range(300):
        value = make(rng)
        assert _same(_round_trip(codec, value), value), value


def test_real_results_round_trip_through_the_cache_files(records, documents, tmp_path):
    cache = DocumentCache(tmp_path, "x", "e" * 64)
    recognizer = _Recognizer()
    from broadsheet.extract.rows import BatchedRecognition, find_in_document

    batches = BatchedRecognition(recognizer, documents)
    for i, doc in enumerate(documents):
        found = find_in_document(doc, batches)
        assert cache.put(f"{i:064x}", found, FOUND_CODEC)
        assert _same(cache.get(f"{i:064x}", FOUND_CODEC), found)
    for i, record in enumerate(records):
        cleaned = _clean_one(record)
        assert cache.put(f"{i + 100:064x}", cleaned, cleaned_codec())
        assert _same(cache.get(f"{i + 100:064x}", cleaned_codec()), cleaned)
    assert cache.stats.evicted == 0 and cache.stats.unstored == 0


def test_strings_are_kept_exactly_even_lone_surrogates(tmp_path):
    cache = DocumentCache(tmp_path, "x", "e" * 64)
    value = _Found([Mention(0, 2, "\ud800x", "PERSON", 1.0)], [], [], None, "none")
    assert cache.put("f" * 64, value, FOUND_CODEC)
    assert _same(cache.get("f" * 64, FOUND_CODEC), value)


def test_a_codec_refuses_types_it_cannot_check():
    @dataclass
    class Loose:
        anything: Any

    with pytest.raises(TypeError):
        Codec(Loose)
    with pytest.raises(CacheEntryError):
        FOUND_CODEC.encode(_Found([], [], [], dt.datetime(2026, 3, 3), "none"))  # a datetime is not a date
